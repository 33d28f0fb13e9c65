"""The ``reversibility-kb`` command line. Bad input: one line on stderr, exit status 2."""

from __future__ import annotations

import functools
import sys
from typing import Any, Callable

import click

from . import __version__
from .assessment import Assessment, assess, default_rulebook
from .catalogue import bundled_cases, resolve
from .engine import EngineError
from .golden import compare
from .i18n import LANGS
from .loading import CaseError, load_case
from .render import assessment_markdown, assessment_text, explanation_json, explanation_text, to_json
from .rulebook import RuleError
from .schema import case_schema

FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True)
LANG = click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True)


def _guarded(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn known input errors into one line on stderr and exit status 2."""

    @functools.wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except (CaseError, RuleError) as exc:
            click.echo(f"error: {exc}", err=True)
            sys.exit(2)
        except EngineError as exc:
            click.echo(f"engine error: {exc}", err=True)
            sys.exit(3)

    return run


def _assess(case: str) -> Assessment:
    return assess(load_case(resolve(case)))


@click.group()
@click.version_option(__version__, prog_name="reversibility-kb")
def main() -> None:
    """An expert system on the reversibility of IT outsourcing."""


@main.command("assess")
@click.argument("case")
@FORMAT
@LANG
@_guarded
def assess_command(case: str, fmt: str, lang: str) -> None:
    """Assess CASE (a file, or the id of a bundled case) and print its findings."""
    assessment = _assess(case)
    if fmt == "json":
        click.echo(to_json(assessment.to_dict(lang)), nl=False)
    elif fmt == "md":
        click.echo(assessment_markdown(assessment, lang), nl=False)
    else:
        click.echo(assessment_text(assessment, lang), nl=False)


@main.command("explain")
@click.argument("case")
@click.argument("finding")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@LANG
@_guarded
def explain_command(case: str, finding: str, fmt: str, lang: str) -> None:
    """Show how FINDING (or any conclusion) of CASE follows from the input facts."""
    assessment = _assess(case)
    try:
        graph = assessment.explain(finding)
    except KeyError:
        known = ", ".join(sorted(assessment.run.conclusions)) or "none"
        raise CaseError(case, "", f"expected one of the case's conclusions ({known}), got '{finding}'") from None
    click.echo(explanation_json(graph) if fmt == "json" else explanation_text(assessment, graph, lang), nl=False)


@main.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@LANG
@_guarded
def rules_command(fmt: str, lang: str) -> None:
    """List the rules of the bundled rulebook with the seed points they encode."""
    rulebook = default_rulebook()
    if fmt == "json":
        rows = [
            {
                "id": rule.id,
                "sources": list(rule.sources),
                "concludes": rule.concludes,
                "severity": rule.severity.value if rule.severity else None,
                "practices": list(rule.practices),
                "title": rule.title.in_(lang),
                "file": rule.file.rsplit("/", 1)[-1],
            }
            for rule in rulebook.rules
        ]
        click.echo(to_json(rows), nl=False)
        return
    for rule in rulebook.rules:
        level = rule.severity.value if rule.severity else "-"
        click.echo(f"{rule.id:45} {level:7} {' '.join(rule.sources):20} {rule.title.in_(lang)}")


@main.command("cases")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@LANG
@_guarded
def cases_command(fmt: str, lang: str) -> None:
    """List the bundled worked cases."""
    rows = []
    for case_id, path in bundled_cases().items():
        case = load_case(path)
        rows.append({"id": case_id, "path": str(path), "title": case.title.in_(lang), "tags": list(case.tags)})
    if fmt == "json":
        click.echo(to_json(rows), nl=False)
        return
    for row in rows:
        click.echo(f"{row['id']:40} {row['title']}")


@main.command("check")
@click.argument("cases", nargs=-1)
@_guarded
def check_command(cases: tuple[str, ...]) -> None:
    """Compare the golden findings of CASES (all bundled cases by default) with the engine's."""
    paths = [resolve(name) for name in cases] or list(bundled_cases().values())
    failed = 0
    for path in paths:
        difference = compare(assess(load_case(path)))
        for line in difference.lines():
            click.echo(line)
        failed += not difference.ok
    click.echo(f"{len(paths) - failed} of {len(paths)} cases match their golden findings")
    if failed:
        sys.exit(1)


@main.command("schema")
@_guarded
def schema_command() -> None:
    """Print the JSON Schema of case files."""
    click.echo(to_json(case_schema()), nl=False)
