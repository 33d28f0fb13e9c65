"""The court expert's verbs of the command line (``main.py`` adds them with :func:`register`):
``court-report`` writes the report in the court's structure (Markdown, HTML or DOCX); ``note``
drafts the note to the parties (CPC art. 275)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Optional

import click

from .common import LANG, OUTPUT, assess_named, emit, guarded, write_atomically
from .help import Verb
from ..case.loading import CaseError


@click.command("court-report", cls=Verb)
@click.argument("case")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "docx"]), required=True)
@LANG
@OUTPUT
@guarded
def court_report_command(case: str, fmt: str, lang: str, output: Optional[str]) -> None:
    """Write the court expert's report on CASE: mission, parties, conduct, exhibits, chronology,
    contract, analysis, doubts, remedies, dires, answers to the mission, annexes."""
    from ..outputs.court_docx import court_docx  # the report stack (Jinja2) only for the verb that needs it
    from ..outputs.court_report import court_html, court_markdown

    assessment = assess_named(case)
    if fmt == "docx":
        if output is None or output == "-":
            raise CaseError(case, "", "expected -o FILE for the docx format (a Word document is not text)")
        write_atomically(Path(output), court_docx(assessment, lang))
        return
    emit((court_html if fmt == "html" else court_markdown)(assessment, lang), output)


@click.command("note", cls=Verb)
@click.argument("case")
@LANG
@click.option("--deadline", type=click.DateTime(formats=["%Y-%m-%d"]), default=None)
@click.option("--days", type=click.IntRange(min=1), default=None)
@click.option("--format", "fmt", type=click.Choice(["md", "docx"]), default="md", show_default=True)
@OUTPUT
@guarded
def note_command(case: str, lang: str, deadline: Optional[datetime.datetime], days: Optional[int], fmt: str, output: Optional[str]) -> None:
    """Draft the note to the parties on CASE (CPC art. 275): per party, the documents and answers
    requested, with what each answer would add to or remove from the findings, by a deadline."""
    from ..outputs.court_note import note_markdown
    from ..outputs.note_docx import note_docx

    if deadline is not None and days is not None:
        raise CaseError(case, "", "expected either --deadline or --days, not both")
    assessment = assess_named(case)
    due = deadline.date() if deadline else assessment.case.as_of + datetime.timedelta(days=days) if days else None
    if fmt == "docx":
        if output is None or output == "-":
            raise CaseError(case, "", "expected -o FILE for the docx format (a Word document is not text)")
        write_atomically(Path(output), note_docx(assessment, lang, due))
        return
    emit(note_markdown(assessment, lang, due), output)


def register(main: click.Group) -> None:
    """Add the court expert's verbs to the command-line group."""
    main.add_command(court_report_command)
    main.add_command(note_command)
