"""The timeline picture of the court report: the case's dated facts and the expertise's steps.

Drawn with matplotlib's object-oriented API (a :class:`~matplotlib.figure.Figure` and its own
canvas, never ``pyplot``: no global state, safe in threads). The same figure gives an SVG for the
HTML and Markdown reports and a PNG for the DOCX one; both are deterministic: the bundled DejaVu
font, texts drawn as paths, a fixed ``svg.hashsalt``, no date in the metadata, and tick labels
written here rather than by the locale's ``strftime``; drawn under the graphs' drawing lock, since
matplotlib's settings are process-wide.
"""

from __future__ import annotations

import datetime
import io
from typing import TYPE_CHECKING, Any, Sequence

import attrs

from .graphs import _DRAWING, _clean_svg, _fonts

if TYPE_CHECKING:  # matplotlib is imported when a picture is drawn
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

#: One colour per line of the picture, in order; the last line is the expertise's.
_COLOURS = ("#1d4ed8", "#b45309", "#4b5563", "#047857", "#7c3aed", "#be123c")
_SETTINGS: dict[RcKeyType, Any] = {"svg.hashsalt": "reversibility-kb-timeline", "svg.fonttype": "path", "svg.id": "court-timeline", "path.simplify": False}


@attrs.frozen
class Mark:
    """One point of the timeline: a date, a line (lane) and a short label (a row number)."""

    date: datetime.date
    lane: int
    label: str


def _ticks(first: datetime.date, last: datetime.date) -> list[datetime.date]:
    """The first day of every quarter (or of every year, over long spans) between two dates."""
    step = 3 if (last.year - first.year) < 4 else 12
    month = ((first.month - 1) // step) * step + 1
    tick = datetime.date(first.year, month, 1)
    out = []
    while tick <= last:
        if tick >= first:
            out.append(tick)
        month = tick.month - 1 + step
        tick = datetime.date(tick.year + month // 12, month % 12 + 1, 1)
    return out


def _figure(marks: Sequence[Mark], lanes: Sequence[str], title: str) -> Figure:
    from matplotlib.figure import Figure

    fonts = _fonts()
    first = min(m.date for m in marks)
    last = max(m.date for m in marks)
    span = max((last - first).days, 30)
    pad = span * 0.04
    height = 1.0 + 0.7 * len(lanes)
    figure = Figure(figsize=(11, height), dpi=96)
    axes = figure.add_axes((0.2, 0.45 / height, 0.77, 1 - 0.85 / height))
    axes.set_xlim(first.toordinal() - pad, last.toordinal() + pad)
    axes.set_ylim(-0.8, len(lanes) - 0.2)
    axes.set_yticks(range(len(lanes)))
    axes.set_yticklabels(lanes, fontproperties=fonts["legend"])
    axes.invert_yaxis()
    ticks = _ticks(first, last)
    axes.set_xticks([t.toordinal() for t in ticks])
    axes.set_xticklabels([f"{t.month:02d}/{t.year}" for t in ticks], fontproperties=fonts["legend"])
    axes.grid(axis="x", color="#e5e7eb", linewidth=0.8)
    for side in ("top", "right", "left"):
        axes.spines[side].set_visible(False)
    axes.tick_params(axis="y", length=0)
    for lane in range(len(lanes)):
        axes.axhline(lane, color="#d1d5db", linewidth=0.8, zorder=1)
    stagger: dict[int, int] = {}
    for mark in marks:
        colour = _COLOURS[min(mark.lane, len(_COLOURS) - 1)] if mark.lane < len(lanes) - 1 else "#111827"
        axes.plot([mark.date.toordinal()], [mark.lane], marker="o", markersize=6, color=colour, zorder=3)
        level = stagger.get(mark.lane, 0)
        stagger[mark.lane] = (level + 1) % 3
        axes.annotate(
            mark.label, (mark.date.toordinal(), mark.lane), xytext=(0, -6 - 8 * level), textcoords="offset points",
            ha="center", va="top", fontproperties=fonts["legend"], color=colour, annotation_clip=False,
        )
    axes.set_title(title, fontproperties=fonts["title"], loc="left")
    return figure


def timeline_svg(marks: Sequence[Mark], lanes: Sequence[str], title: str) -> str:
    """The timeline as a self-contained SVG document (empty text when there is nothing to draw)."""
    if not marks:
        return ""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    with _DRAWING, matplotlib.rc_context(_SETTINGS):  # process-wide settings: one drawing at a time
        figure = _figure(marks, lanes, title)
        FigureCanvasSVG(figure)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None}, facecolor="#ffffff")
    return _clean_svg(buffer.getvalue().decode("utf-8"), title)


def timeline_png(marks: Sequence[Mark], lanes: Sequence[str], title: str) -> bytes:
    """The same picture as PNG bytes, for documents that cannot hold SVG (DOCX)."""
    if not marks:
        return b""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    with _DRAWING, matplotlib.rc_context(_SETTINGS):  # process-wide settings: one drawing at a time
        figure = _figure(marks, lanes, title)
        FigureCanvasAgg(figure)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None}, facecolor="#ffffff", dpi=150)
    return buffer.getvalue()
