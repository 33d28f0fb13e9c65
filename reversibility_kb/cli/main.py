"""The ``reversibility-kb`` command line. Bad input: one line on stderr, exit status 2.

It starts light: the verbs of the other ``cli_*`` modules are imported when one of them is run or
asked for (:class:`LazyGroup`), and each verb imports the library modules it needs when it runs, so
``--help`` loads click, this module and the help's texts only (:mod:`.cli.help`, in French or
English), and ``assess`` the engine, the model and the loader without the report, picture,
training and court stacks."""

from __future__ import annotations

import importlib
import os
import sys
import textwrap
from collections.abc import Iterator, MutableMapping
from typing import Any

import click

from .. import __version__
from .common import LANG, WORKERS, assess_named, guarded, quick_exit, require_conclusion, utf8_streams, worker_count
from .help import LANG_VARIABLE, VerbGroup, heading, help_language, lang_for_every_verb, verb_line
from ..case.i18n import LANGS

FORMAT = click.option("--format", "fmt", type=click.Choice(["text", "json", "md"]), default="text", show_default=True)
TEXT_OR_JSON = click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)

#: The verbs of the other modules, and the module that registers each (its ``register(group)``):
#: ``--help`` lists them with their line of :data:`.cli.help_i18n.VERBS`, without importing the module.
LAZY_VERBS: dict[str, str] = {
    "report": "reports",
    "graph": "reports",
    "court-report": "court",
    "note": "court",
    "exercise": "training",
    "train": "training",
    "coverage": "coverage",
    "review": "packs",
    "import-register": "packs",
    "assess-register": "packs",
}


class Verbs(MutableMapping[str, click.Command]):
    """A group's verbs by name: those of :data:`LAZY_VERBS` are imported on first access, and a
    verb that reads the rulebook gets ``--pack`` then (listing the packs reads the rule folder)."""

    def __init__(self, group: click.Group, lazy: dict[str, str]) -> None:
        self._group, self._lazy = group, lazy
        self._commands: dict[str, click.Command] = {}

    def loaded(self, name: str) -> click.Command | None:
        """The verb if it is already imported (``None`` otherwise): nothing is imported."""
        return self._commands.get(name)

    def __getitem__(self, name: str) -> click.Command:
        command = self._commands.get(name)
        if command is None:
            module = self._lazy[name]  # KeyError: no such verb
            importlib.import_module(f".{module}", __package__).register(self._group)
            command = self._commands[name]
        from .packs import with_pack

        return with_pack(command)

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._commands[name] = command

    def __delitem__(self, name: str) -> None:
        if self._commands.pop(name, None) is None and self._lazy.pop(name, None) is None:
            raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter(sorted(self._lazy.keys() | self._commands.keys()))

    def __len__(self) -> int:
        return len(self._lazy.keys() | self._commands.keys())


class LazyGroup(VerbGroup):
    """A click group over :class:`Verbs`: ``--help`` lists every verb with its line of help in the
    reader's language, from the table of texts (the verbs not yet imported stay so)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = self.verbs = Verbs(self, dict(LAZY_VERBS))

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        lang = help_language(ctx)
        rows = []
        for name in self.list_commands(ctx):
            command = self.verbs.loaded(name)  # None: not imported, its line comes from the table alone
            if command is None or not command.hidden:
                rows.append((name, verb_line(name, lang, command.help or "" if command else "")))
        if rows:
            with formatter.section(heading("commands", lang)):
                formatter.write_dl(rows)


@click.group("reversibility-kb", cls=LazyGroup)
@click.option("--lang", type=click.Choice(LANGS), default="en", show_default=True, envvar=LANG_VARIABLE, show_envvar=True,
              expose_value=False, callback=lang_for_every_verb)
@click.version_option(__version__, prog_name="reversibility-kb")
def main() -> None:
    """An expert system on the reversibility of IT outsourcing."""
    utf8_streams()
    quick_exit()


@main.command("assess")
@click.argument("case")
@FORMAT
@LANG
@guarded
def assess_command(case: str, fmt: str, lang: str) -> None:
    """Assess CASE (a file, or the id of a bundled case) and print its findings."""
    from ..outputs.render import assessment_markdown, assessment_text, to_json

    assessment = assess_named(case)
    if fmt == "json":
        click.echo(to_json(assessment.to_dict(lang)), nl=False)
    elif fmt == "md":
        click.echo(assessment_markdown(assessment, lang), nl=False)
    else:
        click.echo(assessment_text(assessment, lang), nl=False)


@main.command("explain")
@click.argument("case")
@click.argument("finding")
@TEXT_OR_JSON
@LANG
@guarded
def explain_command(case: str, finding: str, fmt: str, lang: str) -> None:
    """Show how FINDING (or any conclusion) of CASE follows from the input facts."""
    from ..tools.explaining import why, why_text
    from ..outputs.render import to_json

    assessment = assess_named(case)
    require_conclusion(assessment, case, finding)
    if fmt == "json":
        from ..inference.provenance import node_link

        click.echo(to_json(node_link(assessment.explain(finding))), nl=False)
    else:
        click.echo(why_text(why(assessment, finding, "full"), lang), nl=False)


@main.command("rules")
@TEXT_OR_JSON
@LANG
@guarded
def rules_command(fmt: str, lang: str) -> None:
    """List the rules of the bundled rulebook with the seed points they encode."""
    from ..case import vocabulary
    from ..inference.assessment import default_rulebook
    from ..outputs.render import to_json

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
                "pack": rule.pack,
                "in_force": rule.in_force.to_dict() if rule.in_force else None,
            }
            for rule in rulebook.rules
        ]
        click.echo(to_json(rows), nl=False)
        return
    for rule in rulebook.rules:
        level = vocabulary.value(rule.severity.value, lang) if rule.severity else "-"
        click.echo(f"{rule.id:45} {level:11} {' '.join(rule.sources):20} {rule.title.in_(lang)}")


@main.command("cases")
@TEXT_OR_JSON
@LANG
@guarded
def cases_command(fmt: str, lang: str) -> None:
    """List the bundled worked cases."""
    from ..case.catalogue import bundled_cases
    from ..case.loading import load_case
    from ..outputs.render import to_json

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
@TEXT_OR_JSON
@LANG
@guarded
def check_command(cases: tuple[str, ...], fmt: str, lang: str) -> None:
    """Compare the golden findings of CASES (all bundled cases and their variations by default)
    with the engine's. A case without golden findings is reported as such: it is not a match."""
    from ..inference.assessment import assess
    from ..case.catalogue import bundled_cases, resolve
    from ..tools.golden import compare
    from ..case.loading import load_case
    from ..outputs.render import to_json
    from ..tools.variations import bundled_variations

    if cases:
        judged = [load_case(resolve(name)) for name in cases]
    else:
        worked = {case_id: load_case(path) for case_id, path in bundled_cases().items()}
        judged = list(worked.values()) + bundled_variations(worked)
    differences = [compare(assess(case)) for case in judged]
    matching = sum(d.ok for d in differences)
    without = sum(not d.has_golden for d in differences)
    total = len(judged)
    if fmt == "json":
        summary = {"cases": [d.to_dict() for d in differences], "matching": matching, "total": total, "without_golden": without}
        click.echo(to_json(summary), nl=False)
    else:
        for difference in differences:
            for line in difference.lines(lang):
                click.echo(line)
        if lang == "fr":
            click.echo(f"{matching} cas sur {total} correspondent à leurs constats attendus" + (f" ({without} sans constats attendus)" if without else ""))
        else:
            click.echo(f"{matching} of {total} cases match their golden findings" + (f" ({without} without golden findings)" if without else ""))
    if matching < total:
        sys.exit(1)


@main.command("why")
@click.argument("case")
@click.argument("finding")
@click.option("--depth", type=click.Choice(["summary", "full"]), default="summary", show_default=True)
@TEXT_OR_JSON
@LANG
@guarded
def why_command(case: str, finding: str, depth: str, fmt: str, lang: str) -> None:
    """Why FINDING holds: the rules and facts behind it, with rationales and sources."""
    from ..tools.explaining import why, why_text
    from ..outputs.render import to_json

    assessment = assess_named(case)
    require_conclusion(assessment, case, finding)
    answer = why(assessment, finding, depth)
    if fmt == "json":
        from ..inference.provenance import node_link

        click.echo(to_json({**answer.to_dict(lang), "graph": node_link(assessment.explain(finding))}), nl=False)
    else:
        click.echo(why_text(answer, lang), nl=False)


@main.command("why-not")
@click.argument("case")
@click.argument("rule_or_finding")
@TEXT_OR_JSON
@LANG
@guarded
def why_not_command(case: str, rule_or_finding: str, fmt: str, lang: str) -> None:
    """Why a rule did not fire, or why an expected finding (a conclusion kind) is absent."""
    from ..tools.explaining import why_not, why_not_text
    from ..case.loading import CaseError
    from ..outputs.render import to_json

    assessment = assess_named(case)
    rules = [r.id for r in assessment.rulebook.rules if rule_or_finding in (r.id, r.concludes)]
    if not rules:
        raise CaseError(rule_or_finding, "", "expected a rule id or a conclusion kind (see `reversibility-kb rules`)")
    answers = [why_not(assessment, r) for r in rules]
    if fmt == "json":
        click.echo(to_json([a.to_dict(lang) for a in answers]), nl=False)
    else:
        click.echo("\n".join(why_not_text(a, lang) for a in answers), nl=False)


#: Said on standard error when a search stopped at its bound: the answer may be incomplete.
_CUT = {
    "en": "search cut short after {n} re-assessments (the case is large): the answer below may be incomplete",
    "fr": "recherche écourtée après {n} réévaluations (le dossier est volumineux) : la réponse ci-dessous peut être incomplète",
}


@main.command("what-if")
@click.argument("case")
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE")
@click.option("--patch", type=click.Path())
@click.option("--remove", "target", metavar="FINDING")
@TEXT_OR_JSON
@LANG
@guarded
def what_if_command(case: str, assignments: tuple[str, ...], patch: str | None, target: str | None, fmt: str, lang: str) -> None:
    """Re-assess CASE with facts changed and show the difference; or, with --remove, the
    smallest sets of changes (from the rules' conditions) that remove a finding."""
    import attrs

    from ..case import vocabulary
    from ..tools.explaining import why, why_text
    from ..case.loading import CaseError
    from ..outputs.render import to_json
    from ..tools.whatif import differences, load_patch, parse_assignment, remove_search, what_if

    if target and (assignments or patch):
        raise click.UsageError("--remove searches for changes itself: give it without --set or --patch")
    assessment = assess_named(case)
    if target:
        require_conclusion(assessment, case, target)
        search = remove_search(assessment, target)
        solutions = list(search.solutions)
        if search.cut:
            click.echo(_CUT[lang].format(n=search.tried), err=True)
        if fmt == "json":
            click.echo(to_json([[attrs.asdict(c) for c in combo] for combo in solutions]), nl=False)
        else:
            for combo in solutions:
                click.echo(" + ".join(f"{vocabulary.change(c.path, c.value, lang)} [{vocabulary.identifier(c)}]" for c in combo))
            if not solutions:
                click.echo("no change of up to three facts removes it" if lang == "en" else "aucun changement d'au plus trois faits ne la supprime")
        return
    changes = [parse_assignment(a) for a in assignments] + (load_patch(patch) if patch else [])
    if not changes:
        raise CaseError(case, "", "expected at least one --set PATH=VALUE, a --patch file or --remove FINDING")
    origins = ["--set"] * len(assignments) + [patch or ""] * (len(changes) - len(assignments))  # errors name them
    after, delta = what_if(assessment, changes, origins)
    if fmt == "json":
        click.echo(to_json(delta.to_dict(lang)), nl=False)
        return
    labels = {"fr": ("apparaît", "disparaît", "change"), "en": ("appears", "disappears", "changes")}[lang]
    for finding in delta.appeared:
        click.echo(f"+ {vocabulary.colon(f'{vocabulary.identifier(finding.id)} ({labels[0]})', lang)} {finding.title.in_(lang)}")
        click.echo(textwrap.indent(why_text(why(after, finding.id, "summary"), lang), "    "), nl=False)
    for finding in delta.disappeared:
        click.echo(f"- {vocabulary.colon(f'{vocabulary.identifier(finding.id)} ({labels[1]})', lang)} {finding.title.in_(lang)}")
        click.echo(textwrap.indent(why_text(why(assessment, finding.id, "summary"), lang), "    "), nl=False)
    for before, now in delta.changed:
        click.echo(f"~ {vocabulary.colon(f'{vocabulary.identifier(before.id)} ({labels[2]})', lang)} {now.title.in_(lang)}")
        for name in differences(before, now):
            if name == "severity":
                change = f"{vocabulary.value(before.severity.value, lang)} → {vocabulary.value(now.severity.value, lang)}"
            elif name == "rules":
                change = f"{', '.join(map(vocabulary.identifier, before.rules))} → {', '.join(map(vocabulary.identifier, now.rules))}"
            else:
                change = now.recommendation.in_(lang)
            label = {"severity": ("gravité", "severity"), "rules": ("règles", "rules"), "recommendation": ("recommandation", "recommendation")}[name]
            click.echo(f"    {vocabulary.colon(label[0] if lang == 'fr' else label[1], lang)} {change}")
    if delta.empty:
        click.echo("no finding changes" if lang == "en" else "aucun constat ne change")


@main.command("questions")
@click.argument("case")
@TEXT_OR_JSON
@LANG
@guarded
def questions_command(case: str, fmt: str, lang: str) -> None:
    """The investigation checklist: unknown facts that would change a conclusion, ranked."""
    from ..tools.questions import checklist, stakes_text
    from ..outputs.render import to_json

    found = checklist(assess_named(case))
    if found.cut:
        click.echo(_CUT[lang].format(n=found.tried), err=True)
    if fmt == "json":
        click.echo(to_json([q.to_dict(lang) for q in found.questions]), nl=False)
        return
    for number, question in enumerate(found.questions, 1):
        click.echo(f"{number}. {question.text.in_(lang)}  [{question.weight}]")
        click.echo(textwrap.indent(stakes_text(question, lang), "   "), nl=False)


@main.command("assess-dir")
@click.argument("directory", type=click.Path(exists=True, file_okay=False))
@WORKERS
@click.option("-o", "--output", type=click.Path(dir_okay=False))
@click.option("--resume", is_flag=True)
@TEXT_OR_JSON
@LANG
@guarded
def assess_dir_command(directory: str, workers: int | None, output: str | None, resume: bool, fmt: str, lang: str) -> None:
    """Assess every case file under DIRECTORY: results as JSON Lines, a summary on stderr.
    A file that cannot be assessed is reported (its own error line) and the run goes on."""
    from ..case.loading import CaseError, one_line
    from ..tools.portfolio import Outcome, assess_many, case_files, finished_sources
    from ..outputs.render import to_json

    paths = case_files(directory)
    workers = worker_count(workers, lang)
    if resume and not output:
        raise click.UsageError("--resume needs -o FILE (the results to resume)")
    done = finished_sources(output) if resume and output else set()
    todo = [p for p in paths if one_line(p) not in done]
    if output and any(os.path.exists(p) and os.path.samefile(output, p) for p in paths if os.path.exists(output)):
        raise CaseError(output, "", "expected an output file other than the case files it is made from")
    counts: dict[str, int] = {}
    failed: list[Outcome] = []
    try:
        sink = open(output, "a" if resume else "w", encoding="utf-8", newline="") if output else None  # noqa: SIM115
    except OSError as exc:
        raise CaseError(output or "", "", f"cannot write the output file ({exc.strerror or exc})") from None
    try:
        with click.progressbar(length=len(todo), label="assessing", file=sys.stderr) as bar:
            for outcome in assess_many(todo, workers=workers, lang=lang):
                line = outcome.record + "\n"  # made by the worker that assessed the file
                if sink is None:
                    click.echo(line, nl=False)
                else:
                    try:
                        sink.write(line)  # one line at a time, flushed: a kill loses at most the line being written
                        sink.flush()
                    except OSError as exc:  # a full disk: the lines already written stay, --resume goes on from them
                        raise CaseError(output or "", "", f"cannot write the output file ({exc.strerror or exc})") from None
                for severity in outcome.severities:
                    counts[severity] = counts.get(severity, 0) + 1
                if not outcome.ok:
                    failed.append(outcome)
                bar.update(1)
    finally:
        if sink is not None:
            try:
                sink.close()
            except OSError:  # what could not be written is already reported
                pass
    summary = {
        "cases": len(paths),
        "already_done": len(paths) - len(todo),
        "assessed": len(todo) - len(failed),
        "skipped": len(failed),
        "findings": {severity: counts.get(severity, 0) for severity in ("high", "medium", "low", "info")},
        "errors": [outcome.error for outcome in failed],
    }
    if fmt == "json":
        click.echo(to_json(summary), nl=False, err=True)
        return
    click.echo(f"{'cases':>10} {len(paths)}", err=True)
    if resume:
        click.echo(f"{'resumed':>10} {summary['already_done']}", err=True)
    click.echo(f"{'assessed':>10} {summary['assessed']}", err=True)
    click.echo(f"{'skipped':>10} {len(failed)}", err=True)
    for severity in ("high", "medium", "low", "info"):
        click.echo(f"{severity:>10} {counts.get(severity, 0)} findings", err=True)
    for outcome in failed:
        click.echo(f"skipped: {outcome.error}", err=True)


@main.command("schema")
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True)
@guarded
def schema_command(fmt: str) -> None:
    """Print the JSON Schema of case files."""
    from ..outputs.render import to_json
    from ..case.schema import case_schema

    click.echo(to_json(case_schema()), nl=False)
