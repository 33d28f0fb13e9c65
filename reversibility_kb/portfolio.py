"""Whole portfolios: many case files assessed in worker processes, results in file order.

Parallelism uses processes (durable_rules holds the GIL, threads give none). Any
``concurrent.futures.Executor`` can be passed instead — a ``dask.distributed`` client's
executor runs a portfolio too large for one machine without new code.

The processes are ours rather than a ``ProcessPoolExecutor``'s, so that no work is lost: each
worker is handed a few files at a time over its own pipe and sends back each file's outcome
(its JSON line, ready to write) as soon as it is done, so a worker that dies (killed, out of
memory, a crash in the engine) costs only the file it was on, reported as that file's error, and
a fresh worker takes over the others; and a worker exits as soon as its pipe closes, when the
parent dies.
"""

from __future__ import annotations

import collections
import concurrent.futures
import json
import multiprocessing
import os
import signal
import stat
import threading
import typing
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any, Iterable, Iterator, Optional

import attrs

from .assessment import assess_checked
from .catalogue import SUFFIXES
from .engine import EngineError
from .loading import CaseError, file_kind, one_line
from .render import json_safe


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
    yield from _in_processes(paths, workers, lang)


#: Files a worker holds at most: it starts the next as soon as one is done, without waiting for
#: the parent, while a worker that dies costs only the one it was on (the others go to a new one).
AHEAD = 4


def _worker(conn: Connection, lang: Optional[str], inherited: list[Connection]) -> None:
    """Assess the files the parent sends (a few at a time), sending each outcome as soon as it is
    ready, until the parent sends None or goes away. A forked worker first closes the parent's
    ends of the pipes (its own and the other workers'), or no worker would see the parent die."""
    for end in inherited:
        end.close()
    while True:
        try:
            paths = conn.recv()
        except (EOFError, OSError):  # the parent died: nobody wants the result
            return
        if paths is None:
            return
        for path in paths:
            try:
                conn.send(assess_file(path, lang))
            except (BrokenPipeError, OSError):
                return


def _context() -> Any:
    """How workers start. A fork of this process when it runs a single thread (no other thread can
    then hold a lock, the engine's or the allocator's, that the child would inherit held): the
    workers start at once with the library already imported. Otherwise a fork server, which
    imports the library once for all the workers it forks."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context: Any = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload([__name__])
    return context


def _in_processes(paths: list[str], workers: int, lang: Optional[str]) -> Iterator[Outcome]:
    context = _context()
    forked = context.get_start_method() == "fork"
    todo = collections.deque(range(len(paths)))
    held: dict[Connection, tuple[Any, collections.deque[int]]] = {}
    done: dict[int, Outcome] = {}
    given = 0

    def top_up(conn: Connection, files: collections.deque[int]) -> None:
        """Give a worker files until it holds AHEAD, or its share of what is left."""
        share = min(AHEAD - len(files), max(1, -(-len(todo) // workers)), len(todo))
        more = [todo.popleft() for _ in range(share)]
        if more:
            files.extend(more)
            conn.send([paths[index] for index in more])

    def start() -> None:
        parent, child = context.Pipe()
        inherited = [parent, *held] if forked else []
        process = context.Process(target=_worker, args=(child, lang, inherited), name="reversibility-kb-worker", daemon=True)
        process.start()
        child.close()  # the worker holds the only other end: it sees EOF when we die
        held[parent] = (process, collections.deque())
        top_up(parent, held[parent][1])

    def retire(conn: Connection, process: Any, files: collections.deque[int]) -> None:
        """Close a worker's pipe and wait for it; the files it held and had not started go back."""
        del held[conn]
        conn.close()
        process.join()
        todo.extendleft(reversed(files))
        if todo:
            start()

    try:
        for _ in range(min(workers, len(paths))):
            start()
        while held:
            for ready in wait(list(held)):
                conn = typing.cast(Connection, ready)
                process, files = held[conn]
                try:
                    outcome = conn.recv()
                except (EOFError, OSError):  # it died: the file it was on is lost, not the others
                    index = files.popleft()
                    retire(conn, process, files)
                    done[index] = Outcome.of(paths[index], error=one_line(f"{paths[index]}: {_died(process.exitcode)}"))
                    continue
                done[files.popleft()] = outcome
                try:
                    if len(files) <= AHEAD // 2:
                        top_up(conn, files)
                    if not files:
                        conn.send(None)
                except OSError:  # it died after its answer: what it held goes to a new one
                    retire(conn, process, files)
                    continue
                if not files:
                    retire(conn, process, files)
            while given in done:
                yield done.pop(given)
                given += 1
    finally:
        for conn, (process, _) in list(held.items()):
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
