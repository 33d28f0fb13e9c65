"""Questions to the parties with their stakes: who holds each answer, what each answer would do
to the findings, and never a question about what the file already records."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from reversibility_kb.inference.assessment import assess, default_rulebook
from reversibility_kb.case.catalogue import resolve
from reversibility_kb.cli.main import main
from reversibility_kb.case.loading import load_case
from reversibility_kb.tools.questions import questions
from reversibility_kb.tools.whatif import Change, what_if

HOLDERS = {"client", "provider", "successor"}


def _questions(case: str) -> list[dict]:
    result = CliRunner().invoke(main, ["questions", case, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_every_bundled_question_names_the_party_that_holds_the_answer():
    wordings = default_rulebook().questions
    assert len(wordings) > 40
    assert {path: w.holder for path, w in wordings.items() if w.holder not in HOLDERS} == {}


def test_a_yes_or_no_question_says_what_each_answer_gains_and_loses():
    by_path = {q["path"]: q for q in _questions("s7-donor-database")}
    warned = by_path["contract.provider_warned"]
    assert warned["holder"] == "provider"
    answers = {a["value"]: a for a in warned["answers"]}
    assert answers["no"]["gained"] == ["provider_did_not_warn"] and answers["no"]["lost"] == []
    assert answers["yes"]["gained"] == [] and answers["yes"]["lost"] == []


def test_a_number_is_asked_with_the_stakes_on_each_side_of_the_threshold():
    by_path = {q["path"]: q for q in _questions("real-ump-oracle-crm-export")}
    question = by_path["contract.reversibility.transition_days"]
    answers = {a["value"]: a for a in question["answers"]}
    # Under 180 days the transition is too short; any answer removes the "to establish" question.
    assert "brutal_reversibility" in answers[179]["gained"]
    assert "brutal_reversibility" not in answers[180]["gained"]
    assert all("transition_period_to_establish" in a["lost"] for a in answers.values())
    assert question["findings"] == sorted({i for a in question["answers"] for i in (*a["gained"], *a["lost"])} | {c["id"] for a in question["answers"] for c in a["changed"]})


def test_an_enumeration_is_asked_value_by_value():
    by_path = {q["path"]: q for q in _questions("s7-donor-database")}
    answers = {a["value"]: a for a in by_path["contract.data[donors].backup_location"]["answers"]}
    assert set(answers) == {"same_site", "separate_site", "independent", "unspecified"}
    assert answers["same_site"]["gained"] == ["backups_not_independent@donors"]
    assert answers["independent"]["gained"] == []


def test_the_stakes_are_what_a_reassessment_with_that_answer_gives():
    """Not a guess: the case re-assessed with the answer gains and loses exactly those findings."""
    assessment = assess(load_case(resolve("s8-staged-pooling")))
    for question in questions(assessment):
        if question.path.startswith("history"):
            continue
        for answer in question.answers:
            _, delta = what_if(assessment, [Change(question.path, answer.value)])
            assert answer.gained == tuple(f.id for f in delta.appeared)
            assert answer.lost == tuple(f.id for f in delta.disappeared)


@pytest.mark.parametrize("case", ["s7-donor-database", "s7-var-restore-test-failed", "real-nanterre-backups-lost"])
def test_a_recorded_restore_test_is_never_asked_for_again(case):
    """These files record a failed restore test: its result is known, so it is not a question."""
    assert any(e.kind.value == "restore_test" and e.outcome.value == "failed" for e in load_case(resolve(case)).history)
    assert [q["path"] for q in _questions(case) if q["path"] == "history[].restore_test"] == []


def test_an_unrecorded_test_is_asked_with_what_yes_and_no_would_do():
    """A case that records no plan test is asked for one; yes removes the finding, no keeps it."""
    by_path = {q["path"]: q for q in _questions("s7-var-open-engine-physical")}
    answers = {a["value"]: a for a in by_path["history[].reversibility_plan_test"]["answers"]}
    assert answers["yes"]["lost"] == ["plan_never_tested"]
    assert answers["no"] == {"value": "no", "gained": [], "lost": [], "changed": []}


def test_the_text_checklist_names_the_holder_and_the_stakes_in_french():
    result = CliRunner().invoke(main, ["questions", "s7-donor-database", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    assert "Détient la réponse\u202f: le prestataire" in result.output
    assert "Réponse « non »\u202f: ajoute `provider_did_not_warn`" in result.output


def _section(note: str, heading: str) -> str:
    start = note.index(heading)
    following = note.find("\n## ", start + 1)
    return note[start: following if following != -1 else len(note)]


def test_the_note_asks_each_party_what_it_holds_with_what_each_answer_would_do():
    result = CliRunner().invoke(main, ["note", "s7-donor-database", "--lang", "fr", "--days", "15"])
    assert result.exit_code == 0, result.output
    assert "Date limite de réponse\u202f: **16 mars 1999**" in result.output  # as of 1 March 1999, + 15 days
    provider = _section(result.output, "## Prestataire d'exploitation")
    assert "averti le client par écrit" in provider  # the provider holds the answer on its warnings
    assert "Réponse « non »\u202f: ajoute « Aucune alerte écrite du prestataire avant la défaillance constatée »" in provider
    assert "averti le client par écrit" not in _section(result.output, "## Association")
    assert "test de restauration" not in result.output  # the file records the failed restore test


def test_the_note_as_a_word_document_reads_back(tmp_path):
    from docx import Document

    target = tmp_path / "note.docx"
    result = CliRunner().invoke(main, ["note", "s7-donor-database", "--lang", "en", "--format", "docx", "-o", str(target)])
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in Document(str(target)).paragraphs)
    assert "Answers due by: 31 March 1999" in text
    assert "Answer “no”: adds “No written warning from the provider before the failure found”" in text
    again = tmp_path / "again.docx"
    CliRunner().invoke(main, ["note", "s7-donor-database", "--lang", "en", "--format", "docx", "-o", str(again)])
    assert again.read_bytes() == target.read_bytes()


def test_the_note_refuses_two_deadlines_in_one_line():
    result = CliRunner().invoke(main, ["note", "s7-donor-database", "--days", "3", "--deadline", "2020-01-01"])
    assert result.exit_code == 2 and "expected either --deadline or --days" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_report_checklist_names_who_holds_each_answer():
    result = CliRunner().invoke(main, ["report", "s7-donor-database", "--format", "md", "--lang", "fr"])
    assert result.exit_code == 0, result.output
    row = next(line for line in result.output.splitlines() if "averti le client par écrit" in line)
    assert row.endswith("| le prestataire |")
