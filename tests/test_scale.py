"""Cases of any size: a kind concluded on many items is one finding listing them, the bundled
cases are unchanged by it, and the expert tools answer on large cases (cut searches say so)."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from reversibility_kb import assess, assessment
from reversibility_kb.loading import load_case
from reversibility_kb.model import Document, Tri
from reversibility_kb.report import report_html, report_markdown

CASES = sorted((Path(__file__).resolve().parent.parent / "cases").glob("*.yaml"))


def _with_documents(n: int):
    """A bundled case with ``n`` planned documents never delivered, on top of its own."""
    case = load_case(CASES[0].parent / "s7-donor-database.yaml")
    extra = tuple(
        Document(id=f"bulk-doc-{i}", title=f"Procedure {i}", planned_initial=Tri.yes, provider_specific=Tri.no)
        for i in range(1, n + 1)
    )
    return attrs.evolve(case, contract=attrs.evolve(case.contract, documents=case.contract.documents + extra))


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_grouping_leaves_bundled_cases_unchanged(path, monkeypatch):
    """No bundled case concludes one kind on more than five items: its findings are the same
    with and without grouping, and none lists items."""
    case = load_case(path)
    grouped = [f.to_dict() for f in assess(case).findings]
    monkeypatch.setattr(assessment, "GROUP_ABOVE", 10**9)
    assert [f.to_dict() for f in assess(case).findings] == grouped
    assert not any("items" in f for f in grouped)


def test_many_items_of_a_kind_are_one_finding():
    small, large = assess(_with_documents(3)), assess(_with_documents(400))
    kinds = [f.kind for f in large.findings if f.items]
    assert kinds and len(kinds) == len(set(kinds))
    missing = large.finding(assessment.group_id("document_missing"))
    assert missing.about == large.case.contract.id
    assert [i for i in missing.items if i.startswith("bulk-doc-")][:3] == ["bulk-doc-1", "bulk-doc-2", "bulk-doc-3"]
    assert len([i for i in missing.items if i.startswith("bulk-doc-")]) == 400
    # the per-item conclusions stay, in the run and in the JSON
    data = large.to_dict("en")
    assert "document_missing@bulk-doc-400" in data["conclusions"]
    entry = next(f for f in data["findings"] if f["id"] == "document_missing@*")
    assert entry["items"] == list(missing.items)
    # three items of a kind stay three findings
    assert {"document_missing@bulk-doc-1", "document_missing@bulk-doc-3"} <= {f.id for f in small.findings}
    assert not any(f.items for f in small.findings if f.kind == "document_missing")
    # the explanation of the grouped finding reaches every item
    graph = large.explain("document_missing@*")
    assert "fact:bulk-doc-400" in graph and "conclusion:document_missing@bulk-doc-1" in graph


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_report_gives_the_count_and_an_annex(lang):
    large = assess(_with_documents(40))
    text = report_markdown(large, lang)
    word = {"fr": "Éléments concernés", "en": "Items concerned"}[lang]
    count = len(large.finding("document_missing@*").items)
    assert f"{word} : **{count}**" in text or f"{word}: **{count}**" in text
    annex = text[text.index({"fr": "## Annexe", "en": "## Annex"}[lang]):]
    assert "`bulk-doc-40`" in annex and "`bulk-doc-40`" not in text[: text.index(annex)].split(word)[1].split("\n")[0]
    assert 'id="annex-' in report_html(large, lang)


def _exhaustive_removal(assessment_, conclusion_id, max_size):
    """The search as it was before the hitting set: every combination of candidates, re-assessed."""
    import itertools

    from reversibility_kb.loading import CaseError
    from reversibility_kb.whatif import apply_changes, candidate_changes

    candidates = candidate_changes(assessment_, conclusion_id)
    for size in range(1, max_size + 1):
        found = []
        for combo in itertools.combinations(candidates, size):
            paths = [c.path for c in combo if c.path != "history[+]"]
            if len(paths) != len(set(paths)):
                continue
            try:
                after = assess(apply_changes(assessment_.case, combo), assessment_.rulebook)
            except CaseError:
                continue
            if conclusion_id not in after.run.conclusions:
                found.append(combo)
        if found:
            return found
    return []


@pytest.mark.parametrize("path", CASES, ids=lambda p: p.stem)
def test_expert_tools_answer_as_the_exhaustive_search_did(path, monkeypatch):
    """The hitting-set search and the pattern filter change no answer on a bundled case: the
    removals of up to two changes are those of trying every combination, and the checklist is the
    one of re-assessing every candidate answer; no search is cut."""
    from reversibility_kb import questions as questions_module
    from reversibility_kb.whatif import remove_search

    assessment_ = assess(load_case(path))
    for finding in assessment_.findings:
        search = remove_search(assessment_, finding.id, 2)
        assert not search.cut
        assert list(search.solutions) == _exhaustive_removal(assessment_, finding.id, 2), finding.id
    found = questions_module.checklist(assessment_)
    monkeypatch.setattr(questions_module, "_inert", lambda *_: set())
    assert not found.cut
    assert found.questions == questions_module.checklist(assessment_, budget=10**12).questions


def test_a_bounded_search_on_a_large_case_says_it_was_cut():
    from reversibility_kb.questions import checklist
    from reversibility_kb.whatif import remove_search

    large = assess(_with_documents(60))
    found = checklist(large, budget=len(large.run.facts) * 3)
    assert found.cut and found.tried == 3
    search = remove_search(large, "document_missing@*", 3, budget=len(large.run.facts) * 2)
    assert search.cut and search.tried == 2


def test_the_picture_of_a_large_case_groups_nodes_and_the_exports_keep_them():
    from reversibility_kb.graphs import in_words, to_graphml
    from reversibility_kb.picture import LIMIT, drawable

    large = assess(_with_documents(150))
    full = large.graph
    picture = drawable(in_words(full, large, "en"), "en")
    assert full.number_of_nodes() > LIMIT >= picture.number_of_nodes()
    documents = [d for _, d in picture.nodes(data=True) if d.get("kind") == "fact" and d.get("type") == "document"]
    total = len([n for n, d in full.nodes(data=True) if d.get("kind") == "fact" and d.get("type") == "document"])
    assert [d["count"] for d in documents] == [total] and documents[0]["label"] == f"a document × {total}"
    assert "conclusion:document_missing@*" in picture  # coloured as the grouped finding
    assert "fact:bulk-doc-150" in to_graphml(full)
    small = assess(_with_documents(2))
    assert drawable(small.graph, "fr") is small.graph
