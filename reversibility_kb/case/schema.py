"""The JSON Schema of case files, generated from the attrs model (by msgspec) and shipped."""

from __future__ import annotations

import inspect
import re
from typing import Any

import attrs
import msgspec

from . import model
from .model import Case


def case_schema() -> dict[str, Any]:
    """A JSON Schema (2020-12) that every valid case file satisfies."""
    schema = msgspec.json.decode(msgspec.json.encode(msgspec.json.schema(Case)))  # plain JSON values
    for definition in schema["$defs"].values():
        if definition.get("type") == "object":
            definition["additionalProperties"] = False
    for name, definition in schema["$defs"].items():
        for field, text in _field_comments(getattr(model, name, None)).items():
            definition.get("properties", {}).get(field, {})["description"] = text
    severity = {"$ref": "#/$defs/Severity"}
    schema["$defs"]["GoldenFinding"] = {
        "title": "GoldenFinding",
        "description": "A finding id, or a mapping of one finding id to the severity it must have.",
        "anyOf": [{"type": "string", "minLength": 1}, {"type": "object", "minProperties": 1, "maxProperties": 1, "additionalProperties": severity}],
    }
    tri = schema["$defs"]["Tri"]
    schema["$defs"]["Tri"] = {
        "title": tri["title"],
        "description": "yes, no or unknown; a bare YAML yes/no (a boolean) is read as yes/no.",
        "anyOf": [{"enum": tri["enum"]}, {"type": "boolean"}],
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://reversibility-kb.invalid/case.schema.json",
        "title": "reversibility_kb case file",
        **schema,
    }


_COMMENTED_FIELD = re.compile(r"((?:^[ \t]*#:.*\n)+)^[ \t]*(\w+)\s*:", re.MULTILINE)


def _field_comments(cls: Any) -> dict[str, str]:
    """The ``#:`` comments written above the fields of a model class: the model's own words
    become the schema's descriptions, so the two cannot drift apart."""
    if not (isinstance(cls, type) and attrs.has(cls)):
        return {}
    source = inspect.getsource(cls)
    return {
        field: " ".join(line.strip()[2:].strip() for line in comment.strip().splitlines())
        for comment, field in _COMMENTED_FIELD.findall(source)
    }
