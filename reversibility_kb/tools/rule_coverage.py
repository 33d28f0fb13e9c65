"""Rulebook coverage: which single changes to a rule no worked case notices.

Line coverage says a rule fired; it does not say a case would fail if the rule were wrong. Here
each rule is changed in one small way (a *mutant*: a condition dropped, a value flipped, an
unknown let through as if it were a no, a negation undone, the severity moved) and the worked
cases are assessed again with the changed rulebook. A mutant is *killed* when some case's golden
answer (:func:`.golden.compare`, pinned severities included) no longer matches; *equivalent* when
the change provably cannot alter any derivation (said why) and indeed derived the same conclusions
and firings on every case; otherwise it *survives*: no case pins what that part of the rule says.

Mutants are built as rule data (``attrs.evolve``), never by editing files. Each mutant is a new
durable_rules ruleset, and rulesets leak C memory and have process-global names: mutants run in
worker processes that each handle one batch and exit, so the memory goes back to the system.
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import multiprocessing
import sys
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

import attrs
from tqdm import tqdm

from ..inference.assessment import Assessment, _findings, assess
from ..case.catalogue import bundled_cases
from ..inference.engine import Engine, EngineError, Run
from .golden import compare
from ..case.i18n import word
from ..case.loading import load_case
from ..case.model import Case, Severity, Text
from .portfolio import default_workers
from ..case.resources import rules_dir
from ..inference.rulebook import Pattern, Rule, Rulebook, RuleError, Test, attribute_values, load_rulebook
from .variations import bundled_variations

KILLED, EQUIVALENT, SURVIVED = "killed", "equivalent", "survived"
#: Mutants handled by one worker process before it exits (each one leaks a compiled ruleset).
BATCH = 40
_NUMERIC = ("lt", "lte", "gt", "gte")
_REVERSED = {"lt": "gte", "gte": "lt", "lte": "gt", "gt": "lte"}
_SYMBOL = {"eq": "=", "not": "≠", "in": "∈", "lt": "<", "lte": "≤", "gt": ">", "gte": "≥"}


@attrs.frozen
class Mutant:
    """One single change to one rule: the changed rule, and how to say what changed."""

    rule: str
    #: Language-neutral and stable: what JSON output and tests name the mutant by.
    key: str
    description: Text
    replacement: Rule
    #: Why the change cannot alter any derivation, when that can be shown from the rule alone.
    neutral: Optional[Text] = None


# --- Showing rule data -------------------------------------------------------------------------

def _value(value: Any) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(map(str, value)) + "]"
    return str(value)


def _test_text(pattern: Pattern, test: Test) -> str:
    """A test as a rule author reads it: ``doc.planned_initial = yes``."""
    where = f"{pattern.name}.{test.attribute}"
    if test.op == "ref":
        return f"{where} = {test.value[0]}.{test.value[1]}"
    if test.op == "exists":
        return f"{where} exists: {'true' if test.value else 'false'}"
    return f"{where} {_SYMBOL[test.op]} {_value(test.value)}"


def _pattern_text(index: int, pattern: Pattern) -> str:
    return f"when[{index}] {'not' if pattern.negated else pattern.name}: {pattern.fact}"


# --- Proofs of neutrality ----------------------------------------------------------------------

def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _holds(test: Test, value: Any) -> bool:
    """Whether an attribute holding ``value`` passes ``test`` (a constant test)."""
    if test.op == "eq":
        return bool(value == test.value)
    if test.op == "not":
        return bool(value != test.value)
    if test.op == "in":
        return value in test.value
    if test.op == "exists":
        return bool(test.value)
    if test.op in _NUMERIC:
        if not _number(value):
            return False
        return bool({"lt": value < test.value, "lte": value <= test.value, "gt": value > test.value, "gte": value >= test.value}[test.op])
    return False


def _implies(other: Test, test: Test) -> bool:
    """Every attribute value that passes ``other`` passes ``test`` (same attribute, constants)."""
    if other.attribute != test.attribute or "ref" in (other.op, test.op) or other == test:
        return other == test
    if test.op == "exists":
        return bool(test.value) and other.op in ("eq", "in", *_NUMERIC)
    if other.op == "eq":
        return _holds(test, other.value)
    if other.op == "in":
        return all(_holds(test, value) for value in other.value)
    if other.op in _NUMERIC and test.op in _NUMERIC and other.op[0] == test.op[0]:
        strict_gain = other.op in ("lt", "gt") or test.op in ("lte", "gte")
        if other.op[0] == "l":
            return other.value < test.value or (other.value == test.value and strict_gain)
        return other.value > test.value or (other.value == test.value and strict_gain)
    return False


def _excluded(pattern: Pattern, skip: int, attribute: str, value: Any) -> bool:
    """Another test of the pattern already refuses ``value`` for ``attribute``."""
    return any(
        j != skip and t.attribute == attribute and t.op not in ("ref", "exists") and not _holds(t, value)
        for j, t in enumerate(pattern.tests)
    )


# --- Operators ---------------------------------------------------------------------------------

def _dates(rule: Rule) -> Optional[tuple[int, int]]:
    """Where the loader put the in-force date tests: (pattern index, first test index).
    They restate the rule's ``in_force`` field, not a condition its author wrote."""
    if rule.in_force is None:
        return None
    count = len(rule.in_force.bounds())
    for index, pattern in enumerate(rule.when):
        if pattern.fact == "contract" and not pattern.negated:
            return index, len(pattern.tests) - count
    return None


def _valid(rule: Rule) -> bool:
    """What the loader would accept: a positive pattern, references and ``about`` to bindings
    that exist earlier, conclusion patterns that still name their kind."""
    bound: set[str] = set()
    for pattern in rule.when:
        for test in pattern.tests:
            if test.op == "ref" and test.value[0] not in bound:
                return False
        if pattern.fact == "conclusion" and not pattern.kinds():
            return False
        if not pattern.negated:
            bound.add(pattern.name)
    return bool(bound) and (rule.about is None or rule.about in bound)


def _with_pattern(rule: Rule, index: int, pattern: Optional[Pattern]) -> Rule:
    when = rule.when[:index] + ((pattern,) if pattern is not None else ()) + rule.when[index + 1:]
    return attrs.evolve(rule, when=when)


def _with_test(rule: Rule, index: int, position: int, test: Optional[Test]) -> Rule:
    pattern = rule.when[index]
    tests = pattern.tests[:position] + ((test,) if test is not None else ()) + pattern.tests[position + 1:]
    return _with_pattern(rule, index, attrs.evolve(pattern, tests=tests))


def _flips(fact: str, test: Test) -> Iterator[tuple[str, Any]]:
    """(operator, value) pairs a value flip gives: yes↔no, an enum value to the next one of its
    enum, a number bound one step either way or its comparison reversed, existence reversed."""
    domain = attribute_values().get(fact, {}).get(test.attribute)
    if test.op in ("eq", "not") and domain:
        if test.value in ("yes", "no", "unknown") and {"yes", "no"} <= domain:
            yield test.op, "yes" if test.value == "no" else "no"
        else:
            ordered = sorted(domain)
            yield test.op, ordered[(ordered.index(test.value) + 1) % len(ordered)]
    elif test.op == "eq" and _number(test.value):
        yield from (("eq", test.value + 1), ("eq", test.value - 1))
    elif test.op in _NUMERIC:
        yield from ((test.op, test.value + 1), (test.op, test.value - 1), (_REVERSED[test.op], test.value))
    elif test.op == "exists":
        yield "exists", not test.value


def _test_mutants(rule: Rule, index: int, position: int) -> Iterator[Mutant]:
    pattern = rule.when[index]
    test = pattern.tests[position]
    shown = _test_text(pattern, test)
    where = f"when[{index}].{pattern.name}.{test.attribute}"
    if not (pattern.fact == "conclusion" and test.attribute == "kind"):
        implied = next((t for j, t in enumerate(pattern.tests) if j != position and _implies(t, test)), None)
        neutral = None
        if implied is not None:
            other = _test_text(pattern, implied)
            neutral = Text(fr=f"{other} entraîne déjà {shown}", en=f"{other} already implies {shown}")
        yield Mutant(rule.id, f"drop {where} {test.op}", Text(fr=f"retirer le test {shown}", en=f"drop the test {shown}"),
                     _with_test(rule, index, position, None), neutral)
    if test.op == "in" and len(test.value) > 1:
        for member in test.value:
            rest = tuple(v for v in test.value if v != member)
            neutral = None
            if _excluded(pattern, position, test.attribute, member):
                neutral = Text(fr=f"un autre test de {pattern.name} refuse déjà {member}", en=f"another test of {pattern.name} already refuses {member}")
            yield Mutant(rule.id, f"{where} in -{member}", Text(fr=f"{shown} sans {member}", en=f"{shown} without {member}"),
                         _with_test(rule, index, position, Test(test.attribute, "in", rest)), neutral)
    for op, value in _flips(pattern.fact, test):
        changed = Test(test.attribute, op, value)
        if changed == test:  # an enum of one value
            continue
        after = _test_text(pattern, changed)
        yield Mutant(rule.id, f"{where} {test.op} {_value(test.value)} -> {op} {_value(value)}",
                     Text(fr=f"{shown} devient {after}", en=f"{shown} becomes {after}"),
                     _with_test(rule, index, position, changed))
    domain = attribute_values().get(pattern.fact, {}).get(test.attribute, frozenset())
    if test.op == "eq" and test.value == "no" and "unknown" in domain:
        loose = Test(test.attribute, "not", "yes")
        after = _test_text(pattern, loose)
        neutral = None
        if all(_excluded(pattern, position, test.attribute, v) for v in domain - {"yes", "no"}):
            neutral = Text(fr=f"un autre test de {pattern.name} refuse déjà les autres valeurs", en=f"another test of {pattern.name} already refuses the other values")
        yield Mutant(rule.id, f"{where} eq no -> not yes",
                     Text(fr=f"{shown} élargi en {after} (l'inconnu passe pour non)", en=f"{shown} loosened to {after} (unknown taken as no)"),
                     _with_test(rule, index, position, loose), neutral)


def mutants(rule: Rule) -> list[Mutant]:
    """Every mutant of one rule the loader would accept, in a stable order."""
    out: list[Mutant] = []
    dates = _dates(rule)
    for index, pattern in enumerate(rule.when):
        added = pattern.name == "in_force" and dates is not None and dates[0] == index
        if not added:
            shown = _pattern_text(index, pattern)
            out.append(Mutant(rule.id, f"drop when[{index}]", Text(fr=f"retirer la condition {shown}", en=f"drop the condition {shown}"),
                              _with_pattern(rule, index, None)))
            verb = Text(fr="lever la négation de", en="un-negate") if pattern.negated else Text(fr="nier", en="negate")
            out.append(Mutant(rule.id, f"{'un-negate' if pattern.negated else 'negate'} when[{index}]",
                              Text(fr=f"{verb.fr} la condition {shown}", en=f"{verb.en} the condition {shown}"),
                              _with_pattern(rule, index, attrs.evolve(pattern, negated=not pattern.negated))))
        for position in range(len(pattern.tests)):
            if dates is None or index != dates[0] or position < dates[1]:
                out.extend(_test_mutants(rule, index, position))
    if dates is not None:
        index, first = dates
        pattern = rule.when[index]
        undated = None if pattern.name == "in_force" else attrs.evolve(pattern, tests=pattern.tests[:first])
        out.append(Mutant(rule.id, "drop in_force", Text(fr="retirer les dates d'application", en="drop the in-force dates"),
                          _with_pattern(rule, index, undated)))
    if rule.severity is not None:
        levels = list(Severity)
        for step in (-1, 1):
            rank = rule.severity.rank + step
            if 0 <= rank < len(levels):
                new = levels[rank]
                out.append(Mutant(rule.id, f"severity {rule.severity.value} -> {new.value}",
                                  Text(fr=f"gravité {word(rule.severity.value, 'fr')} → {word(new.value, 'fr')}",
                                       en=f"severity {rule.severity.value} → {new.value}"),
                                  attrs.evolve(rule, severity=new)))
    return [m for m in out if _valid(m.replacement)]


# --- Running mutants ---------------------------------------------------------------------------

@attrs.frozen
class _Oracle:
    """One worked case whose golden answer holds unchanged, and what it derives unchanged."""

    case: Case
    run: Run
    #: The rulebook the case is judged by: the rules, plus the rule packs it declares.
    own: Rulebook
    #: Rules of the shared rulebook (every pack some case declares) this case is not judged by;
    #: ``None`` when the case must always be run on its own rulebook.
    foreign: Optional[frozenset[str]]


@attrs.frozen
class _Oracles:
    """Every oracle, and the rulebook holding every rule some case is judged by."""

    shared: Rulebook
    cases: tuple[_Oracle, ...]


def _derived(run: Run) -> tuple[Any, ...]:
    """What a run derived, order aside: its conclusions and its firings with their rules and facts."""
    return tuple(sorted(run.conclusions)), tuple(sorted((f.rule, f.matched, f.conclusion) for f in run.firings))


def _holds_golden(case: Case, rulebook: Rulebook, run: Run) -> bool:
    # the findings of a run under a rulebook, as ``assess`` builds them (without running it again)
    return compare(Assessment(case, rulebook, run, _findings(run, rulebook))).ok


def _mutated(rulebook: Rulebook, mutant: Mutant) -> Rulebook:
    """The rulebook with the mutant in place of its rule, under a digest (and so an engine
    ruleset name) of its own."""
    digest = hashlib.sha256(f"{rulebook.digest}\0{mutant.rule}\0{mutant.key}".encode()).hexdigest()
    rules = tuple(mutant.replacement if r.id == mutant.rule else r for r in rulebook.rules)
    return attrs.evolve(rulebook, rules=rules, digest=digest)


#: The oracles a worker process judges mutants with (set once per process).
_ORACLES: Optional[_Oracles] = None


def _start(oracles: _Oracles) -> None:
    global _ORACLES
    _ORACLES = oracles


def _judge(mutant: Mutant) -> str:
    """Killed, equivalent or survived, on every case judged by the rule.

    One ruleset is compiled per mutant, from the shared rulebook: a run where no rule of a pack
    the case does not declare fires derives exactly what the case's own rulebook derives
    (stratified negation has one model). Where one does fire, the case is run again on its own
    rulebook. Cases where the rule fired come first (the likeliest to notice); a mutant that
    changes only the severity needs no new run, its firings are the same by construction."""
    assert _ORACLES is not None
    shared = _mutated(_ORACLES.shared, mutant)
    rerun = mutant.replacement.when != _ORACLES.shared.rule(mutant.rule).when
    engines: dict[str, Engine] = {}

    def engine(rulebook: Rulebook) -> Engine:
        if rulebook.digest not in engines:
            engines[rulebook.digest] = Engine(rulebook)
        return engines[rulebook.digest]

    same = True
    judged = [o for o in _ORACLES.cases if o.foreign is None or mutant.rule not in o.foreign]
    for oracle in sorted(judged, key=lambda o: not any(f.rule == mutant.rule for f in o.run.firings)):
        subject = oracle.case.contract.id
        rulebook, run = shared, oracle.run
        try:
            if rerun and oracle.foreign is not None:
                run = engine(shared).run(list(oracle.run.facts), subject=subject)
            if rerun and (oracle.foreign is None or any(f.rule in oracle.foreign for f in run.firings)):
                rulebook = _mutated(oracle.own, mutant)
                run = engine(rulebook).run(list(oracle.run.facts), subject=subject)
        except EngineError:
            return KILLED  # the case cannot even be assessed: noticed
        if not _holds_golden(oracle.case, rulebook, run):
            return KILLED
        same = same and _derived(run) == _derived(oracle.run)
    return EQUIVALENT if same and mutant.neutral is not None else SURVIVED


def _judge_batch(batch: list[tuple[int, Mutant]]) -> list[tuple[int, Optional[str]]]:
    """A batch in one process; ``None`` for a mutant the engine refuses (a cycle through negation)."""
    out: list[tuple[int, Optional[str]]] = []
    for index, mutant in batch:
        try:
            out.append((index, _judge(mutant)))
        except RuleError:
            out.append((index, None))
    return out


# --- The report --------------------------------------------------------------------------------

@attrs.frozen
class Coverage:
    """Every mutant judged, in rulebook order, and the cases that served as oracles."""

    judged: tuple[tuple[Mutant, str], ...]
    cases: tuple[str, ...]
    #: Cases whose golden answer does not hold even unchanged: they cannot judge a mutant.
    not_matching: tuple[str, ...]

    def count(self, status: str) -> int:
        return sum(1 for _, s in self.judged if s == status)

    @property
    def killed_share(self) -> float:
        """Killed over non-equivalent mutants (1.0 when there is nothing to kill)."""
        candidates = len(self.judged) - self.count(EQUIVALENT)
        return self.count(KILLED) / candidates if candidates else 1.0

    def of(self, status: str) -> list[Mutant]:
        return [m for m, s in self.judged if s == status]

    def to_dict(self, lang: str = "en") -> dict[str, Any]:
        return {
            "killed_share": round(self.killed_share, 4),
            "total": len(self.judged),
            "killed": self.count(KILLED),
            "equivalent": self.count(EQUIVALENT),
            "survivors": [{"rule": m.rule, "mutation": m.key, "description": m.description.in_(lang)} for m in self.of(SURVIVED)],
            "equivalents": [
                {"rule": m.rule, "mutation": m.key, "description": m.description.in_(lang), "why": m.neutral.in_(lang) if m.neutral else ""}
                for m in self.of(EQUIVALENT)
            ],
            "cases": list(self.cases),
            "cases_not_matching": list(self.not_matching),
        }


def coverage_text(result: Coverage, lang: str = "en") -> str:
    """The report a rule author reads: the share, then each surviving mutant under its rule."""
    fr = lang == "fr"
    candidates = len(result.judged) - result.count(EQUIVALENT)
    share = f"{100 * result.killed_share:.1f}".replace(".", "," if fr else ".")
    lines = [
        (f"Couverture du référentiel : {result.count(KILLED)} mutants tués sur {candidates} ({share} %), "
         f"{result.count(EQUIVALENT)} équivalents, {result.count(SURVIVED)} survivants, sur {len(result.cases)} cas.")
        if fr else
        (f"Rulebook coverage: {result.count(KILLED)} of {candidates} mutants killed ({share} %), "
         f"{result.count(EQUIVALENT)} equivalent, {result.count(SURVIVED)} survivors, over {len(result.cases)} cases.")
    ]
    if result.not_matching:
        head = "Cas écartés (leur réponse de référence ne tient pas sans mutation)" if fr else "Cases left out (their golden answer fails unchanged)"
        lines.append(f"{head} : {', '.join(result.not_matching)}" if fr else f"{head}: {', '.join(result.not_matching)}")
    for status, title in (
        (SURVIVED, "Mutants survivants, règle par règle (aucun cas ne les remarque)" if fr else "Surviving mutants, rule by rule (no case notices them)"),
        (EQUIVALENT, "Mutants équivalents (sans effet possible)" if fr else "Equivalent mutants (cannot change anything)"),
    ):
        found = result.of(status)
        if not found:
            continue
        lines += ["", title + (" :" if fr else ":")]
        rule = None
        for mutant in found:
            if mutant.rule != rule:
                rule = mutant.rule
                lines.append(f"  {rule}")
            why = f" — {mutant.neutral.in_(lang)}" if status == EQUIVALENT and mutant.neutral else ""
            lines.append(f"    - {mutant.description.in_(lang)}{why}")
    return "\n".join(lines) + "\n"


def _oracles(rules: Path, cases: Sequence[Case]) -> tuple[_Oracles, list[str]]:
    """The cases whose golden answer holds unchanged, each with its own rulebook; the cases
    whose golden answer fails unchanged are set aside."""
    used = tuple(sorted({p for case in cases for p in case.contract.regulatory.packs}))
    shared = load_rulebook(rules, used)
    books: dict[tuple[str, ...], Rulebook] = {}
    oracles, failing = [], []
    for case in cases:
        packs = tuple(sorted(set(case.contract.regulatory.packs)))
        if packs not in books:
            books[packs] = load_rulebook(rules, packs)
        own = books[packs]
        assessment = assess(case, own)
        if not compare(assessment).ok:
            failing.append(case.id)
            continue
        mine = {r.id for r in own.rules}
        foreign: Optional[frozenset[str]] = frozenset(r.id for r in shared.rules if r.id not in mine)
        if _derived(Engine(shared).run(list(assessment.run.facts), subject=case.contract.id)) != _derived(assessment.run):
            foreign = None  # a pack it does not declare changes what it derives: always its own rulebook
        oracles.append(_Oracle(case, assessment.run, own, foreign))
    return _Oracles(shared, tuple(oracles)), sorted(failing)


def _all_mutants(oracles: _Oracles, only: Optional[Sequence[str]] = None) -> list[Mutant]:
    """Mutants of every rule some case is judged by (or of the rules ``only`` names), in
    rulebook order."""
    return [m for rule in oracles.shared.rules if not only or rule.id in only for m in mutants(rule)]


def _batches(items: list[tuple[int, Mutant]], workers: int) -> list[list[tuple[int, Mutant]]]:
    size = max(1, min(BATCH, -(-len(items) // (workers * 4))))
    return [items[i:i + size] for i in range(0, len(items), size)]


def coverage(
    rules: Optional[Path] = None,
    cases: Optional[Sequence[Case]] = None,
    workers: Optional[int] = None,
    progress: Optional[bool] = False,
    only: Optional[Sequence[str]] = None,
) -> Coverage:
    """Mutate every rule of a rulebook (the bundled one by default) and judge each mutant on the
    worked cases (the bundled ones and their variations by default). ``workers=0`` runs in this process (small
    rulebooks only: every mutant leaks a compiled ruleset); ``progress=None`` shows a bar on
    stderr when it is a terminal; ``only`` limits the mutants to those rule ids (what a rule
    author checks while writing cases for one rule)."""
    rules = Path(rules) if rules is not None else rules_dir()
    if cases is None:
        worked = {case_id: load_case(path) for case_id, path in bundled_cases().items()}
        cases = list(worked.values()) + bundled_variations(worked)
    oracles, failing = _oracles(rules, cases)
    unknown = sorted(set(only or ()) - {rule.id for rule in oracles.shared.rules})
    if unknown:
        raise RuleError(str(rules), unknown[0], "", "expected the id of a rule of the rulebook (or of a pack some case declares)")
    pending = list(enumerate(_all_mutants(oracles, only)))
    verdicts: dict[int, Optional[str]] = {}
    workers = default_workers() if workers is None else workers
    with tqdm(total=len(pending), file=sys.stderr, disable=None if progress is None else not progress, unit="mutant") as bar:
        if workers == 0:
            _start(oracles)
            for batch in _batches(pending, 1):
                verdicts.update(_judge_batch(batch))
                bar.update(len(batch))
        else:
            context = multiprocessing.get_context("forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn")
            if context.get_start_method() == "forkserver":
                context.set_forkserver_preload([__name__])  # each batch's process starts with the library imported
            with concurrent.futures.ProcessPoolExecutor(
                max_workers=workers, mp_context=context, initializer=_start, initargs=(oracles,), max_tasks_per_child=1
            ) as pool:
                futures = [pool.submit(_judge_batch, batch) for batch in _batches(pending, workers)]
                for future in concurrent.futures.as_completed(futures):
                    done = future.result()
                    verdicts.update(done)
                    bar.update(len(done))
    judged = tuple((mutant, status) for i, mutant in pending if (status := verdicts[i]) is not None)
    return Coverage(judged, tuple(o.case.id for o in oracles.cases), tuple(failing))
