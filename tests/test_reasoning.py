"""The reasoning modules (why, why-not, what-if, the questions, the facts) on small cases whose
answers an expert can work out by hand: each test fails on a program that reasons wrongly.

The small cases use the engine-test rulebook (tests/data/mini_rulebook): a document planned for
the initial period and never accepted makes the documentation unreliable; unreliable documentation
and no in-house skills make the function impossible to take back (high); staff transferred with
no return clause make it impossible too (medium). The code mutation score these tests reach on the
reasoning modules is recorded in docs/mutation.md.
"""

from __future__ import annotations

import datetime
from typing import Any, Callable

import attrs
import pytest
import yaml
from helpers import DATA

from reversibility_kb import assess, load_case
from reversibility_kb.inference.assessment import Assessment, default_rulebook
from reversibility_kb.case.catalogue import bundled_cases
from reversibility_kb.inference.dating import day_number
from reversibility_kb.tools.explaining import describe_pattern, describe_test, why, why_not, why_not_text, why_text
from reversibility_kb.inference.facts import case_facts, fact_attributes
from reversibility_kb.case.loading import CaseError
from reversibility_kb.tools.questions import answer_lines, checklist, questions, stakes_text
from reversibility_kb.inference.rulebook import Pattern, Rulebook
from reversibility_kb.inference.rulebook import Test as Condition
from reversibility_kb.tools.whatif import (
    Change,
    apply_changes,
    candidate_changes,
    compare,
    load_patch,
    minimal_changes,
    parse_assignment,
    remove_search,
    target,
    what_if,
)

CASES = bundled_cases()


def _mini_data(change: Callable[[dict[str, Any]], None] | None = None) -> dict[str, Any]:
    data = yaml.safe_load((DATA / "mini_case.yaml").read_text(encoding="utf-8"))
    if change:
        change(data)
    return data


def _staff(**values: str) -> Callable[[dict[str, Any]], None]:
    return lambda data: data["contract"]["staff"].update(values)


def _mini(rulebook: Rulebook, change: Callable[[dict[str, Any]], None] | None = None) -> Assessment:
    return assess(load_case(_mini_data(change)), rulebook)


def _bundled(case_id: str) -> Assessment:
    """Assessed afresh by each test (no cache: the mutation tool forks after a first run, and a
    cached answer would hide a mutant from every later test)."""
    return assess(load_case(CASES[case_id]))


# ---------------------------------------------------------------- why


def test_why_walks_from_the_input_facts_to_the_finding_in_causal_order(mini_rulebook):
    """The manual was never accepted, so the documentation is unreliable, so (the client kept no
    skills) the function cannot be taken back: three firings, in that order, from two facts."""
    answer = why(_mini(mini_rulebook), "cannot_operate")
    assert [s.rule.id for s in answer.steps] == ["doc-not-accepted", "documentation-unreliable", "cannot-operate"]
    assert [s.concludes for s in answer.steps] == ["doc_not_accepted@manual", "documentation_unreliable", "cannot_operate"]
    assert sorted(answer.facts) == ["c1", "manual"]  # the accepted runbook played no part
    first, second, last = answer.steps
    assert first.used == (("doc", "manual", "fact"),)
    assert first.values == (("manual", "planned_initial", "yes"),)
    assert [describe_pattern(p, "en") for p in first.absent] == [
        "there is no evidence of an event with the kind = an acceptance, what it concerns = `doc`"
    ]
    assert second.used == (("missing", "doc_not_accepted@manual", "conclusion"),) and second.values == ()
    assert sorted(last.used) == [("contract", "c1", "fact"), ("unreliable", "documentation_unreliable", "conclusion")]
    assert last.values == (("c1", "staff_client_kept_skills", "no"),)
    assert last.absent == ()


def test_why_summary_keeps_the_last_firing_and_those_whose_conclusion_it_used(mini_rulebook):
    assessment = _mini(mini_rulebook)
    summary = why(assessment, "cannot_operate", "summary")
    assert summary.depth == "summary"
    assert [s.rule.id for s in summary.steps] == ["documentation-unreliable", "cannot-operate"]
    assert [s.rule.id for s in why(assessment, "documentation_unreliable", "summary").steps] == [
        "doc-not-accepted", "documentation-unreliable",
    ]


def test_why_as_json_and_as_text_names_rules_facts_and_values(mini_rulebook):
    answer = why(_mini(mini_rulebook), "cannot_operate")
    data = answer.to_dict("en")
    assert data["target"] == "cannot_operate" and data["depth"] == "full"
    assert sorted(data["facts"]) == ["c1", "manual"]
    last = data["steps"][-1]
    assert last["rule"] == "cannot-operate" and last["title"] == "Cannot operate"
    assert last["rationale"] == "No documentation." and last["sources"] == ["S6.c", "S4.a"]
    assert last["values"] == [{"fact": "c1", "attribute": "staff_client_kept_skills", "value": "no"}]
    assert {"binding": "contract", "id": "c1", "kind": "fact"} in last["used"]
    assert last["concludes"] == "cannot_operate" and last["in_force"] is None and last["absent"] == []
    assert data["steps"][0]["absent"] == ["there is no evidence of an event with the kind = an acceptance, what it concerns = `doc`"]
    assert answer.to_dict("fr")["steps"][-1]["title"] == "Reprise impossible"
    text = why_text(answer, "en")
    assert text.endswith("Input facts: `c1`, `manual`\n") or text.endswith("Input facts: `manual`, `c1`\n")
    assert "- Cannot operate [`cannot-operate`; S6.c, S4.a]\n    No documentation.\n    from: " in text
    assert "      `c1`: whether the client kept skills in-house = no\n    → `cannot_operate`\n" in text
    assert "      `manual`: whether it was planned for the initial period = yes\n" in text
    assert "    there is no evidence of an event with the kind = an acceptance" in text
    french = why_text(answer, "fr")
    assert "- Reprise impossible [`cannot-operate`; S6.c, S4.a]\n    Pas de documentation.\n    à partir de\u202f: " in french
    assert "Faits d'entrée\u202f: " in french and "rien n'établit l'existence d'un événement" in french


def test_why_shows_the_dates_a_dated_rule_tested_as_dates():
    """The EBA exit-plan rule is in force by the date of exit: the bank terminated on 28 June
    2024, and the reader sees that date, once, with the rule's period in force."""
    assessment = _bundled("pack-bank-exit-2024-staff")
    (step,) = why(assessment, "eba_exit_plan_untested").steps
    assert ("servicecentre-2018", "exit_day", day_number(datetime.date(2024, 6, 28))) in step.values
    assert [a for _, a, _ in step.values].count("exit_day") == 1
    assert ("servicecentre-2018", "regulatory_exit_plan_tested", "no") in step.values
    text = why_text(why(assessment, "eba_exit_plan_untested"), "en")
    assert "= 2024-06-28\n" in text and "19902" not in text
    assert "    in force from 2019-09-30 to 2025-01-17, by the date of exit" in text


# ---------------------------------------------------------------- why not


def test_why_not_reads_each_condition_against_the_case(mini_rulebook):
    assessment = _mini(mini_rulebook)
    fired = why_not(assessment, "cannot-operate")
    assert fired.fired and [g.status for g in fired.gaps] == ["met", "met"]
    assert [g.facts for g in fired.gaps] == [("documentation_unreliable",), ("c1",)]
    # the return clause is known to be yes: the condition fails on a known value
    (gap,) = why_not(assessment, "cannot-operate-no-skills").gaps
    assert gap.status == "failed" and gap.facts == ("c1",)
    assert [(f, t.attribute, v) for f, t, v in gap.failed_tests] == [("c1", "staff_return_clause", "yes")]
    # a conclusion that exists blocks the negated condition
    blocked = why_not(assessment, "skills-not-evidenced")
    assert not blocked.fired
    assert [(g.status, g.facts) for g in blocked.gaps] == [("met", ("c1",)), ("blocked", ("cannot_operate",))]


def test_why_not_names_the_missing_conclusion_and_the_rules_that_draw_it(mini_rulebook):
    accepted = _mini(mini_rulebook, lambda d: d["history"].append(
        {"id": "e3", "date": "2020-08-01", "kind": "accepted", "ref": "manual", "by": "client"}))
    (gap,) = why_not(accepted, "documentation-unreliable").gaps
    assert gap.status == "missing_conclusion" and gap.concluded_by == ("doc-not-accepted",)
    conditions = why_not(accepted, "cannot-operate").to_dict("en")["conditions"]
    assert [c["status"] for c in conditions] == ["missing_conclusion", "met"]
    assert conditions[0]["concluded_by"] == ["documentation-unreliable"]
    text = why_not_text(why_not(accepted, "cannot-operate"), "en")
    assert "    concluded by: `documentation-unreliable`\n" in text
    assert "intermediate conclusion not reached" in text
    # with both documents accepted, the absence of an acceptance is contradicted by both events
    negated = why_not(accepted, "doc-not-accepted").gaps
    assert [g.status for g in negated] == ["met", "blocked"]
    assert sorted(negated[1].facts) == ["e2", "e3"]


def test_why_not_says_no_such_fact_in_the_file_and_never_unknown_for_a_known_value(mini_rulebook):
    no_documents = _mini(mini_rulebook, lambda d: (d["contract"].pop("documents"), d.__setitem__("history", [])))
    (gap, negated) = why_not(no_documents, "doc-not-accepted").gaps
    assert gap.status == "absent" and gap.facts == () and gap.failed_tests == ()
    assert negated.status == "met"
    assert "- a document with whether it was planned for the initial period = yes: not met: no document in the file\n" in (
        why_not_text(why_not(no_documents, "doc-not-accepted"), "en")
    )
    french = why_not_text(why_not(no_documents, "doc-not-accepted"), "fr")
    assert "non satisfaite\u202f: le dossier ne contient aucun fait «\u202fdocument\u202f»" in french
    # the client's skills are unknown: the skills rule waits on it, and says so
    unknown = _mini(mini_rulebook, _staff(client_kept_skills="unknown"))
    (gap,) = why_not(unknown, "cannot-operate").gaps[1:]
    assert gap.status == "unknown" and [v for _, _, v in gap.failed_tests] == ["unknown"]
    # staff transferred unknown, return clause known to be yes: failed, whatever the unknown is
    both = _mini(mini_rulebook, _staff(transferred="unknown"))
    (gap,) = why_not(both, "cannot-operate-no-skills").gaps
    assert gap.status == "failed"
    assert sorted((t.attribute, v) for _, t, v in gap.failed_tests) == [("staff_return_clause", "yes"), ("staff_transferred", "unknown")]


def test_why_not_text_lists_the_failed_values_and_stops_at_the_limit(mini_rulebook):
    assessment = _mini(mini_rulebook, _staff(transferred="unknown"))
    answer = why_not(assessment, "cannot-operate-no-skills")
    text = why_not_text(answer, "en")
    assert text.startswith("`cannot-operate-no-skills` (S4.a) did not fire: Cannot operate (skills)\n")
    assert "    `c1`: the staff return clause = no (value: yes)\n" in text
    assert "    `c1`: whether staff were transferred = yes (value: unknown)\n" in text
    assert ": not met\n" in text
    assert len(why_not_text(answer, "en", limit=1).splitlines()) == len(text.splitlines()) - 1
    french = why_not_text(answer, "fr")
    assert french.startswith("`cannot-operate-no-skills` (S4.a) n'a pas conclu\u202f: Reprise impossible (compétences)\n")
    assert "(valeur\u202f: oui)" in french and ": non satisfaite\n" in french.replace("\u202f", "")
    fired = why_not_text(why_not(assessment, "doc-not-accepted"), "en")
    assert fired.startswith("`doc-not-accepted` (S6.c) fired: Document not accepted\n")
    assert "    facts: `manual`\n" in fired
    data = answer.to_dict("en")
    assert data["rule"] == "cannot-operate-no-skills" and data["fired"] is False and data["sources"] == ["S4.a"]
    assert data["title"] == "Cannot operate (skills)"
    assert {"fact": "c1", "test": "the staff return clause = no", "value": "yes"} in data["conditions"][0]["failed"]
    assert data["conditions"][0]["facts"] == ["c1"] and data["conditions"][0]["concluded_by"] == []


def test_why_not_on_bundled_cases_a_failed_condition_has_a_known_failing_value():
    """'failed' is said only when some fact fails on a known value; 'unknown' only when a fact
    fails on unknown values alone."""
    for case_id in ("s7-donor-database", "control-unknowns", "real-parler-aws-suspension"):
        assessment = _bundled(case_id)
        for rule in assessment.rulebook.rules:
            for gap in why_not(assessment, rule.id).gaps:
                if gap.status == "failed":
                    failing = {f for f, _, _ in gap.failed_tests}
                    assert failing == set(gap.facts), (case_id, rule.id)
                    assert all(any(v != "unknown" for g, _, v in gap.failed_tests if g == f) for f in failing)
                if gap.status == "unknown":
                    by_fact: dict[str, set[Any]] = {}
                    for f, _, v in gap.failed_tests:
                        by_fact.setdefault(f, set()).add(v == "unknown")
                    assert any(flags == {True} for flags in by_fact.values()), (case_id, rule.id)


@pytest.mark.parametrize(("test", "en", "fr"), [
    (Condition("staff_return_clause", "eq", "no"), "the staff return clause = no", "la clause de retour des salariés = non"),
    (Condition("staff_return_clause", "not", "yes"), "the staff return clause ≠ yes", "la clause de retour des salariés ≠ oui"),
    (Condition("backup_mode", "in", ["physical", "logical"]), "the backup mode is one of physical, logical",
     "le mode de sauvegarde est l'un de physique, logique"),
    (Condition("reversibility_transition_months", "exists", True), "the agreed transition period (months) is known",
     "on connaît la durée de transition prévue (mois)"),
    (Condition("reversibility_transition_months", "exists", False), "the agreed transition period (months) is not known",
     "on ne connaît pas la durée de transition prévue (mois)"),
    (Condition("ref", "ref", ("doc", "id")), "what it concerns = `doc`", "l'élément concerné = `doc`"),
    (Condition("transition_total_days", "lt", 90), "the transition period (days) < 90", "la durée de transition (jours) < 90"),
    (Condition("transition_total_days", "lte", 90), "the transition period (days) ≤ 90", "la durée de transition (jours) ≤ 90"),
    (Condition("transition_total_days", "gt", 90), "the transition period (days) > 90", "la durée de transition (jours) > 90"),
    (Condition("transition_total_days", "gte", 90), "the transition period (days) ≥ 90", "la durée de transition (jours) ≥ 90"),
    (Condition("signature_day", "gte", day_number(datetime.date(2019, 5, 20))), "the signature date ≥ 2019-05-20",
     "la date de signature ≥ 2019-05-20"),
])
def test_each_test_reads_in_the_readers_words(test, en, fr):
    assert describe_test(test, "en") == en
    assert describe_test(test, "fr") == fr


def test_a_reference_to_another_facts_attribute_names_both():
    text = describe_test(Condition("by", "ref", ("contract", "provider")), "en")
    assert text.endswith(" of `contract`") and "= " in text
    assert describe_test(Condition("by", "ref", ("contract", "provider")), "fr").endswith(" de `contract`")


def test_a_pattern_reads_as_its_fact_and_its_tests():
    plain = Pattern("doc", "document", (Condition("planned_initial", "eq", "yes"),))
    assert describe_pattern(plain, "en") == "a document with whether it was planned for the initial period = yes"
    assert describe_pattern(Pattern("doc", "document", ()), "en") == "a document"
    negated = attrs.evolve(plain, negated=True)
    assert describe_pattern(negated, "en") == "there is no evidence of a document with whether it was planned for the initial period = yes"
    assert describe_pattern(negated, "fr").startswith("rien n'établit l'existence d'un document avec ")


# ---------------------------------------------------------------- what if


def test_what_if_reports_a_changed_severity_and_the_rules_behind_it(mini_rulebook):
    """Both rules conclude that the function cannot be taken back; once the client is known to
    have kept its skills, only the medium one holds: same finding, less serious, one rule, and that
    rule's advice."""
    before = _mini(mini_rulebook, _staff(return_clause="no"))
    (finding,) = before.findings
    assert finding.severity.value == "high" and sorted(finding.rules) == ["cannot-operate", "cannot-operate-no-skills"]
    after, delta = what_if(before, [Change("contract.staff.client_kept_skills", "yes")])
    assert delta.appeared == () and delta.disappeared == () and not delta.empty
    ((old, new),) = delta.changed
    assert (old.severity.value, new.severity.value) == ("high", "medium")
    assert new.rules == ("cannot-operate-no-skills",)
    entry = delta.to_dict("en")["changed"][0]
    assert entry["id"] == "cannot_operate" and (entry["before"], entry["after"]) == ("high", "medium")
    assert entry["changes"]["severity"] == ["high", "medium"]
    assert [sorted(r) for r in entry["changes"]["rules"]] == [["cannot-operate", "cannot-operate-no-skills"], ["cannot-operate-no-skills"]]
    # the advice follows the severity: the documentation rule's while it is high, the staff rule's after
    assert set(entry["changes"]) == {"severity", "rules", "recommendation"}
    assert entry["changes"]["recommendation"] == ["Accept the documents.", "Provide for return."]
    # the other way round, a finding that appears
    _, back = what_if(after, [Change("contract.staff.client_kept_skills", "no")])
    assert [(a.severity.value, b.severity.value) for a, b in back.changed] == [("medium", "high")]
    _, gone = what_if(before, [Change("contract.staff.client_kept_skills", "yes"), Change("contract.staff.return_clause", "yes")])
    assert [f.id for f in gone.disappeared] == ["cannot_operate"] and gone.appeared == () and gone.changed == ()
    assert gone.to_dict("en")["disappeared"][0]["id"] == "cannot_operate"
    _, came = what_if(after, [Change("contract.staff.return_clause", "yes"), Change("contract.staff.client_kept_skills", "unknown")])
    assert sorted(f.id for f in came.appeared) == ["skills_not_evidenced", "skills_unknown"]
    assert [f.id for f in came.disappeared] == ["cannot_operate"]
    assert [f["title"] for f in came.to_dict("fr")["appeared"]] == ["Compétences non établies", "Compétences inconnues"]


def test_compare_lists_findings_in_id_order():
    before = _bundled("s7-donor-database")
    emptied = attrs.evolve(before, findings=())
    delta = compare(emptied, before)
    assert [f.id for f in delta.appeared] == sorted(f.id for f in before.findings)
    assert [f.id for f in compare(before, emptied).disappeared] == sorted(f.id for f in before.findings)


def test_changes_are_applied_by_id_by_index_and_appended(mini_rulebook):
    case = load_case(_mini_data())
    by_id = apply_changes(case, [Change("contract.documents[manual].planned_initial", "no")])
    assert [d.planned_initial.value for d in by_id.contract.documents] == ["yes", "no"]
    by_index = apply_changes(case, [Change("contract.documents[0].planned_initial", "no")])
    assert [d.planned_initial.value for d in by_index.contract.documents] == ["no", "yes"]
    whole = apply_changes(case, [Change("contract.documents[1]", {"id": "manual", "title": "New", "planned_initial": "no"})])
    assert whole.contract.documents[1].title == "New"
    event = {"id": "e3", "date": "2020-08-01", "kind": "accepted", "ref": "manual"}
    added = apply_changes(case, [Change("history[+]", event)])
    assert [e.id for e in added.history] == ["e1", "e2", "e3"]
    nested = apply_changes(case, [Change("contract.reversibility.transition_months", 6)])
    assert nested.contract.reversibility.transition_months == 6
    assert case.contract.reversibility.transition_months is None  # the original is untouched
    assert str(Change("history[+]", event)) == "history[+]: accepted (ref=manual)"
    assert str(Change("history[+]", {"id": "x", "date": "2020-01-01", "kind": "notice"})) == "history[+]: notice"
    assert str(Change("contract.staff.return_clause", "no")) == "contract.staff.return_clause=no"


@pytest.mark.parametrize(("path", "message"), [
    ("contract.documents[nope].planned_initial", "expected an index or an id of documents, got 'nope'"),
    ("contract.documents[2].planned_initial", "expected an index or an id of documents, got '2'"),
    ("contract.Documents.x", "expected a case-file path such as contract.reversibility.transition_months"),
    ("contract.staff.return_clause.deeper", "expected a case-file path"),
])
def test_a_path_that_leads_nowhere_is_a_case_error_naming_it(path, message):
    with pytest.raises(CaseError) as caught:
        apply_changes(load_case(_mini_data()), [Change(path, "no")])
    assert caught.value.path == path and message in caught.value.expected


def test_an_assignment_reads_its_value_as_yaml():
    assert parse_assignment("contract.staff.return_clause=yes") == Change("contract.staff.return_clause", "yes")
    assert parse_assignment("contract.staff.return_clause=false") == Change("contract.staff.return_clause", "no")
    assert parse_assignment(" contract.term_months = 12") == Change("contract.term_months", 12)
    assert parse_assignment("contract.object_detail=") == Change("contract.object_detail", "")
    assert parse_assignment("contract.objectives=[run_down]") == Change("contract.objectives", ["run_down"])
    for bad in ("contract.term_months", "=12", " =12"):
        with pytest.raises(CaseError) as caught:
            parse_assignment(bad)
        assert caught.value.file == "--set" and caught.value.expected == "expected PATH=VALUE"
    with pytest.raises(CaseError) as caught:
        parse_assignment("contract.term_months=[1")
    assert caught.value.file == "--set" and caught.value.path == "contract.term_months"


def test_a_patch_file_is_a_mapping_of_paths_to_values(tmp_path):
    patch = tmp_path / "patch.yaml"
    patch.write_text("contract.staff.return_clause: no\ncontract.term_months: 12\n", encoding="utf-8")
    assert load_patch(str(patch)) == [Change("contract.staff.return_clause", "no"), Change("contract.term_months", 12)]
    patch.write_text("- contract.term_months\n", encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        load_patch(str(patch))
    assert caught.value.expected == "expected a mapping from case-file paths to values" and caught.value.file == str(patch)


def test_each_fact_attribute_is_found_where_the_case_file_keeps_it():
    assessment = _bundled("s7-donor-database")
    contract = next(f for f in assessment.run.facts if f["type"] == "contract")
    assert target(contract, "reversibility_transition_months") == ("contract.reversibility.transition_months", int)
    assert target(contract, "staff_return_clause")[0] == "contract.staff.return_clause"
    assert target(contract, "transition_total_days") == ("contract.reversibility.transition_days", int)
    assert target(contract, "years_since_revision") is None  # computed: no single field to change
    assert target(contract, "object") is None  # what was outsourced is not something a party changes
    assert target(contract, "object", actionable=False)[0] == "contract.object"
    data = next(f for f in assessment.run.facts if f["type"] == "data")
    assert target(data, "receiver_has_dbms")[0] == f"contract.data[{data['id']}].receiver_has_dbms"
    assert target(data, "no_such_field") is None
    event = next(f for f in assessment.run.facts if f["type"] == "event")
    assert target(event, "kind") is None


def test_the_candidate_changes_each_break_one_condition(mini_rulebook):
    """Three ways to remove the finding: the client keeps its skills, the manual is not a
    deliverable of the initial period, or it is accepted."""
    assessment = _mini(mini_rulebook)
    candidates = candidate_changes(assessment, "cannot_operate")
    assert sorted(map(str, candidates)) == [
        "contract.documents[manual].planned_initial=no",
        "contract.staff.client_kept_skills=yes",
        "history[+]: accepted (ref=manual)",
    ]
    event = next(c for c in candidates if c.path == "history[+]").value
    assert event["date"] == "2024-01-01"  # as of the case's date
    solutions = minimal_changes(assessment, "cannot_operate")
    assert sorted(str(c) for (c,) in solutions) == sorted(map(str, candidates))


def test_removing_a_conclusion_drawn_twice_needs_one_change_per_justification(mini_rulebook):
    """With two documents never accepted, the documentation is unreliable twice over: each
    smallest remedy deals with both, one change each, and no single change is enough."""
    assessment = _mini(mini_rulebook, lambda d: d.__setitem__("history", []))
    assert sorted(assessment.run.conclusions) == [
        "cannot_operate", "doc_not_accepted@manual", "doc_not_accepted@runbook", "documentation_unreliable",
    ]
    solutions = minimal_changes(assessment, "documentation_unreliable")
    assert len(solutions) == 4 and all(len(s) == 2 for s in solutions)
    for solution in solutions:
        touched = sorted("manual" if "manual" in str(c) else "runbook" for c in solution)
        assert touched == ["manual", "runbook"]
        assert "documentation_unreliable" not in assess(apply_changes(assessment.case, solution), assessment.rulebook).run.conclusions
    assert minimal_changes(assessment, "documentation_unreliable", max_size=1) == []
    # the finding itself: the client keeping its skills is the one single change
    assert [tuple(map(str, s)) for s in minimal_changes(assessment, "cannot_operate")] == [("contract.staff.client_kept_skills=yes",)]
    search = remove_search(assessment, "documentation_unreliable", budget=1)
    assert search.cut and search.tried == 1 and search.solutions == ()
    full = remove_search(assessment, "documentation_unreliable")
    assert not full.cut and full.tried >= 4


def test_the_what_if_remove_verb_prints_the_smallest_changes():
    from click.testing import CliRunner

    from reversibility_kb.cli.main import main

    result = CliRunner().invoke(main, ["what-if", "real-parler-aws-suspension", "--remove", "brutal_reversibility", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert "transition_services" in result.output


# ---------------------------------------------------------------- questions


def _with_questions(rulebook: Rulebook, *paths: str) -> Rulebook:
    bundled = default_rulebook().questions
    return attrs.evolve(rulebook, questions={p: bundled[p] for p in paths})


def test_a_question_is_weighed_by_the_findings_its_answers_would_change(mini_rulebook):
    """Staff transferred with no return clause, skills unknown: 'no' would make the finding high
    (8) and both answers settle the 'skills unknown' note (1). What the file records (the return
    clause, the transfer) is never asked; an acceptance would change no finding, so it is not asked."""
    rulebook = _with_questions(mini_rulebook, "contract.staff.client_kept_skills", "contract.staff.return_clause",
                               "contract.staff.transferred", "history[].accepted")
    assessment = _mini(rulebook, _staff(return_clause="no", client_kept_skills="unknown"))
    found = checklist(assessment)
    assert not found.cut and found.tried >= 2
    (question,) = found.questions
    assert question.path == "contract.staff.client_kept_skills"
    assert question.weight == 9 and question.findings == ("cannot_operate", "skills_unknown")
    assert question.holder == "client"
    answers = {a.value: a for a in question.answers}
    assert set(answers) == {"yes", "no"}
    assert answers["no"].lost == ("skills_unknown",) and answers["no"].gained == ()
    assert answers["no"].changed == (("cannot_operate", "medium", "high"),)
    assert answers["yes"].lost == ("skills_unknown",) and answers["yes"].changed == ()
    assert question.to_dict("en")["answers"][1]["changed"] == [{"id": "cannot_operate", "before": "medium", "after": "high"}]
    lines = answer_lines(question, "en")
    assert "Answer “no”: removes `skills_unknown`; changes the severity of `cannot_operate` (medium → high)" in lines
    assert "Answer “yes”: removes `skills_unknown`" in lines
    french = stakes_text(question, "fr")
    assert "Réponse « non »\u202f: retire `skills_unknown`\u202f; change la gravité de `cannot_operate`" in french
    assert french.startswith(f"Pièce demandée\u202f: {question.document.fr}\n")
    assert stakes_text(question, "en").splitlines()[1].startswith("Holds the answer: ")


def test_a_missing_record_is_asked_for_when_it_would_change_a_finding(mini_rulebook):
    """The manual was never accepted and the client kept no skills: its acceptance would remove
    the high finding and leave the skills not evidenced (low) in its place (yes); the file as it
    stands keeps it (no). Weight: 8 + 2."""
    rulebook = _with_questions(mini_rulebook, "history[].accepted", "contract.staff.client_kept_skills")
    (question,) = questions(_mini(rulebook))
    assert question.path == "history[].accepted" and question.findings == ("cannot_operate", "skills_not_evidenced")
    assert question.weight == 10
    assert "Manual" in question.text.en and "{item}" not in question.text.en + question.document.fr
    assert [(a.value, a.lost, a.gained) for a in question.answers] == [
        ("yes", ("cannot_operate",), ("skills_not_evidenced",)), ("no", (), ()),
    ]
    assert answer_lines(question, "en")[1] == "Answer “no”: no finding changes"
    # once the acceptance is on file, with its result, it is not asked again
    recorded = _mini(rulebook, lambda d: d["history"].append(
        {"id": "e3", "date": "2020-08-01", "kind": "accepted", "ref": "manual", "outcome": "failed"}))
    assert [q.path for q in questions(recorded)] == []


def test_questions_are_ordered_by_stake_then_breadth():
    assessment = _bundled("control-unknowns")
    ranked = questions(assessment)
    keys = [(-q.weight, -len(q.findings), q.path, q.text.en) for q in ranked]
    assert keys == sorted(keys) and len(ranked) >= 3
    severity = {f.id: f.severity for f in assessment.findings}
    for question in ranked:
        assert question.weight >= len(question.findings)
        for answer in question.answers:
            for finding in answer.lost:
                assert finding in severity  # only what the case concludes can be lost
    small = checklist(assessment, budget=1)
    assert small.cut and small.tried == 1


def test_questions_never_ask_for_a_known_value():
    for case_id in ("s7-donor-database", "control-unknowns", "real-ump-oracle-crm-export"):
        assessment = _bundled(case_id)
        case = assessment.case
        for question in questions(assessment):
            if question.path.startswith("history"):
                continue
            node: Any = case
            for step in question.path.split("."):
                name, _, selector = step.partition("[")
                node = getattr(node, name)
                if selector:
                    node = next(item for item in node if item.id == selector[:-1])
            assert node is None or getattr(node, "value", node) == "unknown", (case_id, question.path)


# ---------------------------------------------------------------- facts


def _rich_case() -> dict[str, Any]:
    return {
        "id": "rich",
        "title": {"fr": "Cas riche", "en": "Rich case"},
        "as_of": "2024-01-01",
        "parties": [
            {"id": "client", "role": "client", "name": "Client"},
            {"id": "provider", "role": "provider", "name": "Provider"},
            {"id": "succ", "role": "successor", "name": "Successor"},
            {"id": "bank", "role": "prime_contractor", "name": "Bank"},
        ],
        "contract": {
            "id": "c1",
            "signed_on": "2015-03-10",
            "object": "services",
            "other_objects": ["services", "infrastructure"],
            "client": "client",
            "provider": "provider",
            "successor": "succ",
            "successors": ["succ"],
            "reversibility": {"transition_months": 3, "migration_estimated_days": 120, "condition_controlled_by": "provider",
                              "data_volume_gb": 5},
            "tools": [
                {"id": "t1", "name": "Monitor", "purpose": "monitoring", "owner": "provider"},
                {"id": "t2", "name": "Scheduler", "purpose": "operation", "owner": "provider"},
                {"id": "t3", "name": "Backup", "purpose": "operation", "owner": "client"},
            ],
            "documents": [
                {"id": "d1", "title": "Runbook", "planned_initial": "yes"},
                {"id": "d2", "title": "Manual"},
            ],
            "assets": [{"id": "a1", "name": "Servers", "owner": "provider"}],
            "data": [{"id": "files", "name": "Files", "backup_location": "same_site"}],
            "phases": [{"id": "p1", "name": "Pooling", "order": 1, "duration_months": 12}],
            "scope": [{"id": "s1", "name": "Helpdesk", "settled_by_contract": "yes"}],
            "objectives": ["missing_skills"],
            "margin_levers": ["pooling"],
        },
        "history": [
            {"id": "org", "date": "2016-01-01", "kind": "organisation_change"},
            {"id": "acc1", "date": "2016-06-01", "kind": "accepted", "ref": "d1", "by": "client"},
            {"id": "tech1", "date": "2017-01-01", "kind": "technology_change"},
            {"id": "amend", "date": "2017-05-01", "kind": "amendment"},
            {"id": "sla", "date": "2018-02-01", "kind": "sla_revision"},
            {"id": "acc2", "date": "2018-06-01", "kind": "accepted", "ref": "d1", "by": "client"},
            {"id": "fail", "date": "2019-01-01", "kind": "project_failed"},
            {"id": "warn", "date": "2019-01-01", "kind": "warning", "by": "provider", "against": "client"},
            {"id": "tech2", "date": "2019-06-01", "kind": "technology_change"},
            {"id": "scope", "date": "2020-01-01", "kind": "scope_change"},
            {"id": "buy", "date": "2020-02-01", "kind": "ownership_transfer", "ref": "t1", "to": "client"},
            {"id": "sell", "date": "2020-03-01", "kind": "ownership_transfer", "ref": "t3", "to": "bank"},
            {"id": "notice1", "date": "2021-03-10", "kind": "notice", "by": "client", "against": "provider"},
            {"id": "notice2", "date": "2021-04-01", "kind": "notice", "by": "client"},
            {"id": "dispute", "date": "2021-06-01", "kind": "dispute", "by": "provider"},
            {"id": "end", "date": "2021-09-10", "kind": "termination", "by": "client"},
        ],
    }


def _rich_facts() -> dict[str, dict[str, Any]]:
    return {f["id"]: f for f in case_facts(load_case(_rich_case()))}


def test_the_contract_fact_carries_what_rules_compare_across_facts():
    contract = _rich_facts()["c1"]
    assert contract["type"] == "contract" and contract["signed_year"] == 2015
    assert contract["successor_named"] == "yes" and contract["successor_count"] == 1  # named twice, one successor
    assert contract["object_count"] == 2  # services listed again is not another object
    assert contract["transition_total_days"] == 90  # three months of thirty days
    assert contract["migration_exceeds_transition"] == "yes"  # 120 days of work in 90
    assert contract["reversibility_condition_controlled_by_role"] == "provider"
    # judged when the exit began (the first notice, 10 March 2021), six years to the day
    assert contract["years_since_signature"] == 6
    assert contract["years_since_revision"] == 3  # last revision: the SLA of 1 February 2018
    assert contract["revisions"] == 2
    assert contract["technology_changes"] == 2 and contract["technology_changes_since_revision"] == 1
    assert contract["changes_since_revision"] == 2  # the 2019 technology change and the 2020 scope change
    assert (contract["tool_count"], contract["document_count"], contract["phase_count"], contract["asset_count"]) == (3, 2, 1, 1)
    assert contract["reversibility_transition_months"] == 3 and "reversibility_transition_days" not in contract
    for left_out in ("signed_on", "client", "provider", "successor", "object_detail", "reversibility_data_volume_gb",
                     "exhibits", "reversibility_exhibits", "objectives"):
        assert left_out not in contract
    assert contract["object"] == "services" and contract["staff_transferred"] == "unknown"


def test_the_dates_rules_are_judged_by_are_day_numbers():
    contract = _rich_facts()["c1"]
    assert contract["signature_day"] == day_number(datetime.date(2015, 3, 10))
    assert contract["notice_day"] == day_number(datetime.date(2021, 3, 10))  # the first notice
    assert contract["termination_day"] == day_number(datetime.date(2021, 9, 10))
    assert contract["as_of_day"] == day_number(datetime.date(2024, 1, 1))
    assert contract["exit_day"] == contract["termination_day"]
    quiet = _rich_case()
    quiet["history"] = [e for e in quiet["history"] if e["kind"] not in ("notice", "termination")]
    facts = {f["id"]: f for f in case_facts(load_case(quiet))}["c1"]
    assert "notice_day" not in facts and "termination_day" not in facts
    assert facts["exit_day"] == facts["as_of_day"]
    # no exit yet: judged as of the case's date; no revision: since signature
    assert facts["years_since_signature"] == 8 and facts["years_since_revision"] == 5


@pytest.mark.parametrize(("signed", "exit_on", "years"), [
    ("2015-03-10", "2021-03-10", 6), ("2015-03-10", "2021-03-09", 5), ("2015-03-10", "2021-02-28", 5),
    ("2015-03-10", "2021-04-01", 6), ("2015-03-10", "2015-03-10", 0),
])
def test_whole_years_are_counted_to_the_day(signed, exit_on, years):
    data = _mini_data(lambda d: (d["contract"].update(signed_on=signed), d.__setitem__("history", [
        {"id": "n", "date": exit_on, "kind": "notice"}])))
    contract = case_facts(load_case(data))[0]
    assert contract["years_since_signature"] == years and contract["years_since_revision"] == years


def test_transition_days_win_over_months_and_an_unknown_length_is_left_out():
    def facts(**reversibility: Any) -> dict[str, Any]:
        return case_facts(load_case(_mini_data(lambda d: d["contract"].update(reversibility=reversibility))))[0]

    assert facts(transition_days=45, transition_months=3)["transition_total_days"] == 45
    assert facts(transition_days=0)["transition_total_days"] == 0
    unknown = facts()
    assert "transition_total_days" not in unknown and unknown["migration_exceeds_transition"] == "unknown"
    assert facts(transition_days=120, migration_estimated_days=120)["migration_exceeds_transition"] == "no"
    assert facts(transition_days=119, migration_estimated_days=120)["migration_exceeds_transition"] == "yes"
    assert facts(migration_estimated_days=120)["migration_exceeds_transition"] == "unknown"
    bare = case_facts(load_case(_mini_data(lambda d: d["contract"].pop("staff"))))[0]
    assert bare["successor_named"] == "no" and bare["successor_count"] == 0 and bare["object_count"] == 1
    assert "reversibility_condition_controlled_by_role" not in bare


def test_tools_and_assets_say_who_holds_them_now():
    facts = _rich_facts()
    assert (facts["t1"]["owner"], facts["t1"]["owner_now"], facts["t1"]["ownership_changed"]) == ("provider", "client", "yes")
    assert (facts["t2"]["owner_now"], facts["t2"]["ownership_changed"]) == ("provider", "no")
    assert facts["t3"]["owner_now"] == "third_party"  # sold to a party that is none of the three
    assert facts["t1"]["type"] == "tool" and facts["t1"]["purpose"] == "monitoring"
    assert facts["a1"]["type"] == "asset" and facts["a1"]["owner_now"] == "provider"


def test_a_document_counts_the_changes_since_it_was_last_accepted():
    facts = _rich_facts()
    assert facts["d1"]["changes_since_accepted"] == 2  # accepted again in 2018; 2019 and 2020 changes since
    assert "changes_since_accepted" not in facts["d2"]  # never accepted
    assert facts["d1"]["type"] == "document" and facts["d1"]["planned_initial"] == "yes"


def test_each_event_knows_whether_it_came_before_the_claims_and_after_the_turning_points():
    facts = _rich_facts()
    assert facts["warn"]["before_claims"] == "yes" and facts["notice2"]["before_claims"] == "yes"
    assert facts["dispute"]["before_claims"] == "no" and facts["end"]["before_claims"] == "no"
    assert facts["fail"]["after_project_failure"] == "no"  # the failure itself is not after it
    assert facts["warn"]["after_project_failure"] == "yes"  # the same day counts
    assert facts["acc2"]["after_project_failure"] == "no" and facts["end"]["after_project_failure"] == "yes"
    assert facts["org"]["after_organisation_change"] == "no" and facts["acc1"]["after_organisation_change"] == "yes"
    warn = facts["warn"]
    assert (warn["by_role"], warn["against_role"], warn["type"]) == ("provider", "client", "event")
    assert (warn["date"], warn["year"]) == ("2019-01-01", 2019)
    assert facts["buy"]["to_role"] == "client" and "to_role" not in warn and "against_role" not in facts["notice2"]
    assert "note" not in warn and warn["kind"] == "warning"
    no_claims = _rich_case()
    no_claims["history"] = [e for e in no_claims["history"] if e["kind"] not in ("dispute", "project_failed")]
    quiet = {f["id"]: f for f in case_facts(load_case(no_claims))}
    assert quiet["end"]["before_claims"] == "yes" and quiet["end"]["after_project_failure"] == "no"


def test_objectives_and_margin_levers_are_facts_of_their_own():
    facts = case_facts(load_case(_mini_data(lambda d: d["contract"].update(
        objectives=["run_down", "missing_skills"], margin_levers=["pooling"]))))
    assert [f["id"] for f in facts[:4]] == ["c1", "objective:run_down", "objective:missing_skills", "margin:pooling"]
    assert facts[1] == {"type": "objective", "id": "objective:run_down", "kind": "run_down"}
    assert facts[3] == {"type": "margin", "id": "margin:pooling", "lever": "pooling"}
    assert [f["type"] for f in facts[4:]] == ["party", "party", "document", "document", "event", "event"]


def test_every_attribute_a_fact_carries_is_one_a_rule_may_test():
    table = fact_attributes()
    facts = case_facts(load_case(_rich_case()))
    assert {f["type"] for f in facts} == set(table) - {"conclusion"}  # every kind of fact, once at least
    for fact in facts:
        assert set(fact) <= table[fact["type"]], (fact["id"], set(fact) - table[fact["type"]])
    by_id = {f["id"]: f for f in facts}
    assert by_id["p1"]["duration_months"] == 12 and by_id["s1"]["settled_by_contract"] == "yes"
    assert by_id["files"]["backup_location"] == "same_site" and by_id["files"]["type"] == "data"
    assert {"before_claims", "after_project_failure", "after_organisation_change", "by_role", "date"} <= table["event"]
    assert {"owner_now", "ownership_changed"} <= table["tool"] & table["asset"]
    assert "changes_since_accepted" in table["document"] and table["conclusion"] == {"id", "type", "kind", "about"}
    assert "note" not in table["event"] and "signed_on" not in table["contract"]


# ---------------------------------------------------------------- the finer points, one by one


def test_why_shows_an_unknown_value_and_never_a_join_test_as_a_value():
    """The HMRC transition's length is not known: the rule that asks for it shows 'unknown'; the
    failed restore test at the Red Cross is cited by its kind and result, not by the data it is about."""
    hmrc = _bundled("real-hmrc-aspire-exit")
    step = next(s for s in why(hmrc, "transition_period_to_establish").steps if s.rule.id == "transition-period-unknown")
    assert step.values == (("aspire", "transition_total_days", "unknown"),)
    s7 = _bundled("s7-donor-database")
    (step,) = why(s7, "backup_restore_failed@donors").steps
    assert step.values == (("e-restore", "kind", "restore_test"), ("e-restore", "outcome", "failed"))


def test_why_not_says_join_when_each_condition_holds_on_unrelated_facts():
    """The files' backups were on the production site, and mail was lost: no loss of *those*
    files is recorded, so the rule on backups lost with production does not fire, by the join."""
    assessment = assess(load_case(_mini_data(lambda d: (
        d["contract"].update(data=[{"id": "files", "name": "Files", "backup_location": "same_site"},
                                   {"id": "mail", "name": "Mail", "backup_location": "separate_site"}]),
        d["history"].append({"id": "loss", "date": "2021-01-01", "kind": "data_loss", "ref": "mail"})))))
    answer = why_not(assessment, "backups-lost-with-production")
    assert [(g.status, g.facts) for g in answer.gaps] == [("join", ("files",)), ("join", ("loss",))]
    assert "each condition is met, but not by facts linked to one another" in why_not_text(answer, "en")
    # a negated condition keeps its own status: the runbook was delivered, the manual is planned,
    # nothing was accepted, yet the delivered document is not the planned one
    unlinked = assess(load_case(_mini_data(lambda d: (
        d["contract"]["documents"][0].update(planned_initial="no"),
        d.__setitem__("history", [d["history"][0]])))))
    statuses = [(g.status, g.pattern.negated) for g in why_not(unlinked, "planned-document-not-accepted").gaps]
    assert statuses == [("join", False), ("join", False), ("met", True)]


def test_why_not_a_failed_condition_after_a_met_one_and_the_facts_of_a_blocked_one(mini_rulebook):
    kept = _mini(mini_rulebook, _staff(client_kept_skills="yes"))
    answer = why_not(kept, "cannot-operate")
    assert [g.status for g in answer.gaps] == ["met", "failed"]
    text = why_not_text(answer, "en")
    assert text.startswith("`cannot-operate` (S6.c, S4.a) did not fire: Cannot operate\n")
    assert "    facts: `documentation_unreliable`\n" in text
    assert text.count("facts:") == 1  # a failed condition lists its failing values, not "facts"
    french = why_not_text(answer, "fr")
    assert "    faits\u202f: `documentation_unreliable`\n" in french
    assert "- la situation contractuelle avec" in french or "\u202f: non satisfaite" in french
    assert "    `c1`\u202f: " in french
    accepted = _mini(mini_rulebook, lambda d: d["history"].append(
        {"id": "e3", "date": "2020-08-01", "kind": "accepted", "ref": "manual", "by": "client"}))
    blocked = why_not_text(why_not(accepted, "doc-not-accepted"), "en")
    assert "    facts: `e2`, `e3`\n" in blocked or "    facts: `e3`, `e2`\n" in blocked
    assert "    facts: `manual`, `runbook`\n" in blocked or "    facts: `runbook`, `manual`\n" in blocked
    missing = why_not_text(why_not(accepted, "cannot-operate"), "fr")
    assert "    conclue par\u202f: `documentation-unreliable`\n" in missing
    assert why_not_text(why_not(_mini(mini_rulebook), "cannot-operate"), "fr").startswith(
        "`cannot-operate` (S6.c, S4.a) a conclu\u202f: Reprise impossible\n")
    data = why_not(accepted, "doc-not-accepted").to_dict("fr")
    assert data["title"] == "Document non recetté"
    assert data["conditions"][0]["condition"].startswith("un document avec ")
    assert data["conditions"][1]["condition"].startswith("rien n'établit l'existence d'un événement")
    # with no acceptance in the file the negated condition is met, by no fact at all
    (_, negated) = why_not(_mini(mini_rulebook, lambda d: d.__setitem__("history", [])), "doc-not-accepted").gaps
    assert (negated.status, negated.facts) == ("met", ())


def test_a_failed_join_condition_lists_only_the_tests_on_values():
    """No data loss is recorded at all: the loss condition fails on the kind of each event, and
    the link to the data is not a test a value can fail."""
    assessment = assess(load_case(_mini_data(lambda d: d["contract"].update(
        data=[{"id": "files", "name": "Files", "backup_location": "same_site"}]))))
    gaps = why_not(assessment, "backups-lost-with-production").gaps
    assert [g.status for g in gaps] == ["met", "failed"]
    assert {t.attribute for _, t, _ in gaps[1].failed_tests} == {"kind"}
    assert sorted(f for f, _, _ in gaps[1].failed_tests) == ["e1", "e2"]


@pytest.mark.parametrize(("rule", "en", "fr"), [
    ("margin-from-tool-lock-in", "not met: no margin lever in the file", "aucun fait «\u202flevier de marge\u202f»"),
    ("backups-lost-with-production", "not met: no body of data in the file", "aucun fait «\u202fensemble de données\u202f»"),
])
def test_why_not_names_the_kind_of_fact_the_file_lacks(rule, en, fr):
    answer = why_not(_bundled("control-unknowns") if rule.startswith("margin") else assess(load_case(_mini_data())), rule)
    assert "absent" in [g.status for g in answer.gaps]
    assert en in why_not_text(answer, "en") and fr in why_not_text(answer, "fr")


def test_why_not_names_an_event_or_a_phase_the_file_lacks():
    from reversibility_kb.tools.explaining import _absent

    assert _absent(Pattern("e", "event", ()), "en") == "not met: no event in the file"
    assert _absent(Pattern("p", "phase", ()), "fr") == "non satisfaite\u202f: le dossier ne contient aucun fait «\u202fphase\u202f»"
    assert _absent(Pattern("o", "objective", ()), "en") == "not met: no initial objective in the file"


def test_why_in_french_and_as_json_carries_the_rules_own_words_and_period():
    answer = why(_mini(_mini_rulebook()), "cannot_operate")
    french = why_text(answer, "fr")
    assert "      `c1`\u202f: " in french and "    à partir de\u202f: `" in french
    assert answer.to_dict("fr")["steps"][-1]["rationale"] == "Pas de documentation."
    line = next(x for x in why_text(answer, "en").splitlines() if x.startswith("    from: `c1`") or x.startswith("    from: `documentation"))
    assert sorted(line.removeprefix("    from: ").split(", ")) == ["`c1`", "`documentation_unreliable`"]
    dated = why(_bundled("pack-bank-exit-2024-staff"), "eba_exit_plan_untested")
    assert dated.to_dict("en")["steps"][0]["in_force"] == dated.steps[0].rule.in_force.to_dict()
    assert dated.to_dict("en")["steps"][0]["in_force"]["from"] == "2019-09-30"
    assert "en vigueur" in why_text(dated, "fr")


def _mini_rulebook() -> Rulebook:
    from reversibility_kb import load_rulebook

    return load_rulebook(DATA / "mini_rulebook")


def test_values_read_with_the_attributes_own_labels():
    """Enumeration values and references read in the attribute's own words in French."""
    assert describe_test(Condition("backup_location", "eq", "same_site"), "fr") != describe_test(
        Condition("backup_location", "eq", "same_site"), "en")
    label = describe_test(Condition("backup_mode", "eq", "physical"), "fr")
    assert label == "le mode de sauvegarde = physique"
    assert describe_test(Condition("backup_mode", "not", "physical"), "fr") == "le mode de sauvegarde ≠ physique"
    other = describe_test(Condition("owner_now", "ref", ("tool", "owner")), "fr")
    assert other.endswith(" de `tool`") and "owner" not in other.split("=")[1]


@pytest.mark.parametrize(("test", "kind", "values"), [
    (Condition("backup_mode", "eq", "physical"), "BackupMode", ["logical"]),
    (Condition("staff_return_clause", "eq", "no"), "Tri", ["yes"]),
    (Condition("staff_return_clause", "not", "yes"), "Tri", ["yes"]),
    (Condition("backup_location", "in", ["same_site", "unspecified"]), "BackupLocation", ["separate_site", "independent"]),
    (Condition("transition_total_days", "lt", 90), int, [90]),
    (Condition("transition_total_days", "gt", 90), int, [90]),
    (Condition("transition_total_days", "lte", 90), int, [91]),
    (Condition("transition_total_days", "gte", 90), int, [89]),
    (Condition("transition_total_days", "gte", 0), int, []),
    (Condition("reversibility_transition_months", "exists", False), int, [6]),
    (Condition("reversibility_transition_months", "exists", True), int, []),
    (Condition("successor_count", "eq", 0), int, [1]),
])
def test_each_proposed_value_makes_the_condition_fail(test, kind, values):
    """The values a what-if search tries: each one fails the condition; none is 'unknown'."""
    from reversibility_kb.case import model
    from reversibility_kb.tools.whatif import _falsify

    kind = getattr(model, kind) if isinstance(kind, str) else kind
    assert list(_falsify(test, kind)) == values


def test_removing_a_finding_on_an_objective_a_lever_or_an_old_contract():
    """HMRC outsourced to get skills it lacked: dropping that objective is one way to remove the
    finding that it takes the function back without them; an amendment as of the case's date is
    the way to make the contract less outdated; dropping the margin lever, the other."""
    assessment = _bundled("real-hmrc-aspire-exit")
    assert [c.value for c in assessment.case.contract.objectives] == ["missing_skills"]
    candidates = candidate_changes(assessment, "outsourced_for_skills_takes_back")
    assert Change("contract.objectives", []) in candidates
    outdated = candidate_changes(assessment, "contract_outdated")
    assert outdated == [Change("history[+]", {"id": "what-if-amendment", "date": "2016-06-30", "kind": "amendment"})]
    assert [tuple(map(str, s)) for s in minimal_changes(assessment, "margin_from_outdated_contract")] == [
        ("history[+]: amendment",), ("contract.margin_levers=[]",),
    ]
    event = next(c for c in candidates if c.path == "history[+]")
    assert event.value["kind"] == "staff_returned" and event.value["id"].startswith("what-if-")


def test_the_remove_search_stops_at_its_budget_and_says_so():
    assessment = _bundled("real-hmrc-aspire-exit")
    search = remove_search(assessment, "outsourced_for_skills_takes_back", budget=1)
    assert search.cut and search.tried == 1 and len(search.solutions) <= 1
    full = remove_search(assessment, "outsourced_for_skills_takes_back")
    assert not full.cut and len(full.solutions) == 4 and full.tried == 4


def test_the_questions_name_the_item_they_are_about():
    """On the Red Cross file the questions about the donors' data name the donors' database."""
    checklist_ = questions(_bundled("s7-donor-database"))
    about = [q for q in checklist_ if q.path.startswith("contract.data[donors]")]
    assert about and all("{item}" not in q.text.en for q in about)
    names = {q.path: q.text.en for q in about}
    assessment = _bundled("s7-donor-database")
    donors = next(d for d in assessment.case.contract.data if d.id == "donors")
    assert any(donors.name in text for text in names.values())
    data = about[0].to_dict("fr")
    assert data["question"] == about[0].text.fr and data["document"] == about[0].document.fr
    assert data["path"] == about[0].path and data["weight"] == about[0].weight
    assert data["findings"] == list(about[0].findings) and data["holder"] == about[0].holder


def test_the_red_cross_brutal_exit_has_one_remedy_per_condition_and_the_restore_test_once():
    """Each candidate breaks one condition behind the brutal exit: logical backups, a deliverable
    specified by its use and a restore test, an open engine or one the receiver has, a passed
    restore test (found through two rules, proposed once), a transition of 90 or 180 days."""
    candidates = candidate_changes(_bundled("s7-donor-database"), "brutal_reversibility")
    assert sorted(map(str, candidates)) == [
        "contract.data[donors].backup_mode=logical",
        "contract.data[donors].dbms_proprietary=no",
        "contract.data[donors].receiver_has_dbms=yes",
        "contract.reversibility.deliverable.restore_test_required=yes",
        "contract.reversibility.deliverable.usability_specified=yes",
        "contract.reversibility.transition_days=180",
        "contract.reversibility.transition_days=90",
        "history[+]: restore_test (ref=donors, outcome=passed)",
    ]


def test_an_assignment_splits_at_the_first_equals_sign_and_names_what_failed():
    assert parse_assignment("contract.object_detail=a=b") == Change("contract.object_detail", "a=b")
    for bad in ("contract.term_months", "=12"):
        with pytest.raises(CaseError) as caught:
            parse_assignment(bad)
        assert caught.value.path == bad
    with pytest.raises(CaseError) as caught:
        parse_assignment("contract.term_months=[1")
    assert isinstance(caught.value.expected, str) and caught.value.expected.startswith("expected")


def test_a_patch_reads_booleans_as_yes_and_no(tmp_path):
    patch = tmp_path / "patch.json"
    patch.write_text('{"contract.staff.return_clause": true, "contract.staff.transferred": false}', encoding="utf-8")
    assert load_patch(str(patch)) == [Change("contract.staff.return_clause", "yes"), Change("contract.staff.transferred", "no")]
    patch.write_text("[1]", encoding="utf-8")
    with pytest.raises(CaseError) as caught:
        load_patch(str(patch))
    assert caught.value.path == ""


def test_a_changed_finding_reads_in_the_chosen_language():
    from reversibility_kb.case.model import Text

    before = _bundled("s7-donor-database")
    first = before.findings[0]
    advice = attrs.evolve(first, recommendation=Text(fr="Autre chose.", en="Something else."))
    delta = compare(before, attrs.evolve(before, findings=(advice, *before.findings[1:])))
    entry = delta.to_dict("fr")["changed"][0]
    assert entry["changes"]["recommendation"] == [first.recommendation.fr, "Autre chose."]
    gone = compare(before, attrs.evolve(before, findings=before.findings[1:])).to_dict("fr")
    assert gone["disappeared"][0]["title"] == first.title.fr


def test_why_not_a_brutal_exit_for_hmrc_waits_on_the_unknown_length_of_the_transition():
    """The record does not give the transition's length: the rule on a too-short transition is
    not 'failed', it waits on that number, shown as unknown."""
    answer = why_not(_bundled("real-hmrc-aspire-exit"), "brutal-reversibility")
    assert [g.status for g in answer.gaps] == ["met", "unknown"]
    assert [(f, t.attribute, v) for f, t, v in answer.gaps[1].failed_tests] == [("aspire", "transition_total_days", "unknown")]
