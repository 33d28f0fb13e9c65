"""Shared fixtures: the tiny engine-test rulebook, the bundled rulebook, case loading; and the
browser the report tests need, installed from Debian's packages where the machine allows it."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from helpers import DATA

from reversibility_kb import Rulebook, load_case, load_rulebook
from reversibility_kb.case.model import Case

CHROMIUM = Path("/usr/bin/chromium")


def pytest_configure(config: pytest.Config) -> None:
    """The tests read the outputs and help in their default language, English, whatever the
    developer's shell asks for (REVERSIBILITY_KB_LANG, a French locale); a test that wants
    another language says so itself."""
    os.environ.pop("REVERSIBILITY_KB_LANG", None)
    os.environ["LANGUAGE"] = "en"


def pytest_sessionstart(session: pytest.Session) -> None:
    """Install Debian's Chromium for the headless-browser tests when it is missing and we may (root,
    apt-get). A failed install is not a failed run: the browser tests then skip, loudly."""
    if CHROMIUM.exists() or not shutil.which("apt-get") or os.geteuid() != 0 or os.environ.get("RKB_NO_BROWSER_INSTALL"):
        return
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "chromium"]):
        try:
            subprocess.run(command, env=env, capture_output=True, timeout=900, check=True)
        except (subprocess.SubprocessError, OSError):
            return


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """A skipped browser test must be seen, not lost among the dots."""
    skipped = [r for r in terminalreporter.stats.get("skipped", []) if "chromium" in str(r.longrepr).lower()]
    if skipped:
        terminalreporter.write_sep("!", f"{len(skipped)} HEADLESS-BROWSER TEST(S) SKIPPED: {CHROMIUM} is not installed", red=True, bold=True)


@pytest.fixture(scope="session")
def mini_rulebook() -> Rulebook:
    return load_rulebook(DATA / "mini_rulebook")


@pytest.fixture()
def mini_case() -> Case:
    return load_case(DATA / "mini_case.yaml")
