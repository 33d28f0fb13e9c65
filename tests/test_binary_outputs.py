"""Word documents go through the same output guard as text: never onto the case they were made
from, the mode of an existing file kept."""

from __future__ import annotations

import os
import shutil

from helpers import ROOT, cli


def test_a_docx_report_is_never_written_onto_its_own_case_file(tmp_path):
    case = tmp_path / "court.yaml"
    shutil.copy(ROOT / "cases" / "court-s8-servers-contested.yaml", case)
    before = case.read_bytes()
    result = cli("court-report", str(case), "--format", "docx", "-o", str(case))
    assert result.returncode == 2 and "other than the case file" in result.stderr
    assert case.read_bytes() == before


def test_a_docx_review_keeps_the_mode_of_the_file_it_replaces(tmp_path):
    out = tmp_path / "review.docx"
    out.write_bytes(b"old")
    os.chmod(out, 0o600)
    result = cli("review", str(ROOT / "tests" / "data" / "review" / "draft-weak.yaml"), "--format", "docx", "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:2] == b"PK" and oct(out.stat().st_mode & 0o777) == oct(0o600)
