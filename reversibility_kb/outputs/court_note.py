"""The note to the parties (CPC art. 275): what the expert asks of each party, by a deadline.

Drawn from the investigation checklist (:func:`.questions.questions`: unknown facts whose answer
would change a finding), each question addressed to the party that holds the answer (the
rulebook's ``holder``; the client where the case has no such party), with the findings at stake.
A fact the parties contest is not asked again: each party is invited to support its own version.
An exhibit not communicated to every party is to be communicated by the party that produced it
(CPC art. 16). The note is numbered after the notes already recorded in the mission's diligences.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, Optional

from ..case import model
from ..inference.assessment import Assessment
from .court_report import CaseNames, court_environment, rule_title, value_word
from .court_report_i18n import NNBSP, phrase, word
from .court_note_i18n import NOTE_WORDS, note_phrase
from ..tools.questions import answer_lines, questions
from .report_i18n import long_date

#: Days the parties are given when no deadline is set.
DEFAULT_DAYS = 30


def _generic(path: str) -> str:
    return re.sub(r"\[[^\]]*\]", "[]", path)


def _holder(case: model.Case, role: Optional[str]) -> str:
    contract = case.contract
    by_role = {"client": contract.client, "provider": contract.provider, "successor": contract.successor or next(iter(contract.successors), None)}
    return by_role.get(role or "client") or contract.client


def note_context(assessment: Assessment, lang: str, deadline: Optional[datetime.date] = None) -> dict[str, Any]:
    """Everything the note shows, per party, in one language."""
    case = assessment.case
    names = CaseNames(case, lang)
    mission = case.mission or model.Mission()
    deadline = deadline or case.as_of + datetime.timedelta(days=DEFAULT_DAYS)
    requests: dict[str, list[dict[str, Any]]] = {p.id: [] for p in case.parties}
    contested = {c.path for c in case.contested}
    for question in questions(assessment):
        if question.path in contested:
            continue
        wording = assessment.rulebook.questions.get(_generic(question.path))
        holder = _holder(case, getattr(wording, "holder", None))
        stakes = [rule_title(assessment.rulebook, f, lang) for f in question.findings]
        titled = lambda f: f"« {rule_title(assessment.rulebook, f, lang)} »" if lang == "fr" else f"“{rule_title(assessment.rulebook, f, lang)}”"  # noqa: E731
        requests.setdefault(holder, []).append({
            "question": question.text.in_(lang), "document": question.document.in_(lang), "stakes": stakes,
            "answers": answer_lines(question, lang, titled),  # what each answer would add or remove
        })
    for item in case.contested:
        for version in item.versions:
            others = [v for v in item.versions if v.party != version.party]
            requests.setdefault(version.party, []).append({
                "question": note_phrase("support_version", lang, label=item.label.in_(lang), value=value_word(version.value, lang),
                                        others=", ".join(names.party(v.party) for v in others)),
                "document": "", "stakes": [],
            })
    for exhibit in case.exhibits:
        if exhibit.communicated_to_all is model.Tri.no:
            requests.setdefault(exhibit.party, []).append({
                "question": note_phrase("communicate", lang, number=exhibit.number, title=exhibit.title), "document": "", "stakes": [],
            })
    number = 1 + sum(1 for d in mission.diligences if d.kind is model.DiligenceKind.note_to_parties)
    return {
        "lang": lang,
        "w": {key: note_phrase(key, lang) for key in NOTE_WORDS if "{" not in NOTE_WORDS[key][lang]},
        "colon": word("colon", lang),
        "title": note_phrase("title", lang, n=number),
        "case": case.title.in_(lang),
        "reference": mission.reference,
        "expert": mission.expert,
        "date": long_date(case.as_of, lang),
        "deadline": long_date(deadline, lang),
        "intro": note_phrase("intro", lang, deadline=long_date(deadline, lang)),
        "parties": [
            {"name": names.party(p.id), "role": word(f"role_{p.role.value}", lang), "requests": requests.get(p.id, [])}
            for p in case.parties
        ],
        "no_request": phrase("none", lang),
        "separator": f"{NNBSP}; " if lang == "fr" else "; ",
    }


def note_markdown(assessment: Assessment, lang: str, deadline: Optional[datetime.date] = None) -> str:
    """The note to the parties as Markdown."""
    context = note_context(assessment, lang, deadline)
    return court_environment().get_template("court_note.md").render(context).rstrip() + "\n"
