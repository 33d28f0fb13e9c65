"""The README's two commands and CI stay the same thing."""

from __future__ import annotations

import re

from helpers import ROOT


def _commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```sh\n(.+?)\n```", readme)


def test_readme_opens_with_install_and_run_then_tests():
    install, tests = _commands()[:2]
    assert "pip install ." in install and install.endswith("reversibility-kb assess s7-donor-database")
    assert "CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject" in install
    assert tests.endswith("pytest")


def test_ci_runs_exactly_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").strip().splitlines()
    assert ci[-1] == _commands()[1]
