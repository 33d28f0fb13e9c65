"""A seeded generator of realistic synthetic portfolios of outsourcing contracts.

Every case is a :class:`reversibility_kb.case.model.Case` built directly from the attrs model (no
files), and valid: ``structure_case(case_to_data(case)) == case`` (see
``benchmarks/test_portfolio.py`` and :func:`check`). The same seed gives the same portfolio, in
any process and whatever ``PYTHONHASHSEED`` (only :class:`random.Random` seeded with an integer is
used, never ``hash``).

What varies, case by case:

* the outsourced object (S1.a … S1.f) and the reversibility mode and timing (S2) cycle through
  every value, so any portfolio of 54 cases or more holds every combination;
* the clauses (trigger, plan, transition, deliverable, staff, service levels, asset register) are
  drawn with *unknown* as a common answer, as in real files;
* 0–8 tools, 0–5 data assets, 0–6 documents, 0–4 phases, 2–7 parties (successors, prime
  contractors and individuals where the object calls for them);
* a dated history of 10 to 500 events (log-uniform by default: most files are short, a few are
  long), in date order, whose references point at the case's own documents, tools, data, phases
  and parties; a case is "troubled" or not, which sets how many claims and disputes it holds.
"""

from __future__ import annotations

import datetime
import math
import os
import random
from typing import Iterator, Optional

from reversibility_kb.case import model
from reversibility_kb.case.model import (
    ApplicationMode, BackupMode, DataFormat, EventKind, Location, MarginLever, Objective, Outcome, OutsourcedObject,
    Owner, PartyRole, Rating, ReversibilityMode, Text, Timing, ToolPurpose, Tri, Trigger,
)

MIN_EVENTS, MAX_EVENTS = 10, 500
OBJECTS = tuple(OutsourcedObject)
MODES = tuple(ReversibilityMode)
TIMINGS = tuple(Timing)
LATEST = datetime.date(2025, 6, 30)

_OBJECT_DETAIL = {
    OutsourcedObject.services: ["Help desk and desktop support", "Printing and mail room", "Level-1 user support"],
    OutsourcedObject.simple_application: ["Time-sheet application", "Expense claims", "Intranet directory"],
    OutsourcedObject.critical_application: ["Order management", "Customs clearance", "Core banking", "Billing"],
    OutsourcedObject.infrastructure: ["Data centre and network", "Mainframe operations", "Wide-area network"],
    OutsourcedObject.integrated_service: ["Payroll service", "Integrated accounting", "Claims handling"],
    OutsourcedObject.function: ["IT directorate", "Information security officer", "Project management office"],
}
_TOOLS = [
    ("Job scheduler", ToolPurpose.operation), ("Monitoring console", ToolPurpose.monitoring),
    ("Backup manager", ToolPurpose.operation), ("Capacity dashboard", ToolPurpose.control),
    ("Security watch", ToolPurpose.surveillance), ("Ticketing tool", ToolPurpose.operation),
    ("Business package", ToolPurpose.application), ("Database engine", ToolPurpose.database),
    ("Deployment scripts", ToolPurpose.other), ("Log collector", ToolPurpose.monitoring),
]
_DBMS = [("Oracle", Tri.yes), ("DB2", Tri.yes), ("PostgreSQL", Tri.no), ("MySQL", Tri.no), ("Vendor engine", Tri.yes), ("", Tri.unknown)]
_DATA = ["Customer records", "Orders", "General ledger", "Payroll history", "Shipments", "Donors", "Claims", "Inventory"]
_DOCUMENTS = [
    "Operating procedures", "Operating manual", "Reversibility plan", "Architecture file", "Service catalogue",
    "Run book", "Disaster recovery plan", "Knowledge base",
]
_PHASES = ["Takeover", "On-site run", "Transformation", "Pooled run", "Steady state"]

#: Events of an ordinary life, with their weights.
_ROUTINE = [
    (EventKind.service_assessment, 14), (EventKind.delivered, 6), (EventKind.accepted, 5), (EventKind.rejected, 1),
    (EventKind.sla_revision, 2), (EventKind.amendment, 2), (EventKind.technology_change, 5),
    (EventKind.scope_change, 3), (EventKind.organisation_change, 2), (EventKind.phase_start, 2),
    (EventKind.phase_end, 2), (EventKind.restore_test, 3), (EventKind.staff_reduction, 1), (EventKind.warning, 1),
    (EventKind.reversibility_plan_test, 1),
]
#: Events of a troubled contract, added to the routine ones.
_TROUBLE = [
    (EventKind.warning, 3), (EventKind.notice, 3), (EventKind.penalty, 4), (EventKind.payment_withheld, 2),
    (EventKind.refusal, 2), (EventKind.dispute, 2), (EventKind.liability_claim, 1),
    (EventKind.requalification_claim, 1), (EventKind.obsolescence_claim, 1), (EventKind.project_failed, 1),
]
_ENDINGS = [EventKind.termination, EventKind.reversibility_start]


def _tri(rng: random.Random, yes: float = 0.4, no: float = 0.35) -> Tri:
    draw = rng.random()
    return Tri.yes if draw < yes else Tri.no if draw < yes + no else Tri.unknown


def _pick(rng: random.Random, weighted: list[tuple[EventKind, int]]) -> EventKind:
    total = sum(w for _, w in weighted)
    draw = rng.random() * total
    for kind, weight in weighted:
        draw -= weight
        if draw < 0:
            return kind
    return weighted[-1][0]


def history_length(rng: random.Random) -> int:
    """Log-uniform between 10 and 500: most files are short, a few are long."""
    return int(round(math.exp(rng.uniform(math.log(MIN_EVENTS), math.log(MAX_EVENTS)))))


def _parties(rng: random.Random, obj: OutsourcedObject, mode: ReversibilityMode) -> list[model.Party]:
    parties = [
        model.Party(id="client", role=PartyRole.client, name="Client company"),
        model.Party(id="provider", role=PartyRole.provider, name="Outgoing provider"),
    ]
    if mode is ReversibilityMode.transfer or rng.random() < 0.15:
        parties.append(model.Party(id="successor", role=PartyRole.successor, name="Successor provider"))
    if obj is OutsourcedObject.function or rng.random() < 0.15:
        parties.append(model.Party(id="prime-1", role=PartyRole.prime_contractor, name="Prime contractor"))
    people = rng.randint(1, 3) if obj is OutsourcedObject.function else (1 if rng.random() < 0.1 else 0)
    for i in range(1, people + 1):
        parties.append(model.Party(
            id=f"person-{i}", role=PartyRole.individual, name=f"Consultant {i}",
            embedded_in_client=_tri(rng, 0.5, 0.3), under_client_authority=_tri(rng, 0.45, 0.35),
            transferred_from_client=_tri(rng, 0.2, 0.5),
        ))
    return parties


def _contract(rng: random.Random, index: int, obj: OutsourcedObject, mode: ReversibilityMode, timing: Timing,
              signed_on: datetime.date, parties: list[model.Party]) -> model.Contract:
    roles = {p.id: p.role for p in parties}
    if obj is OutsourcedObject.critical_application:
        app_mode = rng.choice([ApplicationMode.classic, ApplicationMode.asp, ApplicationMode.tma, ApplicationMode.unknown])
    else:
        app_mode = ApplicationMode.not_applicable
    if timing is Timing.during_contract:
        trigger = rng.choice([Trigger.termination_for_fault, Trigger.termination_for_fault, Trigger.notice, Trigger.condition, Trigger.unknown])
    else:
        trigger = rng.choice([Trigger.term, Trigger.term, Trigger.notice, Trigger.condition, Trigger.unknown])
    controlled_by, condition = None, ""
    if trigger is Trigger.condition:
        condition = rng.choice(["End of the redesign project", "Go-live of the new system", "Client's board approval"])
        if rng.random() < 0.7:
            controlled_by = rng.choice([p.id for p in parties])
    deliverable = model.DataDeliverable(
        description=rng.choice(["", "Return of the client's data", "Full export in an agreed format", "Database backup"]),
        backup_mode=rng.choice(list(BackupMode)), format=rng.choice(list(DataFormat)),
        usability_specified=_tri(rng, 0.3, 0.45), restore_test_required=_tri(rng, 0.3, 0.4),
    )
    reversibility = model.Reversibility(
        mode=mode, timing=timing, trigger=trigger, condition_controlled_by=controlled_by, condition=condition,
        plan=_tri(rng, 0.35, 0.4), plan_covers_both_modes=_tri(rng, 0.2, 0.3),
        transition_months=rng.choice([None, None, 0, 1, 2, 3, 6, 6, 9, 12]),
        assistance_priced=_tri(rng, 0.35, 0.35), deliverable=deliverable,
    )
    transferred = _tri(rng, 0.3, 0.5)
    staff = model.Staff(
        transferred=transferred, transferred_count=rng.randint(1, 40) if transferred is Tri.yes and rng.random() < 0.8 else None,
        return_clause=_tri(rng, 0.2, 0.5), knowledge_transfer_clause=_tri(rng, 0.35, 0.4),
        client_kept_skills=_tri(rng, 0.4, 0.35),
    )
    tools = []
    for i, (name, purpose) in enumerate(rng.sample(_TOOLS, rng.randint(0, 8)), 1):
        tools.append(model.Tool(
            id=f"tool-{i}", name=name, purpose=purpose,
            owner=rng.choice([Owner.client, Owner.provider, Owner.provider, Owner.third_party, Owner.unknown]),
            licence_transferable=_tri(rng, 0.3, 0.4), receiver_has_equivalent=_tri(rng, 0.3, 0.35),
            proprietary=_tri(rng, 0.4, 0.3),
        ))
    data = []
    for i, name in enumerate(rng.sample(_DATA, rng.randint(0, 5)), 1):
        dbms, proprietary = rng.choice(_DBMS)
        data.append(model.DataAsset(
            id=f"data-{i}", name=name, dbms=dbms, dbms_proprietary=proprietary, receiver_has_dbms=_tri(rng, 0.4, 0.35),
            backup_mode=rng.choice(list(BackupMode)), very_large=_tri(rng, 0.3, 0.4), core_business=_tri(rng, 0.5, 0.2),
        ))
    documents = [
        model.Document(id=f"doc-{i}", title=title, planned_initial=_tri(rng, 0.6, 0.2), provider_specific=_tri(rng, 0.35, 0.35))
        for i, title in enumerate(rng.sample(_DOCUMENTS, rng.randint(0, 6)), 1)
    ]
    phases = []
    for i in range(1, rng.randint(0, 4) + 1):
        location = (Location.client_site if i == 1 and rng.random() < 0.7
                    else rng.choice([Location.provider_pooled, Location.provider_dedicated, Location.client_site, Location.unknown]))
        phases.append(model.Phase(
            id=f"phase-{i}", name=_PHASES[(i - 1) % len(_PHASES)], order=i, location=location,
            duration_months=rng.choice([None, 3, 6, 12, 24]), acceptance_criteria=_tri(rng, 0.35, 0.4),
            service_levels_defined=_tri(rng, 0.4, 0.3), asset_inventory=_tri(rng, 0.3, 0.4),
        ))
    successor = "successor" if "successor" in roles and rng.random() < 0.7 else None
    return model.Contract(
        id=f"ctr-{index:06d}", signed_on=signed_on, object=obj, object_detail=rng.choice(_OBJECT_DETAIL[obj]),
        application_mode=app_mode, term_months=rng.choice([None, 12, 36, 48, 60, 84, 120]),
        client="client", provider="provider", successor=successor, reversibility=reversibility, staff=staff,
        service_levels=model.ServiceLevels(defined=_tri(rng, 0.55, 0.25), measured=_tri(rng, 0.4, 0.3)),
        asset_register=_tri(rng, 0.35, 0.4), duty_to_advise=_tri(rng, 0.3, 0.3),
        objectives=tuple(rng.sample(list(Objective), rng.randint(0, 3))),
        margin_levers=tuple(rng.sample(list(MarginLever), rng.randint(0, 3))),
        tools=tuple(tools), data=tuple(data), documents=tuple(documents), phases=tuple(phases),
    )


def _history(rng: random.Random, n: int, contract: model.Contract, parties: list[model.Party],
             as_of: datetime.date) -> list[model.Event]:
    by_role: dict[PartyRole, list[str]] = {}
    for party in parties:
        by_role.setdefault(party.role, []).append(party.id)
    client, provider = "client", "provider"
    people = by_role.get(PartyRole.individual, [])
    troubled = rng.random() < 0.45
    kinds_pool = _ROUTINE + (_TROUBLE if troubled else [(EventKind.warning, 1), (EventKind.penalty, 1)])
    span = (as_of - contract.signed_on).days
    days = sorted(rng.randint(1, span) for _ in range(n - 1)) if span > 0 else [0] * (n - 1)
    kinds = [EventKind.signature] + [_pick(rng, kinds_pool) for _ in range(n - 1)]
    if troubled and n > 2 and rng.random() < 0.6:
        kinds[-1] = rng.choice(_ENDINGS)
    events = []
    for k, kind in enumerate(kinds):
        date = contract.signed_on + datetime.timedelta(days=0 if k == 0 else days[k - 1])
        ref = by = against = rating = outcome = None
        note = ""
        if kind is EventKind.signature:
            by = client
        elif kind in (EventKind.delivered, EventKind.accepted, EventKind.rejected):
            if contract.documents:
                ref = rng.choice(contract.documents).id
            by = provider if kind is EventKind.delivered else client
        elif kind is EventKind.service_assessment:
            ref = rng.choice(contract.tools).id if contract.tools and rng.random() < 0.4 else None
            by = rng.choice([client, client, provider])
            rating = rng.choice([Rating.poor, Rating.adequate, Rating.adequate, Rating.good])
        elif kind in (EventKind.phase_start, EventKind.phase_end, EventKind.refusal):
            if contract.phases:
                ref = rng.choice(contract.phases).id
            by = client if kind is EventKind.refusal else rng.choice([client, provider])
            against = provider if kind is EventKind.refusal else None
        elif kind is EventKind.restore_test:
            if contract.data:
                ref = rng.choice(contract.data).id
            by = rng.choice([client, provider])
            outcome = rng.choice([Outcome.passed, Outcome.passed, Outcome.failed, Outcome.unknown])
        elif kind is EventKind.reversibility_plan_test:
            by = client
            outcome = rng.choice([Outcome.passed, Outcome.failed, Outcome.unknown])
        elif kind in (EventKind.technology_change, EventKind.scope_change):
            ref = rng.choice(contract.tools).id if contract.tools and rng.random() < 0.5 else None
            by = rng.choice([client, provider])
        elif kind in (EventKind.warning, EventKind.obsolescence_claim):
            by = provider if rng.random() < 0.75 else client
            against = client if by == provider else provider
        elif kind in (EventKind.notice, EventKind.penalty, EventKind.payment_withheld, EventKind.termination):
            by, against = client, provider
        elif kind is EventKind.dispute:
            by, against = rng.choice([(client, provider), (provider, client)])
        elif kind is EventKind.liability_claim:
            by = client
            targets = [provider] + by_role.get(PartyRole.prime_contractor, []) + people
            against = rng.choice(targets)
        elif kind is EventKind.requalification_claim:
            by = rng.choice(people) if people else provider
            against = client
        elif kind in (EventKind.staff_reduction, EventKind.organisation_change):
            by = rng.choice([client, provider])
        elif kind in (EventKind.amendment, EventKind.sla_revision, EventKind.project_failed, EventKind.reversibility_start):
            by = client
        if rng.random() < 0.2:
            note = rng.choice(["Minutes of the steering committee", "Registered letter", "E-mail from the manager", "Report attached"])
        events.append(model.Event(id=f"e{k:04d}", date=date, kind=kind, ref=ref, by=by, against=against,
                                  rating=rating, outcome=outcome, note=note))
    return events


def generate_case(seed: int, index: int, events: Optional[int] = None) -> model.Case:
    """Case ``index`` of the portfolio of ``seed`` (``events`` forces the history length)."""
    rng = random.Random(seed * 1_000_003 + index)
    obj = OBJECTS[index % len(OBJECTS)]
    mode = MODES[(index // len(OBJECTS)) % len(MODES)]
    timing = TIMINGS[(index // (len(OBJECTS) * len(MODES))) % len(TIMINGS)]
    n = events if events is not None else history_length(rng)
    if not MIN_EVENTS <= n <= MAX_EVENTS * 10:
        raise ValueError(f"expected a history of {MIN_EVENTS} events or more, got {n}")
    signed_on = datetime.date(1996, 1, 1) + datetime.timedelta(days=rng.randint(0, 26 * 365))
    years = rng.randint(1, 12)
    as_of = min(LATEST, signed_on + datetime.timedelta(days=365 * years + rng.randint(0, 364)))
    parties = _parties(rng, obj, mode)
    contract = _contract(rng, index, obj, mode, timing, signed_on, parties)
    history = _history(rng, n, contract, parties, as_of)
    return model.Case(
        id=f"synthetic-{seed}-{index:06d}",
        title=Text(fr=f"Contrat synthétique {index}", en=f"Synthetic contract {index}"),
        as_of=as_of, contract=contract, parties=tuple(parties), history=tuple(history),
        tags=tuple(dict.fromkeys(("synthetic", obj.value, mode.value, timing.value))),  # a set: each value once
    )


#: The item kinds a case can hold many of, as :func:`large_case` names them.
ITEM_KINDS = ("events", "documents", "tools", "data", "assets")


def large_case(n: int, seed: int = 1, kinds: tuple[str, ...] = ITEM_KINDS) -> model.Case:
    """One contract with ``n`` of each item kind in ``kinds`` (tools, documents, data assets,
    assets, history events), drawn like the portfolio's: what growth in one case costs."""
    import attrs

    base = generate_case(seed, 7, events=MIN_EVENTS)
    rng = random.Random(seed * 7_919 + n)
    owners = [Owner.client, Owner.provider, Owner.provider, Owner.third_party, Owner.unknown]
    changes: dict[str, object] = {}
    if "tools" in kinds:
        changes["tools"] = tuple(model.Tool(
            id=f"tool-{i}", name=f"{_TOOLS[i % len(_TOOLS)][0]} {i}", purpose=_TOOLS[i % len(_TOOLS)][1], owner=rng.choice(owners),
            licence_transferable=_tri(rng, 0.3, 0.4), receiver_has_equivalent=_tri(rng, 0.3, 0.35), proprietary=_tri(rng, 0.4, 0.3),
        ) for i in range(1, n + 1))
    if "data" in kinds:
        changes["data"] = tuple(model.DataAsset(
            id=f"data-{i}", name=f"{_DATA[i % len(_DATA)]} {i}", dbms=_DBMS[i % len(_DBMS)][0], dbms_proprietary=_DBMS[i % len(_DBMS)][1],
            receiver_has_dbms=_tri(rng, 0.4, 0.35), backup_mode=rng.choice(list(BackupMode)), very_large=_tri(rng, 0.3, 0.4),
            core_business=_tri(rng, 0.5, 0.2),
        ) for i in range(1, n + 1))
    if "documents" in kinds:
        changes["documents"] = tuple(model.Document(
            id=f"doc-{i}", title=f"{_DOCUMENTS[i % len(_DOCUMENTS)]} {i}", planned_initial=_tri(rng, 0.6, 0.2),
            provider_specific=_tri(rng, 0.35, 0.35),
        ) for i in range(1, n + 1))
    if "assets" in kinds:
        changes["assets"] = tuple(model.Asset(
            id=f"asset-{i}", name=f"Server {i}", owner=rng.choice(owners), transferable=_tri(rng, 0.3, 0.4),
            needed_by_receiver=_tri(rng, 0.5, 0.2),
        ) for i in range(1, n + 1))
    contract = attrs.evolve(base.contract, **changes)
    history = tuple(_history(rng, n, contract, list(base.parties), base.as_of)) if "events" in kinds else base.history
    return attrs.evolve(base, id=f"large-{seed}-{n}", contract=contract, history=history)


def iter_portfolio(n: int, seed: int = 1, events: Optional[int] = None, start: int = 0) -> Iterator[model.Case]:
    for index in range(start, start + n):
        yield generate_case(seed, index, events)


def generate_portfolio(n: int, seed: int = 1, events: Optional[int] = None) -> list[model.Case]:
    """``n`` cases; the same seed gives the same portfolio."""
    return list(iter_portfolio(n, seed, events))


def write_files(cases: list[model.Case], directory: "str | os.PathLike[str]", suffix: str = ".yaml") -> list[str]:
    """Write cases as case files (YAML or JSON, as a user would), one per case; their paths."""
    import msgspec
    import yaml

    from reversibility_kb.case.loading import case_to_data

    paths = []
    for case in cases:
        data = msgspec.to_builtins(case_to_data(case))  # enums → values, dates → ISO text
        path = os.path.join(directory, f"{case.id}{suffix}")
        with open(path, "w", encoding="utf-8") as out:
            if suffix == ".json":
                out.write(msgspec.json.encode(data).decode())
            else:
                yaml.dump(data, out, Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True, sort_keys=False)
        paths.append(path)
    return paths


def check(cases: list[model.Case]) -> None:
    """Every case survives the round trip through the loader's validation, unchanged; and the
    portfolio covers every object and every mode/timing combination (when large enough)."""
    from reversibility_kb.case.loading import case_to_data, structure_case

    for case in cases:
        again = structure_case(case_to_data(case), case.id)
        if again != case:
            raise AssertionError(f"{case.id}: the round trip through structure_case changed the case")
        if not MIN_EVENTS <= len(case.history) <= MAX_EVENTS:
            raise AssertionError(f"{case.id}: {len(case.history)} events")
        dates = [e.date for e in case.history]
        if dates != sorted(dates):
            raise AssertionError(f"{case.id}: history not in date order")
    if len(cases) >= len(OBJECTS) * len(MODES) * len(TIMINGS):
        seen = {(c.contract.object, c.contract.reversibility.mode, c.contract.reversibility.timing) for c in cases}
        if len(seen) != len(OBJECTS) * len(MODES) * len(TIMINGS):
            raise AssertionError(f"only {len(seen)} object × mode × timing combinations")
