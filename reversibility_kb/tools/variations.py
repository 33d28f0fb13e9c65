"""Variations: a worked case with a few facts changed, and how its golden answer changes.

A rule can only be trusted where some case sits on each side of its conditions (see
:mod:`.rule_coverage`). Writing a whole case file for every boundary would repeat the case
again and again; a variation names its base case, the facts it changes (case-file paths, as
``what-if --set`` takes them) and what an expert says that changes in the answer: the findings
that go, the findings that come with their severity, the severities that move. The variation is
then an ordinary case — the base with those facts, judged against the base's golden answer with
those differences — in the tests and in the rulebook coverage alike.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

import attrs

from .golden import NEGATIVE_CONTROL
from ..case.loading import CaseError, converter, first_structure_error, load_case, one_line, read_data
from ..case.model import Case, Expected, GoldenFinding, Severity, Text
from ..case.resources import variations_dir
from .whatif import Change, apply_changes

#: The tag every variation carries, so that lists and reports can tell it from a written case.
VARIATION = "variation"
#: Between the base case's id and the variation's own in the variation case's id.
SEPARATOR = "~"


@attrs.frozen
class Expect:
    """How the variation's golden answer differs from its base's."""

    #: Findings of the base's golden answer that the changed facts no longer support.
    gone: tuple[str, ...] = ()
    #: Findings the changed facts bring, each with the severity the expert gives it.
    new: dict[str, Severity] = attrs.field(factory=dict)
    #: Findings of the base's golden answer that stay, at another severity.
    severity: dict[str, Severity] = attrs.field(factory=dict)
    #: Findings that must not appear, besides the base's own ``absent`` list.
    absent: tuple[str, ...] = ()


@attrs.frozen
class Variation:
    """One variation: its id within the file, what changes in words, the changes, the answer."""

    id: str
    change: Text
    #: One-key mappings, in order: a case-file path and its new value (``history[+]`` appends).
    changes: tuple[dict[str, Any], ...]
    expect: Expect


@attrs.frozen
class VariationFile:
    """A file of variations, all of one base case."""

    base: str
    variations: tuple[Variation, ...]


def _changes(variation: Variation, file: str, where: str) -> list[Change]:
    out = []
    for index, item in enumerate(variation.changes):
        if len(item) != 1:
            raise CaseError(file, f"{where}.changes[{index}]", "expected a mapping of one case-file path to its new value")
        ((path, value),) = item.items()
        out.append(Change(str(path), ("yes" if value else "no") if isinstance(value, bool) else value))
    return out


def _golden(base: Case, expect: Expect, file: str, where: str) -> Expected:
    """The base's golden answer with the variation's differences, each checked against it."""
    assert base.expected is not None
    golden = {g.id: g for g in base.expected.findings}
    for finding in expect.gone:
        if golden.pop(finding, None) is None:
            raise CaseError(file, f"{where}.expect.gone", f"expected a finding of the golden answer of {base.id}, got '{one_line(finding)}'")
    for finding, severity in expect.severity.items():
        if finding not in golden:
            raise CaseError(file, f"{where}.expect.severity", f"expected a finding of the golden answer of {base.id} that stays, got '{one_line(finding)}'")
        if golden[finding].severity is severity:
            raise CaseError(file, f"{where}.expect.severity.{finding}", f"expected a severity other than the base's ({severity.value})")
        golden[finding] = GoldenFinding(finding, severity)
    for finding, severity in expect.new.items():
        if finding in golden:
            raise CaseError(file, f"{where}.expect.new", f"expected a finding not already in the golden answer of {base.id} (a moved severity goes under severity:), got '{one_line(finding)}'")
        golden[finding] = GoldenFinding(finding, severity)
    absent = (set(base.expected.absent) - set(expect.new)) | set(expect.absent)
    if absent & set(golden):
        raise CaseError(file, f"{where}.expect.absent", f"expected no finding that the answer gives, got '{one_line(min(absent & set(golden)))}'")
    return Expected(tuple(golden[k] for k in sorted(golden)), tuple(sorted(absent)))


def _variation_case(base: Case, variation: Variation, file: str, where: str) -> Case:
    try:
        changed = apply_changes(base, _changes(variation, file, where), file)
    except CaseError as exc:
        raise CaseError(file, f"{where}.changes: {exc.path}" if exc.path else f"{where}.changes", exc.expected) from None
    title = Text(f"{base.title.fr} — variante : {variation.change.fr}", f"{base.title.en} — variation: {variation.change.en}")
    tags = tuple(t for t in base.tags if t not in (NEGATIVE_CONTROL, VARIATION)) + (VARIATION,)
    return attrs.evolve(
        changed, id=f"{base.id}{SEPARATOR}{variation.id}", title=title, tags=tags, expected=_golden(base, variation.expect, file, where)
    )


def load_variations(path: Path, cases: Mapping[str, Case]) -> list[Case]:
    """The variation cases of one file, whose base is one of ``cases`` (by id)."""
    file = str(path)
    data = read_data(path)
    if not isinstance(data, dict):
        raise CaseError(file, "", "expected a mapping (base, variations)")
    try:
        spec = converter.structure(data, VariationFile)
    except Exception as exc:  # cattrs groups every failure; the first one, in file order
        raise CaseError(file, *first_structure_error(exc)) from None
    base = cases.get(spec.base)
    if base is None:
        raise CaseError(file, "base", f"expected the id of a worked case, got '{one_line(spec.base)}'")
    if base.expected is None:
        raise CaseError(file, "base", f"expected a worked case with a golden answer (expected:), got '{base.id}'")
    out: list[Case] = []
    seen: set[str] = set()
    for index, variation in enumerate(spec.variations):
        where = f"variations[{index}]"
        if not variation.id or any(c.isspace() or c == SEPARATOR for c in variation.id) or variation.id in seen:
            raise CaseError(file, f"{where}.id", f"expected a new id without spaces or '{SEPARATOR}', got '{one_line(variation.id)}'")
        seen.add(variation.id)
        out.append(_variation_case(base, variation, file, where))
    return out


def bundled_variations(cases: Mapping[str, Case] | None = None) -> list[Case]:
    """Every bundled variation case, in file then file order; ``cases`` are the worked cases
    by id (loaded from the bundle when not given)."""
    folder = variations_dir()
    if not folder.is_dir():
        return []
    if cases is None:
        from ..case.catalogue import bundled_cases

        cases = {case_id: load_case(path) for case_id, path in bundled_cases().items()}
    out: list[Case] = []
    seen: dict[str, Path] = {}
    for path in sorted(folder.glob("*.yaml")):
        for case in load_variations(path, cases):
            if case.id in seen:  # two files of one base may not reuse an id
                raise CaseError(str(path), "variations", f"expected variation ids not used in {seen[case.id].name}, got '{case.id}'")
            seen[case.id] = path
            out.append(case)
    return out
