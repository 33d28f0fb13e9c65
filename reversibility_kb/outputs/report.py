"""The expert's report: an assessment written out for a court file, in French or in English.

Two renderings of the same content, from Jinja2 templates in ``templates/``:

* :func:`report_html` — one self-contained HTML page (inline CSS and SVG; no script, font, style
  sheet or link fetched from anywhere). Autoescaping is on: every text of the case is escaped.
* :func:`report_markdown` — Markdown, with the reasoning graph as a Mermaid block.

The findings are grouped by theme of the source document (the section of the main seed point
of the rule that concluded them, S1 to S10), each with its severity, grounds, recommendation, the seed points it rests on
and the rules of the art it shows were breached.

``questions`` is the investigation checklist: objects with ``text`` and ``document`` (texts in
both languages, with ``.fr`` and ``.en``) and ``weight`` (an int), rendered in the given order.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any, Iterable

import jinja2
from markupsafe import Markup

from .. import __version__
from ..inference.assessment import Assessment, Finding
from .graphs import SEVERITIES, finding_severities, in_words, svg_inline, to_mermaid, to_svg
from ..case.i18n import LANGS
from .picture import drawable
from .report_i18n import WORDS, long_date, word
from ..case.vocabulary import value

__all__ = ["report_context", "report_html", "report_markdown"]

TEMPLATES = Path(__file__).resolve().parent / "templates"

_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}|#!~])")


def md_escape(value: Any) -> str:
    """A text made inert in Markdown (no emphasis, link, HTML or table cell break); one line.

    ``&``, ``<`` and ``>`` become HTML entities (every Markdown renderer shows them as text, and
    no tag survives); other Markdown punctuation is escaped with a backslash.
    """
    text = " ".join(str(value).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)


def md_code(value: Any) -> str:
    """An identifier as inline code (backticks in it are replaced: identifiers have none)."""
    return "`" + " ".join(str(value).split()).replace("`", "'") + "`"


def md_fenced(value: Any, info: str = "") -> str:
    """A block of text shown verbatim (a YAML file, an explanation): fenced by more backticks
    than any run inside it, so no line of the text can close the block and be read as Markdown."""
    text = str(value)
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"{fence}{info}\n{text}{'' if text.endswith(chr(10)) else chr(10)}{fence}"


def slug(value: Any) -> str:
    """An HTML id made of safe characters."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", str(value))


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(md=md_escape, code=md_code, slug=slug)
    return environment


def _section_number(seed_id: str) -> int:
    return int(seed_id[1:].partition(".")[0])


def _finding_view(finding: Finding, number: int, assessment: Assessment, lang: str) -> dict[str, Any]:
    rulebook = assessment.rulebook
    sources = [
        {"id": seed_id, "text": rulebook.seed[seed_id].text.in_(lang) if seed_id in rulebook.seed else ""}
        for seed_id in finding.sources
    ]
    practices = [
        {
            "id": practice_id,
            "title": rulebook.practices[practice_id].title.in_(lang),
            "description": rulebook.practices[practice_id].description.in_(lang),
            "evidence": rulebook.practices[practice_id].evidence.in_(lang),
        }
        for practice_id in finding.practices
        if practice_id in rulebook.practices
    ]
    return {
        "number": number,
        "id": finding.id,
        "severity": finding.severity.value,
        "severity_word": word(finding.severity.value, lang),
        "title": finding.title.in_(lang),
        "rationale": finding.rationale.in_(lang),
        "recommendation": finding.recommendation.in_(lang),
        "rules": list(finding.rules),
        "sources": sources,
        "practices": practices,
        # A finding on many items shows how many and the first few; the annex lists them all.
        "items_all": list(finding.items),
        "items_shown": list(finding.items[:ITEMS_SHOWN]),
        "items_more": max(0, len(finding.items) - ITEMS_SHOWN),
    }


#: How many items of a finding on many items its paragraph names (the annex names them all).
ITEMS_SHOWN = 10


def _themes(assessment: Assessment, lang: str) -> list[dict[str, Any]]:
    """Findings grouped by the section of the main seed point of the rule that concluded them
    (a rule lists the point it encodes first), S1 … S10; numbered in that order."""
    groups: dict[int, list[Finding]] = {}
    first_seed: dict[int, str] = {}
    for finding in assessment.findings:
        seed_id = assessment.rulebook.rule(finding.rule).sources[0]
        number = _section_number(seed_id)
        groups.setdefault(number, []).append(finding)
        first_seed.setdefault(number, seed_id)
    themes = []
    counter = 0
    for number in sorted(groups):
        seed = assessment.rulebook.seed.get(first_seed[number])
        views = []
        for finding in groups[number]:
            counter += 1
            views.append(_finding_view(finding, counter, assessment, lang))
        themes.append({"code": f"S{number}", "title": seed.section.in_(lang) if seed else "", "findings": views})
    return themes


def report_context(assessment: Assessment, lang: str, questions: Iterable[Any] = ()) -> dict[str, Any]:
    """Everything the templates show, already in the chosen language (plain data)."""
    if lang not in LANGS:
        raise ValueError(f"expected a language among {', '.join(LANGS)}, got '{lang}'")
    data = assessment.to_dict(lang)
    case = assessment.case
    themes = _themes(assessment, lang)
    numbered = {f["id"]: f for theme in themes for f in theme["findings"]}
    counts = {s: sum(1 for f in assessment.findings if f.severity.value == s) for s in SEVERITIES}
    return {
        "lang": lang,
        "w": {key: word(key, lang) for key in WORDS},
        "case": {
            "id": data["case"],
            "title": case.title.in_(lang),
            "narrative": case.narrative.in_(lang) if case.narrative else None,
            "as_of": data["as_of"],
            "as_of_long": long_date(case.as_of, lang),
        },
        "library_version": data["library_version"],
        "rulebook_digest": data["rulebook_digest"],
        "case_digest": data["case_digest"],
        "findings_count": len(assessment.findings),
        "severities": [{"id": s, "word": word(s, lang), "count": counts[s]} for s in SEVERITIES],
        "themes": themes,
        # In the order of the assessment: the most serious first.
        "recommendations": [numbered[f.id] for f in assessment.findings],
        "annex": [numbered[f.id] for f in assessment.findings if f.items],
        "questions": [
            {"number": i, "text": q.text.in_(lang), "document": q.document.in_(lang), "weight": int(q.weight),
             "holder": value(q.holder, lang) if getattr(q, "holder", None) else "—"}
            for i, q in enumerate(questions, start=1)
        ],
        "version": __version__,
    }


def report_markdown(assessment: Assessment, lang: str, questions: Iterable[Any] = ()) -> str:
    """The expert's report as Markdown, with the reasoning graph as a Mermaid block."""
    context = report_context(assessment, lang, questions)
    picture = drawable(in_words(assessment.graph, assessment, lang), lang)  # at most about a hundred nodes
    context["mermaid"] = to_mermaid(picture, finding_severities(assessment))
    return _environment().get_template("report.md").render(context).rstrip() + "\n"


def report_html(assessment: Assessment, lang: str, questions: Iterable[Any] = ()) -> str:
    """The expert's report as one self-contained HTML page, the reasoning graph drawn inline."""
    context = report_context(assessment, lang, questions)
    picture = to_svg(in_words(assessment.graph, assessment, lang), lang, finding_severities(assessment))
    # Trusted: drawn by graphs.to_svg, whose texts are glyph paths and whose only text (<title>) is escaped.
    context["svg"] = Markup(svg_inline(picture))
    return _environment().get_template("report.html").render(context).rstrip() + "\n"
