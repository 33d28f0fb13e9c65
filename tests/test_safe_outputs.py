"""Outputs that cannot be turned against their reader (escaped for their own syntax) and ``-o``
files that cannot destroy what they should not."""

from __future__ import annotations

import json
import os
import stat
import threading
from pathlib import Path

import networkx as nx
import pytest
import yaml
from helpers import ROOT, cli

from reversibility_kb import CaseError, load_case
from reversibility_kb.outputs.graphs import to_mermaid
from reversibility_kb.outputs.render import to_json

CASE = ROOT / "cases" / "s7-donor-database.yaml"
HOSTILE_TITLE = "<script>alert(1)</script> [click](javascript:alert(1)) *x*"


def _hostile_case(tmp_path: Path) -> Path:
    data = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    data["title"] = {"fr": HOSTILE_TITLE, "en": HOSTILE_TITLE}
    path = tmp_path / "hostile.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_markdown_of_assess_shows_html_and_links_as_text(tmp_path):
    result = cli("assess", str(_hostile_case(tmp_path)), "--format", "md")
    assert result.returncode == 0, result.stderr
    heading = result.stdout.splitlines()[0]
    assert "<script>" not in result.stdout
    assert "[click](javascript:" not in result.stdout
    assert heading == r"# &lt;script&gt;alert(1)&lt;/script&gt; \[click\](javascript:alert(1)) \*x\*"
    assert "- `backup_restore_failed@donors` — " in result.stdout


def test_an_id_cannot_hold_a_line_break(tmp_path):
    data = yaml.safe_load(CASE.read_text(encoding="utf-8"))
    data["id"] = "case\n```\n<script>alert(1)</script>"
    path = tmp_path / "case.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(CaseError, match=r"id: expected an id without spaces"):
        load_case(path)


def test_mermaid_comments_stay_comments():
    graph = nx.DiGraph(case="x\nclick a href \"javascript:alert(1)\"")
    graph.add_node("fact:a", kind="fact", label="a")
    lines = to_mermaid(graph).splitlines()
    assert lines[0] == '%% case: x click a href "javascript:alert(1)"'
    assert all(line.startswith(("%%", "flowchart", "    ")) for line in lines)


def test_json_escapes_c1_controls_and_line_separators():
    text = to_json({"name": "a\x85b\u2028c\x9bd\x7f"})
    assert json.loads(text) == {"name": "a\x85b\u2028c\x9bd\x7f"}
    assert not any(0x7F <= ord(ch) <= 0x9F or ch in "\u2028\u2029" for ch in text)


# -o


def test_output_onto_the_input_case_is_refused(tmp_path):
    path = tmp_path / "case.yaml"
    path.write_bytes(CASE.read_bytes())
    result = cli("report", str(path), "--format", "md", "-o", str(path))
    assert result.returncode == 2 and "case file it is made from" in result.stderr
    assert path.read_bytes() == CASE.read_bytes()
    link = tmp_path / "link.md"
    link.symlink_to(path)
    assert cli("graph", str(path), "--format", "dot", "-o", str(link)).returncode == 2
    assert path.read_bytes() == CASE.read_bytes()


def test_output_to_a_pipe_is_written_into_it_not_replaced(tmp_path):
    fifo = tmp_path / "out.pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()), daemon=True)
    reader.start()
    result = cli("graph", "s7-donor-database", "--format", "mermaid", "-o", str(fifo))
    reader.join(timeout=60)
    assert result.returncode == 0, result.stderr
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert received and received[0].startswith(b"%% case: s7-donor-database")


def test_overwriting_keeps_the_mode_and_refuses_a_read_only_file(tmp_path):
    path = tmp_path / "report.md"
    path.write_text("old", encoding="utf-8")
    path.chmod(0o600)
    assert cli("report", "s7-donor-database", "--format", "md", "-o", str(path)).returncode == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8").startswith("#")
    path.chmod(0o444)
    result = cli("report", "s7-donor-database", "--format", "md", "-o", str(path))
    assert result.returncode == 2 and "read-only" in result.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
