"""Training mode: exercise sheets, grading, hints, class reports. Expectations come from each
case's golden block and from principles (a perfect answer scores 1, an empty one 0, a missed
high finding costs more than a missed information …), never from a list of today's findings."""

from __future__ import annotations

import functools
import json
import re
import string
from pathlib import Path
from typing import Any

import pytest
import yaml
from helpers import cli

from reversibility_kb.inference.assessment import Assessment, assess, default_rulebook
from reversibility_kb.case.catalogue import bundled_cases
from reversibility_kb.tools.golden import compare
from reversibility_kb.case.loading import CaseError, load_case
from reversibility_kb.training.grading import Answers, Key, answer_key, grade, hints, kind_of, structure_answers
from reversibility_kb.training.classroom import class_markdown, grade_class, missed_chart_svg
from reversibility_kb.training.texts import texts
from reversibility_kb.training.render import grade_html, grade_markdown, grade_text, grade_to_dict, hints_text
from reversibility_kb.training.sheets import answer_template, case_facts_yaml, sheet_html, sheet_markdown


def _key(case_id: str) -> Key:
    return answer_key(assess(load_case(bundled_cases()[case_id])))


def _graded_cases() -> list[str]:
    """Bundled cases whose golden block expects at least one finding."""
    out = []
    for case_id, path in bundled_cases().items():
        case = load_case(path)
        if case.expected is not None and case.expected.findings:
            out.append(case_id)
    return out


GRADED = _graded_cases()


@functools.cache
def _richest() -> str:
    """The bundled case with the most expected findings (many severities, themes, items), among
    those whose golden block the engine reaches exactly (so that every finding has a why)."""
    consistent = [c for c in GRADED if compare(assess(load_case(bundled_cases()[c]))).ok]
    return max(consistent, key=lambda c: (len(load_case(bundled_cases()[c]).expected.findings), c))


def _step_before(assessment: Assessment, finding_id: str) -> list[str]:
    """Conclusions a rule used directly to reach a finding, that are not findings themselves."""
    graph = assessment.explain(finding_id)
    findings = {f.id for f in assessment.findings}
    target = f"conclusion:{finding_id}"
    return sorted(
        graph.nodes[c]["label"]
        for firing in graph.predecessors(target)
        for c in graph.predecessors(firing)
        if graph.nodes[c]["kind"] == "conclusion" and graph.nodes[c]["label"] not in findings
    )


# --------------------------------------------------------------------------------------------
# Scores from principles


@pytest.mark.parametrize("case_id", GRADED)
def test_the_golden_answer_scores_one_and_an_empty_answer_zero(case_id: str) -> None:
    key = _key(case_id)
    perfect = grade(key, Answers(findings=key.ids))
    assert perfect.score == 1.0
    assert all(theme.score == 1.0 for theme in perfect.themes)
    assert not perfect.missed and not perfect.wrong and not perfect.unknown
    empty = grade(key, Answers())
    assert empty.score == 0.0
    assert {m.expected.id for m in empty.missed} == set(key.ids)
    assert all(theme.score == 0.0 for theme in empty.themes)


def test_missing_a_high_finding_costs_more_than_missing_a_lesser_one() -> None:
    for case_id in GRADED:
        key = _key(case_id)
        ranks = {e.severity.rank for e in key.expected}
        if len(ranks) < 2:
            continue
        serious = next(e for e in key.expected if e.severity.rank == min(ranks))
        lesser = next(e for e in key.expected if e.severity.rank == max(ranks))
        without_serious = grade(key, Answers(findings=tuple(i for i in key.ids if i != serious.id)))
        without_lesser = grade(key, Answers(findings=tuple(i for i in key.ids if i != lesser.id)))
        assert without_serious.score < without_lesser.score < 1.0
        return
    pytest.skip("no bundled case expects findings of two severities")


def test_each_missed_finding_comes_with_the_engines_why() -> None:
    key = _key(_richest())
    result = grade(key, Answers())
    data = grade_to_dict(result, "en")
    for item in data["missed"]:
        assert item["why"] is not None, item["id"]
        assert item["why"]["target"] == item["id"]
        assert item["why"]["steps"][-1]["concludes"] == item["id"]


def test_a_wrong_claim_lowers_the_score_and_is_explained_by_why_not() -> None:
    key = _key(_richest())
    conclusions = key.assessment.run.conclusions
    absent = sorted(
        kind for kind, rules in key.kinds.items()
        if any(r.severity for r in rules) and not any(kind_of(c) == kind for c in conclusions)
    )
    assert absent, "the rulebook has finding kinds this case does not reach"
    claim = absent[0]
    result = grade(key, Answers(findings=(*key.ids, claim)))
    assert result.score < 1.0
    (wrong,) = result.wrong
    assert wrong.id == claim
    assert wrong.why_not and all(not w.fired for w in wrong.why_not)
    assert {w.rule.concludes for w in wrong.why_not} == {claim}
    data = grade_to_dict(result, "en")
    assert data["wrong"][0]["why_not"][0]["fired"] is False
    # Claiming everything the rulebook can conclude does not pay.
    everything = grade(key, Answers(findings=(*key.ids, *absent)))
    assert everything.score < result.score


def test_a_true_intermediate_conclusion_earns_partial_credit_not_an_error() -> None:
    for case_id in GRADED:
        key = _key(case_id)
        for expected in key.expected:
            if not expected.reached:
                continue
            steps = _step_before(key.assessment, expected.id)
            if not steps:
                continue
            step = steps[0]
            alone = grade(key, Answers(findings=(step,)))
            assert not alone.wrong and not alone.unknown
            (partial,) = alone.partial
            assert partial.id == step and partial.reason == "intermediate"
            assert expected.id in partial.toward
            full = grade(key, Answers(findings=partial.toward))
            assert 0.0 < alone.score < full.score
            return
    pytest.skip("no bundled case has an intermediate conclusion")


def test_a_finding_named_without_its_item_earns_partial_credit() -> None:
    for case_id in GRADED:
        key = _key(case_id)
        with_item = [e for e in key.expected if "@" in e.id]
        if not with_item:
            continue
        expected = with_item[0]
        result = grade(key, Answers(findings=(kind_of(expected.id),)))
        (partial,) = result.partial
        assert partial.reason == "object_missing" and expected.id in partial.toward
        assert 0.0 < result.score < grade(key, Answers(findings=(expected.id,))).score
        return
    pytest.skip("no bundled case expects a finding about an item")


def test_an_unknown_id_is_named_with_the_nearest_ids() -> None:
    key = _key(_richest())
    real = key.ids[0]
    typo = real[:2] + real[3:]  # one letter dropped
    result = grade(key, Answers(findings=(typo, "skils_not_returned")))
    assert [u.id for u in result.unknown] == [typo, "skils_not_returned"]
    assert real in result.unknown[0].nearest
    assert result.unknown[1].nearest  # some suggestion, even far
    assert not result.wrong
    assert result.score == 0.0
    # An unknown id neither earns nor costs.
    assert grade(key, Answers(findings=(real, typo))).score == grade(key, Answers(findings=(real,))).score


def test_rules_of_the_art_and_documents_are_graded_when_answered() -> None:
    key = _key(_richest())
    practices = sorted({p for e in key.expected for r in e.rules for p in r.practices})
    assert practices
    result = grade(key, Answers(findings=key.ids, practices=(*practices, "no-such-practice")))
    assert result.practices is not None and result.practices.score == 1.0
    assert result.practices.unknown[0][0] == "no-such-practice"
    assert result.documents is None
    half = grade(key, Answers(findings=key.ids, practices=tuple(practices[: len(practices) // 2])))
    assert half.practices is not None and half.practices.score < 1.0
    assert set(half.practices.missed) == set(practices[len(practices) // 2 :])
    assert half.score == 1.0  # the optional parts do not change the findings' mark


def test_documents_are_the_facts_the_checklist_would_establish() -> None:
    for case_id in GRADED:
        key = _key(case_id)
        first = grade(key, Answers(documents=()))
        if not first.checklist:
            continue
        assert first.documents is not None and first.documents.score == 0.0
        paths = tuple(q.path for q in first.checklist)
        result = grade(key, Answers(documents=paths))
        assert result.documents is not None and result.documents.score == 1.0
        return
    pytest.skip("no bundled case leaves a question open")


# --------------------------------------------------------------------------------------------
# Answer files


def test_answers_filed_by_theme_note_a_finding_filed_under_another_theme() -> None:
    key = _key(_richest())
    expected = key.expected[0]
    other = next(f"S{n}" for n in range(1, 11) if f"S{n}" != expected.theme)
    answers = structure_answers({"findings": {other: [expected.id], expected.theme: None}}, "a.yaml")
    result = grade(key, answers)
    (found,) = result.found
    assert found.filed_under == other


@pytest.mark.parametrize(
    "data, where",
    [
        ({"findings": {"S11": []}}, "findings.S11"),
        ({"findings": 3}, "findings"),
        ({"finding": []}, "finding"),
        ({"findings": {"S1": "x"}}, "findings.S1"),
        ([1, 2], ""),
    ],
)
def test_a_malformed_answer_file_is_refused_in_one_line(data: Any, where: str) -> None:
    with pytest.raises(CaseError) as caught:
        structure_answers(data, "answers.yaml")
    assert caught.value.file == "answers.yaml"
    assert where in (caught.value.path or "") or where in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_exercise_template_is_a_valid_empty_answer() -> None:
    case_id = _richest()
    case = load_case(bundled_cases()[case_id])
    for lang in ("fr", "en"):
        answers = structure_answers(yaml.safe_load(answer_template(case, default_rulebook(), lang)), "t.yaml")
        assert answers.case == case_id and answers.findings == ()
        assert grade(_key(case_id), answers).score == 0.0


# --------------------------------------------------------------------------------------------
# Hints


def test_hints_go_from_theme_to_facts_to_rule_and_never_name_the_finding() -> None:
    key = _key(_richest())
    named = key.ids[1:]
    target = key.expected[0] if key.expected[0].id not in named else None
    assert target is not None
    levels = [hints(key, named, level) for level in (1, 2, 3)]
    assert all(len(h) == 1 for h in levels)
    one, two, three = (h[0] for h in levels)
    assert one.theme == target.theme and not one.facts and one.rule is None
    assert two.facts and two.rule is None
    assert three.rule is not None and three.rule.concludes == kind_of(target.id)
    for lang in ("fr", "en"):
        text = hints_text(levels[2], lang)
        assert target.id not in text
    assert hints(key, key.ids, 3) == []


# --------------------------------------------------------------------------------------------
# Sheets


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_exercise_sheet_shows_the_facts_without_the_golden_answer(lang: str) -> None:
    case_id = _richest()
    case = load_case(bundled_cases()[case_id])
    facts = yaml.safe_load(case_facts_yaml(case))
    assert "expected" not in facts and "tags" not in facts
    assert facts["contract"]["id"] == case.contract.id
    markdown = sheet_markdown(case, default_rulebook(), lang)
    page = sheet_html(case, default_rulebook(), lang)
    for text in (markdown, page):
        assert case.contract.id in text
        for golden in case.expected.findings:
            if "@" in golden.id:  # a kind alone is in the catalogue; with its item, it is the answer
                assert golden.id not in text
        for code in [f"S{n}" for n in range(1, 11)]:
            assert code in text
    assert case.narrative.in_(lang).split()[0] in markdown
    assert not re.search(r"<script|\b(?:src|href)=\"https?:", page)


# --------------------------------------------------------------------------------------------
# Class report


def _class(tmp_path: Path, key: Key) -> Path:
    directory = tmp_path / "class"
    directory.mkdir()
    ids = list(key.ids)
    (directory / "a.yaml").write_text(yaml.safe_dump({"case": key.assessment.case.id, "student": "Ada", "findings": ids}), encoding="utf-8")
    (directory / "b.yaml").write_text(yaml.safe_dump({"student": "Ben", "findings": ids[:1]}), encoding="utf-8")
    (directory / "c.json").write_text(json.dumps({"student": "Chloé", "findings": ids[:1] + ["not_a_finding"]}), encoding="utf-8")
    (directory / "notes.txt").write_text("not an answer", encoding="utf-8")
    return directory


def test_the_class_report_ranks_what_the_class_missed_most(tmp_path: Path) -> None:
    key = _key(_richest())
    directory = _class(tmp_path, key)
    result = cli("train", key.assessment.case.id, "--answers", str(directory), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["answers"] == 3
    assert [s["score"] for s in data["students"]][0] == 1.0
    rows = data["missed_most"]
    assert rows[0]["missed_by"] == ["Ben", "Chloé"] and rows[0]["share"] == round(2 / 3, 4)
    assert rows[-1]["id"] == key.ids[0] or rows[-1]["share"] == 0.0
    assert [row["share"] for row in rows] == sorted((row["share"] for row in rows), reverse=True)
    assert set(data["review"]) == {row["id"] for row in rows if row["share"] >= 0.5}


def test_the_class_report_chart_is_inline_and_deterministic(tmp_path: Path) -> None:
    key = _key(_richest())
    directory = _class(tmp_path, key)
    case_id = key.assessment.case.id
    runs = [cli("train", case_id, "--answers", str(directory), "--format", "html", "--lang", "fr", env={"PYTHONHASHSEED": seed}) for seed in ("0", "1")]
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout
    page = runs[0].stdout
    assert "<svg" in page and "<script" not in page
    report = grade_class(key, [Answers(findings=key.ids[:1], student="x")])
    assert missed_chart_svg(report, "en") == missed_chart_svg(report, "en")
    assert "data:image/svg+xml;base64," in class_markdown(report, "en")


# --------------------------------------------------------------------------------------------
# Command line


def test_train_prints_a_json_grading(tmp_path: Path) -> None:
    case_id = _richest()
    key = _key(case_id)
    perfect = tmp_path / "perfect.yaml"
    perfect.write_text(yaml.safe_dump({"findings": list(key.ids)}), encoding="utf-8")
    empty = tmp_path / "empty.yaml"
    empty.write_text("findings: []\n", encoding="utf-8")
    data = json.loads(cli("train", case_id, "--answers", str(perfect), "--format", "json").stdout)
    assert data["score"] == 1.0
    assert {"themes", "found", "missed", "wrong", "partial", "unknown"} <= set(data)
    assert {f["id"] for f in data["found"]} == set(key.ids)
    assert all(0.0 <= t["score"] <= 1.0 and t["theme"].startswith("S") for t in data["themes"])
    data = json.loads(cli("train", case_id, "--answers", str(empty), "--format", "json").stdout)
    assert data["score"] == 0.0 and len(data["missed"]) == len(key.ids)


def test_train_refuses_answers_to_another_case_in_one_line(tmp_path: Path) -> None:
    answers = tmp_path / "other.yaml"
    answers.write_text("case: some-other-case\nfindings: []\n", encoding="utf-8")
    result = cli("train", _richest(), "--answers", str(answers))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "other.yaml: case:" in result.stderr
    result = cli("train", _richest())
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_exercise_verb_writes_sheets_and_templates(tmp_path: Path) -> None:
    case_id = _richest()
    out = tmp_path / "sheet.html"
    assert cli("exercise", case_id, "--format", "html", "--lang", "fr", "-o", str(out)).returncode == 0
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    template = cli("exercise", case_id, "--format", "template").stdout
    assert yaml.safe_load(template)["case"] == case_id


# --------------------------------------------------------------------------------------------
# Both languages


def test_every_fact_type_has_a_name_on_the_sheet() -> None:
    from reversibility_kb.inference.facts import fact_attributes

    assert {f"object_{kind}" for kind in fact_attributes()} <= set(texts())


def test_every_training_text_exists_in_both_languages_with_the_same_placeholders() -> None:
    def fields(text: str) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    for key, entry in texts().items():
        assert set(entry) == {"fr", "en"}, key
        assert entry["fr"].strip() and entry["en"].strip(), key
        assert fields(entry["fr"]) == fields(entry["en"]), key


#: Words of the English training texts that must never show in French output.
ENGLISH = {"missed", "found", "score", "hint", "hints", "clue", "clues", "wrong", "wrongly", "grading", "answer",
           "answers", "finding", "findings", "trainee", "nearest", "partial", "credit", "expected", "class", "mark",
           "look", "theme", "none", "taken", "noted", "identified", "average", "share"}


def _prose(text: str) -> set[str]:
    """The words of a French output that are prose: code blocks, inline code and ids removed."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"<pre>.*?</pre>|<code>.*?</code>|<svg.*?</svg>|<style>.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`|<[^>]+>|data:[^)\s]+", " ", text)
    tokens = (w.strip(".") for w in re.findall(r"[^\s,;:()\[\]«»“”\"'/|—–!?*#=>+~]+", text))
    return {w.lower() for w in tokens if w and not re.search(r"[_@.\-\d]", w)}


def test_french_outputs_leak_no_english_vocabulary(tmp_path: Path) -> None:
    key = _key(_richest())
    case = key.assessment.case
    conclusions = key.assessment.run.conclusions
    absent = next(k for k, rules in sorted(key.kinds.items()) if any(r.severity for r in rules) and not any(kind_of(c) == k for c in conclusions))
    answers = Answers(findings=(key.ids[0], kind_of(key.ids[-1]), absent, "skils_not_returned"), practices=("no-such-practice",), documents=("contract.reversibility.plan",), student="Zoé", filed={key.ids[0]: "S10" if key.expected[0].theme != "S10" else "S1"})
    result = grade(key, answers)
    report = grade_class(key, [answers, Answers(findings=key.ids, student="Yann")])
    outputs = {
        "text": grade_text(result, "fr"),
        "md": grade_markdown(result, "fr"),
        "html": grade_html(result, "fr"),
        "hints": hints_text(hints(key, (), 3), "fr"),
        "sheet": sheet_markdown(case, default_rulebook(), "fr"),
        "sheet-html": sheet_html(case, default_rulebook(), "fr"),
        "class": class_markdown(report, "fr"),
        "cli-class": cli("train", case.id, "--answers", str(_class(tmp_path, key)), "--format", "text", "--lang", "fr").stdout,
    }
    for name, text in outputs.items():
        leaks = _prose(text) & ENGLISH
        assert not leaks, f"{name}: {sorted(leaks)}"


# --------------------------------------------------------------------------------------------
# Curricula


def test_a_case_with_nothing_to_find_is_passed_by_an_empty_answer() -> None:
    quiet = [c for c, p in bundled_cases().items() if (case := load_case(p)).expected is not None and not case.expected.findings]
    if not quiet:
        pytest.skip("no bundled case expects no finding")
    key = _key(quiet[0])
    assert grade(key, Answers()).score == 1.0
    claim = next(k for k, rules in sorted(key.kinds.items()) if any(r.severity for r in rules) and not any(kind_of(c) == k for c in key.assessment.run.conclusions))
    assert grade(key, Answers(findings=(claim,))).score == 0.0


def test_any_case_file_is_an_exercise_even_without_a_golden_block(tmp_path: Path) -> None:
    case_id = _richest()
    data = yaml.safe_load(bundled_cases()[case_id].read_text(encoding="utf-8"))
    del data["expected"]
    data["id"] = "my-exercise"
    path = tmp_path / "my-exercise.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    engine_findings = {f.id for f in assess(load_case(path)).findings}
    answers = tmp_path / "answers.yaml"
    answers.write_text(yaml.safe_dump({"case": "my-exercise", "findings": sorted(engine_findings)}), encoding="utf-8")
    result = cli("train", str(path), "--answers", str(answers), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["score"] == 1.0 and {f["id"] for f in data["found"]} == engine_findings
    sheet = cli("exercise", str(path), "--lang", "fr")
    assert sheet.returncode == 0 and "my-exercise" in sheet.stdout


def test_the_class_chart_is_the_same_when_drawn_in_threads() -> None:
    import concurrent.futures

    key = _key(_richest())
    report = grade_class(key, [Answers(findings=key.ids[:1], student="x"), Answers(findings=key.ids, student="y")])
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        pictures = set(pool.map(lambda lang: missed_chart_svg(report, lang), ["en", "fr"] * 4))
    assert len(pictures) == 2  # one per language, whatever the thread
