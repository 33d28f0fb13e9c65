"""The shipped JSON Schema is the one generated from the model, and every bundled case meets it."""

from __future__ import annotations

import json
from importlib import resources

import jsonschema
import pytest
import yaml

from reversibility_kb.case.catalogue import bundled_cases
from reversibility_kb.case.schema import case_schema


def _shipped() -> dict:
    return json.loads(resources.files("reversibility_kb").joinpath("case.schema.json").read_text(encoding="utf-8"))


def _as_json(path) -> dict:
    # the schema speaks JSON: dates are strings there, as in a .json case file
    return json.loads(json.dumps(yaml.safe_load(path.read_text(encoding="utf-8")), default=str))


def test_shipped_schema_is_generated_from_the_model():
    assert _shipped() == case_schema()
    jsonschema.Draft202012Validator.check_schema(_shipped())


@pytest.mark.parametrize("path", list(bundled_cases().values()), ids=lambda p: p.stem)
def test_bundled_cases_meet_the_schema(path):
    jsonschema.Draft202012Validator(_shipped()).validate(_as_json(path))


def test_schema_rejects_an_unknown_enum_value_and_an_extra_field():
    validator = jsonschema.Draft202012Validator(_shipped())
    data = _as_json(next(iter(bundled_cases().values())))
    data["contract"]["object"] = "mainframe"
    assert not validator.is_valid(data)
    data = _as_json(next(iter(bundled_cases().values())))
    data["contract"]["colour"] = "blue"
    assert not validator.is_valid(data)
