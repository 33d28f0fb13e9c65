"""The JSON Schema of case files, generated from the attrs model (by msgspec) and shipped."""

from __future__ import annotations

from typing import Any

import msgspec

from .model import Case


def case_schema() -> dict[str, Any]:
    """A JSON Schema (2020-12) that every valid case file satisfies."""
    schema = msgspec.json.decode(msgspec.json.encode(msgspec.json.schema(Case)))  # plain JSON values
    for definition in schema["$defs"].values():
        if definition.get("type") == "object":
            definition["additionalProperties"] = False
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
