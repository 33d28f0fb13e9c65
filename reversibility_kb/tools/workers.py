"""Worker processes that lose no work: a function run over a list of items, results in input order.

Parallelism uses processes (durable_rules holds the GIL, threads give none). The processes are
ours rather than a ``ProcessPoolExecutor``'s, whose whole run fails (``BrokenProcessPool``) when
one worker dies: here each worker is handed a few items at a time over its own pipe and sends
back each result as soon as it is ready, so a worker that dies (killed, out of memory, a crash in
the engine) costs only the item it was on, whose result the caller words, and a fresh worker
takes over the others; and a worker exits as soon as its pipe closes, when the parent dies.
"""

from __future__ import annotations

import collections
import multiprocessing
import signal
import threading
import typing
from multiprocessing.connection import Connection, wait
from typing import Any, Callable, Iterator, Optional, Sequence, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: Items a worker holds at most: it starts the next as soon as one is done, without waiting for
#: the parent, while a worker that dies costs only the one it was on (the others go to a new one).
AHEAD = 4


def in_processes(
    function: Callable[[Item], Result],
    items: Sequence[Item],
    workers: int,
    died: Callable[[Item, str], Result],
) -> Iterator[Result]:
    """``function`` applied to each item in ``workers`` processes, yielded in the order of
    ``items`` as soon as each is ready (and the ones before it).

    ``function`` is a module-level function (or a ``functools.partial`` of one) and the items and
    results can be pickled: they cross processes. It should not raise: an exception ends its
    worker as a crash would. The result of an item whose worker died is ``died(item, cause)``,
    ``cause`` saying how it died (``SIGKILL``, ``exit status 1``)."""
    context = _context(function)
    forked = context.get_start_method() == "fork"
    todo = collections.deque(range(len(items)))
    held: dict[Connection, tuple[Any, collections.deque[int]]] = {}
    done: dict[int, Result] = {}
    given = 0

    def top_up(conn: Connection, mine: collections.deque[int]) -> None:
        """Give a worker items until it holds AHEAD, or its share of what is left."""
        share = min(AHEAD - len(mine), max(1, -(-len(todo) // workers)), len(todo))
        more = [todo.popleft() for _ in range(share)]
        if more:
            mine.extend(more)
            conn.send([items[index] for index in more])

    def start() -> None:
        parent, child = context.Pipe()
        inherited = [parent, *held] if forked else []
        process = context.Process(target=_worker, args=(child, function, inherited), name="reversibility-kb-worker", daemon=True)
        process.start()
        child.close()  # the worker holds the only other end: it sees EOF when we die
        held[parent] = (process, collections.deque())
        top_up(parent, held[parent][1])

    def retire(conn: Connection, process: Any, mine: collections.deque[int]) -> None:
        """Close a worker's pipe and wait for it; the items it held and had not started go back."""
        del held[conn]
        conn.close()
        process.join()
        todo.extendleft(reversed(mine))
        if todo:
            start()

    try:
        for _ in range(min(workers, len(items))):
            start()
        while held:
            for ready in wait(list(held)):
                conn = typing.cast(Connection, ready)
                process, mine = held[conn]
                try:
                    result = conn.recv()
                except (EOFError, OSError):  # it died: the item it was on is lost, not the others
                    index = mine.popleft()
                    retire(conn, process, mine)
                    done[index] = died(items[index], _cause(process.exitcode))
                    continue
                done[mine.popleft()] = result
                try:
                    if len(mine) <= AHEAD // 2:
                        top_up(conn, mine)
                    if not mine:
                        conn.send(None)
                except OSError:  # it died after its answer: what it held goes to a new one
                    retire(conn, process, mine)
                    continue
                if not mine:
                    retire(conn, process, mine)
            while given in done:
                yield done.pop(given)
                given += 1
    finally:
        for conn, (process, _) in list(held.items()):
            conn.close()
            process.terminate()
            process.join()


def _worker(conn: Connection, function: Callable[[Any], Any], inherited: list[Connection]) -> None:
    """Run ``function`` on the items the parent sends (a few at a time), sending each result as
    soon as it is ready, until the parent sends None or goes away. A forked worker first closes
    the parent's ends of the pipes (its own and the other workers'), or no worker would see the
    parent die."""
    for end in inherited:
        end.close()
    while True:
        try:
            items = conn.recv()
        except (EOFError, OSError):  # the parent died: nobody wants the result
            return
        if items is None:
            return
        for item in items:
            try:
                conn.send(function(item))
            except (BrokenPipeError, OSError):
                return


def _context(function: Callable[..., Any]) -> Any:
    """How workers start. A fork of this process when it runs a single thread (no other thread can
    then hold a lock, the engine's or the allocator's, that the child would inherit held): the
    workers start at once with the library already imported. Otherwise a fork server, which
    imports the function's module once for all the workers it forks."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    context: Any = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if "forkserver" in methods:
        context.set_forkserver_preload([getattr(function, "func", function).__module__])
    return context


def _cause(code: Optional[int]) -> str:
    """How a worker stopped, in words (a negative exit code is the signal that killed it)."""
    if code is not None and code < 0:
        try:
            return signal.Signals(-code).name
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"
