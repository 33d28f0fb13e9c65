"""A graded answer and its hints as JSON data, plain text, Markdown and one self-contained HTML
page, in French or English. The words come from :mod:`training.texts`; the explanations from
:mod:`explaining` (``why_text``, ``why_not_text``)."""

from __future__ import annotations

import functools
import textwrap
from typing import Any, Optional

import jinja2

from .. import __version__
from ..tools.explaining import why_not_text, why_text
from ..case.i18n import LANGS
from ..tools.questions import Question
from ..outputs.report import TEMPLATES, md_code, md_escape, md_fenced, slug
from .grading import Grade, Hint, PartGrade, generic_path, practice
from .texts import t, words


@functools.cache
def environment() -> jinja2.Environment:
    """The Jinja2 environment of the training templates (autoescape on for HTML)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(md=md_escape, code=md_code, fenced=md_fenced, slug=slug, pct=percent)
    return env


def percent(score: float) -> str:
    """A score between 0 and 1 as a whole percentage."""
    return f"{round(score * 100)} %"


def severity_word(severity: Optional[str], lang: str) -> str:
    """A severity (its value; ``None`` for an intermediate step) in words."""
    return t(f"sev_{severity}" if severity is not None else "sev_none", lang)


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ValueError(f"expected a language among {', '.join(LANGS)}, got '{lang}'")


# --------------------------------------------------------------------------------------------
# Data


def _part_dict(part: PartGrade | None, describe: Any) -> Any:
    if part is None:
        return None
    return {
        "score": part.score,
        "found": [describe(i) for i in part.found],
        "missed": [describe(i) for i in part.missed],
        "wrong": [describe(i) for i in part.wrong],
        "unknown": [{"id": i, "nearest": list(n)} for i, n in part.unknown],
    }


def grade_to_dict(grade: Grade, lang: str) -> dict[str, Any]:
    """Everything a grading says, as plain data (the ``--format json`` output)."""
    _check_lang(lang)
    key = grade.key

    def practice_view(practice_id: str) -> dict[str, Any]:
        item = practice(key, practice_id)
        return {"id": practice_id, "title": item.title.in_(lang), "evidence": item.evidence.in_(lang)}

    asked: dict[str, Question] = {}
    for question in grade.checklist:
        asked.setdefault(generic_path(question.path), question)

    def document_view(path: str) -> dict[str, Any]:
        question = asked.get(generic_path(path))
        wording = key.assessment.rulebook.questions.get(generic_path(path))
        text = question.text if question else wording.question if wording else None
        document = question.document if question else wording.document if wording else None
        return {"path": path, "question": text.in_(lang) if text else None, "document": document.in_(lang) if document else None}

    return {
        "case": key.assessment.case.id,
        "student": grade.answers.student,
        "answers": grade.answers.source or None,
        "score": grade.score,
        "themes": [
            {"theme": s.theme, "title": s.title.in_(lang), "score": s.score, "expected": s.expected, "found": s.found}
            for s in grade.themes
        ],
        "found": [
            {
                "id": f.expected.id,
                "severity": f.expected.severity.value,
                "theme": f.expected.theme,
                "title": f.expected.title.in_(lang),
                "filed_under": f.filed_under,
            }
            for f in grade.found
        ],
        "missed": [
            {
                "id": m.expected.id,
                "severity": m.expected.severity.value,
                "theme": m.expected.theme,
                "title": m.expected.title.in_(lang),
                "credit": m.credit,
                "partial_via": list(m.via),
                "why": m.why.to_dict(lang) if m.why else None,
                "why_not": [w.to_dict(lang) for w in m.why_not],
            }
            for m in grade.missed
        ],
        "partial": [{"id": p.id, "reason": p.reason, "toward": list(p.toward)} for p in grade.partial],
        "wrong": [
            {
                "id": w.id,
                "severity": w.severity.value if w.severity else None,
                "theme": w.theme,
                "nearest": list(w.nearest),
                "why_not": [n.to_dict(lang) for n in w.why_not],
            }
            for w in grade.wrong
        ],
        "unknown": [{"id": u.id, "nearest": list(u.nearest)} for u in grade.unknown],
        "practices": _part_dict(grade.practices, practice_view),
        "documents": _part_dict(grade.documents, document_view),
    }


# --------------------------------------------------------------------------------------------
# Plain text


def nearest_text(ids: Any, lang: str) -> str:
    """The nearest ids to an unknown one, as a phrase."""
    return f"{t('nearest', lang)}{t('colon', lang)} {', '.join(ids)}" if ids else t("no_nearest", lang)


def _part_item(item: dict[str, Any]) -> tuple[str, str]:
    """A rule of the art or a document as (reference, label)."""
    if "path" in item:
        return item["path"], item["question"] or ""
    return item["id"], item["title"]


def grade_text(grade: Grade, lang: str) -> str:
    """A grading for the terminal: the marks, then every claim and expected finding explained."""
    data = grade_to_dict(grade, lang)
    colon = t("colon", lang)
    out = [
        f"{t('grade_kind', lang)}{colon} {data['case']} — {grade.key.assessment.case.title.in_(lang)}",
        f"{t('student', lang)}{colon} {data['student'] or t('anonymous', lang)}",
        f"{t('overall', lang)}{colon} {percent(grade.score)}",
        "",
        f"{t('by_theme', lang)}{colon}",
    ]
    for theme in data["themes"]:
        out.append(f"  {theme['theme']:4} {percent(theme['score']):>6}  {theme['found']}/{theme['expected']}  {theme['title']}")
    out += ["", f"{t('found', lang)} ({len(grade.found)}){colon}"]
    out += [f"  + [{severity_word(f.expected.severity.value, lang)}] {f.expected.id}{colon} {f.expected.title.in_(lang)}"
            + (f" ({t('filed_under', lang, given=f.filed_under, theme=f.expected.theme)})" if f.filed_under else "") for f in grade.found] or [f"  {t('none', lang)}"]
    out += ["", f"{t('missed', lang)} ({len(grade.missed)}){colon}"]
    for m in grade.missed:
        out.append(f"  - [{severity_word(m.expected.severity.value, lang)}] {m.expected.id} ({m.expected.theme}){colon} {m.expected.title.in_(lang)}")
        if m.via:
            out.append("      " + t("credit", lang, credit=f"{m.credit:g}", weight=m.expected.weight, via=", ".join(m.via)))
        out.append(f"      {t('why_missed', lang)}{colon}")
        if m.why:
            out.append(textwrap.indent(why_text(m.why, lang), "        ").rstrip())
        else:
            out.append(f"        {t('not_reached', lang)}")
            out += [textwrap.indent(why_not_text(w, lang), "        ").rstrip() for w in m.why_not]
    if not grade.missed:
        out.append(f"  {t('none', lang)}")
    out += ["", f"{t('partial', lang)} ({len(grade.partial)}){colon}"]
    for p in grade.partial:
        line = f"  ~ {p.id}{colon} {t('reason_' + p.reason, lang)}"
        out.append(line + (f"; {t('leads_to', lang)} {', '.join(p.toward)}" if p.toward else ""))
    if not grade.partial:
        out.append(f"  {t('none', lang)}")
    out += ["", f"{t('wrong', lang)} ({len(grade.wrong)}){colon}"]
    for w in grade.wrong:
        out.append(f"  x [{severity_word(w.severity.value if w.severity else None, lang)}] {w.id}" + (f" ({nearest_text(w.nearest, lang)})" if w.nearest else ""))
        out.append(f"      {t('why_wrong', lang)}{colon}")
        out += [textwrap.indent(why_not_text(n, lang), "        ").rstrip() for n in w.why_not]
    if not grade.wrong:
        out.append(f"  {t('none', lang)}")
    out += ["", f"{t('unknown', lang)} ({len(grade.unknown)}){colon}"]
    out += [f"  ? {u.id} ({nearest_text(u.nearest, lang)})" for u in grade.unknown] or [f"  {t('none', lang)}"]
    for name, part in (("practices_part", data["practices"]), ("documents_part", data["documents"])):
        out += ["", f"{t(name, lang)}{colon}"]
        if part is None:
            out.append(f"  {t('not_answered', lang)}")
            continue
        out.append(f"  {t('mark', lang)}{colon} {percent(part['score'])}")
        for status in ("found", "missed", "wrong"):
            for item in part[status]:
                ref, label = _part_item(item)
                out.append(f"  {t('part_' + status, lang)}{colon} {ref}" + (f" — {label}" if label else ""))
        for item in part["unknown"]:
            out.append(f"  {t('part_unknown', lang)}{colon} {item['id']} ({nearest_text(item['nearest'], lang)})")
    out += ["", t("weighting", lang)]
    return "\n".join(out) + "\n"


# --------------------------------------------------------------------------------------------
# Markdown and HTML


def grade_context(grade: Grade, lang: str) -> dict[str, Any]:
    """What the grading templates show, already in the chosen language."""
    data = grade_to_dict(grade, lang)
    for item in data["found"] + data["missed"] + data["wrong"]:
        item["severity_word"] = severity_word(item["severity"], lang)
    for item, m in zip(data["missed"], grade.missed):
        item["why_text"] = why_text(m.why, lang) if m.why else ""
        item["why_not_text"] = "".join(why_not_text(w, lang) for w in m.why_not)
        item["credit_text"] = t("credit", lang, credit=f"{m.credit:g}", weight=m.expected.weight, via=", ".join(m.via)) if m.via else ""
    for item, w in zip(data["wrong"], grade.wrong):
        item["why_not_text"] = "".join(why_not_text(n, lang) for n in w.why_not)
        item["nearest_text"] = nearest_text(w.nearest, lang) if w.nearest else ""
    for item in data["found"]:
        item["filed_text"] = t("filed_under", lang, given=item["filed_under"], theme=item["theme"]) if item["filed_under"] else ""
    for item in data["partial"]:
        item["reason_text"] = t("reason_" + item["reason"], lang)
    for item in data["unknown"]:
        item["nearest_text"] = nearest_text(item["nearest"], lang)
    for part in (data["practices"], data["documents"]):
        if part:
            for item in part["unknown"]:
                item["nearest_text"] = nearest_text(item["nearest"], lang)
            for item in part["found"] + part["missed"] + part["wrong"]:
                item["ref"], item["label"] = _part_item(item)
    case = grade.key.assessment.case
    return {
        "lang": lang,
        "w": words(lang),
        "title": case.title.in_(lang),
        "data": data,
        "score": percent(grade.score),
        "version": __version__,
    }


def grade_markdown(grade: Grade, lang: str) -> str:
    """A grading in Markdown, explanations in text blocks."""
    return environment().get_template("training_grade.md").render(grade_context(grade, lang)).rstrip() + "\n"


def grade_html(grade: Grade, lang: str) -> str:
    """A grading as one self-contained HTML page."""
    return environment().get_template("training_grade.html").render(grade_context(grade, lang)).rstrip() + "\n"


# --------------------------------------------------------------------------------------------
# Hints


def hint_lines(hint: Hint, lang: str) -> list[str]:
    """One clue, as many lines as its level gives."""
    lines = [t("hint_theme", lang, theme=hint.theme, title=hint.theme_title.in_(lang))]
    if hint.level >= 2 and hint.facts:
        lines.append(t("hint_facts", lang, facts=", ".join(hint.facts)))
    if hint.level >= 3 and hint.rule is not None:
        lines.append(t("hint_rule", lang, title=hint.rule.title.in_(lang).rstrip("."), rationale=hint.rule.rationale.in_(lang)))
    return lines


def hints_text(found_hints: list[Hint], lang: str) -> str:
    """Clues for every finding not named yet, numbered."""
    if not found_hints:
        return t("hint_none", lang) + "\n"
    out = [f"{t('hints', lang)}{t('colon', lang)}"]
    for number, hint in enumerate(found_hints, 1):
        lines = hint_lines(hint, lang)
        out.append(f"{number}. {lines[0]}")
        out += [f"   {line}" for line in lines[1:]]
    return "\n".join(out) + "\n"


def hints_to_dict(found_hints: list[Hint], lang: str) -> list[dict[str, Any]]:
    """Clues as plain data (the ``--hint --format json`` output)."""
    return [
        {
            "level": h.level,
            "theme": h.theme,
            "theme_title": h.theme_title.in_(lang),
            "facts": list(h.facts),
            "rule": {"title": h.rule.title.in_(lang), "rationale": h.rule.rationale.in_(lang), "sources": list(h.rule.sources)} if h.rule else None,
        }
        for h in found_hints
    ]

