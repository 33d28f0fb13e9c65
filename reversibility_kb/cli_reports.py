"""The ``report`` and ``graph`` verbs of the command line.

``cli.py`` adds them to its group with :func:`register`. Bad input: one line on stderr, exit
status 2, through ``cli._guarded`` — looked up when a command runs, not when this module is
imported, so that either module can be imported first without an import cycle.

Files given with ``-o`` are written atomically: the text goes to a temporary file in the same
directory, which then replaces the target, so a reader never sees half a report.
"""

from __future__ import annotations

import functools
import os
import tempfile
from pathlib import Path
from typing import Any, Callable, Optional

import click

from .assessment import Assessment, assess
from .catalogue import resolve
from .graphs import finding_severities, to_dot, to_graphml, to_mermaid, to_node_link_json, to_svg
from .i18n import LANGS
from .loading import CaseError, load_case
from .report import report_html, report_markdown

LANG = click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True)
OUTPUT = click.option("-o", "--output", type=click.Path(dir_okay=False, writable=False), default=None, help="Write to FILE instead of standard output.")

GRAPH_FORMATS = ("svg", "graphml", "json", "dot", "mermaid")


def _guarded(command: Callable[..., Any]) -> Callable[..., Any]:
    """``cli._guarded`` (known input errors → one line on stderr, exit status 2), resolved at call time."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        from .cli import _guarded as guarded

        return guarded(command)(*args, **kwargs)

    return run


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: Path, text: str) -> None:
    """Write ``text`` (UTF-8) to ``path`` through a temporary file and ``os.replace``."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise CaseError(str(path), "", f"cannot write the output file ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException as exc:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise CaseError(str(path), "", f"cannot write the output file ({exc.strerror or exc})") from None
        raise


def _assess(case: str) -> Assessment:
    return assess(load_case(resolve(case)))


def _emit(text: str, output: Optional[str]) -> None:
    if output is None or output == "-":
        click.echo(text, nl=False)
    else:
        write_atomically(Path(output), text)


def checklist(assessment: Assessment) -> list[Any]:
    """The investigation checklist of an assessment (``questions.questions``), most useful first."""
    from .questions import questions

    return list(questions(assessment))


@click.command("report")
@click.argument("case")
@click.option("--format", "fmt", type=click.Choice(["md", "html"]), required=True, help="Markdown, or one self-contained HTML page.")
@LANG
@click.option("--questions/--no-questions", "with_questions", default=True, show_default=True, help="Include the investigation checklist.")
@OUTPUT
@_guarded
def report_command(case: str, fmt: str, lang: str, with_questions: bool, output: Optional[str]) -> None:
    """Write the expert's report on CASE (a file, or the id of a bundled case)."""
    assessment = _assess(case)
    questions = checklist(assessment) if with_questions else []
    text = (report_html if fmt == "html" else report_markdown)(assessment, lang, questions)
    _emit(text, output)


@click.command("graph")
@click.argument("case")
@click.option("--format", "fmt", type=click.Choice(GRAPH_FORMATS), required=True, help="Picture (svg) or exchange format.")
@click.option("--finding", default=None, metavar="ID", help="Only the part of the graph that leads to this finding or conclusion.")
@LANG
@OUTPUT
@_guarded
def graph_command(case: str, fmt: str, finding: Optional[str], lang: str, output: Optional[str]) -> None:
    """Export the reasoning graph of CASE (facts → rule firings → conclusions)."""
    assessment = _assess(case)
    graph = assessment.graph
    if finding is not None:
        try:
            graph = assessment.explain(finding)
        except KeyError:
            known = ", ".join(sorted(assessment.run.conclusions)) or "none"
            raise CaseError(case, "", f"expected one of the case's conclusions ({known}), got '{finding}'") from None
    severities = finding_severities(assessment)
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
    _emit(text, output)


def register(main: click.Group) -> None:
    """Add the ``report`` and ``graph`` verbs to the command-line group."""
    main.add_command(report_command)
    main.add_command(graph_command)
