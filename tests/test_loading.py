"""Case files: YAML and JSON load into the same validated model; errors say where and what."""

from __future__ import annotations

import json

import pytest
import yaml
from helpers import DATA, ROOT

from reversibility_kb import CaseError, load_case
from reversibility_kb.loading import case_to_data, structure_case
from reversibility_kb.model import Tri


def test_yaml_and_json_give_the_same_case(tmp_path):
    case = load_case(ROOT / "cases" / "s7-donor-database.yaml")
    path = tmp_path / "same.json"
    path.write_text(json.dumps(case_to_data(case), ensure_ascii=False), encoding="utf-8")
    assert load_case(path) == case


def test_bare_yaml_yes_no_read_as_three_valued():
    case = load_case(DATA / "mini_case.yaml")
    assert case.contract.staff.transferred is Tri.yes
    assert case.contract.staff.knowledge_transfer_clause is Tri.unknown  # absent means unknown, not no


def _mini() -> dict:
    return yaml.safe_load((DATA / "mini_case.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("mutate", "path", "expected"),
    [
        (lambda d: d["contract"].update(object="infrastucture"), "contract.object", "did you mean 'infrastructure'"),
        (lambda d: d["contract"].setdefault("reversibility", {}).update(transition_months="six"), "contract.reversibility.transition_months", "expected a whole number"),
        (lambda d: d["contract"].update(signed_on="2020-13-01"), "contract.signed_on", "expected a date"),
        (lambda d: d["title"].pop("en"), "title.en", "required field missing"),
        (lambda d: d["contract"]["documents"].append({"id": "runbook", "title": "Again"}), "contract.documents[2].id", "unique id"),
        (lambda d: d["history"][0].update(ref="nowhere"), "history[0].ref", "'nowhere'"),
        (lambda d: d["history"][1].update(date="2019-01-01"), "history[1].date", "date order"),
        (lambda d: d["contract"].update(colour="blue"), "contract", 'unknown field "colour"'),
    ],
)
def test_errors_name_the_path_and_what_was_expected(mutate, path, expected):
    data = _mini()
    mutate(data)
    with pytest.raises(CaseError) as info:
        structure_case(data, "case.yaml")
    message = str(info.value)
    assert message.startswith(f"case.yaml: {path}: ")
    assert expected in message
    assert "\n" not in message


def test_round_trip_through_plain_data():
    case = load_case(ROOT / "cases" / "s9-outsourced-cio.yaml")
    assert structure_case(case_to_data(case)) == case
