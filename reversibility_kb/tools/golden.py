"""Worked cases as tests: a case's golden answer compared with what the engine concludes."""

from __future__ import annotations

from typing import Any

import attrs

from ..inference.assessment import Assessment
from ..case.model import Severity

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
    #: Whether the case has golden findings at all (an ``expected:`` section): without them
    #: there is nothing to compare, which is not a match.
    has_golden: bool = True

    @property
    def ok(self) -> bool:
        return self.has_golden and not (self.missing or self.unexpected or self.forbidden or self.high_in_control or self.wrong_severity)

    def lines(self, lang: str = "en") -> list[str]:
        fr = lang == "fr"
        if not self.has_golden:
            return [f"{self.case}\u202f: " + _LABELS["no_golden"][0] if fr else f"{self.case}: " + _LABELS["no_golden"][1]]
        out = []
        for label, ids in (
            ("missing", self.missing),
            ("unexpected", self.unexpected),
            ("forbidden", self.forbidden),
            ("high_in_control", self.high_in_control),
            ("wrong_severity", self.wrong_severity),
        ):
            words = _LABELS[label][0 if fr else 1]
            out += [f"{self.case}\u202f: {words}\u202f: {finding}" if fr else f"{self.case}: {words}: {finding}" for finding in ids]
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "case": self.case,
            "ok": self.ok,
            "has_golden": self.has_golden,
            "missing": list(self.missing),
            "unexpected": list(self.unexpected),
            "present_but_expected_absent": list(self.forbidden),
            "high_in_negative_control": list(self.high_in_control),
            "wrong_severity": list(self.wrong_severity),
        }


_LABELS = {
    "no_golden": (
        "aucun constat attendu (section expected:) : rien à comparer",
        "no golden findings (an expected: section): nothing to compare",
    ),
    "missing": ("manquant", "missing"),
    "unexpected": ("inattendu", "unexpected"),
    "forbidden": ("présent mais attendu absent", "present but expected absent"),
    "high_in_control": ("gravité haute dans un témoin négatif", "high severity in a negative control"),
    "wrong_severity": ("gravité erronée", "wrong severity"),
}


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
    high: tuple[str, ...] = ()
    if NEGATIVE_CONTROL in case.tags:
        high = tuple(sorted(f.id for f in assessment.findings if f.severity is Severity.high))
    return Difference(
        case=case.id,
        missing=tuple(sorted(golden - found)),
        unexpected=tuple(sorted(found - golden)),
        forbidden=tuple(sorted(found & set(expected.absent if expected else ()))),
        high_in_control=high,
        wrong_severity=severities,
        has_golden=expected is not None,
    )
