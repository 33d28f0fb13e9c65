"""The command line's help, complete in French and in English: every verb and option has both
texts (walking click's own command tree), the French help holds no English prose, and the help's
language is chosen by --lang (wherever typed), REVERSIBILITY_KB_LANG, then the locale, which
never changes an output."""

from __future__ import annotations

import re
from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner
from helpers import cli
from test_language import english_in

from reversibility_kb.cli.main import main
from reversibility_kb.cli.help import LANG_VARIABLE
from reversibility_kb.cli.help_i18n import OPTIONS, PLACEHOLDERS, VERBS, WORDS

#: No language asked for anywhere: neither the variable nor the locale.
NEUTRAL = {LANG_VARIABLE: None, "LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None}
NNBSP = "\u202f"


def _tree() -> Iterator[tuple[str, click.Command, click.Context]]:
    """The command and each of its verbs (imported, with ``--pack`` where they take it), each in a context."""
    root = click.Context(main, info_name="reversibility-kb")
    yield "reversibility-kb", main, root
    for name in main.list_commands(root):
        command = main.get_command(root, name)
        assert command is not None
        yield name, command, click.Context(command, parent=root, info_name=name)


def _options(command: click.Command, ctx: click.Context) -> list[click.Option]:
    return [p for p in command.get_params(ctx) if isinstance(p, click.Option) and not p.hidden]


def _long(option: click.Option) -> str:
    return next((name for name in option.opts if name.startswith("--")), option.opts[0])


def _run(args: list[str], env: dict[str, str | None] | None = None) -> str:
    """The standard output of a command that must succeed, in an environment that asks for no language but
    ``env``'s; a help's paragraphs unwrapped (click would break ``--no-questions`` at its hyphen)."""
    result = CliRunner().invoke(main, args, prog_name="reversibility-kb", terminal_width=10_000, max_content_width=10_000,
                                env={**NEUTRAL, **(env or {})})
    assert result.exit_code == 0, (args, result.output)
    return result.stdout


def test_every_verb_and_option_has_its_help_in_both_languages():
    missing = []
    for name, command, ctx in _tree():
        texts = VERBS.get(name, {})
        missing += [f"{name} ({lang})" for lang in ("fr", "en") if not texts.get(lang, "").strip()]
        for option in _options(command, ctx):
            found = OPTIONS.get(f"{name} {_long(option)}") or OPTIONS.get(_long(option)) or {}
            missing += [f"{name} {_long(option)} ({lang})" for lang in ("fr", "en") if not found.get(lang, "").strip()]
    assert missing == []
    assert len(VERBS) > 20 and "--version" in {_long(o) for o in _options(main, click.Context(main))}


def test_the_texts_name_only_verbs_and_options_that_exist_and_are_translated():
    """A stale entry (a verb or option renamed) is caught too; and no French text is the English one."""
    options = {(name, _long(option)) for name, command, ctx in _tree() for option in _options(command, ctx)}
    verbs = {name for name, _ in options}
    assert set(VERBS) == verbs
    for key in OPTIONS:
        verb, _, option = key.rpartition(" ")
        if verb:
            assert (verb, option) in options, key
        else:
            assert option in {o for _, o in options}, key
    for table in (VERBS, OPTIONS, WORDS):
        for key, texts in table.items():
            assert set(texts) == {"fr", "en"} and texts["fr"] != texts["en"], key
    assert all(len(texts[lang].split("\n\n")[0]) <= 60 for texts in VERBS.values() for lang in ("fr", "en"))  # one line each


def test_every_placeholder_of_the_usage_lines_and_options_has_its_french_word():
    found = set()
    for _, command, ctx in _tree():
        found |= set(re.findall(r"\b[A-Z][A-Z_]+(?: RANGE)?\b", " ".join(command.collect_usage_pieces(ctx))))
        for option in _options(command, ctx):
            found |= set(re.findall(r"\b[A-Z][A-Z_]+(?: RANGE)?\b", option.get_help_spec(ctx)))
    assert found and found <= set(PLACEHOLDERS)
    assert {"CASE", "FINDING", "FILE", "DIRECTORY"} <= found


def _identifiers(command: click.Command, ctx: click.Context) -> list[str]:
    """What a help quotes rather than says: verb names, option names, their choices."""
    words = [*main.list_commands(ctx), *(name for p in command.get_params(ctx) for name in (*p.opts, *p.secondary_opts))]
    words += [str(choice) for p in command.get_params(ctx) if isinstance(p.type, click.Choice) for choice in p.type.choices]
    return sorted(words, key=len, reverse=True)


@pytest.mark.parametrize("name", ["reversibility-kb", *sorted(set(VERBS) - {"reversibility-kb"})])
def test_the_french_help_of_every_verb_is_french(name):
    args = [] if name == "reversibility-kb" else [name]
    command, ctx = next((c, x) for n, c, x in _tree() if n == name)
    own = args and any(p.name == "lang" for p in command.params)  # schema and import-register take it before the verb only
    french = _run([*args, "--help", "--lang", "fr"] if own else ["--lang", "fr", *args, "--help"])
    assert french.startswith(f"Utilisation{NNBSP}: reversibility-kb") and f"Options{NNBSP}:" in french
    first = VERBS[name]["fr"].split("\n\n")[0]
    assert " ".join(first.split()) in " ".join(french.split())
    text = " ".join(french.split())
    for word in _identifiers(command, ctx):
        text = re.sub(rf"(?<![\w-]){re.escape(word)}(?![\w-])", " ", text)
    assert english_in(text) == {}
    assert re.findall(r"[A-Za-zÀ-ÿ)»\]] ?[:;]", french) == []  # French typography: a narrow no-break space, never a space
    english = _run([*args, "--help"])
    assert english.startswith("Usage: reversibility-kb") and " ".join(VERBS[name]["en"].split("\n\n")[0].split()) in " ".join(english.split())
    assert NNBSP not in english and "Utilisation" not in english


def test_lang_chooses_the_help_wherever_it_is_typed():
    french = "Évaluer DOSSIER et en afficher les constats."
    for args in (["assess", "--lang", "fr", "--help"], ["assess", "--help", "--lang", "fr"], ["--lang", "fr", "assess", "--help"],
                 ["assess", "--lang=fr", "--help"]):
        assert french in _run(args), args
    assert "Assess CASE and print its findings." in _run(["--lang", "fr", "assess", "--lang", "en", "--help"])
    listing = _run(["--lang", "fr", "--help"])
    assert "Commandes\u202f:" in listing and "assess-register  Évaluer chaque accord d'un registre DORA" in listing
    # the defaults shown are the ones that will apply
    assert f"[par défaut{NNBSP}: fr]" in _run(["--lang", "fr", "assess", "--help"])
    assert f"[par défaut{NNBSP}: en]" in _run(["assess", "--help", "--lang", "fr"])


def test_the_variable_chooses_help_and_outputs_and_a_typed_lang_wins():
    env = {LANG_VARIABLE: "fr"}
    assert "Évaluer DOSSIER" in _run(["assess", "--help"], env) and "Commandes" in _run(["--help"], env)
    french = _run(["assess", "s7-donor-database"], env)
    assert french == _run(["assess", "s7-donor-database", "--lang", "fr"]) and "Constats" in french
    assert _run(["assess", "s7-donor-database", "--lang", "en"], env) == _run(["assess", "s7-donor-database"])
    assert _run(["--lang", "en", "assess", "s7-donor-database"], env) == _run(["assess", "s7-donor-database"])
    assert _run(["--lang", "fr", "assess", "s7-donor-database"]) == french
    wrong = CliRunner().invoke(main, ["cases"], env={**NEUTRAL, LANG_VARIABLE: "de"})
    assert wrong.exit_code == 2 and LANG_VARIABLE in wrong.output


@pytest.mark.parametrize(("env", "lang"), [
    ({"LANG": "fr_FR.UTF-8"}, "fr"),
    ({"LC_MESSAGES": "fr_CA.UTF-8", "LANG": "en_GB.UTF-8"}, "fr"),
    ({"LANGUAGE": "de:fr", "LANG": "de_DE.UTF-8"}, "fr"),
    ({"LC_ALL": "C", "LANG": "fr_FR.UTF-8"}, "en"),
    ({"LANG": "de_DE.UTF-8"}, "en"),
    ({"LANG": "fr_FR.UTF-8", LANG_VARIABLE: "en"}, "en"),
])
def test_the_locale_chooses_the_help_when_nothing_else_does(env, lang):
    shown = _run(["why", "--help"], env)
    assert ("Pourquoi CONSTAT est établi" in shown) == (lang == "fr")
    assert ("Why FINDING holds" in shown) == (lang == "en")


def test_a_french_locale_changes_the_help_and_no_output():
    """Run as a user would (a fresh interpreter in each locale): the outputs are the same bytes."""
    french, plain = {"LANGUAGE": "", "LC_ALL": "", "LANG": "fr_FR.UTF-8"}, {"LANGUAGE": "", "LC_ALL": "C.UTF-8", "LANG": "C.UTF-8"}
    for args in (["assess", "s7-donor-database"], ["assess", "s7-donor-database", "--format", "json"], ["rules"]):
        outputs = [cli(*args, env={**locale, LANG_VARIABLE: ""}) for locale in (french, plain)]
        assert outputs[0].returncode == 0 and outputs[0].stdout == outputs[1].stdout and outputs[0].stdout, args
    assert "Utilisation" in cli("--help", env={**french, LANG_VARIABLE: ""}).stdout
    assert "Usage:" in cli("--help", env={**plain, LANG_VARIABLE: ""}).stdout
