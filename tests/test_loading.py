"""Case files: YAML and JSON load into the same validated model; errors say where and what."""

from __future__ import annotations

import datetime
import json
import random

import pytest
import yaml
from helpers import DATA, ROOT

from reversibility_kb import CaseError, load_case
from reversibility_kb.case.loading import _SLOW, _fast_yaml, _load_yaml, case_to_data, structure_case
from reversibility_kb.case.model import Tri


def test_yaml_and_json_give_the_same_case(tmp_path):
    case = load_case(ROOT / "cases" / "s7-donor-database.yaml")
    path = tmp_path / "same.json"
    path.write_text(json.dumps(case_to_data(case), ensure_ascii=False), encoding="utf-8")
    assert load_case(path) == case


def test_bare_yaml_yes_no_read_as_three_valued():
    case = load_case(DATA / "mini_case.yaml")
    assert case.contract.staff.transferred is Tri.yes
    assert case.contract.staff.knowledge_transfer_clause is Tri.unknown  # absent means unknown, not no


def _mini() -> dict:
    return yaml.safe_load((DATA / "mini_case.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("mutate", "path", "expected"),
    [
        (lambda d: d["contract"].update(object="infrastucture"), "contract.object", "did you mean 'infrastructure'"),
        (lambda d: d["contract"].setdefault("reversibility", {}).update(transition_months="six"), "contract.reversibility.transition_months", "expected a whole number"),
        (lambda d: d["contract"].update(signed_on="2020-13-01"), "contract.signed_on", "expected a date"),
        (lambda d: d["title"].pop("en"), "title.en", "required field missing"),
        (lambda d: d["contract"]["documents"].append({"id": "runbook", "title": "Again"}), "contract.documents[2].id", "unique id"),
        (lambda d: d["history"][0].update(ref="nowhere"), "history[0].ref", "'nowhere'"),
        (lambda d: d["history"][1].update(date="2019-01-01"), "history[1].date", "date order"),
        (lambda d: d["contract"].update(colour="blue"), "contract", 'unknown field "colour"'),
    ],
)
def test_errors_name_the_path_and_what_was_expected(mutate, path, expected):
    data = _mini()
    mutate(data)
    with pytest.raises(CaseError) as info:
        structure_case(data, "case.yaml")
    message = str(info.value)
    assert message.startswith(f"case.yaml: {path}: ")
    assert expected in message
    assert "\n" not in message


def test_round_trip_through_plain_data():
    case = load_case(ROOT / "cases" / "s9-outsourced-cio.yaml")
    assert structure_case(case_to_data(case)) == case


# The fast YAML path (yaml-rs) returns only what the strict loader (libyaml under PyYAML's
# composer, with every guard) would; everywhere else it steps aside.


def _strict(text: str) -> object:
    try:
        return ("data", _load_yaml(text))
    except Exception as exc:  # noqa: BLE001 -- any refusal: the fast path must then step aside
        return ("refused", type(exc).__name__)


def _agrees(text: str) -> bool:
    fast = _fast_yaml(text)
    return fast is _SLOW or _strict(text) == ("data", fast)


@pytest.mark.parametrize(
    "text",
    [
        "a: yes", "a: 'yes'", "a: [yes, 'no']", "a: On\nb: off", "yes: 1\ntrue: 2", "a: =", "a: '='",
        "a: 2019-02-03", "a: '2019-02-03'", "a: 2019-02-30", "a: 2019-1-1", "a: 2019-02-03 10:00:00",
        "a: 2019-02-03\nb: '2019-02-03'", "2019-02-03: a", "a: 036", "a: 1:30", "a: 0o17", "a: 0x1f", "a: -0x1f",
        "a: 0B11", "a: 1_000", "a: 1_", "a: -.nan", "a: .inf", "a: 1e3", "a: 1.", "a: ~", "a: Null", "a:",
        "a: " + "9" * 5000, "a: !!str 3", "a: !foo 3", "a: &x [1]\nb: *x", "<<: {a: 1}\nb: 2", "[a]: b",
        "? a\n: b", "a: 1\na: 2", "1: a\n01: b", "1: a\ntrue: b", "---\na: 1\n---\nb: 2", "a: |-\n  yes\n",
        "a: >\n  x\n", 'a: "y\\x65s"', "a: 'it''s'", "a: 'a\n\n  b'", "a: x\xa0", "a:\tb", "a: b\r\nc: d",
        "a: \x85b", "a: b\u2028c", "\ufeffa: b", "a: b # yes", "a: 'ok, yes, b'", "a: say yes\n  no",
        "[" * 300 + "]" * 300, "- " * 3000 + "a", "".join(" " * i + "a:\n" for i in range(25)),
        "a: [[[[[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]]]]", "yes", "'yes'", "", "# only a comment",
        "a: 2001-12-14t21:59:43.10-05:00", "- 2001-12-14T21:59:43Z", "a: .Inf", "a: inf", "a: 007",
        # where libyaml and yaml-rs were found to disagree: a key over two lines, ':' in flow collections
        "{b: c, d\ne: f}", "a: [b,\nc]", "{id: :e1}", "{a:, b}", "[a:, b]", "{a:}",
    ],
)
def test_the_fast_yaml_path_reads_as_the_strict_loader_or_steps_aside(text):
    assert _agrees(text)


def test_the_fast_yaml_path_reads_what_programs_and_people_write():
    """Files written by a program (quoted yes/no and dates) and by hand (bare ones) both take
    the fast path, and give the strict loader's data."""
    by_hand = (DATA / "mini_case.yaml").read_text(encoding="utf-8")
    by_program = yaml.safe_dump(yaml.safe_load(by_hand), allow_unicode=True, sort_keys=False)
    for text in (by_hand, by_program):
        fast = _fast_yaml(text)
        assert fast is not _SLOW and ("data", fast) == _strict(text)
    assert _fast_yaml(by_hand)["contract"]["staff"]["transferred"] is True
    assert _fast_yaml(by_program)["as_of"] == datetime.date(2024, 1, 1)


def test_mutated_case_files_read_the_same_on_both_paths():
    """Random edits of real case files (characters that matter to YAML inserted, deleted or
    doubled; lines moved): wherever the fast path answers, the strict loader answers the same."""
    rng = random.Random(20261202)
    by_hand = (DATA / "mini_case.yaml").read_text(encoding="utf-8")
    by_program = yaml.safe_dump(yaml.safe_load(by_hand), allow_unicode=True, sort_keys=False)
    seeds = [by_hand, by_program, (ROOT / "cases" / "s7-donor-database.yaml").read_text(encoding="utf-8").replace(": >", ":")]
    alphabet = list(" \n:-'\"[]{},#yesnoON=0123456789._x") + ["  ", "- ", ": ", "yes", "no", "2020-01-01", "1_0"]
    answered = 0
    for _ in range(1500):
        text = rng.choice(seeds)
        for _ in range(rng.randint(1, 4)):
            at = rng.randrange(len(text))
            move = rng.random()
            if move < 0.45:
                text = text[:at] + rng.choice(alphabet) + text[at:]
            elif move < 0.8:
                text = text[:at] + text[at + rng.randint(1, 3):]
            else:
                lines = text.split("\n")
                line = lines.pop(rng.randrange(len(lines)))
                lines.insert(rng.randrange(len(lines) + 1), line)
                text = "\n".join(lines)
        assert _agrees(text), text
        answered += _fast_yaml(text) is not _SLOW
    assert answered > 200  # the fast path answered often enough for the comparison to mean something
