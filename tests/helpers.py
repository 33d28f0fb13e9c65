"""Paths and small helpers shared by the tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


def cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run ``python -m reversibility_kb`` as a user would, capturing its output."""
    return subprocess.run(
        [sys.executable, "-m", "reversibility_kb", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        check=False,
    )


def mini_rulebook_with(tmp_path: Path, change: Callable[[list[dict[str, Any]]], None]) -> Path:
    """A copy of the tests' small rulebook (``data/mini_rulebook``) with ``change`` applied to its rules."""
    directory = tmp_path / "rules"
    shutil.copytree(DATA / "mini_rulebook", directory)
    data = yaml.safe_load((directory / "rules.yaml").read_text(encoding="utf-8"))
    change(data["rules"])
    (directory / "rules.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return directory
