"""Pre-signature review: a draft's missing or weak provisions, with grounds and clause outlines."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from helpers import DATA, cli

from reversibility_kb.case.loading import CaseError
from reversibility_kb.tools.review import load_outlines, review_file, review_markdown

WEAK = DATA / "review" / "draft-weak.yaml"
SOUND = DATA / "review" / "draft-sound.yaml"


def test_draft_omitting_transition_format_and_staff_names_each_with_grounds_and_outline():
    result = review_file(WEAK)
    provisions = {p.id: p for p in result.provisions}
    assert {"transition", "data-format", "staff"} <= set(provisions)
    assert "S5.b" in provisions["transition"].sources and "transition-sized" in provisions["transition"].practices
    assert {"S7.b", "S7.c"} <= set(provisions["data-format"].sources)
    assert "S4.a" in provisions["staff"].sources and "staff-provisions" in provisions["staff"].practices
    for key in ("transition", "data-format", "staff"):
        assert provisions[key].severity.value == "high"
        assert len(provisions[key].clauses) >= 2
    assert "draft_no_transition_period" in {f.id for f in provisions["transition"].findings}
    ranks = [p.severity.rank for p in result.provisions]
    assert ranks == sorted(ranks)


def test_a_sound_draft_lacks_nothing_and_dispute_rules_stay_out():
    assert review_file(SOUND, packs=("data-act",)).provisions == ()
    weak = review_file(WEAK)
    assert all(weak.assessment.rulebook.rule(f.rule).pack for p in weak.provisions for f in p.findings)


def test_a_pack_adds_its_article_to_the_grounds():
    plain = {p.id: p for p in review_file(WEAK).provisions}
    with_act = {p.id: p for p in review_file(WEAK, packs=("data-act",)).provisions}
    assert "DA:25(2)(a)" not in plain["transition"].sources
    assert "DA:25(2)(a)" in with_act["transition"].sources
    assert with_act["data-format"].sources[-1] == "DA:30"  # seed points first, then articles


def test_outlines_are_bilingual_and_answer_known_findings():
    from reversibility_kb import load_rulebook
    from reversibility_kb.inference.packs import available_packs
    from reversibility_kb.case.resources import rules_dir

    concluded = {r.concludes for r in load_rulebook(rules_dir(), packs=available_packs(rules_dir())).rules}
    for outline in load_outlines():
        assert outline.title.fr != outline.title.en
        assert all(c.fr != c.en for c in outline.clauses)
        assert set(outline.kinds) <= concluded, outline.id


def test_markdown_in_both_languages():
    result = review_file(WEAK)
    english, french = review_markdown(result, "en"), review_markdown(result, "fr")
    assert "### 1. " in english and "Clause to add (outline)" in english and "Transition period" in english
    assert "Clause à ajouter (trame)" in french and "Période de transition" in french
    assert "Transition period" not in french


def test_review_verb_md_html_json_and_docx(tmp_path):
    md = cli("review", str(WEAK))
    assert md.returncode == 0, md.stderr
    assert "Staff and knowledge transfer" in md.stdout and "`S4.a`" in md.stdout
    html = tmp_path / "review.html"
    assert cli("review", str(WEAK), "--format", "html", "--lang", "fr", "-o", str(html)).returncode == 0
    page = html.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Personnel et transfert de connaissances" in page
    rows = json.loads(cli("review", str(WEAK), "--format", "json", "--pack", "data-act").stdout)
    assert rows["packs"] == ["data-act", "drafting"] and rows["provisions"][0]["severity"] == "high"
    docx_path = tmp_path / "review.docx"
    result = cli("review", str(WEAK), "--format", "docx", "-o", str(docx_path))
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(io.BytesIO(docx_path.read_bytes())) as archive:
        body = archive.read("word/document.xml").decode("utf-8")
    assert "Transition period" in body and "S5.b" in body


def test_docx_needs_an_output_file_and_a_draft_has_no_history(tmp_path):
    result = cli("review", str(WEAK), "--format", "docx")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "-o FILE" in result.stderr
    dated = tmp_path / "dated.yaml"
    dated.write_text(WEAK.read_text() + "history:\n  - {id: e1, date: 2026-02-01, kind: signature}\n")
    with pytest.raises(CaseError, match="expected a draft without history"):
        review_file(dated)
    result = cli("review", str(dated))
    assert result.returncode == 2 and "history" in result.stderr and "Traceback" not in result.stderr
