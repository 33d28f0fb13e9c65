"""Rule packs of today's law, and rules dated by the case's relevant date (issue 10)."""

from __future__ import annotations

import datetime
import json
import shutil

import attrs
import pytest
from helpers import ROOT, cli

from reversibility_kb import assess, load_case, load_rulebook
from reversibility_kb.inference.assessment import rulebook_for
from reversibility_kb.inference.dating import day_number, from_day_number
from reversibility_kb.tools.explaining import why, why_not, why_not_text, why_text
from reversibility_kb.inference.facts import case_facts
from reversibility_kb.case.model import EventKind
from reversibility_kb.inference.packs import available_packs, use_packs
from reversibility_kb.case.resources import rules_dir
from reversibility_kb.inference.rulebook import LEGAL_ID, RuleError

PACKS = ("data-act", "dora", "eba", "fr-labour", "fr-public", "gdpr")
CLOUD = ROOT / "cases" / "pack-data-act-2019-cloud-2026.yaml"


@pytest.fixture(scope="module")
def all_packs():
    return load_rulebook(rules_dir(), packs=PACKS)


def _with_termination(case, date):
    """The case with its termination (and notice) moved to ``date``, or removed (``None``)."""
    history = tuple(e for e in case.history if e.kind not in (EventKind.termination, EventKind.notice))
    if date is not None:
        history += tuple(attrs.evolve(e, date=date) for e in case.history if e.kind is EventKind.termination)
    as_of = max(case.as_of, date) if date else case.as_of
    # a valid case (assess checks): events stay in date order
    return attrs.evolve(case, history=tuple(sorted(history, key=lambda e: e.date)), as_of=as_of)


def test_the_six_law_packs_and_the_drafting_pack_are_shipped():
    assert available_packs(rules_dir()) == tuple(sorted((*PACKS, "drafting")))
    drafting = load_rulebook(rules_dir(), packs=("drafting",))
    for rule in (r for r in drafting.rules if r.pack):
        assert rule.practices and rule.in_force is not None and rule.in_force.date == "signature", rule.id


def test_every_pack_rule_cites_an_article_and_is_dated(all_packs):
    pack_rules = [r for r in all_packs.rules if r.pack]
    assert {r.pack for r in pack_rules} == set(PACKS)
    for rule in pack_rules:
        assert any(LEGAL_ID.match(s) for s in rule.sources), rule.id
        assert all(s in all_packs.seed for s in rule.sources), rule.id
        assert rule.in_force is not None and rule.in_force.version, rule.id
        assert rule.title.fr != rule.title.en and rule.recommendation is not None


def test_unknown_facts_never_yield_more_than_a_low_pack_finding(all_packs):
    for rule in (r for r in all_packs.rules if r.pack):
        asks_unknown = any(
            (t.op == "eq" and t.value == "unknown") or (t.op == "exists" and t.value is False and t.attribute != "termination_day")
            for p in rule.when
            for t in p.tests
        )
        if asks_unknown:
            assert rule.severity.value == "low", rule.id


def test_packs_are_off_by_default_and_a_case_can_declare_them():
    case = load_case(CLOUD)
    plain = assess(case, load_rulebook(rules_dir()))
    assert not any(f.rule.startswith("da-") for f in plain.findings)
    declared = assess(case)
    assert "switching_charges_above_costs" in {f.id for f in declared.findings}
    assert rulebook_for(case).digest != plain.rulebook.digest


def test_dated_rule_follows_the_date_of_termination():
    case = load_case(CLOUD)

    def found(date):
        return {f.id for f in assess(_with_termination(case, date)).findings}

    in_2026 = found(datetime.date(2026, 3, 2))
    assert "switching_charges_above_costs" in in_2026 and "switching_charges_after_2027" not in in_2026
    in_2027 = found(datetime.date(2027, 2, 1))
    assert "switching_charges_after_2027" in in_2027 and "switching_charges_above_costs" not in in_2027
    # the cap has been applicable since 12 September 2025 only: an exit the day before escapes it
    assert not {"switching_charges_above_costs", "switching_charges_after_2027"} & found(datetime.date(2025, 9, 11))
    # a rule dated by an unknown date does not apply
    assert not {"switching_charges_above_costs", "switching_charges_after_2027", "switching_charges_to_establish"} & found(None)


def test_clause_rules_follow_the_date_of_the_analysis():
    case = load_case(CLOUD)
    running = _with_termination(case, None)
    # the file as it stood on 11 September 2025 (a valid case: no event after its as-of date)
    history = tuple(e for e in running.history if e.date <= datetime.date(2025, 9, 11))
    before = attrs.evolve(running, history=history, as_of=datetime.date(2025, 9, 11))
    after = attrs.evolve(before, as_of=datetime.date(2025, 9, 12))
    assert "switching_notice_too_long" not in {f.id for f in assess(before).findings}
    assert "switching_notice_too_long" in {f.id for f in assess(after).findings}


def test_contract_fact_carries_day_numbers():
    case = load_case(CLOUD)
    contract = case_facts(case)[0]
    assert contract["signature_day"] == day_number(datetime.date(2019, 6, 3))
    assert from_day_number(contract["termination_day"]) == datetime.date(2026, 3, 2)
    assert from_day_number(contract["as_of_day"]) == case.as_of
    assert "notice_day" not in case_facts(_with_termination(case, None))[0]


def test_why_shows_the_date_and_the_version():
    assessment = assess(load_case(CLOUD))
    answer = why(assessment, "switching_charges_above_costs", "summary")
    text = why_text(answer, "en")
    assert "the date of the first termination = 2026-03-02" in text
    assert "in force from 2025-09-12 to 2027-01-12, by the date of termination" in text
    assert "art. 29(2)" in text
    step = answer.to_dict("fr")["steps"][0]
    assert step["in_force"] == {"from": "2025-09-12", "to": "2027-01-12", "date": "termination", "version": assessment.rulebook.rule("da-charges-above-direct-costs").in_force.version}
    assert "en vigueur du 2025-09-12 au 2027-01-12" in why_text(answer, "fr")
    missing = why_not_text(why_not(assessment, "da-charges-after-2027"), "en")
    assert "the date of the first termination ≥ 2027-01-12 (value: 2026-03-02)" in missing


def test_law_changed_between_signature_and_termination():
    """The 2019 cloud contract meets the Data Act at its 2026 exit; the same kind of exit in 2024 does not."""
    found_2026 = {f.id for f in assess(load_case(CLOUD)).findings}
    assert {"switching_notice_too_long", "exportable_data_not_listed", "no_transitional_period", "switching_charges_above_costs"} <= found_2026
    found_2024 = {f.id for f in assess(load_case(ROOT / "cases" / "pack-data-act-exit-2024.yaml")).findings}
    assert not any(f in found_2024 for f in found_2026 if f not in ("early_exit_unplanned", "no_reversibility_plan"))


def test_eba_then_dora():
    """A 2023 bank exit is judged by the EBA guidelines; moved to 2026, by DORA and no longer by them."""
    case = load_case(ROOT / "cases" / "pack-eba-exit-2023.yaml")
    in_2023 = {f.id for f in assess(case).findings}
    assert "eba_no_exit_strategy" in in_2023 and "dora_no_exit_plan" not in in_2023
    later = attrs.evolve(_with_termination(case, datetime.date(2026, 1, 5)), as_of=datetime.date(2026, 2, 1))
    in_2026 = {f.id for f in assess(later).findings}
    assert "dora_no_exit_plan" in in_2026 and "eba_no_exit_strategy" not in in_2026


def test_unknown_pack_is_one_line_error():
    with pytest.raises(RuleError) as error:
        load_rulebook(rules_dir(), packs=("nis2",))
    assert "expected a rule pack among data-act, dora" in str(error.value) and "\n" not in str(error.value)


def test_bad_in_force_is_refused_with_file_rule_and_field(tmp_path):
    rules = tmp_path / "rules"
    shutil.copytree(rules_dir(), rules)
    target = rules / "packs" / "gdpr" / "return.yaml"
    target.write_text(target.read_text().replace("in_force: {from: 2018-05-25, date: exit", "in_force: {from: 2018-05-25, to: 2017-01-01, date: exit", 1))
    with pytest.raises(RuleError) as error:
        load_rulebook(rules, packs=("gdpr",))
    message = str(error.value)
    assert "return.yaml" in message and "gdpr-no-return-or-deletion-clause" in message and "in_force" in message
    assert "expected 'to' after 'from'" in message
    target.write_text(target.read_text().replace("to: 2017-01-01, date: exit", "date: someday"))
    with pytest.raises(RuleError, match="expected 'date' to be one of signature, notice, termination, as_of, exit"):
        load_rulebook(rules, packs=("gdpr",))


def test_use_packs_is_scoped():
    from reversibility_kb.inference.assessment import default_rulebook

    with use_packs(("gdpr",)):
        assert any(r.pack == "gdpr" for r in default_rulebook().rules)
    assert not any(r.pack for r in default_rulebook().rules)


def test_rules_verb_lists_a_pack_with_its_articles():
    result = cli("rules", "--pack", "dora", "--format", "json")
    assert result.returncode == 0, result.stderr
    rows = [r for r in json.loads(result.stdout) if r["pack"] == "dora"]
    assert {r["id"] for r in rows} >= {"dora-no-exit-plan", "dora-no-transition-period", "dora-exit-plan-untested"}
    for row in rows:
        assert any(LEGAL_ID.match(s) for s in row["sources"]) and row["in_force"]["from"] == "2025-01-17"
    plain = json.loads(cli("rules", "--format", "json").stdout)
    assert not any(r["pack"] for r in plain)


def test_assess_verb_adds_a_pack(tmp_path):
    case = tmp_path / "cloud.yaml"
    case.write_text(CLOUD.read_text().replace("    packs: [data-act]\n", "").replace("id: pack-data-act-2019-cloud-2026", "id: cloud"))
    without = json.loads(cli("assess", str(case), "--format", "json").stdout)
    assert "switching_charges_above_costs" not in {f["id"] for f in without["findings"]}
    result = cli("assess", str(case), "--pack", "data-act", "--format", "json")
    assert result.returncode == 0, result.stderr
    assert "switching_charges_above_costs" in {f["id"] for f in json.loads(result.stdout)["findings"]}
    why_result = cli("why", str(case), "switching_charges_above_costs", "--pack", "data-act", "--lang", "fr")
    assert "en vigueur du 2025-09-12" in why_result.stdout
    bad = cli("assess", str(case), "--pack", "nis2")
    assert bad.returncode == 2 and "nis2" in bad.stderr


def test_drafting_rules_stay_silent_on_a_case_with_history():
    """Before signature a missing provision is missing; in a dispute, unknown stays a question."""
    case = load_case(ROOT / "cases" / "control-unknowns.yaml")
    with use_packs(("drafting",)):
        found = assess(case).findings
    assert not any(f.rule.startswith("draft-") for f in found)
    draft = attrs.evolve(case, history=())
    with use_packs(("drafting",)):
        assert any(f.rule.startswith("draft-") and f.severity.value == "high" for f in assess(draft).findings)


def test_a_pack_brings_its_investigation_questions():
    from reversibility_kb.tools.questions import questions

    asked = {q.path: q for q in questions(assess(load_case(ROOT / "cases" / "pack-fr-labour-cio.yaml")))}
    question = asked["contract.regulatory.autonomous_entity"]
    assert "staff_entity_to_establish" in question.findings
    assert question.text.fr != question.text.en


def test_every_law_pack_rule_is_exercised_by_a_worked_case(all_packs):
    from reversibility_kb.case.catalogue import bundled_cases

    fired = set()
    for path in bundled_cases().values():
        case = load_case(path)
        if case.contract.regulatory.packs:
            fired |= {f.rule for f in assess(case).run.firings}
    assert sorted(r.id for r in all_packs.rules if r.pack and r.id not in fired) == []


def test_exit_date_is_termination_else_the_analysis():
    """A contract that ended before the Data Act applied is not judged by it, even assessed in 2026."""
    case = load_case(CLOUD)
    ended_2024 = attrs.evolve(_with_termination(case, datetime.date(2024, 6, 3)), as_of=datetime.date(2026, 5, 4))
    assert case_facts(ended_2024)[0]["exit_day"] == day_number(datetime.date(2024, 6, 3))
    assert "switching_notice_too_long" not in {f.id for f in assess(ended_2024).findings}
    running = _with_termination(case, None)
    assert case_facts(running)[0]["exit_day"] == day_number(running.as_of)
    assert "switching_notice_too_long" in {f.id for f in assess(running).findings}


def test_every_rule_of_the_art_is_dated():
    from reversibility_kb.inference.assessment import default_rulebook

    practices = default_rulebook().practices.values()
    assert practices and all(p.in_force is not None and p.in_force.version for p in practices)
