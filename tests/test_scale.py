"""Cases of any size: a kind concluded on many items is one finding listing them, the bundled
cases are unchanged by it, and the expert tools answer on large cases (cut searches say so)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tempfile
from pathlib import Path

import attrs
import pytest
from click.testing import CliRunner

from reversibility_kb import assess
from reversibility_kb.inference import assessment
from reversibility_kb.case.loading import load_case
from reversibility_kb.case.model import Document, Tri
from reversibility_kb.outputs.report import report_html, report_markdown

ROOT = Path(__file__).resolve().parent.parent
CASES = sorted((ROOT / "cases").glob("*.yaml"))


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

    from reversibility_kb.case.loading import CaseError
    from reversibility_kb.tools.whatif import apply_changes, candidate_changes

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
    from reversibility_kb.tools import questions as questions_module
    from reversibility_kb.tools.whatif import remove_search

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
    from reversibility_kb.tools.questions import checklist
    from reversibility_kb.tools.whatif import remove_search

    large = assess(_with_documents(60))
    found = checklist(large, budget=len(large.run.facts) * 3)
    assert found.cut and found.tried == 3
    search = remove_search(large, "document_missing@*", 3, budget=len(large.run.facts) * 2)
    assert search.cut and search.tried <= 2


def test_the_picture_of_a_large_case_groups_nodes_and_the_exports_keep_them():
    from reversibility_kb.outputs.graphs import in_words, to_graphml
    from reversibility_kb.outputs.picture import LIMIT, drawable

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


# --- cases of 10,000 items, made by the benchmark's generator --------------------------------------


def _generator():
    """``benchmarks/portfolio.py``: the cases the growth benchmark measures."""
    spec = importlib.util.spec_from_file_location("portfolio", ROOT / "benchmarks" / "portfolio.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    sys.modules.setdefault("portfolio", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def ten_thousand_documents():
    """A bundled case with 10,000 planned documents never delivered, assessed once per module."""
    return assess(_with_documents(10_000))


def test_ten_thousand_documents_make_one_finding_per_kind(ten_thousand_documents):
    large = ten_thousand_documents
    about_documents = [f for f in large.findings if f.kind.startswith(("document_", "procedures_"))]
    kinds = [f.kind for f in about_documents]
    assert "document_missing" in kinds and len(kinds) == len(set(kinds))
    assert not any(f.about.startswith("bulk-doc-") for f in large.findings)  # no finding per document
    assert len(large.findings) < 30
    missing = large.finding("document_missing@*")
    bulk = [i for i in missing.items if i.startswith("bulk-doc-")]
    assert len(bulk) == 10_000 and bulk[-1] == "bulk-doc-10000"
    entry = next(f for f in large.to_dict("en")["findings"] if f["id"] == "document_missing@*")
    assert entry["items"] == list(missing.items)  # the full list in JSON
    annex = report_markdown(large, "en").split("## Annex", 1)[1]
    assert "`bulk-doc-1`" in annex and "`bulk-doc-10000`" in annex


def test_the_picture_of_ten_thousand_documents_stays_readable(ten_thousand_documents):
    from reversibility_kb.outputs.graphs import in_words
    from reversibility_kb.outputs.picture import LIMIT, drawable

    full = ten_thousand_documents.graph
    picture = drawable(in_words(full, ten_thousand_documents, "en"), "en")
    assert full.number_of_nodes() > 20_000
    assert picture.number_of_nodes() <= LIMIT == 100
    counts = [d["count"] for _, d in picture.nodes(data=True) if d.get("type") == "document"]
    assert counts == [len(ten_thousand_documents.case.contract.documents)]


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.skipif(not CHROMIUM.exists(), reason=f"{CHROMIUM} is not installed")
def test_the_report_of_ten_thousand_documents_renders_in_a_browser(ten_thousand_documents):
    """Headless Chromium loads the page and its DOM holds the grouped finding and the annex."""
    finding = ten_thousand_documents.finding("document_missing@*")
    with tempfile.TemporaryDirectory(prefix="report-scale-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(report_html(ten_thousand_documents, "en"), encoding="utf-8")
        result = subprocess.run(
            [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={Path(tmp) / 'profile'}", "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=180, check=False, stdin=subprocess.DEVNULL,
        )
    assert result.returncode == 0, result.stderr
    dom = result.stdout
    assert "</html>" in dom and finding.title.en in dom
    assert 'id="annex-' in dom and "bulk-doc-10000" in dom


@pytest.fixture(scope="module")
def generator():
    return _generator()


def _cli(tmp_path, case, *args):
    """The command line on the case written as a user's YAML file: (stdout, stderr)."""
    from reversibility_kb.cli.main import main

    path = _generator().write_files([case], tmp_path)[0]
    result = CliRunner().invoke(main, [args[0], path, *args[1:]])
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


def test_questions_on_a_thousand_tools_end_and_say_they_were_cut(generator, tmp_path):
    """Each candidate answer costs a re-assessment: on 1,000 tools the budget runs out before the
    last, and the command says so (in the reader's language) after listing what it found."""
    out, err = _cli(tmp_path, generator.large_case(1_000, kinds=("tools",)), "questions", "--lang", "fr")
    assert "recherche écourtée après" in err and out.startswith("1. ")


def test_what_if_remove_on_large_cases_ends_and_says_when_it_was_cut(generator, tmp_path):
    from reversibility_kb.tools.whatif import remove_search

    tools = assess(generator.large_case(1_000, kinds=("tools",)))
    for finding in tools.findings:  # every finding: the search ends, complete or cut
        search = remove_search(tools, finding.id)
        assert search.cut or search.tried <= 60_000 // len(tools.run.facts)
    cut = remove_search(tools, "brutal_reversibility", budget=len(tools.run.facts))
    assert cut.cut and cut.tried == 1
    every_kind = generator.large_case(100)
    out, err = _cli(tmp_path, every_kind, "what-if", "--remove", "brutal_reversibility")
    assert "search cut short after" in err and out.strip()


def test_conclusions_whose_ids_share_the_engines_hash_are_both_derived():
    """durable_rules knows a fact by a 32-bit hash of its id: these two conclusions of the
    generator's 10,000-item case share it, and each is still concluded and recorded by its id."""
    from reversibility_kb.inference.engine import _message_hash
    from reversibility_kb.case.model import Asset, Owner

    pair = ("asset_not_transferable@asset-3484", "document_missing@doc-1671")
    assert _message_hash(pair[0]) == _message_hash(pair[1])
    case = _with_documents(0)
    contract = attrs.evolve(
        case.contract,
        assets=(*case.contract.assets, Asset(id="asset-3484", name="Server", owner=Owner.provider, transferable=Tri.no, needed_by_receiver=Tri.yes)),
        documents=(*case.contract.documents, Document(id="doc-1671", title="Procedure", planned_initial=Tri.yes)),
    )
    run = assess(attrs.evolve(case, contract=contract)).run
    assert set(pair) <= set(run.conclusions)
    assert {c for f in run.firings for c in (f.conclusion, *(i for _, i in f.matched))} <= {f["id"] for f in run.facts} | set(run.conclusions)
