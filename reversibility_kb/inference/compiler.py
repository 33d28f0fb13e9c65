"""Rule patterns translated into durable_rules' JSON ruleset format.

Pure data in, pure data out: no callables, no engine. The engine module adds the actions and
its own safety conditions (stage anchors, the sink rule).
"""

from __future__ import annotations

from typing import Any

from .rulebook import Pattern, Test

Condition = dict[str, Any]

_RELATIONAL = {"lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte"}


def compile_test(test: Test) -> Condition:
    """One attribute test as a durable_rules expression."""
    if test.op == "eq":
        return {test.attribute: test.value}
    if test.op == "ref":
        binding, attribute = test.value
        return {test.attribute: {binding: attribute}}
    if test.op == "in":
        return {"$or": [{test.attribute: value} for value in test.value]}
    if test.op == "not":
        return {"$neq": {test.attribute: test.value}}
    if test.op == "exists":
        return {("$ex" if test.value else "$nex"): {test.attribute: 1}}
    return {_RELATIONAL[test.op]: {test.attribute: test.value}}


def compile_pattern(pattern: Pattern) -> Condition:
    """A named condition. It always starts with a positive test of the fact's type, which also
    keeps the engine's own session-state fact from ever matching."""
    expression = {"$and": [{"type": pattern.fact}, *(compile_test(t) for t in pattern.tests)]}
    return {f"{pattern.name}$not" if pattern.negated else pattern.name: expression}
