"""Benchmark: a DORA register of information of 100,000 arrangements, assessed with the dora pack.

Generates the synthetic register (``reversibility_kb.case.register.synthetic_register``), writes its CSV
files, reads them back, and assesses every arrangement in worker processes (or on a
``dask.distributed`` cluster with ``--dask SCHEDULER``, or ``--dask local`` for a local one).
Reports arrangements per second for each stage and the peak resident memory of this process and
of its workers. Not run by the test suite: ``python benchmarks/register.py [--count N]``.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import json
import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Iterator, Optional

from reversibility_kb.tools.portfolio import default_workers
from reversibility_kb.case.register import read_register, register_date, synthetic_register, write_register
from reversibility_kb.outputs.register_report import assess_register, jsonl, portfolio_html


def _peak_mib(who: int) -> float:
    """Peak resident memory in MiB (Linux reports kilobytes)."""
    return resource.getrusage(who).ru_maxrss / 1024


def _worker_peak(_: int) -> float:
    return _peak_mib(resource.RUSAGE_SELF)


@contextlib.contextmanager
def _executor(dask: Optional[str], workers: int, peaks: list[float]) -> Iterator[Any]:
    """Local worker processes (forkserver, as the library starts them), or a dask.distributed
    client's executor. Local workers report their peak memory before they stop."""
    if not dask:
        context = multiprocessing.get_context("forkserver")
        with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            yield pool
            peaks += pool.map(_worker_peak, range(workers * 4))
        return
    from distributed import Client

    client = Client(processes=True) if dask == "local" else Client(dask)
    try:
        yield client.get_executor()
    finally:
        client.close()


def main(argv: Optional[list[str]] = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--dask", default=None, help="a scheduler address, or 'local'")
    args = parser.parse_args(argv)
    timings: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        write_register(synthetic_register(args.count), folder)
        timings["generate_and_write"] = time.perf_counter() - start
        start = time.perf_counter()
        arrangements = read_register(folder)
        timings["read"] = time.perf_counter() - start
    date = register_date(arrangements)
    start = time.perf_counter()
    peaks: list[float] = []
    with _executor(args.dask, args.workers, peaks) as executor:
        rows = list(assess_register(arrangements, date, args.workers, executor))
    timings["assess"] = time.perf_counter() - start
    start = time.perf_counter()
    lines = jsonl(rows)
    page = portfolio_html(rows, date, "en")
    timings["report"] = time.perf_counter() - start
    result = {
        "arrangements": len(rows),
        "workers": args.workers,
        "dask": args.dask,
        "seconds": {k: round(v, 2) for k, v in timings.items()},
        "arrangements_per_second": {k: round(len(rows) / v) for k, v in timings.items() if v > 0},
        "findings": sum(len(r.findings) for r in rows),
        "jsonl_bytes": len(lines.encode()),
        "html_bytes": len(page.encode()),
        "peak_rss_mib": {"main": round(_peak_mib(resource.RUSAGE_SELF)), "largest_worker": round(max(peaks, default=0))},
    }
    json.dump(result, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return result


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    main()
