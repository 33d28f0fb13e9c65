"""Exhibits ("pièces") in the reasoning: which exhibits each input fact and each finding rest on.

The engine never sees exhibits: they are a side table keyed by fact id (:func:`fact_exhibits`),
built from the exhibits the case file cites on each item. A finding rests on the exhibits of every
input fact in its whole justification (through intermediate conclusions). The contradictory
principle (CPC art. 16) lets a court use only what every party could discuss: a finding resting on
an exhibit not communicated to all parties is flagged.
"""

from __future__ import annotations

from typing import Any, Iterable, Mapping

from ..case import model
from .engine import Run


def exhibit_node(number: str) -> str:
    """The graph node of an exhibit."""
    return f"exhibit:{number}"


def fact_exhibits(case: model.Case) -> dict[str, tuple[str, ...]]:
    """Fact id → the exhibit numbers its input fact rests on (only facts that cite some).

    The contract fact gathers what the contract, its reversibility clause and its staff clauses
    cite: the engine flattens the three into one fact."""
    contract = case.contract
    table: dict[str, tuple[str, ...]] = {}
    cited = _ordered((*contract.exhibits, *contract.reversibility.exhibits, *contract.staff.exhibits))
    if cited:
        table[contract.id] = cited
    items: Iterable[Any] = (
        *case.parties, *contract.tools, *contract.data, *contract.documents, *contract.phases,
        *contract.assets, *contract.scope, *case.history,
    )
    for item in items:
        if item.exhibits:
            table[item.id] = _ordered(item.exhibits)
    return table


def _ordered(numbers: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(numbers))


def justification_facts(run: Run) -> dict[str, frozenset[str]]:
    """Conclusion id → the input fact ids its whole justification matched."""
    matched: dict[str, set[str]] = {}
    for firing in run.firings:
        matched.setdefault(firing.conclusion, set()).update(fact_id for _, fact_id in firing.matched)
    resolved: dict[str, frozenset[str]] = {}

    def inputs(conclusion: str, seen: frozenset[str]) -> frozenset[str]:
        if conclusion in resolved:
            return resolved[conclusion]
        out: set[str] = set()
        for fact_id in matched.get(conclusion, ()):
            if fact_id in run.conclusions:
                if fact_id not in seen:
                    out |= inputs(fact_id, seen | {fact_id})
            else:
                out.add(fact_id)
        resolved[conclusion] = frozenset(out)
        return resolved[conclusion]

    return {conclusion: inputs(conclusion, frozenset({conclusion})) for conclusion in run.conclusions}


def finding_exhibits(case: model.Case, run: Run) -> dict[str, tuple[str, ...]]:
    """Conclusion id → the exhibit numbers it rests on, in the order of the case's register."""
    table = fact_exhibits(case)
    if not table:
        return {}
    order = {exhibit.number: index for index, exhibit in enumerate(case.exhibits)}
    out = {}
    for conclusion, facts in justification_facts(run).items():
        numbers = {number for fact_id in facts for number in table.get(fact_id, ())}
        if numbers:
            out[conclusion] = tuple(sorted(numbers, key=lambda n: (order.get(n, len(order)), n)))
    return out


def communication(case: model.Case, numbers: Iterable[str]) -> dict[str, list[str]]:
    """The exhibits among ``numbers`` not communicated to every party, and those whose
    communication is not established (CPC art. 16)."""
    register = {exhibit.number: exhibit for exhibit in case.exhibits}
    status = [(n, register[n].communicated_to_all) for n in numbers if n in register]
    return {
        "exhibits_not_communicated": [n for n, s in status if s is model.Tri.no],
        "exhibits_communication_unknown": [n for n, s in status if s is model.Tri.unknown],
    }


def finding_fields(case: model.Case, run: Run, finding_ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """For each finding: ``exhibits`` and the two communication flags (empty lists when the case
    has no register)."""
    rested = finding_exhibits(case, run)
    out = {}
    for finding_id in finding_ids:
        numbers = rested.get(finding_id, ())
        out[finding_id] = {"exhibits": list(numbers), **communication(case, numbers)}
    return out


def add_exhibit_nodes(graph: Any, table: Mapping[str, tuple[str, ...]], fact_node: Any) -> None:
    """Exhibit nodes, with an edge from each exhibit to each input fact that cites it."""
    for fact_id, numbers in table.items():
        node = fact_node(fact_id)
        if node not in graph:
            continue
        for number in numbers:
            graph.add_node(exhibit_node(number), kind="exhibit", label=number)
            graph.add_edge(exhibit_node(number), node)
