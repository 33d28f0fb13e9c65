#!/usr/bin/env python
"""Benchmarks of reversibility_kb: throughput, history length, overhead over bare durable_rules,
peers (CLIPS, experta, plain Python), processes, memory, cold start.

    python benchmarks/run.py --quick      # under two minutes on 2 cores; prints, writes nothing
    python benchmarks/run.py              # the full run; also writes docs/performance.md
    python benchmarks/run.py --memory N   # only: RSS after 1,000 and after N assessments

It prints Markdown; the last three lines are ``overhead vs bare durable_rules: R×``, ``assess-dir per file
vs in-process assess: P× (2 workers vs 1: S×; vs contracts already in memory: M×)`` and ``cold start vs
engine import: C×``. *In-process assess* of a file is ``assess(load_case(path))`` in one process;
*M* compares with ``assess(case)`` of contracts already in memory, which reads no file at all. The exit status is
1 if any engine disagrees with the library on any case (the mismatches are listed), 0 otherwise.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
for path in (str(ROOT), str(HERE)):
    if path not in sys.path:
        sys.path.insert(0, path)

import machine  # noqa: E402
import peers  # noqa: E402
import portfolio  # noqa: E402

from reversibility_kb import assess  # noqa: E402
from reversibility_kb.inference import engine as kb_engine  # noqa: E402
from reversibility_kb.inference.assessment import Assessment, _engine, _findings, default_rulebook  # noqa: E402
from reversibility_kb.inference.facts import case_facts  # noqa: E402

SEED = 20240601
QUICK = dict(sizes=(200, 1_000), sweep=(10, 50, 100, 250, 500), sweep_cases=40, overhead_cases=500, rounds=3,
             peer_cases=200, parallel_cases=1_000, memory=5_000, cold_runs=3, profile_cases=200, files=1_000, growth=(10, 100, 1_000))
FULL = dict(sizes=(1_000, 10_000), sweep=(10, 50, 100, 250, 500), sweep_cases=200, overhead_cases=2_000, rounds=3,
            peer_cases=1_000, parallel_cases=4_000, memory=100_000, cold_runs=5, profile_cases=500, files=10_000, growth=(10, 100, 1_000, 10_000))
MEMORY_BUDGET = 50 * 1024 * 1024
DOC = ROOT / "docs" / "performance.md"

pc = time.perf_counter


def progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def ms(seconds: float, n: int) -> float:
    return seconds / n * 1000


def f2(x: float) -> str:
    return f"{x:,.2f}"


def f3(x: float) -> str:
    return f"{x:,.3f}"


# ------------------------------------------------------------------------------------------------
# A durable_rules crash the benchmark must not walk into


def library_has_opener() -> bool:
    """Whether the library's main ruleset has a rule that fires on the opening fact. Without it,
    a session in which no rule fires aborts the process when deleted (``free(): invalid
    pointer``, see docs/architecture.md): such cases are then left out, and counted."""
    rulebook = default_rulebook()
    definition = kb_engine._definition(rulebook, kb_engine.strata(rulebook.rules))
    opening = json.dumps({"type": kb_engine._OPENING["type"]})
    return any(len(rule.get("all", ())) == 1 and opening in json.dumps(rule["all"]) for rule in definition.values())


def runnable(cases: list[Any], floor: peers.PythonRules, has_opener: bool) -> tuple[list[Any], int]:
    if has_opener:
        return cases, 0
    kept = []
    for case in cases:
        firings: list[Any] = []
        floor.run(case_facts(case), case.contract.id, firings)
        if firings:
            kept.append(case)
    return kept, len(cases) - len(kept)


# ------------------------------------------------------------------------------------------------
# --memory N


def memory_mode(n: int, seed: int) -> None:
    """RSS after 1,000 and after ``n`` assessments in this one process (cycling over 1,000
    generated contracts; every assessment is dropped as soon as it is made)."""
    rulebook = default_rulebook()
    cases, _ = runnable(portfolio.generate_portfolio(1_000, seed), peers.PythonRules(rulebook), library_has_opener())
    first = min(1_000, n)
    for i in range(first):
        assess(cases[i % len(cases)])
    gc.collect()
    after_first = machine.rss_bytes()
    for i in range(first, n):
        assess(cases[i % len(cases)])
    gc.collect()
    after_all = machine.rss_bytes()
    print(f"rss_after_{first}: {after_first}")
    print(f"rss_after_{n}: {after_all}")


# ------------------------------------------------------------------------------------------------
# cold start


_COLD = r"""
import json, time
t0 = time.perf_counter()
import reversibility_kb.inference.assessment
t1 = time.perf_counter()
from reversibility_kb.inference.assessment import default_rulebook, _engine
rulebook = default_rulebook()
t2 = time.perf_counter()
_engine(rulebook)
t3 = time.perf_counter()
print(json.dumps({"import": t1 - t0, "load": t2 - t1, "compile": t3 - t2, "rules": len(rulebook.rules)}))
"""
#: Turns the cache of the checked bundled rulebook off (``reversibility_kb/inference/rulebook_cache.py``).
NO_RULEBOOK_CACHE = {"REVERSIBILITY_KB_CACHE_DIR": ""}


def _cold_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep), **(extra or {})}


def _installed() -> None:
    """As after ``pip install`` and a first run: the package's bytecode compiled (pip compiles it;
    a checkout under PYTHONDONTWRITEBYTECODE would recompile every edited module in every process)
    and the checked rulebook in its cache."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(ROOT / "reversibility_kb")], check=True, capture_output=True)
    subprocess.run([sys.executable, "-m", "reversibility_kb", "rules"], env=_cold_env(), check=True, capture_output=True)


def cold_start(runs: int) -> dict[str, float]:
    """Wall seconds of the library's start in fresh processes (median): its import, the rulebook
    from its cache and without it, the ruleset's compilation, the whole process."""
    _installed()
    samples, uncached = [], []
    for _ in range(runs):
        start = pc()
        done = subprocess.run([sys.executable, "-c", _COLD], capture_output=True, text=True, env=_cold_env(), check=True)
        wall = pc() - start
        sample = json.loads(done.stdout.strip().splitlines()[-1])
        sample["wall"] = wall
        samples.append(sample)
        done = subprocess.run([sys.executable, "-c", _COLD], capture_output=True, text=True, env=_cold_env(NO_RULEBOOK_CACHE), check=True)
        uncached.append(json.loads(done.stdout.strip().splitlines()[-1])["load"])
    out = {key: statistics.median(s[key] for s in samples) for key in ("import", "load", "compile", "wall", "rules")}
    return {**out, "load without cache": statistics.median(uncached)}


def cold_launch(runs: int) -> dict[str, float]:
    """Median CPU seconds (user + system) of fresh processes: the engine's imports alone, and the
    command line's ``--help`` and ``assess`` of a bundled case (installed: bytecode compiled, the
    rulebook cache filled; and ``assess`` once more with the cache off, as on a first run)."""
    import resource

    _installed()
    assess = [sys.executable, "-m", "reversibility_kb", "assess", "s7-donor-database"]
    commands = {
        "engine import": ([sys.executable, "-c", "import durable.engine, attrs, cattrs, yaml"], _cold_env()),
        "reversibility-kb --help": ([sys.executable, "-m", "reversibility_kb", "--help"], _cold_env()),
        "reversibility-kb assess s7-donor-database": (assess, _cold_env()),
        "reversibility-kb assess s7-donor-database (rulebook cache off)": (assess, _cold_env(NO_RULEBOOK_CACHE)),
    }
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(runs):  # the commands in turn, so that a busy spell of the machine weighs on all of them
        for name, (command, env) in commands.items():
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            subprocess.run(command, env=env, check=True, capture_output=True)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            samples[name].append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return {name: statistics.median(values) for name, values in samples.items()}


# ------------------------------------------------------------------------------------------------
# assess-dir end to end


def assess_dir_runs(cases: list[Any]) -> dict[str, Any]:
    """``assess-dir`` on the cases written as YAML files, with 1 and 2 workers, against the same
    work in one process (``assess(load_case(path))`` for each file) and against ``assess`` of the
    contracts already in memory; and where one file's time goes (read and parse, check, assess,
    to its JSON line)."""
    import tempfile

    from reversibility_kb.case.loading import load_case, read_data, structure_case
    from reversibility_kb.tools.portfolio import assess_file

    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    out: dict[str, Any] = {"files": len(cases)}
    with tempfile.TemporaryDirectory() as directory:
        paths = portfolio.write_files(cases, directory)
        gc.collect()
        start = pc()
        for case in cases:
            assess(case)
        out["in memory"] = pc() - start
        gc.collect()
        start = pc()
        for path in paths:
            assess(load_case(path))
        out["inproc"] = pc() - start
        for workers in (1, 2):
            start = pc()
            subprocess.run([sys.executable, "-m", "reversibility_kb", "assess-dir", directory, "--workers", str(workers),
                            "-o", os.path.join(directory, "out.jsonl")], env=env, check=True, capture_output=True)
            out[workers] = pc() - start
        sample = [Path(p) for p in paths[:200]]
        parts: dict[str, float] = {}
        start = pc()
        datas = [read_data(p) for p in sample]
        parts["read and parse YAML"] = pc() - start
        start = pc()
        loaded = [structure_case(d, str(p)) for d, p in zip(datas, sample)]
        parts["structure and check"] = pc() - start
        start = pc()
        for case in loaded:
            assess(case)
        parts["assess"] = pc() - start
        start = pc()
        lines = [assess_file(str(p)).record for p in sample]  # the JSON line, as assess-dir writes it
        parts["whole assess_file + JSON line"] = pc() - start
        del lines
    out["parts"] = {name: ms(t, len(sample)) for name, t in parts.items()}
    out["per_file"] = out[1] / out["inproc"]
    out["vs_memory"] = out[1] / out["in memory"]
    out["speed_up"] = out[1] / out[2]
    return out


# ------------------------------------------------------------------------------------------------
# profile


_GROUPS = [
    ("reversibility_kb/inference/facts.py", "facts.py — case → facts"),
    ("reversibility_kb/inference/engine.py", "engine.py — actions, sessions"),
    ("reversibility_kb/inference/assessment.py", "assessment.py — findings"),
    ("reversibility_kb/inference/rulebook.py", "rulebook.py — Rulebook.rule lookups"),
    ("reversibility_kb/", "other reversibility_kb"),
    ("durable_rules_engine.", "durable_rules C core"),
    ("durable/engine.py", "durable_rules Python layer"),
    ("json/", "json encode/decode"),
    ("attr/", "attrs (fields, has, frozen init)"),
    ("enum.py", "enum"),
]


def profile(cases: list[Any]) -> tuple[list[tuple[str, float]], list[tuple[str, int, float, float]]]:
    profiler = cProfile.Profile()
    profiler.enable()
    for case in cases:
        assess(case)
    profiler.disable()
    stats = pstats.Stats(profiler)
    total = sum(v[2] for v in stats.stats.values())
    groups: dict[str, float] = {}
    functions = []
    for (filename, line, name), (_, calls, tottime, cumtime, _) in stats.stats.items():
        where = f"{filename}:{name}"
        label = next((g for key, g in _GROUPS if key in where), "other (builtins, attrs-generated __init__ …)")
        groups[label] = groups.get(label, 0.0) + tottime
        short = filename.replace(str(ROOT) + "/", "").split("site-packages/")[-1].split("/lib/python3")[-1]
        short = short.split("/", 1)[-1] if short.startswith(".") else short
        functions.append((f"{short}:{line}({name})" if line else name, calls, tottime, cumtime))
    shares = sorted(((g, t / total) for g, t in groups.items()), key=lambda x: -x[1])
    functions.sort(key=lambda f: -f[2])
    return shares, [(n, c, t / total, cum / total) for n, c, t, cum in functions[:12]]


# ------------------------------------------------------------------------------------------------
# the run


def best_of(rounds: int, fn: Callable[[], Any]) -> float:
    best = float("inf")
    for _ in range(rounds):
        gc.collect()
        start = pc()
        fn()
        best = min(best, pc() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="smaller sizes, under two minutes; writes nothing")
    parser.add_argument("--memory", type=int, metavar="N", help="only print RSS after 1,000 and after N assessments")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-write", action="store_true", help="full run without writing docs/performance.md")
    args = parser.parse_args()
    if args.memory:
        memory_mode(args.memory, args.seed)
        return 0
    cfg = QUICK if args.quick else FULL
    started = pc()
    load = machine.OtherLoad()
    info = machine.describe()
    out: list[str] = []
    mismatches: list[str] = []
    summary: list[tuple[str, str]] = []

    def emit(text: str) -> None:
        out.append(text)
        print(text + "\n", flush=True)

    rulebook = default_rulebook()
    _engine(rulebook)
    floor = peers.PythonRules(rulebook)
    bare = peers.BareDurable(rulebook)
    has_opener = library_has_opener()
    emit(f"# reversibility_kb benchmarks ({'quick' if args.quick else 'full'} run, seed {args.seed})")
    emit(machine.table(["machine", ""], [
        ("CPU", info["cpu"]), ("cores", info["cores"]), ("Python", info["python"]), ("OS", info["os"]), ("date", info["date"]),
        ("packages", ", ".join(f"{k} {v}" for k, v in info["versions"].items())),
        ("rulebook", f"{len(rulebook.rules)} rules, {max(kb_engine.strata(rulebook.rules).values(), default=0)} negation stage(s)"),
    ]))

    # 1. portfolio -------------------------------------------------------------------------------
    n_max = max(cfg["sizes"])
    progress(f"generating {n_max:,} contracts")
    t = pc()
    cases_all = portfolio.generate_portfolio(n_max, args.seed)
    t_gen = pc() - t
    t = pc()
    portfolio.check(cases_all)
    again = portfolio.generate_portfolio(50, args.seed)
    if again != cases_all[:50]:
        raise AssertionError("the same seed gave a different portfolio")
    t_check = pc() - t
    cases, skipped = runnable(cases_all, floor, has_opener)
    facts_all = [case_facts(c) for c in cases]
    events = [len(c.history) for c in cases]
    combos = {(c.contract.object, c.contract.reversibility.mode, c.contract.reversibility.timing) for c in cases}
    emit("## Portfolio\n\n" + machine.table(["", ""], [
        ("contracts", f"{len(cases_all):,}"),
        ("generation", f"{ms(t_gen, len(cases_all)):.2f} ms per contract"),
        ("validated (structure_case round trip, date order, coverage)", f"{len(cases_all):,} of {len(cases_all):,} in {t_check:.1f} s"),
        ("objects × modes × timings covered", f"{len(combos)} of {len(portfolio.OBJECTS) * len(portfolio.MODES) * len(portfolio.TIMINGS)}"),
        ("history events: min / median / mean / max", f"{min(events)} / {statistics.median(events):.0f} / {statistics.mean(events):.0f} / {max(events)}"),
        ("input facts per contract (mean)", f"{statistics.mean(len(f) for f in facts_all):.0f}"),
        ("tools / data / documents / phases / parties (mean)", " / ".join(f"{statistics.mean(x):.1f}" for x in zip(*[
            (len(c.contract.tools), len(c.contract.data), len(c.contract.documents), len(c.contract.phases), len(c.parties)) for c in cases]))),
    ] + ([("left out (no rule fires; see note below)", f"{skipped:,}")] if not has_opener else [])))

    # 2. throughput ------------------------------------------------------------------------------
    for c in cases[:50]:
        assess(c)  # warm-up
    throughput = []
    fired: set[str] = set()
    for size in cfg["sizes"]:
        progress(f"assess on {size:,} contracts")
        subset = cases[:size]
        latencies = []
        findings = 0
        gc.collect()
        start = pc()
        for case in subset:
            t = pc()
            assessment = assess(case)
            latencies.append(pc() - t)
            findings += len(assessment.findings)
            fired.update(f.rule for f in assessment.run.firings)
        elapsed = pc() - start
        latencies.sort()
        throughput.append((size, elapsed, latencies, findings))
    emit("## assess: time per contract\n\nWhole path from an attrs `Case` to findings (`assess`; the explanation graph is "
         "built on first use, so not here). Portfolio histories are log-uniform between 10 and 500 events.\n\n" + machine.table(
        ["contracts", "total s", "ms per contract", "contracts per s", "p50 ms", "p95 ms", "max ms", "findings per contract"],
        [(f"{size:,}", f2(el), f3(ms(el, size)), f"{size / el:,.0f}", f3(lat[len(lat) // 2] * 1000),
          f3(lat[int(len(lat) * 0.95)] * 1000), f3(lat[-1] * 1000), f"{fnd / size:.1f}") for size, el, lat, fnd in throughput])
        + f"\n\nRules that fired at least once on the portfolio: {len(fired)} of {len(rulebook.rules)}"
        + (f" (never: {', '.join(sorted(r.id for r in rulebook.rules if r.id not in fired))})." if len(fired) < len(rulebook.rules) else "."))

    size, el, _, _ = throughput[-1]
    summary.append((f"assess, {size:,} contracts", f"{ms(el, size):.2f} ms per contract, {size / el:,.0f} contracts/s (one process)"))

    # 3. history length --------------------------------------------------------------------------
    sweep = []
    for n_events in cfg["sweep"]:
        progress(f"history of {n_events} events")
        group, _ = runnable([portfolio.generate_case(args.seed, i, events=n_events) for i in range(cfg["sweep_cases"])], floor, has_opener)
        group_facts = [case_facts(c) for c in group]
        for c in group[:5]:
            assess(c)
        t_ours = best_of(2, lambda: [assess(c) for c in group])
        t_bare = best_of(2, lambda: [bare.run(f, c.contract.id) for f, c in zip(group_facts, group)])
        t_facts = best_of(2, lambda: [case_facts(c) for c in group])
        sweep.append((n_events, len(group), ms(t_ours, len(group)), ms(t_bare, len(group)), ms(t_facts, len(group)),
                      statistics.mean(len(f) for f in group_facts)))
    xs = [s[0] for s in sweep]

    def slope(ys: list[float]) -> tuple[float, float]:
        mx, my = statistics.mean(xs), statistics.mean(ys)
        b = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
        return my - b * mx, b

    a_ours, b_ours = slope([s[2] for s in sweep])
    a_bare, b_bare = slope([s[3] for s in sweep])
    a_facts, b_facts = slope([s[4] for s in sweep])
    emit("## Cost against history length\n\n" f"{cfg['sweep_cases']} contracts per row (the same contracts, only the history "
         "length changes).\n\n" + machine.table(
        ["events", "input facts", "assess ms", "of which case_facts ms", "bare durable_rules ms", "ours / bare"],
        [(n, f"{nf:.0f}", f3(o), f3(fa), f3(b), f"{o / b:.2f}×") for n, _, o, b, fa, nf in sweep])
        + f"\n\nLinear fit: assess ≈ {a_ours:.2f} ms + {b_ours * 100:.3f} ms per 100 events; bare durable_rules ≈ "
          f"{a_bare:.2f} ms + {b_bare * 100:.3f} ms per 100 events; case_facts alone ≈ {a_facts:.2f} ms + "
          f"{b_facts * 100:.3f} ms per 100 events. Cost grows linearly with the history.")

    summary.append(("cost per 100 history events", f"+{b_ours * 100:.2f} ms (bare durable_rules: +{b_bare * 100:.2f} ms)"))

    # 4. overhead over bare durable_rules ---------------------------------------------------------
    progress("overhead against bare durable_rules")
    sub = cases[:cfg["overhead_cases"]]
    sub_facts = facts_all[:len(sub)]
    subjects = [c.contract.id for c in sub]
    engine = _engine(rulebook)
    rounds = cfg["rounds"]

    def ours_chunk(chunk: range, acc: list[float]) -> None:
        for j in chunk:
            assess(sub[j])

    def bare_chunk(chunk: range, acc: list[float]) -> None:
        for j in chunk:
            bare.run(sub_facts[j], subjects[j])

    def parts_chunk(chunk: range, acc: list[float]) -> None:
        """What assess does, with a clock between the parts: facts, run, findings, Assessment."""
        for j in chunk:
            case = sub[j]
            t0 = pc()
            f = case_facts(case)
            t1 = pc()
            run = engine.run(f, subject=subjects[j])
            t2 = pc()
            found = _findings(run, rulebook)
            t3 = pc()
            Assessment(case, rulebook, run, found)
            t4 = pc()
            acc[1] += t1 - t0
            acc[2] += t2 - t1
            acc[3] += t3 - t2
            acc[4] += t4 - t3

    # Chunks of 100 contracts; the three variants take turns in a rotating order, so that load from
    # other processes and the machine's drift fall on all three alike. Best of the rounds.
    variants = [ours_chunk, bare_chunk, parts_chunk]
    totals: dict[str, list[list[float]]] = {v.__name__: [] for v in variants}
    for r in range(rounds):
        gc.collect()
        acc = {v.__name__: [0.0] * 5 for v in variants}
        for k, i in enumerate(range(0, len(sub), 100)):
            chunk = range(i, min(i + 100, len(sub)))
            shift = (k + r) % len(variants)
            for variant in variants[shift:] + variants[:shift]:
                a = acc[variant.__name__]
                t = pc()
                variant(chunk, a)
                a[0] += pc() - t
        for name, a in acc.items():
            totals[name].append(a)
    ours_rounds = [a[0] for a in totals["ours_chunk"]]
    bare_rounds = [a[0] for a in totals["bare_chunk"]]
    t_ours, t_bare = min(ours_rounds), min(bare_rounds)
    ratio = max(o / b for o, b in zip(ours_rounds, bare_rounds))  # the worst round: the target holds in every one
    _, t_facts, t_run, t_find, t_wrap = min(totals["parts_chunk"], key=lambda a: sum(a[1:]))
    runs = [engine.run(f, s) for f, s in zip(sub_facts, subjects)]
    for case, run, f, s in zip(sub, runs, sub_facts, subjects):
        got = bare.run(f, s)
        if got != set(run.conclusions):
            mismatches.append(f"bare durable_rules, {case.id}: missing {sorted(set(run.conclusions) - got)}, extra {sorted(got - set(run.conclusions))}")
    n = len(sub)
    rest = t_ours - t_facts - t_run - t_find - t_wrap
    mean_events = statistics.mean(len(c.history) for c in sub)
    mean_firings = statistics.mean(len(r.firings) for r in runs)
    emit("## Overhead over bare durable_rules\n\n"
         "*Bare* runs the library's own compiled conditions (`compile_pattern`, same stage facts for negation, same "
         "opening fact and sink rule) on durable_rules with the same session handling (one sid per contract, deleted after, "
         "JSON texts kept alive), fed ready-made fact dicts (`case_facts` computed outside the timing); its actions only "
         "assert their conclusion. *Ours* is `assess(case)` from the attrs `Case`. "
         f"{n:,} contracts in chunks of 100; on each chunk *ours*, *bare* and a copy of assess's body with a clock between "
         f"its parts take turns in a rotating order; best of {rounds} rounds.\n\n" + machine.table(
        ["", "ms per contract", "share of assess"],
        [("bare durable_rules (same facts, same rules)", f3(ms(t_bare, n)), f"{t_bare / t_ours:.0%}"),
         ("**assess (ours)**", f"**{f3(ms(t_ours, n))}**", "100%"),
         ("— case_facts (attrs Case → fact dicts)", f3(ms(t_facts, n)), f"{t_facts / t_ours:.0%}"),
         ("— Engine.run (durable_rules + firing records + session bookkeeping)", f3(ms(t_run, n)), f"{t_run / t_ours:.0%}"),
         ("— _findings (Finding objects)", f3(ms(t_find, n)), f"{t_find / t_ours:.0%}"),
         ("— Assessment object", f3(ms(t_wrap, n)), f"{t_wrap / t_ours:.0%}"),
         ("— the rest (calls; timing noise between loops)", f3(ms(rest, n)), f"{rest / t_ours:.0%}"),
         ("Engine.run − bare (library bookkeeping inside the run)", f3(ms(t_run - t_bare, n)), f"{(t_run - t_bare) / t_ours:.0%}"),
         ]) + f"\n\n**overhead ours / bare: {ratio:.2f}×** in the worst round (target at most 1.3×; rounds: "
         + ", ".join(f"{o / b:.2f}×" for o, b in zip(ours_rounds, bare_rounds)) + ").")

    facts_note = (f"Its cost is linear in the history ({mean_events:.0f} events per contract here): one dict per event, "
                  f"flattened by a plan decided once per class, with its derived attributes (ISO date, year, "
                  f"before_claims, roles), plus a pass over the history per document.")
    emit("### What the overhead is made of\n\n"
         f"- **case_facts: {ms(t_facts, n):.2f} ms per contract, {t_facts / t_ours:.0%} of assess** — "
         + (f"{t_facts / (t_ours - t_bare):.0%} of the overhead. " if t_ours > t_bare else "") + facts_note + "\n"
         + f"- Engine.run costs {ms(t_run - t_bare, n):+.2f} ms against bare durable_rules: the library runs the "
         f"actions itself on the C core (no `Closure`, no state JSON written back per action, msgspec for the JSON "
         f"texts) where *bare* goes through durable_rules' Python host; for each of the {mean_firings:.0f} firings "
         f"per contract it records a frozen attrs `Firing` and the matched-facts tuple.\n"
         f"- _findings: {ms(t_find, n):.2f} ms ({mean_firings:.0f} firings grouped into findings, "
         f"{len(rulebook.rules)} rules).")
    summary.append(("overhead over bare durable_rules (worst round)", f"{ratio:.2f}× (target ≤ 1.3×)"))
    shares, top = profile(sub[:cfg["profile_cases"]])
    emit(f"### Where assess spends its time (cProfile, {min(n, cfg['profile_cases'])} contracts; own time per group)\n\n"
         + machine.table(["group", "share of own time"], [(g, f"{s:.0%}") for g, s in shares if s >= 0.005])
         + "\n\n" + machine.table(["function", "calls", "own", "cumulative"], [(name.replace("|", "/"), f"{calls:,}", f"{t:.0%}", f"{cum:.0%}") for name, calls, t, cum in top]))

    # 5. peers -----------------------------------------------------------------------------------
    progress("peers")
    peer_cases = cases[:cfg["peer_cases"]]
    peer_facts = facts_all[:len(peer_cases)]
    pn = len(peer_cases)
    ours_conclusions, ours_firings = [], []
    gc.collect()
    t = pc()
    for case in peer_cases:
        run = assess(case).run
        ours_conclusions.append(set(run.conclusions))
        ours_firings.append(sorted((f.rule, f.matched, f.conclusion) for f in run.firings))
    t_ours_peer = pc() - t
    rows = []
    unavailable: list[tuple[str, str]] = []
    results: dict[str, tuple[float, list[set[str]]]] = {}
    for name, build in [("durable_rules, bare", lambda: bare), ("plain Python predicates (floor)", lambda: floor),
                        ("CLIPS (clipspy, environment recycled every 200)", lambda: peers.ClipsRules(rulebook)),
                        ("experta (stages for NOT)", lambda: peers.ExpertaRules(rulebook))]:
        progress(f"  {name}")
        try:
            runner = build()
        except Exception as exc:  # a peer that is not installed (or does not import) is reported, not fatal
            unavailable.append((name, f"not available: {type(exc).__name__}: {exc}"[:160]))
            continue
        for f, c in zip(peer_facts[:20], peer_cases[:20]):
            runner.run(f, c.contract.id)
        if isinstance(runner, peers.ClipsRules):
            runner.runs = 0  # start the timed loop on a fresh environment, recycled as usual
        gc.collect()
        t = pc()
        got = [runner.run(f, c.contract.id) for f, c in zip(peer_facts, peer_cases)]
        results[name] = (pc() - t, got)
    base = results["durable_rules, bare"][0]
    for name, (elapsed, got) in results.items():
        wrong = [i for i in range(pn) if got[i] != ours_conclusions[i]]
        for i in wrong[:5]:
            mismatches.append(f"{name}, {peer_cases[i].id}: missing {sorted(ours_conclusions[i] - got[i])}, extra {sorted(got[i] - ours_conclusions[i])}")
        if len(wrong) > 5:
            mismatches.append(f"{name}: {len(wrong) - 5} more contracts disagree")
        rows.append((name, f3(ms(elapsed, pn)), f"{elapsed / base:.2f}×", f"{pn - len(wrong):,} / {pn:,}"))
    firing_wrong = 0
    for i, (case, f) in enumerate(zip(peer_cases, peer_facts)):
        firings: list[Any] = []
        floor.run(f, case.contract.id, firings)
        if sorted(firings) != ours_firings[i]:
            firing_wrong += 1
            if firing_wrong <= 5:
                mismatches.append(f"plain Python firings, {case.id}: {len(firings)} firings against the library's {len(ours_firings[i])}")
    summary.append(("peers, ms per contract (relative to durable_rules)", "; ".join(
        f"{name.split(' (')[0]} {ms(el, pn):.2f} ({el / base:.2f}×)" for name, (el, _) in results.items())))
    rows += [(name, why, "", "") for name, why in unavailable]
    rows.insert(1, ("reversibility_kb assess (whole path)", f3(ms(t_ours_peer, pn)), f"{t_ours_peer / base:.2f}×", "reference"))
    emit(f"## Peers on the same rule set\n\n{pn:,} contracts, the same input facts for every engine (computed outside the "
         "timing); every rule translated automatically from the rulebook's Pattern/Test objects. *Agree* counts the "
         "contracts on which the engine derives exactly the library's conclusions.\n\n"
         + machine.table(["engine", "ms per contract", "relative to durable_rules", "agree"], rows)
         + f"\n\nThe plain-Python floor also reproduces the library's firings (rule, matched facts, conclusion) on "
           f"{pn - firing_wrong:,} of {pn:,} contracts.")

    # 6. processes -------------------------------------------------------------------------------
    progress("processes")
    import parallel

    par_cases = cases[:cfg["parallel_cases"]]
    par_load = machine.OtherLoad()
    ceiling = parallel.ceiling()
    t1, found1 = parallel.timed_pool(par_cases, 1)
    t2, found2 = parallel.timed_pool(par_cases, 2)
    par_others = par_load.cores()
    summary.append(("2 processes vs 1", f"{t1 / t2:.2f}× (a pure-Python loop got {ceiling:.2f}× at the time)"))
    if found1 != found2:
        mismatches.append(f"processes: {found1} findings with one worker, {found2} with two")
    emit(f"## Processes\n\n{len(par_cases):,} contracts, `ProcessPoolExecutor` (fork), chunks of 50, pool start-up excluded. "
         "durable_rules never releases the GIL: threads give no speed-up.\n\n" + machine.table(
        ["workers", "wall s", "contracts per s", "speed-up"],
        [(1, f2(t1), f"{len(par_cases) / t1:,.0f}", "1.00×"), (2, f2(t2), f"{len(par_cases) / t2:,.0f}", f"{t1 / t2:.2f}×")])
         + f"\n\nWhat the machine allowed at the time: a pure-Python loop got {ceiling:.2f}× from two processes, and other "
           f"processes kept {par_others:.2f} core(s) busy on average during this section"
           + (" — the speed-up above is limited by them, not by the library." if par_others > 0.3 or ceiling < 1.6 else "."))

    # 6b. assess-dir end to end --------------------------------------------------------------------
    progress(f"assess-dir on {cfg['files']:,} case files")
    end_to_end = assess_dir_runs(cases[:cfg["files"]])
    per_file, speed_up = end_to_end["per_file"], end_to_end["speed_up"]
    files = end_to_end["files"]

    def row(label: str, seconds: float) -> tuple[str, str, str, str, str]:
        return (label, f2(seconds), f3(ms(seconds, files)), f"{files / seconds:,.0f}", f"{seconds / end_to_end['inproc']:.2f}×")

    emit(f"## Portfolio end to end: `assess-dir`\n\n{files:,} generated contracts written as YAML case files, then "
         "`reversibility-kb assess-dir DIR --workers W -o out.jsonl` in a fresh process (interpreter start, rulebook "
         "compilation, reading, parsing, checking, assessing and writing JSON Lines included), against the same files "
         "assessed in one process (`assess(load_case(path))`, the library's in-process path for a file), and against "
         "`assess(case)` on the same contracts already in memory and checked (no file read at all).\n\n" + machine.table(
        ["", "wall s", "ms per file", "contracts per s", "relative"],
        [row("in-process `assess(load_case(path))` (one process)", end_to_end["inproc"]),
         row("`assess-dir --workers 1`", end_to_end[1]),
         row("`assess-dir --workers 2`", end_to_end[2]),
         row("`assess(case)`, contracts already in memory", end_to_end["in memory"])])
         + "\n\nWhere a file's time goes, in one process (ms per file): " + ", ".join(
             f"{name} {value:.2f}" for name, value in end_to_end["parts"].items())
         + f". **2 workers vs 1: {speed_up:.2f}×.** Against contracts already in memory, `assess-dir` costs "
           f"{end_to_end['vs_memory']:.2f}× per file: reading and parsing a YAML file takes about as long as assessing it, "
           "and that cannot be hidden in one process.")
    vs_memory = end_to_end["vs_memory"]
    summary.append(("assess-dir per file vs in-process assess", f"{per_file:.2f}× (2 workers vs 1: {speed_up:.2f}×; "
                    f"vs contracts already in memory: {vs_memory:.2f}×; {files / end_to_end[2]:,.0f} contracts per s with 2 workers)"))

    # 7. memory ----------------------------------------------------------------------------------
    progress(f"memory: {cfg['memory']:,} assessments in a fresh process")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    t = pc()
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--memory", str(cfg["memory"]), "--seed", str(args.seed)],
                          capture_output=True, text=True, env=env, check=True)
    t_mem = pc() - t
    values = [int(line.split(":")[1]) for line in done.stdout.strip().splitlines()[-2:]]
    grew = values[1] - values[0]
    emit(f"## Memory\n\nOne process, {cfg['memory']:,} assessments cycling over 1,000 contracts (each dropped once made), "
         f"{t_mem:.0f} s. Resident set size (VmRSS):\n\n" + machine.table(["after", "RSS MiB"], [
            ("1,000 assessments", f"{values[0] / 2**20:.1f}"), (f"{cfg['memory']:,} assessments", f"{values[1] / 2**20:.1f}"),
            ("difference", f"{grew / 2**20:+.1f}")])
         + f"\n\nBudget: at most +50 MiB — **{'within' if grew <= MEMORY_BUDGET else 'OVER'}**. "
           f"`python benchmarks/run.py --memory N` prints the two values (bytes), e.g. for a test.")
    summary.append((f"RSS after 1,000 → {cfg['memory']:,} assessments", f"{values[0] / 2**20:.1f} → {values[1] / 2**20:.1f} MiB ({grew / 2**20:+.1f} MiB)"))
    if grew > MEMORY_BUDGET:
        mismatches.append(f"memory grew by {grew / 2**20:.1f} MiB over {cfg['memory']:,} assessments")

    # 8. cold start ------------------------------------------------------------------------------
    progress("cold start")
    cold = cold_start(cfg["cold_runs"])
    emit(f"## Cold start\n\nA fresh `python` process, median of {cfg['cold_runs']} (files already in the OS cache).\n\n" + machine.table(
        ["step", "ms"], [("import the library (`reversibility_kb.inference.assessment`)", f"{cold['import'] * 1000:.0f}"),
                         (f"load the rulebook ({cold['rules']:.0f} rules) from its cache", f"{cold['load'] * 1000:.0f}"),
                         ("(the same without the cache: YAML → checked Rule objects)", f"{cold['load without cache'] * 1000:.0f}"),
                         ("compile it into a durable_rules ruleset", f"{cold['compile'] * 1000:.0f}"),
                         ("total of the three", f"{(cold['import'] + cold['load'] + cold['compile']) * 1000:.0f}"),
                         ("whole process, interpreter start-up included", f"{cold['wall'] * 1000:.0f}")]))

    summary.append(("cold start (import + load + compile)", f"{(cold['import'] + cold['load'] + cold['compile']) * 1000:.0f} ms"))

    # 9. growth with the size of one case ---------------------------------------------------------
    import growth

    progress(f"growth of one case: {', '.join(f'{n:,}' for n in cfg['growth'])} items of each kind")
    growth_table, exponents = growth.growth(list(cfg["growth"]))
    emit("## Growth with the size of one case\n\nOne contract with *n* each of history events, documents, tools, data "
         "assets and assets (`benchmarks/portfolio.py: large_case`); CPU seconds per verb, and the exponent *k* of the "
         "least-squares fit time ≈ a·n^k (1 is linear). `questions` and `what-if --remove` are bounded in input facts "
         "re-assessed (they say so when cut), so they stay flat on large cases. Findings of one kind on many items are one "
         "finding listing them, and the picture draws at most about a hundred nodes, so `report` and `graph` grow with the "
         "facts, not with their pairs. What stays above linear at the largest sizes is inside durable_rules' C core: its "
         "message and join indexes have a fixed 512 buckets (`MAX_MESSAGE_INDEX_LENGTH`, `MAX_LEFT_FRAME_INDEX_LENGTH`, "
         "`MAX_RIGHT_FRAME_INDEX_LENGTH` in its `src/rules/state.h`), so each look-up walks a chain that lengthens with "
         "the number of facts.\n\n" + growth_table)
    summary.append(("growth exponent per verb (all item kinds together)", ", ".join(f"{name.split(' (')[0]} {k:.2f}" for name, k in exponents.items())))

    progress("cold start of the command line against importing the engine")
    launch = cold_launch(cfg["cold_runs"])
    emit("## Cold start of the command line\n\nCPU seconds of a fresh process (median of "
         f"{cfg['cold_runs']}), against `python -c \"import durable.engine, attrs, cattrs, yaml\"`; the package as "
         "installed (bytecode compiled, the checked rulebook in its cache after a first run). `--help` imports click and "
         "the command table only; `assess` imports no report, picture, training or worker-pool module, reads the checked "
         "rulebook from its cache, and has cattrs generate the structuring code of only the classes its case holds.\n\n"
         + machine.table(["process", "CPU s", "relative"], [(name, f"{t:.3f}", f"{t / launch['engine import']:.2f}×") for name, t in launch.items()]))
    cold_ratio = max(launch["reversibility-kb --help"], launch["reversibility-kb assess s7-donor-database"]) / launch["engine import"]
    summary.append(("cold start vs engine import (CPU)", ", ".join(f"{name.removeprefix('reversibility-kb ')} {t:.3f} s" for name, t in launch.items())))

    # summary ------------------------------------------------------------------------------------
    if skipped or not has_opener:
        emit(f"**Note.** The library's main ruleset has no rule firing on the opening fact, so a contract on which no rule "
             f"fires would abort the process when its session is deleted (`free(): invalid pointer`; see the report). "
             f"Such contracts are left out: {skipped} of the portfolio.")
    emit("## Summary\n\n" + machine.table(["", ""], summary))
    emit("## Agreement\n\n" + ("Every engine gave the library's conclusions on every benchmarked contract."
                                if not mismatches else "**Mismatches:**\n\n" + "\n".join(f"- {m}" for m in mismatches)))
    others = load.cores()
    emit(f"## Conditions\n\nThe run took {pc() - started:.0f} s. Other processes kept {others:.2f} of the "
         f"{os.cpu_count()} cores busy on average meanwhile (busy CPU of the machine, /proc/stat, minus this run's own)"
         + (": ours and bare alternate chunk by chunk, so their ratio is little affected; the Processes section gives "
            "the load during its own measurement." if others > 0.2 else "."))
    progress(f"done in {pc() - started:.0f} s")
    if not args.quick and not args.no_write:
        write_doc(info, out, ratio)
        print(f"(written {DOC.relative_to(ROOT)})\n")
    print(f"overhead vs bare durable_rules: {ratio:.2f}×")
    print(f"assess-dir per file vs in-process assess: {per_file:.2f}× (2 workers vs 1: {speed_up:.2f}×; "
          f"vs contracts already in memory: {vs_memory:.2f}×)")
    print(f"cold start vs engine import: {cold_ratio:.2f}×")
    return 1 if mismatches else 0


_REPRODUCE = """## How to reproduce

```sh
python3 -m venv .venv && . .venv/bin/activate
CPPFLAGS=-DPyEval_CallObject=PyObject_CallObject pip install '.[test]'
pip install clipspy psutil frozendict==2.4.6 schema && pip install --no-deps experta==1.9.4   # peers
python benchmarks/run.py --quick      # < 2 min on 2 cores, prints only
python benchmarks/run.py              # full run (7–10 min), rewrites this file
python benchmarks/run.py --memory 100000   # RSS after 1,000 and after 100,000 assessments
pytest benchmarks/test_portfolio.py   # the generator: valid, deterministic, covering
```

experta 1.9.4 pins `frozendict==1.2`, which does not import on Python 3.11+; hence `--no-deps` and
`frozendict==2.4.6`. The portfolio is `benchmarks/portfolio.py` (seeded: the same seed gives the
same contracts in any process); the peers' translations of the rulebook are in `benchmarks/peers.py`.
"""


_DASK = """## Beyond one machine: dask.distributed

`assess_many` takes any `concurrent.futures.Executor`; a dask.distributed client's executor runs a
portfolio on a cluster without new code. On a local cluster (one process per core, one thread each:
durable_rules holds the GIL), from the repository's root:

```python
from dask.distributed import Client, LocalCluster

from reversibility_kb.tools.portfolio import assess_many, case_files

if __name__ == "__main__":
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster, Client(cluster) as client:
        outcomes = list(assess_many(case_files("cases"), executor=client.get_executor()))
    print(sum(o.ok for o in outcomes), "assessed,", sum(len(o.result["findings"]) for o in outcomes if o.ok), "findings")
```

On a real cluster, replace `LocalCluster(...)` by the scheduler's address (`Client("tcp://host:8786")`);
every worker needs the package installed and the case files readable at the same paths. Outcomes come
back in the order of the files, each an assessment as plain data or the one-line error of its file.
"""


def write_doc(info: dict[str, Any], sections: list[str], ratio: float) -> None:
    head = [
        "# Performance",
        "",
        "Generated by `python benchmarks/run.py` (the full run); the numbers below are from one run on the machine "
        "described, and move by a few per cent from run to run.",
        "",
        machine.table(["", ""], [("CPU", info["cpu"]), ("cores", info["cores"]), ("Python", info["python"]), ("OS", info["os"]),
                                 ("date", info["date"])]),
        "",
        machine.table(["package", "version"], list(info["versions"].items())),
        "",
        f"**Overhead of the library over bare durable_rules: {ratio:.2f}×** in the worst round (target: at most 1.3×).",
        "",
    ]
    body = sections[2:]  # the title and machine table are replaced by the head above
    first = [s for s in body if s.startswith(("## Summary", "## Agreement"))]
    body = first + [s for s in body if s not in first]
    text = "\n".join(head) + "\n" + "\n\n".join(body) + "\n\n" + _DASK + "\n" + _REPRODUCE
    DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    sys.exit(main())
