"""The ``coverage`` verb: which single changes to a rule no worked case notices (see
:mod:`.rule_coverage`). ``main.py`` adds it with :func:`register`."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import click

from .common import LANG, WORKERS, guarded, worker_count
from .help import Verb
from ..outputs.render import to_json


@click.command("coverage", cls=Verb)
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@LANG
@click.option("--rules", "rules", default=None, metavar="DIR")
@WORKERS
@click.option("--only", "only", multiple=True, metavar="RULE")
@guarded
def coverage_command(fmt: str, lang: str, rules: Optional[str], workers: Optional[int], only: tuple[str, ...]) -> None:
    """Mutate each rule and list, rule by rule, the changes no worked case notices.

    A progress bar goes to standard error when it is a terminal."""
    from ..tools.rule_coverage import coverage, coverage_text  # only this verb needs the mutation machinery and tqdm

    result = coverage(Path(rules) if rules else None, workers=worker_count(workers, lang), progress=None, only=only or None)
    if fmt == "json":
        click.echo(to_json(result.to_dict(lang)), nl=False)
    else:
        click.echo(coverage_text(result, lang), nl=False)


def register(main: click.Group) -> None:
    """Add the ``coverage`` verb to the command-line group."""
    main.add_command(coverage_command)
