"""The principles of docs/writing-rules.md, checked on the whole rulebook and on every worked case.

Unknown is a question, never a high finding; a finding cites what fired in this case; no field of
the fact model is decorative.
"""

from __future__ import annotations

import datetime
import enum
import itertools
import re
import typing
from pathlib import Path

import attrs
import pytest

from reversibility_kb import assess, default_rulebook, load_case
from reversibility_kb.case import model as m
from reversibility_kb.case.catalogue import bundled_cases
from reversibility_kb.inference.facts import DERIVED
from reversibility_kb.case.model import Severity

RULEBOOK = default_rulebook()
CASES = bundled_cases()


def _everything_unknown(obj: m.OutsourcedObject, mode: m.ApplicationMode, exit_mode: m.ReversibilityMode, timing: m.Timing) -> m.Case:
    """A case where only what a case file must say is known: the object, who the parties are, one
    item of every kind (each attribute unknown), no history. Every rule is tried against it."""
    parties = tuple(m.Party(id=f"p-{role.value}", role=role, name=role.value) for role in m.PartyRole)
    contract = m.Contract(
        id="c",
        signed_on=datetime.date(2020, 1, 1),
        object=obj,
        application_mode=mode,
        client="p-client",
        provider="p-provider",
        reversibility=m.Reversibility(mode=exit_mode, timing=timing),
        tools=tuple(m.Tool(id=f"t-{p.value}", name=p.value, purpose=p) for p in m.ToolPurpose),
        data=(m.DataAsset(id="d", name="data"),),
        documents=(m.Document(id="doc", title="document"),),
        phases=tuple(m.Phase(id=f"ph-{loc.value}", name=loc.value, order=i, location=loc) for i, loc in enumerate(m.Location)),
        assets=tuple(m.Asset(id=f"a-{k.value}", name=k.value, kind=k) for k in m.AssetKind),
        scope=(m.ScopeItem(id="s", name="scope item"),),
    )
    return m.Case(id="unknowns", title=m.Text("inconnu", "unknown"), as_of=datetime.date(2026, 1, 1), contract=contract, parties=parties)


def _application_modes(obj: m.OutsourcedObject) -> list[m.ApplicationMode]:
    if obj is m.OutsourcedObject.critical_application:
        return [mode for mode in m.ApplicationMode if mode is not m.ApplicationMode.not_applicable]
    return [m.ApplicationMode.not_applicable]


UNKNOWN_CASES = [
    (obj, mode, exit_mode, timing)
    for obj in m.OutsourcedObject
    for mode in _application_modes(obj)
    for exit_mode, timing in itertools.product(m.ReversibilityMode, m.Timing)
]


@pytest.mark.parametrize("obj, mode, exit_mode, timing", UNKNOWN_CASES)
def test_unknown_facts_alone_never_give_a_high_finding(obj, mode, exit_mode, timing):
    findings = assess(_everything_unknown(obj, mode, exit_mode, timing)).findings
    assert [f.id for f in findings if f.severity is Severity.high] == []


def test_what_unknown_facts_give_is_a_question_to_establish():
    """Across every combination, what fires on unknowns is a low 'to be established' finding, or a
    finding about what *is* known (the mode, the timing, the object) — never one that reads an
    unknown as 'no'. The gate: every such finding's rule tests the unknown value explicitly or
    tests only known structure."""
    seen: dict[str, Severity] = {}
    for combination in UNKNOWN_CASES:
        for finding in assess(_everything_unknown(*combination)).findings:
            seen[finding.id] = finding.severity
    to_establish = {fid for fid in seen if "to_establish" in fid}
    assert to_establish, "the all-unknown cases should raise questions to establish"
    assert all(seen[fid] in (Severity.low, Severity.medium) for fid in to_establish)
    # the former 'unknown read as no' findings stay silent on unknowns
    for former in ("asset_ownership_unclear", "operating_tools_locked_in", "reinternalisation_without_skills",
                   "phase_transition_dispute", "obsolescence_defence_unsupported", "data_deliverable_unusable"):
        assert not any(fid.split("@")[0] == former for fid in seen), former


def _fired(assessment) -> set[str]:
    return {firing.rule for firing in assessment.run.firings}


@pytest.mark.parametrize("case_id", sorted(CASES))
def test_a_finding_cites_only_what_fired_in_this_case(case_id):
    assessment = assess(load_case(CASES[case_id]))
    rulebook = assessment.rulebook
    fired = [rulebook.rule(r) for r in _fired(assessment)]
    sources = {s for rule in fired for s in rule.sources}
    practices = {p for rule in fired for p in rule.practices}
    for finding in assessment.findings:
        assert set(finding.sources) <= sources, finding.id
        assert set(finding.practices) <= practices, finding.id
        own = {s for r in finding.rules for s in rulebook.rule(r).sources}
        assert own <= set(finding.sources), finding.id


def test_the_contract_silent_finding_cites_the_practice_of_its_own_trigger():
    """The same conclusion reached through different gaps cites different rules of the art: a
    court-ordered transition (N1) is not a phase gate (S8) nor an exit condition (S9)."""
    ump = assess(load_case(CASES["real-ump-oracle-crm-export"])).finding("contract_silent_on_dispute")
    s8 = assess(load_case(CASES["s8-staged-pooling"])).finding("contract_silent_on_dispute")
    assert "transition-sized" in ump.practices and "phase-acceptance" not in ump.practices
    assert "phase-acceptance" in s8.practices and "transition-sized" not in s8.practices
    assert "S8.a" in s8.sources and "S8.a" not in ump.sources


# --- No decorative field -------------------------------------------------------------------------

_FACT_TYPES = {
    m.Contract: ("contract", ""), m.Tool: ("tool", ""), m.DataAsset: ("data", ""), m.Document: ("document", ""),
    m.Phase: ("phase", ""), m.Asset: ("asset", ""), m.ScopeItem: ("scope", ""), m.Party: ("party", ""), m.Event: ("event", ""),
}
_PATHS = {
    m.Case: "", m.Contract: "contract.", m.Tool: "contract.tools[].", m.DataAsset: "contract.data[].",
    m.Document: "contract.documents[].", m.Phase: "contract.phases[].", m.Asset: "contract.assets[].",
    m.ScopeItem: "contract.scope[].", m.Party: "parties[].", m.Event: "history[].",
}


def _model_fields() -> list[tuple[str, str, str]]:
    """(case-file path, fact type, fact attribute) of every scalar field a case can state."""
    out = []

    def walk(cls: type, path: str, fact: str, prefix: str) -> None:
        hints = typing.get_type_hints(cls, vars(m))
        for field in attrs.fields(cls):
            kind = hints[field.name]
            args = [a for a in typing.get_args(kind) if a is not type(None)]
            inner = args[0] if typing.get_origin(kind) in (typing.Union, getattr(__import__("types"), "UnionType")) and len(args) == 1 else kind
            if field.metadata.get("descriptive"):
                continue
            if inner is m.Text:
                continue
            if attrs.has(inner) and inner not in _PATHS:
                walk(inner, f"{path}{field.name}.", fact, f"{prefix}{field.name}_")
            elif typing.get_origin(inner) is tuple:
                item = typing.get_args(inner)[0]
                if attrs.has(item) and item in _PATHS:
                    walk(item, _PATHS[item], _FACT_TYPES.get(item, ("", ""))[0], "")
                else:
                    out.append((f"{path}{field.name}", fact, f"{prefix}{field.name}"))
            elif not attrs.has(inner):
                out.append((f"{path}{field.name}", fact, f"{prefix}{field.name}"))

    walk(m.Case, "", "case", "")
    return sorted(set(out))


#: Fields that identify or name things: they are how the file refers to its parts, not facts rules weigh.
_IDENTITY = re.compile(r"(^|\.|\])(id|name|title|narrative|tags|expected|note|description|condition|object_detail|dbms|client|provider)$")


def _read_by_a_report(path: str) -> bool:
    """The court file (exhibits, contested facts, mission, dires) feeds the report, not the rules:
    such a field counts as read when a report module reads that attribute."""
    sources = "".join(p.read_text(encoding="utf-8") for p in REPORT_MODULES)
    names = [part.strip("[]") for part in re.split(r"\.", path) if part]
    return path.split(".")[0].split("[")[0] in ("exhibits", "contested", "mission", "dires") and all(
        re.search(rf"\.{re.escape(name.replace('[]', ''))}\b", sources) for name in names
    )


REPORT_MODULES = sorted((Path(__file__).parent.parent / "reversibility_kb").rglob("*report*.py"))


def test_no_field_of_the_model_is_decorative():
    tested: set[tuple[str, str]] = {(p.fact, t.attribute) for r in RULEBOOK.rules for p in r.when for t in p.tests}
    refs = {(p.fact, t.value[1]) for r in RULEBOOK.rules for p in r.when for t in p.tests if t.op == "ref"}
    questions = {re.sub(r"\[[^\]]*\]", "[]", path) for path in RULEBOOK.questions}
    derived_from = {source for attribute, sources in DERIVED.items() if any(a == attribute for _, a in tested) for source in sources}
    decorative = []
    for path, fact, attribute in _model_fields():
        if _IDENTITY.search(path) or path.startswith(("title", "as_of", "expected", "schema_version")):
            continue
        if (fact, attribute) in tested or (fact, attribute) in refs or path in questions or path in derived_from:
            continue
        if _read_by_a_report(path):
            continue
        decorative.append(path)
    assert decorative == [], "read by no rule, no question and no derived fact; mark them descriptive or use them"
