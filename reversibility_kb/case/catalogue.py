"""The bundled worked cases: listing them, and finding one by its id or path."""

from __future__ import annotations

from pathlib import Path

from .loading import CaseError
from .resources import cases_dir

SUFFIXES = (".yaml", ".yml", ".json")


def bundled_cases() -> dict[str, Path]:
    """Every bundled case file, by id (a case's id is its file name without the suffix)."""
    return {p.stem: p for p in sorted(cases_dir().iterdir()) if p.suffix in SUFFIXES}


def resolve(name: str) -> Path:
    """A path as given, or the bundled case of that id."""
    path = Path(name)
    if path.suffix in SUFFIXES or path.exists():
        return path
    cases = bundled_cases()
    if name in cases:
        return cases[name]
    raise CaseError(name, "", "expected a case file path or the id of a bundled case (see `reversibility-kb cases`)")
