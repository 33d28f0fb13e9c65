"""The court expert's report: each section's content checked against the worked case (names, dates,
exhibit numbers), in both languages and in the three formats (Markdown, HTML, DOCX read back)."""

from __future__ import annotations

import html.parser
import importlib.util
import io
import os
import re
import subprocess
import sys

import docx
import pytest
import yaml
from helpers import ROOT, cli

from reversibility_kb.inference.assessment import assess
from reversibility_kb.outputs.court_docx import court_docx
from reversibility_kb.outputs.court_report import court_context, court_html, court_markdown
from reversibility_kb.outputs.court_report_i18n import EVENTS, WORDS
from reversibility_kb.case.loading import load_case, structure_case
from reversibility_kb.case.model import EventKind


CASE = ROOT / "cases" / "court-s8-servers-contested.yaml"


class _Text(html.parser.HTMLParser):
    """The visible text of an HTML page, one line per block."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "svg", "title"):
            self.skip += 1
        if tag in ("tr", "p", "li", "h1", "h2", "h3", "div"):
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("style", "svg", "title"):
            self.skip -= 1
        if tag in ("td", "th"):
            self.parts.append(" | ")

    def handle_data(self, data):
        if not self.skip:
            self.parts.append(data)


def _html_text(page: str) -> str:
    parser = _Text()
    parser.feed(page)
    return "".join(parser.parts)


def _docx_text(data: bytes) -> str:
    document = docx.Document(io.BytesIO(data))
    lines = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            lines.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif child.tag.endswith("}tbl"):
            for row in child.iter():
                if row.tag.endswith("}tr"):
                    cells = ["".join(t.text or "" for t in cell.iter() if t.tag.endswith("}t")) for cell in row if cell.tag.endswith("}tc")]
                    lines.append(" | ".join(cells) + " | ")
    return "\n".join(lines)


@pytest.fixture(scope="module")
def assessment():
    return assess(load_case(CASE))


@pytest.fixture(scope="module")
def rendered(assessment):
    """Every format in both languages, as the text a reader sees."""
    out = {}
    for lang in ("fr", "en"):
        out[("md", lang)] = court_markdown(assessment, lang)
        out[("html", lang)] = _html_text(court_html(assessment, lang))
        out[("docx", lang)] = _docx_text(court_docx(assessment, lang))
    return out


def _section(text: str, start: str, end: str) -> str:
    """The text between two section titles (the contents list is skipped: last heading wins)."""
    begin = text.rindex(start)
    return text[begin:text.index(end, begin + len(start))]


ORDER = [
    "s_mission", "s_parties", "s_conduct", "s_exhibits", "s_chronology", "s_contract", "s_analysis",
    "s_established", "s_remedies", "s_dires", "s_answers", "s_annexes",
]


def _heading(key: str, lang: str) -> str:
    """A section's numbered title, as every format writes it (no margin section here)."""
    return f"{ORDER.index(key) + 1}. {WORDS[key][lang]}"


FORMATS = [(fmt, lang) for fmt in ("md", "html", "docx") for lang in ("fr", "en")]


@pytest.mark.parametrize("fmt, lang", FORMATS)
def test_sections_come_in_the_courts_order(rendered, fmt, lang):
    text = rendered[(fmt, lang)]
    positions = [text.rindex(_heading(key, lang)) for key in ORDER]
    assert positions == sorted(positions)


EXPECTED = {
    # section: (fr, en) strings that must appear in it, taken from the case file.
    "s_mission": (
        ["Dire si l'état des serveurs repris", "Coupures répétées de la prise de commandes"],
        ["State whether the condition of the servers", "Repeated outages of order taking"],
    ),
    "s_parties": (["Négoce Matériaux du Centre", "Exploit+ Services", "prestataire"], ["Négoce Matériaux du Centre", "Exploit+ Services", "provider"]),
    "s_conduct": (
        ["E2", "20 février 2024", "Réunion d'expertise", "Visite sur les lieux", "Dire reçu — Exploit+ Services"],
        ["E2", "20 February 2024", "Expert meeting", "Site visit", "Dire received — Exploit+ Services"],
    ),
    "s_exhibits": (
        ["D-2", "Fiche d'état des serveurs à la reprise", "5f0c1d8e2b7a4c9d", "art. 16"],
        ["D-2", "Fiche d'état des serveurs à la reprise", "5f0c1d8e2b7a4c9d", "art. 16"],
    ),
    "s_chronology": (
        ["20 septembre 2023", "Obsolescence invoquée, par Exploit+ Services", "Serveurs trop anciens", "D-1"],
        ["20 September 2023", "Obsolescence argued, by Exploit+ Services", "Serveurs trop anciens", "D-1"],
    ),
    "s_contract": (
        ["exploitation-2023", "1er février 2023", "48 mois", "Exploitation sur le site du client (6 mois)", "non établi"],
        ["exploitation-2023", "1 February 2023", "48 months", "Exploitation sur le site du client (6 mois)", "not established"],
    ),
    "s_analysis": (
        ["10 août 2023", "Coupures répétées de la prise de commandes", "P-2, non communiquée", "quelle que soit la version retenue, il tombe", "P-1, D-1"],
        ["10 August 2023", "Coupures répétées de la prise de commandes", "P-2, not communicated", "whichever version is accepted, it falls", "P-1, D-1"],
    ),
    "s_established": (
        ["Version de Exploit+ Services\u202f: oui", "D-2", "Version de Négoce Matériaux du Centre\u202f: non", "P-4", "ni par un inventaire ni par une mise en garde", "2 combinaison(s)"],
        ["The version of Exploit+ Services: yes", "D-2", "The version of Négoce Matériaux du Centre: no", "P-4", "neither by an inventory nor by a warning", "2 combination(s)"],
    ),
    "s_dires": (
        ["dire-c1", "6 mai 2024", "réputé abandonné", "repris par dire-p2", "constat n° 10"],
        ["dire-c1", "6 May 2024", "deemed abandoned", "restated in dire-p2", "finding no. 10"],
    ),
    "s_answers": (
        ["Question 3", "hors mission", "Les coûts redeviennent fixes"],
        ["Question 3", "outside the mission", "Costs become fixed again"],
    ),
    "s_annexes": (["phase-transition-dispute", "s8_phases.yaml"], ["phase-transition-dispute", "s8_phases.yaml"]),
}


@pytest.mark.parametrize("fmt, lang", FORMATS)
def test_each_section_shows_this_cases_names_dates_and_exhibits(rendered, assessment, fmt, lang):
    text = rendered[(fmt, lang)]
    for key in EXPECTED:
        start = _heading(key, lang)
        following = ORDER[ORDER.index(key) + 1] if key != "s_annexes" else None
        part = _section(text, start, _heading(following, lang)) if following else text[text.rindex(start):]
        wanted = EXPECTED[key][0 if lang == "fr" else 1]
        missing = [w for w in wanted if w not in part]
        assert not missing, f"{key}: {missing}"
    cover = text[:text.rindex(_heading("s_mission", lang))]
    setting = "art. 238"
    assert all(w in cover for w in ("Tribunal de commerce de Bourges", "RG 2024R00012", "30 septembre 2024" if lang == "fr" else "30 September 2024", setting))
    assert assessment.to_dict()["case_digest"] in text


def test_the_abandoned_dire_is_the_one_no_later_dire_restates(assessment):
    dires = {d["id"]: d for d in court_context(assessment, "en")["dires"]}
    assert dires["dire-c1"]["abandoned"] and not dires["dire-p1"]["abandoned"]
    assert not dires["dire-c2"]["abandoned"] and not dires["dire-p2"]["abandoned"]


def test_findings_say_which_questions_they_answer(assessment):
    context = court_context(assessment, "en")
    by_id = {f["id"]: f for f in context["findings"]}
    assert by_id["obsolescence_defence_to_establish"]["questions"] == [3]
    assert by_id["poor_service_unmeasurable"]["questions"] == [1, 2]
    assert by_id["costs_become_fixed"]["questions"] == []
    assert [f["title"] for f in context["outside"]] == ["Costs become fixed again"]
    answers = context["answers"]
    assert [a["number"] for a in answers] == [1, 2, 3, 4]
    assert [f["title"] for f in answers[1]["findings"]] == [by_id["poor_service_unmeasurable"]["title"]]


@pytest.mark.parametrize(
    "setting, present, absent",
    [
        ("conventional_technician", ["2025-660", "art. 131-2", "1er septembre 2025"], ["Analyse de la marge du prestataire"]),
        ("private_advice", ["Analyse de la marge du prestataire", "mutualisation des moyens", "La marge du prestataire dépendait"], ["art. 232"]),
        ("judicial", ["art. 232", "art. 238"], ["Analyse de la marge du prestataire", "2025-660"]),
    ],
)
def test_the_setting_frames_the_report(setting, present, absent):
    data = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    data["mission"]["setting"] = setting
    text = court_markdown(assess(structure_case(data, "case.yaml")), "fr")
    assert all(p in text for p in present), [p for p in present if p not in text]
    assert not any(a in text for a in absent), [a for a in absent if a in text]


def test_a_case_without_mission_or_exhibits_still_gets_a_court_report():
    text = court_markdown(assess(load_case(ROOT / "cases" / "s8-staged-pooling.yaml")), "en")
    assert WORDS["no_mission"]["en"] in text and WORDS["no_exhibits"]["en"] in text and WORDS["no_dires"]["en"] in text
    assert "Repeated outages of the order system" in text  # the case's own note, in the chronology


def test_french_labels_use_a_narrow_no_break_space_before_punctuation():
    for key, texts in WORDS.items():
        assert not re.search(r"[ \u00a0][:;?!]", texts["fr"]), key
        assert "\u202f" not in texts["en"], key
    assert set(EVENTS) == {kind.value for kind in EventKind}
    assert all(set(texts) == {"fr", "en"} and all(texts.values()) for texts in (*WORDS.values(), *EVENTS.values()))


def test_docx_is_deterministic_and_carries_the_timeline(assessment):
    first, second = court_docx(assessment, "fr"), court_docx(assessment, "fr")
    assert first == second
    document = docx.Document(io.BytesIO(first))
    assert len(document.inline_shapes) == 1  # the timeline picture
    assert document.core_properties.language == "fr"


def test_html_is_self_contained_with_the_timeline_inline(assessment):
    page = court_html(assessment, "fr")
    assert page.count("<svg") == 2  # the timeline and the reasoning graph
    assert not re.search(r"(src|href)=\"(https?:|//)", page)
    assert "Content-Security-Policy" in page


def test_same_bytes_whatever_the_hash_seed(tmp_path):
    outputs = []
    for seed in ("0", "4242"):
        target = tmp_path / f"r{seed}.html"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        result = subprocess.run(
            [sys.executable, "-m", "reversibility_kb", "court-report", str(CASE), "--format", "html", "--lang", "fr", "-o", str(target)],
            capture_output=True, text=True, env=env, check=False,
        )
        assert result.returncode == 0, result.stderr
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1]


def test_command_line_court_report(tmp_path):
    result = cli("court-report", str(CASE), "--format", "md", "--lang", "fr")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Rapport d'expertise judiciaire")
    refused = cli("court-report", str(CASE), "--format", "docx")
    assert refused.returncode == 2 and refused.stdout == "" and len(refused.stderr.strip().splitlines()) == 1
    target = tmp_path / "rapport.docx"
    written = cli("court-report", str(CASE), "--format", "docx", "--lang", "en", "-o", str(target))
    assert written.returncode == 0, written.stderr
    assert "Answers to the questions of the mission" in _docx_text(target.read_bytes())


def _screenshot_module():
    spec = importlib.util.spec_from_file_location("make_screenshot", ROOT / "docs" / "screenshots" / "make_screenshot.py")
    module = importlib.util.module_from_spec(spec)
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


def test_french_html_report_renders_in_headless_chromium(assessment, tmp_path):
    shot = _screenshot_module()
    if not shot.CHROMIUM.exists():
        pytest.skip(f"{shot.CHROMIUM} is not installed (apt-get install -y chromium)")
    capture = shot.capture(court_html(assessment, "fr"), tmp_path / "court.png")
    assert capture.returncode == 0, capture.stderr
    assert capture.console == [], "\n".join(capture.console)
    assert capture.png.stat().st_size > 50_000
