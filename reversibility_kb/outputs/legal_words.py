"""Words of legal appreciation, which the court expert's voice never uses (CPC art. 238).

The list is data, per language (``rules/legal_words.yaml``); :func:`legal_terms` finds them in a
text as whole words or phrases, whatever the case, except inside the phrases the file lists as
saying something else ("faute de" = for lack of). The tests lint the rules' texts and the court
report's own words with it: a finding's grounds state technical facts and practice, and leave
fault, liability, nullity or requalification to the judge.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import yaml

from ..case.resources import rules_dir

FILE = "legal_words.yaml"


@functools.cache
def legal_words() -> dict[str, Any]:
    """The file's content: per language ``words`` and ``except``, and the ``reported`` texts."""
    content: dict[str, Any] = yaml.safe_load((rules_dir() / FILE).read_text(encoding="utf-8"))
    return content


def _alternatives(phrases: list[str]) -> str:
    ordered = sorted(phrases, key=len, reverse=True)  # the longest phrase first
    return "|".join(r"\s+".join(re.escape(part) for part in phrase.split()) for phrase in ordered)


@functools.cache
def _patterns(lang: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    entry = legal_words()[lang]
    bound = r"(?<![\w-])(?:{})(?![\w-])"
    words = re.compile(bound.format(_alternatives(entry["words"])), re.IGNORECASE)
    other = re.compile(r"(?<![\w-])(?:{})".format(_alternatives(entry.get("except", []))), re.IGNORECASE)
    return words, other


def legal_terms(text: str, lang: str) -> list[str]:
    """The words of legal appreciation found in a text, in order."""
    words, other = _patterns(lang)
    spared = [(m.start(), m.end()) for m in other.finditer(text)] if legal_words()[lang].get("except") else []
    return [
        " ".join(m.group().lower().split())
        for m in words.finditer(text)
        if not any(start <= m.start() < end for start, end in spared)
    ]
