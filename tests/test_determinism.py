"""Same bytes whatever the hash seed, the locale, or the thread: every verb, every format, every
language.

Each environment runs the whole command list in one fresh interpreter (``_DRIVER``), writing
each command's standard output through a stream in the locale's own encoding, as a terminal or a
pipe would get it; the test then compares the bytes command by command.
"""

from __future__ import annotations

import concurrent.futures
import json
import os
import subprocess
import sys
from typing import Any

import pytest
from helpers import ROOT

CASE = "s7-donor-database"
FINDING = "backup_needs_same_engine@donors"
RULE = "independent-backup-restored-service"


def _commands() -> list[list[str]]:
    commands: list[list[str]] = [["schema"], ["check", CASE], ["assess-dir", "cases", "--workers", "1"]]
    for lang in ("en", "fr"):
        per_lang = [
            *(["assess", CASE, "--format", fmt] for fmt in ("text", "json", "md")),
            *(["explain", CASE, FINDING, "--format", fmt] for fmt in ("text", "json")),
            *(["why", CASE, FINDING, "--format", fmt, "--depth", depth] for fmt in ("text", "json") for depth in ("summary", "full")),
            *(["why-not", CASE, RULE, "--format", fmt] for fmt in ("text", "json")),
            *(["what-if", CASE, "--set", "contract.reversibility.plan=yes", "--format", fmt] for fmt in ("text", "json")),
            *(["what-if", CASE, "--remove", FINDING, "--format", fmt] for fmt in ("text", "json")),
            *(["questions", CASE, "--format", fmt] for fmt in ("text", "json")),
            *(["rules", "--format", fmt] for fmt in ("text", "json")),
            *(["cases", "--format", fmt] for fmt in ("text", "json")),
            *(["report", CASE, "--format", fmt] for fmt in ("md", "html")),
            *(["graph", CASE, "--format", fmt] for fmt in ("svg", "graphml", "json", "dot", "mermaid")),
            *(["court-report", CASE, "--format", fmt] for fmt in ("md", "html")),
            ["note", CASE],
            *(["exercise", CASE, "--format", fmt] for fmt in ("md", "html", "template")),
        ]
        commands += [[*command, "--lang", lang] for command in per_lang]
    return commands


COMMANDS = _commands()

#: Runs every command of argv[1] (JSON) in this interpreter; prints {command: [status, stdout]}.
_DRIVER = r"""
import io, json, locale, sys
from reversibility_kb.cli.main import main
out = {}
real = sys.stdout
for args in json.loads(sys.argv[1]):
    raw = io.BytesIO()
    sys.stdout = io.TextIOWrapper(raw, encoding=locale.getpreferredencoding(False), errors="strict", write_through=True)
    try:
        main.main(args, prog_name="reversibility-kb", standalone_mode=True)
        status = 0
    except SystemExit as exc:
        status = exc.code or 0
    except BaseException as exc:
        status = f"{type(exc).__name__}: {exc}"
    try:
        sys.stdout.flush()
    except Exception:
        pass
    out[" ".join(args)] = [status, raw.getvalue().decode("latin-1")]
sys.stdout = real
print(json.dumps(out))
"""

ENVIRONMENTS = {
    "seed-0-utf8": {"PYTHONHASHSEED": "0", "LC_ALL": "C.UTF-8"},
    "seed-1-latin1": {"PYTHONHASHSEED": "1", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0", "PYTHONIOENCODING": "latin-1"},
    "seed-12345-ascii": {"PYTHONHASHSEED": "12345", "LC_ALL": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0"},
}


@pytest.fixture(scope="module")
def outputs() -> dict[str, dict[str, Any]]:
    runs = {}
    for name, env in ENVIRONMENTS.items():
        environment = {k: v for k, v in os.environ.items() if not k.startswith(("LC_", "PYTHON")) and k != "LANG"}
        result = subprocess.run(
            [sys.executable, "-c", _DRIVER, json.dumps(COMMANDS)],
            capture_output=True, cwd=ROOT, env={**environment, **env}, timeout=1200, check=False,
        )
        assert result.returncode == 0, result.stderr.decode("utf-8", "replace")[-2000:]
        runs[name] = json.loads(result.stdout.decode("ascii"))
    return runs


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_same_bytes_across_hash_seeds_and_locales(outputs, command):
    key = " ".join(command)
    reference = outputs["seed-0-utf8"][key]
    assert reference[0] == 0, reference
    assert reference[1], "no output"
    reference[1].encode("latin-1").decode("utf-8")  # UTF-8, whatever the locale
    for name in ENVIRONMENTS:
        assert outputs[name][key] == reference, name


def _render(kind: str) -> str:
    from reversibility_kb.case.catalogue import resolve
    from reversibility_kb.outputs.graphs import finding_severities, to_svg
    from reversibility_kb.case.loading import load_case
    from reversibility_kb.inference.assessment import assess
    from reversibility_kb.outputs.report import report_html

    assessment = assess(load_case(resolve(CASE)))
    if kind == "svg":
        return to_svg(assessment.graph, "fr", finding_severities(assessment))
    return report_html(assessment, "fr", [])


@pytest.mark.parametrize("kind", ["svg", "html"])
def test_pictures_drawn_in_threads_equal_the_sequential_ones(kind):
    sequential = [_render(kind) for _ in range(2)]
    assert sequential[0] == sequential[1]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        threaded = list(pool.map(_render, [kind] * 8))
    assert all(text == sequential[0] for text in threaded)


def test_the_case_digest_is_the_sha256_of_the_documented_canonical_json():
    """The digest printed in every report is the SHA-256 of the case's data as
    ``json.dumps(sort_keys=True, ensure_ascii=False, separators=(",", ":"))`` writes it, whatever
    characters its texts hold: a faster encoder that escaped one character differently (or
    sorted keys otherwise) would change the digest an expert quotes for the same case."""
    import hashlib

    import attrs

    from reversibility_kb.inference.assessment import case_digest
    from reversibility_kb.case.loading import case_to_data, load_case
    from reversibility_kb.case.model import Text
    from reversibility_kb.case.resources import cases_dir

    case = load_case(cases_dir() / f"{CASE}.yaml")
    every_character = "".join(map(chr, [*range(1, 0xD800), *range(0xE000, 0x110000, 97)]))
    cases = [case, attrs.evolve(case, title=Text(fr=every_character, en=every_character[::-1]))]
    for each in cases:
        canonical = json.dumps(case_to_data(each), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
        assert case_digest(each) == hashlib.sha256(canonical.encode()).hexdigest()
    assert case_digest(cases[0]) != case_digest(cases[1])
