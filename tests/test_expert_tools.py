"""Why, why-not, what-if and the investigation checklist, on the worked cases."""

from __future__ import annotations

import functools
import itertools
import json

import pytest
from helpers import cli

from reversibility_kb import assess, load_case
from reversibility_kb.case.catalogue import bundled_cases
from reversibility_kb.tools.explaining import describe_pattern, why, why_not
from reversibility_kb.tools.questions import questions
from reversibility_kb.tools.whatif import (
    Change,
    apply_changes,
    candidate_changes,
    minimal_changes,
    what_if,
)

CASES = bundled_cases()
SOURCE_EXAMPLES = ["s7-donor-database", "s8-staged-pooling", "s9-outsourced-cio"]


@functools.cache
def _assessment(case_id: str):
    return assess(load_case(CASES[case_id]))


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_every_why_reaches_input_facts(case_id):
    assessment = _assessment(case_id)
    inputs = {f["id"] for f in assessment.run.facts}
    for finding in assessment.findings:
        for depth in ("summary", "full"):
            answer = why(assessment, finding.id, depth)
            assert answer.steps, (finding.id, depth)
            assert answer.steps[-1].concludes == finding.id
            assert set(answer.facts) <= inputs and answer.facts
        full = why(assessment, finding.id, "full")
        assert len(full.steps) >= len(why(assessment, finding.id, "summary").steps)


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_every_why_not_names_a_failed_or_unknown_condition(case_id):
    assessment = _assessment(case_id)
    fired = {f.rule for f in assessment.run.firings}
    for rule in assessment.rulebook.rules:
        answer = why_not(assessment, rule.id)
        assert answer.fired == (rule.id in fired)
        statuses = {gap.status for gap in answer.gaps}
        if not answer.fired:
            assert statuses - {"met"}, rule.id
        else:
            assert statuses == {"met"}, rule.id


def test_why_not_reads_unknown_as_unknown_and_negation_as_no_evidence():
    assessment = _assessment("control-unknowns")
    answer = why_not(assessment, "skills-not-returned")
    (gap,) = [g for g in answer.gaps if g.status != "met"]
    assert gap.status == "unknown" and not gap.pattern.negated
    assert any(value == "unknown" for _, _, value in gap.failed_tests)
    rule = assessment.rulebook.rule("reversibility-data-unusable")
    negated = next(p for p in rule.when if p.negated)
    assert describe_pattern(negated, "en").startswith("there is no evidence of an event")
    assert describe_pattern(negated, "fr").startswith("rien n'établit l'existence d'un événement")


@pytest.mark.parametrize("case_id", SOURCE_EXAMPLES)
def test_minimal_changes_remove_the_finding_and_nothing_smaller_does(case_id):
    assessment = _assessment(case_id)
    solved = 0
    for finding in assessment.findings:
        solutions = minimal_changes(assessment, finding.id)
        sizes = {len(s) for s in solutions}
        assert len(sizes) <= 1
        for solution in solutions:
            after = assess(apply_changes(assessment.case, solution), assessment.rulebook)
            assert finding.id not in after.run.conclusions, (finding.id, solution)
            for size in range(1, len(solution)):
                for subset in itertools.combinations(solution, size):
                    smaller = assess(apply_changes(assessment.case, subset), assessment.rulebook)
                    assert finding.id in smaller.run.conclusions, (finding.id, subset)
        if solutions and len(solution) > 1:
            # no single candidate removes it either
            for candidate in candidate_changes(assessment, finding.id):
                try:
                    single = assess(apply_changes(assessment.case, [candidate]), assessment.rulebook)
                except Exception:
                    continue
                assert finding.id in single.run.conclusions
        solved += bool(solutions)
    assert solved >= len(assessment.findings) // 2


def test_what_if_reports_appearing_and_disappearing_findings():
    assessment = _assessment("s7-donor-database")
    after, delta = what_if(assessment, [Change("contract.reversibility.transition_months", 6)])
    assert [f.id for f in delta.disappeared] == ["brutal_reversibility"]
    after, delta = what_if(assessment, [Change("contract.reversibility.plan", "yes")])
    assert "no_reversibility_plan" in {f.id for f in delta.disappeared}
    assert "plan_never_tested" in {f.id for f in delta.appeared}


def test_what_if_cli_set_and_patch(tmp_path):
    result = cli("what-if", "s7-donor-database", "--set", "contract.reversibility.transition_months=6", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert [f["id"] for f in json.loads(result.stdout)["disappeared"]] == ["brutal_reversibility"]
    patch = tmp_path / "patch.yaml"
    patch.write_text("contract.data[donors].receiver_has_dbms: yes\n", encoding="utf-8")
    data = json.loads(cli("what-if", "s7-donor-database", "--patch", str(patch), "--format", "json").stdout)
    assert "data_deliverable_unusable@donors" in {f["id"] for f in data["disappeared"]}


def test_what_if_bad_path_or_value_is_one_line_and_status_2():
    for args in (["--set", "contract.reversibility.transition_months=soon"], ["--set", "contract.tools[nope].owner=client"]):
        result = cli("what-if", "s7-donor-database", *args)
        assert result.returncode == 2
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr


def test_questions_rank_unknowns_that_change_conclusions():
    assessment = _assessment("control-unknowns")
    checklist = questions(assessment)
    assert checklist
    weights = [q.weight for q in checklist]
    assert weights == sorted(weights, reverse=True)
    for question in checklist:
        assert question.text.fr and question.text.en and question.document.fr and question.document.en
        assert "{item}" not in question.text.en
        assert question.findings
    # answering the first question for real changes at least one of the findings it names
    top = checklist[0]
    if top.path.startswith("history"):
        return
    changed = set()
    for value in ("yes", "no", 0, 6, "transfer", "reinternalisation"):
        try:
            _, delta = what_if(assessment, [Change(top.path, value)])
        except Exception:
            continue
        changed |= {f.id for f in (*delta.appeared, *delta.disappeared)}
    assert changed & set(top.findings)


def test_questions_ask_for_missing_records():
    """No restore test is recorded here; where a failed one is (s7-donor-database), its result is
    known and never asked for again (tests/test_questions_stakes.py)."""
    checklist = questions(_assessment("obj-asp-critical-terminated"))
    restore = [q for q in checklist if q.path == "history[].restore_test"]
    assert restore and "data_deliverable_unusable@shipments" in restore[0].findings


def test_assessment_json_carries_what_reproduces_it():
    data = json.loads(cli("assess", "s7-donor-database", "--format", "json").stdout)
    assert data["as_of"] == "1999-03-01"
    assert len(data["rulebook_digest"]) == 64 and len(data["case_digest"]) == 64
    assert data["library_version"]


@pytest.mark.parametrize("fmt", ["json", "graphml", "dot", "mermaid", "svg"])
def test_every_graph_export_carries_what_reproduces_it(fmt):
    result = cli("graph", "s8-staged-pooling", "--format", fmt)
    assert result.returncode == 0, result.stderr
    assessment = _assessment("s8-staged-pooling")
    data = assessment.to_dict()
    for key in ("rulebook_digest", "case_digest", "as_of", "library_version"):
        assert key in result.stdout and str(data[key]) in result.stdout


# The library's and the verbs' promises (issue 13).


def _mini(change=None):
    import yaml
    from helpers import DATA

    data = yaml.safe_load((DATA / "mini_case.yaml").read_text(encoding="utf-8"))
    if change:
        change(data)
    return data


def test_why_not_calls_a_condition_failed_when_a_known_value_already_fails(mini_rulebook):
    """staff.transferred is known to be no: whatever the return clause turns out to be, the
    pattern cannot match, so it is not 'unknown'."""
    case = load_case(_mini(lambda d: d["contract"].update(staff={"transferred": "no"})))
    answer = why_not(assess(case, mini_rulebook), "cannot-operate-no-skills")
    assert [g.status for g in answer.gaps] == ["failed"]
    known = load_case(_mini(lambda d: d["contract"].update(staff={"transferred": "yes"})))
    assert [g.status for g in why_not(assess(known, mini_rulebook), "cannot-operate-no-skills").gaps] == ["unknown"]


def test_why_not_says_the_file_has_no_such_fact():
    assessment = _assessment("s7-donor-database")
    assert not assessment.case.contract.margin_levers
    answer = why_not(assessment, "margin-from-tool-lock-in")
    margin = next(g for g in answer.gaps if g.pattern.fact == "margin")
    assert margin.status == "absent"
    result = cli("why-not", "s7-donor-database", "margin-from-tool-lock-in")
    assert "not met: no margin lever in the file" in result.stdout
    result = cli("why-not", "s7-donor-database", "margin-from-tool-lock-in", "--lang", "fr")
    assert "le dossier ne contient aucun fait «\u202flevier de marge\u202f»" in result.stdout


def test_what_if_reports_a_finding_whose_rules_or_advice_changed():
    import attrs

    from reversibility_kb.case.model import Text
    from reversibility_kb.tools.whatif import compare

    before = _assessment("s7-donor-database")
    first = before.findings[0]
    advice = attrs.evolve(first, recommendation=Text(fr="Autre chose.", en="Something else."))
    rules = attrs.evolve(first, rules=(*first.rules, "another-rule"))
    for changed, field in ((advice, "recommendation"), (rules, "rules")):
        after = attrs.evolve(before, findings=(changed, *before.findings[1:]))
        delta = compare(before, after)
        assert [(a.id, b.id) for a, b in delta.changed] == [(first.id, first.id)]
        entry = delta.to_dict("en")["changed"][0]
        assert list(entry["changes"]) == [field]
    assert compare(before, before).empty


def test_set_with_remove_is_a_usage_error():
    result = cli("what-if", "s7-donor-database", "--set", "contract.term_months=12", "--remove", "brutal_reversibility")
    assert result.returncode == 2
    assert "--remove searches for changes itself" in result.stderr
    assert result.stdout == ""


def test_check_says_a_case_has_no_golden_findings(tmp_path):
    import yaml

    data = yaml.safe_load(CASES["s7-donor-database"].read_text(encoding="utf-8"))
    data.pop("expected")
    path = tmp_path / "no-golden.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli("check", str(path))
    assert result.returncode == 1
    assert "no golden findings (an expected: section): nothing to compare" in result.stdout
    assert "0 of 1 cases match their golden findings (1 without golden findings)" in result.stdout
    summary = json.loads(cli("check", str(path), "--format", "json").stdout)
    assert summary["cases"][0]["has_golden"] is False and summary["matching"] == 0


def test_check_and_schema_print_json():
    summary = json.loads(cli("check", "s7-donor-database", "--format", "json").stdout)
    assert summary["matching"] == summary["total"] == 1 and summary["cases"][0]["ok"] is True
    assert json.loads(cli("schema", "--format", "json").stdout)["title"]


def test_load_case_takes_a_mapping_checked_like_a_file():
    import yaml

    from reversibility_kb import CaseError

    data = yaml.safe_load(CASES["s7-donor-database"].read_text(encoding="utf-8"))
    assert load_case(data) == load_case(CASES["s7-donor-database"])
    data["contract"]["client"] = "nobody"
    with pytest.raises(CaseError, match=r"<case>: contract\.client: expected the id of a party"):
        load_case(data)


def test_a_hand_built_case_is_validated_with_case_error():
    import attrs

    from reversibility_kb import CaseError
    from reversibility_kb.case.loading import validate_case

    case = load_case(CASES["s7-donor-database"])
    broken = attrs.evolve(case, contract=attrs.evolve(case.contract, client="nobody"))
    with pytest.raises(CaseError, match=r"contract\.client: expected the id of a party, got 'nobody'"):
        validate_case(broken)
