"""Whole portfolios: many case files assessed in worker processes, results in file order.

Parallelism uses the processes of :mod:`.workers`, which lose no work: each sends back a file's
outcome (its JSON line, ready to write) as soon as it is done, and a worker that dies (killed, out
of memory, a crash in the engine) costs only the file it was on, reported as that file's error.
Any ``concurrent.futures.Executor`` can be passed instead — a ``dask.distributed`` client's
executor runs a portfolio too large for one machine without new code.
"""

from __future__ import annotations

import concurrent.futures
import functools
import json
import os
import stat
import typing
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

import attrs

from ..inference.assessment import assess_checked
from ..case.catalogue import SUFFIXES
from ..inference.engine import EngineError
from ..case.loading import CaseError, file_kind, one_line
from ..outputs.render import json_safe
from .workers import in_processes


@attrs.frozen
class Outcome:
    """One case of a portfolio: its JSON Lines record, ready to write (made where the case was
    assessed, so that a worker process sends a line rather than a tree of objects), and the
    severities of its findings for the summary; or why it could not be assessed."""

    source: str
    record: str = attrs.field(repr=False)
    severities: tuple[str, ...] = ()
    error: Optional[str] = None

    @classmethod
    def of(cls, source: str, result: Optional[dict[str, Any]] = None, error: Optional[str] = None) -> "Outcome":
        """The outcome of ``source``: its assessment as plain data, or its error."""
        # one_line: a file name may hold control characters, or bytes that are not UTF-8
        data = {"source": one_line(source), **({"assessment": result} if error is None else {"error": error})}
        severities = tuple(finding["severity"] for finding in result["findings"]) if result is not None else ()
        return cls(source, json_safe(json.dumps(data, ensure_ascii=False)), severities, error)

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def result(self) -> Optional[dict[str, Any]]:
        """The assessment as plain data (decoded from the record on demand), or None."""
        return typing.cast(Optional[dict[str, Any]], self.to_dict().get("assessment"))

    def to_dict(self) -> dict[str, Any]:
        return typing.cast(dict[str, Any], json.loads(self.record))


def assess_file(path: str, lang: Optional[str] = None) -> Outcome:
    """Assess one case file; any failure (a file that cannot be loaded, an engine error, even a
    bug) gives an :class:`Outcome` with its error: one file never stops a portfolio."""
    try:
        return Outcome.of(path, assess_checked(path).to_dict(lang))
    except (CaseError, EngineError) as exc:
        return Outcome.of(path, error=str(exc))
    except Exception as exc:  # noqa: BLE001 -- reported as this file's error, with its type
        return Outcome.of(path, error=one_line(f"{path}: {type(exc).__name__}: {exc}"))


def case_files(directory: "str | Path") -> list[str]:
    """The case files of a directory and its subdirectories, in a stable order."""
    root = Path(directory)
    return sorted(str(p) for p in root.rglob("*") if p.suffix in SUFFIXES and p.is_file())


def assess_many(
    cases: Iterable["str | Path"],
    workers: int = 1,
    executor: Optional[concurrent.futures.Executor] = None,
    lang: Optional[str] = None,
) -> Iterator[Outcome]:
    """Assess case files, yielding outcomes in the order given as soon as each is ready.

    ``workers`` > 1 starts that many processes; ``executor`` uses one the caller owns instead."""
    paths = [str(p) for p in cases]
    langs = [lang] * len(paths)
    if executor is not None:
        yield from executor.map(assess_file, paths, langs)
        return
    if workers <= 1:
        yield from map(assess_file, paths, langs)
        return
    yield from in_processes(functools.partial(assess_file, lang=lang), paths, workers, _died)


def _died(path: str, cause: str) -> Outcome:
    """A file whose worker process died (``cause``: the signal's name, or the exit status): that
    file's error, the other files going on in a fresh worker."""
    return Outcome.of(path, error=one_line(f"{path}: the worker process assessing this file died ({cause})"))


def finished_sources(output: "str | Path") -> set[str]:
    """The files a previous run already wrote to ``output`` (JSON Lines), to resume after them.

    A run killed mid-write can leave half a line at the end: it is cut off here, so that the file
    only ever holds complete lines and that file is assessed again."""
    path = Path(output)
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):  # a pipe would block, a device never end
            raise CaseError(str(path), "", f"expected a regular file of results to resume, got {file_kind(mode)}")
        raw = path.read_bytes()
    except FileNotFoundError:
        return set()
    except OSError as exc:
        raise CaseError(str(path), "", f"expected a readable file to resume ({exc.strerror or exc})") from None
    complete = raw[: raw.rfind(b"\n") + 1]
    if len(complete) < len(raw):
        with open(path, "r+b") as handle:
            handle.truncate(len(complete))
    sources = set()
    for number, line in enumerate(complete.decode("utf-8", "replace").splitlines(), 1):
        try:
            sources.add(json.loads(line)["source"])
        except (ValueError, KeyError, TypeError):
            raise CaseError(str(path), f"line {number}", "expected a JSON Lines file written by assess-dir") from None
    return sources


def default_workers() -> int:
    """One worker per available core: more only share the same cores, at the cost of memory."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
