"""Rule packs on the command line: ``--pack NAME`` (repeatable) on the verbs that assess or list
rules (:func:`with_pack`, when ``main.py`` first hands a verb out), and the verbs built on packs
(``main.py`` adds them with :func:`register` when one of them is asked for)."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any, Optional

import click

from .common import LANG, OUTPUT, WORKERS, emit, guarded, worker_count, write_atomically
from .help import Verb

#: The verbs that read the rulebook, and so take ``--pack``.
PACK_VERBS = ("assess", "explain", "why", "why-not", "what-if", "questions", "report", "graph", "check", "rules", "review")


def _use(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> None:
    """Make the bundled rulebook include the packs for this invocation only."""
    from ..inference.packs import use_packs

    if value:
        ctx.with_resource(use_packs(tuple(dict.fromkeys(value))))


def pack_option() -> click.Option:
    """``--pack NAME``, repeatable; names are the folders of ``rules/packs``."""
    from ..inference.packs import available_packs
    from ..case.resources import rules_dir

    return click.Option(
        ["--pack"],
        multiple=True,
        type=click.Choice(available_packs(rules_dir())),
        expose_value=False,
        callback=_use,
    )


@click.command("review", cls=Verb)
@click.argument("draft", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["md", "html", "docx", "json"]), default="md", show_default=True)
@LANG
@OUTPUT
@guarded
def review_command(draft: str, fmt: str, lang: str, output: Optional[str]) -> None:
    """Review DRAFT (a contract before signature, as a case file without history): the missing or
    weak reversibility provisions, most serious first, with their grounds and a clause outline."""
    from ..case.loading import CaseError
    from ..outputs.render import to_json
    from ..tools.review import review_docx, review_file, review_html, review_markdown  # the report stack, only here

    result = review_file(draft)
    if fmt == "docx":
        if output is None or output == "-":
            raise CaseError(draft, "", "expected -o FILE with --format docx (a binary file)")
        write_atomically(Path(output), review_docx(result, lang))
        return
    text = {"md": review_markdown, "html": review_html}.get(fmt)
    emit(text(result, lang) if text else to_json(result.to_dict(lang)), output)


AS_OF = click.option("--as-of", "as_of", type=click.DateTime(["%Y-%m-%d"]), default=None)


def _as_of(value: Optional[datetime.datetime], arrangements: list[Any]) -> datetime.date:
    from ..case.register import register_date

    return value.date() if value else register_date(arrangements)


@click.command("import-register", cls=Verb)
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("-o", "--output", "out", type=click.Path(file_okay=False), required=True)
@AS_OF
@guarded
def import_register_command(directory: str, out: str, as_of: Optional[datetime.datetime]) -> None:
    """Read a DORA register of information (the templates' CSV files in DIRECTORY) into one case
    file per ICT contractual arrangement, judged with the dora pack."""
    from ..case.register import read_register, write_cases

    arrangements = read_register(directory)
    paths = write_cases(arrangements, out, _as_of(as_of, arrangements))
    click.echo(f"{len(paths)} case files written to {out}", err=True)


@click.command("assess-register", cls=Verb)
@click.argument("directory", type=click.Path(file_okay=False))
@AS_OF
@click.option("--html", "html_out", type=click.Path(dir_okay=False), default=None)
@click.option("--jsonl", "jsonl_out", type=click.Path(dir_okay=False), default=None)
@WORKERS
@LANG
@guarded
def assess_register_command(directory: str, as_of: Optional[datetime.datetime], html_out: Optional[str], jsonl_out: Optional[str], workers: Optional[int], lang: str) -> None:
    """Assess every arrangement of a register of information with the dora pack: a portfolio
    page (findings by severity, provider and function; the arrangements most at risk) and JSON Lines."""
    from ..case.register import read_register
    from ..outputs.register_report import assess_register, jsonl, portfolio_html  # the report stack, only here

    arrangements = read_register(directory)
    date = _as_of(as_of, arrangements)
    rows = list(assess_register(arrangements, date, worker_count(workers, lang)))
    if html_out:
        write_atomically(Path(html_out), portfolio_html(rows, date, lang))
    emit(jsonl(rows), jsonl_out)
    failed = [row for row in rows if row.failure]  # a dead worker costs its arrangement, not the run (as in assess-dir)
    assessed = len(rows) - len(failed)
    click.echo(f"{assessed} arrangements assessed as of {date.isoformat()}" if lang == "en" else f"{assessed} accords évalués au {date.isoformat()}", err=True)
    for row in failed:
        click.echo(f"{'not assessed' if lang == 'en' else 'non évalué'}: {row.reference}: {row.reason(lang)}", err=True)


def with_pack(command: click.Command) -> click.Command:
    """Give a verb that reads the rulebook ``--pack`` (once)."""
    if command.name in PACK_VERBS and not any(p.name == "pack" for p in command.params):
        command.params.append(pack_option())
    return command


def register(main: click.Group) -> None:
    """Add the verbs built on packs."""
    for command in (review_command, import_register_command, assess_register_command):
        main.add_command(command)
