"""The reasoning graph of an assessment (or of one explanation) in exchange and picture formats.

Every export is deterministic: the same graph gives the same bytes, whatever the order in which
its nodes and edges were added (they are written in a canonical order: facts, then rule firings,
then conclusions, each in natural order of their ids).

* :func:`to_graphml` and :func:`to_node_link_json` keep every attribute and read back into
  networkx (``nx.parse_graphml``, ``nx.node_link_graph(data, edges="edges")``);
* :func:`to_dot` gives Graphviz DOT text (built with pydot; no Graphviz program is needed);
* :func:`to_mermaid` gives a Mermaid ``flowchart LR`` to paste into Markdown;
* :func:`to_svg` draws the graph with matplotlib: facts on the left, conclusions on the right,
  findings outlined in the colour of their severity. The SVG is self-contained (glyphs are drawn
  as paths, no font or link is referenced).

Findings are conclusions that a rule with a severity concluded. The picture formats take them as
``findings`` (a mapping of conclusion id to severity, see :func:`finding_severities`); without
it they are worked out from the bundled rulebook and the rule of each firing.
"""

from __future__ import annotations

import io
import json
import re
import threading
from typing import TYPE_CHECKING, Any, Hashable, Mapping, Optional, TypeAlias
from xml.sax.saxutils import escape as _xml_escape

import networkx as nx

from .report_i18n import word

__all__ = [
    "canonical",
    "in_words",
    "finding_severities",
    "to_dot",
    "to_graphml",
    "to_mermaid",
    "to_node_link_json",
    "svg_inline",
    "to_svg",
]

#: A reasoning graph: nodes are fact, firing and conclusion ids.
if TYPE_CHECKING:
    Graph: TypeAlias = nx.DiGraph[Hashable]
else:
    Graph = nx.DiGraph

#: The order in which kinds of node are written and drawn.
KINDS = ("fact", "firing", "conclusion")
SEVERITIES = ("high", "medium", "low", "info")

#: Fill and outline colours, shared by the DOT, Mermaid and SVG outputs.
COLOURS: dict[str, tuple[str, str]] = {
    "fact": ("#e8f0fe", "#3b6fd8"),
    "unused": ("#ffffff", "#b8c1cf"),
    "firing": ("#f3f4f6", "#6b7280"),
    "conclusion": ("#f3e8ff", "#7e22ce"),
    "high": ("#fde2e2", "#c81e1e"),
    "medium": ("#ffedd5", "#d9480f"),
    "low": ("#fef3c7", "#a16207"),
    "info": ("#ddf4f1", "#0f766e"),
}


# --------------------------------------------------------------------------------------------
# Canonical order and findings


#: Graph attributes that let a court reproduce the picture: written into every export.
PROVENANCE = ("case", "as_of", "library_version", "rulebook_digest", "case_digest")


def _provenance(graph: Graph) -> list[tuple[str, str]]:
    return [(key, str(graph.graph[key])) for key in PROVENANCE if key in graph.graph]


def _natural(text: str) -> tuple[tuple[int, Any], ...]:
    """A sort key that puts ``firing:2`` before ``firing:10``."""
    return tuple((0, int(part)) if part.isdigit() else (1, part) for part in re.split(r"(\d+)", text) if part)


def _node_key(graph: Graph, node: Hashable) -> tuple[Any, ...]:
    kind = graph.nodes[node].get("kind")
    return (KINDS.index(kind) if kind in KINDS else len(KINDS), _natural(str(node)))


def canonical(graph: Graph) -> Graph:
    """A copy of the graph with nodes, edges and attributes in a canonical order."""
    order = sorted(graph.nodes, key=lambda n: _node_key(graph, n))
    index = {node: i for i, node in enumerate(order)}
    out: Graph = nx.DiGraph()
    out.graph.update(sorted(graph.graph.items()))
    for node in order:
        out.add_node(node, **dict(sorted(graph.nodes[node].items())))
    for u, v in sorted(graph.edges, key=lambda e: (index[e[0]], index[e[1]])):
        out.add_edge(u, v, **dict(sorted(graph.edges[u, v].items())))
    return out


def finding_severities(assessment: Any) -> dict[str, str]:
    """The findings of an assessment, as the ``findings`` argument of the picture formats."""
    return {finding.id: finding.severity.value for finding in assessment.findings}


def in_words(graph: Graph, assessment: Any, lang: str) -> Graph:
    """A copy of the graph whose labels are the reader's words in one language: a rule firing by
    the points of doctrine it applies, a conclusion by its finding's title (or the title of the rule that drew
    it), a fact by its kind and id; the identifier stays in the ``ident`` attribute."""
    from ..case.vocabulary import fact_type  # late: the vocabulary file is read only when needed

    titles = {finding.id: finding.title.in_(lang) for finding in assessment.findings}
    out: Graph = nx.DiGraph()
    out.graph.update(graph.graph)
    for node, data in graph.nodes(data=True):
        ident = str(data.get("label", node))
        kind = data.get("kind")
        label = ident
        if kind == "firing":
            label = f"{'règle' if lang == 'fr' else 'rule'} {', '.join(assessment.rulebook.rule(str(data['rule'])).sources)}"
        elif kind == "conclusion":
            rules = [graph.nodes[p].get("rule") for p in graph.predecessors(node) if graph.nodes[p].get("kind") == "firing"]
            label = titles.get(ident) or (assessment.rulebook.rule(str(rules[0])).title.in_(lang) if rules else ident)
        elif kind == "fact":
            label = f"{fact_type(str(data.get('type', '')), lang)} {ident}"
        elif kind == "exhibit":
            label = f"{'pièce' if lang == 'fr' else 'exhibit'} {ident}"
        out.add_node(node, **{**data, "label": label, "ident": ident})
    out.add_edges_from(graph.edges(data=True))
    return out


def _conclusion_id(node: Hashable) -> str:
    text = str(node)
    return text[len("conclusion:"):] if text.startswith("conclusion:") else text


def _severities(graph: Graph, findings: Optional[Mapping[str, str]]) -> dict[Hashable, str]:
    """Node → severity value, for the conclusion nodes that are findings."""
    conclusions = [n for n, data in graph.nodes(data=True) if data.get("kind") == "conclusion"]
    if findings is not None:
        return {n: str(findings[_conclusion_id(n)]) for n in conclusions if _conclusion_id(n) in findings}
    from ..inference.assessment import (
        default_rulebook,  # late: the bundled rulebook is read only when needed
    )

    rulebook = default_rulebook()
    out: dict[Hashable, str] = {}
    for node in conclusions:
        ranks = []
        for pred in graph.predecessors(node):
            data = graph.nodes[pred]
            if data.get("kind") != "firing":
                continue
            try:
                rule = rulebook.rule(str(data.get("rule", "")))
            except KeyError:
                continue
            if rule.severity is not None:
                ranks.append(rule.severity)
        if ranks:
            out[node] = min(ranks, key=lambda s: s.rank).value
    return out


def _style(graph: Graph, node: Hashable, severities: Mapping[Hashable, str]) -> str:
    """The drawing style of a node: a kind, ``unused`` or a severity."""
    if node in severities and severities[node] in COLOURS:
        return severities[node]
    kind = graph.nodes[node].get("kind")
    if kind == "fact" and graph.degree(node) == 0:
        return "unused"
    return kind if kind in COLOURS else "fact"


def _label(graph: Graph, node: Hashable) -> str:
    return str(graph.nodes[node].get("label", node))


# --------------------------------------------------------------------------------------------
# Exchange formats


def to_graphml(graph: Graph) -> str:
    """The graph as GraphML (every attribute kept, as strings)."""
    return "\n".join(nx.generate_graphml(canonical(graph), encoding="utf-8", prettyprint=True)) + "\n"


def to_node_link_json(graph: Graph) -> str:
    """The graph as networkx node-link JSON, edges under ``"edges"``."""
    data = nx.node_link_data(canonical(graph), edges="edges")
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def _dot_quote(value: Any) -> str:
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


_DOT_SHAPES = {"fact": "box", "firing": "ellipse", "conclusion": "box"}


def to_dot(graph: Graph, findings: Optional[Mapping[str, str]] = None) -> str:
    """The graph as Graphviz DOT, left to right, coloured like the picture; every attribute kept."""
    canon = canonical(graph)
    severities = _severities(canon, findings)
    quoted: Graph = nx.DiGraph()
    quoted.graph["graph"] = {"rankdir": _dot_quote("LR"), **{k: _dot_quote(v) for k, v in _provenance(canon)}}
    quoted.graph["node"] = {"fontname": _dot_quote("Helvetica"), "fontsize": _dot_quote("10")}
    quoted.graph["edge"] = {"color": _dot_quote("#64748b")}
    for node, data in canon.nodes(data=True):
        style = _style(canon, node, severities)
        fill, line = COLOURS[style]
        kind = str(data.get("kind"))
        display = {
            "shape": _DOT_SHAPES.get(kind, "box"),
            "style": "filled,rounded" if kind == "conclusion" else ("filled,dashed" if style == "unused" else "filled"),
            "fillcolor": fill,
            "color": line,
            "penwidth": "2.5" if style in SEVERITIES else "1",
        }
        if node in severities:
            display["severity"] = severities[node]
        attributes = {**{k: v for k, v in data.items()}, **display}
        if "label" not in attributes:
            attributes["label"] = str(node)
        quoted.add_node(_dot_quote(node), **{k: _dot_quote(v) for k, v in sorted(attributes.items())})
    for u, v, data in canon.edges(data=True):
        quoted.add_edge(_dot_quote(u), _dot_quote(v), **{k: _dot_quote(val) for k, val in data.items()})
    return nx.nx_pydot.to_pydot(quoted).to_string()


_MERMAID_RESERVED = {"end", "graph", "subgraph", "flowchart", "style", "class", "classdef", "click", "linkstyle", "direction", "default"}
_MERMAID_ENTITIES = {'"': "#34;", "#": "#35;", "&": "#38;", "<": "#60;", ">": "#62;", "`": "#96;"}


def _mermaid_id(node: Hashable) -> str:
    ident = re.sub(r"[^A-Za-z0-9_]", "_", str(node))
    if not ident or not ident[0].isalpha() or ident.lower() in _MERMAID_RESERVED:
        ident = "n_" + ident
    return ident


def _mermaid_text(text: str) -> str:
    text = " ".join(text.split())
    return "".join(_MERMAID_ENTITIES.get(ch, ch) for ch in text)


def to_mermaid(graph: Graph, findings: Optional[Mapping[str, str]] = None) -> str:
    """The graph as a Mermaid ``flowchart LR`` (ids sanitised, labels quoted and escaped)."""
    canon = canonical(graph)
    severities = _severities(canon, findings)
    ids: dict[Hashable, str] = {}
    taken: set[str] = set()
    for node in canon.nodes:
        base = candidate = _mermaid_id(node)
        suffix = 2
        while candidate in taken:
            candidate = f"{base}_{suffix}"
            suffix += 1
        ids[node] = candidate
        taken.add(candidate)
    lines = [f"%% {key}: {' '.join(value.split())}" for key, value in _provenance(canon)] + ["flowchart LR"]
    classes: dict[str, list[str]] = {}
    for node, data in canon.nodes(data=True):
        text = f'"{_mermaid_text(_label(canon, node))}"'
        kind = str(data.get("kind"))
        shape = {"firing": "{{%s}}", "conclusion": "([%s])"}.get(kind, "[%s]") % text
        lines.append(f"    {ids[node]}{shape}")
        classes.setdefault(_style(canon, node, severities), []).append(ids[node])
    for u, v in canon.edges:
        lines.append(f"    {ids[u]} --> {ids[v]}")
    for style in (*("fact", "unused", "firing", "conclusion"), *SEVERITIES):
        if style not in classes:
            continue
        fill, line = COLOURS[style]
        extra = ",stroke-width:3px" if style in SEVERITIES else (",stroke-dasharray:4 3" if style == "unused" else "")
        lines.append(f"    classDef {style} fill:{fill},stroke:{line},color:#111827{extra}")
        lines.append(f"    class {','.join(classes[style])} {style}")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------------------------
# Picture

#: Sizes, in points (the picture is laid out in points: 1 data unit = 1 pt).
FONT_SIZE = 9.5
FIRING_FONT_SIZE = 9.0
WRAP = 12
PAD_X, PAD_Y = 6.0, 3.5
COLUMN_GAP = 16.0
ROW_GAP = 7.0
MARGIN = 10.0
MIN_WIDTH = 420.0


def _greedy(parts: list[str], width: int) -> list[str]:
    lines: list[str] = []
    current = ""
    for part in parts:
        if current and len(current.rstrip()) + len(part.rstrip()) > width:
            lines.append(current.rstrip())
            current = part
        else:
            current += part
    if current.strip():
        lines.append(current.rstrip())
    return lines


def _wrap(label: str, width: int = WRAP) -> str:
    """Break an id on its separators (``-``, ``_``, ``@``, ``:``…) into balanced lines of at most about ``width`` characters."""
    parts = [p for p in re.findall(r"[^-_@:./ ]*[-_@:./ ]?", label) if p]
    best = _greedy(parts, width)
    for narrower in range(width - 1, 5, -1):  # same number of lines, shorter longest line
        lines = _greedy(parts, narrower)
        if len(lines) > len(best):
            break
        if max(map(len, lines), default=0) < max(map(len, best), default=0):
            best = lines
    out: list[str] = []
    for line in best:  # hard-split what has no separator
        while len(line) > width + 4:
            out.append(line[:width])
            line = line[width:]
        out.append(line)
    return "\n".join(out) or label


def _layers(graph: Graph) -> tuple[list[list[Hashable]], list[Hashable]]:
    """Columns of connected nodes (longest-path layering, crossings reduced) and the unused nodes."""
    order = {node: i for i, node in enumerate(graph.nodes)}
    connected = [n for n in graph.nodes if graph.degree(n) > 0]
    isolated = [n for n in graph.nodes if graph.degree(n) == 0]
    sub = graph.subgraph(connected)
    try:
        layers = [sorted(gen, key=order.__getitem__) for gen in nx.topological_generations(sub)]
    except nx.NetworkXUnfeasible:  # not a DAG: one column per kind
        layers = [[n for n in connected if _node_key(graph, n)[0] == k] for k in range(len(KINDS) + 1)]
        layers = [layer for layer in layers if layer]
    # Barycentre sweeps: order each column by the mean position of its neighbours.
    position: dict[Hashable, float] = {}

    def settle(layer: list[Hashable]) -> None:
        for i, node in enumerate(layer):
            position[node] = (i + 0.5) / len(layer)

    for layer in layers:
        settle(layer)
    for sweep in range(8):
        downward = sweep % 2 == 0
        indices = range(1, len(layers)) if downward else range(len(layers) - 2, -1, -1)
        for i in indices:
            layer = layers[i]
            keys = {}
            for rank, node in enumerate(layer):
                neighbours = list(sub.predecessors(node) if downward else sub.successors(node))
                keys[node] = (sum(position[n] for n in neighbours) / len(neighbours) if neighbours else position[node], rank)
            layer.sort(key=keys.__getitem__)
            settle(layer)
    return layers, isolated


def _place(desired: list[float], heights: list[float], gap: float) -> list[float]:
    """Centres as close as possible to ``desired`` (least squares), in order, without overlap."""
    offsets = [0.0]
    for i in range(1, len(heights)):
        offsets.append(offsets[-1] + (heights[i - 1] + heights[i]) / 2 + gap)
    blocks: list[list[float]] = []  # pool-adjacent-violators: [sum, count]
    for target in (d - o for d, o in zip(desired, offsets)):
        blocks.append([target, 1.0])
        while len(blocks) > 1 and blocks[-2][0] / blocks[-2][1] > blocks[-1][0] / blocks[-1][1]:
            total, count = blocks.pop()
            blocks[-1][0] += total
            blocks[-1][1] += count
    levels: list[float] = []
    for total, count in blocks:
        levels += [total / count] * int(count)
    return [z + o for z, o in zip(levels, offsets)]


def _fonts() -> dict[str, Any]:
    """The bundled DejaVu fonts, by file, so that no system font can change the picture."""
    from pathlib import Path

    import matplotlib
    from matplotlib.font_manager import FontProperties

    directory = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    regular, bold = directory / "DejaVuSans.ttf", directory / "DejaVuSans-Bold.ttf"
    return {
        "regular": FontProperties(fname=regular, size=FONT_SIZE),
        "bold": FontProperties(fname=bold, size=FONT_SIZE),
        "small": FontProperties(fname=regular, size=FIRING_FONT_SIZE),
        "title": FontProperties(fname=bold, size=11.0),
        "legend": FontProperties(fname=regular, size=8.5),
    }


def _clean_svg(svg: str, title: str) -> str:
    """Drop matplotlib's metadata, comments and DOCTYPE (which names URLs); add a title."""
    svg = re.sub(r"<metadata>.*?</metadata>\s*", "", svg, flags=re.S)
    svg = re.sub(r"<!--.*?-->\s*", "", svg, flags=re.S)
    svg = re.sub(r"<!DOCTYPE[^>]*>\s*", "", svg, flags=re.S)
    svg = re.sub(r"(<svg\b[^>]*>)", lambda m: f'{m.group(1)}\n <title>{_xml_escape(title)}</title>', svg, count=1)
    return svg.replace('<svg xmlns:xlink', '<svg role="img" xmlns:xlink', 1)


_DRAWING = threading.Lock()


def to_svg(graph: Graph, lang: str, findings: Optional[Mapping[str, str]] = None) -> str:
    """A picture of the reasoning graph, left to right, as a self-contained, deterministic SVG."""
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
    from matplotlib.path import Path as MplPath

    from .picture import drawable  # past a hundred nodes, nodes of one sort drawn as one

    canon = canonical(drawable(graph, lang))
    severities = _severities(canon, findings)
    fonts = _fonts()
    title = word("graph_title", lang)
    settings: dict[str, Any] = {"svg.hashsalt": "reversibility-kb", "svg.fonttype": "path", "svg.id": "reasoning-graph", "path.simplify": False}
    # rc_context sets matplotlib's process-wide settings (and its text caches are shared): one
    # drawing at a time, or a thread leaving the context unsets another's salt mid-drawing.
    with _DRAWING, matplotlib.rc_context(settings):  # type: ignore[arg-type]  # keys checked by matplotlib
        # 1. Measure every label with the Agg renderer (1 px = 1 pt at 72 dpi).
        scratch = Figure(dpi=72)
        renderer = FigureCanvasAgg(scratch).get_renderer()  # type: ignore[no-untyped-call]

        def measure(text: str, font: Any) -> tuple[float, float]:
            artist = scratch.text(0, 0, text, fontproperties=font, linespacing=1.1, parse_math=False, multialignment="center")
            box = artist.get_window_extent(renderer)
            artist.remove()
            return box.width, box.height

        texts: dict[Hashable, str] = {}
        fontkey: dict[Hashable, str] = {}
        size: dict[Hashable, tuple[float, float]] = {}
        for node, data in canon.nodes(data=True):
            style = _style(canon, node, severities)
            texts[node] = _wrap(_label(canon, node), WRAP)
            fontkey[node] = "bold" if style in SEVERITIES else ("small" if data.get("kind") == "firing" else "regular")
            w, h = measure(texts[node], fonts[fontkey[node]])
            size[node] = (w + 2 * PAD_X, h + 2 * PAD_Y)

        # 2. Legend items (wrapped over as many rows as the width needs).
        present = {_style(canon, n, severities) for n in canon.nodes}
        legend: list[tuple[str, str]] = [(s, word(f"graph_{s}", lang)) for s in ("fact", "unused", "firing", "conclusion") if s in present]
        legend += [(s, f"{word('graph_finding', lang)} ({word(s, lang)})") for s in SEVERITIES if s in present]

        # 3. Columns and rows.
        layers, isolated = _layers(canon)
        if isolated and not layers:
            layers = [[]]  # unused facts go under the first column
        widths = [max((size[n][0] for n in layer), default=0.0) for layer in layers]
        if isolated:
            widths[0] = max([widths[0], *(size[n][0] for n in isolated)])
        lefts = []
        x = MARGIN
        for width in widths:
            lefts.append(x)
            x += width + COLUMN_GAP
        content_width = x - COLUMN_GAP + MARGIN if layers else 2 * MARGIN
        centre_x = {n: lefts[i] + widths[i] / 2 for i, layer in enumerate(layers) for n in layer}
        centre_y: dict[Hashable, float] = {}
        layer_of = {n: i for i, layer in enumerate(layers) for n in layer}

        def place_layer(i: int, neighbours_of: Any) -> None:
            layer = layers[i]
            if not layer:
                return
            desired = []
            for node in layer:
                around = [centre_y[m] for m in neighbours_of(node) if m in centre_y]
                desired.append(sum(around) / len(around) if around else centre_y.get(node, 0.0))
            placed = _place(desired, [size[n][1] for n in layer], ROW_GAP)
            for node, y in zip(layer, placed):
                centre_y[node] = y

        if layers and layers[0]:
            heights = [size[n][1] for n in layers[0]]
            for node, y in zip(layers[0], _place([0.0] * len(heights), heights, ROW_GAP)):
                centre_y[node] = y
        for i in range(1, len(layers)):
            place_layer(i, canon.predecessors)
        for i in range(len(layers) - 2, -1, -1):
            place_layer(i, lambda n: [m for m in canon.successors(n) if layer_of.get(m, -1) > layer_of[n]])
        for i in range(1, len(layers)):
            place_layer(i, canon.predecessors)
        # Unused facts: a row (or several) under the graph.
        bottom_connected = max((centre_y[n] + size[n][1] / 2 for n in centre_y), default=0.0)
        row_top = bottom_connected + (3 * ROW_GAP if centre_y else 0.0)
        x, row_h = MARGIN, 0.0
        for node in isolated:
            w, h = size[node]
            if x > MARGIN and x + w > max(content_width, MIN_WIDTH) - MARGIN:
                row_top += row_h + ROW_GAP
                x, row_h = MARGIN, 0.0
            centre_x[node] = x + w / 2
            centre_y[node] = row_top + h / 2
            x += w + ROW_GAP
            row_h = max(row_h, h)
        top = min((centre_y[n] - size[n][1] / 2 for n in centre_y), default=0.0)
        bottom = max((centre_y[n] + size[n][1] / 2 for n in centre_y), default=0.0)

        # Legend rows, above the graph.
        width = max(content_width, MIN_WIDTH)
        title_h = 22.0
        swatch = 11.0
        rows: list[list[tuple[str, str, float]]] = [[]]
        line_w = MARGIN
        for style, text in legend:
            item_w = swatch + 4 + measure(text, fonts["legend"])[0] + 14
            if rows[-1] and line_w + item_w > width - MARGIN:
                rows.append([])
                line_w = MARGIN
            rows[-1].append((style, text, item_w))
            line_w += item_w
        legend_h = title_h + 16.0 * len(rows) + 8.0
        height = legend_h + (bottom - top) + 2 * MARGIN if centre_y else legend_h + 40.0
        shift = legend_h + MARGIN - top
        for node in centre_y:
            centre_y[node] += shift

        # 4. Draw.
        figure = Figure(figsize=(width / 72, height / 72), dpi=72)
        FigureCanvasAgg(figure)
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set_xlim(0, width)
        axes.set_ylim(height, 0)
        axes.set_axis_off()
        figure.patch.set_facecolor("#ffffff")

        axes.text(MARGIN, MARGIN, title, fontproperties=fonts["title"], va="top", ha="left", color="#111827", parse_math=False)
        for r, row in enumerate(rows):
            x = MARGIN
            y = MARGIN + title_h + 16.0 * r
            for style, text, item_w in row:
                fill, line = COLOURS[style]
                axes.add_patch(FancyBboxPatch(
                    (x, y), swatch, swatch, boxstyle="round,pad=0,rounding_size=2.5", facecolor=fill, edgecolor=line,
                    linewidth=2.0 if style in SEVERITIES else 1.0, linestyle="--" if style == "unused" else "-",
                ))
                axes.text(x + swatch + 4, y + swatch / 2, text, fontproperties=fonts["legend"], va="center", ha="left", color="#1f2937", parse_math=False)
                x += item_w
        if not centre_y:
            axes.text(width / 2, legend_h + 20, word("graph_empty", lang), fontproperties=fonts["regular"], ha="center", va="center", color="#6b7280", parse_math=False)

        for u, v in canon.edges:
            (x0, y0), (x1, y1) = (centre_x[u] + size[u][0] / 2, centre_y[u]), (centre_x[v] - size[v][0] / 2, centre_y[v])
            reach = max((x1 - x0) * 0.5, 12.0)
            path = MplPath([(x0, y0), (x0 + reach, y0), (x1 - reach, y1), (x1, y1)], [MplPath.MOVETO, MplPath.CURVE4, MplPath.CURVE4, MplPath.CURVE4])
            target = severities.get(v)
            colour = COLOURS[target][1] if target in COLOURS else "#8593a8"
            axes.add_patch(FancyArrowPatch(path=path, arrowstyle="-|>", mutation_scale=7, linewidth=0.8 if target else 0.6, color=colour, alpha=0.9, zorder=1, clip_on=False))

        for node in canon.nodes:
            style = _style(canon, node, severities)
            fill, line = COLOURS[style]
            w, h = size[node]
            kind = canon.nodes[node].get("kind")
            rounding = h / 2 if kind == "firing" else 4.0
            axes.add_patch(FancyBboxPatch(
                (centre_x[node] - w / 2, centre_y[node] - h / 2), w, h,
                boxstyle=f"round,pad=0,rounding_size={min(rounding, h / 2, w / 2):.3f}",
                facecolor=fill, edgecolor=line, linewidth=2.2 if style in SEVERITIES else 0.9,
                linestyle="--" if style == "unused" else "-", zorder=2, clip_on=False,
            ))
            axes.text(
                centre_x[node], centre_y[node], texts[node], fontproperties=fonts[fontkey[node]], ha="center", va="center",
                multialignment="center", linespacing=1.1, color="#6b7280" if style == "unused" else "#111827", zorder=3, parse_math=False,
            )

        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None}, facecolor="#ffffff")
    svg = _clean_svg(buffer.getvalue().decode("utf-8"), title)
    described = "; ".join(f"{key}={value}" for key, value in _provenance(graph))
    return svg.replace("</title>", f"</title>\n <desc>{_xml_escape(described)}</desc>", 1) if described else svg


def svg_inline(svg: str) -> str:
    """An SVG document as an element to put inside HTML (no XML declaration)."""
    return re.sub(r"^\s*<\?xml[^>]*\?>\s*", "", svg)
