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
