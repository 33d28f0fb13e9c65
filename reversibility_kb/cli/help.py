"""The command line's help in the reader's language: the texts of :mod:`.cli.help_i18n`, laid out as
click lays out its own.

The help speaks, first found: the ``--lang`` given on the command line (to the verb or before it,
before or after ``--help``), ``REVERSIBILITY_KB_LANG``, the locale's language for messages
(``LANGUAGE``, ``LC_ALL``, ``LC_MESSAGES``, ``LANG``, read as gettext reads them), else English.
The locale chooses the help only: the outputs speak ``--lang``, whose default is
``REVERSIBILITY_KB_LANG`` (else English), so that they are the same bytes on every machine.

Click's error messages (a usage line, ``Error: …``) stay in English, as the program's own do."""

from __future__ import annotations

import os
import re
from typing import Any

import click
from click.core import ParameterSource

from .help_i18n import OPTIONS, PLACEHOLDERS, VERBS, WORDS
from ..case.i18n import LANGS

#: The environment variable that gives ``--lang`` its default, for the help and the outputs.
LANG_VARIABLE = "REVERSIBILITY_KB_LANG"
#: Where, in the context's ``meta`` (shared by a verb and its group), the ``--lang`` typed goes.
_TYPED = "reversibility_kb.typed_lang"
#: The placeholders of a usage line or an option's spec (``CASE``, ``PATH=VALUE``, ``INTEGER RANGE``).
_PLACEHOLDER = re.compile(r"\b[A-Z][A-Z_]+(?: RANGE)?\b")


def locale_language() -> str | None:
    """The first of our languages the locale asks for messages, if any (``fr_FR.UTF-8``: ``fr``)."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(variable)
        if value:
            return next((name[:2] for name in value.split(":") if name[:2] in LANGS), None)
    return None


def help_language(ctx: click.Context) -> str:
    """The language of the help shown for ``ctx``."""
    typed = ctx.meta.get(_TYPED)
    if typed in LANGS:
        return str(typed)
    chosen = os.environ.get(LANG_VARIABLE, "")
    return chosen if chosen in LANGS else locale_language() or "en"


def _typed_language(command: click.Command, ctx: click.Context, args: list[str]) -> str | None:
    """The ``--lang`` on this command's own part of the command line, read by click's parser
    without running any option (``--help`` is run as soon as it is parsed, before ``--lang``)."""
    if not any(param.name == "lang" for param in command.params):
        return None
    try:
        values, _, _ = command.make_parser(ctx).parse_args(args=list(args))
    except click.UsageError:  # reported by the real parse, in its turn
        return None
    typed = values.get("lang")
    return typed if isinstance(typed, str) and typed in LANGS else None


def verb_help(name: str, lang: str, fallback: str = "") -> str:
    """A verb's help in ``lang`` (``fallback`` for a verb the table misses: tests/test_cli_help.py fails then)."""
    return VERBS.get(name, {}).get(lang) or fallback


def verb_line(name: str, lang: str, fallback: str = "") -> str:
    """A verb's line in the list of verbs: the first paragraph of its help."""
    return verb_help(name, lang, fallback).split("\n\n")[0]


def option_help(verb: str, param: click.Option, lang: str) -> str:
    """An option's help in ``lang``: this verb's own, else the one shared by every verb (else
    its declared one, for an option the table misses: tests/test_cli_help.py fails then)."""
    option = next((name for name in param.opts if name.startswith("--")), param.opts[0])
    texts = OPTIONS.get(f"{verb} {option}") or OPTIONS.get(option) or {}
    return texts.get(lang) or param.help or ""


def placeholders(text: str, lang: str) -> str:
    """``text`` with click's placeholders (``CASE``, ``FILE``) in ``lang``."""
    if lang == "en":
        return text
    return _PLACEHOLDER.sub(lambda found: PLACEHOLDERS.get(found.group(), found.group()), text)


def heading(key: str, lang: str) -> str:
    """A heading as ``formatter.section`` takes it: without the colon it adds."""
    return WORDS[key][lang].removesuffix(":")


def option_row(verb: str, param: click.Option, ctx: click.Context, lang: str) -> tuple[str, str]:
    """An option's line of help: its spelling, then its help with click's notes (env var,
    default, range, required) in ``lang``."""
    text = option_help(verb, param, lang)
    extra = param.get_help_extra(ctx)
    notes: list[str] = []
    if "envvars" in extra:
        notes.append(WORDS["envvar"][lang].format(", ".join(extra["envvars"])))
    if "default" in extra:
        notes.append(WORDS["default"][lang].format(extra["default"]))
    if "range" in extra:
        notes.append(extra["range"])
    if "required" in extra:
        notes.append(WORDS["required"][lang])
    if notes:
        note = f"[{WORDS['and'][lang].join(notes)}]"
        text = f"{text}  {note}" if text else note
    return placeholders(param.get_help_spec(ctx), lang), text


class Verb(click.Command):
    """A verb whose help speaks the reader's language (see the module's doc), from the table
    of :mod:`.cli.help_i18n`; its English text is also its click ``help`` (shell completion)."""

    def __init__(self, name: str | None, **kwargs: Any) -> None:
        super().__init__(name, **kwargs)
        self.help = verb_help(name or "", "en", self.help or "")

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        typed = _typed_language(self, ctx, args)
        if typed is not None:
            ctx.meta[_TYPED] = typed
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = help_language(ctx)
        name = self.name or ""
        usage = placeholders(" ".join(self.collect_usage_pieces(ctx)), lang)
        formatter.write_usage(ctx.command_path, usage, prefix=f"{WORDS['usage'][lang]} ")
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(verb_help(name, lang, self.help or ""))
        rows = [option_row(name, p, ctx, lang) for p in self.get_params(ctx) if isinstance(p, click.Option) and not p.hidden]
        if rows:
            with formatter.section(heading("options", lang)):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)


class VerbGroup(Verb, click.Group):
    """A group of verbs, its own help in the reader's language, its verbs made :class:`Verb`."""

    command_class = Verb


def lang_for_every_verb(ctx: click.Context, param: click.Parameter, value: str) -> None:
    """The group's ``--lang`` (typed before the verb, or ``REVERSIBILITY_KB_LANG``) becomes the
    default of the verb's own ``--lang``, through click's ``default_map``."""
    if ctx.get_parameter_source(param.name or "") not in (ParameterSource.COMMANDLINE, ParameterSource.ENVIRONMENT):
        return
    assert isinstance(ctx.command, click.Group)
    defaults = dict(ctx.default_map or {})
    for verb in ctx.command.list_commands(ctx):
        defaults[verb] = {**(defaults.get(verb) or {}), "lang": value}
    ctx.default_map = defaults
