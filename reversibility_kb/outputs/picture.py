"""The reasoning graph made drawable at any size.

A picture of ten thousand nodes is unreadable (and takes minutes to lay out). Past
:data:`LIMIT` nodes, the nodes of one sort are drawn as one node with a count: facts by type,
firings by rule, conclusions by kind (a grouped conclusion takes the id of the finding that lists
its items, ``conclusion:kind@*``, so it keeps that finding's colour). If that is still too many,
the firings are left out and their premises point straight at their conclusions. The GraphML and
JSON exports are not drawn: they keep every node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Hashable

import networkx as nx

if TYPE_CHECKING:
    from typing import TypeAlias

    Graph: TypeAlias = nx.DiGraph[Hashable]
else:
    Graph = nx.DiGraph

#: The most nodes a picture draws one by one.
LIMIT = 100


def _group_key(data: dict[str, Any]) -> tuple[str, str]:
    kind = str(data.get("kind", ""))
    if kind == "firing":
        return kind, str(data.get("rule", ""))
    if kind in ("fact", "conclusion"):
        return kind, str(data.get("type", ""))
    return kind, ""


def _group_node(kind: str, what: str) -> str:
    if kind == "conclusion":
        return f"conclusion:{what}@*"  # the id of the finding that lists the items
    return f"{kind}:{what}@*" if what else f"{kind}:*"


def _collapse(graph: Graph, label: Callable[[str, str, dict[str, Any], int], str]) -> Graph:
    """One node per sort of node that has several, with their count; edges merged."""
    members: dict[tuple[str, str], list[Hashable]] = {}
    for node, data in graph.nodes(data=True):
        members.setdefault(_group_key(data), []).append(node)
    target: dict[Hashable, Hashable] = {}
    out: Graph = nx.DiGraph()
    out.graph.update(graph.graph)
    for (kind, what), nodes in members.items():
        if len(nodes) == 1:
            target[nodes[0]] = nodes[0]
            out.add_node(nodes[0], **graph.nodes[nodes[0]])
            continue
        group = _group_node(kind, what)
        first = dict(graph.nodes[nodes[0]])
        out.add_node(group, **{**first, "label": label(kind, what, first, len(nodes)), "count": len(nodes)})
        for node in nodes:
            target[node] = group
    for u, v, data in graph.edges(data=True):
        a, b = target[u], target[v]
        if a != b and not out.has_edge(a, b):
            out.add_edge(a, b, **data)
    return out


def _without_firings(graph: Graph) -> Graph:
    """The graph with every firing replaced by edges from its premises to its conclusion."""
    out: Graph = nx.DiGraph()
    out.graph.update(graph.graph)
    out.add_nodes_from((n, d) for n, d in graph.nodes(data=True) if d.get("kind") != "firing")
    for node, data in graph.nodes(data=True):
        if data.get("kind") == "firing":
            out.add_edges_from((u, v) for u in graph.predecessors(node) for v in graph.successors(node))
    out.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True) if u in out and v in out)
    return out


def drawable(graph: Graph, lang: str) -> Graph:
    """The graph itself if it has at most :data:`LIMIT` nodes; else its nodes grouped by sort."""
    if graph.number_of_nodes() <= LIMIT:
        return graph
    from ..case.vocabulary import fact_type  # late: the vocabulary file is read only when needed

    def label(kind: str, what: str, first: dict[str, Any], count: int) -> str:
        if kind == "fact":
            return f"{fact_type(what, lang)} × {count}"
        return f"{first.get('label', what)} × {count}"

    grouped = _collapse(graph, label)
    if grouped.number_of_nodes() > LIMIT:
        grouped = _collapse(_without_firings(graph), label)
    return grouped
