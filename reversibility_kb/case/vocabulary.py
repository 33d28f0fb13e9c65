"""The reader's words for the engine's identifiers: fact types, fact attributes and enumeration
values, in French and English, kept as data (``rules/vocabulary.yaml``) so that a linguist can
review them and a test can require one for every attribute a rule may test and every value of
the model's enumerations.

Whatever has no word (an id of a fact, a finding, a rule, a party) is an identifier and is shown
as one, between backquotes, so that a reader never mistakes it for prose.
"""

from __future__ import annotations

import datetime
import functools
import re
from typing import Any, Optional

import yaml

from .resources import rules_dir

FILE = "vocabulary.yaml"
#: French typography: a narrow no-break space before the high punctuation.
NNBSP = "\u202f"
#: Attributes whose values name something of the case (a fact, a party, a free text): shown as
#: identifiers, never looked up (an id may well be spelt like a word of the vocabulary).
NAMING = frozenset({
    "id", "ref", "by", "against", "to", "about", "name", "title", "dbms", "reversibility_condition",
    "reversibility_condition_controlled_by", "reversibility_deliverable_description",
})


@functools.cache
def vocabulary() -> dict[str, dict[str, dict[str, str]]]:
    """The file's three tables: ``fact_types``, ``attributes`` and ``values`` → {fr, en}."""
    tables: dict[str, dict[str, dict[str, str]]] = yaml.safe_load((rules_dir() / FILE).read_text(encoding="utf-8"))
    return tables


def identifier(text: Any) -> str:
    """An identifier as the reader sees it: between backquotes."""
    return f"`{text}`"


def fact_type(kind: str, lang: str) -> str:
    """``event`` → "un événement" / "an event"."""
    entry = vocabulary()["fact_types"].get(kind)
    return entry[lang] if entry else identifier(kind)


def attribute(name: str, lang: str) -> str:
    """``transition_total_days`` → "la durée de transition (jours)" / "the transition period (days)"."""
    entry = vocabulary()["attributes"].get(name)
    return entry[lang] if entry else identifier(name)


def value(shown: Any, lang: str, name: Optional[str] = None) -> str:
    """A value as words: an enumeration value by its label, a number or a date as such, any
    other text (an id, a conclusion kind) as an identifier; the value of a naming attribute
    (``name``, see :data:`NAMING`) is always an identifier."""
    if name in NAMING:
        return identifier(shown)
    if isinstance(shown, bool):
        shown = "yes" if shown else "no"
    if isinstance(shown, (int, float, datetime.date)):
        return str(shown)
    if isinstance(shown, (list, tuple)):
        return ", ".join(value(v, lang) for v in shown)
    entry = vocabulary()["values"].get(str(shown))
    if entry:
        return entry[lang]
    text = str(shown)
    return text if _is_date(text) else identifier(text)


def _is_date(text: str) -> bool:
    try:
        datetime.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def colon(text: str, lang: str) -> str:
    """A label followed by a colon, in the typography of the language: "Pièce : …" in French
    (with a narrow no-break space), "Document: …" in English."""
    return f"{text}{NNBSP}:" if lang == "fr" else f"{text}:"


_ITEM = re.compile(r"(?P<list>.*)\[(?P<item>[^\]]*)\]\.(?P<name>\w+)")
_WORDS = {"add": ("ajouter au dossier", "add to the file")}


def change(path: str, raw: Any, lang: str) -> str:
    """A change of a case-file path (what-if) in words: "le plan de réversibilité = oui",
    "the owner at signature (`crm`) = the client", "add to the file: a restore test (…)"."""
    fr = lang == "fr"
    if path == "history[+]" and isinstance(raw, dict):
        details = [f"{attribute(k, lang)} = {value(v, lang, k)}" for k, v in raw.items() if k not in ("id", "date", "kind")]
        event = value(raw.get("kind", ""), lang) + (f" ({', '.join(details)})" if details else "")
        return f"{colon(_WORDS['add'][0 if fr else 1], lang)} {event}"
    match = _ITEM.fullmatch(path)
    if match:
        name = match["name"]
        where = f"{attribute(name, lang)} ({identifier(match['item'])})"
    else:
        name = path.removeprefix("contract.").replace(".", "_")
        where = attribute(name, lang)
    return f"{where} = {value(getattr(raw, 'value', raw), lang, name)}"
