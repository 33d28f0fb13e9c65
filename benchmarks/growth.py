"""Growth with the size of one case: every item kind (events, documents, tools, data assets,
assets) grows together, and each verb's CPU time is fitted to ``a · n^k``; ``k`` near 1 is linear.

    python benchmarks/growth.py 10 100 1000 10000   # prints the table (Markdown)

``benchmarks/run.py`` calls it with n = 10, 100, 1,000 in ``--quick`` mode and n = 10, 100, 1,000,
10,000 in the full run (the 10,000 step alone takes a few minutes of CPU).
"""

from __future__ import annotations

import math
import sys
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
for path in (str(HERE.parent), str(HERE)):
    if path not in sys.path:
        sys.path.insert(0, path)

import machine  # noqa: E402
import portfolio  # noqa: E402

from reversibility_kb import assess  # noqa: E402


def _verbs() -> dict[str, Callable[[Any], Any]]:
    """Each verb as a function of an assessment (``assess`` itself is timed from the case)."""
    from reversibility_kb.inference.provenance import node_link
    from reversibility_kb.tools.questions import checklist
    from reversibility_kb.outputs.report import report_markdown
    from reversibility_kb.tools.whatif import remove_search

    return {
        "report (Markdown)": lambda a: report_markdown(a, "en"),
        "graph (node-link JSON)": lambda a: node_link(a.graph),
        "questions": checklist,
        "what-if --remove (most serious finding)": lambda a: remove_search(a, a.findings[0].id) if a.findings else None,
    }


def cpu(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.process_time()
    out = fn()
    return time.process_time() - start, out


def exponent(sizes: list[int], times: list[float]) -> float:
    """The least-squares slope of log(time) against log(size)."""
    xs = [math.log(n) for n in sizes]
    ys = [math.log(max(t, 1e-6)) for t in times]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def growth(sizes: list[int]) -> tuple[str, dict[str, float]]:
    """The Markdown table (CPU seconds per verb and size, fitted exponent) and the exponents."""
    verbs = _verbs()
    rows: dict[str, list[float]] = {"assess": [], **{name: [] for name in verbs}}
    notes: dict[int, str] = {}
    assess(portfolio.large_case(10))  # compile the rulebook before any timing
    for n in sizes:
        case = portfolio.large_case(n)
        elapsed, assessment = cpu(lambda: assess(case))
        rows["assess"].append(elapsed)
        cut = []
        for name, verb in verbs.items():
            assessment._graph = None  # every verb pays for the graph it needs
            elapsed, out = cpu(lambda: verb(assessment))
            rows[name].append(elapsed)
            if getattr(out, "cut", False):
                cut.append(name.split(" ")[0])
        notes[n] = (f"{len(assessment.run.facts):,} facts, {len(assessment.run.firings):,} firings, "
                    f"{len(assessment.findings)} findings" + (f"; cut: {', '.join(cut)}" if cut else ""))
    exponents = {name: exponent(sizes, times) for name, times in rows.items()}
    # the slope of the last step alone: fixed costs flatten the fit at small n
    last = {name: exponent(sizes[-2:], times[-2:]) if len(sizes) > 1 else float("nan") for name, times in rows.items()}
    table = machine.table(
        ["verb", *(f"n = {n:,} s" for n in sizes), "fitted exponent k", "k, last step"],
        [(name, *(f"{t:.3f}" for t in times), f"{exponents[name]:.2f}", f"{last[name]:.2f}") for name, times in rows.items()],
    )
    table += "\n\n" + "\n".join(f"- n = {n:,}: {note}" for n, note in notes.items())
    return table, exponents


if __name__ == "__main__":
    print(growth([int(a) for a in sys.argv[1:]] or [10, 100, 1_000])[0])
