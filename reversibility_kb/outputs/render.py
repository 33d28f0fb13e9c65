"""Assessments as text, Markdown and JSON."""

from __future__ import annotations

import json
import re
from typing import Any

from ..inference.assessment import Assessment
from ..case.i18n import word
from ..case.vocabulary import colon, identifier


#: Characters json writes raw with ``ensure_ascii=False`` that a terminal or a JavaScript parser
#: reads as controls or line ends: DEL, the C1 controls, the line and paragraph separators.
_RAW_CONTROLS = re.compile("[\x7f-\x9f\u2028\u2029]")


def to_json(data: Any) -> str:
    """The one JSON layout of every output: stable key order, UTF-8, two-space indent."""
    return json_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n"


def json_safe(text: str) -> str:
    """JSON text with DEL, C1 controls and line separators escaped (they can only be in strings)."""
    return _RAW_CONTROLS.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


#: What can start Markdown markup inside a line: code, emphasis, links and images (every line
#: written here starts with its own prefix, so block markers need no escape).
_MD_SPECIAL = re.compile(r"([\\`*_\[\]])")


def md_text(text: str) -> str:
    """Text that Markdown shows as written: no HTML (``<script>``), no link, no emphasis."""
    escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(_MD_SPECIAL.sub(r"\\\1", escaped).split())


def md_code(text: str) -> str:
    """An inline code span that holds any text: fenced by more backticks than it contains."""
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{' '.join(text.split())}{pad}{fence}"


def _label(key: str, lang: str) -> str:
    """An interface word followed by its colon, in the language's typography."""
    return colon(word(key, lang), lang)


def assessment_text(assessment: Assessment, lang: str) -> str:
    case = assessment.case
    lines = [
        f"{_label('case', lang)} {case.id} — {case.title.in_(lang)}",
        f"{_label('as_of', lang)} {case.as_of.isoformat()}",
        "",
        colon(f"{word('findings', lang)} ({len(assessment.findings)})", lang),
    ]
    if not assessment.findings:
        lines.append(f"  {word('no_findings', lang)}")
    for finding in assessment.findings:
        lines += [
            f"- [{word(finding.severity.value, lang)}] {colon(identifier(finding.id), lang)} {finding.title.in_(lang)}",
            f"    {_label('rule', lang)} {', '.join(map(identifier, finding.rules))}   {_label('sources', lang)} {', '.join(finding.sources)}",
            f"    {_label('recommendation', lang)} {finding.recommendation.in_(lang)}",
        ]
    return "\n".join(lines) + "\n"


def assessment_markdown(assessment: Assessment, lang: str) -> str:
    case = assessment.case
    lines = [
        f"# {md_text(case.title.in_(lang))}",
        "",
        f"- {_label('case', lang)} {md_code(case.id)}",
        f"- {_label('as_of', lang)} {case.as_of.isoformat()}",
        "",
        f"## {word('findings', lang)}",
        "",
    ]
    if not assessment.findings:
        lines.append(word("no_findings", lang))
    for finding in assessment.findings:
        lines += [
            f"### {md_text(finding.title.in_(lang))}",
            "",
            f"- {md_code(finding.id)} — {_label('severity', lang)} **{word(finding.severity.value, lang)}**",
            f"- {_label('rule', lang)} {', '.join(md_code(r) for r in finding.rules)}",
            f"- {_label('sources', lang)} {md_text(', '.join(finding.sources))}",
        ]
        if finding.practices:
            named = [assessment.rulebook.practices[p].title.in_(lang) if p in assessment.rulebook.practices else p for p in finding.practices]
            lines.append(f"- {_label('practices', lang)} {md_text(', '.join(named))}")
        lines += [
            "",
            f"{_label('why', lang)} {md_text(finding.rationale.in_(lang))}",
            "",
            f"{_label('recommendation', lang)} {md_text(finding.recommendation.in_(lang))}",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"
