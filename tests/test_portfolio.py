"""Portfolios: processes, threads and foreign executors give exactly the sequential results."""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import threading
import time

import pytest
from helpers import DATA, cli

from reversibility_kb.case.catalogue import bundled_cases
from reversibility_kb.inference.engine import live_sessions
from reversibility_kb.tools.portfolio import assess_many, case_files

PATHS = [str(p) for p in bundled_cases().values()]


@pytest.fixture(scope="module")
def sequential():
    return [o.to_dict() for o in assess_many(PATHS)]


def test_processes_match_a_sequential_run(sequential):
    assert [o.to_dict() for o in assess_many(PATHS, workers=4)] == sequential


def test_processes_started_beside_other_threads_match_a_sequential_run(sequential):
    """With another thread running, workers come from a fork server (a fork could inherit a lock
    that thread holds); alone, this process forks them. Both give the sequential results."""
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        assert [o.to_dict() for o in assess_many(PATHS[:6], workers=2)] == sequential[:6]
    finally:
        stop.set()
        other.join()


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


# No work lost: a dead worker, a dead parent, a bad file, a resumed run.


def _copies(tmp_path, count):
    """``count`` case files (copies of the bundled ones, renamed so that each is unique)."""
    for i in range(count):
        source = PATHS[i % len(PATHS)]
        shutil.copy(source, tmp_path / f"{i:04d}-{os.path.basename(source)}")
    return case_files(tmp_path)


def test_a_killed_worker_costs_only_its_file(tmp_path):
    paths = _copies(tmp_path, 24)
    outcomes = []
    for outcome in assess_many(paths, workers=2):
        outcomes.append(outcome)
        if len(outcomes) == 2:
            victim = multiprocessing.active_children()
            workers = [p for p in victim if p.name == "reversibility-kb-worker"]
            os.kill(workers[0].pid, signal.SIGKILL)
    assert [o.source for o in outcomes] == paths
    dead = [o for o in outcomes if not o.ok]
    assert len(dead) == 1 and "died (SIGKILL)" in dead[0].error and dead[0].source in dead[0].error
    assert sum(o.ok for o in outcomes) == len(paths) - 1


def test_every_per_file_failure_is_that_files_line(tmp_path):
    paths = _copies(tmp_path, 3)
    (tmp_path / "surrogate.json").write_text('{"id": "a\\ud800"}', encoding="utf-8")
    (tmp_path / "bomb.yaml").write_text("a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(
        f"{c}: &{c} [{', '.join(['*' + p] * 10)}]\n" for p, c in zip("abcdef", "bcdefg")), encoding="utf-8")
    os.makedirs(tmp_path / "odd")
    weird = os.path.join(os.fsencode(tmp_path / "odd"), b"caf\xe9-\x1b[2J.yaml")
    with open(weird, "wb") as out:
        out.write(open(PATHS[0], "rb").read())
    result = cli("assess-dir", str(tmp_path), "--workers", "2")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert len(records) == 6
    errors = {r["source"].rsplit("/", 1)[-1]: r["error"] for r in records if "error" in r}
    assert set(errors) == {"surrogate.json", "bomb.yaml"}
    assert "expected a text without control characters or lone surrogates" in errors["surrogate.json"] or "surrogate" in errors["surrogate.json"]
    assert "expected at most" in errors["bomb.yaml"]
    assert any("\\udce9-\\x1b[2J.yaml" in r["source"] for r in records)
    assert "\x1b" not in result.stdout + result.stderr


def test_results_stream_to_the_file_and_a_run_resumes(tmp_path):
    cases = tmp_path / "cases"
    cases.mkdir()
    paths = _copies(cases, 6)
    out = tmp_path / "results.jsonl"
    first = cli("assess-dir", str(cases), "--workers", "1", "-o", str(out))
    assert first.returncode == 0, first.stderr
    complete = out.read_text(encoding="utf-8").splitlines()
    # a run killed after two files, in the middle of the third line
    out.write_text("\n".join(complete[:2]) + "\n" + complete[2][:40], encoding="utf-8")
    second = cli("assess-dir", str(cases), "--workers", "2", "-o", str(out), "--resume", "--format", "json")
    assert second.returncode == 0, second.stderr
    summary = json.loads(second.stderr[second.stderr.index("{"):])
    assert summary["already_done"] == 2 and summary["assessed"] == 4
    lines = out.read_text(encoding="utf-8").splitlines()
    assert sorted(json.loads(line)["source"] for line in lines) == paths
    assert sorted(lines) == sorted(complete)


def test_resume_needs_an_output_file(tmp_path):
    result = cli("assess-dir", str(tmp_path), "--resume")
    assert result.returncode == 2 and "--resume needs -o" in result.stderr


def test_more_workers_than_processors_is_warned(tmp_path):
    _copies(tmp_path, 1)
    result = cli("assess-dir", str(tmp_path), "--workers", "64")
    assert result.returncode == 0
    assert "warning: 64 workers on" in result.stderr


def _descendants(pid):
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry))
    found, stack = [], [pid]
    while stack:
        for child in children.get(stack.pop(), []):
            found.append(child)
            stack.append(child)
    return found


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads the process tree from /proc")
@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGKILL])
def test_workers_exit_when_the_parent_dies(tmp_path, how):
    """Killed while its workers are busy, the parent leaves no process behind. The run is far
    from done when it is killed (3,000 files): a pool that outlives its parent is caught even if
    it writes nothing until the end (the defect this pins: a ProcessPoolExecutor's fork server
    and workers, orphaned, kept running)."""
    cases = tmp_path / "cases"
    cases.mkdir()
    _copies(cases, 3000)
    out = tmp_path / "results.jsonl"
    parent = subprocess.Popen([sys.executable, "-m", "reversibility_kb", "assess-dir", str(cases), "--workers", "2", "-o", str(out)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(_descendants(parent.pid)) < 2:  # two workers (and a fork server, if one is used)
        time.sleep(0.2)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and not (out.exists() and out.stat().st_size > 0):
        time.sleep(0.2)
    family = _descendants(parent.pid)
    assert len(family) >= 2 and parent.poll() is None
    parent.send_signal(how)
    parent.wait(timeout=60)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and any(os.path.exists(f"/proc/{pid}") and "Z" not in open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] for pid in family if os.path.exists(f"/proc/{pid}")):
        time.sleep(0.2)
    alive = [pid for pid in family if os.path.exists(f"/proc/{pid}") and open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] != "Z"]
    for pid in alive:  # leave no orphan behind on the machine, whatever the verdict
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    assert alive == []
    assert all(json.loads(line) for line in out.read_text(encoding="utf-8").splitlines())
