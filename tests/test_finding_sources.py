"""Where each part of a finding comes from: which rule speaks when several reach it, and which
receiver a lack of skills is about.

Two rules of the engine-test rulebook (tests/data/mini_rulebook) conclude that the function cannot
be taken back: ``cannot-operate`` (high: the documentation is unreliable and the client kept no
skills; advice: accept the documents) and ``cannot-operate-no-skills`` (medium: staff transferred
with no return clause; advice: provide for their return). When both fire, an expert defending the
finding before a judge must give the severity and the advice of the same rule, the more serious
one, and cite the seed points and rules of the art of both reasonings.

In a mixed exit part of the function comes back to the client and part goes to a successor: each
lacks the skills on its own facts, and each finding built on a lack is about one receiver.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from helpers import DATA, mini_rulebook_with

from reversibility_kb import assess, load_case, load_rulebook
from reversibility_kb.inference.assessment import GROUP_ABOVE, Assessment, Finding
from reversibility_kb.case.catalogue import bundled_cases
from reversibility_kb.tools.explaining import why
from reversibility_kb.inference.rulebook import Rulebook
from reversibility_kb.tools.variations import bundled_variations


def _case(**staff: str) -> Any:
    data = yaml.safe_load((DATA / "mini_case.yaml").read_text(encoding="utf-8"))
    data["contract"]["staff"].update(staff)
    return load_case(data)


def _both_fire(rulebook: Rulebook) -> Finding:
    """The manual was never accepted and the client kept no skills (the documentation rule), and the
    staff were transferred with no return clause (the staff rule): both conclude ``cannot_operate``."""
    assessment = assess(_case(return_clause="no"), rulebook)
    assert sorted(f.rule for f in assessment.run.firings if f.conclusion == "cannot_operate") == [
        "cannot-operate", "cannot-operate-no-skills",
    ]
    return assessment.finding("cannot_operate")


def _severities(high: str, low: str) -> Any:
    def change(rules: list[dict[str, Any]]) -> None:
        for rule in rules:
            if rule["id"] == high:
                rule["severity"] = "high"
            elif rule["id"] == low:
                rule["severity"] = "medium"
    return change


ADVICE = {
    "cannot-operate": {"fr": "Recetter.", "en": "Accept the documents."},
    "cannot-operate-no-skills": {"fr": "Prévoir le retour.", "en": "Provide for return."},
}
TITLE = {
    "cannot-operate": {"fr": "Reprise impossible", "en": "Cannot operate"},
    "cannot-operate-no-skills": {"fr": "Reprise impossible (compétences)", "en": "Cannot operate (skills)"},
}


@pytest.mark.parametrize(
    ("high", "low"),
    [("cannot-operate", "cannot-operate-no-skills"), ("cannot-operate-no-skills", "cannot-operate")],
    ids=["documentation-rule-severe", "staff-rule-severe"],
)
def test_the_severe_rule_gives_the_severity_the_texts_and_the_advice(tmp_path, high, low):
    """Whichever of the two rules is the severe one (and whichever the engine fires first), the high
    finding carries its title, rationale and advice, in French and in English, never the medium
    rule's."""
    finding = _both_fire(load_rulebook(mini_rulebook_with(tmp_path, _severities(high, low))))
    assert finding.severity.value == "high"
    assert finding.rule == high and finding.rules == (high, low)
    for lang in ("fr", "en"):
        assert finding.recommendation.in_(lang) == ADVICE[high][lang]
        assert finding.title.in_(lang) == TITLE[high][lang]
        data = finding.to_dict(lang)
        assert (data["rule"], data["severity"], data["recommendation"]) == (high, "high", ADVICE[high][lang])
        assert data["recommendation"] != ADVICE[low][lang]


def test_the_citations_keep_every_reasoning_that_reached_the_finding(mini_rulebook):
    """The staff rule cites S4.a; the documentation rule S6.c and S4.a and the rule of the art
    ``documentation-accepted``, its premises S6.c: the finding cites all of them, whichever rule
    speaks; with the documentation accepted, only the staff rule's S4.a remains."""
    finding = _both_fire(mini_rulebook)
    assert finding.rule == "cannot-operate" and finding.recommendation.en == "Accept the documents."
    assert finding.sources == ("S4.a", "S6.c") and finding.practices == ("documentation-accepted",)
    alone = assess(_case(return_clause="no", client_kept_skills="yes"), mini_rulebook).finding("cannot_operate")
    assert (alone.rule, alone.rules, alone.severity.value) == ("cannot-operate-no-skills", ("cannot-operate-no-skills",), "medium")
    assert alone.recommendation.fr == "Prévoir le retour." and alone.sources == ("S4.a",) and alone.practices == ()


def test_between_rules_of_the_same_severity_the_lowest_id_speaks(tmp_path):
    """Two high rules: the finding speaks with the one whose id comes first, not with the one the
    engine happened to fire first."""
    finding = _both_fire(load_rulebook(mini_rulebook_with(tmp_path, _severities("cannot-operate-no-skills", "x"))))
    assert finding.severity.value == "high"
    assert finding.rule == "cannot-operate" and finding.rules == ("cannot-operate", "cannot-operate-no-skills")
    assert finding.recommendation.en == "Accept the documents." and finding.title.fr == "Reprise impossible"


def _item_rules(rules: list[dict[str, Any]]) -> None:
    """Make ``doc-not-accepted`` a low finding, and add a high rule that reaches the same finding
    for a document written for the provider's own tools, with advice of its own."""
    first = rules[0]
    first.update(severity="low", recommendation={"fr": "Recetter le document.", "en": "Accept the document."})
    rules.append({
        "id": "doc-not-accepted-provider-specific",
        "title": {"fr": "Procédure propre au prestataire non recettée", "en": "Provider-specific procedure not accepted"},
        "rationale": {"fr": "Écrite pour ses outils.", "en": "Written for its tools."},
        "sources": ["S1.a"],
        "when": [
            {"doc": {"fact": "document", "planned_initial": "yes", "provider_specific": "yes"}},
            {"not": {"fact": "event", "kind": "accepted", "ref": {"ref": "doc.id"}}},
        ],
        "concludes": "doc_not_accepted",
        "about": "doc",
        "severity": "high",
        "recommendation": {"fr": "Réécrire la procédure.", "en": "Rewrite the procedure."},
    })


def test_a_finding_listing_items_speaks_with_its_most_serious_item(tmp_path):
    """More documents never accepted than a report lists one by one: the grouped finding is high
    because the third document is provider-specific, so it gives that rule's advice, not the low
    advice of the first document in the file."""
    rulebook = load_rulebook(mini_rulebook_with(tmp_path, _item_rules))
    data = yaml.safe_load((DATA / "mini_case.yaml").read_text(encoding="utf-8"))
    count = GROUP_ABOVE + 1
    data["contract"]["documents"] = [
        {"id": f"doc{i}", "title": f"Document {i}", "planned_initial": "yes", "provider_specific": "yes" if i == 3 else "no"}
        for i in range(count)
    ]
    data["history"] = []
    finding = assess(load_case(data), rulebook).finding("doc_not_accepted@*")
    assert finding.items == tuple(f"doc{i}" for i in range(count))
    assert finding.severity.value == "high" and finding.rule == "doc-not-accepted-provider-specific"
    assert finding.rules[0] == "doc-not-accepted-provider-specific" and sorted(finding.rules) == [
        "doc-not-accepted", "doc-not-accepted-provider-specific",
    ]
    assert (finding.recommendation.fr, finding.recommendation.en) == ("Réécrire la procédure.", "Rewrite the procedure.")
    assert finding.title.en == "Provider-specific procedure not accepted"
    assert finding.sources == ("S1.a", "S6.c")


# ---------------------------------------------------------------- receivers of a mixed exit

CLIENT_RULES = {"client-without-the-transferred-staff", "skills-never-in-house", "skills-not-kept-for-return"}
SUCCESSOR_RULES = {"successor-without-the-transferred-staff", "successor-to-be-chosen-without-the-transferred-staff"}


def _variation(case_id: str) -> Assessment:
    cases = {cid: load_case(path) for cid, path in bundled_cases().items()}
    return assess(next(v for v in bundled_variations(cases) if v.id == case_id))


def _lacks(assessment: Assessment) -> list[str]:
    return sorted(c for c in assessment.run.conclusions if c.split("@")[0] == "receiver_lacks_skills")


def _rules_behind(assessment: Assessment, finding_id: str) -> set[str]:
    return {step.rule.id for step in why(assessment, finding_id).steps}


def test_in_a_mixed_exit_each_receiver_lacks_the_skills_on_its_own_facts():
    """Payroll back to the homes, filings to a new bureau, the clerks gone to the provider with no
    return clause: both lack the skills, each concluded about its own party."""
    both = _variation("obj-payroll-reinternalised~mixed-exit-both-lack-skills")
    assert _lacks(both) == ["receiver_lacks_skills@homes", "receiver_lacks_skills@newbureau"]
    # the clerks come back to the homes: the homes no longer lack them, the bureau still does
    back = _variation("obj-payroll-reinternalised~mixed-exit-clerks-back-in-house")
    assert _lacks(back) == ["receiver_lacks_skills@newbureau"]
    assert "reinternalisation_without_skills" not in back.run.conclusions
    # the operators go to the new payer: it no longer lacks them, the fund still does
    kept = _variation("obj-rundown-mainframe~payment-to-new-provider-keeps-operators")
    assert _lacks(kept) == ["receiver_lacks_skills@fund"]
    assert "transfer_without_knowledge_transfer" not in kept.run.conclusions
    # two successors: the one that took the developers on has the skills, the other does not
    split = _variation("obj-tma-maintenance-transfer~second-successor-without-developers")
    assert _lacks(split) == ["receiver_lacks_skills@roundsco"]


def test_each_skills_finding_rests_on_its_own_receivers_lack():
    """The finding about the client cites the client's reasoning only, the finding about the
    successor the successor's only: S2.a for the part that comes back, S2.b for the part that goes."""
    both = _variation("obj-payroll-reinternalised~mixed-exit-both-lack-skills")
    client = _rules_behind(both, "reinternalisation_without_skills")
    successor = _rules_behind(both, "transfer_without_knowledge_transfer")
    assert client & CLIENT_RULES and not client & SUCCESSOR_RULES
    assert successor & SUCCESSOR_RULES and not successor & CLIENT_RULES
    assert "S2.b" not in both.finding("reinternalisation_without_skills").sources
    assert "S2.a" not in both.finding("transfer_without_knowledge_transfer").sources
    kept = _variation("obj-rundown-mainframe~payment-to-new-provider-keeps-operators")
    assert _rules_behind(kept, "reinternalisation_without_skills") & CLIENT_RULES == {"client-without-the-transferred-staff"}


def test_a_successor_not_chosen_yet_is_the_receiver_of_a_transfer():
    """The tender is not awarded: the lack is concluded for the contract's successor to come, and
    the knowledge-transfer finding rests on it."""
    assessment = assess(load_case(bundled_cases()["obj-services-var-successor-not-chosen"]))
    assert _lacks(assessment) == ["receiver_lacks_skills"]
    assert "successor-to-be-chosen-without-the-transferred-staff" in _rules_behind(assessment, "transfer_without_knowledge_transfer")
