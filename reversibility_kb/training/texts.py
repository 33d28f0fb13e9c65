"""The words of the training mode, in both languages, read from ``texts.yaml``.

Kept in a data file so that a trainer can reword an instruction without touching code; every key
has a French and an English text with the same placeholders (the test suite checks it).
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any

import yaml

TEXTS_FILE = Path(__file__).resolve().parent / "texts.yaml"


@functools.cache
def texts() -> dict[str, dict[str, str]]:
    """Every training text, by key then language."""
    by_key: dict[str, dict[str, str]] = yaml.safe_load(TEXTS_FILE.read_text(encoding="utf-8"))["texts"]
    return by_key


def t(key: str, lang: str, **values: Any) -> str:
    """One training text in the given language, with its placeholders filled."""
    text = texts()[key][lang]
    return text.format(**values) if values else text


def words(lang: str) -> dict[str, str]:
    """Every training text without placeholders, for the templates."""
    return {key: entry[lang] for key, entry in texts().items() if "{" not in entry[lang]}
