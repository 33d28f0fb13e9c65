"""The interactive exercise, driven as a person would drive it: through a pseudo-terminal."""

from __future__ import annotations

import os
import sys

import pexpect
import pytest
from helpers import ROOT

from reversibility_kb.inference.assessment import assess
from reversibility_kb.case.catalogue import bundled_cases
from reversibility_kb.tools.golden import compare
from reversibility_kb.case.loading import load_case
from reversibility_kb.training.grading import Key, answer_key


def _key() -> Key:
    """The bundled case expecting the most findings, among those the engine reaches exactly."""
    ranked = sorted(
        (len(case.expected.findings), case_id)
        for case_id, case in ((i, load_case(p)) for i, p in bundled_cases().items())
        if case.expected is not None and len(case.expected.findings) >= 2 and compare(assess(case)).ok
    )
    return answer_key(assess(load_case(bundled_cases()[ranked[-1][1]])))


def _spawn(case_id: str, lang: str) -> pexpect.spawn:
    env = {**os.environ, "PYTHONHASHSEED": "0", "COLUMNS": "200"}
    child = pexpect.spawn(
        sys.executable, ["-m", "reversibility_kb", "train", case_id, "--interactive", "--lang", lang],
        cwd=str(ROOT), env=env, encoding="utf-8", timeout=120, dimensions=(50, 200),
    )
    return child


def test_a_french_session_takes_answers_gives_clues_and_grades() -> None:
    key = _key()
    first, second = key.expected[0], key.expected[1]
    child = _spawn(key.assessment.case.id, "fr")
    child.expect("constat> ")
    child.sendline(first.id)
    child.expect(r"Noté \(1 réponse")
    child.expect("constat> ")
    child.sendline(first.id)
    child.expect("Déjà noté")
    child.expect("constat> ")
    typo = second.id[:2] + second.id[3:]
    child.sendline(typo)
    child.expect("n'existe pas")
    child.expect(second.id)  # among the nearest ids
    child.expect("constat> ")
    # Clues go deeper on the most serious finding not named yet: theme, facts, rule.
    child.sendline("indice")
    child.expect(f"thème {second.theme} ")
    child.expect("constat> ")
    child.sendline("indice")
    child.expect("Regardez ces faits")
    child.expect("constat> ")
    child.sendline("indice")
    child.expect("Règle : ")
    child.expect("constat> ")
    child.sendline("liste")
    child.expect(f"Vos réponses : {first.id}")
    child.expect("constat> ")
    child.sendline("fin")
    child.expect("Note globale : ")
    child.expect(r"(\d+) %")
    score = int(child.match.group(1))
    assert 0 < score < 100
    child.expect("Constats manqués")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_an_english_session_with_every_finding_scores_full_marks() -> None:
    key = _key()
    child = _spawn(key.assessment.case.id, "en")
    for finding_id in key.ids:
        child.expect("finding> ")
        child.sendline(finding_id)
        child.expect("Noted")
    child.expect("finding> ")
    child.sendline("remove " + key.ids[0])
    child.expect("Taken back")
    child.expect("finding> ")
    child.sendline(key.ids[0])
    child.expect("finding> ")
    child.sendline("clue")
    child.expect("No more clues")
    child.expect("finding> ")
    child.sendline("done")
    child.expect("Overall mark: 100 %")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_end_of_input_grades_what_was_typed() -> None:
    key = _key()
    child = _spawn(key.assessment.case.id, "en")
    child.expect("finding> ")
    child.sendeof()
    child.expect("Overall mark: 0 %")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


@pytest.mark.parametrize("extra", [["--answers", "x.yaml"], ["--hint", "1"]])
def test_interactive_mode_stands_alone(extra: list[str], tmp_path) -> None:
    from helpers import cli

    (tmp_path / "x.yaml").write_text("findings: []\n", encoding="utf-8")
    args = [a if a != "x.yaml" else str(tmp_path / "x.yaml") for a in extra]
    result = cli("train", _key().assessment.case.id, "--interactive", *args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
