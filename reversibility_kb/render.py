"""Assessments as text, Markdown and JSON."""

from __future__ import annotations

import json
from typing import Any

from .assessment import Assessment
from .i18n import word


def to_json(data: Any) -> str:
    """The one JSON layout of every output: stable key order, UTF-8, two-space indent."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def assessment_text(assessment: Assessment, lang: str) -> str:
    case = assessment.case
    lines = [
        f"{word('case', lang)}: {case.id} — {case.title.in_(lang)}",
        f"{word('as_of', lang)}: {case.as_of.isoformat()}",
        "",
        f"{word('findings', lang)} ({len(assessment.findings)}):",
    ]
    if not assessment.findings:
        lines.append(f"  {word('no_findings', lang)}")
    for finding in assessment.findings:
        lines += [
            f"- [{word(finding.severity.value, lang)}] {finding.id}: {finding.title.in_(lang)}",
            f"    {word('rule', lang)}: {', '.join(finding.rules)}   {word('sources', lang)}: {', '.join(finding.sources)}",
            f"    {word('recommendation', lang)}: {finding.recommendation.in_(lang)}",
        ]
    return "\n".join(lines) + "\n"


def assessment_markdown(assessment: Assessment, lang: str) -> str:
    case = assessment.case
    lines = [
        f"# {case.title.in_(lang)}",
        "",
        f"- {word('case', lang)}: `{case.id}`",
        f"- {word('as_of', lang)}: {case.as_of.isoformat()}",
        "",
        f"## {word('findings', lang)}",
        "",
    ]
    if not assessment.findings:
        lines.append(word("no_findings", lang))
    for finding in assessment.findings:
        lines += [
            f"### {finding.title.in_(lang)}",
            "",
            f"- `{finding.id}` — {word('severity', lang)}: **{word(finding.severity.value, lang)}**",
            f"- {word('rule', lang)}: {', '.join(f'`{r}`' for r in finding.rules)}",
            f"- {word('sources', lang)}: {', '.join(finding.sources)}",
        ]
        if finding.practices:
            lines.append(f"- {word('practices', lang)}: {', '.join(finding.practices)}")
        lines += [
            "",
            f"{word('why', lang)}: {finding.rationale.in_(lang)}",
            "",
            f"{word('recommendation', lang)}: {finding.recommendation.in_(lang)}",
            "",
        ]
    return "\n".join(lines).rstrip() + "\n"
