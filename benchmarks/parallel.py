"""Assessing a portfolio with worker processes (durable_rules never releases the GIL, so threads
give no speed-up). Workers are forked after the portfolio is generated and the rulebook compiled,
so both are inherited and neither is timed."""

from __future__ import annotations

import multiprocessing
import time
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from reversibility_kb import assess

#: Set by the parent before the pool forks.
CASES: list[Any] = []


def _warm(delay: float) -> int:
    time.sleep(delay)  # long enough for every worker to be started and take one
    return len(CASES)


def _assess_range(start: int, stop: int) -> int:
    return sum(len(assess(case).findings) for case in CASES[start:stop])


def timed_pool(cases: list[Any], workers: int, chunk: int = 50) -> tuple[float, int]:
    """Wall time to assess every case with ``workers`` processes (pool start-up excluded) and
    the total number of findings (to check the work was done)."""
    global CASES
    CASES = cases
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        list(pool.map(_warm, [0.3] * workers))
        start = time.perf_counter()
        futures = [pool.submit(_assess_range, i, min(i + chunk, len(cases))) for i in range(0, len(cases), chunk)]
        findings = sum(f.result() for f in futures)
        elapsed = time.perf_counter() - start
    CASES = []
    return elapsed, findings


def _burn(loops: int) -> int:
    total = 0
    for i in range(loops):
        total += i * i
    return total


def ceiling(loops: int = 2_000_000, tasks: int = 8) -> float:
    """The speed-up two processes get on a pure-Python loop right now: what the machine allows
    (other processes may hold a core)."""
    context = multiprocessing.get_context("fork")
    times = []
    for workers in (1, 2):
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            list(pool.map(_warm, [0.1] * workers))
            start = time.perf_counter()
            list(pool.map(_burn, [loops] * tasks))
            times.append(time.perf_counter() - start)
    return times[0] / times[1]
