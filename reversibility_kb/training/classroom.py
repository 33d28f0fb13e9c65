"""A class report: every answer file of a directory graded against one case, then what the class
missed most, what it claimed wrongly most, and which explanations to go over together.

The chart is an inline SVG bar chart drawn with matplotlib's object-oriented ``Figure`` API (no
pyplot: no global figure state, safe in threads), with a fixed hash salt and no date, so the
same class gives the same bytes."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING, Any, Sequence

import attrs

from .. import __version__
from ..tools.explaining import why, why_text
from ..tools.questions import questions
from .grading import Answers, Expected, Grade, Key, grade
from .texts import t, words
from .render import environment, percent, severity_word

if TYPE_CHECKING:  # matplotlib is imported when the chart is drawn
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

#: A finding missed by at least this share of the class is worth going over together.
REVIEW_SHARE = 0.5


@attrs.frozen
class ClassReport:
    """The grades of a class on one case, and what they have in common."""

    key: Key
    grades: tuple[Grade, ...]

    @property
    def mean(self) -> float:
        """The average mark of the class."""
        return round(sum(g.score for g in self.grades) / len(self.grades), 4) if self.grades else 0.0

    def missed_by(self, expected: Expected) -> tuple[str, ...]:
        """Who missed one expected finding (answer names: the student, else the file)."""
        return tuple(_name(g.answers) for g in self.grades if any(m.expected.id == expected.id for m in g.missed))

    def missed_most(self) -> list[tuple[Expected, tuple[str, ...]]]:
        """Every expected finding with who missed it, the most missed (then most serious) first."""
        rows = [(e, self.missed_by(e)) for e in self.key.expected]
        return sorted(rows, key=lambda row: (-len(row[1]), row[0].severity.rank, row[0].id))

    def wrong_most(self) -> list[tuple[str, int]]:
        """Wrong claims with how many answers made them, most frequent first."""
        counts: dict[str, int] = {}
        for g in self.grades:
            for w in g.wrong:
                counts[w.id] = counts.get(w.id, 0) + 1
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))

    def to_review(self) -> list[Expected]:
        """The findings at least half of the class missed."""
        size = len(self.grades)
        return [e for e, who in self.missed_most() if size and len(who) / size >= REVIEW_SHARE]


def _name(answers: Answers) -> str:
    return answers.student or answers.source


def grade_class(key: Key, sheets: Sequence[Answers]) -> ClassReport:
    """Grade every answer of a class (the investigation checklist is worked out once)."""
    checklist = questions(key.assessment) if any(a.documents is not None for a in sheets) else []
    return ClassReport(key, tuple(grade(key, answers, checklist) for answers in sheets))


# --------------------------------------------------------------------------------------------
# Chart


SVG_SETTINGS: dict[RcKeyType, Any] = {"svg.hashsalt": "reversibility-kb-class", "svg.fonttype": "path", "svg.id": "class-chart", "path.simplify": False}


def missed_chart(report: ClassReport, lang: str) -> Figure:
    """A horizontal bar chart (a matplotlib ``Figure``): the share of the class that missed each
    expected finding, most missed on top, coloured by severity; the dashed line marks
    :data:`REVIEW_SHARE`."""
    from matplotlib.figure import Figure

    from ..outputs.graphs import COLOURS, _fonts

    rows = report.missed_most()[::-1]
    size = max(len(report.grades), 1)
    fonts = _fonts()
    figure = Figure(figsize=(8.5, 1.2 + 0.3 * max(len(rows), 1)), dpi=72, layout="constrained")
    axes = figure.add_subplot()
    positions = range(len(rows))
    axes.barh(positions, [len(who) / size for _, who in rows], color=[COLOURS[e.severity.value][1] for e, _ in rows], height=0.6)
    axes.set_yticks(positions, [e.id for e, _ in rows], fontproperties=fonts["legend"])
    axes.set_xlim(0, 1)
    axes.set_xticks([0, 0.25, 0.5, 0.75, 1], ["0 %", "25 %", "50 %", "75 %", "100 %"], fontproperties=fonts["legend"])
    axes.axvline(REVIEW_SHARE, color="#6b7280", linewidth=0.8, linestyle="--")
    axes.set_title(t("class_share_missed", lang), fontproperties=fonts["title"], loc="left")
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    return figure


def missed_chart_svg(report: ClassReport, lang: str) -> str:
    """The chart as a deterministic, self-contained SVG document."""
    import matplotlib
    from matplotlib.backends.backend_svg import FigureCanvasSVG

    from ..outputs.graphs import _DRAWING, _clean_svg

    with _DRAWING, matplotlib.rc_context(SVG_SETTINGS):  # matplotlib's settings are process-wide
        figure = missed_chart(report, lang)
        FigureCanvasSVG(figure)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None}, facecolor="#ffffff")
    return _clean_svg(buffer.getvalue().decode("utf-8"), t("class_share_missed", lang))


# --------------------------------------------------------------------------------------------
# Renderings


def class_to_dict(report: ClassReport, lang: str) -> dict[str, Any]:
    """The class report as plain data (the ``--format json`` output)."""
    size = len(report.grades)
    return {
        "case": report.key.assessment.case.id,
        "answers": size,
        "mean_score": report.mean,
        "students": [{"name": _name(g.answers), "file": g.answers.source, "score": g.score} for g in report.grades],
        "themes": _theme_means(report, lang),
        "missed_most": [
            {"id": e.id, "severity": e.severity.value, "theme": e.theme, "title": e.title.in_(lang), "missed_by": list(who), "share": round(len(who) / size, 4) if size else 0.0}
            for e, who in report.missed_most()
        ],
        "wrong_most": [{"id": claim, "count": count} for claim, count in report.wrong_most()],
        "review": [e.id for e in report.to_review()],
    }


def _theme_means(report: ClassReport, lang: str) -> list[dict[str, Any]]:
    scores: dict[str, list[float]] = {}
    for g in report.grades:
        for theme in g.themes:
            scores.setdefault(theme.theme, []).append(theme.score)
    return [
        {"theme": code, "title": report.key.theme_title(code).in_(lang), "mean_score": round(sum(v) / len(v), 4)}
        for code, v in sorted(scores.items(), key=lambda item: int(item[0][1:]))
    ]


def class_text(report: ClassReport, lang: str) -> str:
    """The class report for the terminal."""
    data = class_to_dict(report, lang)
    colon = t("colon", lang)
    out = [
        f"{t('class_kind', lang)}{colon} {data['case']}",
        f"{t('class_size', lang)}{colon} {data['answers']}",
        f"{t('class_mean', lang)}{colon} {percent(data['mean_score'])}",
        "",
        f"{t('class_marks', lang)}{colon}",
    ]
    out += [f"  {percent(s['score']):>6}  {s['name']}" for s in data["students"]]
    out += ["", f"{t('class_missed_most', lang)}{colon}"]
    out += [f"  {percent(row['share']):>6}  {row['id']} ({severity_word(row['severity'], lang)}, {row['theme']})" for row in data["missed_most"]]
    out += ["", f"{t('class_wrong_most', lang)}{colon}"]
    out += [f"  {row['count']:>3} {t('class_times', lang)}  {row['id']}" for row in data["wrong_most"]] or [f"  {t('none', lang)}"]
    out += ["", f"{t('class_review', lang)}{colon}"]
    out += [f"  {finding_id}" for finding_id in data["review"]] or [f"  {t('class_nothing_to_review', lang)}"]
    return "\n".join(out) + "\n"


def _context(report: ClassReport, lang: str) -> dict[str, Any]:
    data = class_to_dict(report, lang)
    for row in data["missed_most"]:
        row["severity_word"] = severity_word(row["severity"], lang)
        row["share_text"] = percent(row["share"])
    reviews = []
    for expected in report.to_review():
        text = why_text(why(report.key.assessment, expected.id, "summary"), lang) if expected.reached else ""
        reviews.append({"id": expected.id, "title": expected.title.in_(lang), "why_text": text})
    return {
        "lang": lang,
        "w": words(lang),
        "title": report.key.assessment.case.title.in_(lang),
        "data": data,
        "mean": percent(report.mean),
        "reviews": reviews,
        "version": __version__,
    }


def class_markdown(report: ClassReport, lang: str) -> str:
    """The class report in Markdown; the chart is an SVG image embedded as a data URI."""
    context = _context(report, lang)
    svg = missed_chart_svg(report, lang)
    context["chart_uri"] = "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")
    return environment().get_template("training_class.md").render(context).rstrip() + "\n"


def class_html(report: ClassReport, lang: str) -> str:
    """The class report as one self-contained HTML page, the chart drawn inline."""
    from markupsafe import Markup

    from ..outputs.graphs import svg_inline

    context = _context(report, lang)
    # Trusted: drawn by missed_chart_svg, whose texts are glyph paths and whose only text (<title>) is escaped.
    context["svg"] = Markup(svg_inline(missed_chart_svg(report, lang)))
    return environment().get_template("training_class.html").render(context).rstrip() + "\n"
