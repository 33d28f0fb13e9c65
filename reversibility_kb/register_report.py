"""A register of information assessed as a portfolio: every arrangement judged with the ``dora``
pack, then findings by severity, by provider and by function, and the arrangements most at risk,
as one self-contained HTML page with charts, and as JSON Lines for other tools.

Arrangements are assessed in worker processes (durable_rules holds the GIL); any
``concurrent.futures.Executor`` (a ``dask.distributed`` client's) can be passed instead.
"""

from __future__ import annotations

import collections
import concurrent.futures
import datetime
import functools
import io
import json
import multiprocessing
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional

import attrs
import jinja2
from markupsafe import Markup

from . import __version__
from .assessment import assess
from .model import Severity
from .register import Arrangement, to_case
from .render import json_safe

if TYPE_CHECKING:  # matplotlib is imported when a chart is drawn
    from matplotlib.typing import RcKeyType

TEMPLATES = Path(__file__).resolve().parent / "templates"
#: Weights of a finding in an arrangement's risk score.
WEIGHTS = {"high": 9, "medium": 3, "low": 1, "info": 0}
COLOURS = {"high": "#c81e1e", "medium": "#d9480f", "low": "#a16207", "info": "#0f766e"}
_SVG: dict[RcKeyType, Any] = {"svg.hashsalt": "reversibility-kb-register", "svg.fonttype": "path", "svg.id": "register-chart", "path.simplify": False}

WORDS = {
    "title": ("Registre d'information : réversibilité des accords TIC", "Register of information: reversibility of ICT arrangements"),
    "date": ("Date du registre", "Register date"),
    "arrangements": ("Accords", "Arrangements"),
    "critical": ("Fonctions critiques ou importantes", "Critical or important functions"),
    "findings": ("Constats", "Findings"),
    "by_severity": ("Constats par gravité", "Findings by severity"),
    "by_provider": ("Constats par prestataire", "Findings by provider"),
    "by_function": ("Constats par fonction", "Findings by function"),
    "at_risk": ("Accords les plus exposés", "Arrangements most at risk"),
    "score": ("Score", "Score"),
    "provider": ("Prestataire", "Provider"),
    "function": ("Fonctions", "Functions"),
    "arrangement": ("Accord", "Arrangement"),
    "impact": ("Impact d'une interruption", "Impact of discontinuing"),
    "note": (
        "Score : 9 par constat de gravité élevée, 3 par constat moyen, 1 par constat faible. Les constats énoncent des faits techniques et des pratiques, pas des conclusions juridiques.",
        "Score: 9 per high finding, 3 per medium, 1 per low. Findings state technical facts and practice, not legal conclusions.",
    ),
    "high": ("élevée", "high"),
    "medium": ("moyenne", "medium"),
    "low": ("faible", "low"),
    "info": ("information", "info"),
}


#: The register's impact levels, which share their words with the severities.
IMPACT_WORDS = ("low", "medium", "high")


def word(key: str, lang: str) -> str:
    fr, en = WORDS[key]
    return fr if lang == "fr" else en


@attrs.frozen
class Row:
    """One arrangement's outcome, as plain data (what crosses process boundaries)."""

    reference: str
    case: str
    provider: str
    functions: tuple[str, ...]
    critical: str
    #: The register's impact of discontinuing the service (low, medium, high; empty if not assessed).
    impact: str
    findings: tuple[tuple[str, str], ...]  # (finding id, severity)

    @property
    def score(self) -> int:
        return sum(WEIGHTS[s] for _, s in self.findings)

    def to_dict(self) -> dict[str, Any]:
        return {
            "arrangement": self.reference,
            "case": self.case,
            "provider": self.provider,
            "functions": list(self.functions),
            "critical_or_important": self.critical,
            "impact_of_discontinuing": self.impact,
            "score": self.score,
            "findings": [{"id": i, "severity": s} for i, s in self.findings],
        }


def assess_arrangement(arrangement: Arrangement, as_of: datetime.date) -> Row:
    """Assess one arrangement with the packs its case declares (``dora``)."""
    case = to_case(arrangement, as_of)
    found = assess(case).findings
    return Row(
        arrangement.reference,
        case.id,
        arrangement.provider_name,
        arrangement.functions,
        arrangement.critical.value,
        arrangement.impact,
        tuple((f.id, f.severity.value) for f in found),
    )


def assess_register(
    arrangements: Iterable[Arrangement],
    as_of: datetime.date,
    workers: int = 1,
    executor: Optional[concurrent.futures.Executor] = None,
) -> Iterator[Row]:
    """Rows in register order; ``workers`` > 1 starts processes, ``executor`` uses the caller's."""
    items = list(arrangements)
    dates = [as_of] * len(items)
    chunk = max(1, len(items) // (max(workers, 1) * 16))
    if executor is not None:
        yield from executor.map(assess_arrangement, items, dates, chunksize=chunk)
        return
    if workers <= 1:
        yield from map(assess_arrangement, items, dates)
        return
    # forkserver, not fork: a fork taken while another thread holds the engine's lock would hang
    context = multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
    with concurrent.futures.ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield from pool.map(assess_arrangement, items, dates, chunksize=chunk)


def jsonl(rows: Iterable[Row]) -> str:
    """One JSON object per arrangement, keys sorted: the same bytes on every run."""
    return "".join(json_safe(json.dumps(r.to_dict(), ensure_ascii=False, sort_keys=True)) + "\n" for r in rows)


def _bars(groups: list[tuple[str, dict[str, int]]], lang: str, title: str) -> str:
    """A horizontal stacked bar chart (findings by severity per group) as inline SVG."""
    if not groups:
        return ""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG
    from matplotlib.figure import Figure

    with matplotlib.rc_context({**_SVG, "font.family": "DejaVu Sans"}):
        figure = Figure(figsize=(8.5, 0.9 + 0.32 * len(groups)))
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        labels = [name if len(name) <= 38 else name[:37] + "…" for name, _ in groups][::-1]
        left = [0] * len(groups)
        for severity in ("high", "medium", "low"):
            values = [counts.get(severity, 0) for _, counts in groups][::-1]
            axes.barh(labels, values, left=left, color=COLOURS[severity], label=word(severity, lang))
            left = [a + b for a, b in zip(left, values)]
        axes.set_title(title, loc="left", fontsize=11)
        axes.legend(loc="lower right", fontsize=8, frameon=False)
        axes.tick_params(labelsize=8)
        axes.spines[["top", "right"]].set_visible(False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue().decode("utf-8")
    return text[text.index("<svg"):]


def _grouped(rows: list[Row], keys: Any, limit: int) -> list[tuple[str, dict[str, int]]]:
    table: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for row in rows:
        for key in keys(row):
            table[key].update(s for _, s in row.findings)
    ranked = sorted(table.items(), key=lambda kv: (-sum(WEIGHTS[s] * n for s, n in kv[1].items()), kv[0]))
    return [(name, dict(counts)) for name, counts in ranked[:limit] if counts]


def portfolio_context(rows: list[Row], as_of: datetime.date, lang: str) -> dict[str, Any]:
    """What the page shows: totals, charts and the arrangements most at risk."""
    severities = collections.Counter(s for r in rows for _, s in r.findings)
    at_risk = sorted((r for r in rows if r.score), key=lambda r: (-r.score, r.reference))[:25]
    by_severity = [(word(s.value, lang), {s.value: severities.get(s.value, 0)}) for s in Severity if s is not Severity.info]
    return {
        "lang": lang,
        "version": __version__,
        "w": {k: word(k, lang) for k in WORDS},
        "date": as_of.isoformat(),
        "arrangements": len(rows),
        "critical": sum(1 for r in rows if r.critical == "yes"),
        "counts": [{"severity": s.value, "label": word(s.value, lang), "count": severities.get(s.value, 0)} for s in Severity],
        # trusted: drawn here by matplotlib, texts as glyph paths
        "charts": [
            Markup(_bars(by_severity, lang, word("by_severity", lang))),
            Markup(_bars(_grouped(rows, lambda r: [r.provider], 15), lang, word("by_provider", lang))),
            Markup(_bars(_grouped(rows, lambda r: r.functions, 15), lang, word("by_function", lang))),
        ],
        "at_risk": [
            {
                "reference": r.reference,
                "provider": r.provider,
                "functions": ", ".join(r.functions),
                "score": r.score,
                "impact": word(r.impact, lang) if r.impact in IMPACT_WORDS else "",
                "findings": ", ".join(i for i, _ in r.findings),
            }
            for r in at_risk
        ],
    }


@functools.cache
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


def portfolio_html(rows: list[Row], as_of: datetime.date, lang: str) -> str:
    return _environment().get_template("register_portfolio.html").render(portfolio_context(rows, as_of, lang))
