"""One language at a time, fully: with --lang fr nothing English reaches the reader.

The vocabulary (rules/vocabulary.yaml) must give a French and an English word for every attribute
a rule may test and every value of the model's enumerations, so that a new field cannot regress;
and every verb's French output, once identifiers are set aside, holds none of the English words of
tests/data/english_words.txt.
"""

from __future__ import annotations

import enum
import re
from pathlib import Path

import pytest

from reversibility_kb import model
from reversibility_kb.explaining import describe_test
from reversibility_kb.facts import fact_attributes
from reversibility_kb.rulebook import Test as RuleTest
from reversibility_kb.vocabulary import NNBSP, attribute, colon, value, vocabulary

ENGLISH = Path(__file__).parent / "data" / "english_words.txt"


def _enums() -> list[type[enum.Enum]]:
    return [c for c in vars(model).values() if isinstance(c, type) and issubclass(c, enum.Enum) and c.__module__ == model.__name__]


def _missing(table: dict, keys: set[str]) -> list[str]:
    return sorted(f"{k} ({lang})" for k in keys for lang in ("fr", "en") if not str((table.get(k) or {}).get(lang) or "").strip())


def test_every_attribute_a_rule_can_test_has_a_word_in_both_languages():
    names = set().union(*fact_attributes().values())
    assert len(names) > 100
    assert _missing(vocabulary()["attributes"], names) == []


def test_every_value_of_every_enumeration_has_a_word_in_both_languages():
    values = {member.value for kind in _enums() for member in kind}
    assert {"during_contract", "reinternalisation", "high", "restore_test"} <= values
    assert _missing(vocabulary()["values"], values) == []


def test_every_fact_type_has_a_word_in_both_languages():
    assert _missing(vocabulary()["fact_types"], set(fact_attributes())) == []


def test_the_vocabulary_names_nothing_that_does_not_exist():
    """A word for a field that was renamed or removed is caught too."""
    names = set().union(*fact_attributes().values())
    values = {member.value for kind in _enums() for member in kind}
    assert set(vocabulary()["attributes"]) - names == set()
    assert set(vocabulary()["values"]) - values == set()


def test_english_labels_read_as_english_words():
    """No identifier-like label: "the transition period (days)", not ``transition_total_days``."""
    for table in ("fact_types", "attributes", "values"):
        for key, entry in vocabulary()[table].items():
            for lang in ("fr", "en"):
                assert "_" not in entry[lang], (table, key, lang)
    assert attribute("transition_total_days", "en") == "the transition period (days)"
    assert attribute("transition_total_days", "fr") == "la durée de transition (jours)"


def test_a_test_reads_as_words_in_each_language():
    timing = RuleTest("reversibility_timing", "eq", "during_contract")
    assert describe_test(timing, "fr") == "le moment de la réversibilité = en cours de contrat"
    assert describe_test(timing, "en") == "when reversibility takes place = during the contract"
    assert describe_test(RuleTest("ref", "ref", ("doc", "id")), "fr") == "l'élément concerné = `doc`"
    assert value("ops-2010", "fr") == "`ops-2010`"  # an id stays an identifier, marked as one
    assert value(3, "fr") == "3"


def test_french_colons_take_a_narrow_no_break_space():
    assert colon("Pièce", "fr") == f"Pièce{NNBSP}:"
    assert colon("Document", "en") == "Document:"
