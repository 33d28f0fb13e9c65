"""Whole portfolios: many case files assessed in worker processes, results in file order.

Parallelism uses processes (durable_rules holds the GIL, threads give none). Any
``concurrent.futures.Executor`` can be passed instead — a ``dask.distributed`` client's
executor runs a portfolio too large for one machine without new code.

The processes are ours rather than a ``ProcessPoolExecutor``'s, so that no work is lost: each
worker is handed one file at a time over its own pipe, so a worker that dies (killed, out of
memory, a crash in the engine) costs only the file it held, reported as that file's error, and
a fresh worker takes over; and a worker exits as soon as its pipe closes, when the parent dies.
"""

from __future__ import annotations

import concurrent.futures
import itertools
import json
import multiprocessing
import os
import signal
import typing
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

import attrs

from .assessment import assess_checked
from .catalogue import SUFFIXES
from .engine import EngineError
from .loading import CaseError, one_line


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
        # one_line: a file name may hold control characters, or bytes that are not UTF-8
        return {"source": one_line(self.source), **({"assessment": self.result} if self.ok else {"error": self.error})}


def assess_file(path: str, lang: Optional[str] = None) -> Outcome:
    """Assess one case file; any failure (a file that cannot be loaded, an engine error, even a
    bug) gives an :class:`Outcome` with its error: one file never stops a portfolio."""
    try:
        return Outcome(path, assess_checked(path).to_dict(lang))
    except (CaseError, EngineError) as exc:
        return Outcome(path, error=str(exc))
    except Exception as exc:  # noqa: BLE001 -- reported as this file's error, with its type
        return Outcome(path, error=one_line(f"{path}: {type(exc).__name__}: {exc}"))


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
    yield from _in_processes(paths, workers, lang)


def _worker(conn: Connection, lang: Optional[str]) -> None:
    """Assess the files the parent sends, one at a time, until it sends None or goes away."""
    while True:
        try:
            path = conn.recv()
        except (EOFError, OSError):  # the parent died: nobody wants the result
            return
        if path is None:
            return
        try:
            conn.send(assess_file(path, lang))
        except (BrokenPipeError, OSError):
            return


def _in_processes(paths: list[str], workers: int, lang: Optional[str]) -> Iterator[Outcome]:
    # forkserver, not fork: a fork taken while another thread holds the engine's lock would hang
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context: Any = multiprocessing.get_context(method)
    todo = iter(range(len(paths)))
    busy: dict[Connection, tuple[Any, int]] = {}
    done: dict[int, Outcome] = {}
    given = 0

    def start(index: int) -> None:
        parent, child = context.Pipe()
        process = context.Process(target=_worker, args=(child, lang), name="reversibility-kb-worker", daemon=True)
        process.start()
        child.close()  # the worker holds the only other end: it sees EOF when we die
        parent.send(paths[index])
        busy[parent] = (process, index)

    try:
        for index in itertools.islice(todo, workers):
            start(index)
        while busy:
            for ready in wait(list(busy)):
                conn = typing.cast(Connection, ready)
                process, index = busy.pop(conn)
                try:
                    done[index] = conn.recv()
                except (EOFError, OSError):
                    process.join()
                    conn.close()
                    done[index] = Outcome(paths[index], error=one_line(f"{paths[index]}: {_died(process.exitcode)}"))
                    following = next(todo, None)
                    if following is not None:
                        start(following)
                    continue
                following = next(todo, None)
                try:
                    conn.send(None if following is None else paths[following])
                except OSError:  # it died after its answer, before this file: the file goes to a new one
                    conn.close()
                    process.join()
                    if following is not None:
                        start(following)
                    continue
                if following is None:
                    conn.close()
                    process.join()
                else:
                    busy[conn] = (process, following)
            while given in done:
                yield done.pop(given)
                given += 1
    finally:
        for conn, (process, _) in busy.items():
            conn.close()
            process.terminate()
            process.join()


def _died(code: Optional[int]) -> str:
    """Why a worker stopped, in words (a negative exit code is the signal that killed it)."""
    if code is not None and code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return f"the worker process assessing this file died ({name})"
    return f"the worker process assessing this file died (exit status {code})"


def finished_sources(output: "str | Path") -> set[str]:
    """The files a previous run already wrote to ``output`` (JSON Lines), to resume after them.

    A run killed mid-write can leave half a line at the end: it is cut off here, so that the file
    only ever holds complete lines and that file is assessed again."""
    path = Path(output)
    try:
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
