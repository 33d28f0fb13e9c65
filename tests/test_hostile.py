"""Hostile input, as a careless or malicious user would give it: every one is refused in one line
(exit 2 on the command line, ``CaseError`` or ``RuleError`` in the library), quickly, and never
with a traceback, a hang or a memory blow-up."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from helpers import DATA, ROOT, mini_rulebook_with

from reversibility_kb import CaseError, RuleError, load_case, load_rulebook
from reversibility_kb.case.loading import MAX_CHARS, MAX_TEXT

CASE = ROOT / "cases" / "s7-donor-database.yaml"


def _run(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The command line in a fresh interpreter; a hang fails the test by its timeout."""
    return subprocess.run(
        [sys.executable, "-m", "reversibility_kb", *args],
        capture_output=True, text=True, encoding="utf-8", errors="backslashreplace", timeout=timeout,
    )


def _refused(result: subprocess.CompletedProcess[str], *phrases: str) -> str:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    for phrase in phrases:
        assert phrase in lines[0]
    return lines[0]


def _case_data() -> dict:
    return yaml.safe_load(CASE.read_text(encoding="utf-8"))


def _write(tmp_path: Path, data: dict, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    if name.endswith(".json"):
        path.write_text(json.dumps(data, default=str), encoding="utf-8")
    else:
        path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


# Lists that are sets, and ids the engine keeps for itself.


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("objectives", ["missing_skills", "pooling_savings", "missing_skills"], "contract.objectives[2]"),
        ("margin_levers", ["pooling", "pooling"], "contract.margin_levers[1]"),
    ],
)
def test_a_value_given_twice_in_a_set_is_refused(tmp_path, field, value, where):
    data = _case_data()
    data["contract"][field] = value
    _refused(_run("assess", str(_write(tmp_path, data))), where, "expected each value once")


@pytest.mark.parametrize("bad_id", ["opening", "stage:1", "objective:pooling_savings", "doc@contract", "two words"])
def test_an_id_shaped_like_the_engines_own_facts_is_refused(tmp_path, bad_id):
    data = _case_data()
    data["contract"]["tools"] = [{"id": bad_id, "name": "x", "purpose": "operation"}]
    _refused(_run("assess", str(_write(tmp_path, data))), "contract.tools[0].id", "the engine's own facts")


def test_an_id_equal_to_a_conclusion_is_refused(tmp_path):
    data = _case_data()
    data["contract"]["tools"] = [{"id": "backup_needs_same_engine", "name": "x", "purpose": "operation"}]
    _refused(_run("assess", str(_write(tmp_path, data))), "contract.tools[0].id", "conclusion of the rulebook")


# Files that are not regular files, or too large to read.


@pytest.fixture()
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "pipe.yaml"
    os.mkfifo(path)
    return path


def test_a_named_pipe_is_refused_without_blocking(fifo):
    _refused(_run("assess", str(fifo), timeout=60), "expected a readable file, got a named pipe")


def test_a_link_to_a_device_is_refused_without_reading_it(tmp_path):
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    _refused(_run("assess", str(link), timeout=60), "expected a readable file, got a device")


def test_a_huge_sparse_file_is_refused_by_its_size(tmp_path):
    path = tmp_path / "sparse.yaml"
    with path.open("wb") as out:
        out.truncate(50 * 2**30)  # 50 GB, no block written
    _refused(_run("assess", str(path), timeout=60), "expected a file under")


def test_a_named_pipe_as_patch_is_refused(fifo):
    _refused(_run("what-if", "s7-donor-database", "--patch", str(fifo), timeout=60), "named pipe")


def test_a_named_pipe_in_a_rules_folder_is_refused_naming_it(tmp_path):
    directory = tmp_path / "rules"
    shutil.copytree(DATA / "mini_rulebook", directory)
    os.mkfifo(directory / "more.yaml")
    with pytest.raises(RuleError, match=r"more\.yaml.*named pipe"):
        load_rulebook(directory)


# Amplification and size.


def test_aliases_cannot_expand_a_small_file_into_a_huge_one(tmp_path):
    """Each tool names the same long text through an alias: a small file, a huge case."""
    count = MAX_CHARS // MAX_TEXT + 2
    tools = [f"    - {{id: t0, name: &long {'x' * (MAX_TEXT - 1)}, purpose: operation}}"]
    tools += [f"    - {{id: t{i}, name: *long, purpose: operation}}" for i in range(1, count)]
    path = tmp_path / "aliases.yaml"
    text = CASE.read_text(encoding="utf-8").replace("contract:\n", "contract:\n  tools:\n" + "\n".join(tools) + "\n", 1)
    path.write_text(text, encoding="utf-8")
    assert path.stat().st_size < MAX_CHARS / 10
    with pytest.raises(CaseError, match="characters of text"):
        load_case(path)


def test_a_text_longer_than_any_case_needs_is_refused(tmp_path):
    data = _case_data()
    data["contract"]["tools"] = [{"id": "t1", "name": "x" * (MAX_TEXT + 1), "purpose": "operation"}]
    with pytest.raises(CaseError, match=r"contract\.tools\[0\]\.name: expected a text of at most"):
        load_case(_write(tmp_path, data))


@pytest.mark.parametrize(
    ("value", "phrase"),
    [
        ("[&a [x,x,x,x,x,x,x,x,x,x], &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a], &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b],"
         " &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c], &e [*d,*d,*d,*d,*d,*d,*d,*d,*d,*d], [*e,*e,*e,*e,*e,*e,*e,*e,*e,*e]]",
         "expected at most 200000 values"),
        ("[" * 5000 + "]" * 5000, "levels of nesting"),
        ("9" * 5000, "digits"),
    ],
    ids=["yaml-bomb", "deep", "huge-int"],
)
def test_set_values_have_a_files_bounds(value, phrase):
    _refused(_run("what-if", "s7-donor-database", "--set", f"contract.term_months={value}", timeout=60), "--set", phrase)


# YAML 1.2 numbers, JSON duplicate keys, unprintable text.


def test_a_leading_zero_is_decimal_as_in_yaml_1_2(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(CASE.read_text(encoding="utf-8").replace("term_months: 48", "term_months: 036", 1), encoding="utf-8")
    assert load_case(path).contract.term_months == 36


def test_a_sexagesimal_number_is_a_text_as_in_yaml_1_2(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_text(CASE.read_text(encoding="utf-8").replace("term_months: 48", "term_months: 1:30", 1), encoding="utf-8")
    with pytest.raises(CaseError, match=r'contract\.term_months: expected a whole number, got "1:30"'):
        load_case(path)


def test_a_key_given_twice_in_json_is_refused(tmp_path):
    path = tmp_path / "case.json"
    text = json.dumps(_case_data(), default=str)
    path.write_text(text.replace('{"id": ', '{"id": "first", "id": ', 1), encoding="utf-8")
    _refused(_run("assess", str(path)), "expected each key once in a mapping", '"id"')


@pytest.mark.parametrize(
    ("raw", "shown"),
    [("\\ud800", "\\ud800"), ("\\u001b[31m", "\\x1b"), ("\\u0085", "\\x85")],
    ids=["lone-surrogate", "escape-sequence", "c1-control"],
)
@pytest.mark.parametrize("field", ["name", "id"])
def test_unprintable_text_is_refused_in_one_line(tmp_path, raw, shown, field):
    data = _case_data()
    data["contract"]["tools"] = [{"id": "t1", "name": "tool", "purpose": "operation"}]
    path = tmp_path / "case.json"
    text = json.dumps(data, default=str).replace(f'"{field}": "{"t1" if field == "id" else "tool"}"', f'"{field}": "a{raw}b"')
    path.write_text(text, encoding="utf-8")
    line = _refused(_run("assess", str(path)), f"contract.tools[0].{field}", "control characters or lone surrogates")
    assert shown in line and "\x1b" not in line


def test_an_unprintable_file_name_is_escaped_in_the_error(tmp_path):
    path = tmp_path / "a\x1b[2Jb.yaml"
    line = _refused(_run("assess", str(path)), "expected a readable file")
    assert "\\x1b[2J" in line


# Custom rulebooks through the library.


def _clone(rules: list, count: int) -> None:
    first = rules[0]
    rules += [{**first, "id": f"copy-{i}", "concludes": f"copy_{i}"} for i in range(count)]


@pytest.mark.parametrize(
    ("change", "rule", "field", "phrase"),
    [
        (lambda rules: rules[0].update(id="opener"), "opener", "id", "the engine's own rules"),
        (lambda rules: rules[0].update(id="sink"), "sink", "id", "the engine's own rules"),
        (lambda rules: rules[0]["when"][0]["doc"].update(changes_since_accepted={"gt": float("inf")}),
         "doc-not-accepted", "when[0].doc.changes_since_accepted", "expected a finite number"),
        (lambda rules: rules[0]["when"][0]["doc"].update(planned_initial="maybe"),
         "doc-not-accepted", "when[0].doc.planned_initial", "expected one of no, unknown, yes"),
        (lambda rules: _clone(rules, 1200), "copy-", "", "at most 1000 rules"),
        (lambda rules: _clone(rules, 300), "copy-", "when", "rules testing the same condition"),
        (lambda rules: rules.append({**rules[0], "id": "doc-not-accepted-again"}),
         "doc-not-accepted-again", "when", "rule 'doc-not-accepted' concludes the same"),
        (lambda rules: rules[1]["when"][0]["missing"].update(kind="doc_not_acepted"),
         "documentation-unreliable", "when[0].missing.kind", "did you mean 'doc_not_accepted'"),
        # durable_rules drops the join of a condition holding a value list: one document's
        # acceptance would block the finding on every other document
        (lambda rules: rules[0]["when"][1]["not"].update(kind={"in": ["accepted", "accepted_with_reservations"]}),
         "doc-not-accepted", "when[1].not", "not both"),
    ],
    ids=["opener", "sink", "inf-bound", "constant-typo", "thousands", "shared-condition", "duplicate-rule", "unknown-kind",
         "in-with-join"],
)
def test_a_custom_rulebook_is_refused_naming_file_rule_and_field(tmp_path, change, rule, field, phrase):
    with pytest.raises(RuleError) as caught:
        load_rulebook(mini_rulebook_with(tmp_path, change))
    error = caught.value
    assert error.file.endswith("rules.yaml")
    assert error.rule.startswith(rule)
    assert error.field == field
    assert phrase in str(error)


def test_a_misspelt_constant_of_the_bundled_model_is_refused(tmp_path):
    """A rule testing ``backup_mode: physcial`` would load and silently never match."""
    directory = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", directory)
    path = next(p for p in sorted(directory.glob("*.yaml")) if "backup_mode: physical" in p.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8").replace("backup_mode: physical", "backup_mode: physcial", 1), encoding="utf-8")
    with pytest.raises(RuleError, match="did you mean 'physical'"):
        load_rulebook(directory)
