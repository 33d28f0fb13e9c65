#!/usr/bin/env python
"""A portfolio assessed on a dask.distributed cluster: the same JSON Lines, byte for byte, as
``reversibility-kb assess-dir``, with no code beyond the library's ``assess_many``.

    python benchmarks/dask_portfolio.py DIR -o results.jsonl           # a local cluster, one process per core
    python benchmarks/dask_portfolio.py --generate 200 --compare       # 200 synthetic cases, checked against one process
    python benchmarks/dask_portfolio.py DIR --scheduler tcp://host:8786  # a real cluster

Needs ``pip install 'reversibility-kb[dask]'`` (dask.distributed). See docs/portfolio-dask.md.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from typing import Optional

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:
    sys.path.insert(0, str(HERE.parent))

from reversibility_kb.tools.portfolio import Outcome, assess_many, case_files  # noqa: E402


def on_cluster(paths: list[str], workers: int, scheduler: Optional[str], lang: str) -> list[Outcome]:
    """The outcomes of ``paths``, in their order, assessed on dask workers.

    Each dask worker is a process with one thread: durable_rules holds the GIL, so threads in one
    process would take turns. A task is one file: a file that fails is that file's record."""
    from dask.distributed import Client, LocalCluster

    if scheduler:
        with Client(scheduler) as client:
            return list(assess_many(paths, executor=client.get_executor(), lang=lang))
    with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            return list(assess_many(paths, executor=client.get_executor(), lang=lang))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("directory", nargs="?", help="the case files (.yaml, .yml, .json) to assess")
    parser.add_argument("--generate", type=int, default=0, help="first write this many synthetic cases to a temporary directory")
    parser.add_argument("--workers", type=int, default=2, help="processes of the local cluster (default: 2)")
    parser.add_argument("--scheduler", help="address of a running dask scheduler instead of a local cluster")
    parser.add_argument("--lang", choices=("en", "fr"), default="en", help="language of the texts, as assess-dir --lang (default: en)")
    parser.add_argument("-o", "--output", help="JSON Lines file to write (default: none, only the summary)")
    parser.add_argument("--compare", action="store_true", help="also assess in this process and check the records are identical")
    args = parser.parse_args()
    if not args.directory and not args.generate:
        parser.error("give a directory of case files, or --generate N")
    with tempfile.TemporaryDirectory() as scratch:
        directory = args.directory
        if args.generate:
            import portfolio

            directory = scratch
            portfolio.write_files(portfolio.generate_portfolio(args.generate, seed=20240601), directory)
        paths = case_files(directory)
        start = time.perf_counter()
        outcomes = on_cluster(paths, args.workers, args.scheduler, args.lang)
        elapsed = time.perf_counter() - start
        records = [outcome.record for outcome in outcomes]
        if args.output:
            with open(args.output, "w", encoding="utf-8", newline="") as out:
                out.writelines(record + "\n" for record in records)
        errors = sum(not outcome.ok for outcome in outcomes)
        print(f"{len(records):,} case files on dask ({args.scheduler or f'local cluster, {args.workers} processes'}): "
              f"{len(records) - errors:,} assessed, {errors:,} errors, {elapsed:.1f} s wall "
              f"(cluster start included), {len(records) / elapsed:,.1f} contracts per second")
        if args.compare:
            alone = [outcome.record for outcome in assess_many(paths, lang=args.lang)]
            if alone != records:
                print("the records differ from those of one process", file=sys.stderr)
                return 1
            print("identical, byte for byte, to the records of one process (what assess-dir writes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
