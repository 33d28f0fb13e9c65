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

from reversibility_kb.case import model
from reversibility_kb.tools.explaining import describe_test
from reversibility_kb.inference.facts import fact_attributes
from reversibility_kb.inference.rulebook import Test as RuleTest
from reversibility_kb.case.vocabulary import NNBSP, attribute, colon, value, vocabulary

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


def test_no_word_is_given_twice():
    """A key given twice in rules/vocabulary.yaml would silently keep the last one (YAML allows it)."""
    import yaml

    from reversibility_kb.case.resources import rules_dir

    class Strict(yaml.SafeLoader):
        def construct_mapping(self, node, deep=False):  # type: ignore[no-untyped-def]
            keys = [self.construct_object(k, deep=deep) for k, _ in node.value]
            twice = sorted({str(k) for k in keys if keys.count(k) > 1})
            assert twice == [], f"given twice in rules/vocabulary.yaml: {twice}"
            return super().construct_mapping(node, deep=deep)

    yaml.load((rules_dir() / "vocabulary.yaml").read_text(encoding="utf-8"), Loader=Strict)  # noqa: S506 - a SafeLoader


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


# --------------------------------------------------------------------------------------------
# Every verb's French output, scanned for English words

import functools  # noqa: E402 - the scan's own imports, kept with it
import html  # noqa: E402
import json  # noqa: E402

import networkx as nx  # noqa: E402
import yaml  # noqa: E402
from click.testing import CliRunner  # noqa: E402

from reversibility_kb.case.catalogue import resolve  # noqa: E402
from reversibility_kb.cli.main import main  # noqa: E402
from reversibility_kb.outputs.render import md_text  # noqa: E402

#: Two bundled cases: a worked example of the reference document and a real case.
CASES = {
    "s8-staged-pooling": {"finding": "early_exit_unplanned", "kind": "early_exit_unplanned", "absent": "no_reversibility_clause", "set": "contract.reversibility.plan=yes"},
    "real-ump-oracle-crm-export": {"finding": "data_export_failed@crm-members", "kind": "data_export_failed", "absent": "brutal_reversibility", "set": "contract.reversibility.transition_days=30"},
}
WEAK_DRAFT = Path(__file__).parent / "data" / "review" / "draft-weak.yaml"


def _commands(case: str, answers: Path) -> list[list[str]]:
    given = CASES[case]
    commands = [
        ["assess", case], ["assess", case, "--format", "md"], ["assess", case, "--format", "json"],
        ["explain", case, given["finding"]],
        ["why", case, given["finding"]], ["why", case, given["finding"], "--depth", "full", "--format", "json"],
        ["why-not", case, given["absent"]], ["why-not", case, given["kind"]], ["why-not", case, given["absent"], "--format", "json"],
        ["what-if", case, "--set", given["set"]], ["what-if", case, "--set", given["set"], "--format", "json"],
        ["what-if", case, "--remove", given["finding"]],
        ["questions", case], ["questions", case, "--format", "json"],
        ["report", case, "--format", "md"], ["report", case, "--format", "html"],
        *(["graph", case, "--format", fmt] for fmt in ("svg", "graphml", "json", "dot", "mermaid")),
        ["exercise", case], ["train", case, "--answers", str(answers)], ["train", case, "--hint", "3"],
    ]
    verbs = set(main.commands)
    if "court-report" in verbs:
        commands += [["court-report", case, "--format", "md"], ["court-report", case, "--format", "html"]]
    if "note" in verbs:
        commands.append(["note", case])
    return commands


GENERAL = [["rules"], ["rules", "--format", "json"], ["cases"], ["cases", "--format", "json"], ["review", str(WEAK_DRAFT)]]


@functools.cache
def english_words() -> frozenset[str]:
    lines = ENGLISH.read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


def _case_texts(path: Path) -> list[str]:
    """The case file's own free texts (names, titles, notes): the parties' words, quoted as they
    are, not the program's; they are set aside before scanning."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for item in node.values():
                walk(item)
        elif isinstance(node, list):
            for item in node:
                walk(item)
        elif isinstance(node, str) and " " in node.strip():
            found.append(" ".join(node.split()))

    walk(yaml.safe_load(path.read_text(encoding="utf-8")))
    return sorted(set(found), key=len, reverse=True)


def prose(text: str) -> str:
    """The reader's prose of an output: code blocks, markup, styles, identifiers (`…`, ids with
    - _ . : @ / = or digits, URLs) removed."""
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", html.unescape(text)) if "<" in text else text
    text = re.sub(r"`[^`\n]*`", " ", text)
    text = re.sub(r"https?://\S+", " ", text)
    text = re.sub(r"\S*[_@/\\=|{}#$0-9]\S*", " ", text)  # ids, paths, digests, numbers
    return re.sub(r"\S*[A-Za-z][-.:][A-Za-z0-9]\S*", " ", text)


def _json_prose(data: object) -> str:
    """The texts of a JSON document: its string values with a space (words, not codes)."""
    if isinstance(data, dict):
        return "\n".join(_json_prose(v) for v in data.values())
    if isinstance(data, list):
        return "\n".join(_json_prose(v) for v in data)
    return data if isinstance(data, str) and " " in data else ""


def _graph_labels(args: list[str], output: str) -> str:
    """A graph export as the reader sees it: its node labels."""
    fmt = args[args.index("--format") + 1]
    if fmt == "graphml":
        return "\n".join(str(d.get("label", "")) for _, d in nx.parse_graphml(output).nodes(data=True))
    if fmt == "json":
        return "\n".join(str(n.get("label", "")) for n in json.loads(output)["nodes"])
    if fmt == "dot":
        return "\n".join(re.findall(r'label="((?:[^"\\]|\\.)*)"', output))
    if fmt == "mermaid":
        return "\n".join(re.findall(r'"([^"]*)"', output))
    return output  # svg: the glyphs are paths; only the <title> is text


def _readable(args: list[str], output: str) -> str:
    if args[0] == "graph":
        return _graph_labels(args, output)
    if "json" in args:
        return _json_prose(json.loads(output))
    return output


def english_in(text: str, quoted: list[str] = ()) -> dict[str, int]:
    """The English words of a text, with their counts, once quoted texts and identifiers are removed."""
    text = " ".join(text.split())
    for phrase in quoted:
        for form in (phrase, md_text(phrase), html.escape(phrase, quote=False)):
            text = text.replace(form, " ")
    counts: dict[str, int] = {}
    for token in re.findall(r"[A-Za-zÀ-ÿ]+", prose(text)):
        if token.lower() in english_words():
            counts[token.lower()] = counts.get(token.lower(), 0) + 1
    return counts


@pytest.fixture(scope="module")
def answers(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("answers") / "answers.yaml"
    path.write_text("findings: [early_exit_unplanned, data_export_failed@crm-members, not_a_finding]\n", encoding="utf-8")
    return path


def _run(args: list[str]) -> str:
    result = CliRunner().invoke(main, [*args, "--lang", "fr"])
    assert result.exit_code == 0, (args, result.output)
    return result.output


def test_the_scanner_finds_english_and_spares_identifiers():
    """A wrong scanner would let everything through: it must catch English prose, and only that."""
    assert english_in("The plan was never tested because of the provider") == {"the": 2, "was": 1, "because": 1, "of": 1, "provider": 1}
    assert english_in("Règle\u202f: `no-reversibility-plan`, ops-2010, S2.c, early_exit_unplanned") == {}
    assert english_in("Servers too old to meet the service", ["Servers too old to meet the service"]) == {}
    english = CliRunner().invoke(main, ["why-not", "s8-staged-pooling", "no_reversibility_clause", "--lang", "en"]).output
    assert {"the", "no", "unknown"} <= set(english_in(english))  # the same output in English is caught


@pytest.mark.parametrize("case", sorted(CASES))
def test_every_verb_speaks_french_only(case, answers):
    quoted = _case_texts(resolve(case))
    leaks = {}
    for args in _commands(case, answers):
        found = english_in(_readable(args, _run(args)), quoted)
        if found:
            leaks[" ".join(args)] = found
    assert leaks == {}


def test_the_general_verbs_speak_french_only():
    quoted = _case_texts(WEAK_DRAFT)
    leaks = {" ".join(args): english_in(_readable(args, _run(args)), quoted) for args in GENERAL}
    assert {k: v for k, v in leaks.items() if v} == {}


@pytest.mark.parametrize("args", [
    ["assess", "s8-staged-pooling"], ["why", "s8-staged-pooling", "early_exit_unplanned"],
    ["why-not", "s8-staged-pooling", "no_reversibility_clause"], ["questions", "real-ump-oracle-crm-export"],
    ["what-if", "s8-staged-pooling", "--set", "contract.reversibility.plan=yes"],
])
def test_french_labels_take_a_narrow_no_break_space_before_the_colon(args):
    """No label glued to its colon ("Règle:") nor spaced with a breaking space before one we write."""
    text = prose(_run(args))
    assert re.findall(r"[A-Za-zÀ-ÿ)»]:", text) == []
    assert f"{NNBSP}:" in _run(args)


def test_english_output_stays_english():
    """The other language is complete too: the same labels, in English typography."""
    result = CliRunner().invoke(main, ["why", "s8-staged-pooling", "early_exit_unplanned", "--lang", "en"])
    assert "when reversibility takes place = during the contract" in result.output
    assert "from: `ops-2010`" in result.output and NNBSP not in result.output
