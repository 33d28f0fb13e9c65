"""The note to the parties (CPC art. 275): each request goes to the party that holds the answer,
by a deadline; a contested fact is not asked again; uncommunicated exhibits are to be communicated."""

from __future__ import annotations

import yaml
from helpers import ROOT, cli

from reversibility_kb.inference.assessment import assess
from reversibility_kb.outputs.court_note import note_context, note_markdown
from reversibility_kb.case.loading import load_case, structure_case

CASE = ROOT / "cases" / "court-s8-servers-contested.yaml"


def _party(context: dict, name: str) -> list[str]:
    return [r["question"] for p in context["parties"] if p["name"] == name for r in p["requests"]]


def test_each_party_is_asked_for_its_own_version_and_its_uncommunicated_exhibits():
    context = note_context(assess(load_case(CASE)), "en")
    assert context["title"] == "Note to the parties no. 2"  # one note is already in the diligences
    assert context["deadline"] == "28 July 2024"  # 30 days after the as-of date
    client = _party(context, "Négoce Matériaux du Centre")
    provider = _party(context, "Exploit+ Services")
    assert any("your version (no)" in q and "that of Exploit+ Services" in q for q in client)
    assert any("your version (yes)" in q and "that of Négoce Matériaux du Centre" in q for q in provider)
    assert any("exhibit P-2" in q for q in client) and not any("P-2" in q for q in provider)
    assert any("exhibit D-2" in q for q in provider) and not any("D-2" in q for q in client)
    # The contested inventory is not asked as an open question: the file records both versions.
    assert not any("inventory of the assets taken over" in q for q in client + provider)


def test_an_open_question_goes_to_the_party_that_holds_the_answer():
    data = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    data["contested"] = []
    context = note_context(assess(structure_case(data, "case.yaml")), "fr")
    provider = [r for p in context["parties"] if p["name"] == "Exploit+ Services" for r in p["requests"]]
    asked = [r for r in provider if "inventaire des actifs repris" in r["question"]]
    assert len(asked) == 1
    assert asked[0]["stakes"]  # the findings that the answer would change
    client = _party(context, "Négoce Matériaux du Centre")
    assert not any("inventaire des actifs repris" in q for q in client)


def test_note_in_french_with_a_deadline_on_the_command_line():
    result = cli("note", str(CASE), "--lang", "fr", "--deadline", "2024-07-15")
    assert result.returncode == 0, result.stderr
    text = result.stdout
    assert text.startswith("# Note aux parties n° 2")
    assert "Date limite de réponse\u202f: **15 juillet 2024**" in text
    assert "## Exploit+ Services (prestataire)" in text and "## Négoce Matériaux du Centre (client)" in text
    assert "article 275" in text


def test_bad_deadline_is_refused():
    result = cli("note", str(CASE), "--deadline", "15/07/2024")
    assert result.returncode == 2 and result.stdout == ""


def test_note_for_a_case_without_mission():
    text = note_markdown(assess(load_case(ROOT / "cases" / "s8-staged-pooling.yaml")), "en")
    assert text.startswith("# Note to the parties no. 1") and "## Infogérant (provider)" in text
