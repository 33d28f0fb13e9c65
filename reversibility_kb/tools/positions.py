"""The parties' positions: does a finding hold whatever version of a contested fact the court accepts?

Each contested fact of a case (``Case.contested``) records every party's version of one value of
the case file. The case is assessed again under each combination of versions (the what-if
machinery sets the values, and the loader validates each changed case as it would a file). With
k versions for each of n contested facts there are k^n combinations: at most
:data:`MAX_ASSESSMENTS` are assessed, in a fixed order, and the result says when it was cut.

For every finding the result says whether it holds under every combination, or which contested
fact it depends on and which way: present under some parties' versions, absent under others.
"""

from __future__ import annotations

import itertools
from typing import Any, Optional

import attrs

from ..case import model
from ..inference.assessment import Assessment, assess
from ..inference.exhibits import finding_fields
from .whatif import Change, apply_changes, parse_assignment

#: The most combinations of versions assessed for one case.
MAX_ASSESSMENTS = 64


@attrs.frozen
class Dependence:
    """How a finding depends on one contested fact: the parties whose version keeps it, and
    those whose version makes it fall (a party in neither: it depends on other facts as well)."""

    contested: str
    path: str
    present_under: tuple[str, ...]
    absent_under: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.contested, "path": self.path, "present_under": list(self.present_under), "absent_under": list(self.absent_under)}


@attrs.frozen
class Positions:
    """The outcome of assessing every combination of versions (or the first ones, when cut)."""

    combinations: int
    assessed: int
    #: Finding id → what it depends on; empty: it holds under every combination assessed.
    findings: dict[str, tuple[Dependence, ...]]
    #: Findings absent from the case as recorded that some combination of versions brings.
    only_under: dict[str, tuple[Dependence, ...]]

    @property
    def cut(self) -> bool:
        return self.assessed < self.combinations


def version_change(contested: model.Contested, version: model.Version) -> Change:
    """The what-if change that sets a contested fact to one party's version."""
    return parse_assignment(f"{contested.path}={version.value}")


def _combinations(case: model.Case) -> tuple[int, list[tuple[int, ...]]]:
    sizes = [len(c.versions) for c in case.contested]
    total = 1
    for size in sizes:
        total *= size
    return total, list(itertools.islice(itertools.product(*(range(s) for s in sizes)), MAX_ASSESSMENTS))


def _assess_variant(assessment: Assessment, choice: tuple[int, ...]) -> frozenset[str]:
    case = assessment.case
    changes = [version_change(c, c.versions[i]) for c, i in zip(case.contested, choice)]
    where = ", ".join(f"contested[{n}].versions[{i}].value" for n, i in enumerate(choice))
    variant = apply_changes(case, changes, f"{case.id}: {where}")
    return frozenset(f.id for f in assess(variant, assessment.rulebook).findings)


def _dependences(case: model.Case, outcomes: dict[tuple[int, ...], frozenset[str]], finding: str) -> tuple[Dependence, ...]:
    out = []
    for index, contested in enumerate(case.contested):
        present, absent = [], []
        for number, version in enumerate(contested.versions):
            seen = {finding in found for choice, found in outcomes.items() if choice[index] == number}
            if seen == {True}:
                present.append(version.party)
            elif seen == {False}:
                absent.append(version.party)
        if absent or (present and len(present) < len(contested.versions)):
            out.append(Dependence(contested.id, contested.path, tuple(present), tuple(absent)))
    return tuple(out)


_CACHE: dict[tuple[model.Case, str], Positions] = {}
_CACHE_SIZE = 16


def positions(assessment: Assessment) -> Positions:
    """Assess every combination of the contested facts' versions (at most :data:`MAX_ASSESSMENTS`)."""
    key = (assessment.case, assessment.rulebook.digest)
    cached = _CACHE.get(key)
    if cached is not None:
        return cached
    case = assessment.case
    total, choices = _combinations(case)
    outcomes = {choice: _assess_variant(assessment, choice) for choice in choices} if case.contested else {}
    base = [f.id for f in assessment.findings]
    brought = sorted(set().union(*outcomes.values()) - set(base)) if outcomes else []
    result = Positions(
        combinations=total if case.contested else 0,
        assessed=len(outcomes),
        findings={f: _dependences(case, outcomes, f) for f in base} if outcomes else {f: () for f in base},
        only_under={f: _dependences(case, outcomes, f) for f in brought},
    )
    if len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = result
    return result


def court_fields(assessment: Assessment) -> dict[str, dict[str, Any]]:
    """What ``assess --format json`` adds to each finding: the exhibits it rests on (and those not
    communicated to every party), and the contested facts it depends on."""
    case = assessment.case
    ids = [f.id for f in assessment.findings]
    fields = finding_fields(case, assessment.run, ids)
    depends = positions(assessment).findings if case.contested else {}
    for finding_id in ids:
        fields[finding_id]["contested"] = [d.to_dict() for d in depends.get(finding_id, ())]
    return fields


def party_name(case: model.Case, party_id: str) -> str:
    """A party's name as the case file gives it (its id if it has none)."""
    return next((p.name or p.id for p in case.parties if p.id == party_id), party_id)


def contested_fact(case: model.Case, contested_id: str) -> Optional[model.Contested]:
    return next((c for c in case.contested if c.id == contested_id), None)
