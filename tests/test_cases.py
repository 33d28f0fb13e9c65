"""Worked cases: each one's golden answer is what the engine concludes; the library is varied."""

from __future__ import annotations

import itertools
import json

import pytest
from helpers import cli

from reversibility_kb import assess, load_case
from reversibility_kb.case.catalogue import bundled_cases
from reversibility_kb.inference.facts import case_facts
from reversibility_kb.tools.golden import NEGATIVE_CONTROL, compare

CASES = bundled_cases()
#: Attributes that only name things: a case that differs from another only by these is a copy.
NAMES = {"id", "name", "title", "note", "dbms", "object_detail", "description", "condition", "ref", "by", "against"}


@pytest.mark.parametrize("path", list(CASES.values()), ids=list(CASES))
def test_golden_findings_match(path):
    case = load_case(path)
    assert case.id == path.stem
    assert case.expected is not None and case.narrative is not None
    difference = compare(assess(case))
    assert difference.ok, difference.lines()


def test_library_size_and_kinds():
    cases = [load_case(p) for p in CASES.values()]
    assert len(cases) >= 12
    assert sum(NEGATIVE_CONTROL in c.tags for c in cases) >= 2
    assert {c.contract.object.value for c in cases} == {
        "services", "simple_application", "critical_application", "infrastructure", "integrated_service", "function",
    }
    assert {(c.contract.reversibility.mode.value, c.contract.reversibility.timing.value) for c in cases} >= {
        ("reinternalisation", "end_of_contract"), ("reinternalisation", "during_contract"),
        ("transfer", "end_of_contract"), ("transfer", "during_contract"),
    }


def _shape(path) -> set[str]:
    facts = case_facts(load_case(path))
    return {json.dumps({k: v for k, v in f.items() if k not in NAMES}, sort_keys=True) for f in facts}


def test_no_case_is_another_with_names_changed():
    """Two cases may share almost all their facts only if they teach different answers: a sibling
    that changes one fact and the findings is a discriminating case, not a copy."""
    shapes = {name: _shape(path) for name, path in CASES.items()}
    golden = {name: {g.id for g in load_case(path).expected.findings} | {f"-{a}" for a in load_case(path).expected.absent} for name, path in CASES.items()}
    for (a, sa), (b, sb) in itertools.combinations(shapes.items(), 2):
        assert sa != sb, f"{a} and {b} have the same facts"
        if len(sa & sb) / len(sa | sb) >= 0.85:
            assert golden[a] != golden[b], f"{a} and {b} share almost all their facts and teach the same answer"


def test_check_verb_passes_on_every_bundled_case_and_variation():
    from reversibility_kb.tools.variations import variations_dir

    variations = sum(text.count("\n  - id: ") for text in (p.read_text(encoding="utf-8") for p in variations_dir().glob("*.yaml")))
    total = len(CASES) + variations
    result = cli("check")
    assert result.returncode == 0, result.stdout
    assert variations > 100 and result.stdout.strip().splitlines()[-1] == f"{total} of {total} cases match their golden findings"


def test_check_verb_reports_a_difference(tmp_path):
    text = CASES["s7-donor-database"].read_text(encoding="utf-8")
    broken = tmp_path / "s7-broken.yaml"
    broken.write_text(text.replace("    - judge_by_practice_of_the_time: info\n", "    - no_such_finding\n"), encoding="utf-8")
    result = cli("check", str(broken))
    assert result.returncode == 1
    assert "s7-donor-database: missing: no_such_finding" in result.stdout
    assert "s7-donor-database: unexpected: judge_by_practice_of_the_time" in result.stdout
