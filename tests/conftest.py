"""Shared fixtures: the tiny engine-test rulebook, the bundled rulebook, case loading."""

from __future__ import annotations

from pathlib import Path

import pytest

from reversibility_kb import Rulebook, load_case, load_rulebook
from reversibility_kb.model import Case

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent


@pytest.fixture(scope="session")
def mini_rulebook() -> Rulebook:
    return load_rulebook(DATA / "mini_rulebook")


@pytest.fixture()
def mini_case() -> Case:
    return load_case(DATA / "mini_case.yaml")
