"""The library as engineers import it: typed (``py.typed``, mypy strict) and quick to import."""

from __future__ import annotations

import subprocess
import sys

import pytest
from helpers import ROOT

import reversibility_kb


def test_the_package_ships_its_type_marker():
    from pathlib import Path

    assert (Path(reversibility_kb.__file__).parent / "py.typed").is_file()


def test_mypy_strict_passes_on_the_package():
    pytest.importorskip("mypy", reason="mypy is in the test extras: pip install -e .[test]")
    result = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout[-3000:]
    assert "Success" in result.stdout


HEAVY = ("matplotlib", "jinja2", "pydot", "docx", "reversibility_kb.outputs.report", "reversibility_kb.outputs.graphs")


def test_the_command_line_starts_without_the_report_and_picture_stack():
    """``--help`` and ``assess`` import only what they need: no Jinja2, matplotlib or pydot."""
    probe = (
        "import sys, reversibility_kb.cli.main\n"
        "from click.testing import CliRunner\n"
        "CliRunner().invoke(reversibility_kb.cli.main.main, ['--help'])\n"
        "CliRunner().invoke(reversibility_kb.cli.main.main, ['assess', 's7-donor-database'])\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
