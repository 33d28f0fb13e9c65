"""Where each part of a finding comes from when several rules reach it.

Two rules of the engine-test rulebook (tests/data/mini_rulebook) conclude that the function cannot
be taken back: ``cannot-operate`` (high: the documentation is unreliable and the client kept no
skills; advice: accept the documents) and ``cannot-operate-no-skills`` (medium: staff transferred
with no return clause; advice: provide for their return). When both fire, an expert defending the
finding before a judge must give the severity and the advice of the same rule, the more serious
one, and cite the seed points and rules of the art of both reasonings.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from helpers import DATA, mini_rulebook_with

from reversibility_kb import assess, load_case, load_rulebook
from reversibility_kb.assessment import GROUP_ABOVE, Finding
from reversibility_kb.rulebook import Rulebook


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
