"""The court expert's report: an assessment written in the structure a French court expects.

The sections follow the usual plan of a judicial expert's report (the Versailles court of appeal's
standard plan, CNEJITA's recommendations): cover and mission; parties; conduct of the expertise;
exhibits received; chronology of the facts with their exhibits (a table and a timeline);
the contract and its documents; the analysis, finding by finding, in this case's own names, dates,
documents and exhibits; points established and doubts not lifted; technical observations on the
remedies; for a private opinion, the provider's margin (S10.c); the dires and the replies; the
answers to the mission's questions, in their order; annexes (reasoning graph, rules applied,
digests).

:func:`court_context` gathers everything as plain data in one language; :func:`court_markdown`
and :func:`court_html` render it with Jinja2 templates (``templates/court_report.*``), and
:mod:`reversibility_kb.outputs.court_docx` writes it as a Word document. The expert's voice states
technical facts and practice only (CPC art. 238): ``tests/test_court_words.py`` checks these texts
against ``rules/legal_words.yaml``.
"""

from __future__ import annotations

import base64
import datetime
import functools
from pathlib import Path
from typing import Any, Optional

import jinja2
from markupsafe import Markup

from .. import __version__
from ..case import model
from ..inference.assessment import Assessment, Finding
from .court_report_i18n import NNBSP, WORDS, event_word, phrase, word
from .court_timeline import Mark, timeline_png, timeline_svg
from ..inference.exhibits import communication, fact_exhibits, justification_facts
from .graphs import finding_severities, in_words, svg_inline, to_mermaid, to_svg
from .picture import drawable
from ..case.i18n import LANGS
from ..tools.positions import MAX_ASSESSMENTS, Positions, positions
from ..tools.questions import questions
from .report import _environment as _report_environment
from .report import md_escape
from .report_i18n import long_date
from ..inference.rulebook import Rulebook

__all__ = ["CaseNames", "court_context", "court_environment", "court_html", "court_markdown", "finding_questions", "rule_title", "value_word"]

#: Events that belong to the conduct of the expertise rather than to the contract's life.
PROCEDURAL = frozenset({model.EventKind.expert_appointed, model.EventKind.court_order})
#: How a document's acceptance is recorded in the history.
ACCEPTANCE = ("delivered", "accepted", "accepted_with_reservations", "rejected")
OBJECTIVES: dict[str, dict[str, str]] = {
    "offload_problem": {"fr": "se décharger d'une fonction à problème", "en": "get rid of a problem function"},
    "pooling_savings": {"fr": "économies par la mutualisation", "en": "savings through pooling"},
    "variable_costs": {"fr": "rendre les coûts variables", "en": "make costs variable"},
    "missing_skills": {"fr": "trouver des compétences absentes", "en": "find missing skills"},
    "run_down": {"fr": "mettre en extinction un système", "en": "run a system down"},
}
ITEMS: dict[str, dict[str, str]] = {
    "tool": {"fr": "Outil", "en": "Tool"},
    "data": {"fr": "Données", "en": "Data"},
    "document": {"fr": "Document", "en": "Document"},
    "phase": {"fr": "Phase", "en": "Phase"},
    "asset": {"fr": "Équipement", "en": "Asset"},
    "scope": {"fr": "Élément du périmètre", "en": "Scope item"},
    "party": {"fr": "Partie", "en": "Party"},
}


def _date(value: Optional[datetime.date], lang: str) -> str:
    return long_date(value, lang) if value else word("not_given", lang)


def finding_questions(finding: Finding, covers: tuple[str, ...]) -> bool:
    """Whether a finding answers a question (or a grievance) that covers these entries: its
    conclusion kind, a seed section (``S8``) or a seed point (``S8.c``) it rests on."""
    for entry in covers:
        if entry == finding.kind or entry in finding.sources:
            return True
        if entry.startswith("S") and "." not in entry and any(s.split(".")[0] == entry for s in finding.sources):
            return True
    return False


class CaseNames:
    """The case's own words for its parties, items, events and input facts, in one language."""

    def __init__(self, case: model.Case, lang: str) -> None:
        self.case, self.lang = case, lang
        contract = case.contract
        self.parties = {p.id: p for p in case.parties}
        self.items: dict[str, tuple[str, str]] = {}
        for kind, group in (
            ("tool", contract.tools), ("data", contract.data), ("phase", contract.phases),
            ("asset", contract.assets), ("scope", contract.scope),
        ):
            for item in group:
                self.items[item.id] = (kind, item.name)
        for document in contract.documents:
            self.items[document.id] = ("document", document.title)
        self.events = {e.id: e for e in case.history}

    def party(self, party_id: Optional[str]) -> str:
        if party_id is None:
            return ""
        party = self.parties.get(party_id)
        return party.name or party.id if party else party_id

    def item(self, item_id: str) -> str:
        if item_id in self.items:
            kind, name = self.items[item_id]
            return f"{ITEMS[kind][self.lang]} «{NNBSP}{name}{NNBSP}»" if self.lang == "fr" else f"{ITEMS[kind][self.lang]} “{name}”"
        if item_id in self.parties:
            return self.party(item_id)
        return item_id

    def event_text(self, event: model.Event) -> str:
        """An event in words: what, by whom, towards whom, about what, with its note."""
        parts = [event_word(event.kind.value, self.lang)]
        for field in ("by", "against", "to"):
            value = getattr(event, field)
            if value:
                parts.append(phrase(field, self.lang, party=self.party(value)))
        if event.ref:
            parts.append(phrase("about", self.lang, item=self.item(event.ref)))
        text = ", ".join(parts)
        return f"{text} — {event.note}" if event.note else text

    def fact_text(self, fact_id: str) -> str:
        """An input fact of the engine, told with the case's own names and dates."""
        lang = self.lang
        contract = self.case.contract
        if fact_id == contract.id:
            return f"{word('contract_id', lang)} {contract.id}, {word('signed_on', lang).lower()} {long_date(contract.signed_on, lang)}"
        if fact_id in self.events:
            event = self.events[fact_id]
            return f"{long_date(event.date, lang)}{word('colon', lang)} {self.event_text(event)}"
        kind, _, value = fact_id.partition(":")
        if kind == "objective" and value in OBJECTIVES:
            return f"{word('objective', lang)}{word('colon', lang)} {OBJECTIVES[value][lang]}"
        if kind == "margin":
            return f"{word('margin_levers', lang)}{word('colon', lang)} {word('lever_' + value, lang)}"
        return self.item(fact_id)


def _mission(case: model.Case, lang: str) -> dict[str, Any]:
    mission = case.mission or model.Mission()
    setting = mission.setting.value
    return {
        "present": case.mission is not None,
        "setting": setting,
        "kind": word(f"kind_{setting}", lang),
        "framing": word(f"setting_{setting}", lang),
        "authority": mission.authority,
        "reference": mission.reference,
        "expert": mission.expert,
        "appointed_on": _date(mission.appointed_on, lang) if mission.appointed_on else "",
        "deadline": _date(mission.deadline, lang) if mission.deadline else "",
        "questions": [{"id": q.id, "number": i, "text": q.text.in_(lang)} for i, q in enumerate(mission.questions, start=1)],
        "grievances": [{"id": g.id, "number": i, "text": g.text.in_(lang)} for i, g in enumerate(mission.grievances, start=1)],
    }


def _conduct(case: model.Case, names: CaseNames, lang: str) -> list[dict[str, Any]]:
    rows: list[tuple[datetime.date, int, str, str, str]] = []
    appointed = any(e.kind == model.EventKind.expert_appointed for e in case.history)
    if case.mission and case.mission.appointed_on and not appointed:
        rows.append((case.mission.appointed_on, 0, event_word("expert_appointed", lang), case.mission.authority, ""))
    for event in case.history:
        if event.kind in PROCEDURAL:
            rows.append((event.date, 0, event_word(event.kind.value, lang), event.note, names.party(event.by)))
    for diligence in case.mission.diligences if case.mission else ():
        present = ", ".join(names.party(p) for p in diligence.parties)
        rows.append((diligence.date, 1, word(f"d_{diligence.kind.value}", lang), diligence.summary.in_(lang), present))
    for dire in case.dires:
        rows.append((dire.date, 2, phrase("d_dire", lang, party=names.party(dire.party)), dire.summary.in_(lang), names.party(dire.party)))
    rows.sort(key=lambda row: (row[0], row[1]))
    return [
        {"number": f"E{i}", "date": long_date(d, lang), "iso": d.isoformat(), "step": step, "summary": summary, "parties": parties}
        for i, (d, _, step, summary, parties) in enumerate(rows, start=1)
    ]


def _exhibit_rows(case: model.Case, names: CaseNames, lang: str) -> list[dict[str, Any]]:
    return [
        {
            "number": e.number,
            "title": e.title,
            "date": _date(e.date, lang),
            "party": names.party(e.party),
            "communicated": word(e.communicated_to_all.value, lang),
            "flag": e.communicated_to_all is not model.Tri.yes,
            "sha256": e.sha256 or "",
        }
        for e in case.exhibits
    ]


def _chronology(case: model.Case, names: CaseNames, lang: str) -> list[dict[str, Any]]:
    return [
        {"number": i, "date": long_date(e.date, lang), "iso": e.date.isoformat(), "text": names.event_text(e), "exhibits": list(e.exhibits)}
        for i, e in enumerate(case.history, start=1)
    ]


def _timeline_marks(case: model.Case, conduct: list[dict[str, Any]], lang: str) -> tuple[list[Mark], list[str]]:
    """One line per party that acted, one for facts with no actor, and the expertise last."""
    actors = [p.id for p in case.parties if any(e.by == p.id for e in case.history)]
    names = CaseNames(case, lang)
    lanes = [names.party(p) for p in actors] + [word("lane_other", lang), word("lane_expertise", lang)]
    marks = [
        Mark(e.date, actors.index(e.by) if e.by in actors else len(actors), str(i))
        for i, e in enumerate(case.history, start=1)
        if e.kind not in PROCEDURAL
    ]
    marks += [Mark(datetime.date.fromisoformat(row["iso"]), len(lanes) - 1, row["number"]) for row in conduct]
    return marks, lanes


def _acceptance(case: model.Case, document: model.Document, lang: str) -> str:
    events = [e for e in case.history if e.ref == document.id and e.kind.value in ACCEPTANCE]
    if not events:
        return word("acc_none", lang)
    last = events[-1]
    return phrase(f"acc_{last.kind.value}", lang, date=long_date(last.date, lang))


def _contract(case: model.Case, names: CaseNames, lang: str) -> dict[str, Any]:
    contract = case.contract

    def tri(value: model.Tri) -> str:
        return word(value.value, lang)

    return {
        "id": contract.id,
        "signed_on": long_date(contract.signed_on, lang),
        "object": contract.object_detail or contract.object.value,
        "term": phrase("months", lang, n=contract.term_months) if contract.term_months is not None else word("not_given", lang),
        "client": names.party(contract.client or None),
        "provider": names.party(contract.provider or None),
        "exhibits": list(dict.fromkeys((*contract.exhibits, *contract.reversibility.exhibits, *contract.staff.exhibits))),
        "phases": [
            {
                "order": p.order,
                "name": p.name,
                "location": word(f"loc_{p.location.value}", lang),
                "duration": phrase("months", lang, n=p.duration_months) if p.duration_months is not None else word("not_given", lang),
                "criteria": tri(p.acceptance_criteria),
                "levels": tri(p.service_levels_defined),
                "inventory": tri(p.asset_inventory),
                "exhibits": list(p.exhibits),
            }
            for p in sorted(contract.phases, key=lambda p: p.order)
        ],
        "documents": [
            {"title": d.title, "acceptance": _acceptance(case, d, lang), "exhibits": list(d.exhibits)}
            for d in contract.documents
        ],
    }


def _dependence_sentences(case: model.Case, dependences: Any, names: CaseNames, lang: str) -> list[str]:
    labels = {c.id: c.label.in_(lang) for c in case.contested}
    versions = {c.id: c.versions for c in case.contested}
    out = []
    for dependence in dependences:
        label = labels[dependence.contested]
        if not dependence.present_under and len(dependence.absent_under) == len(versions[dependence.contested]):
            out.append(phrase("falls_either_way", lang, label=label))
            continue
        out += [phrase("falls_under", lang, party=names.party(p), label=label) for p in dependence.absent_under]
        out += [phrase("stands_under", lang, party=names.party(p), label=label) for p in dependence.present_under]
    return out


def _findings(assessment: Assessment, result: Positions, names: CaseNames, questions_of: dict[str, list[int]], lang: str) -> list[dict[str, Any]]:
    case = assessment.case
    table = fact_exhibits(case)
    justified = justification_facts(assessment.run)
    order = {e.number: i for i, e in enumerate(case.exhibits)}
    views = []
    for number, finding in enumerate(assessment.findings, start=1):
        facts = sorted(justified.get(finding.id, frozenset()), key=lambda f: _fact_order(case, f))
        exhibits = sorted({n for f in facts for n in table.get(f, ())}, key=lambda n: order.get(n, len(order)))
        flags = communication(case, exhibits)
        notes = []
        if flags["exhibits_not_communicated"]:
            notes.append(phrase("flag_not_communicated", lang, numbers=", ".join(flags["exhibits_not_communicated"])))
        if flags["exhibits_communication_unknown"]:
            notes.append(phrase("flag_unknown", lang, numbers=", ".join(flags["exhibits_communication_unknown"])))
        dependences = result.findings.get(finding.id, ())
        views.append(
            {
                "number": number,
                "id": finding.id,
                "title": finding.title.in_(lang),
                "severity": finding.severity.value,
                "severity_word": word(finding.severity.value, lang),
                "rationale": finding.rationale.in_(lang),
                "recommendation": finding.recommendation.in_(lang),
                "in_case": [
                    {"text": names.fact_text(f), "exhibits": list(table.get(f, ()))}
                    for f in facts
                ],
                "exhibits": exhibits,
                "flags": notes,
                "contested": _dependence_sentences(case, dependences, names, lang),
                "holds": bool(case.contested) and not dependences,
                "questions": questions_of.get(finding.id, []),
                "rules": list(finding.rules),
                "sources": list(finding.sources),
            }
        )
    return views


def _fact_order(case: model.Case, fact_id: str) -> tuple[int, str]:
    """Input facts in the order a reader expects: the contract, its items, then history by date."""
    if fact_id == case.contract.id:
        return (0, "")
    for index, event in enumerate(case.history):
        if event.id == fact_id:
            return (2, f"{index:06d}")
    return (1, fact_id)


def _finding_reference(rulebook: Rulebook, finding_id: str, numbers: dict[str, int], lang: str) -> str:
    """A finding a dire or a version names: its number here, or the title of the rule that would
    conclude it (a finding that only some version of a contested fact brings)."""
    if finding_id in numbers:
        return phrase("see_finding", lang, n=numbers[finding_id])
    return phrase("not_a_finding", lang, title=rule_title(rulebook, finding_id, lang))


def rule_title(rulebook: Rulebook, finding_id: str, lang: str) -> str:
    """The title of the rule that concludes a finding id's kind (the id itself if none does)."""
    kind = finding_id.split("@")[0]
    rule = next((r for r in rulebook.rules if r.concludes == kind and r.is_finding), None)
    return rule.title.in_(lang) if rule else finding_id


def _dires(case: model.Case, rulebook: Rulebook, names: CaseNames, numbers: dict[str, int], lang: str) -> list[dict[str, Any]]:
    rows = []
    for index, dire in enumerate(case.dires):
        later = [d for d in case.dires[index + 1:] if d.party == dire.party]
        recapping = next((d for d in later if dire.id in d.recaps), None)
        if recapping is not None:
            status, abandoned = phrase("recapped_by", lang, dire=recapping.id), False
        elif later:
            status, abandoned = word("abandoned", lang), True
        else:
            status, abandoned = word("standing", lang), False
        rows.append(
            {
                "id": dire.id,
                "party": names.party(dire.party),
                "date": long_date(dire.date, lang),
                "summary": dire.summary.in_(lang),
                "findings": [_finding_reference(rulebook, f, numbers, lang) for f in dire.findings],
                "exhibits": list(dire.exhibits),
                "reply": dire.reply.in_(lang) if dire.reply else word("no_reply", lang),
                "status": status,
                "abandoned": abandoned,
            }
        )
    return rows


def _numbers_by_kind(assessment: Assessment) -> dict[str, int]:
    """Finding id and kind → its number in the analysis (a kind: its first finding)."""
    out: dict[str, int] = {}
    for number, finding in enumerate(assessment.findings, start=1):
        out.setdefault(finding.id, number)
        out.setdefault(finding.kind, number)
    return out


def _answers(assessment: Assessment, mission: model.Mission, lang: str) -> tuple[dict[str, list[int]], list[dict[str, Any]], list[dict[str, Any]]]:
    by_finding: dict[str, list[int]] = {}
    numbered = list(enumerate(assessment.findings, start=1))
    answers = []
    for index, question in enumerate(mission.questions, start=1):
        hits = [(n, f) for n, f in numbered if finding_questions(f, question.covers)]
        for _, finding in hits:
            by_finding.setdefault(finding.id, []).append(index)
        answers.append({"number": index, "text": question.text.in_(lang), "findings": [{"number": n, "title": f.title.in_(lang), "severity_word": word(f.severity.value, lang)} for n, f in hits]})
    grievances = []
    for index, grievance in enumerate(mission.grievances, start=1):
        hits = [(n, f) for n, f in numbered if finding_questions(f, grievance.covers)]
        grievances.append({"number": index, "text": grievance.text.in_(lang), "findings": [{"number": n, "title": f.title.in_(lang), "severity_word": word(f.severity.value, lang)} for n, f in hits]})
    return by_finding, answers, grievances


def _doubts(assessment: Assessment, result: Positions, names: CaseNames, numbers: dict[str, int], lang: str) -> dict[str, Any]:
    case = assessment.case
    contested = []
    for item in case.contested:
        depending = [f for f, deps in result.findings.items() if any(d.contested == item.id for d in deps)]
        contested.append(
            {
                "label": item.label.in_(lang),
                "path": item.path,
                "versions": [
                    {"text": phrase("version_of", lang, party=names.party(v.party), value=value_word(v.value, lang)), "exhibits": list(v.exhibits)}
                    for v in item.versions
                ],
                "findings": [phrase("see_finding", lang, n=numbers[f]) for f in depending],
            }
        )
    only_under = []
    rulebook = assessment.rulebook
    for finding_id, deps in result.only_under.items():
        title = rule_title(rulebook, finding_id, lang)
        labels = {c.id: c.label.in_(lang) for c in case.contested}
        for dep in deps:
            only_under += [phrase("only_under", lang, party=names.party(p), label=labels[dep.contested], title=title) for p in dep.present_under]
    open_questions = [{"text": q.text.in_(lang), "document": q.document.in_(lang)} for q in questions(assessment)]
    established = [
        {"number": n, "title": f.title.in_(lang)}
        for n, f in enumerate(assessment.findings, start=1)
        if not result.findings.get(f.id)
    ]
    notes = []
    if case.contested:
        notes.append(phrase("combinations", lang, assessed=result.assessed, total=result.combinations))
        if result.cut:
            notes.append(phrase("combinations_cut", lang, cap=MAX_ASSESSMENTS))
    return {"established": established, "contested": contested, "only_under": only_under, "questions": open_questions, "notes": notes}


def value_word(value: str, lang: str) -> str:
    """A version's value as the reader says it (``yes`` → ``oui``); other values as written."""
    return word(value, lang) if value in ("yes", "no", "unknown") else value


def _margin(assessment: Assessment, lang: str) -> dict[str, Any]:
    levers = [word(f"lever_{m.value}", lang) for m in assessment.case.contract.margin_levers]
    findings = [
        {"number": n, "title": f.title.in_(lang)}
        for n, f in enumerate(assessment.findings, start=1)
        if "S10.c" in f.sources
    ]
    return {"levers": levers, "findings": findings}


def _rules_applied(assessment: Assessment, lang: str) -> list[dict[str, Any]]:
    used = sorted({firing.rule for firing in assessment.run.firings})
    rows = []
    for rule_id in used:
        rule = assessment.rulebook.rule(rule_id)
        in_force = getattr(rule, "in_force", None)
        rows.append({"id": rule.id, "title": rule.title.in_(lang), "sources": ", ".join(rule.sources), "in_force": str(in_force) if in_force else "", "file": Path(rule.file).name})
    return rows


def court_context(assessment: Assessment, lang: str) -> dict[str, Any]:
    """Everything the court report shows, in one language, as plain data."""
    if lang not in LANGS:
        raise ValueError(f"expected a language among {', '.join(LANGS)}, got '{lang}'")
    case = assessment.case
    names = CaseNames(case, lang)
    result = positions(assessment)
    mission = case.mission or model.Mission()
    questions_of, answers, grievances = _answers(assessment, mission, lang)
    findings = _findings(assessment, result, names, questions_of, lang)
    numbers = _numbers_by_kind(assessment)
    conduct = _conduct(case, names, lang)
    marks, lanes = _timeline_marks(case, conduct, lang)
    data = assessment.to_dict(lang)
    role = {p.id: word(f"role_{p.role.value}", lang) for p in case.parties}
    return {
        "lang": lang,
        "w": {key: word(key, lang) for key in WORDS},
        "case": {
            "id": case.id,
            "title": case.title.in_(lang),
            "narrative": case.narrative.in_(lang) if case.narrative else "",
            "as_of": long_date(case.as_of, lang),
        },
        "mission": _mission(case, lang),
        "parties": [{"id": p.id, "name": p.name, "role": role[p.id], "exhibits": list(p.exhibits)} for p in case.parties],
        "conduct": conduct,
        "exhibits": _exhibit_rows(case, names, lang),
        "chronology": _chronology(case, names, lang),
        "timeline": {"marks": marks, "lanes": lanes, "title": word("s_chronology", lang)},
        "contract": _contract(case, names, lang),
        "findings": findings,
        "doubts": _doubts(assessment, result, names, numbers, lang),
        "margin": _margin(assessment, lang) if mission.setting is model.MissionSetting.private_advice else None,
        "dires": _dires(case, assessment.rulebook, names, numbers, lang),
        "answers": answers,
        "grievances": grievances,
        "outside": [{"number": f["number"], "title": f["title"]} for f in findings if not f["questions"]] if mission.questions else [],
        "rules": _rules_applied(assessment, lang),
        "digests": {
            "library_version": data["library_version"],
            "rulebook_digest": data["rulebook_digest"],
            "case_digest": data["case_digest"],
        },
        "version": __version__,
    }


def md_text(value: Any) -> str:
    """:func:`.report.md_escape`, keeping the narrow no-break spaces of French typography
    (``str.split`` would turn them into plain spaces)."""
    return NNBSP.join(md_escape(part) for part in str(value).split(NNBSP))


@functools.cache
def court_environment() -> jinja2.Environment:
    """The findings report's template environment, with :func:`md_text` as its ``md`` filter."""
    environment = _report_environment().overlay()
    environment.filters = {**environment.filters, "md": md_text}
    return environment


def _timeline(context: dict[str, Any]) -> str:
    timeline = context["timeline"]
    return timeline_svg(timeline["marks"], timeline["lanes"], timeline["title"])


def timeline_picture(context: dict[str, Any]) -> bytes:
    """The timeline as PNG bytes (for the DOCX report)."""
    timeline = context["timeline"]
    return timeline_png(timeline["marks"], timeline["lanes"], timeline["title"])


def court_markdown(assessment: Assessment, lang: str) -> str:
    """The court report as Markdown: the timeline as an embedded SVG image, the graph as Mermaid."""
    context = court_context(assessment, lang)
    svg = _timeline(context)
    context["timeline_uri"] = "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode("ascii") if svg else ""
    picture = drawable(in_words(assessment.graph, assessment, lang), lang)  # the reader's words, at most about a hundred nodes
    context["mermaid"] = to_mermaid(picture, finding_severities(assessment))
    return court_environment().get_template("court_report.md").render(context).rstrip() + "\n"


def court_html(assessment: Assessment, lang: str) -> str:
    """The court report as one self-contained HTML page (inline CSS and SVG, nothing fetched)."""
    context = court_context(assessment, lang)
    # Trusted: both pictures are drawn by matplotlib with texts as glyph paths; titles escaped.
    context["timeline_svg"] = Markup(svg_inline(_timeline(context)))
    context["graph_svg"] = Markup(svg_inline(to_svg(in_words(assessment.graph, assessment, lang), lang, finding_severities(assessment))))
    return court_environment().get_template("court_report.html").render(context).rstrip() + "\n"
