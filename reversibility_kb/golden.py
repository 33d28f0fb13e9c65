"""Worked cases as tests: a case's golden answer compared with what the engine concludes."""

from __future__ import annotations

import attrs

from .assessment import Assessment
from .model import Severity

#: Cases with this tag are well-drafted contracts: no high-severity finding may appear.
NEGATIVE_CONTROL = "negative-control"


@attrs.frozen
class Difference:
    """What separates a case's golden answer from the engine's findings."""

    case: str
    missing: tuple[str, ...]
    unexpected: tuple[str, ...]
    forbidden: tuple[str, ...]
    high_in_control: tuple[str, ...]
    wrong_severity: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unexpected or self.forbidden or self.high_in_control or self.wrong_severity)

    def lines(self) -> list[str]:
        out = []
        for label, ids in (
            ("missing", self.missing),
            ("unexpected", self.unexpected),
            ("present but expected absent", self.forbidden),
            ("high severity in a negative control", self.high_in_control),
            ("wrong severity", self.wrong_severity),
        ):
            out += [f"{self.case}: {label}: {finding}" for finding in ids]
        return out


def compare(assessment: Assessment) -> Difference:
    """The golden findings must be exactly the engine's; ``absent`` ones must not appear."""
    case = assessment.case
    expected = case.expected
    golden = {g.id for g in expected.findings} if expected else set()
    found = {f.id for f in assessment.findings}
    pinned = {g.id: g.severity for g in expected.findings if g.severity} if expected else {}
    severities = tuple(
        f"{f.id} is {f.severity.value}, expected {pinned[f.id].value}"
        for f in assessment.findings
        if f.id in pinned and f.severity is not pinned[f.id]
    )
    high = ()
    if NEGATIVE_CONTROL in case.tags:
        high = tuple(sorted(f.id for f in assessment.findings if f.severity is Severity.high))
    return Difference(
        case=case.id,
        missing=tuple(sorted(golden - found)),
        unexpected=tuple(sorted(found - golden)),
        forbidden=tuple(sorted(found & set(expected.absent if expected else ()))),
        high_in_control=high,
        wrong_severity=severities,
    )
