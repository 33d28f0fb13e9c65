"""A quick start, checked without a clock: what ``--help`` and ``assess`` import, the verb table
``--help`` reads instead of the verbs' modules, and the cache of the bundled rulebook (a hit gives
the same rulebook; a stale, damaged or foreign cache is ignored and rewritten)."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from helpers import ROOT

from reversibility_kb import assess, load_case
from reversibility_kb.case import resources
from reversibility_kb.inference import rulebook_cache
from reversibility_kb.case.catalogue import resolve
from reversibility_kb.cli.main import LAZY_VERBS, main
from reversibility_kb.inference.rulebook import Rulebook, _read_rulebook, load_rulebook

#: Only the verbs that draw, write documents, train or mutate rules need these.
HEAVY = ("networkx", "jinja2", "matplotlib", "docx", "pydot", "tqdm", "reversibility_kb.outputs.report", "reversibility_kb.outputs.graphs",
         "reversibility_kb.cli.reports", "reversibility_kb.cli.court", "reversibility_kb.cli.training", "reversibility_kb.cli.coverage")


def _fresh(code: str, tmp_path: Path) -> list[str]:
    """Run ``code`` in a fresh interpreter (rulebook cache in ``tmp_path``); its last line, as JSON."""
    env = {**os.environ, "REVERSIBILITY_KB_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    found: list[str] = json.loads(done.stdout.strip().splitlines()[-1])
    return found


def test_help_imports_neither_the_engine_nor_the_model(tmp_path):
    probe = (
        "import json, sys, reversibility_kb.cli.main\n"
        "from click.testing import CliRunner\n"
        "assert CliRunner().invoke(reversibility_kb.cli.main.main, ['--help']).exit_code == 0\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('reversibility_kb', 'durable', 'cattrs', 'yaml', 'msgspec')))))\n"
    )
    assert _fresh(probe, tmp_path) == [
        "reversibility_kb", "reversibility_kb.case", "reversibility_kb.case.i18n", "reversibility_kb.cli",
        "reversibility_kb.cli.common", "reversibility_kb.cli.help", "reversibility_kb.cli.help_i18n",
        "reversibility_kb.cli.main",
    ]


def test_assess_leaves_the_report_picture_and_training_stacks_out(tmp_path):
    probe = (
        "import json, sys, reversibility_kb.cli.main\n"
        "from click.testing import CliRunner\n"
        "for args in (['--help'], ['assess', 's7-donor-database'], ['assess', 's7-donor-database']):\n"
        "    assert CliRunner().invoke(reversibility_kb.cli.main.main, args).exit_code == 0\n"
        f"print(json.dumps(sorted(m for m in {HEAVY!r} if m in sys.modules)))\n"
    )
    assert _fresh(probe, tmp_path) == []


def test_help_lists_every_verb_as_the_verbs_themselves_would():
    """The table ``--help`` reads holds each verb's module; the list is the same before and after they are imported."""
    context = click.Context(main)
    for name, module in LAZY_VERBS.items():
        command = main.get_command(context, name)
        assert command is not None and command.callback is not None
        assert command.callback.__module__ == f"reversibility_kb.cli.{module}"
    probe = (
        "from click.testing import CliRunner\nfrom reversibility_kb.cli.main import main\n"
        "print(CliRunner().invoke(main, ['--help'], prog_name='reversibility-kb', terminal_width=80).stdout, end='')"
    )
    lazy = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    loaded = CliRunner().invoke(main, ["--help"], prog_name="reversibility-kb", terminal_width=80).stdout  # every verb imported by now
    assert lazy == loaded and "assess-register  Assess every arrangement" in loaded
    assert set(main.commands) == set(main.list_commands(context)) and {"assess", "report", "review", "coverage"} <= set(main.commands)


def test_a_verb_that_reads_the_rulebook_gets_pack_when_it_is_handed_out():
    context = click.Context(main)
    for name in ("assess", "report", "review"):
        command = main.get_command(context, name)
        assert command is not None and [p.name for p in command.params].count("pack") == 1
    coverage = main.get_command(context, "coverage")
    assert coverage is not None and "pack" not in [p.name for p in coverage.params]


def test_the_package_exports_its_public_names_on_first_use(tmp_path):
    probe = (
        "import json, sys, reversibility_kb as kb\n"
        "before = 'reversibility_kb.case.model' in sys.modules\n"
        "names = {name: type(getattr(kb, name)).__name__ for name in kb.__all__}\n"
        "from reversibility_kb import assess, load_case, CaseError\n"
        "print(json.dumps([before, sorted(names), assess.__module__, load_case.__module__, CaseError.__module__]))\n"
    )
    before, names, *modules = _fresh(probe, tmp_path)
    assert before is False
    assert names == sorted(["Assessment", "CaseError", "Finding", "RuleError", "Rulebook", "assess", "default_rulebook",
                            "load_case", "load_rulebook", "__version__"])
    assert modules == ["reversibility_kb.inference.assessment", "reversibility_kb.case.loading", "reversibility_kb.case.loading"]
    import reversibility_kb

    with pytest.raises(AttributeError):
        reversibility_kb.no_such_name  # noqa: B018


# ------------------------------------------------------------------------------------------------
# the rulebook cache


class Reads:
    """The rulebook reader, counting its calls (a call is a cache miss)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, directory: Path, packs: tuple[str, ...]) -> Rulebook:
        self.count += 1
        return _read_rulebook(directory, packs)


@pytest.fixture()
def rules(tmp_path, monkeypatch) -> Path:
    """A copy of the bundled rule folder, made the bundled one, with its cache in ``tmp_path``."""
    folder = tmp_path / "rules"
    shutil.copytree(resources.rules_dir(), folder)
    monkeypatch.setattr(resources, "rules_dir", lambda: folder)
    monkeypatch.setenv("REVERSIBILITY_KB_CACHE_DIR", str(tmp_path / "cache"))
    return folder


def _cache_file(rules: Path) -> Path:
    [path] = (rules.parent / "cache").glob("rulebook-*.pickle")
    return path


def test_a_cache_hit_gives_the_same_rulebook_and_the_same_assessment(rules):
    reads = Reads()
    first = rulebook_cache.cached(rules, (), reads)
    again = rulebook_cache.cached(rules, (), reads)
    assert reads.count == 1
    assert again == first and again is not first and again.digest == first.digest
    assert again.rule(first.rules[0].id) == first.rules[0]
    case = load_case(resolve("s7-donor-database"))
    assert json.dumps(assess(case, again).to_dict()) == json.dumps(assess(case, _read_rulebook(rules, ())).to_dict())
    with_pack = rulebook_cache.cached(rules, ("dora",), reads)
    assert reads.count == 2 and len(with_pack.rules) > len(first.rules)
    assert rulebook_cache.cached(rules, ("dora",), reads) == with_pack and reads.count == 2


@pytest.mark.parametrize("damage", ["truncated", "flipped", "garbage", "empty", "other_key"])
def test_a_damaged_cache_is_ignored_and_rewritten(rules, damage):
    reads = Reads()
    expected = rulebook_cache.cached(rules, (), reads)
    path = _cache_file(rules)
    data = path.read_bytes()
    damaged = {
        "truncated": data[: len(data) // 2],
        "flipped": data[:-100] + bytes([data[-100] ^ 0x01]) + data[-99:],
        "garbage": b"not a rulebook at all",
        "empty": b"",
        "other_key": data[:8] + bytes(32) + data[40:],
    }[damage]
    path.write_bytes(damaged)
    assert rulebook_cache.cached(rules, (), reads) == expected
    assert reads.count == 2
    assert path.read_bytes() == data  # rewritten
    assert rulebook_cache.cached(rules, (), reads) == expected and reads.count == 2


def test_a_cache_holding_anything_but_rulebook_classes_is_never_unpickled(rules):
    """Even with a right key and digest (someone who can write the cache), a class outside the
    rulebook's is refused before it is imported: the cache cannot run code."""
    reads = Reads()
    expected = rulebook_cache.cached(rules, (), reads)
    path = _cache_file(rules)
    head = path.read_bytes()[: len(rulebook_cache.MAGIC) + 32]
    body = pickle.dumps(Path("/"))  # a harmless stand-in for a callable an attacker would name
    import hashlib

    path.write_bytes(head + hashlib.sha256(body).digest() + body)
    assert rulebook_cache.cached(rules, (), reads) == expected and reads.count == 2


def test_a_cache_others_may_write_is_not_trusted(rules):
    reads = Reads()
    rulebook_cache.cached(rules, (), reads)
    os.chmod(_cache_file(rules), 0o666)
    rulebook_cache.cached(rules, (), reads)
    assert reads.count == 2


def test_a_changed_rule_file_or_an_added_one_is_read_again(rules):
    reads = Reads()
    before = rulebook_cache.cached(rules, (), reads)
    file = rules / "s7_wording.yaml"
    text = file.read_text(encoding="utf-8")
    title = before.rules[[r.file for r in before.rules].index(str(file))].title.en
    file.write_text(text.replace(title, title + " (changed)", 1), encoding="utf-8")
    after = rulebook_cache.cached(rules, (), reads)
    assert reads.count == 2 and after.digest != before.digest
    assert title + " (changed)" in {rule.title.en for rule in after.rules}
    (rules / "packs" / "dora" / "extra.yaml").write_text("rules: []\n", encoding="utf-8")
    rulebook_cache.cached(rules, ("dora",), reads)
    rulebook_cache.cached(rules, ("dora",), reads)
    (rules / "packs" / "dora" / "extra.yaml").unlink()
    rulebook_cache.cached(rules, ("dora",), reads)
    assert reads.count == 4


def test_a_malformed_rule_file_is_refused_every_time_and_never_cached(rules):
    from reversibility_kb.inference.rulebook import RuleError

    (rules / "s7_wording.yaml").write_text("rules: [{id: Bad}]\n", encoding="utf-8")
    for _ in range(2):
        with pytest.raises(RuleError, match="s7_wording.yaml"):
            load_rulebook(rules)
    assert not list((rules.parent / "cache").glob("rulebook-*"))


def test_a_folder_given_by_the_user_is_read_every_time(rules, tmp_path):
    mine = tmp_path / "mine"
    shutil.copytree(rules, mine)
    reads = Reads()
    rulebook_cache.cached(mine, (), reads)
    rulebook_cache.cached(mine, (), reads)
    assert reads.count == 2 and not (tmp_path / "cache").exists()


def test_an_empty_cache_setting_turns_the_cache_off(rules, monkeypatch):
    monkeypatch.setenv("REVERSIBILITY_KB_CACHE_DIR", "")
    reads = Reads()
    rulebook_cache.cached(rules, (), reads)
    rulebook_cache.cached(rules, (), reads)
    assert reads.count == 2 and not (rules.parent / "cache").exists()


def test_the_same_folder_named_another_way_keeps_its_own_file_names(rules, monkeypatch):
    """Rules remember the path of their file as the folder was named: a cache filled through an
    absolute name does not answer for a relative one."""
    reads = Reads()
    absolute = rulebook_cache.cached(rules, (), reads)
    monkeypatch.chdir(rules.parent)
    relative = rulebook_cache.cached(Path("rules"), (), reads)
    assert reads.count == 2
    assert {rule.file for rule in relative.rules} == {str(Path("rules") / Path(r.file).name) for r in absolute.rules}


def test_each_mutant_of_mutation_testing_reads_the_rules_itself(rules, monkeypatch):
    """mutmut runs every mutant from one source, chosen by an environment variable: a rulebook
    cached under one mutant (or none) must not answer for another."""
    reads = Reads()
    rulebook_cache.cached(rules, (), reads)
    monkeypatch.setenv("MUTANT_UNDER_TEST", "reversibility_kb.inference.facts.x_fact_attributes__mutmut_1")
    rulebook_cache.cached(rules, (), reads)
    assert reads.count == 2
