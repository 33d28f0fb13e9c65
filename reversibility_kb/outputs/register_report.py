"""A register of information assessed as a portfolio: every arrangement judged with the ``dora``
pack, then findings by severity, by provider and by function, and the arrangements most at risk,
as one self-contained HTML page with charts, and as JSON Lines for other tools.

Arrangements are assessed in the worker processes of :mod:`.workers` (durable_rules holds the
GIL): one whose worker dies (killed, out of memory, a crash in the engine) is reported as not
assessed, with the reason, and the others go on. Any ``concurrent.futures.Executor`` (a
``dask.distributed`` client's) can be passed instead.
"""

from __future__ import annotations

import collections
import concurrent.futures
import datetime
import functools
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Iterator, Optional

import attrs
import jinja2
from markupsafe import Markup

from .. import __version__
from ..inference.assessment import assess
from ..inference.engine import EngineError
from ..case.loading import one_line
from ..case.model import Severity
from ..case.register import Arrangement, case_id, to_case
from .render import json_safe
from ..tools.workers import in_processes

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
    "not_assessed": ("Accords non évalués", "Arrangements not assessed"),
    "not_assessed_note": (
        "Ces accords n'ont pas été évalués : leur score est inconnu, il ne vaut pas zéro, et leurs constats manquent aux totaux ci-dessus. Ils restent à évaluer.",
        "These arrangements were not assessed: their score is unknown, not zero, and their findings are missing from the totals above. They remain to be assessed.",
    ),
    "not_assessed_score": ("non évalué", "not assessed"),
    "reason": ("Motif", "Reason"),
    # why an arrangement was not assessed: ``detail`` is the signal's name, the exit status or the error
    "died": ("le processus qui évaluait cet accord s'est arrêté ({detail})", "the worker process assessing this arrangement died ({detail})"),
    "failed": ("son évaluation a échoué ({detail})", "its assessment failed ({detail})"),
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
    #: Why the arrangement was not assessed, as a key of WORDS ("died", "failed") and its detail
    #: (the signal's name, the error); None when it was. Its score is then unknown, not 0.
    failure: Optional[tuple[str, str]] = None

    @property
    def score(self) -> Optional[int]:
        """The risk score; None when the arrangement was not assessed."""
        return None if self.failure else sum(WEIGHTS[s] for _, s in self.findings)

    @property
    def error(self) -> Optional[str]:
        """Why the arrangement was not assessed, in English (as assess-dir words a file's error)."""
        return self.reason("en")

    def reason(self, lang: str) -> Optional[str]:
        """Why the arrangement was not assessed, in ``lang``; None when it was."""
        if self.failure is None:
            return None
        kind, detail = self.failure
        return word(kind, lang).format(detail=detail)

    def to_dict(self) -> dict[str, Any]:
        """Its JSON Lines record: with an error, and neither score nor findings, when it was not assessed."""
        data: dict[str, Any] = {
            "arrangement": self.reference,
            "case": self.case,
            "provider": self.provider,
            "functions": list(self.functions),
            "critical_or_important": self.critical,
            "impact_of_discontinuing": self.impact,
        }
        if self.failure:
            return {**data, "error": self.error}
        return {**data, "score": self.score, "findings": [{"id": i, "severity": s} for i, s in self.findings]}


def _row(arrangement: Arrangement, findings: tuple[tuple[str, str], ...] = (), failure: Optional[tuple[str, str]] = None) -> Row:
    """An arrangement's row, made alike whether it was assessed, failed or lost with its worker."""
    return Row(
        arrangement.reference,
        case_id(arrangement.reference),
        arrangement.provider_name,
        arrangement.functions,
        arrangement.critical.value,
        arrangement.impact,
        findings,
        failure,
    )


def assess_arrangement(arrangement: Arrangement, as_of: datetime.date) -> Row:
    """Assess one arrangement with the packs its case declares (``dora``). Any failure (an engine
    error, even a bug) gives a row that says so: one arrangement never stops a register."""
    try:
        found = assess(to_case(arrangement, as_of)).findings
    except EngineError as exc:
        return _row(arrangement, failure=("failed", one_line(str(exc))))
    except Exception as exc:  # noqa: BLE001 -- reported as this arrangement's failure, with its type
        return _row(arrangement, failure=("failed", one_line(f"{type(exc).__name__}: {exc}")))
    return _row(arrangement, tuple((f.id, f.severity.value) for f in found))


def _died(arrangement: Arrangement, cause: str) -> Row:
    """An arrangement whose worker process died (``cause``: the signal's name, or the exit status)."""
    return _row(arrangement, failure=("died", cause))


def assess_register(
    arrangements: Iterable[Arrangement],
    as_of: datetime.date,
    workers: int = 1,
    executor: Optional[concurrent.futures.Executor] = None,
) -> Iterator[Row]:
    """Rows in register order; ``workers`` > 1 starts processes, ``executor`` uses the caller's."""
    items = list(arrangements)
    dates = [as_of] * len(items)
    if executor is not None:
        yield from executor.map(assess_arrangement, items, dates, chunksize=max(1, len(items) // (max(workers, 1) * 16)))
        return
    if workers <= 1:
        yield from map(assess_arrangement, items, dates)
        return
    yield from in_processes(functools.partial(assess_arrangement, as_of=as_of), items, workers, _died)


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
    at_risk = sorted(((score, r) for r in rows if (score := r.score)), key=lambda sr: (-sr[0], sr[1].reference))[:25]
    by_severity = [(word(s.value, lang), {s.value: severities.get(s.value, 0)}) for s in Severity if s is not Severity.info]
    return {
        "lang": lang,
        "version": __version__,
        "w": {k: word(k, lang) for k in WORDS},
        "date": as_of.isoformat(),
        "arrangements": len(rows),
        "critical": sum(1 for r in rows if r.critical == "yes"),
        "not_assessed": [
            {
                "reference": r.reference,
                "provider": r.provider,
                "functions": ", ".join(r.functions),
                "impact": word(r.impact, lang) if r.impact in IMPACT_WORDS else "",
                "reason": r.reason(lang),
            }
            for r in rows
            if r.failure
        ],
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
                "score": score,
                "impact": word(r.impact, lang) if r.impact in IMPACT_WORDS else "",
                "findings": ", ".join(i for i, _ in r.findings),
            }
            for score, r in at_risk
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
