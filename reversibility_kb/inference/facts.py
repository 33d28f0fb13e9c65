"""A :class:`~reversibility_kb.case.model.Case` flattened into the facts the rules match.

Each fact is a flat JSON mapping with a stable ``id`` and a ``type``. Three-valued fields stay
the strings ``yes``/``no``/``unknown``; a number that is not known is left out (rules test its
existence). Comparisons that span facts (years since the last revision, technology changes since
then) are computed here, once, because the engine must not compare two facts' attributes with
``<`` or ``>``.
"""

from __future__ import annotations

import bisect
import datetime
import enum
import functools
import types
import typing
from typing import Any, Optional

import attrs

from ..case import model
from .dating import day_number

Fact = dict[str, Any]

#: Fields no rule tests (dates become derived attributes; free text and party ids stay out).
CONTRACT_SKIP = ("signed_on", "client", "provider", "successor", "object_detail")
EVENT_SKIP = ("date", "note")

_NESTED, _ENUM, _PLAIN = 0, 1, 2
#: For each field of a class: its name, its key in the fact, how to read it, and the plan of a
#: nested class (empty for a scalar). Decided once per class: flattening is on the hot path (every
#: event of every case).
Plan = tuple[tuple[str, str, int, "Plan"], ...]


def _unwrap(kind: Any) -> Any:
    """``Optional[X]`` → ``X``."""
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        return args[0] if len(args) == 1 else kind
    return kind


@functools.cache
def _plan(cls: type, prefix: str = "", skip: tuple[str, ...] = ()) -> Plan:
    hints = typing.get_type_hints(cls, vars(model))
    steps: list[tuple[str, str, int, Plan]] = []
    for field in attrs.fields(cls):
        kind = _unwrap(hints[field.name])
        if field.name in skip or typing.get_origin(kind) is tuple or field.metadata.get("descriptive"):
            continue
        if attrs.has(kind):
            steps.append((field.name, "", _NESTED, _plan(kind, f"{prefix}{field.name}_")))
        elif isinstance(kind, type) and issubclass(kind, enum.Enum):
            steps.append((field.name, prefix + field.name, _ENUM, ()))
        else:
            steps.append((field.name, prefix + field.name, _PLAIN, ()))
    return tuple(steps)


def _fill(obj: object, plan: Plan, out: Fact) -> Fact:
    for name, key, how, nested in plan:
        value = getattr(obj, name)
        if how == _NESTED:
            _fill(value, nested, out)
        elif value is not None:
            out[key] = value._value_ if how == _ENUM else value  # _value_: no descriptor lookup
    return out


def _flatten(obj: object, skip: tuple[str, ...] = ()) -> Fact:
    """Scalar attributes of an attrs object, nested ones prefixed; lists and ``None`` left out."""
    cls: type = type(obj)
    return _fill(obj, _plan(cls, "", skip), {})


def _keys(plan: Plan) -> set[str]:
    return {key for _, key, how, nested in plan for key in (_keys(nested) if how == _NESTED else {key})}


def _years(start: datetime.date, end: datetime.date) -> int:
    """Whole years between two dates."""
    years = end.year - start.year
    return years - 1 if (end.month, end.day) < (start.month, start.day) else years


def _contract_fact(case: model.Case) -> Fact:
    contract = case.contract
    roles = {party.id: party.role.value for party in case.parties}
    fact = _flatten(contract, CONTRACT_SKIP)
    fact.update(type="contract", id=contract.id, signed_year=contract.signed_on.year)
    successors = {s for s in (contract.successor, *contract.successors) if s}
    fact["successor_named"] = "yes" if successors else "no"
    fact["successor_count"] = len(successors)
    fact["object_count"] = 1 + len(set(contract.other_objects) - {contract.object})
    reversibility = contract.reversibility
    days = _transition_days(reversibility)
    if days is not None:
        fact["transition_total_days"] = days
    effort = reversibility.migration_estimated_days
    fact["migration_exceeds_transition"] = (
        "unknown" if effort is None or days is None else "yes" if effort > days else "no"
    )
    controller = contract.reversibility.condition_controlled_by
    if controller:
        fact["reversibility_condition_controlled_by_role"] = roles[controller]
    # A contract is judged as it stood when the exit began, not years later when a court rules:
    # revisions and changes made after that day do not make it more or less up to date.
    exit_on = min((e.date for e in case.history if e.kind in EXITS), default=case.as_of)
    before_exit = [e for e in case.history if e.date <= exit_on]
    revisions = [e.date for e in before_exit if e.kind in (model.EventKind.amendment, model.EventKind.sla_revision)]
    last_revision = max(revisions, default=contract.signed_on)
    changes = [e for e in before_exit if e.kind == model.EventKind.technology_change]
    evolutions = [e for e in before_exit if e.kind in EVOLUTIONS]
    fact.update(
        years_since_signature=_years(contract.signed_on, exit_on),
        years_since_revision=_years(last_revision, exit_on),
        revisions=len(revisions),
        technology_changes=len(changes),
        technology_changes_since_revision=sum(1 for e in changes if e.date > last_revision),
        changes_since_revision=sum(1 for e in evolutions if e.date > last_revision),
        tool_count=len(contract.tools),
        document_count=len(contract.documents),
        phase_count=len(contract.phases),
        asset_count=len(contract.assets),
    )
    fact.update(_day_numbers(case))
    return fact


def _day_numbers(case: model.Case) -> Fact:
    """The dates dated rules are judged by, as day numbers (see :mod:`.dating`): signature,
    first notice, first termination, the as-of date, and the exit (termination, else as-of); a
    date the history does not give is left out."""
    days = {"signature_day": day_number(case.contract.signed_on), "as_of_day": day_number(case.as_of)}
    for kind, key in ((model.EventKind.notice, "notice_day"), (model.EventKind.termination, "termination_day")):
        first = min((e.date for e in case.history if e.kind == kind), default=None)
        if first is not None:
            days[key] = day_number(first)
    days["exit_day"] = days.get("termination_day", days["as_of_day"])
    return days


def _transition_days(reversibility: model.Reversibility) -> Optional[int]:
    """The transition period in days: days where given, else months of 30 days; None if unknown."""
    if reversibility.transition_days is not None:
        return reversibility.transition_days
    if reversibility.transition_months is not None:
        return reversibility.transition_months * 30
    return None


def _owned_fact(item: Any, kind: str, transfers: dict[str, str]) -> Fact:
    """A tool or an asset, with who holds it now: the owner at signature, or the party it was
    last transferred to by a dated ``ownership_transfer`` event (a buy-back, a settlement)."""
    fact = {**_flatten(item), "type": kind}
    fact["owner_now"] = transfers.get(item.id, fact["owner"])
    fact["ownership_changed"] = "yes" if item.id in transfers else "no"
    return fact


#: Attributes computed here, and the case-file fields each one reads: a field that feeds a computed
#: attribute a rule tests is not decorative (tests/test_principles.py).
DERIVED: dict[str, tuple[str, ...]] = {
    "signed_year": ("contract.signed_on",),
    "years_since_signature": ("contract.signed_on", "history[].date"),
    "years_since_revision": ("contract.signed_on", "history[].date", "history[].kind"),
    "successor_named": ("contract.successor", "contract.successors"),
    "successor_count": ("contract.successor", "contract.successors"),
    "object_count": ("contract.other_objects",),
    "transition_total_days": ("contract.reversibility.transition_days", "contract.reversibility.transition_months"),
    "migration_exceeds_transition": (
        "contract.reversibility.migration_estimated_days", "contract.reversibility.transition_days",
        "contract.reversibility.transition_months",
    ),
    "reversibility_condition_controlled_by_role": ("contract.reversibility.condition_controlled_by", "parties[].role"),
    "owner_now": ("contract.tools[].owner", "contract.assets[].owner", "history[].to", "history[].ref"),
    "ownership_changed": ("history[].to", "history[].ref"),
    "by_role": ("history[].by", "parties[].role"),
    "against_role": ("history[].against", "parties[].role"),
    "to_role": ("history[].to", "parties[].role"),
    "before_claims": ("history[].date",),
    "after_project_failure": ("history[].date",),
    "after_organisation_change": ("history[].date",),
    "changes_since_accepted": ("history[].ref", "history[].date"),
}

#: Events by which the exit begins.
EXITS = frozenset({
    model.EventKind.notice, model.EventKind.termination, model.EventKind.reversibility_start,
    model.EventKind.service_shutdown, model.EventKind.service_suspended, model.EventKind.insolvency,
    model.EventKind.administration,
})
#: Events by which the company, its environment or its systems change (S6.d).
EVOLUTIONS = frozenset({model.EventKind.technology_change, model.EventKind.scope_change, model.EventKind.organisation_change})


def _document_fact(document: model.Document, accepted: list[Any], changes: list[Any]) -> Fact:
    """A document, with how many changes (``changes``: their dates, sorted) happened after it
    was last accepted (it may be stale)."""
    fact = {**_flatten(document), "type": "document"}
    if accepted:
        fact["changes_since_accepted"] = len(changes) - bisect.bisect_right(changes, max(accepted))
    return fact


#: Events that mark a disagreement: a warning counts as advice only if it came before the first.
CLAIMS = frozenset({
    model.EventKind.dispute, model.EventKind.liability_claim, model.EventKind.requalification_claim,
    model.EventKind.obsolescence_claim, model.EventKind.refusal, model.EventKind.penalty,
    model.EventKind.formal_notice, model.EventKind.expert_appointed, model.EventKind.court_order,
    model.EventKind.judgment, model.EventKind.arbitration,
})


#: Turning points: each event says whether it came on or after the first of each (rules cannot
#: compare two facts' dates, so "X followed by Y" is computed here).
TURNING_POINTS = {
    "after_project_failure": model.EventKind.project_failed,
    "after_organisation_change": model.EventKind.organisation_change,
}


def _event_fact(event: model.Event, roles: dict[str, str], first_claim: Any, firsts: dict[str, Any]) -> Fact:
    fact = _flatten(event, EVENT_SKIP)
    fact.update(type="event", date=event.date.isoformat(), year=event.date.year)
    fact["before_claims"] = "yes" if first_claim is None or event.date < first_claim else "no"
    for marker, kind in TURNING_POINTS.items():
        first = firsts[marker]
        fact[marker] = "yes" if first is not None and event.date >= first and event.kind != kind else "no"
    for field in ("by", "against", "to"):
        party = getattr(event, field)
        if party is not None:
            fact[f"{field}_role"] = roles[party]
    return fact


def objective_id(objective: model.Objective) -> str:
    return f"objective:{objective.value}"


def margin_id(lever: model.MarginLever) -> str:
    return f"margin:{lever.value}"


def case_facts(case: model.Case) -> list[Fact]:
    """Every input fact of a case, in a stable order (contract first, history last)."""
    contract = case.contract
    roles = {party.id: party.role.value for party in case.parties}
    facts: list[Fact] = [_contract_fact(case)]
    facts += [{"type": "objective", "id": objective_id(o), "kind": o.value} for o in contract.objectives]
    facts += [{"type": "margin", "id": margin_id(m), "lever": m.value} for m in contract.margin_levers]
    for kind, items in (
        ("party", case.parties),
        ("data", contract.data),
        ("phase", contract.phases),
        ("scope", contract.scope),
    ):
        facts += [{**_flatten(item), "type": kind} for item in items]
    owner_roles = {"client": "client", "provider": "provider", "successor": "successor"}
    transfers = {
        e.ref: owner_roles.get(roles.get(e.to or "", ""), "third_party")
        for e in case.history
        if e.kind == model.EventKind.ownership_transfer and e.ref is not None
    }
    facts += [_owned_fact(tool, "tool", transfers) for tool in contract.tools]
    facts += [_owned_fact(asset, "asset", transfers) for asset in contract.assets]
    accepted: dict[Optional[str], list[Any]] = {}
    for event in case.history:
        if event.kind == model.EventKind.accepted:
            accepted.setdefault(event.ref, []).append(event.date)
    changes = sorted(e.date for e in case.history if e.kind in EVOLUTIONS)
    facts += [_document_fact(d, accepted.get(d.id, []), changes) for d in contract.documents]
    first_claim = min((e.date for e in case.history if e.kind in CLAIMS), default=None)
    firsts = {marker: min((e.date for e in case.history if e.kind == kind), default=None) for marker, kind in TURNING_POINTS.items()}
    facts += [_event_fact(event, roles, first_claim, firsts) for event in case.history]
    return facts


def fact_attributes() -> dict[str, frozenset[str]]:
    """The attributes each fact type can carry: what a rule may test."""
    base = {"id", "type"}
    contract = _keys(_plan(model.Contract, "", CONTRACT_SKIP))
    contract |= {
        "signed_year", "successor_named", "successor_count", "object_count", "transition_total_days",
        "migration_exceeds_transition", "asset_count",
        "reversibility_condition_controlled_by_role", "years_since_signature",
        "years_since_revision", "revisions", "technology_changes", "technology_changes_since_revision",
        "changes_since_revision",
        "tool_count", "document_count", "phase_count",
        "signature_day", "notice_day", "termination_day", "as_of_day", "exit_day",
    }
    event = _keys(_plan(model.Event, "", EVENT_SKIP)) | {"date", "year", "by_role", "against_role", "to_role", "before_claims", *TURNING_POINTS}
    table = {
        "contract": contract,
        "objective": {"kind"},
        "margin": {"lever"},
        "party": _keys(_plan(model.Party)),
        "tool": _keys(_plan(model.Tool)) | {"owner_now", "ownership_changed"},
        "asset": _keys(_plan(model.Asset)) | {"owner_now", "ownership_changed"},
        "scope": _keys(_plan(model.ScopeItem)),
        "data": _keys(_plan(model.DataAsset)),
        "document": _keys(_plan(model.Document)) | {"changes_since_accepted"},
        "phase": _keys(_plan(model.Phase)),
        "event": event,
        "conclusion": {"kind", "about"},
    }
    return {kind: frozenset(names | base) for kind, names in table.items()}
