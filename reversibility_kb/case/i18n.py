"""The few words of the interface, in both languages (rule texts carry their own)."""

from __future__ import annotations

LANGS = ("fr", "en")

_WORDS: dict[str, dict[str, str]] = {
    "findings": {"fr": "Constats", "en": "Findings"},
    "no_findings": {"fr": "Aucun constat.", "en": "No finding."},
    "severity": {"fr": "Gravité", "en": "Severity"},
    "high": {"fr": "élevée", "en": "high"},
    "medium": {"fr": "moyenne", "en": "medium"},
    "low": {"fr": "faible", "en": "low"},
    "info": {"fr": "information", "en": "information"},
    "sources": {"fr": "Sources", "en": "Sources"},
    "rule": {"fr": "Règle", "en": "Rule"},
    "why": {"fr": "Pourquoi", "en": "Why"},
    "recommendation": {"fr": "Recommandation", "en": "Recommendation"},
    "practices": {"fr": "Règles de l'art en cause", "en": "Rules of the art breached"},
    "case": {"fr": "Dossier", "en": "Case"},
    "as_of": {"fr": "Situation au", "en": "As of"},
}


def word(key: str, lang: str) -> str:
    """One interface word in the given language."""
    return _WORDS[key][lang]
