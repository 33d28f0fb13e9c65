"""Running a rulebook on durable_rules, with provenance.

Everything the project knows about durable_rules' sharp edges (``../shared/notes/durable-rules.md``)
is handled here, and only here:

* the default ``Host`` starts poller threads that can segfault after ``delete_state``:
  :class:`_QuietHost` starts none (timers and async actions are not used);
* at most 1024 live sessions per ruleset: every run deletes its session in a ``finally`` and runs
  under :data:`_LOCK`, so at most one session is ever alive;
* a condition the session-state fact can satisfy loops forever: every pattern starts with a
  positive ``type`` test (see :mod:`.compiler`), the sink included;
* unmatched facts raise ``MessageNotHandledException``: a sink rule matches every fact and never
  completes;
* exceptions in actions are swallowed by the engine's Python layer: :func:`_drain` runs the
  actions itself (straight on the C core: no ``Closure``, no state JSON round trip per action),
  so nothing is swallowed; :class:`_Session` keeps every error and :meth:`Engine.run` raises
  :class:`EngineError` after the run;
* negation is evaluated when the anchoring fact arrives: every rule with a negated pattern is
  anchored on a *stage* fact, asserted only once everything it may negate has been derived
  (stratified negation), so facts may arrive in any order;
* a fact asserted twice raises: conclusions get an id derived from their content, are asserted
  once, and a second derivation becomes a second firing (justification);
* the engine knows a fact by a 32-bit FNV-1 hash of its ``id`` alone, so two distinct ids can
  clash (found here: ``asset_not_transferable@asset-3484`` and ``document_missing@doc-1671`` in
  a case with 10,000 items of each kind; the second was refused as already asserted): a
  conclusion that clashes goes in under an alias (no rule tests a conclusion's id) that firings
  translate back; two input facts that clash stop the run with an error naming both;
* ruleset names are global and cannot be redefined: a rulebook is compiled once per process,
  under a name derived from its content hash;
* relational joins overrun a heap buffer: the rule language only allows equality joins
  (:mod:`.rulebook` refuses the others);
* a condition that holds both a value list (``$or`` of equalities) and a join loses the join,
  negated or not (found here: one document's acceptance blocked a finding on another):
  :mod:`.rulebook` refuses ``in`` and ``ref`` in one pattern, and a rule tests one value per
  pattern or matches an intermediate conclusion instead;
* the engine keeps pointers into the JSON text of asserted facts after the call returns (found
  here with valgrind: joins then read freed memory and negations misfire now and then):
  :func:`_assert` keeps every text it passes alive until its session is deleted;
* the C core takes ``str`` only (not ``bytes``), parses the UTF-8 text itself and compares
  strings byte for byte: facts are encoded with msgspec (compact, UTF-8 as is, like the
  ruleset's own ``ensure_ascii=False`` text) and decoded back the same way;
* ``delete_state`` frees a per-session action context that the engine only initialises when an
  action runs (found here: a session where no rule fired aborted with ``free(): invalid
  pointer``): every session starts with a fact that the :func:`_opener` rule always fires on;
* a diagnostic session holding thousands of facts against the diagnostic rules (one per pattern
  and per test of every rule) aborted the process: :meth:`Engine.diagnose` splits the facts
  into sessions of :data:`_DIAGNOSTIC_CHUNK` (its rules match one fact each, so nothing changes);
* the GIL is never released, so :data:`_LOCK` costs no parallelism; processes give it.
"""

from __future__ import annotations

import functools
import itertools
import threading
from typing import Any, Callable, Optional

import attrs
import durable_rules_engine
import msgspec
from durable import engine as durable

from .compiler import compile_pattern
from ..case.model import MarginLever, Objective
from .facts import Fact, margin_id, objective_id
from .rulebook import Pattern, Rule, Rulebook, RuleError

_LOCK = threading.RLock()
_SIDS = itertools.count(1)


class EngineError(RuntimeError):
    """A rule action failed; durable_rules would have swallowed it."""


class _QuietHost(durable.Host):  # type: ignore[misc]  # durable_rules ships no types
    """A host without the two poller threads the default one starts (they can segfault)."""

    def _run(self) -> None:
        return None


_HOST = _QuietHost()
#: Rulesets registered in this process (a name can be registered only once).
_REGISTERED: set[str] = set()
_ENCODE = msgspec.json.encode
_DECODE = msgspec.json.Decoder().decode


@attrs.frozen
class Firing:
    """One rule firing: the facts it matched (binding → fact id) and the conclusion it asserted."""

    index: int
    rule: str
    matched: tuple[tuple[str, str], ...]
    conclusion: str


@attrs.frozen
class Run:
    """What one session derived from the input facts."""

    facts: tuple[Fact, ...]
    conclusions: dict[str, Fact]
    firings: tuple[Firing, ...]


class _Session:
    """The bookkeeping of one run: conclusions asserted so far, firings, captured errors."""

    def __init__(self, subject: str) -> None:
        self.subject = subject
        self.conclusions: dict[str, Fact] = {}
        self.firings: list[Firing] = []
        self.errors: list[str] = []
        #: Every JSON text handed to the engine: it reads them after the call returns.
        self.texts: list[str] = []
        #: For diagnostic runs: (diagnostic rule name, fact id) for every single-fact match.
        self.matches: list[tuple[str, str]] = []
        #: Conclusion ids asserted under an alias (its id's hash was taken): alias → id.
        self.aliases: dict[str, str] = {}


class _Content:
    """The session's id as actions read it (``c.s.sid``)."""

    __slots__ = ("sid",)

    def __init__(self, sid: str) -> None:
        self.sid = sid


class _Closure:
    """What an action receives: ``c._m`` the matched facts by binding, ``c.s.sid`` the session,
    ``c._ruleset`` the ruleset (to assert conclusions). One per session, ``_m`` reset per firing."""

    __slots__ = ("_m", "s", "_ruleset")

    def __init__(self, sid: str, ruleset: Any) -> None:
        self._m: dict[str, Any] = {}
        self.s = _Content(sid)
        self._ruleset = ruleset


def _assert(session: _Session, ruleset: Any, facts: list[Fact]) -> Any:
    """Assert facts through the engine's C entry point, keeping the JSON text alive; returns the
    state handle whose actions are to run."""
    text = _ENCODE(facts).decode()
    session.texts.append(text)
    return ruleset._handle_result(durable_rules_engine.assert_facts(ruleset._handle, text), facts)


def _drain(session: _Session, ruleset: Any, state: Any, closure: _Closure) -> None:
    """Run every action the engine has queued for the session, in its order, as durable_rules'
    ``do_actions`` does, minus its per-action overhead (a ``Closure`` with timers, the state
    JSON written back and re-read: our actions never change the session state)."""
    actions = ruleset._actions
    handle = ruleset._handle
    started = durable_rules_engine.start_action_for_state(handle, state)
    message = started[1] if started else None
    while message:
        for name, matched in _DECODE(message).items():
            closure._m = matched
            try:
                actions[name]._func(closure)
            except BaseException as exc:  # finish the action all the same: the engine awaits it
                session.errors.append(f"rule '{name}': {type(exc).__name__}: {exc}")
        message = durable_rules_engine.complete_and_start_action(handle, state)


#: Live sessions by sid; actions find their session here.
_SESSIONS: dict[str, _Session] = {}


def _action(rule: Rule) -> Callable[[Any], None]:
    positive = [p.name for p in rule.when if not p.negated]

    def act(c: Any) -> None:
        session = _SESSIONS[c.s.sid]
        try:
            matched = c._m
            about = rule.about and matched[rule.about]
            subject = session.subject
            if about:
                subject = about["about"] if about["type"] == "conclusion" else about["id"]
            conclusion_id = rule.concludes if subject == session.subject else f"{rule.concludes}@{subject}"
            ids = tuple((name, matched[name]["id"]) for name in positive)
            if session.aliases:
                ids = tuple((name, session.aliases.get(i, i)) for name, i in ids)
            session.firings.append(Firing(index=len(session.firings), rule=rule.id, matched=ids, conclusion=conclusion_id))
            if conclusion_id not in session.conclusions:
                fact = {"type": "conclusion", "id": conclusion_id, "kind": rule.concludes, "about": subject}
                session.conclusions[conclusion_id] = fact
                _assert_conclusion(session, c._ruleset, fact, c.s.sid)
        except BaseException as exc:  # the engine would swallow it: keep it for the caller
            session.errors.append(f"rule '{rule.id}': {type(exc).__name__}: {exc}")

    return act


def _assert_conclusion(session: _Session, ruleset: Any, fact: Fact, sid: str) -> None:
    """Assert a new conclusion; if its id's 32-bit hash is already taken (the engine then says
    "already asserted"), under the first free alias ``id#n``."""
    message = {**fact, "sid": sid}
    for n in itertools.count(1):
        try:
            _assert(session, ruleset, [message])
            return
        except durable.MessageObservedException:
            alias = f"{fact['id']}#{n}"
            session.aliases[alias] = fact["id"]
            message = {**fact, "id": alias, "sid": sid}


@functools.lru_cache(maxsize=2**16)  # the same ids come back run after run (what-if, questions)
def _message_hash(fact_id: str) -> int:
    """durable_rules' identity of a fact: the 32-bit FNV-1 hash of its id's UTF-8 bytes."""
    value = 0x811C9DC5
    for byte in fact_id.encode():
        value = ((value ^ byte) * 0x01000193) & 0xFFFFFFFF
    return value


def _refuse_clashes(facts: list[Fact]) -> None:
    """Refuse, before the engine sees them, two facts whose ids share a message hash (an input id
    can be made to share the hash of ``opening`` or ``stage:1``): in one batch with the opening
    fact the engine crashes the process (a segmentation fault) instead of raising."""
    seen: dict[int, str] = {}
    for fact_id in (fact["id"] for fact in facts if "id" in fact):  # without an id, the engine hashes the content
        other = seen.setdefault(_message_hash(fact_id), fact_id)
        if other != fact_id:
            raise EngineError(f"durable_rules takes {other!r} and {fact_id!r} for the same fact (their ids share "
                              "its 32-bit message hash): rename one of them")


def _clashing(facts: list[Fact]) -> str:
    """The first two input fact ids that share a message hash, for the error."""
    seen: dict[int, str] = {}
    for fact in facts:
        other = seen.setdefault(_message_hash(fact["id"]), fact["id"])
        if other != fact["id"]:
            return f"{other!r} and {fact['id']!r}"
    return "two facts with the same id"


def _has_negation(rule: Rule) -> bool:
    return any(pattern.negated for pattern in rule.when)


def strata(rules: tuple[Rule, ...]) -> dict[str, int]:
    """Stratify negation: a rule that negates a conclusion runs in a later stage than every rule
    that can conclude it. Rules with any negation run at stage 1 or later (after all input)."""
    level = {rule.id: (1 if _has_negation(rule) else 0) for rule in rules}
    for _ in range(len(rules) + 1):
        of_kind: dict[str, int] = {}
        for rule in rules:
            of_kind[rule.concludes] = max(of_kind.get(rule.concludes, 0), level[rule.id])
        changed = False
        for rule in rules:
            need = max((of_kind.get(k, 0) for k in rule.needs()), default=0)
            block = max((of_kind.get(k, 0) + 1 for k in rule.negates()), default=0)
            new = max(level[rule.id], need, block)
            if new != level[rule.id]:
                level[rule.id], changed = new, True
        if not changed:
            return level
    rule, index = _negated_in_cycle(rules)
    raise RuleError(rule.file, rule.id, f"when[{index}]", "expected no cycle through negation between rules "
                    "(what this pattern negates depends on this rule's own conclusion)")


def _negated_in_cycle(rules: tuple[Rule, ...]) -> tuple[Rule, int]:
    """The first rule, and its negated pattern, whose negated kind depends on the rule's own
    conclusion: the rule to name when no stratification exists (strata found none)."""
    import networkx as nx

    graph: nx.DiGraph[str] = nx.DiGraph()
    for rule in rules:
        graph.add_edges_from((kind, rule.concludes) for kind in rule.needs() | rule.negates())
    for rule in rules:
        for index, pattern in enumerate(rule.when):
            if pattern.negated and any(kind in graph and nx.has_path(graph, rule.concludes, kind) for kind in pattern.kinds()):
                return rule, index
    raise AssertionError("strata found no stratification, yet no negation lies on a cycle")  # pragma: no cover


def _definition(rulebook: Rulebook, level: dict[str, int]) -> dict[str, Any]:
    definition: dict[str, Any] = {}
    for rule in rulebook.rules:
        conditions = [compile_pattern(p) for p in rule.when]
        if _has_negation(rule):
            conditions.insert(0, {"stage": {"$and": [{"type": "stage"}, {"n": level[rule.id]}]}})
        definition[rule.id] = {"all": conditions, "run": _action(rule)}
    definition["sink"] = _sink()
    definition["opener"] = _opener()
    return definition


#: The fact every session starts with, so that at least one action runs in it (see above).
_OPENING = {"type": "opening", "id": "opening"}
#: Stage facts the loader checks input ids against before any rulebook is read (the bundled
#: rulebook has one stage); past this many, the guard in :meth:`Engine.run` still refuses a clash.
MAX_CHECKED_STAGES = 32


def own_fact_ids() -> dict[str, str]:
    """The ids of the facts a run may hold besides the case's items, each with what it is: the
    opening fact, the stage facts, the objectives and margin levers the fact builder adds. An input
    id that shares the hash of one of them would be that fact to durable_rules."""
    ids = {_OPENING["id"]: "the engine's opening fact"}
    ids.update({f"stage:{n}": f"the engine's stage {n} fact" for n in range(1, MAX_CHECKED_STAGES + 1)})
    ids.update({objective_id(o): f"the fact of the objective '{o.value}'" for o in Objective})
    ids.update({margin_id(m): f"the fact of the margin lever '{m.value}'" for m in MarginLever})
    return ids


def _opener() -> dict[str, Any]:
    return {"all": [{"m": {"$and": [{"type": _OPENING["type"]}]}}], "run": lambda c: None}


def _sink() -> dict[str, Any]:
    """Matches every fact and never completes: durable_rules raises on facts no rule matches.
    (A fresh dict each time: durable_rules deletes ``run`` from the definitions it is given.)"""
    return {"all": [{"m": {"$ex": {"type": 1}}}, {"never": {"type": "never_asserted"}}], "run": lambda c: None}


def diagnostic_key(rule_id: str, pattern: int, test: Optional[int] = None) -> str:
    """The name of the diagnostic rule for one pattern of a rule (all its constant tests), or
    for one test of that pattern alone."""
    return f"{rule_id}__{pattern}" + ("" if test is None else f"__{test}")


def _record(key: str) -> Callable[[Any], None]:
    def act(c: Any) -> None:
        _SESSIONS[c.s.sid].matches.append((key, c._m["m"]["id"]))

    return act


def _diagnostic_definition(rulebook: Rulebook) -> dict[str, Any]:
    """One single-fact rule per pattern and per constant test of every rule: which facts pass
    which test. Join tests (``ref``) are left out: they depend on another fact."""
    definition: dict[str, Any] = {}
    for rule in rulebook.rules:
        for index, pattern in enumerate(rule.when):
            tests = [(j, t) for j, t in enumerate(pattern.tests) if t.op != "ref"]
            whole = Pattern("m", pattern.fact, tuple(t for _, t in tests))
            definition[diagnostic_key(rule.id, index)] = {"all": [compile_pattern(whole)], "run": _record(diagnostic_key(rule.id, index))}
            for j, test in tests:
                single = Pattern("m", pattern.fact, (test,))
                key = diagnostic_key(rule.id, index, j)
                definition[key] = {"all": [compile_pattern(single)], "run": _record(key)}
    definition["sink"] = _sink()
    definition["opener"] = _opener()
    return definition


def _run_session(name: str, session: _Session, batches: list[list[Fact]]) -> None:
    """Assert batches in order in one fresh session, always deleted; errors end in the session.
    The opening fact goes with the first batch."""
    with _LOCK:
        sid = str(next(_SIDS))
        _SESSIONS[sid] = session
        ruleset = _HOST.get_ruleset(name)
        closure = _Closure(sid, ruleset)
        try:
            for n, batch in enumerate(batches):
                facts = [{**f, "sid": sid} for f in (batch if n else [_OPENING, *batch])]
                try:
                    state = _assert(session, ruleset, facts)
                except durable.MessageObservedException:
                    raise EngineError(f"durable_rules takes {_clashing(facts)} for the same fact (their ids share "
                                      "its 32-bit message hash): rename one of them") from None
                _drain(session, ruleset, state, closure)
        finally:
            durable_rules_engine.delete_state(ruleset._handle, sid)
            del _SESSIONS[sid]
    if session.errors:
        raise EngineError("; ".join(session.errors))


def _register(name: str, build: Callable[[], dict[str, Any]]) -> None:
    """Register a ruleset once per process: names are global and cannot be redefined."""
    with _LOCK:
        if name not in _REGISTERED:
            _HOST.register_rulesets({name: build()})
            _REGISTERED.add(name)


class Engine:
    """A rulebook compiled into a durable_rules ruleset, ready to assess fact bases."""

    def __init__(self, rulebook: Rulebook) -> None:
        self.rulebook = rulebook
        self.levels = strata(rulebook.rules)
        self.stages = max(self.levels.values(), default=0)
        self.name = f"reversibility_kb_{rulebook.digest[:20]}"
        _register(self.name, lambda: _definition(rulebook, self.levels))

    def run(self, facts: list[Fact], subject: Optional[str] = None) -> Run:
        """Assert the input facts, then each stage (stratified negation), in one session."""
        subject = subject or next(f["id"] for f in facts if f["type"] == "contract")
        session = _Session(subject)
        stages = [[{"type": "stage", "id": f"stage:{n}", "n": n}] for n in range(1, self.stages + 1)]
        _refuse_clashes([_OPENING, *facts, *(batch[0] for batch in stages)])
        _run_session(self.name, session, [list(facts), *stages])
        return Run(tuple(facts), dict(session.conclusions), tuple(session.firings))

    def diagnose(self, facts: list[Fact]) -> dict[str, tuple[str, ...]]:
        """For every pattern and constant test of every rule, the facts that pass it.

        Used to say why a rule did not fire; the matching is still durable_rules' own."""
        name = f"{self.name}_diagnostic"
        _register(name, lambda: _diagnostic_definition(self.rulebook))
        out: dict[str, list[str]] = {}
        # Single-fact rules only: facts can be split across sessions without changing a match.
        for start in range(0, max(1, len(facts)), _DIAGNOSTIC_CHUNK):
            session = _Session("")
            _run_session(name, session, [list(facts[start:start + _DIAGNOSTIC_CHUNK])])
            for key, fact_id in session.matches:
                out.setdefault(key, []).append(fact_id)
        return {key: tuple(ids) for key, ids in out.items()}


#: Facts per diagnostic session. With thousands of facts against a thousand single-fact rules, one
#: session aborted the process (``munmap_chunk(): invalid pointer``, found here on a case with a
#: thousand items of each kind); sessions of this size do not.
_DIAGNOSTIC_CHUNK = 200


def live_sessions() -> int:
    """How many sessions are open right now (zero between runs)."""
    return len(_SESSIONS)
