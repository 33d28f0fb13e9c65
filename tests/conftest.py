"""Shared fixtures: the tiny engine-test rulebook, the bundled rulebook, case loading."""

from __future__ import annotations

import pytest
from helpers import DATA

from reversibility_kb import Rulebook, load_case, load_rulebook
from reversibility_kb.model import Case


@pytest.fixture(scope="session")
def mini_rulebook() -> Rulebook:
    return load_rulebook(DATA / "mini_rulebook")


@pytest.fixture()
def mini_case() -> Case:
    return load_case(DATA / "mini_case.yaml")
