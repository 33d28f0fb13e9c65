"""No legal appreciation in the expert's voice (CPC art. 238): the rules, the rules of the art,
the investigation questions, the court report's own words and the expert's replies to dires are
linted against ``rules/legal_words.yaml``."""

from __future__ import annotations

from typing import Iterator

import pytest
import yaml
from helpers import ROOT

from reversibility_kb.inference.assessment import default_rulebook
from reversibility_kb.outputs.court_note_i18n import NOTE_WORDS
from reversibility_kb.outputs.court_report_i18n import EVENTS, WORDS
from reversibility_kb.outputs.legal_words import legal_terms, legal_words

Hit = tuple[str, str, str, tuple[str, ...]]  # text key, field, language, words found


def _knowledge_base() -> Iterator[tuple[str, str, object]]:
    rulebook = default_rulebook()
    for rule in rulebook.rules:
        for field in ("title", "rationale", "recommendation"):
            yield rule.id, field, getattr(rule, field)
    for practice in rulebook.practices.values():
        for field in ("title", "description", "evidence"):
            yield f"practices:{practice.id}", field, getattr(practice, field)
    for question in rulebook.questions.values():
        for field in ("question", "document"):
            yield f"questions:{question.path}", field, getattr(question, field)


def _hits(texts: Iterator[tuple[str, str, object]]) -> list[Hit]:
    found = []
    for key, field, text in texts:
        if text is None:
            continue
        for lang in ("fr", "en"):
            words = legal_terms(text.in_(lang), lang)
            if words:
                found.append((key, field, lang, tuple(words)))
    return found


def test_the_linter_finds_legal_words_and_spares_other_senses():
    assert legal_terms("Le client a mis en demeure le prestataire ; sa responsabilité est engagée.", "fr") == ["mis en demeure", "responsabilité"]
    assert legal_terms("The provider is liable for negligence; a formal  notice was sent.", "en") == ["liable", "negligence", "formal notice"]
    assert legal_terms("Externalisée faute de compétences ; résiliation pour faute prévue au contrat.", "fr") == []
    assert legal_terms("Default settings; a responsibility matrix for the exit.", "en") == []


def test_knowledge_base_uses_no_new_legal_wording():
    """Every use is either a party's claim reported as a fact, or a known text to reword; a new
    one fails, and so does a listed one that no longer uses such words (the list must shrink)."""
    data = legal_words()
    allowed = {(entry["text"], entry["field"]) for entry in (*data["reported"], *data["to_reword"])}
    hits = _hits(_knowledge_base())
    new = [hit for hit in hits if (hit[0], hit[1]) not in allowed]
    assert not new, "legal appreciation in the expert's voice:\n" + "\n".join(map(str, new))
    stale = allowed - {(hit[0], hit[1]) for hit in hits}
    assert not stale, f"listed in {data and 'rules/legal_words.yaml'} but clean now: {sorted(stale)}"


def test_court_report_and_note_words_are_technical():
    texts = [(key, "word", _Text(v)) for key, v in (*WORDS.items(), *EVENTS.items(), *NOTE_WORDS.items())]
    assert _hits(iter(texts)) == []


def test_expert_replies_to_dires_are_technical():
    replies = []
    for path in sorted((ROOT / "cases").glob("court-*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        replies += [(f"{path.name}:{d['id']}", "reply", _Text(d["reply"])) for d in data.get("dires", []) if d.get("reply")]
    assert replies
    assert _hits(iter(replies)) == []


class _Text:
    """A ``{fr, en}`` mapping read like a :class:`~reversibility_kb.case.model.Text`."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts

    def in_(self, lang: str) -> str:
        return self.texts[lang]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_word_lists_are_not_empty(lang):
    assert len(legal_words()[lang]["words"]) >= 15
