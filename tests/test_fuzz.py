"""Property-based tests: any fact base within the schema assesses without crashing,
deterministically, and every finding's explanation reaches input facts."""

from __future__ import annotations

import datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reversibility_kb import assess
from reversibility_kb.case import model
from reversibility_kb.case.loading import structure_case


def _enum(kind: type) -> st.SearchStrategy[str]:
    return st.sampled_from([m.value for m in kind])


TRI = _enum(model.Tri)
START = datetime.date(1990, 1, 1)


@st.composite
def cases(draw: st.DrawFn) -> dict:
    signed = START + datetime.timedelta(days=draw(st.integers(0, 9000)))
    as_of = signed + datetime.timedelta(days=draw(st.integers(0, 4000)))
    roles = ["client", "provider"] + draw(st.lists(_enum(model.PartyRole), max_size=3))
    parties = [
        {"id": f"p{i}", "role": role, "name": f"Party {i}", "embedded_in_client": draw(TRI), "under_client_authority": draw(TRI)}
        for i, role in enumerate(roles)
    ]
    tools = [
        {"id": f"t{i}", "name": f"Tool {i}", "purpose": draw(_enum(model.ToolPurpose)), "owner": draw(_enum(model.Owner)),
         "licence_transferable": draw(TRI), "receiver_has_equivalent": draw(TRI)}
        for i in range(draw(st.integers(0, 3)))
    ]
    data = [
        {"id": f"d{i}", "name": f"Data {i}", "dbms_proprietary": draw(TRI), "receiver_has_dbms": draw(TRI),
         "backup_mode": draw(_enum(model.BackupMode)), "core_business": draw(TRI)}
        for i in range(draw(st.integers(0, 2)))
    ]
    documents = [
        {"id": f"doc{i}", "title": f"Doc {i}", "planned_initial": draw(TRI), "provider_specific": draw(TRI)}
        for i in range(draw(st.integers(0, 3)))
    ]
    phases = [
        {"id": f"ph{i}", "name": f"Phase {i}", "order": i, "location": draw(_enum(model.Location)),
         "acceptance_criteria": draw(TRI), "service_levels_defined": draw(TRI), "asset_inventory": draw(TRI)}
        for i in range(draw(st.integers(0, 2)))
    ]
    refs = [None] + [x["id"] for x in tools + data + documents + phases + parties]
    days = sorted(draw(st.lists(st.integers(0, (as_of - signed).days), max_size=25)))
    history = [
        {"id": f"e{i}", "date": (signed + datetime.timedelta(days=d)).isoformat(), "kind": draw(_enum(model.EventKind)),
         "ref": draw(st.sampled_from(refs)), "by": draw(st.sampled_from([None] + [p["id"] for p in parties])),
         "rating": draw(st.sampled_from([None] + [m.value for m in model.Rating])),
         "outcome": draw(st.sampled_from([None] + [m.value for m in model.Outcome]))}
        for i, d in enumerate(days)
    ]
    history = [{k: v for k, v in e.items() if v is not None} for e in history]
    reversibility = {
        "mode": draw(_enum(model.ReversibilityMode)), "timing": draw(_enum(model.Timing)), "trigger": draw(_enum(model.Trigger)),
        "plan": draw(TRI), "assistance_priced": draw(TRI),
        "deliverable": {"backup_mode": draw(_enum(model.BackupMode)), "format": draw(_enum(model.DataFormat)),
                        "usability_specified": draw(TRI), "restore_test_required": draw(TRI)},
    }
    if draw(st.booleans()):
        reversibility["transition_months"] = draw(st.integers(0, 24))
    if reversibility["trigger"] == "condition" and draw(st.booleans()):
        reversibility["condition_controlled_by"] = draw(st.sampled_from([p["id"] for p in parties]))
    return {
        "id": "fuzz",
        "title": {"fr": "Cas généré", "en": "Generated case"},
        "as_of": as_of.isoformat(),
        "parties": parties,
        "contract": {
            "id": "contract", "signed_on": signed.isoformat(), "object": draw(_enum(model.OutsourcedObject)),
            "application_mode": draw(_enum(model.ApplicationMode)), "client": "p0", "provider": "p1",
            "reversibility": reversibility,
            "staff": {"transferred": draw(TRI), "return_clause": draw(TRI), "knowledge_transfer_clause": draw(TRI), "client_kept_skills": draw(TRI)},
            "service_levels": {"defined": draw(TRI), "measured": draw(TRI)},
            "asset_register": draw(TRI),
            "objectives": draw(st.lists(_enum(model.Objective), unique=True)),
            "margin_levers": draw(st.lists(_enum(model.MarginLever), unique=True)),
            "tools": tools, "data": data, "documents": documents, "phases": phases,
        },
        "history": history,
    }


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_generated_fact_bases_assess_deterministically_with_explanations(data):
    case = structure_case(data, "generated.yaml")
    first, second = assess(case), assess(case)
    assert first.to_dict() == second.to_dict()
    for finding in first.findings:
        graph = first.explain(finding.id)
        roots = [n for n in graph if graph.in_degree(n) == 0]
        assert roots and all(graph.nodes[n]["kind"] == "fact" for n in roots)
