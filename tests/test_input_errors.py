"""Bad input refused as bad input: exit status 2, one line naming the file, the path inside it
and what was expected, and nothing written. Each test failed before its fix.

- Ids the engine cannot tell apart: two ids of one case sharing durable_rules' 32-bit fact hash
  stopped the run as an engine failure (exit 3) instead of being refused as a problem of the file.
- A what-if patch file: its errors named ``<what-if>``, neither the file nor the key in it.
- Invisible characters in ids: bidirectional controls and zero-width characters made two ids that
  look alike differ, and a report showed an id reading otherwise than it is ("Trojan source").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from click.testing import CliRunner, Result
from helpers import ROOT

from reversibility_kb import CaseError, assess, default_rulebook, load_case
from reversibility_kb.cli.main import main
from reversibility_kb.inference.engine import Engine, EngineError, _message_hash
from reversibility_kb.inference.facts import case_facts
from reversibility_kb.case.model import Event, EventKind, Tool, ToolPurpose

CASE = ROOT / "cases" / "s7-donor-database.yaml"
#: Two ids durable_rules takes for one fact (the same 32-bit FNV-1 hash), found by a search over ``ev-N``.
CLASH = ("ev-40783", "ev-352800")
#: What the loader says of an id holding an invisible character.
HIDDEN = "expected an id without invisible or direction-changing characters (with one, an id reads on screen as another)"


def _case_data() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    return data


def _write(path: Path, data: Any) -> Path:
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def _refused(result: Result) -> str:
    """The promise for bad input: exit 2, nothing on standard output, one line on standard error."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1 and result.stderr.endswith("\n"), result.stderr
    assert result.stderr.startswith("error: ") and "Traceback" not in result.stderr
    return result.stderr


# Ids the engine cannot tell apart.


def _clashing_data() -> dict[str, Any]:
    """The worked case with a tool and an event whose ids share the engine's hash."""
    data = _case_data()
    data["contract"]["tools"] = [{"id": CLASH[0], "name": "Console", "purpose": "operation"}]
    data["history"][3]["id"] = CLASH[1]
    return data


def test_the_clashing_pair_shares_the_engines_hash():
    assert _message_hash(CLASH[0]) == _message_hash(CLASH[1]) and CLASH[0] != CLASH[1]


def test_two_ids_sharing_the_engines_hash_are_refused_naming_both_places(tmp_path):
    path = _write(tmp_path / "case.yaml", _clashing_data())
    output = tmp_path / "report.md"
    stderr = _refused(_run("report", str(path), "--format", "md", "-o", str(output)))
    assert stderr == (
        f"error: {path}: history[3].id: expected ids the engine can tell apart, got 'ev-352800', which shares its "
        "32-bit fact hash (FNV-1, durable_rules' identity of a fact) with 'ev-40783' at contract.tools[0].id: "
        "rename one of them\n"
    )
    assert not output.exists()
    with pytest.raises(CaseError) as caught:
        load_case(path)
    assert (caught.value.file, caught.value.path) == (str(path), "history[3].id")


def test_a_hand_built_case_with_clashing_ids_is_a_case_error():
    case = load_case(CASE)
    tool = Tool(id=CLASH[0], name="Console", purpose=ToolPurpose.operation)
    event = Event(id=CLASH[1], date=case.history[-1].date, kind=EventKind.dispute)
    built = attrs.evolve(case, contract=attrs.evolve(case.contract, tools=(tool,)), history=(*case.history, event))
    with pytest.raises(CaseError) as caught:
        assess(built)
    assert (caught.value.file, caught.value.path) == ("<case>", "history[5].id")
    assert "'ev-40783' at contract.tools[0].id" in str(caught.value)


def test_the_engine_still_refuses_clashing_facts_it_is_given_directly():
    """The loader's check comes first; the engine's own guard stays, for facts built by hand."""
    facts = case_facts(load_case(CASE))
    facts += [{**facts[-1], "id": CLASH[0]}, {**facts[-1], "id": CLASH[1]}]
    with pytest.raises(EngineError, match="'ev-40783' and 'ev-352800'"):
        Engine(default_rulebook()).run(facts)



def test_every_fact_a_run_adds_besides_the_case_items_is_one_the_loader_checks_ids_against():
    """The loader refuses an input id sharing the hash of one of the engine's own facts; a new kind
    of own fact (from the fact builder or the engine) left out of that list would go unchecked
    and stop the run as an engine failure again."""
    from reversibility_kb.case.model import MarginLever, Objective
    from reversibility_kb.case.resources import rules_dir
    from reversibility_kb.inference.assessment import _bundled, _engine
    from reversibility_kb.inference.engine import own_fact_ids
    from reversibility_kb.inference.packs import available_packs

    case = load_case(CASE)
    contract = attrs.evolve(case.contract, objectives=tuple(Objective), margin_levers=tuple(MarginLever))
    case = attrs.evolve(case, contract=contract)
    declared = {contract.id} | {item.id for _, group in _groups(case) for item in group}
    own = own_fact_ids()
    added = {fact["id"] for fact in case_facts(case)} - declared
    assert added and added <= own.keys(), added - own.keys()
    assert "opening" in own
    engine = _engine(_bundled(available_packs(rules_dir())))  # every pack: the most strata
    assert engine.stages >= 1 and {f"stage:{n}" for n in range(1, engine.stages + 1)} <= own.keys()


def _groups(case: Any) -> list[tuple[str, tuple[Any, ...]]]:
    from reversibility_kb.case.loading import _item_groups

    return _item_groups(case)


# Errors of a what-if patch file.


@pytest.mark.parametrize(
    ("patch", "expected"),
    [
        ({"contract.reversibility.transition_months": "six"},
         'contract.reversibility.transition_months: expected a whole number, got "six"'),
        ({"contract.data[donors].backup_mode": "floppy"},
         'contract.data[donors].backup_mode: expected one of physical, logical, unknown, got "floppy"'),
        ({"contract.data[donors]": {"id": "donors", "name": "Base", "very_large": "huge"}},
         'contract.data[donors].very_large: expected one of yes, no, unknown, got "huge"'),
        ({"history[+]": {"id": "e-late", "date": "1999-02-30", "kind": "notice"}},
         'history[+].date: expected a date (YYYY-MM-DD), got "1999-02-30"'),
        ({"contract.reversibility.transition_monts": 6},
         "contract.reversibility in the changed case: expected only the fields of Reversibility, "
         "got an unknown field \"transition_monts\" (did you mean 'transition_months'?)"),
        ({"contract.tools[monitor].owner": "client"},
         "contract.tools[monitor].owner: expected an index or an id of tools, got 'monitor'"),
        ({"contract..plan": "yes"},
         "contract..plan: expected a case-file path such as contract.reversibility.transition_months"),
        ({"contract.tools[+]": {"id": "brutal_reversibility", "name": "Console", "purpose": "operation"}},
         "contract.tools[+].id: expected an id other than a conclusion of the rulebook, got 'brutal_reversibility'"),
        ({"contract.tools[+]": {"id": "console\u202e", "name": "Console", "purpose": "operation"}},
         f"contract.tools[+].id: {HIDDEN}, got '\\u202e' (RIGHT-TO-LEFT OVERRIDE) at character 7"),
        ({"parties[charity].id": "association"},
         "contract.client in the changed case: expected the id of a party, got 'charity'"),
        ({}, "expected a mapping from case-file paths to values, got an empty one"),
    ],
    ids=["number", "enum", "whole-item", "appended-event", "unknown-field", "unknown-item", "bad-path",
         "conclusion-id", "hidden-character", "dangling-reference", "empty"],
)
def test_an_error_in_a_patch_file_names_the_file_and_the_key(tmp_path, patch, expected):
    path = _write(tmp_path / "patch.yaml", patch)
    stderr = _refused(_run("what-if", str(CASE), "--patch", str(path)))
    assert stderr == f"error: {path}: {expected}\n"


def test_a_patch_error_names_the_patch_even_beside_valid_set_changes(tmp_path):
    path = _write(tmp_path / "patch.yaml", {"contract.reversibility.transition_months": "six"})
    stderr = _refused(_run("what-if", str(CASE), "--set", "contract.reversibility.plan=yes", "--patch", str(path)))
    assert stderr == f'error: {path}: contract.reversibility.transition_months: expected a whole number, got "six"\n'


def test_a_set_error_keeps_naming_set(tmp_path):
    path = _write(tmp_path / "patch.yaml", {"contract.reversibility.plan": "yes"})
    stderr = _refused(_run("what-if", str(CASE), "--set", "contract.data[donors].backup_mode=floppy", "--patch", str(path)))
    assert stderr == 'error: --set: contract.data[donors].backup_mode: expected one of physical, logical, unknown, got "floppy"\n'


def test_an_unknown_field_names_the_origin_of_the_changes_made_in_it(tmp_path):
    path = _write(tmp_path / "patch.yaml", {"contract.reversibility.plann": "yes"})
    stderr = _refused(_run("what-if", str(CASE), "--set", "contract.reversibility.transition_months=6", "--patch", str(path)))
    assert stderr == (f"error: {path}: contract.reversibility in the changed case: expected only the fields of Reversibility, "
                      "got an unknown field \"plann\" (did you mean 'plan'?)\n")


def test_a_problem_no_single_change_holds_names_every_origin(tmp_path):
    path = _write(tmp_path / "patch.yaml", {"parties[operator].id": "provider"})
    stderr = _refused(_run("what-if", str(CASE), "--set", "parties[charity].id=association", "--patch", str(path)))
    assert stderr == f"error: --set and {path}: contract.client in the changed case: expected the id of a party, got 'charity'\n"


# Invisible characters in ids.


def _set_in(data: dict[str, Any], path: tuple[Any, ...], value: str) -> None:
    node = data
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = value


@pytest.mark.parametrize(
    ("where", "value", "path", "shown"),
    [
        (("id",), "s7\u202edonor", "id", "'\\u202e' (RIGHT-TO-LEFT OVERRIDE) at character 2"),
        (("contract", "id"), "donor\u200b-ops", "contract.id", "'\\u200b' (ZERO WIDTH SPACE) at character 5"),
        (("parties", 0, "id"), "char\u2066ity", "parties[0].id", "'\\u2066' (LEFT-TO-RIGHT ISOLATE) at character 4"),
        (("contract", "data", 0, "id"), "donors\ufeff", "contract.data[0].id", "'\\ufeff' (ZERO WIDTH NO-BREAK SPACE) at character 6"),
        (("history", 1, "id"), "e-\u061cnotice", "history[1].id", "'\\u061c' (ARABIC LETTER MARK) at character 2"),
        (("contract", "provider"), "operator\u200f", "contract.provider", "'\\u200f' (RIGHT-TO-LEFT MARK) at character 8"),
        (("history", 2, "ref"), "don\u2060ors", "history[2].ref", "'\\u2060' (WORD JOINER) at character 3"),
        (("history", 1, "against"), "\u2067operator", "history[1].against", "'\\u2067' (RIGHT-TO-LEFT ISOLATE) at character 0"),
    ],
    ids=["case", "contract", "party", "item", "event", "party-reference", "item-reference", "event-party"],
)
def test_an_id_with_an_invisible_character_is_refused_naming_it(tmp_path, where, value, path, shown):
    data = _case_data()
    _set_in(data, where, value)
    case = _write(tmp_path / "case.yaml", data)
    output = tmp_path / "report.md"
    stderr = _refused(_run("report", str(case), "--format", "md", "-o", str(output)))
    assert stderr == f"error: {case}: {path}: {HIDDEN}, got {shown}\n"
    assert not output.exists()


@pytest.mark.parametrize(
    ("part", "path", "shown"),
    [
        ({"exhibits": [{"number": "P-1\u202c", "title": "Contrat", "party": "charity"}]},
         "exhibits[0].number", "'\\u202c' (POP DIRECTIONAL FORMATTING) at character 3"),
        ({"exhibits": [{"number": "P-1", "title": "Contrat", "party": "\u202dcharity"}]},
         "exhibits[0].party", "'\\u202d' (LEFT-TO-RIGHT OVERRIDE) at character 0"),
        ({"mission": {"questions": [{"id": "q\u200c1", "text": {"fr": "Dire si", "en": "Say whether"}}]}},
         "mission.questions[0].id", "'\\u200c' (ZERO WIDTH NON-JOINER) at character 1"),
    ],
    ids=["exhibit-number", "exhibit-party", "mission-question"],
)
def test_an_id_in_the_court_part_with_an_invisible_character_is_refused(tmp_path, part, path, shown):
    data = {**_case_data(), **part}
    case = _write(tmp_path / "case.yaml", data)
    stderr = _refused(_run("assess", str(case)))
    assert stderr == f"error: {case}: {path}: {HIDDEN}, got {shown}\n"


def test_texts_keep_the_marks_a_right_to_left_script_needs(tmp_path):
    """A name or a note is only shown: a French text quoting an Arabic name may need them."""
    data = _case_data()
    data["parties"][0]["name"] = "جمعية المانحين\u200f (client)"
    data["history"][1]["note"] = "Lettre du \u061cرئيس\u061c, non-renewal"
    case = load_case(_write(tmp_path / "case.yaml", data))
    assert case.parties[0].name == "جمعية المانحين\u200f (client)"
    assert case.history[1].note == "Lettre du \u061cرئيس\u061c, non-renewal"


def test_an_error_line_shows_an_invisible_character_escaped(tmp_path):
    """A value quoted in an error may hold one: the terminal must show it, not obey it."""
    data = _case_data()
    data["contract"]["reversibility"]["plan"] = "n\u202eo"
    case = _write(tmp_path / "case.yaml", data)
    stderr = _refused(_run("assess", str(case)))
    assert "\u202e" not in stderr
    assert stderr == f"error: {case}: contract.reversibility.plan: expected one of yes, no, unknown, got \"n\\u202eo\" (did you mean 'no'?)\n"
