"""The explanation graph: input facts → rule firings → conclusions, held in networkx.

Edges run from causes to what they caused, so the ancestors of a conclusion are exactly the
facts and firings that justify it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Hashable, Mapping, Optional

import networkx as nx

from .engine import Run
from .exhibits import add_exhibit_nodes
from .rulebook import Rulebook

#: A reasoning graph: nodes are fact, firing, conclusion and exhibit ids (networkx's classes take
#: no type arguments at run time).
if TYPE_CHECKING:
    from typing import TypeAlias

    Graph: TypeAlias = nx.DiGraph[Hashable]
else:
    Graph = nx.DiGraph


def fact_node(fact_id: str) -> str:
    return f"fact:{fact_id}"


def conclusion_node(conclusion_id: str) -> str:
    return f"conclusion:{conclusion_id}"


def firing_node(index: int) -> str:
    return f"firing:{index}"


def build_graph(run: Run, rulebook: Rulebook, exhibits: Optional[Mapping[str, tuple[str, ...]]] = None) -> Graph:
    """Every input fact, firing and conclusion of a run, with the edges between them; and the
    exhibits (fact id → numbers, :func:`.exhibits.fact_exhibits`) the input facts rest on."""
    graph: Graph = nx.DiGraph()
    for fact in run.facts:
        graph.add_node(fact_node(fact["id"]), kind="fact", type=fact["type"], label=fact["id"])
    for conclusion_id, fact in run.conclusions.items():
        graph.add_node(conclusion_node(conclusion_id), kind="conclusion", type=fact["kind"], about=fact["about"], label=conclusion_id)
    for firing in run.firings:
        rule = rulebook.rule(firing.rule)
        node = firing_node(firing.index)
        graph.add_node(node, kind="firing", rule=firing.rule, label=firing.rule, sources=" ".join(rule.sources))
        for binding, fact_id in firing.matched:
            source = conclusion_node(fact_id) if fact_id in run.conclusions else fact_node(fact_id)
            graph.add_edge(source, node, binding=binding)
        graph.add_edge(node, conclusion_node(firing.conclusion))
    if exhibits:
        add_exhibit_nodes(graph, exhibits, fact_node)
    return graph


def explanation(graph: Graph, *conclusion_ids: str) -> Graph:
    """The part of the graph that leads to conclusions (one, or every item of a grouped
    finding): their ancestors and themselves."""
    keep: set[Hashable] = set()
    for conclusion_id in conclusion_ids:
        node = conclusion_node(conclusion_id)
        if node not in graph:
            raise KeyError(conclusion_id)
        if node not in keep:
            keep |= nx.ancestors(graph, node) | {node}
    # Not graph.subgraph(keep).copy(): a small subgraph view iterates its node *set*, in an order
    # that changes with the hash seed. This keeps the graph's own order.
    part: Graph = nx.DiGraph()
    part.graph.update(graph.graph)
    part.add_nodes_from((n, graph.nodes[n]) for n in graph.nodes if n in keep)
    part.add_edges_from((u, v, d) for u, v, d in graph.edges(data=True) if u in keep and v in keep)
    return part


def node_link(graph: Graph) -> dict[str, Any]:
    """The graph as networkx node-link data, edges under ``"edges"``."""
    return nx.node_link_data(graph, edges="edges")
