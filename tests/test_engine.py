"""The engine: chaining, negation, unknown, provenance, isolation, determinism."""

from __future__ import annotations

import json
import random
import threading

import attrs
import pytest

from reversibility_kb import assess
from reversibility_kb.inference.engine import Engine, EngineError, live_sessions
from reversibility_kb.inference.facts import case_facts
from reversibility_kb.case.model import Event, EventKind, Staff, Tri


def _evolve_contract(case, **changes):
    return attrs.evolve(case, contract=attrs.evolve(case.contract, **changes))


def test_chaining_three_levels(mini_rulebook, mini_case):
    assessment = assess(mini_case, mini_rulebook)
    firings = {f.rule: f for f in assessment.run.firings}
    assert firings["doc-not-accepted"].conclusion == "doc_not_accepted@manual"
    assert firings["documentation-unreliable"].matched == (("missing", "doc_not_accepted@manual"),)
    assert firings["cannot-operate"].matched == (("unreliable", "documentation_unreliable"), ("contract", "c1"))
    assert [f.id for f in assessment.findings] == ["cannot_operate"]


def test_negation_joined_to_binding_blocks_only_its_own_document(mini_rulebook, mini_case):
    conclusions = assess(mini_case, mini_rulebook).run.conclusions
    assert "doc_not_accepted@manual" in conclusions
    assert "doc_not_accepted@runbook" not in conclusions


def test_accepting_the_last_document_removes_the_whole_chain(mini_rulebook, mini_case):
    accepted = Event(id="e3", date=mini_case.history[-1].date, kind=EventKind.accepted, ref="manual")
    case = attrs.evolve(mini_case, history=mini_case.history + (accepted,))
    assessment = assess(case, mini_rulebook)
    assert not any(c.startswith("doc_not_accepted") for c in assessment.run.conclusions)
    assert "cannot_operate" not in assessment.run.conclusions
    # the stratified negation now lets the later rule fire, since cannot_operate was never derived
    assert [f.id for f in assessment.findings] == ["skills_not_evidenced"]


@pytest.mark.parametrize("seed", range(12))
def test_facts_in_any_order_give_the_same_conclusions(mini_rulebook, mini_case, seed):
    engine = Engine(mini_rulebook)
    facts = case_facts(mini_case)
    expected = engine.run(facts).conclusions
    shuffled = facts[:]
    random.Random(seed).shuffle(shuffled)
    assert engine.run(shuffled).conclusions == expected


def test_negated_conclusion_waits_for_every_derivation(mini_rulebook, mini_case):
    """skills-not-evidenced negates cannot_operate, derived three levels deep: it must not fire."""
    assessment = assess(mini_case, mini_rulebook)
    assert "skills_not_evidenced" not in assessment.run.conclusions
    assert Engine(mini_rulebook).levels["skills-not-evidenced"] == 2


def test_unknown_is_not_false(mini_rulebook, mini_case):
    unknown = _evolve_contract(mini_case, staff=Staff(transferred=Tri.yes, return_clause=Tri.yes))
    conclusions = assess(unknown, mini_rulebook).run.conclusions
    assert "skills_unknown" in conclusions
    # cannot-operate needs client_kept_skills == no: unknown must not satisfy it
    assert "cannot_operate" not in conclusions
    # "not yes" reads as "no evidence that": it does match unknown
    assert "skills_not_evidenced" in conclusions


def test_second_derivation_is_a_second_justification(mini_rulebook, mini_case):
    case = _evolve_contract(mini_case, staff=Staff(transferred=Tri.yes, return_clause=Tri.no, client_kept_skills=Tri.no))
    assessment = assess(case, mini_rulebook)
    firings = [f for f in assessment.run.firings if f.conclusion == "cannot_operate"]
    assert sorted(f.rule for f in firings) == ["cannot-operate", "cannot-operate-no-skills"]
    (finding,) = assessment.findings
    assert finding.rules == ("cannot-operate-no-skills", "cannot-operate") or finding.rules == ("cannot-operate", "cannot-operate-no-skills")
    assert finding.severity.value == "high"  # the most serious of the two rules
    graph = assessment.explain("cannot_operate")
    assert len([n for n, d in graph.nodes(data=True) if d["kind"] == "firing" and n in graph.pred["conclusion:cannot_operate"]]) == 2


def test_explanation_reaches_input_facts(mini_rulebook, mini_case):
    assessment = assess(mini_case, mini_rulebook)
    graph = assessment.explain("cannot_operate")
    roots = [n for n in graph if graph.in_degree(n) == 0]
    assert roots and all(graph.nodes[n]["kind"] == "fact" for n in roots)
    assert {"fact:manual", "fact:c1"} <= set(roots)
    assert "fact:runbook" not in graph  # accepted: not a cause
    kinds = {graph.nodes[n]["kind"] for n in graph}
    assert kinds == {"fact", "firing", "conclusion"}


def test_action_errors_are_raised_not_swallowed(mini_rulebook, mini_case, monkeypatch):
    from reversibility_kb.inference import engine as engine_module

    def failing(rule):
        def act(c):
            session = engine_module._SESSIONS[c.s.sid]
            session.errors.append(f"rule '{rule.id}': boom")

        return act

    broken = attrs.evolve(mini_rulebook, digest="0" * 64)
    monkeypatch.setattr(engine_module, "_action", failing)
    with pytest.raises(EngineError, match="boom"):
        Engine(broken).run(case_facts(mini_case))
    assert live_sessions() == 0


def test_exception_inside_action_becomes_engine_error(mini_rulebook, mini_case):
    """A fact without an id makes the real action fail inside durable_rules; we must hear of it."""
    facts = case_facts(mini_case)
    for fact in facts:
        if fact["type"] == "document":
            del fact["id"]
            fact["title"] = fact["title"] + " (no id)"
    with pytest.raises(EngineError, match="doc-not-accepted"):
        Engine(mini_rulebook).run(facts)
    assert live_sessions() == 0


def test_same_rulebook_compiles_once(mini_rulebook, mini_case):
    """Ruleset names are global in durable_rules: a second engine must reuse, not redefine."""
    from reversibility_kb.inference import engine as engine_module

    first = Engine(mini_rulebook)
    registered = set(engine_module._REGISTERED)
    second = Engine(mini_rulebook)
    assert second.name == first.name and engine_module._REGISTERED == registered
    assert second.run(case_facts(mini_case)).conclusions == first.run(case_facts(mini_case)).conclusions


def test_five_thousand_assessments_leave_no_live_session(mini_rulebook, mini_case):
    """Past durable_rules' 1024-session limit: every session must have been deleted."""
    engine = Engine(mini_rulebook)
    facts = case_facts(mini_case)
    expected = engine.run(facts).conclusions
    for _ in range(5000):
        assert live_sessions() == 0
        result = engine.run(facts)
    assert result.conclusions == expected
    assert live_sessions() == 0


def _without_documents(case):
    """The case with no planned document, and no event about one (a valid case: assess checks)."""
    documents = {d.id for d in case.contract.documents}
    bare = _evolve_contract(case, documents=())
    return attrs.evolve(bare, history=tuple(e for e in bare.history if e.ref not in documents))


def test_threads_give_the_results_of_a_sequential_run(mini_rulebook, mini_case):
    variants = [
        mini_case,
        _evolve_contract(mini_case, staff=Staff(transferred=Tri.yes, return_clause=Tri.yes)),
        _evolve_contract(mini_case, staff=Staff(transferred=Tri.yes, return_clause=Tri.no, client_kept_skills=Tri.no)),
        _without_documents(mini_case),
    ]
    sequential = [assess(case, mini_rulebook).to_dict() for case in variants]
    results: dict[tuple[int, int], dict] = {}

    def work(worker: int) -> None:
        for round_ in range(25):
            index = (worker + round_) % len(variants)
            results[(worker, round_)] = assess(variants[index], mini_rulebook).to_dict()

    threads = [threading.Thread(target=work, args=(w,)) for w in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 200
    for (worker, round_), result in results.items():
        assert result == sequential[(worker + round_) % len(variants)]
    assert live_sessions() == 0


def test_no_durable_poller_threads_are_started(mini_rulebook, mini_case):
    assess(mini_case, mini_rulebook)
    assert not [t for t in threading.enumerate() if isinstance(t, threading.Timer)]


def test_alternating_cases_never_read_freed_json(mini_rulebook, mini_case):
    """durable_rules keeps pointers into asserted JSON text; before the engine kept those texts
    alive, alternating these two cases made the negated join misfire a few times in a thousand."""
    other = _evolve_contract(mini_case, staff=Staff(transferred=Tri.yes, return_clause=Tri.yes))
    engine = Engine(mini_rulebook)
    facts = [case_facts(mini_case), case_facts(other)]
    expected = [engine.run(f).conclusions for f in facts]
    for round_ in range(1500):
        assert engine.run(facts[round_ % 2]).conclusions == expected[round_ % 2], round_


def test_facts_no_rule_matches_are_absorbed(mini_rulebook, mini_case):
    """durable_rules raises on a fact no rule matches; the sink rule absorbs them."""
    facts = case_facts(mini_case) + [{"type": "margin", "id": "margin:pooling", "lever": "pooling"}]
    assert Engine(mini_rulebook).run(facts).conclusions == Engine(mini_rulebook).run(case_facts(mini_case)).conclusions


def test_every_compiled_condition_tests_the_fact_type(mini_rulebook):
    """A condition the session-state fact can satisfy makes durable_rules loop forever."""
    from reversibility_kb.inference.engine import _definition, strata

    definition = _definition(mini_rulebook, strata(mini_rulebook.rules))
    for name, rule in definition.items():
        for condition in rule["all"]:
            (expression,) = condition.values()
            first = expression["$and"][0] if "$and" in expression else expression
            assert "type" in first or "$ex" in first and "type" in first["$ex"], (name, condition)


def test_negations_are_anchored_on_their_stage(mini_rulebook):
    from reversibility_kb.inference.engine import _definition, strata

    levels = strata(mini_rulebook.rules)
    definition = _definition(mini_rulebook, levels)
    anchored = {name for name, rule in definition.items() if "stage" in rule["all"][0]}
    assert anchored == {"doc-not-accepted", "skills-not-evidenced"}
    assert definition["skills-not-evidenced"]["all"][0]["stage"]["$and"][1] == {"n": 2}


def test_a_session_where_no_rule_fires_can_be_deleted():
    """durable_rules' delete_state frees an action context it only sets when an action runs.
    Without the opening fact, the first assessment in a fresh process of this well-drafted
    control (no rule fires on it) aborted with "free(): invalid pointer", every time."""
    from helpers import cli

    for _ in range(3):
        result = cli("assess", "control-well-drafted-transfer", "--format", "json")
        assert result.returncode == 0, result.stderr[-300:]
        assert json.loads(result.stdout)["findings"] == []


def test_every_session_starts_with_the_opening_action(mini_rulebook, mini_case, monkeypatch):
    from reversibility_kb.inference import engine as engine_module

    opened: list[str] = []
    original = engine_module._opener

    def counting():
        rule = original()
        rule["run"] = lambda c: opened.append(c.s.sid)
        return rule

    monkeypatch.setattr(engine_module, "_opener", counting)
    engine = Engine(attrs.evolve(mini_rulebook, digest="1" * 64))
    for _ in range(3):
        engine.run([{"type": "contract", "id": "c", "staff_client_kept_skills": "yes"}], subject="c")
    assert len(opened) == 3 and len(set(opened)) == 3
