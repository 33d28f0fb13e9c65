"""The benchmark portfolio generator: valid cases, deterministic, covering.

Run with ``pytest benchmarks/test_portfolio.py`` (not part of the default ``tests/`` run).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import portfolio
import pytest

from reversibility_kb.inference.assessment import case_digest
from reversibility_kb.case.loading import case_to_data, structure_case
from reversibility_kb.case.model import Case

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return portfolio.generate_portfolio(120, seed=11)


def test_every_case_survives_the_loader_unchanged(cases):
    for case in cases:
        assert structure_case(case_to_data(case), case.id) == case


def test_histories_are_in_date_order_and_within_bounds(cases):
    for case in cases:
        dates = [event.date for event in case.history]
        assert dates == sorted(dates)
        assert portfolio.MIN_EVENTS <= len(case.history) <= portfolio.MAX_EVENTS
        assert case.contract.signed_on <= dates[0] and dates[-1] <= case.as_of


def test_every_object_mode_and_timing_is_covered(cases):
    portfolio.check(cases)  # raises if a combination is missing
    assert {c.contract.object for c in cases} == set(portfolio.OBJECTS)


def test_the_same_seed_gives_the_same_portfolio(cases):
    assert portfolio.generate_portfolio(120, seed=11) == cases
    assert portfolio.generate_portfolio(20, seed=12) != cases[:20]


def test_the_same_seed_gives_the_same_portfolio_in_another_process(cases):
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import portfolio; "
        "from reversibility_kb.inference.assessment import case_digest; "
        "print(','.join(case_digest(c) for c in portfolio.generate_portfolio(10, seed=11)))"
    )
    env_seeded = subprocess.run([sys.executable, "-c", code, str(HERE)], capture_output=True, text=True, check=True,
                                env={**__import__("os").environ, "PYTHONHASHSEED": "123"})
    assert env_seeded.stdout.strip() == ",".join(case_digest(c) for c in cases[:10])


@pytest.mark.parametrize("events", [10, 50, 100, 250, 500])
def test_a_forced_history_length_is_kept_and_valid(events):
    for index in range(6):
        case = portfolio.generate_case(3, index, events=events)
        assert len(case.history) == events
        assert structure_case(case_to_data(case), case.id) == case


def test_histories_vary_between_10_and_500_events():
    lengths = [len(c.history) for c in portfolio.generate_portfolio(300, seed=5)]
    assert min(lengths) < 20 and max(lengths) > 300
