"""A corpus of malformed case files: each is refused in one line, at the right place, with exit 2.

Every file of ``tests/data/malformed/`` is broken in exactly one way and named for its defect;
``EXPECTED.yaml`` there gives, for each, a text its error message must contain (the path inside
the file and what was expected, or a key phrase). The command line is run in a subprocess, as a
user would run it, so a traceback or a crash of the interpreter cannot hide.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from reversibility_kb import CaseError, load_case
from reversibility_kb.case.loading import MAX_BYTES, MAX_DEPTH

MALFORMED = Path(__file__).parent / "data" / "malformed"
EXPECTED: dict[str, str] = yaml.safe_load((MALFORMED / "EXPECTED.yaml").read_text(encoding="utf-8"))
CORPUS = sorted(p for p in MALFORMED.iterdir() if p.is_file() and p.name != "EXPECTED.yaml")


def _assess(path: Path) -> subprocess.CompletedProcess[str]:
    """`reversibility-kb assess PATH` in a fresh interpreter, with the environment unchanged."""
    return subprocess.run(
        [sys.executable, "-m", "reversibility_kb", "assess", str(path)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="backslashreplace",
        timeout=120,
    )


def _assert_refused(result: subprocess.CompletedProcess[str], path: Path) -> str:
    """The CLI's promise for bad input: exit 2, nothing on stdout, one 'error: ' line naming the file."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 2, (result.returncode, result.stderr)
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert result.stderr.endswith("\n")
    assert lines[0].startswith("error: ")
    assert path.name in lines[0]
    return lines[0]


def test_corpus_and_expected_list_the_same_files() -> None:
    assert len(CORPUS) >= 45
    assert sorted(p.name for p in CORPUS) == sorted(EXPECTED)


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_cli_refuses_in_one_line(path: Path) -> None:
    line = _assert_refused(_assess(path), path)
    assert EXPECTED[path.name] in line


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_library_raises_case_error(path: Path) -> None:
    with pytest.raises(CaseError) as caught:
        load_case(path)
    message = str(caught.value)
    assert caught.value.file == str(path)
    assert EXPECTED[path.name] in message
    assert len(message.splitlines()) == 1


# Files generated here rather than committed: too large, or not a file at all.


def test_huge_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("w", encoding="utf-8") as out:
        out.write("id: huge\nnarrative:\n  fr: '")
        out.write("x" * (MAX_BYTES + 1))
        out.write("'\n  en: x\n")
    assert path.stat().st_size > 2_000_000
    line = _assert_refused(_assess(path), path)
    assert f"expected a file under {MAX_BYTES} bytes" in line


@pytest.mark.parametrize("suffix", [".json", ".yaml"])
def test_nesting_too_deep_for_the_parser(tmp_path: Path, suffix: str) -> None:
    """100,000 levels: both parsers recurse per level, so this hits Python's recursion limit."""
    path = tmp_path / f"deep{suffix}"
    path.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    line = _assert_refused(_assess(path), path)
    assert f"expected at most {MAX_DEPTH} levels of nesting" in line


def test_directory_named_like_a_case(tmp_path: Path) -> None:
    path = tmp_path / "case.yaml"
    path.mkdir()
    line = _assert_refused(_assess(path), path)
    assert "expected a readable file" in line


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "no-such-case.yaml"
    line = _assert_refused(_assess(path), path)
    assert "expected a readable file" in line


# YAML tags must never run anything.

_TAGS = {
    "object-apply-open": "!!python/object/apply:builtins.open [{marker!r}, 'w']",
    "object-apply-system": "!!python/object/apply:os.system ['touch {marker}']",
    "object-new-open": "!!python/object/new:builtins.open [{marker!r}, 'w']",
}


def _tag_case(tmp_path: Path, tag: str) -> tuple[Path, Path]:
    marker = tmp_path / "created-by-a-yaml-tag"
    path = tmp_path / "tag.yaml"
    path.write_text(f"id: {_TAGS[tag].format(marker=str(marker))}\n", encoding="utf-8")
    return path, marker


def test_the_tag_probe_would_detect_execution(tmp_path: Path) -> None:
    """The control: an unsafe loader does create the marker, so its absence below means something."""
    path, marker = _tag_case(tmp_path, "object-apply-open")
    yaml.unsafe_load(path.read_text(encoding="utf-8"))["id"].close()
    assert marker.exists()


@pytest.mark.parametrize("tag", sorted(_TAGS))
def test_yaml_tags_execute_nothing_in_the_library(tmp_path: Path, tag: str) -> None:
    path, marker = _tag_case(tmp_path, tag)
    with pytest.raises(CaseError, match="expected plain YAML data"):
        load_case(path)
    assert not marker.exists()


@pytest.mark.parametrize("tag", sorted(_TAGS))
def test_yaml_tags_execute_nothing_in_the_cli(tmp_path: Path, tag: str) -> None:
    path, marker = _tag_case(tmp_path, tag)
    line = _assert_refused(_assess(path), path)
    assert "expected plain YAML data" in line
    assert not marker.exists()
