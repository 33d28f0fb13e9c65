"""Issue 13, audited as a hostile user and an integrating engineer: the defects the first pass
left, each pinned here by a test that failed before its fix.

- Outputs: the exercise sheet kept a case title on several lines inside a YAML comment (the
  answer template no longer parsed, and a line of the title became Markdown outside its fence);
  ``-o`` could overwrite the answers, the draft or the case file that ``train``, ``review`` and
  ``exercise`` read.
- Bad input: a register's CSV file that is a named pipe hung ``assess-register``, one linked to
  ``/dev/zero`` filled the memory; a rule's bound of 400 digits crashed ``load_rulebook`` with
  ``OverflowError``; a rule comparing a yes/no/unknown attribute with a number loaded and never
  matched; a cycle through negation named a rule that was not in it; an id made to share the
  engine's 32-bit message hash with ``opening`` crashed the process (segmentation fault), and one
  sharing it with ``stage:1`` gave an error naming neither id.
"""

from __future__ import annotations

import json
import os
import re
import resource
import shutil
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest
import yaml
from helpers import DATA, ROOT, cli, mini_rulebook_with
from markdown_it import MarkdownIt

from reversibility_kb import (
    CaseError,
    RuleError,
    assess,
    default_rulebook,
    load_case,
    load_rulebook,
)
from reversibility_kb.case.catalogue import bundled_cases
from reversibility_kb.case.loading import case_to_data, parse_value
from reversibility_kb.tools.portfolio import default_workers
from reversibility_kb.tools.questions import questions
from reversibility_kb.case.register import read_register
from reversibility_kb.outputs.report import md_fenced
from reversibility_kb.training.sheets import answer_template, sheet_markdown

CASE = ROOT / "cases" / "s7-donor-database.yaml"
#: A text that, on lines of its own, would close a code fence, open a heading and run a script.
BREAKOUT = "T\n```\n<script>alert(1)</script>\n\n# Fake heading\n[c](javascript:alert(1))\n```\n"


def _case_data() -> dict[str, Any]:
    return yaml.safe_load(CASE.read_text(encoding="utf-8"))


def _markdown_html(text: str) -> list[str]:
    """The raw HTML a CommonMark renderer would pass through, and the headings it would make."""
    found: list[str] = []
    tokens = MarkdownIt("commonmark").parse(text)
    stack = list(tokens)
    while stack:
        token = stack.pop()
        if token.type in ("html_block", "html_inline"):
            found.append(token.content)
        stack.extend(token.children or ())
    found += [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open" and tokens[i + 1].content.startswith("Fake")]
    return found


# Outputs escaped for their own syntax.


def test_a_fenced_block_holds_any_text_it_is_given():
    block = md_fenced("a\n```\n<script>alert(1)</script>\n````\n", "yaml")
    tokens = MarkdownIt("commonmark").parse(block)
    assert [t.type for t in tokens] == ["fence"]
    assert tokens[0].info == "yaml" and tokens[0].content == "a\n```\n<script>alert(1)</script>\n````\n"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_exercise_sheet_keeps_multiline_texts_inert(lang):
    data = _case_data()
    data["title"] = {"fr": BREAKOUT, "en": BREAKOUT}
    data["parties"][0]["name"] = "P" + BREAKOUT
    data["contract"]["data"][0]["name"] = "D" + BREAKOUT
    data["history"][1]["note"] = "N" + BREAKOUT
    case = load_case(data)
    rulebook = default_rulebook()
    template = yaml.safe_load(answer_template(case, rulebook, lang))
    assert set(template) == {"case", "student", "findings", "practices", "documents"}
    assert template["case"] == "s7-donor-database"
    assert _markdown_html(sheet_markdown(case, rulebook, lang)) == []


def _answers(tmp_path: Path) -> Path:
    path = tmp_path / "answers.yaml"
    path.write_text(answer_template(load_case(CASE), default_rulebook(), "en"), encoding="utf-8")
    return path


def _draft(tmp_path: Path) -> Path:
    path = tmp_path / "draft.yaml"
    shutil.copy(DATA / "review" / "draft-weak.yaml", path)
    return path


def _case(tmp_path: Path) -> Path:
    path = tmp_path / "case.yaml"
    shutil.copy(CASE, path)
    return path


@pytest.mark.parametrize(
    ("make", "command"),
    [
        (_answers, ["train", "s7-donor-database", "--answers", "{input}", "--format", "md"]),
        (_draft, ["review", "{input}", "--format", "md"]),
        (_case, ["exercise", "{input}", "--format", "md"]),
    ],
    ids=["train-answers", "review-draft", "exercise-case"],
)
def test_output_never_overwrites_a_file_the_command_reads(tmp_path, make, command):
    source = make(tmp_path)
    before = source.read_bytes()
    result = cli(*(part.format(input=source) for part in command), "-o", str(source))
    assert result.returncode == 2, result.stderr
    assert "expected an output file other than" in result.stderr and "Traceback" not in result.stderr
    assert source.read_bytes() == before


# Files that are not regular files.


@pytest.mark.parametrize("kind", ["named pipe", "device"])
def test_a_register_file_that_is_not_a_regular_file_is_refused(tmp_path, kind):
    register = tmp_path / "register"
    shutil.copytree(DATA / "register", register)
    victim = register / "b_05.01.csv"
    victim.unlink()
    if kind == "named pipe":
        os.mkfifo(victim)
    else:
        victim.symlink_to("/dev/zero")
    with pytest.raises(CaseError, match=rf"b_05\.01\.csv: expected a readable file, got a {kind}"):
        read_register(register)


def _register_with(tmp_path: Path, provider_name: str) -> Path:
    register = tmp_path / "register"
    shutil.copytree(DATA / "register", register)
    providers = register / "b_05.01.csv"
    lines = providers.read_text(encoding="utf-8").splitlines()
    code = lines[1].split(",")[0]
    lines[1] = f'{code},"{provider_name}"'
    providers.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return register


def test_a_register_larger_than_any_case_file_is_still_read(tmp_path):
    """The type check must not bring a case file's size bound: docs/packs.md assesses registers
    of 100,000 arrangements (11 MB of contracts)."""
    register = tmp_path / "register"
    shutil.copytree(DATA / "register", register)
    providers = register / "b_05.01.csv"
    extra = "".join(f"UNUSED{i:08d},Provider {i}\n" for i in range(120_000))
    providers.write_text(providers.read_text(encoding="utf-8") + extra, encoding="utf-8")
    assert providers.stat().st_size > 2_000_000
    assert len(read_register(register)) == len(read_register(DATA / "register"))


def test_a_register_cell_with_control_characters_is_refused_naming_it(tmp_path):
    """Such a cell went into the cases (and their files, which the loader then refused) and raw
    into the JSON Lines."""
    register = _register_with(tmp_path, "Provider\x1b]0;owned\x07\x85")
    with pytest.raises(CaseError, match=r"b_05\.01\.csv: row 2\.c0050: expected a text without control characters, got '\\x1b'"):
        read_register(register)


def test_register_json_lines_escape_line_separators(tmp_path):
    from reversibility_kb.case.register import register_date
    from reversibility_kb.outputs.register_report import assess_register, jsonl

    arrangements = read_register(_register_with(tmp_path, "Provider\u2028One"))
    text = jsonl(assess_register(arrangements[:3], register_date(arrangements)))
    assert "\u2028" not in text
    assert any("Provider\u2028One" in json.dumps(json.loads(line), ensure_ascii=False) for line in text.splitlines())


def _limited_memory() -> None:
    """In the child: a reader of /dev/zero fails fast instead of filling the machine's memory."""
    resource.setrlimit(resource.RLIMIT_AS, (2 * 2**30, 2 * 2**30))


@pytest.mark.parametrize("kind", ["named pipe", "device"])
def test_resuming_onto_a_file_that_is_not_a_regular_file_is_refused(tmp_path, kind):
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(CASE, cases)
    out = tmp_path / "results.jsonl"
    if kind == "named pipe":
        os.mkfifo(out)
    else:
        out.symlink_to("/dev/zero")
    try:
        result = subprocess.run(
            [sys.executable, "-m", "reversibility_kb", "assess-dir", str(cases), "--workers", "1", "-o", str(out), "--resume"],
            capture_output=True, text=True, timeout=5, preexec_fn=_limited_memory, check=False,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("assess-dir --resume blocked on the named pipe")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr[-500:]
    assert f"got a {kind}" in result.stderr


# Custom rulebooks through the library.


def _first_test(rules: list[dict[str, Any]]) -> dict[str, Any]:
    return rules[0]["when"][0]["doc"]


@pytest.mark.parametrize(
    ("change", "field", "phrase"),
    [
        (lambda rules: _first_test(rules).update(changes_since_accepted={"gt": 10**400}),
         "when[0].doc.changes_since_accepted", "expected a finite number of at most"),
        (lambda rules: _first_test(rules).update(planned_initial={"gt": 0}),
         "when[0].doc.planned_initial", "expected one of no, unknown, yes (not a number to compare with 'gt')"),
    ],
    ids=["bound-of-400-digits", "number-against-yes-no"],
)
def test_a_rule_bound_the_engine_cannot_use_is_refused(tmp_path, change, field, phrase):
    with pytest.raises(RuleError) as caught:
        load_rulebook(mini_rulebook_with(tmp_path, change))
    assert (caught.value.rule, caught.value.field) == ("doc-not-accepted", field)
    assert phrase in str(caught.value)


def test_a_cycle_through_negation_names_a_rule_on_the_cycle(tmp_path):
    """``documentation-unreliable`` negates its own conclusion; ``doc-not-accepted`` (first in
    alphabetical order among the rules with a negation) has nothing to do with it."""
    negate_own = {"not": {"fact": "conclusion", "kind": "documentation_unreliable"}}
    rulebook = load_rulebook(mini_rulebook_with(tmp_path, lambda rules: rules[1]["when"].append(negate_own)))
    with pytest.raises(RuleError) as caught:
        assess(load_case(DATA / "mini_case.yaml"), rulebook)
    assert (caught.value.rule, caught.value.field) == ("documentation-unreliable", "when[1]")
    assert caught.value.file.endswith("rules.yaml") and "cycle through negation" in str(caught.value)


# Ids the engine cannot tell apart.


@pytest.mark.parametrize(
    ("tool_id", "engine_id"),
    [("temhc2pk", "opening"), ("t3iedk3t", "stage:1")],  # found by a meet-in-the-middle search on FNV-1a
)
def test_an_id_sharing_the_hash_of_an_engine_fact_is_named_not_a_crash(tmp_path, tool_id, engine_id):
    data = _case_data()
    data["contract"]["tools"] = [{"id": tool_id, "name": "x", "purpose": "operation"}]
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = cli("assess", str(path))  # in a child process: the defect was a segmentation fault
    # bad input (exit 2, was 3 from the engine's own guard), refused by the loader at its path
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert f"contract.tools[0].id: expected ids the engine can tell apart, got '{tool_id}'" in result.stderr
    assert f"with '{engine_id}', the engine's" in result.stderr


# Text given on the command line.


def test_a_set_value_that_is_not_utf8_is_refused_in_one_line():
    """``--set 'contract.object_detail=a<byte 0xE9>b'``: Python decodes the argument with lone
    surrogates, in any locale (and every non-ASCII one in the C locale)."""
    with pytest.raises(CaseError, match="surrogate"):
        parse_value("a\udce9b", "--set")


# The library: a case built in code.


@pytest.mark.parametrize(
    "build",
    [
        lambda case: attrs.evolve(case, contract=attrs.evolve(case.contract, termination_fee="yes")),
        lambda case: attrs.evolve(case, contract=attrs.evolve(case.contract, objectives=("missing_skills",))),
        lambda case: attrs.evolve(case, as_of="1999-03-01"),
        lambda case: {"id": case.id},
    ],
    ids=["tri-as-text", "objective-as-text", "date-as-text", "not-a-case"],
)
def test_a_hand_built_case_of_the_wrong_types_is_a_case_error(build):
    """Today: AttributeError or TypeError from inside the fact builder."""
    with pytest.raises(CaseError):
        assess(build(load_case(CASE)))



def _with_event(case, index, **changes):
    history = list(case.history)
    history[index] = attrs.evolve(history[index], **changes)
    return attrs.evolve(case, history=tuple(history))


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda case: _with_event(case, 1, date="2020-01-01"), "history[1].date: expected date, got str"),
        (lambda case: attrs.evolve(case, contract=attrs.evolve(case.contract, data=(case.contract.data[0], "x"))),
         "contract.data[1]: expected DataAsset, got str"),
        (lambda case: attrs.evolve(case, contract=attrs.evolve(case.contract, data=list(case.contract.data))),
         "contract.data: expected a tuple, got list"),
        (lambda case: attrs.evolve(case, contract=attrs.evolve(case.contract, signed_on=None)),
         "contract.signed_on: expected date, got NoneType"),
        (lambda case: _with_event(case, 0, by=3), "history[0].by: expected str, got int"),
    ],
    ids=["event-date", "item-of-a-list", "list-not-tuple", "required-date-none", "optional-text"],
)
def test_a_hand_built_case_of_the_wrong_types_names_the_first_wrong_value(build, message):
    """The path runs through fields and list positions to the first value of the wrong type, in
    the model's field order; an optional field accepts None but not another type."""
    with pytest.raises(CaseError) as refused:
        assess(build(load_case(CASE)))
    assert str(refused.value) == f"<case>: {message}"


# Questions ask only for what the file does not record.


def _recorded(data: Any, path: str) -> Any:
    """The value at a question's path (``contract.data[donors].backup_location``) in a case's data."""
    for part in re.findall(r"[^.\[\]]+|\[[^\]]*\]", path):
        if part.startswith("["):
            key = part[1:-1]
            data = next((item for item in data if item.get("id") == key), None)
        else:
            data = data.get(part) if isinstance(data, dict) else None
        if data is None:
            return None
    return data


#: Every third bundled case: a spread of objects, modes and histories, in a few seconds.
SAMPLE = sorted(bundled_cases().items())[::3]


@pytest.mark.parametrize(("case_id", "path"), SAMPLE, ids=[case_id for case_id, _ in SAMPLE])
def test_questions_never_ask_for_what_the_file_records(case_id, path):
    assessment = assess(load_case(path))
    data = case_to_data(assessment.case)
    for question in questions(assessment):
        if question.path.startswith("history[]."):
            kind = question.path.split(".", 1)[1]
            items = {finding.split("@", 1)[1] for finding in question.findings if "@" in finding}
            recorded = [e.id for e in assessment.case.history if e.kind.value == kind and (not items or e.ref in items)]
            assert recorded == [], (question.path, recorded)
        else:
            assert _recorded(data, question.path) in (None, "unknown", ""), question.path


# Every portfolio verb bounds its workers as assess-dir does.


def test_assess_register_warns_above_the_processors_and_refuses_no_worker(tmp_path):
    """It took ``--workers 64`` silently (64 processes on two cores) and ``--workers 0`` too."""
    above = default_workers() + 1
    many = cli("assess-register", str(DATA / "register"), "--workers", str(above), "--jsonl", str(tmp_path / "out.jsonl"))
    assert many.returncode == 0, many.stderr
    assert many.stderr.startswith(f"warning: {above} workers on {above - 1} processors")
    none = cli("assess-register", str(DATA / "register"), "--workers", "0")
    assert none.returncode == 2 and "--workers" in none.stderr and none.stdout == ""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs Linux's /dev/full")
def test_a_full_disk_while_streaming_results_is_one_error_line(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    shutil.copy(CASE, cases)
    result = cli("assess-dir", str(cases), "--workers", "1", "-o", "/dev/full")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr[-800:]
    assert result.stderr.splitlines()[-1] == "error: /dev/full: cannot write the output file (No space left on device)"


# Determinism of the verbs the parametrised test of test_determinism.py leaves out.


def test_review_train_and_register_give_the_same_bytes_across_hash_seeds_and_locales(tmp_path):
    from test_determinism import _DRIVER, ENVIRONMENTS

    answers = _answers(tmp_path)
    draft = str(DATA / "review" / "draft-weak.yaml")
    commands = [
        ["review", draft, "--format", "md", "--lang", "fr"],
        ["review", draft, "--format", "json"],
        *(["train", "s7-donor-database", "--answers", str(answers), "--format", fmt, "--lang", lang] for fmt, lang in (("text", "fr"), ("json", "en"), ("md", "fr"))),
        ["train", "s7-donor-database", "--hint", "2", "--lang", "fr"],
        ["assess-register", str(DATA / "register"), "--workers", "1", "--lang", "fr"],
    ]
    runs = []
    for env in (ENVIRONMENTS["seed-0-utf8"], ENVIRONMENTS["seed-1-latin1"]):  # another hash seed, another locale
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHON")) and k != "LANG"}
        result = subprocess.run([sys.executable, "-c", _DRIVER, json.dumps(commands)], capture_output=True, cwd=ROOT,
                                env={**environment, **env}, timeout=600, check=False)
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
        runs.append(json.loads(result.stdout.decode("ascii")))
    for command in commands:
        key = " ".join(command)
        assert runs[0][key][0] == 0 and runs[0][key][1], (key, runs[0][key])
        runs[0][key][1].encode("latin-1").decode("utf-8")  # UTF-8 whatever the locale
        assert all(run[key] == runs[0][key] for run in runs[1:]), key


@pytest.mark.skipif(os.geteuid() != 0, reason="making a device node needs root")
def test_output_to_a_device_is_written_into_it_not_replaced(tmp_path):
    """As root, ``-o /dev/null`` once replaced the device with a regular file; a device node of
    our own (the null device's numbers) stands in for it."""
    device = tmp_path / "null"
    os.mknod(device, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    result = cli("graph", "s7-donor-database", "--format", "mermaid", "-o", str(device))
    assert result.returncode == 0, result.stderr
    assert stat.S_ISCHR(os.stat(device).st_mode)


# The linter knows the values of every attribute a rule can test.


@pytest.mark.parametrize(
    ("text", "typo", "field", "suggestion"),
    [
        ("owner_now: provider, transferable: no, needed_by_receiver: yes", "owner_now: provdr, transferable: no, needed_by_receiver: yes",
         "asset.owner_now", "provider"),  # derived by facts.py: an owner, or the role it was transferred to
        ("owner_now: provider, transferable: no, needed_by_receiver: yes", "owner_now: provider, transferable: no, needed_by_receiver: yess",
         "asset.needed_by_receiver", "yes"),  # an asset's fields: the linter read no asset or scope item
        ("migration_exceeds_transition: yes", "migration_exceeds_transition: yse", "contract.migration_exceeds_transition", "yes"),
    ],
    ids=["derived-owner-now", "asset-field", "derived-contract-flag"],
)
def test_a_misspelt_constant_of_a_derived_or_item_attribute_is_refused(tmp_path, text, typo, field, suggestion):
    """Each of these loaded and silently never matched."""
    directory = tmp_path / "rules"
    shutil.copytree(ROOT / "rules", directory)
    path = next(p for p in sorted(directory.glob("*.yaml")) if text in p.read_text(encoding="utf-8"))
    path.write_text(path.read_text(encoding="utf-8").replace(text, typo, 1), encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        load_rulebook(directory)
    assert caught.value.field.endswith(field) and f"did you mean '{suggestion}'" in str(caught.value)


# what-if reports every change to a finding that stays.


def test_what_if_reports_a_finding_whose_severity_changed():
    """tests/test_expert_tools.py pins rules and recommendation; a severity dropped from the
    compared fields went unnoticed."""
    from reversibility_kb.case.model import Severity
    from reversibility_kb.tools.whatif import compare

    before = assess(load_case(CASE))
    first = before.findings[0]
    lowered = attrs.evolve(first, severity=Severity.info)
    after = attrs.evolve(before, findings=(lowered, *before.findings[1:]))
    entry = compare(before, after).to_dict("en")["changed"]
    assert entry == [{"id": first.id, "before": first.severity.value, "after": "info",
                      "changes": {"severity": [first.severity.value, "info"]}}]


def test_output_never_overwrites_a_bundled_case_named_by_its_id(tmp_path):
    """``exercise s7-donor-database -o cases/s7-donor-database.yaml`` replaced the bundled case. The
    target here is a link to it: a regression replaces the link, never the checkout's file."""
    link = tmp_path / "sheet.md"
    link.symlink_to(bundled_cases()["s7-donor-database"])
    # run from elsewhere: the command then reads the same bundle as this process (installed or not)
    result = cli("exercise", "s7-donor-database", "-o", str(link), cwd=tmp_path)
    assert result.returncode == 2 and "expected an output file other than" in result.stderr
    assert link.is_symlink()
