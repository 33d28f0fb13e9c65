"""The court report as a Word document (experts deliver Word), written with python-docx.

Same content and order as the Markdown and HTML reports (:func:`.court_report.court_context`).
The timeline is a PNG (Word holds no SVG); the reasoning graph becomes a table that follows each
finding down to its rules, facts and exhibits. The file is deterministic: the document's
properties are set from the case (no clock), and the ZIP entries get a fixed date.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from typing import Any, Sequence

from ..inference.assessment import Assessment
from .court_report import court_context, timeline_picture

#: The date stamped on every entry of the DOCX archive (the ZIP format starts in 1980).
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _table(document: Any, header: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header):
        cell.text = ""
        cell.paragraphs[0].add_run(text).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row):
            cell.text = text
    document.add_paragraph()


def _labelled(document: Any, label: str, text: str, colon: str, style: str | None = None) -> None:
    paragraph = document.add_paragraph(style=style)
    paragraph.add_run(f"{label}{colon} ").bold = True
    paragraph.add_run(text)


def _deterministic(data: bytes) -> bytes:
    """The same archive with a fixed date on every entry, in the same order."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            target.writestr(entry, source.read(info.filename))
    return out.getvalue()


def court_docx(assessment: Assessment, lang: str) -> bytes:
    """The court report as the bytes of a .docx file."""
    from docx import Document
    from docx.shared import Cm

    context = court_context(assessment, lang)
    w, c = context["w"], context["w"]["colon"]
    mission, case, contract, doubts = context["mission"], context["case"], context["contract"], context["doubts"]
    document = Document()
    properties = document.core_properties
    properties.title = f"{mission['kind']} — {case['title']}"
    properties.author = mission["expert"] or "reversibility-kb"
    properties.last_modified_by = properties.author
    properties.language = lang
    properties.revision = 1
    stamp = datetime.datetime.combine(assessment.case.as_of, datetime.time())
    properties.created = properties.modified = stamp
    properties.last_printed = stamp

    # Cover.
    document.add_heading(f"{mission['kind']} — {w['subject']}", level=0)
    document.add_paragraph(case["title"]).runs[0].bold = True
    _table(document, ["", ""], [
        [w["authority"], mission["authority"] or w["not_given"]],
        [w["reference"], mission["reference"] or w["not_given"]],
        [w["expert"], mission["expert"] or w["not_given"]],
        [w["appointed_on"], mission["appointed_on"] or w["not_given"]],
        [w["deadline"], mission["deadline"] or w["not_given"]],
        [w["as_of"], case["as_of"]],
    ])
    document.add_paragraph(mission["framing"])
    n = 11 if context["margin"] else 10

    document.add_heading(f"1. {w['s_mission']}", level=1)
    if mission["present"]:
        document.add_heading(w["questions"], level=2)
        for q in mission["questions"]:
            document.add_paragraph(f"{q['number']}. {q['text']}")
        if mission["grievances"]:
            document.add_heading(w["grievances"], level=2)
            for g in mission["grievances"]:
                document.add_paragraph(f"{g['number']}. {g['text']}")
    else:
        document.add_paragraph(w["no_mission"])
    if case["narrative"]:
        document.add_paragraph(case["narrative"])

    document.add_heading(f"2. {w['s_parties']}", level=1)
    _table(document, [w["party"], w["role"], w["id"]], [[p["name"], p["role"], p["id"]] for p in context["parties"]])

    document.add_heading(f"3. {w['s_conduct']}", level=1)
    if context["conduct"]:
        _table(document, [w["number"], w["date"], w["step"], w["summary"], w["present"]],
               [[r["number"], r["date"], r["step"], r["summary"], r["parties"]] for r in context["conduct"]])
    else:
        document.add_paragraph(w["no_conduct"])

    document.add_heading(f"4. {w['s_exhibits']}", level=1)
    if context["exhibits"]:
        _table(document, [w["number"], w["title"], w["date"], w["produced_by"], w["communicated"], w["sha256"]],
               [[e["number"], e["title"], e["date"], e["party"], e["communicated"], e["sha256"] or "—"] for e in context["exhibits"]])
        document.add_paragraph(w["exhibits_note"])
    else:
        document.add_paragraph(w["no_exhibits"])

    document.add_heading(f"5. {w['s_chronology']}", level=1)
    _table(document, [w["number"], w["date"], w["event"], w["exhibits"]],
           [[str(r["number"]), r["date"], r["text"], ", ".join(r["exhibits"]) or "—"] for r in context["chronology"]])
    picture = timeline_picture(context)
    if picture:
        document.add_picture(io.BytesIO(picture), width=Cm(16))
        document.add_paragraph(w["timeline_caption"])

    document.add_heading(f"6. {w['s_contract']}", level=1)
    _labelled(document, w["contract_id"], f"{contract['id']} — {contract['object']}", c)
    _labelled(document, w["signed_on"], contract["signed_on"], c)
    _labelled(document, w["term"], contract["term"], c)
    _labelled(document, w["role_client"].capitalize(), contract["client"], c)
    _labelled(document, w["role_provider"].capitalize(), contract["provider"], c)
    if contract["exhibits"]:
        _labelled(document, w["exhibits"], ", ".join(contract["exhibits"]), c)
    document.add_heading(w["phases"], level=2)
    _table(document, [w["order"], w["phase"], w["location"], w["duration"], w["criteria"], w["levels"], w["inventory"]],
           [[str(p["order"]), p["name"], p["location"], p["duration"], p["criteria"], p["levels"], p["inventory"]] for p in contract["phases"]])
    document.add_heading(w["documents"], level=2)
    if contract["documents"]:
        _table(document, [w["document"], w["acceptance"], w["exhibits"]],
               [[d["title"], d["acceptance"], ", ".join(d["exhibits"]) or "—"] for d in contract["documents"]])
    else:
        document.add_paragraph(w["no_documents"])

    document.add_heading(f"7. {w['s_analysis']}", level=1)
    for f in context["findings"]:
        document.add_heading(f"7.{f['number']}. {f['title']}", level=2)
        answers = ", ".join(str(q) for q in f["questions"]) or w["outside_mission"]
        document.add_paragraph(f"{w['severity']}{c} {f['severity_word']} — {w['answers']}{c} {answers}").runs[0].italic = True
        _labelled(document, w["general"], f["rationale"], c)
        document.add_paragraph().add_run(f"{w['in_this_case']}{c}").bold = True
        for line in f["in_case"]:
            suffix = f" ({', '.join(line['exhibits'])})" if line["exhibits"] else ""
            document.add_paragraph(line["text"] + suffix, style="List Bullet")
        _labelled(document, w["rests_on"], ", ".join(f["exhibits"]) or w["no_exhibit_cited"], c)
        for sentence in (*f["flags"], *f["contested"]):
            document.add_paragraph(sentence).runs[0].bold = True
        if f["holds"]:
            document.add_paragraph(w["holds"])
        document.add_paragraph(f"{w['rules_applied']}{c} {', '.join(f['rules'])} ({', '.join(f['sources'])})")
    if not context["findings"]:
        document.add_paragraph(w["no_findings"])

    document.add_heading(f"8. {w['s_established']}", level=1)
    document.add_heading(w["established"], level=2)
    document.add_paragraph(w["established_intro"])
    for f in doubts["established"] or [{"number": "", "title": w["none"]}]:
        document.add_paragraph(f"{w['finding']} {f['number']}{c} {f['title']}" if f["number"] else f["title"], style="List Bullet")
    document.add_heading(w["doubts"], level=2)
    for item in doubts["contested"]:
        _labelled(document, w["contested"], f"{item['label']} ({item['path']})", c)
        for v in item["versions"]:
            suffix = f" ({', '.join(v['exhibits'])})" if v["exhibits"] else ""
            document.add_paragraph(v["text"] + suffix, style="List Bullet")
        document.add_paragraph(f"{w['depends_on_it']}{c} {', '.join(item['findings']) or w['none']}", style="List Bullet")
    for line in (*doubts["only_under"], *doubts["notes"]):
        document.add_paragraph(line)
    if doubts["questions"]:
        _table(document, [w["open_question"], w["to_request"]], [[q["text"], q["document"]] for q in doubts["questions"]])
    elif not doubts["contested"]:
        document.add_paragraph(w["no_doubts"])

    document.add_heading(f"9. {w['s_remedies']}", level=1)
    document.add_paragraph(w["remedies_intro"])
    for f in context["findings"]:
        _labelled(document, f"{w['finding']} {f['number']} ({f['title']})", f["recommendation"], c, "List Bullet")

    if context["margin"]:
        document.add_heading(f"10. {w['s_margin']}", level=1)
        levers = context["margin"]["levers"]
        _labelled(document, w["margin_levers"], ", ".join(levers) if levers else w["no_margin_levers"], c)
        for f in context["margin"]["findings"]:
            document.add_paragraph(f"{w['finding']} {f['number']}{c} {f['title']}", style="List Bullet")

    document.add_heading(f"{n}. {w['s_dires']}", level=1)
    if context["dires"]:
        _table(document, [w["dire"], w["party"], w["date"], w["summary"], w["touches"], w["reply"], w["status"]],
               [[d["id"], d["party"], d["date"], d["summary"], ", ".join(d["findings"]), d["reply"], d["status"]] for d in context["dires"]])
        document.add_paragraph(w["dires_note"])
    else:
        document.add_paragraph(w["no_dires"])

    document.add_heading(f"{n + 1}. {w['s_answers']}", level=1)
    for label, entries in ((w["question"], context["answers"]), (w["grievance"], context["grievances"])):
        for a in entries:
            document.add_heading(f"{label} {a['number']}. {a['text']}", level=2)
            for f in a["findings"]:
                document.add_paragraph(f"{w['finding']} {f['number']} ({f['severity_word']}){c} {f['title']}", style="List Bullet")
            if not a["findings"]:
                document.add_paragraph(w["no_answer"])
    if context["outside"]:
        document.add_heading(w["outside_list"], level=2)
        document.add_paragraph(w["outside_intro"])
        for f in context["outside"]:
            document.add_paragraph(f"{w['finding']} {f['number']}{c} {f['title']}", style="List Bullet")

    document.add_heading(f"{n + 2}. {w['s_annexes']}", level=1)
    document.add_heading(w["a_graph"], level=2)
    document.add_paragraph(w["graph_intro"])
    _table(document, [w["finding"], w["rules_applied"], w["in_this_case"], w["exhibits"]], [
        [f"{f['number']}. {f['title']}", ", ".join(f["rules"]), "\n".join(line["text"] for line in f["in_case"]), ", ".join(f["exhibits"]) or "—"]
        for f in context["findings"]
    ])
    document.add_heading(w["a_rules"], level=2)
    _table(document, [w["rule"], w["title"], w["sources"], w["in_force"], w["file"]],
           [[r["id"], r["title"], r["sources"], r["in_force"] or "—", r["file"]] for r in context["rules"]])
    document.add_heading(w["a_digests"], level=2)
    digests = context["digests"]
    rows = [[w["library_version"], digests["library_version"]], [w["rulebook_digest"], digests["rulebook_digest"]], [w["case_digest"], digests["case_digest"]]]
    rows += [[e["number"], e["sha256"]] for e in context["exhibits"] if e["sha256"]]
    _table(document, ["", ""], rows)
    document.add_paragraph(f"{w['generated_by']} {context['version']}")

    buffer = io.BytesIO()
    document.save(buffer)
    return _deterministic(buffer.getvalue())
