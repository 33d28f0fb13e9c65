"""The court expert's file: exhibits, contested facts, mission and dires in the case model, the
reasoning and ``assess --format json``."""

from __future__ import annotations

import json

import networkx as nx
import pytest
import yaml
from helpers import ROOT, cli

from reversibility_kb.tools import positions as positions_module
from reversibility_kb.inference.assessment import assess
from reversibility_kb.inference.exhibits import exhibit_node
from reversibility_kb.case.loading import CaseError, load_case, structure_case
from reversibility_kb.tools.positions import positions
from reversibility_kb.inference.provenance import conclusion_node, fact_node

CASE = ROOT / "cases" / "court-s8-servers-contested.yaml"


def _data() -> dict:
    return yaml.safe_load(CASE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def assessment():
    return assess(load_case(CASE))


def test_worked_case_loads_with_its_register(assessment):
    case = assessment.case
    assert [e.number for e in case.exhibits] == ["P-1", "P-2", "P-3", "P-4", "D-1", "D-2", "D-3"]
    assert case.mission is not None and [q.id for q in case.mission.questions] == ["q1", "q2", "q3", "q4"]
    assert case.contested[0].path == "contract.phases[onsite].asset_inventory"
    assert [d.id for d in case.dires] == ["dire-c1", "dire-p1", "dire-c2", "dire-p2"]


@pytest.mark.parametrize(
    "edit, path, expected",
    [
        (lambda d: d["history"][2].update(exhibits=["P-9"]), "history[2].exhibits[0]", "got 'P-9'"),
        (lambda d: d["exhibits"][0].update(party="nobody"), "exhibits[0].party", "expected the id of a party"),
        (lambda d: d["exhibits"][1].update(number="P-1"), "exhibits[1]", "unique exhibit number"),
        (lambda d: d["contested"][0]["versions"][0].update(party="x"), "contested[0].versions[0].party", "got 'x'"),
        (lambda d: d["contested"][0]["versions"][1].update(exhibits=["Z"]), "contested[0].versions[1].exhibits[0]", "got 'Z'"),
        (lambda d: d["contested"][0].update(path="contract phases"), "contested[0].path", "case-file path"),
        (lambda d: d["dires"][3].update(recaps=["dire-c1"]), "dires[3].recaps[0]", "earlier dire of the same party"),
        (lambda d: d["dires"][0].update(party="judge"), "dires[0].party", "got 'judge'"),
        (lambda d: d["mission"]["diligences"][0].update(parties=["ghost"]), "mission.diligences[0].parties[0]", "got 'ghost'"),
        (lambda d: d["exhibits"][5].update(sha256="abc"), "exhibits[5].sha256", "SHA-256"),
    ],
)
def test_bad_references_are_one_line_errors(edit, path, expected):
    data = _data()
    edit(data)
    with pytest.raises(CaseError) as error:
        structure_case(data, "case.yaml")
    message = str(error.value)
    assert "\n" not in message and path in message and expected in message, message


def test_bad_reference_exits_2_on_the_command_line(tmp_path):
    data = _data()
    data["history"][0]["exhibits"] = ["P-99"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli("assess", str(bad))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "history[0].exhibits[0]" in result.stderr and "P-99" in result.stderr


def test_existing_cases_carry_empty_court_fields():
    data = assess(load_case(ROOT / "cases" / "s8-staged-pooling.yaml")).to_dict("en")
    for finding in data["findings"]:
        assert finding["exhibits"] == [] and finding["contested"] == [] and finding["exhibits_not_communicated"] == []


def test_findings_rest_on_exhibits_through_their_whole_justification(assessment):
    data = {f["id"]: f for f in assessment.to_dict("en")["findings"]}
    # The obsolescence question goes through an intermediate conclusion down to the provider's
    # letter D-1 (the claim) and the contract P-1 (the phase, with no inventory on file).
    assert data["obsolescence_defence_to_establish"]["exhibits"] == ["P-1", "D-1"]
    # The client's e-mail P-2 was not communicated to the provider: CPC art. 16 flag.
    assert "P-2" in data["poor_service_unmeasurable"]["exhibits"]
    assert data["poor_service_unmeasurable"]["exhibits_not_communicated"] == ["P-2"]
    assert data["obsolescence_defence_to_establish"]["exhibits_not_communicated"] == []


def test_graph_runs_from_findings_down_to_exhibits(assessment):
    graph = assessment.graph
    below = nx.ancestors(graph, conclusion_node("obsolescence_defence_to_establish"))
    assert exhibit_node("D-1") in below and exhibit_node("P-1") in below
    assert exhibit_node("P-2") not in below
    assert graph.has_edge(exhibit_node("D-1"), fact_node("e-obsolete"))
    assert graph.nodes[exhibit_node("D-1")]["kind"] == "exhibit"
    # The engine's facts do not carry exhibits.
    assert all("exhibits" not in fact for fact in assessment.run.facts)


def test_contested_fact_decides_the_obsolescence_findings(assessment):
    data = {f["id"]: f for f in assessment.to_dict("en")["findings"]}
    # On the file as it stands (no version accepted) the inventory is a question: whichever
    # version the court accepts, the question is settled and the finding falls.
    assert data["obsolescence_defence_to_establish"]["contested"] == [
        {"id": "servers-condition", "path": "contract.phases[onsite].asset_inventory", "present_under": [], "absent_under": ["exploit-plus", "negoce-btp"]}
    ]
    # The dispute over the move between phases does not turn on the record of condition.
    assert data["phase_transition_dispute"]["contested"] == []
    assert "obsolescence_defence_unsupported" not in data
    result = positions(assessment)
    assert (result.combinations, result.assessed, result.cut) == (2, 2, False)
    # Under the client's version (no record), the provider's argument is unsupported.
    [dependence] = result.only_under["obsolescence_defence_unsupported"]
    assert (dependence.present_under, dependence.absent_under) == (("negoce-btp",), ("exploit-plus",))


def test_combinations_are_capped_and_the_cut_is_said(monkeypatch):
    data = _data()
    data["contested"].append(
        {
            "id": "transition",
            "path": "contract.reversibility.transition_months",
            "label": {"fr": "la durée de la transition", "en": "the length of the transition"},
            "versions": [{"party": "exploit-plus", "value": "3"}, {"party": "negoce-btp", "value": "0"}],
        }
    )
    monkeypatch.setattr(positions_module, "MAX_ASSESSMENTS", 3)
    result = positions(assess(structure_case(data, "case.yaml")))
    assert (result.combinations, result.assessed, result.cut) == (4, 3, True)


def test_a_version_the_loader_refuses_names_where_it_comes_from():
    data = _data()
    data["contested"][0]["versions"][0]["value"] = "maybe"
    with pytest.raises(CaseError) as error:
        positions(assess(structure_case(data, "case.yaml")))
    assert "contested[0].versions[0].value" in str(error.value) and "asset_inventory" in str(error.value)


def test_assess_json_on_the_command_line():
    result = cli("assess", str(CASE), "--format", "json")
    assert result.returncode == 0, result.stderr
    findings = {f["id"]: f for f in json.loads(result.stdout)["findings"]}
    assert findings["obsolescence_defence_to_establish"]["contested"][0]["absent_under"] == ["exploit-plus", "negoce-btp"]
    assert findings["phase_transition_dispute"]["exhibits"] == ["P-1", "P-2", "P-3"]
