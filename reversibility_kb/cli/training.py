"""The ``exercise`` and ``train`` verbs of the command line (``main.py`` adds them with
:func:`register`). The training modules are imported when a verb runs, not when the command
line starts (matplotlib among them)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Optional

import click

from .common import LANG, OUTPUT, assess_named, emit, guarded
from .help import Verb
from ..case.loading import CaseError
from ..outputs.render import to_json

if TYPE_CHECKING:
    from ..training.grading import Answers


@click.command("exercise", cls=Verb)
@click.argument("case")
@click.option("--format", "fmt", type=click.Choice(["md", "html", "template"]), default="md", show_default=True)
@LANG
@OUTPUT
@guarded
def exercise_command(case: str, fmt: str, lang: str, output: Optional[str]) -> None:
    """The exercise sheet of CASE: narrative, facts (no golden answer), themes, answer template."""
    from ..inference.assessment import default_rulebook
    from ..case.catalogue import resolve
    from ..case.loading import load_case
    from ..training.sheets import answer_template, sheet_html, sheet_markdown

    loaded = load_case(resolve(case))
    rulebook = default_rulebook()
    if fmt == "template":
        emit(answer_template(loaded, rulebook, lang), output)
    else:
        emit((sheet_html if fmt == "html" else sheet_markdown)(loaded, rulebook, lang), output)


@click.command("train", cls=Verb)
@click.argument("case")
@click.option("--answers", type=click.Path(exists=True), default=None)
@click.option("--format", "fmt", type=click.Choice(["text", "json", "md", "html"]), default="text", show_default=True)
@click.option("--hint", "level", type=click.IntRange(1, 3), default=None)
@click.option("--interactive", is_flag=True)
@LANG
@OUTPUT
@guarded
def train_command(case: str, answers: Optional[str], fmt: str, level: Optional[int], interactive: bool, lang: str, output: Optional[str]) -> None:
    """Grade a junior's answers to CASE (or a class's, with a directory), give clues, or run the
    exercise interactively."""
    from ..training.grading import answer_files, answer_key, hints, load_answers

    key = answer_key(assess_named(case))
    if interactive:
        if answers or level:
            raise CaseError(case, "", "expected --interactive alone (no --answers, no --hint)")
        from ..training.interactive import run_session

        run_session(key, lang)
        return
    if answers is None and level is None:
        raise CaseError(case, "", "expected --answers FILE or DIRECTORY, --hint LEVEL or --interactive")
    path = Path(answers) if answers else None
    if level is not None:
        from ..training.render import hints_text, hints_to_dict

        if path is not None and path.is_dir():
            raise CaseError(str(path), "", "expected an answer file with --hint, not a directory")
        named = _check(load_answers(path), key.assessment.case.id).findings if path else ()
        found = hints(key, named, level)
        emit(to_json(hints_to_dict(found, lang)) if fmt == "json" else hints_text(found, lang), output)
        return
    assert path is not None
    if path.is_dir():
        files = answer_files(path)
        if not files:
            raise CaseError(str(path), "", "expected a directory holding answer files (.yaml, .yml or .json)")
        from ..training.classroom import class_html, class_markdown, class_text, class_to_dict, grade_class

        report = grade_class(key, [_check(load_answers(f), key.assessment.case.id) for f in files])
        class_renderers = {"json": lambda r, l: to_json(class_to_dict(r, l)), "md": class_markdown, "html": class_html, "text": class_text}
        emit(class_renderers[fmt](report, lang), output)
        return
    from ..training.grading import grade
    from ..training.render import grade_html, grade_markdown, grade_text, grade_to_dict

    result = grade(key, _check(load_answers(path), key.assessment.case.id))
    renderers = {"json": lambda g, l: to_json(grade_to_dict(g, l)), "md": grade_markdown, "html": grade_html, "text": grade_text}
    emit(renderers[fmt](result, lang), output)


def _check(answers: Answers, case_id: str) -> Answers:
    """Refuse answers written for another case."""
    if answers.case is not None and answers.case != case_id:
        raise CaseError(answers.source, "case", f"expected answers to case '{case_id}', got '{answers.case}'")
    return answers


def register(main: click.Group) -> None:
    """Add the ``exercise`` and ``train`` verbs to the command-line group."""
    main.add_command(exercise_command)
    main.add_command(train_command)
