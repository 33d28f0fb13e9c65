"""The DORA register of information: import into case files, round trip, portfolio assessment."""

from __future__ import annotations

import csv
import datetime
import importlib.util
import json

import attrs
import pytest
from helpers import DATA, ROOT, cli

from reversibility_kb import load_case
from reversibility_kb.loading import CaseError
from reversibility_kb.register import (
    COLUMNS,
    b0701_rows,
    read_register,
    register_date,
    synthetic_register,
    to_case,
    write_cases,
    write_register,
)
from reversibility_kb.register_report import assess_register, jsonl, portfolio_html

REGISTER = DATA / "register"


def _rows(template: str) -> list[dict[str, str]]:
    with (REGISTER / f"{template}.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_shipped_register_is_the_generated_one(tmp_path):
    write_register(synthetic_register(300), tmp_path)
    for template in COLUMNS:
        assert (tmp_path / f"{template}.csv").read_bytes() == (REGISTER / f"{template}.csv").read_bytes(), template
    assert len({r["c0010"] for r in _rows("b_02.02")}) == 300


def test_import_round_trips_the_register(tmp_path):
    arrangements = read_register(REGISTER)
    paths = write_cases(arrangements, tmp_path, register_date(arrangements))
    assert len(paths) == 300
    cases = [load_case(p) for p in paths]
    source = sorted(({c: r[c] for c in ("c0010", "c0020", "c0050", "c0080", "c0090", "c0110")} for r in _rows("b_07.01")), key=lambda r: r["c0010"])
    assert b0701_rows(cases) == source
    contracts = {r["c0010"]: r for r in _rows("b_02.02")}
    critical = {r["c0010"] for r in _rows("b_06.01") if r["c0050"] == "true"}
    by_case = {c.id: c for c in cases}
    for reference, row in contracts.items():
        case = by_case["roi-" + reference.lower()]
        assert case.contract.signed_on.isoformat() == row["c0070"]
        assert case.contract.regulatory.packs == ("dora",)
        functions = {r["c0050"] for r in _rows("b_02.02") if r["c0010"] == reference}
        expected = "yes" if functions & critical else "no"
        assert case.contract.regulatory.critical_or_important_function.value == expected


def test_the_cli_imports_and_the_cases_assess(tmp_path):
    result = cli("import-register", str(REGISTER), "-o", str(tmp_path / "cases"), "--as-of", "2025-12-31")
    assert result.returncode == 0, result.stderr
    assert "300 case files" in result.stderr
    assessed = json.loads(cli("assess", str(tmp_path / "cases" / "roi-ca-000033.yaml"), "--format", "json").stdout)
    assert {"dora_locked_in", "dora_no_exit_plan"} <= {f["id"] for f in assessed["findings"]}


def test_portfolio_is_deterministic_and_follows_the_law_in_force():
    arrangements = read_register(REGISTER)
    date = register_date(arrangements)
    rows = list(assess_register(arrangements, date))
    assert jsonl(rows) == jsonl(assess_register(arrangements, date))
    locked = [r for r in rows if ("dora_locked_in", "high") in r.findings]
    assert locked and all(r.critical == "yes" for r in locked)
    page = portfolio_html(rows, date, "fr")
    assert page == portfolio_html(rows, date, "fr") and page.count("<svg") == 3
    assert "Accords les plus exposés" in page and "Findings by provider" not in page
    # before DORA applied (17 January 2025), the same register raises no DORA finding
    earlier = [a for a in arrangements if a.start <= datetime.date(2024, 12, 31)]
    before = list(assess_register(earlier, datetime.date(2024, 12, 31)))
    assert len(before) > 100 and not any(r.findings for r in before)


def test_assess_register_verb_writes_html_and_jsonl(tmp_path):
    html, lines = tmp_path / "portfolio.html", tmp_path / "register.jsonl"
    result = cli("assess-register", str(REGISTER), "--html", str(html), "--jsonl", str(lines), "--workers", "2")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in lines.read_text(encoding="utf-8").splitlines()]
    assert [r["arrangement"] for r in records] == sorted(r["arrangement"] for r in records) and len(records) == 300
    impacts = {r["c0010"]: r["c0100"].lower() for r in _rows("b_07.01")}
    assert all(r["impact_of_discontinuing"] == impacts[r["arrangement"]] for r in records)
    top = max(records, key=lambda r: r["score"])
    assert top["score"] == 21 and top["arrangement"] in html.read_text(encoding="utf-8")


def test_bad_register_is_one_line_naming_the_cell(tmp_path):
    tables = synthetic_register(5)
    tables["b_02.02"][2]["c0070"] = "31/12/2020"
    write_register(tables, tmp_path)
    with pytest.raises(CaseError) as error:
        read_register(tmp_path)
    assert "b_02.02.csv" in str(error.value) and "row 4.c0070" in str(error.value) and "YYYY-MM-DD" in str(error.value)
    result = cli("assess-register", str(tmp_path))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    (tmp_path / "b_07.01.csv").unlink()
    result = cli("import-register", str(tmp_path), "-o", str(tmp_path / "out"))
    assert result.returncode == 2 and "b_07.01.csv" in result.stderr


def test_unknown_option_is_refused(tmp_path):
    tables = synthetic_register(3)
    tables["b_07.01"][0]["c0050"] = "Substitutable-ish"
    write_register(tables, tmp_path)
    with pytest.raises(CaseError, match="expected one of not substitutable"):
        read_register(tmp_path)


def test_case_of_an_arrangement_ended_before_the_register_date():
    arrangement = read_register(REGISTER)[0]
    ended = to_case(attrs.evolve(arrangement, end=datetime.date(2025, 3, 1)), datetime.date(2025, 6, 30))
    assert [e.kind.value for e in ended.history] == ["signature", "termination"]


def _shot():
    spec = importlib.util.spec_from_file_location("make_screenshot", ROOT / "docs" / "screenshots" / "make_screenshot.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_portfolio_page_renders_in_a_browser(tmp_path):
    shot = _shot()
    if not shot.CHROMIUM.exists():
        pytest.skip(f"{shot.CHROMIUM} is not installed")
    arrangements = read_register(REGISTER)
    date = register_date(arrangements)
    page = portfolio_html(list(assess_register(arrangements, date)), date, "en")
    capture = shot.capture(page, tmp_path / "portfolio.png")
    assert capture.returncode == 0, capture.stderr
    assert capture.console == [], "\n".join(capture.console)
    assert capture.png.stat().st_size > 50_000
