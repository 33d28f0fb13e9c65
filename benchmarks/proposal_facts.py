"""A proposal, not used by the library: ``case_facts`` with the flattening planned once per class.

``reversibility_kb.facts._flatten`` rediscovers, for every object of every case, which fields
are nested attrs classes (``attrs.has`` on each value), which are tuples and which are enums
(``isinstance`` on each value): about a third of the time of ``assess`` on a portfolio, most of
it on events. Here the same decisions are taken once per class (``typing.get_type_hints``) and
kept in a plan; the facts produced are identical (``benchmarks/run.py`` checks it on every case
it times). Moving this into ``facts.py`` is what the performance report recommends.
"""

from __future__ import annotations

import enum
import functools
import typing
from typing import Any, Iterable

import attrs

from reversibility_kb import model
from reversibility_kb.facts import CLAIMS, Fact, _years

_NESTED, _ENUM, _PLAIN = 0, 1, 2


def _unwrap(kind: Any) -> Any:
    """``Optional[X]`` → ``X``."""
    if typing.get_origin(kind) is typing.Union:
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        return args[0] if len(args) == 1 else kind
    return kind


@functools.cache
def _plan(cls: type, prefix: str = "", skip: tuple[str, ...] = ()) -> tuple[tuple[str, str, int, Any], ...]:
    hints = typing.get_type_hints(cls, vars(model))
    plan = []
    for field in attrs.fields(cls):
        if field.name in skip:
            continue
        kind = _unwrap(hints[field.name])
        if attrs.has(kind):
            plan.append((field.name, "", _NESTED, _plan(kind, f"{prefix}{field.name}_")))
        elif typing.get_origin(kind) is tuple:
            continue
        elif isinstance(kind, type) and issubclass(kind, enum.Enum):
            plan.append((field.name, prefix + field.name, _ENUM, None))
        else:
            plan.append((field.name, prefix + field.name, _PLAIN, None))
    return tuple(plan)


def _flatten(obj: Any, plan: tuple[tuple[str, str, int, Any], ...], out: Fact) -> Fact:
    for name, key, how, sub in plan:
        value = getattr(obj, name)
        if how == _NESTED:
            _flatten(value, sub, out)
        elif value is None:
            continue
        elif how == _ENUM:
            out[key] = value.value
        else:
            out[key] = value
    return out


_CONTRACT_SKIP = ("signed_on", "client", "provider", "successor", "object_detail")


def case_facts(case: model.Case) -> list[Fact]:
    """Same facts, same order as ``reversibility_kb.facts.case_facts``."""
    contract = case.contract
    roles = {party.id: party.role.value for party in case.parties}
    history = case.history
    revision_kinds = (model.EventKind.amendment, model.EventKind.sla_revision)
    revisions = [e.date for e in history if e.kind in revision_kinds]
    last_revision = max(revisions, default=contract.signed_on)
    changes = [e for e in history if e.kind is model.EventKind.technology_change]
    fact = _flatten(contract, _plan(model.Contract, "", _CONTRACT_SKIP), {})
    fact.update(type="contract", id=contract.id, signed_year=contract.signed_on.year)
    fact["successor_named"] = "yes" if contract.successor else "no"
    controller = contract.reversibility.condition_controlled_by
    if controller:
        fact["reversibility_condition_controlled_by_role"] = roles[controller]
    fact.update(
        years_since_signature=_years(contract.signed_on, case.as_of),
        years_since_revision=_years(last_revision, case.as_of),
        revisions=len(revisions),
        technology_changes=len(changes),
        technology_changes_since_revision=sum(1 for e in changes if e.date > last_revision),
        tool_count=len(contract.tools),
        document_count=len(contract.documents),
        phase_count=len(contract.phases),
    )
    facts: list[Fact] = [fact]
    facts += [{"type": "objective", "id": f"objective:{o.value}", "kind": o.value} for o in contract.objectives]
    facts += [{"type": "margin", "id": f"margin:{m.value}", "lever": m.value} for m in contract.margin_levers]
    items: Iterable[tuple[str, type, tuple]] = (
        ("party", model.Party, case.parties), ("tool", model.Tool, contract.tools), ("data", model.DataAsset, contract.data),
        ("document", model.Document, contract.documents), ("phase", model.Phase, contract.phases),
    )
    for kind, cls, objects in items:
        plan = _plan(cls)
        facts += [_flatten(item, plan, {}) | {"type": kind} for item in objects]
    first_claim = min((e.date for e in history if e.kind in CLAIMS), default=None)
    plan = _plan(model.Event, "", ("date", "note"))
    for event in history:
        out = _flatten(event, plan, {})
        date = event.date
        out["type"] = "event"
        out["date"] = date.isoformat()
        out["year"] = date.year
        out["before_claims"] = "yes" if first_claim is None or date < first_claim else "no"
        if event.by is not None:
            out["by_role"] = roles[event.by]
        if event.against is not None:
            out["against_role"] = roles[event.against]
        facts.append(out)
    return facts
