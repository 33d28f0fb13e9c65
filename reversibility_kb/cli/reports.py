"""The ``report`` and ``graph`` verbs of the command line (``main.py`` adds them with
:func:`register`). Files given with ``-o`` are written atomically.

The report and picture stack (Jinja2, pydot, matplotlib) is imported by the verb that needs it,
not with the command line: ``--help`` and ``assess`` start without it."""

from __future__ import annotations

from typing import Any, Optional

import click

from ..inference.assessment import Assessment
from .common import LANG, OUTPUT, assess_named, emit, guarded, require_conclusion
from .help import Verb

GRAPH_FORMATS = ("svg", "graphml", "json", "dot", "mermaid")


def checklist(assessment: Assessment) -> list[Any]:
    """The investigation checklist of an assessment (``questions.questions``), most useful first."""
    from ..tools.questions import questions

    return list(questions(assessment))


@click.command("report", cls=Verb)
@click.argument("case")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), required=True)
@LANG
@click.option("--questions/--no-questions", "with_questions", default=True, show_default=True)
@OUTPUT
@guarded
def report_command(case: str, fmt: str, lang: str, with_questions: bool, output: Optional[str]) -> None:
    """Write the expert's report on CASE (a file, or the id of a bundled case)."""
    from ..outputs.report import report_html, report_markdown

    assessment = assess_named(case)
    questions = checklist(assessment) if with_questions else []
    text = (report_html if fmt == "html" else report_markdown)(assessment, lang, questions)
    emit(text, output)


@click.command("graph", cls=Verb)
@click.argument("case")
@click.option("--format", "fmt", type=click.Choice(GRAPH_FORMATS), required=True)
@click.option("--finding", default=None, metavar="ID")
@LANG
@OUTPUT
@guarded
def graph_command(case: str, fmt: str, finding: Optional[str], lang: str, output: Optional[str]) -> None:
    """Export the reasoning graph of CASE (facts → rule firings → conclusions)."""
    from ..outputs.graphs import finding_severities, in_words, to_dot, to_graphml, to_mermaid, to_node_link_json, to_svg

    assessment = assess_named(case)
    graph = assessment.graph
    if finding is not None:
        require_conclusion(assessment, case, finding)
        graph = assessment.explain(finding)
    severities = finding_severities(assessment)
    graph = in_words(graph, assessment, lang)
    if fmt == "svg":
        text = to_svg(graph, lang, severities)
    elif fmt == "graphml":
        text = to_graphml(graph)
    elif fmt == "json":
        text = to_node_link_json(graph)
    elif fmt == "dot":
        text = to_dot(graph, severities)
    else:
        text = to_mermaid(graph, severities)
    emit(text, output)


def register(main: click.Group) -> None:
    """Add the ``report`` and ``graph`` verbs to the command-line group."""
    main.add_command(report_command)
    main.add_command(graph_command)
