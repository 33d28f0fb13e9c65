"""When a rule's text is in force, and which date of the case decides.

A 1995 backup is judged by 1995 practice; a contract signed in 2019 and terminated in 2026 meets
the texts in force at termination. A dated rule carries an :class:`InForce` interval; the rulebook
turns it into tests on the contract fact's day numbers, so durable_rules does the filtering.
"""

from __future__ import annotations

import datetime
from typing import Any, Optional

import attrs

from ..case.loading import converter

#: The dates of a case a rule may be dated by, and the contract fact's attribute holding each.
DATE_ATTRIBUTES = {
    "signature": "signature_day",
    "notice": "notice_day",
    "termination": "termination_day",
    "as_of": "as_of_day",
    #: The date of exit: termination if the contract has ended, else the date of the analysis.
    "exit": "exit_day",
}
_EPOCH = datetime.date(1970, 1, 1)
_KEYS = ("from", "to", "date", "version")


def day_number(date: datetime.date) -> int:
    """Days since 1970-01-01: the engine takes JSON numbers, not dates."""
    return (date - _EPOCH).days


def from_day_number(day: int) -> datetime.date:
    """The date of a day number (for explanations)."""
    return _EPOCH + datetime.timedelta(days=day)


@attrs.frozen
class InForce:
    """The interval in which a text applies (``end`` excluded), the case date that must fall in
    it, and the version of the text the rule restates."""

    start: datetime.date
    end: Optional[datetime.date] = None
    date: str = "signature"
    version: str = ""

    @property
    def attribute(self) -> str:
        """The contract fact's day-number attribute this rule is dated by."""
        return DATE_ATTRIBUTES[self.date]

    def bounds(self) -> tuple[tuple[str, str, int], ...]:
        """The tests on the contract fact: (attribute, operator, day number)."""
        lower = ((self.attribute, "gte", day_number(self.start)),)
        return lower + (((self.attribute, "lt", day_number(self.end)),) if self.end else ())

    def describe(self, lang: str) -> str:
        """"in force from … to …, by the date of termination (version)"."""
        fr = lang == "fr"
        words = {
            "signature": ("de signature", "of signature"),
            "notice": ("du préavis", "of notice"),
            "termination": ("de résiliation", "of termination"),
            "as_of": ("de l'analyse", "of the assessment"),
            "exit": ("de sortie (résiliation, ou analyse si le contrat court)", "of exit (termination, or the assessment while the contract runs)"),
        }[self.date][0 if fr else 1]
        span = f"{'en vigueur du' if fr else 'in force from'} {self.start.isoformat()}"
        if self.end:
            span += f" {'au' if fr else 'to'} {self.end.isoformat()}"
        text = f"{span}, {'à la date' if fr else 'by the date'} {words}"
        return f"{text} ({self.version})" if self.version else text

    def to_dict(self) -> dict[str, Any]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat() if self.end else None, "date": self.date, "version": self.version}


def _structure_in_force(raw: Any, _: type) -> InForce:
    """``{from, to, date, version}`` as written in rule files (``from`` is a Python keyword)."""
    if not isinstance(raw, dict):
        raise ValueError(f"expected a mapping with {', '.join(_KEYS)}")
    unknown = sorted(str(k) for k in raw if k not in _KEYS)
    if unknown:
        raise ValueError(f"expected only {', '.join(_KEYS)}, got '{unknown[0]}'")
    if "from" not in raw:
        raise ValueError("expected 'from', the date the text applies from")
    start = converter.structure(raw["from"], datetime.date)
    end = None if raw.get("to") is None else converter.structure(raw["to"], datetime.date)
    if end is not None and end <= start:
        raise ValueError(f"expected 'to' after 'from', got {end.isoformat()}")
    date = raw.get("date", "signature")
    if date not in DATE_ATTRIBUTES:
        raise ValueError(f"expected 'date' to be one of {', '.join(DATE_ATTRIBUTES)}, got '{date}'")
    version = raw.get("version", "")
    if not isinstance(version, str):
        raise ValueError("expected 'version' to be a text")
    return InForce(start, end, date, version)


converter.register_structure_hook(InForce, _structure_in_force)
