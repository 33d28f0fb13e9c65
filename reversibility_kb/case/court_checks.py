"""Checks on the court expert's part of a case file: exhibits, contested facts, mission, dires.

Kept apart from :mod:`reversibility_kb.case.loading` (which calls :func:`court_problems` from its
consistency checks) so that the loader's own checks stay readable. Each problem is a case-file
path and what was expected, as everywhere in the loader.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Iterator

from . import model

#: A case-file path as the what-if machinery reads it: ``contract.phases[onsite].asset_inventory``.
_PATH = re.compile(r"^[a-z_]+(\[[^\]\[]+\])?(\.[a-z_]+(\[[^\]\[]+\])?)*$")


def _unique(where: str, values: Iterable[str], what: str) -> Iterator[tuple[str, str]]:
    seen: dict[str, int] = {}
    for index, value in enumerate(values):
        first = seen.setdefault(value, index)
        if first != index:
            yield f"{where}[{index}]", f"expected a unique {what}, '{value}' is already at {where}[{first}]"


def _cited(case: model.Case) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Every place of the case that cites exhibits, with the numbers it cites."""
    contract = case.contract
    yield "contract.exhibits", contract.exhibits
    yield "contract.reversibility.exhibits", contract.reversibility.exhibits
    yield "contract.staff.exhibits", contract.staff.exhibits
    groups: list[tuple[str, Any]] = [
        ("parties", case.parties),
        ("contract.tools", contract.tools),
        ("contract.data", contract.data),
        ("contract.documents", contract.documents),
        ("contract.phases", contract.phases),
        ("contract.assets", contract.assets),
        ("contract.scope", contract.scope),
        ("history", case.history),
        ("dires", case.dires),
    ]
    for where, items in groups:
        for index, item in enumerate(items):
            yield f"{where}[{index}].exhibits", item.exhibits
    for index, contested in enumerate(case.contested):
        for number, version in enumerate(contested.versions):
            yield f"contested[{index}].versions[{number}].exhibits", version.exhibits


def court_problems(case: model.Case) -> Iterator[tuple[str, str]]:
    """Exhibit numbers cited must be in the register, parties must exist, ids must be unique."""
    party_ids = {party.id for party in case.parties}
    numbers = {exhibit.number for exhibit in case.exhibits}
    yield from _unique("exhibits", (e.number for e in case.exhibits), "exhibit number")
    for index, exhibit in enumerate(case.exhibits):
        if exhibit.party not in party_ids:
            yield f"exhibits[{index}].party", f"expected the id of a party, got '{exhibit.party}'"
    for where, cited in _cited(case):
        for index, number in enumerate(cited):
            if number not in numbers:
                yield f"{where}[{index}]", f"expected the number of an exhibit in the register, got '{number}'"
    yield from _unique("contested", (c.id for c in case.contested), "id")
    yield from _unique("contested", (c.path for c in case.contested), "path")
    for index, contested in enumerate(case.contested):
        if not _PATH.match(contested.path) or "[+]" in contested.path:
            yield f"contested[{index}].path", f"expected a case-file path such as contract.phases[onsite].asset_inventory, got '{contested.path}'"
        if len(contested.versions) < 2:
            yield f"contested[{index}].versions", "expected at least two versions (a fact is contested between parties)"
        yield from _unique(f"contested[{index}].versions", (v.party for v in contested.versions), "party")
        for position, version in enumerate(contested.versions):
            if version.party not in party_ids:
                yield f"contested[{index}].versions[{position}].party", f"expected the id of a party, got '{version.party}'"
    if case.mission is not None:
        mission = case.mission
        yield from _unique("mission.questions", (q.id for q in mission.questions), "id")
        yield from _unique("mission.grievances", (g.id for g in mission.grievances), "id")
        for index, diligence in enumerate(mission.diligences):
            for position, party in enumerate(diligence.parties):
                if party not in party_ids:
                    yield f"mission.diligences[{index}].parties[{position}]", f"expected the id of a party, got '{party}'"
    yield from _unique("dires", (d.id for d in case.dires), "id")
    earlier: dict[str, model.Dire] = {}
    for index, dire in enumerate(case.dires):
        if dire.party not in party_ids:
            yield f"dires[{index}].party", f"expected the id of a party, got '{dire.party}'"
        for position, recapped in enumerate(dire.recaps):
            before = earlier.get(recapped)
            if before is None or before.party != dire.party:
                yield f"dires[{index}].recaps[{position}]", f"expected the id of an earlier dire of the same party, got '{recapped}'"
        if earlier and dire.date < max(d.date for d in earlier.values()):
            yield f"dires[{index}].date", f"expected dires in date order, {dire.date} comes before an earlier dire"
        earlier[dire.id] = dire


def court_references(case: model.Case) -> Iterator[tuple[str, str]]:
    """The ids of the court expert's part of a case, and the references to a party or a dire in it
    (:func:`court_problems` checks that they resolve), by path: the loader checks them for
    invisible characters as it does every id."""
    for index, exhibit in enumerate(case.exhibits):
        yield f"exhibits[{index}].number", exhibit.number
        yield f"exhibits[{index}].party", exhibit.party
    for index, contested in enumerate(case.contested):
        yield f"contested[{index}].id", contested.id
        for position, version in enumerate(contested.versions):
            yield f"contested[{index}].versions[{position}].party", version.party
    if case.mission is not None:
        for index, question in enumerate(case.mission.questions):
            yield f"mission.questions[{index}].id", question.id
        for index, grievance in enumerate(case.mission.grievances):
            yield f"mission.grievances[{index}].id", grievance.id
        for index, diligence in enumerate(case.mission.diligences):
            for position, party in enumerate(diligence.parties):
                yield f"mission.diligences[{index}].parties[{position}]", party
    for index, dire in enumerate(case.dires):
        yield f"dires[{index}].id", dire.id
        yield f"dires[{index}].party", dire.party
        for position, recapped in enumerate(dire.recaps):
            yield f"dires[{index}].recaps[{position}]", recapped
