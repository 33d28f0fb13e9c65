"""Rule packs: today's law and standards as optional folders of rules (``rules/packs/<name>/``).

A pack holds a ``sources.yaml`` (the articles its rules cite, under ``sources``, ids such as
``DA:25(2)(d)``), optionally a ``questions.yaml`` (how to ask for the facts its rules test, as the
rulebook's) and rule files. It is read only when asked for, by
``load_rulebook(rules_dir, packs=(...))``, or on the command line with ``--pack NAME``.
"""

from __future__ import annotations

import contextlib
import contextvars
from pathlib import Path
from typing import Any, Iterator

from ..case.loading import decode, read_bytes
from .rulebook import Question, Rule, RuleError, SeedPoint, _entries, _rule, _structure_all

#: The packs the command line asked for (``--pack``); the bundled rulebook includes them.
_ACTIVE: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("packs", default=())
SOURCES = "sources.yaml"
QUESTIONS = "questions.yaml"


def packs_dir(rules_dir: Path) -> Path:
    return Path(rules_dir) / "packs"


def available_packs(rules_dir: Path) -> tuple[str, ...]:
    """The names of the packs shipped beside a rulebook, sorted."""
    folder = packs_dir(rules_dir)
    return tuple(sorted(p.name for p in folder.iterdir() if p.is_dir() and (p / SOURCES).is_file())) if folder.is_dir() else ()


def read_pack(rules_dir: Path, name: str, digest: Any) -> tuple[dict[str, SeedPoint], dict[str, Question], list[Rule]]:
    """A pack's sources, questions and rules; its files are added to the rulebook's digest."""
    known = available_packs(rules_dir)
    if name not in known:
        raise RuleError(str(packs_dir(rules_dir)), "", "", f"expected a rule pack among {', '.join(known) or 'none'}, got '{name}'")
    folder = packs_dir(rules_dir) / name
    files = sorted(folder.glob("*.yaml"))
    contents = {file.name: read_bytes(file) for file in files}
    for file in files:
        digest.update(f"packs/{name}/{file.name}".encode() + b"\0" + contents[file.name] + b"\0")
    sources = folder / SOURCES
    seed = {p.id: p for p in _structure_all(decode(contents[SOURCES], str(sources), ".yaml"), sources, "sources", SeedPoint)}
    questions: dict[str, Question] = {}
    if QUESTIONS in contents:
        path = folder / QUESTIONS
        questions = {q.path: q for q in _structure_all(decode(contents[QUESTIONS], str(path), ".yaml"), path, "questions", Question)}
    rules: list[Rule] = []
    for file in files:
        if file.name in (SOURCES, QUESTIONS):
            continue
        data = decode(contents[file.name], str(file), ".yaml")
        rules += [_rule(raw, str(file), i, pack=name) for i, raw in enumerate(_entries(data, file, "rules"))]
    return seed, questions, rules


def active_packs() -> tuple[str, ...]:
    """The packs in use in this context (the command line's ``--pack``)."""
    return _ACTIVE.get()


@contextlib.contextmanager
def use_packs(packs: tuple[str, ...]) -> Iterator[None]:
    """Within the block, the bundled rulebook includes these packs."""
    token = _ACTIVE.set(tuple(packs))
    try:
        yield
    finally:
        _ACTIVE.reset(token)
