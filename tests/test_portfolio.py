"""Portfolios: processes, threads and foreign executors give exactly the sequential results."""

from __future__ import annotations

import concurrent.futures
import json
import shutil

import pytest
from helpers import DATA, cli

from reversibility_kb.catalogue import bundled_cases
from reversibility_kb.engine import live_sessions
from reversibility_kb.portfolio import assess_many, case_files

PATHS = [str(p) for p in bundled_cases().values()]


@pytest.fixture(scope="module")
def sequential():
    return [o.to_dict() for o in assess_many(PATHS)]


def test_processes_match_a_sequential_run(sequential):
    assert [o.to_dict() for o in assess_many(PATHS, workers=4)] == sequential


def test_eight_threads_match_a_sequential_run(sequential):
    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(assess_many(PATHS * 3, executor=pool))
    assert [o.to_dict() for o in outcomes] == sequential * 3
    assert live_sessions() == 0


def test_a_dask_local_cluster_executor_runs_a_portfolio(sequential):
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with distributed.Client(cluster) as client:
            outcomes = list(assess_many(PATHS, executor=client.get_executor()))
    assert [o.to_dict() for o in outcomes] == sequential


def test_a_file_that_fails_to_load_is_reported_and_skipped(tmp_path, sequential):
    for path in PATHS[:3]:
        shutil.copy(path, tmp_path)
    shutil.copy(DATA / "malformed" / "unknown-enum-object-infrastucture.yaml", tmp_path / "zz-broken.yaml")
    outcomes = list(assess_many(case_files(tmp_path), workers=2))
    assert [o.ok for o in outcomes] == [True, True, True, False]
    assert "zz-broken.yaml: contract.object" in outcomes[-1].error


def test_assess_dir_streams_json_lines_and_a_summary(tmp_path):
    for path in PATHS[:4]:
        shutil.copy(path, tmp_path)
    (tmp_path / "broken.yaml").write_text("id: [unclosed\n", encoding="utf-8")
    out = tmp_path / "out" / "results.jsonl"
    out.parent.mkdir()
    result = cli("assess-dir", str(tmp_path), "--workers", "2", "-o", str(out))
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(records) == 5
    assert sum("error" in r for r in records) == 1
    assert all(r["assessment"]["findings"] is not None for r in records if "assessment" in r)
    assert "skipped" in result.stderr and "broken.yaml" in result.stderr
