"""Rule packs on the command line: ``--pack NAME`` (repeatable) on the verbs that assess or list
rules, and the verbs built on packs. ``cli.py`` adds them with :func:`register`."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

import click

from .cli_common import LANG, OUTPUT, emit, guarded
from .loading import CaseError
from .packs import _ACTIVE, available_packs
from .render import to_json
from .resources import rules_dir
from .review import review_docx, review_file, review_html, review_markdown

#: The verbs that read the rulebook, and so take ``--pack``.
PACK_VERBS = ("assess", "explain", "why", "why-not", "what-if", "questions", "report", "graph", "check", "rules")


def _use(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> None:
    """Make the bundled rulebook include the packs for this invocation only."""
    if value:
        token = _ACTIVE.set(tuple(dict.fromkeys(value)))
        ctx.call_on_close(lambda: _ACTIVE.reset(token))


def pack_option() -> click.Option:
    """``--pack NAME``, repeatable; names are the folders of ``rules/packs``."""
    return click.Option(
        ["--pack"],
        multiple=True,
        type=click.Choice(available_packs(rules_dir())),
        expose_value=False,
        callback=_use,
        help="Add a rule pack of today's law (repeatable).",
    )


@click.command("review")
@click.argument("draft", type=click.Path(dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["md", "html", "docx", "json"]), default="md", show_default=True)
@LANG
@OUTPUT
@guarded
def review_command(draft: str, fmt: str, lang: str, output: Optional[str]) -> None:
    """Review DRAFT (a contract before signature, as a case file without history): the missing or
    weak reversibility provisions, most serious first, with their grounds and a clause outline."""
    result = review_file(draft)
    if fmt == "docx":
        if output is None or output == "-":
            raise CaseError(draft, "", "expected -o FILE with --format docx (a binary file)")
        try:
            data = review_docx(result, lang)
        except ImportError:
            raise CaseError(draft, "", "expected python-docx to be installed for --format docx") from None
        path = Path(output)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_bytes(data)
        temporary.replace(path)
        return
    text = {"md": review_markdown, "html": review_html}.get(fmt)
    emit(text(result, lang) if text else to_json(result.to_dict(lang)), output)


def register(main: Any) -> None:
    """Give the rulebook verbs ``--pack``, and add the verbs built on packs."""
    main.add_command(review_command)
    for name in (*PACK_VERBS, "review"):
        command = main.commands.get(name)
        if command is not None and not any(p.name == "pack" for p in command.params):
            command.params.append(pack_option())
