"""Whole portfolios: many case files assessed in worker processes, results in file order.

Parallelism uses processes (durable_rules holds the GIL, threads give none). Any
``concurrent.futures.Executor`` can be passed instead — a ``dask.distributed`` client's
executor runs a portfolio too large for one machine without new code.
"""

from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

import attrs

from .assessment import Assessment, assess, rulebook_for
from .catalogue import SUFFIXES
from .engine import EngineError
from .loading import CaseError, load_case, validate_case


@attrs.frozen
class Outcome:
    """One case of a portfolio: its assessment as plain data, or why it could not be assessed."""

    source: str
    result: Optional[dict[str, Any]] = None
    error: Optional[str] = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def to_dict(self) -> dict[str, Any]:
        return {"source": self.source, **({"assessment": self.result} if self.ok else {"error": self.error})}


def assess_checked(path: "str | Path") -> Assessment:
    """Load, check against the bundled rulebook (no id may be a conclusion's) and assess."""
    case = load_case(path)
    rulebook = rulebook_for(case)
    validate_case(case, {rule.concludes for rule in rulebook.rules}, str(path))
    return assess(case, rulebook)


def assess_file(path: str, lang: Optional[str] = None) -> Outcome:
    """Assess one case file; a file that cannot be loaded gives an :class:`Outcome` with its error."""
    try:
        return Outcome(path, assess_checked(path).to_dict(lang))
    except (CaseError, EngineError) as exc:
        return Outcome(path, error=str(exc))


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
    # forkserver, not fork: a fork taken while another thread holds the engine's lock would hang
    context = multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(assess_file, paths, langs, chunksize=max(1, len(paths) // (workers * 8)))


def default_workers() -> int:
    """One worker per available core."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)
