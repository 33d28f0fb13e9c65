"""The words of the note to the parties (CPC art. 275), in both languages; ``{name}`` fields
are filled by :func:`note_phrase`. French typography: a narrow no-break space before ``:``."""

from __future__ import annotations

from typing import Any

NOTE_WORDS: dict[str, dict[str, str]] = {
    "title": {"fr": "Note aux parties n° {n}", "en": "Note to the parties no. {n}"},
    "case": {"fr": "Affaire", "en": "Case"},
    "reference": {"fr": "Référence", "en": "Reference"},
    "expert": {"fr": "Expert", "en": "Expert"},
    "date": {"fr": "Date", "en": "Date"},
    "deadline": {"fr": "Date limite de réponse", "en": "Answers due by"},
    "intro": {
        "fr": "En application de l'article 275 du Code de procédure civile, chaque partie est invitée à remettre à l'expert, avant le {deadline}, les pièces et réponses ci-dessous, en les communiquant en même temps à toutes les autres parties. Les observations écrites (dires) sont attendues à la même date (art. 276).",
        "en": "Under article 275 of the Code of Civil Procedure, each party is asked to hand the expert, before {deadline}, the documents and answers below, communicating them at the same time to every other party. Written observations (dires) are expected by the same date (art. 276).",
    },
    "document": {"fr": "Pièce demandée", "en": "Document requested"},
    "stakes": {"fr": "Constats en jeu", "en": "Findings at stake"},
    "support_version": {
        "fr": "Sur un fait contesté ({label}), produire toute pièce au soutien de votre version ({value}) et vos observations sur celle de {others}.",
        "en": "On a contested fact ({label}), produce any document supporting your version ({value}) and your observations on that of {others}.",
    },
    "communicate": {
        "fr": "Communiquer à toutes les parties la pièce {number} ({title}), qui ne l'a pas été (art. 16).",
        "en": "Communicate exhibit {number} ({title}) to every party: it has not been (art. 16).",
    },
    "signature": {"fr": "L'expert", "en": "The expert"},
}


def note_phrase(key: str, lang: str, **fields: Any) -> str:
    """A phrase of the note with its ``{fields}`` filled in."""
    return NOTE_WORDS[key][lang].format(**fields) if fields else NOTE_WORDS[key][lang]
