"""The expert tools' answers on chosen real cases, pinned to what an expert would say.

Each expectation below is reasoned from the case's facts (and the public record behind them), not
read off the program: a wrong rule, a wrong chain or a wrong search would change it.
"""

from __future__ import annotations

import functools

from reversibility_kb import assess, load_case
from reversibility_kb.case.catalogue import bundled_cases
from reversibility_kb.tools.explaining import why, why_not
from reversibility_kb.tools.questions import questions
from reversibility_kb.tools.whatif import minimal_changes, parse_assignment, what_if

CASES = bundled_cases()


@functools.cache
def _assessment(case_id: str):
    return assess(load_case(CASES[case_id]))


def test_why_the_ump_export_is_a_commitment_not_delivered_rests_on_the_60_days_and_the_failed_export():
    answer = why(_assessment("real-ump-oracle-crm-export"), "contract_commitment_not_delivered")
    steps = {step.rule.id for step in answer.steps}
    assert "retrieval-period-export-failed" in steps
    assert {"crm-saas-2010", "e-export-fails"} <= set(answer.facts)
    tested = {(fact, attribute): value for step in answer.steps for fact, attribute, value in step.values}
    assert tested[("crm-saas-2010", "reversibility_retrieval_days")] == 60


def test_why_not_a_provider_failure_for_parler_a_suspension_is_not_a_failure():
    """AWS suspended the service; it did not fail: the record has no insolvency, administration
    or shutdown, and the expert says so rather than 'unknown'."""
    answer = why_not(_assessment("real-parler-aws-suspension"), "provider-failure-forces-exit")
    assert not answer.fired
    (gap,) = [g for g in answer.gaps if g.status != "met"]
    assert gap.status == "failed"
    assert ("e-suspended", "service_suspended") in {(fact, value) for fact, _, value in gap.failed_tests}


def test_what_would_have_avoided_a_brutal_exit_for_parler_is_the_provider_keeping_the_service_running():
    """Nothing in Parler's contract can be changed after the fact to soften a suspension for
    breach; what would have made the exit not brutal is a period of continued service."""
    solutions = minimal_changes(_assessment("real-parler-aws-suspension"), "brutal_reversibility")
    assert solutions, "a suspension without transition should be removable by a transition"
    assert all(len(s) == 1 for s in solutions)
    assert any(c.path == "history[+]" and c.value["kind"] == "transition_services" for (c,) in solutions)


def test_the_first_question_on_ump_is_the_length_of_the_transition():
    """With the export broken a month before the term, what decides whether the exit is brutal is
    how long the transition lasts: that is the question to put first, to the client."""
    first = questions(_assessment("real-ump-oracle-crm-export"))[0]
    assert first.path in ("contract.reversibility.transition_days", "contract.reversibility.transition_months")
    assert "brutal_reversibility" in first.findings


def test_hmrc_keeping_its_skills_would_remove_the_skills_findings_and_nothing_about_the_contract():
    before = _assessment("real-hmrc-aspire-exit")
    _, delta = what_if(before, [parse_assignment("contract.staff.client_kept_skills=yes")])
    gone = {f.id for f in delta.disappeared}
    assert {"reinternalisation_without_skills", "outsourced_for_skills_takes_back"} <= gone
    assert "contract_outdated" not in gone and "split_exit_coordination" not in gone


def test_unisuper_without_the_independent_copy_loses_its_mitigation():
    """The positive control: the mitigation rests on the copy held with another provider."""
    _, delta = what_if(
        _assessment("real-unisuper-google-cloud-deletion"),
        [parse_assignment("contract.data[member-systems].backup_location=same_site")],
    )
    assert "independent_backup_mitigated@member-systems" in {f.id for f in delta.disappeared}
