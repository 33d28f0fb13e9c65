"""The note to the parties (CPC art. 275) as a Word document: experts send Word. The content is
the Markdown note's (:func:`.court_note.note_context`), laid out with python-docx; the archive is
made byte-for-byte reproducible like the court report's."""

from __future__ import annotations

import datetime
import io
from typing import Optional

from ..inference.assessment import Assessment
from .court_docx import _deterministic
from .court_note import note_context


def note_docx(assessment: Assessment, lang: str, deadline: Optional[datetime.date] = None) -> bytes:
    """The note to the parties as the bytes of a .docx file."""
    from docx import Document

    context = note_context(assessment, lang, deadline)
    w, c = context["w"], context["colon"]
    document = Document()
    properties = document.core_properties
    properties.title = context["title"]
    properties.author = context["expert"] or "reversibility-kb"
    properties.last_modified_by = properties.author
    properties.language = lang
    properties.revision = 1
    stamp = datetime.datetime.combine(assessment.case.as_of, datetime.time())
    properties.created = properties.modified = properties.last_printed = stamp

    document.add_heading(context["title"], level=0)
    heads = [("case", context["case"]), ("reference", context["reference"]), ("expert", context["expert"]),
             ("date", context["date"]), ("deadline", context["deadline"])]
    for key, text in heads:
        if text:
            paragraph = document.add_paragraph()
            paragraph.add_run(f"{w[key]}{c} ").bold = True
            paragraph.add_run(text).bold = key == "deadline"
    document.add_paragraph(context["intro"])
    for party in context["parties"]:
        document.add_heading(f"{party['name']} ({party['role']})", level=1)
        if not party["requests"]:
            document.add_paragraph(f"{context['no_request'].capitalize()}.")
        for request in party["requests"]:
            document.add_paragraph(request["question"], style="List Number")
            if request["document"]:
                line = document.add_paragraph(style="List Bullet 2")
                line.add_run(f"{w['document']}{c} ").bold = True
                line.add_run(request["document"])
            for answer in request.get("answers", ()):
                document.add_paragraph(answer, style="List Bullet 3")
    document.add_paragraph(w["signature"])
    out = io.BytesIO()
    document.save(out)
    return _deterministic(out.getvalue())
