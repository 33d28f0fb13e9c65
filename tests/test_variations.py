"""Variations of the worked cases: each one's golden answer holds, and a wrong variation file is
refused in one line naming the file and the place inside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from reversibility_kb.inference.assessment import assess
from reversibility_kb.case.catalogue import bundled_cases
from reversibility_kb.tools.golden import compare
from reversibility_kb.case.loading import CaseError, load_case
from reversibility_kb.case.model import Severity
from reversibility_kb.tools.variations import VARIATION, bundled_variations, load_variations

WORKED = {case_id: load_case(path) for case_id, path in bundled_cases().items()}
VARIATIONS = {case.id: case for case in bundled_variations(WORKED)}


@pytest.mark.parametrize("case_id", sorted(VARIATIONS))
def test_variation_matches_its_golden_answer(case_id):
    difference = compare(assess(VARIATIONS[case_id]))
    assert difference.ok, "\n".join(difference.lines())


def test_every_variation_changes_some_fact_of_its_base():
    """A variation that changes nothing would only restate its base's answer (the date of the
    analysis is a fact too: it decides which texts a running contract is judged by)."""
    for case in VARIATIONS.values():
        base = WORKED[case.id.split("~")[0]]
        facts = (case.as_of, case.contract, case.history, case.parties)
        assert facts != (base.as_of, base.contract, base.history, base.parties), case.id


BASE = "obj-infrastructure-network"


def _write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "v.yaml"
    path.write_text(body, encoding="utf-8")
    return path


GOOD = f"""
base: {BASE}
variations:
  - id: requalification
    change: {{fr: "une demande de requalification", en: "a requalification claim"}}
    changes:
      - history[+]: {{id: e-requal, date: 2022-02-01, kind: requalification_claim, by: netco, against: authority}}
    expect:
      gone: [dispute_still_avoidable]
      severity: {{conflictual_climate: high}}
      new: {{margin_explains_skill_loss: low}}
"""


def test_the_golden_answer_is_the_base_one_with_the_stated_differences(tmp_path):
    (case,) = load_variations(_write(tmp_path, GOOD), WORKED)
    base = WORKED[BASE]
    golden = {g.id: g.severity for g in case.expected.findings}
    before = {g.id: g.severity for g in base.expected.findings}
    assert "dispute_still_avoidable" in before and "dispute_still_avoidable" not in golden
    assert golden["conflictual_climate"] is Severity.high and before["conflictual_climate"] is Severity.medium
    assert golden["margin_explains_skill_loss"] is Severity.low
    assert {k: v for k, v in golden.items() if k not in ("conflictual_climate", "margin_explains_skill_loss")} == {
        k: v for k, v in before.items() if k not in ("conflictual_climate", "dispute_still_avoidable")
    }
    assert case.id == f"{BASE}~requalification" and VARIATION in case.tags
    assert case.history[-1].id == "e-requal" and len(case.history) == len(base.history) + 1


@pytest.mark.parametrize(
    ("body", "path", "expected"),
    [
        (GOOD.replace(BASE, "no-such-case"), "base", "expected the id of a worked case"),
        (GOOD.replace("gone: [dispute_still_avoidable]", "gone: [brutal_exit]"), "variations[0].expect.gone", "golden answer of"),
        (GOOD.replace("{conflictual_climate: high}", "{conflictual_climate: medium}"), "variations[0].expect.severity.conflictual_climate", "other than the base"),
        (GOOD.replace("{margin_explains_skill_loss: low}", "{plan_never_tested: low}"), "variations[0].expect.new", "not already in the golden answer"),
        (GOOD.replace("{margin_explains_skill_loss: low}", "{margin_explains_skill_loss: huge}"), "variations[0].expect.new", "huge"),
        (GOOD.replace("      - history[+]", "      - contract.nope.deeper[x]: 1\n      - history[+]"), "variations[0].changes", "expected"),
        (GOOD.replace("kind: requalification_claim", "kind: requalification"), "variations[0].changes", "history[10].kind"),
        (GOOD + GOOD[GOOD.index("  - id"):], "variations[1].id", "expected a new id"),
        (GOOD.replace("id: requalification", "id: two words"), "variations[0].id", "without spaces"),
        (GOOD.replace("variations:", "variants:"), "", "unknown field"),
        ("[1, 2]", "", "expected a mapping"),
    ],
)
def test_a_wrong_variation_file_is_refused_in_one_line(tmp_path, body, path, expected):
    file = _write(tmp_path, body)
    with pytest.raises(CaseError) as caught:
        load_variations(file, WORKED)
    message = str(caught.value)
    assert "\n" not in message and message.startswith(str(file))
    assert caught.value.path.startswith(path) and expected in message, message


def test_the_rulebook_coverage_judges_the_variations_too():
    """The mutant dropping requalification claims from what blocks an amicable exit survives the
    worked cases alone; the variation where the provider claims requalification kills it."""
    from reversibility_kb.tools.rule_coverage import KILLED, coverage

    rule = "dispute-still-avoidable"
    key = "when[1].not_1.kind in -requalification_claim"
    variation = VARIATIONS[f"{BASE}~requalification-claimed"]
    alone = coverage(cases=list(WORKED.values()), workers=1, only=[rule])
    both = coverage(cases=list(WORKED.values()) + [variation], workers=1, only=[rule])
    status = {m.key: s for m, s in alone.judged}
    assert status[key] != KILLED
    assert {m.key: s for m, s in both.judged}[key] == KILLED
