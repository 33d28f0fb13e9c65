"""Where the bundled rulebook and worked cases live, installed or in a checkout.

A wheel carries ``rules/``, ``cases/`` and ``variations/`` inside the package (``_data/``); a checkout or an
editable install reads them from the top of the repository.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def _data_dir(name: str) -> Path:
    bundled = _PACKAGE / "_data" / name
    return bundled if bundled.is_dir() else _PACKAGE.parent / name


def rules_dir() -> Path:
    """The directory of the bundled rulebook."""
    return _data_dir("rules")


def cases_dir() -> Path:
    """The directory of the bundled worked cases."""
    return _data_dir("cases")


def variations_dir() -> Path:
    """The directory of the bundled variations of the worked cases: beside them, not among them
    (a folder of case files, as ``assess-dir`` reads it, holds only case files)."""
    return _data_dir("variations")
