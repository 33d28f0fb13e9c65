"""The DORA register of information: import into case files, round trip, portfolio assessment."""

from __future__ import annotations

import csv
import datetime
import importlib.util
import json
import multiprocessing
import os
import signal

import attrs
import pytest
from helpers import DATA, ROOT, cli

from reversibility_kb import load_case
from reversibility_kb.outputs import register_report
from reversibility_kb.case.loading import CaseError
from reversibility_kb.case.register import (
    COLUMNS,
    b0701_rows,
    case_id,
    read_register,
    register_date,
    synthetic_register,
    to_case,
    write_cases,
    write_register,
)
from reversibility_kb.outputs.register_report import assess_register, jsonl, portfolio_html

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
    assert not any("error" in r for r in records) and "Arrangements not assessed" not in html.read_text(encoding="utf-8")


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


# A worker that dies costs its arrangement, reported as not assessed, never the run.


def test_a_killed_worker_costs_only_its_arrangement(tmp_path):
    """Killed from outside while the run goes on (as in test_portfolio.py): the old process pool
    failed the whole run (BrokenProcessPool) and every row was lost."""
    write_register(synthetic_register(24), tmp_path)
    arrangements = read_register(tmp_path)
    date = register_date(arrangements)
    rows = []
    for row in assess_register(arrangements, date, workers=2):
        rows.append(row)
        if len(rows) == 2:
            workers = [p for p in multiprocessing.active_children() if p.name == "reversibility-kb-worker"]
            os.kill(workers[0].pid, signal.SIGKILL)
    assert [r.reference for r in rows] == [a.reference for a in arrangements]
    dead = [r for r in rows if r.failure]
    assert len(dead) == 1 and dead[0].error == "the worker process assessing this arrangement died (SIGKILL)"
    assert dead[0].score is None and {"score", "findings"}.isdisjoint(dead[0].to_dict())
    sequential = {r.reference: r for r in assess_register(arrangements, date)}
    assert [r for r in rows if not r.failure] == [sequential[r.reference] for r in rows if not r.failure]


#: Loaded first by every Python process of the command below (its fork server and workers too):
#: the assessment of one arrangement kills its own process, as a crash in the engine's C core would.
_DYING = """
import os, signal
import reversibility_kb.outputs.register_report as report

_assess = report.assess


def _dying(case):
    if case.id == os.environ["KB_TEST_DIE_ON"]:
        os.kill(os.getpid(), signal.SIGKILL)
    return _assess(case)


report.assess = _dying
"""


def test_assess_register_reports_an_arrangement_whose_worker_died(tmp_path):
    """The run goes on, exit status 0 as assess-dir's with a file whose worker died; the other rows
    are the sequential ones, in order; the page says which arrangement was not assessed and why."""
    register, hook = tmp_path / "register", tmp_path / "hook"
    hook.mkdir()
    (hook / "sitecustomize.py").write_text(_DYING, encoding="utf-8")
    write_register(synthetic_register(12), register)
    arrangements = read_register(register)
    date = register_date(arrangements)
    victim = arrangements[4]
    html, lines = tmp_path / "page.html", tmp_path / "rows.jsonl"
    result = cli("assess-register", str(register), "--workers", "2", "--html", str(html), "--jsonl", str(lines), "--lang", "fr",
                 env={"PYTHONPATH": os.pathsep.join(filter(None, (str(hook), os.environ.get("PYTHONPATH")))), "KB_TEST_DIE_ON": case_id(victim.reference)})
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-2:] == [
        f"11 accords évalués au {date.isoformat()}",
        f"non évalué: {victim.reference}: le processus qui évaluait cet accord s'est arrêté (SIGKILL)",
    ]
    expected = [r if r.reference != victim.reference else attrs.evolve(r, findings=(), failure=("died", "SIGKILL"))
                for r in assess_register(arrangements, date)]
    assert lines.read_text(encoding="utf-8") == jsonl(expected)
    record = json.loads(lines.read_text(encoding="utf-8").splitlines()[4])
    assert record["arrangement"] == victim.reference and "score" not in record and "findings" not in record
    assert record["error"] == "the worker process assessing this arrangement died (SIGKILL)"
    page = html.read_text(encoding="utf-8")
    assert page == portfolio_html(expected, date, "fr")
    assert "Accords non évalués" in page and "leur score est inconnu, il ne vaut pas zéro" in page
    assert f"<tr><td>{victim.reference}</td>" in page.split("Accords les plus exposés")[0]
    english = portfolio_html(expected, date, "en")
    assert "Arrangements not assessed" in english and "the worker process assessing this arrangement died (SIGKILL)" in english
    assert "Arrangements not assessed" not in portfolio_html(list(assess_register(arrangements[:4], date)), date, "en")


def test_an_assessment_that_fails_is_its_rows_error_not_the_runs(tmp_path, monkeypatch):
    write_register(synthetic_register(3), tmp_path)
    arrangements = read_register(tmp_path)
    original = register_report.assess

    def failing(case):
        if case.id == case_id(arrangements[1].reference):
            raise RuntimeError("the engine lost its way")
        return original(case)

    monkeypatch.setattr(register_report, "assess", failing)
    rows = list(assess_register(arrangements, register_date(arrangements)))
    assert [r.failure for r in rows] == [None, ("failed", "RuntimeError: the engine lost its way"), None]
    assert rows[1].reason("fr") == "son évaluation a échoué (RuntimeError: the engine lost its way)"


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
