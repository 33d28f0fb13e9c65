"""The same rulebook on other engines, each translated automatically from the rules'
:class:`~reversibility_kb.inference.rulebook.Pattern` and :class:`~reversibility_kb.inference.rulebook.Test` objects.

Every runner takes the ready-made input facts of one case (``case_facts``) and its subject (the
contract id) and returns the set of conclusion ids it derived (``kind`` or ``kind@about``, as the
library names them), so that they can be compared with the library's own, case by case.

* :class:`BareDurable`: durable_rules with nothing of the library around it but what it needs to
  run these rules correctly: the same compiled conditions (``compile_pattern``), the same stage
  facts for negation, the same opening fact, sink rule and session handling (one sid per case,
  deleted afterwards, JSON texts kept alive); its actions only assert their conclusion.
* :class:`PythonRules`: the floor, a direct evaluator of the Pattern/Test objects with a fixpoint
  loop and the same stratification. It also returns every firing, to check the library's
  justifications, not only its conclusions.
* :class:`ClipsRules`: CLIPS through clipspy; one ``deftemplate`` per fact type, one ``defrule``
  per rule, negation with ``not``, strata with salience; the environment is recycled every 200
  cases (one environment reused for ever slows down and grows).
* :class:`ExpertaRules`: experta; its ``NOT`` misfires when a blocker arrives after what it
  blocks, so rules with a negation are anchored on stage facts declared in later runs, like ours.

Semantics every runner follows (measured on durable_rules, which is the reference): a test on an
attribute the fact does not have fails (``not``, ``lt``… included) except ``exists: false``; a
``ref`` join fails when either side is missing.
"""

from __future__ import annotations

import functools
import itertools
import json
from collections import defaultdict
from typing import Any, Callable, Optional

import durable_rules_engine

from reversibility_kb.inference import engine as kb_engine
from reversibility_kb.inference.compiler import compile_pattern
from reversibility_kb.inference.facts import Fact, fact_attributes
from reversibility_kb.inference.rulebook import Pattern, Rule, Rulebook, Test

RECYCLE_CLIPS_EVERY = 200


def conclusion_id(kind: str, about: str, subject: str) -> str:
    return kind if about == subject else f"{kind}@{about}"


def _about_value(fact: dict[str, Any]) -> str:
    return fact["about"] if fact["type"] == "conclusion" else fact["id"]


# --------------------------------------------------------------------------------------------
# durable_rules, bare


class _BareState:
    __slots__ = ("subject", "seen", "texts")

    def __init__(self, subject: str) -> None:
        self.subject = subject
        self.seen: dict[str, None] = {}
        #: durable_rules reads the JSON texts after the call returns: keep them alive (as the library does).
        self.texts: list[str] = []


_BARE: dict[str, _BareState] = {}
_BARE_SIDS = itertools.count(1)


def _bare_action(rule: Rule) -> Callable[[Any], None]:
    kind, about = rule.concludes, rule.about

    def act(c: Any) -> None:
        sid = c.s.sid
        state = _BARE[sid]
        subject = _about_value(c._m[about]) if about else state.subject
        cid = kind if subject == state.subject else f"{kind}@{subject}"
        if cid not in state.seen:
            state.seen[cid] = None
            text = json.dumps([{"type": "conclusion", "id": cid, "kind": kind, "about": subject, "sid": sid}])
            state.texts.append(text)
            durable_rules_engine.assert_facts(c._ruleset._handle, text)

    return act


def _bare_assert(state: _BareState, ruleset: Any, facts: list[Fact]) -> Any:
    text = json.dumps(facts)
    state.texts.append(text)
    return ruleset._handle_result(durable_rules_engine.assert_facts(ruleset._handle, text), facts)


class BareDurable:
    """The library's compiled conditions on durable_rules, without the library around them."""

    def __init__(self, rulebook: Rulebook) -> None:
        self.levels = kb_engine.strata(rulebook.rules)
        self.stages = max(self.levels.values(), default=0)
        self.name = f"bare_{rulebook.digest[:20]}"
        if self.name not in kb_engine._REGISTERED:
            definition: dict[str, Any] = {}
            for rule in rulebook.rules:
                conditions = [compile_pattern(p) for p in rule.when]
                if any(p.negated for p in rule.when):
                    conditions.insert(0, {"stage": {"$and": [{"type": "stage"}, {"n": self.levels[rule.id]}]}})
                definition[rule.id] = {"all": conditions, "run": _bare_action(rule)}
            definition["sink"] = kb_engine._sink()
            definition["opener"] = kb_engine._opener()
            kb_engine._HOST.register_rulesets({self.name: definition})
            kb_engine._REGISTERED.add(self.name)
        self.host = kb_engine._HOST
        self.ruleset = self.host.get_ruleset(self.name)
        self.stage_facts = [[{"type": "stage", "id": f"stage:{n}", "n": n}] for n in range(1, self.stages + 1)]
        self.opening = [dict(kb_engine._OPENING)]

    def run(self, facts: list[Fact], subject: str) -> set[str]:
        sid = f"b{next(_BARE_SIDS)}"
        state = _BARE[sid] = _BareState(subject)
        ruleset, host = self.ruleset, self.host
        assert_batch = functools.partial(_bare_assert, state, ruleset)
        try:
            for batch in (self.opening, facts, *self.stage_facts):
                host._handle_function(ruleset, assert_batch, [{**f, "sid": sid} for f in batch], None)
        finally:
            host.delete_state(self.name, sid)
            del _BARE[sid]
        return set(state.seen)


# --------------------------------------------------------------------------------------------
# plain Python predicates


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _constant_check(test: Test) -> Callable[[dict[str, Any]], bool]:
    attribute, op, value = test.attribute, test.op, test.value
    if op == "eq":
        kind = type(value)
        return lambda f: type(f.get(attribute)) is kind and f[attribute] == value
    if op == "not":
        return lambda f: attribute in f and not _same(f[attribute], value)
    if op == "in":
        return lambda f: attribute in f and any(_same(f[attribute], v) for v in value)
    if op == "exists":
        return (lambda f: attribute in f) if value else (lambda f: attribute not in f)
    compare = {"lt": lambda a: a < value, "lte": lambda a: a <= value, "gt": lambda a: a > value, "gte": lambda a: a >= value}[op]
    return lambda f: _number(f.get(attribute)) and compare(f[attribute])


def _same(actual: Any, expected: Any) -> bool:
    """durable_rules' equality: 1, 1.0 and True differ."""
    return type(actual) is type(expected) and actual == expected


def _all(checks: list[Callable[[dict[str, Any]], bool]]) -> Callable[[dict[str, Any]], bool]:
    if not checks:
        return lambda f: True
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        a, b = checks
        return lambda f: a(f) and b(f)
    return lambda f: all(c(f) for c in checks)


class _CompiledPattern:
    __slots__ = ("name", "fact", "negated", "key", "values", "check", "refs", "kinds")

    def __init__(self, pattern: Pattern) -> None:
        self.name, self.fact, self.negated = pattern.name, pattern.fact, pattern.negated
        tests = [t for t in pattern.tests if t.op != "ref"]
        #: The first equality (or 'in') on a text: facts are looked up by it, the rest is checked.
        indexed = next((t for t in tests if t.op in ("eq", "in") and all(isinstance(v, str) for v in (t.value if t.op == "in" else [t.value]))), None)
        self.key = indexed.attribute if indexed else None
        self.values = (indexed.value if indexed.op == "in" else (indexed.value,)) if indexed else ()
        self.check = _all([_constant_check(t) for t in tests if t is not indexed])
        #: (attribute, binding, attribute of the bound fact)
        self.refs = [(t.attribute, t.value[0], t.value[1]) for t in pattern.tests if t.op == "ref"]
        self.kinds = pattern.kinds()

    def joins(self, fact: dict[str, Any], bound: dict[str, dict[str, Any]]) -> bool:
        for attribute, binding, other in self.refs:
            target = bound[binding]
            if attribute not in fact or other not in target or not _same(fact[attribute], target[other]):
                return False
        return True


class PythonRules:
    """A direct evaluator of the rulebook: index, filter, join, fixpoint, strata. The floor."""

    def __init__(self, rulebook: Rulebook) -> None:
        self.levels = kb_engine.strata(rulebook.rules)
        self.stages = max(self.levels.values(), default=0)
        self.rules = []
        self.needs = {rule.id: rule.needs() for rule in rulebook.rules}
        for rule in rulebook.rules:
            patterns = [_CompiledPattern(p) for p in rule.when]
            negation = any(p.negated for p in rule.when)
            self.rules.append((rule, [p for p in patterns if not p.negated], [p for p in patterns if p.negated],
                               self.levels[rule.id] if negation else 0))

    def run(self, facts: list[Fact], subject: str, firings: Optional[list] = None) -> set[str]:
        by_type: dict[str, list[Fact]] = defaultdict(list)
        for fact in facts:
            by_type[fact["type"]].append(fact)
        indexes: dict[tuple[str, str], dict[Any, list[Fact]]] = {}
        conclusions: dict[str, Fact] = {}
        by_kind: dict[str, list[Fact]] = defaultdict(list)
        filtered: dict[int, list[Fact]] = {}
        fired: set[tuple[str, tuple[str, ...]]] = set()

        def candidates(pattern: _CompiledPattern) -> list[Fact]:
            key = id(pattern)
            if pattern.fact != "conclusion" and key in filtered:
                return filtered[key]  # input facts do not change
            if pattern.fact == "conclusion" and pattern.key == "kind":
                pool = [f for v in pattern.values for f in by_kind.get(v, ())]
            elif pattern.key is None:
                pool = conclusions.values() if pattern.fact == "conclusion" else by_type.get(pattern.fact, ())
            else:
                index = indexes.get((pattern.fact, pattern.key))
                if index is None or pattern.fact == "conclusion":
                    index = defaultdict(list)
                    source = conclusions.values() if pattern.fact == "conclusion" else by_type.get(pattern.fact, ())
                    for fact in source:
                        index[fact.get(pattern.key)].append(fact)
                    indexes[(pattern.fact, pattern.key)] = index
                pool = [f for v in pattern.values for f in index.get(v, ())]
            found = [f for f in pool if pattern.check(f)]
            if pattern.fact != "conclusion":
                filtered[key] = found
            return found

        def matches(positive: list[_CompiledPattern], negative: list[_CompiledPattern]) -> list[dict[str, Fact]]:
            pools = [candidates(p) for p in positive]
            if not all(pools):
                return []
            out: list[dict[str, Fact]] = []
            last = len(positive)

            def extend(i: int, bound: dict[str, Fact]) -> None:
                if i == last:
                    for neg in negative:
                        if any(neg.joins(f, bound) for f in candidates(neg)):
                            return
                    out.append(dict(bound))
                    return
                pattern = positive[i]
                for fact in pools[i]:
                    if not pattern.refs or pattern.joins(fact, bound):
                        bound[pattern.name] = fact
                        extend(i + 1, bound)
                bound.pop(pattern.name, None)

            extend(0, {})
            return out

        # Semi-naive fixpoint: a rule is tried when it becomes active (its stage), then again
        # only when a kind of conclusion it needs was derived in the previous pass.
        for stage in range(self.stages + 1):
            todo = [r for r in self.rules if r[3] == stage]
            while todo:
                new_kinds: set[str] = set()
                for rule, positive, negative, level in todo:
                    for bound in matches(positive, negative):
                        key = (rule.id, tuple(bound[p.name]["id"] for p in positive))
                        if key in fired:
                            continue
                        fired.add(key)
                        about = _about_value(bound[rule.about]) if rule.about else subject
                        cid = conclusion_id(rule.concludes, about, subject)
                        if firings is not None:
                            firings.append((rule.id, tuple((p.name, bound[p.name]["id"]) for p in positive), cid))
                        if cid not in conclusions:
                            fact = {"type": "conclusion", "id": cid, "kind": rule.concludes, "about": about}
                            conclusions[cid] = fact
                            by_kind[rule.concludes].append(fact)
                            new_kinds.add(rule.concludes)
                todo = [r for r in self.rules if r[3] <= stage and not new_kinds.isdisjoint(self.needs[r[0].id])] if new_kinds else []
        return set(conclusions)


# --------------------------------------------------------------------------------------------
# CLIPS (clipspy)


def _clips_literal(value: Any) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        raise ValueError("booleans are not fact values")
    return repr(value)


def _var(binding: str, attribute: str) -> str:
    return f"?v_{binding}__{attribute}"


_CLIPS_RELATIONAL = {"lt": "<", "lte": "<=", "gt": ">", "gte": ">="}


def _clips_rule(rule: Rule, level: int) -> str:
    """One defrule: constants as literal constraints, joins as shared variables, relational tests
    as predicate constraints, negated patterns inside ``not``, strata as salience."""
    # Attributes that later patterns join on, or that the conclusion reads: bound to a variable.
    needed: dict[str, set[str]] = defaultdict(set)
    for pattern in rule.when:
        for test in pattern.tests:
            if test.op == "ref":
                needed[test.value[0]].add(test.value[1])
    about = "?*subject*"
    if rule.about:
        bound_fact = next(p for p in rule.when if p.name == rule.about)
        attribute = "about" if bound_fact.fact == "conclusion" else "id"
        needed[rule.about].add(attribute)
        about = _var(rule.about, attribute)
    counter = itertools.count()
    elements = []
    for pattern in rule.when:
        variable: dict[str, str] = {}
        parts: dict[str, list[str]] = defaultdict(list)
        predicates: dict[str, list[tuple[str, Any]]] = defaultdict(list)
        if not pattern.negated:
            for attribute in needed.get(pattern.name, ()):
                variable[attribute] = _var(pattern.name, attribute)
        for test in pattern.tests:
            a, op, v = test.attribute, test.op, test.value
            if op == "eq":
                parts[a].append(_clips_literal(v))
            elif op == "not":
                parts[a].append(f"~nil&~{_clips_literal(v)}")
            elif op == "in":
                parts[a].append("|".join(_clips_literal(x) for x in v))
            elif op == "exists":
                parts[a].append("~nil" if v else "nil")
            elif op == "ref":
                parts[a].append(f"{_var(*v)}&~nil")
            else:
                predicates[a].append((_CLIPS_RELATIONAL[op], v))
        slots = []
        for attribute in sorted(set(variable) | set(parts) | set(predicates)):
            terms = []
            var = variable.get(attribute)
            if var is None and predicates.get(attribute):
                var = f"?g{next(counter)}"
            if var:
                terms.append(var)
            terms += parts.get(attribute, [])
            terms += [f":(and (numberp {var}) ({op} {var} {_clips_literal(v)}))" for op, v in predicates.get(attribute, [])]
            slots.append(f"({attribute} {'&'.join(terms)})")
        ce = f"({pattern.fact} {' '.join(slots)})"
        elements.append(f"(not {ce})" if pattern.negated else ce)
    kind = _clips_literal(rule.concludes)
    rhs = f"(assert (conclusion (id (cid {kind} {about})) (kind {kind}) (about {about})))"
    return f"(defrule r-{rule.id} (declare (salience {-level})) {' '.join(elements)} => {rhs})"


class ClipsRules:
    """CLIPS through clipspy; a fresh environment every :data:`RECYCLE_CLIPS_EVERY` cases."""

    def __init__(self, rulebook: Rulebook, recycle: int = RECYCLE_CLIPS_EVERY) -> None:
        import clips  # noqa: F401  (fail early if missing)

        levels = kb_engine.strata(rulebook.rules)
        self.attributes = fact_attributes()
        self.constructs = ['(defglobal ?*subject* = "")',
                           '(deffunction cid (?kind ?about) (if (eq ?about ?*subject*) then (return ?kind) else (return (str-cat ?kind "@" ?about))))']
        for kind, attributes in self.attributes.items():
            slots = " ".join(f"(slot {a})" for a in sorted(attributes) if a != "type")
            self.constructs.append(f"(deftemplate {kind} {slots})")
        self.constructs += [_clips_rule(rule, levels[rule.id]) for rule in rulebook.rules]
        self.recycle = recycle
        self.runs = 0
        self.env: Any = None

    def _new_environment(self) -> None:
        import clips

        env = clips.Environment()
        for construct in self.constructs:
            env.build(construct)
        self.env = env
        self.templates = {kind: env.find_template(kind) for kind in self.attributes}
        self.subject = env.find_global("subject")

    def run(self, facts: list[Fact], subject: str) -> set[str]:
        if self.env is None or self.runs % self.recycle == 0:
            self._new_environment()
        self.runs += 1
        env, templates = self.env, self.templates
        env.reset()
        self.subject.value = subject
        for fact in facts:
            slots = dict(fact)
            templates[slots.pop("type")].assert_fact(**slots)
        env.run()
        return {f["id"] for f in templates["conclusion"].facts()}


# --------------------------------------------------------------------------------------------
# experta


def _experta_check(test: Test) -> Any:
    """A field constraint; ``None`` for ``exists: false`` (experta fails every test on a missing
    field, so absence is a ``TEST`` on the whole fact)."""
    from experta import L, P, W

    op, value = test.op, test.value
    if op == "eq":
        return L(value) if isinstance(value, str) else P(lambda a, v=value: _same(a, v))
    if op == "not":
        return P(lambda a, v=value: not _same(a, v))
    if op == "in":
        return P(lambda a, vs=value: any(_same(a, v) for v in vs))
    if op == "exists":
        return W() if value else None
    compare = {"lt": lambda a, v: a < v, "lte": lambda a, v: a <= v, "gt": lambda a, v: a > v, "gte": lambda a, v: a >= v}[op]
    return P(lambda a, v=value, c=compare: _number(a) and c(a, v))


def _experta_rhs(rule: Rule) -> Callable[..., None]:
    kind, about_binding = rule.concludes, rule.about

    def rhs(engine: Any, **context: Any) -> None:
        subject = engine.subject
        about = _about_value(context[f"f_{about_binding}"]) if about_binding else subject
        cid = conclusion_id(kind, about, subject)
        if cid not in engine.conclusions:
            engine.conclusions.add(cid)
            engine.declare(engine.fact_class(type="conclusion", id=cid, kind=kind, about=about))

    return rhs


class ExpertaRules:
    """experta; rules with a negation wait for their stage fact, declared in a later run."""

    def __init__(self, rulebook: Rulebook) -> None:
        from experta import AS, MATCH, NOT, TEST, Fact, KnowledgeEngine, L
        from experta import Rule as XRule

        self.Fact = Fact
        levels = kb_engine.strata(rulebook.rules)
        self.stages = max(levels.values(), default=0)
        methods: dict[str, Any] = {}
        for rule in rulebook.rules:
            needed: dict[str, set[str]] = defaultdict(set)
            for pattern in rule.when:
                for test in pattern.tests:
                    if test.op == "ref":
                        needed[test.value[0]].add(test.value[1])
            elements: list[Any] = []
            if any(p.negated for p in rule.when):
                elements.append(Fact(type="stage", n=levels[rule.id]))
            for pattern in rule.when:
                fields: dict[str, Any] = {"type": L(pattern.fact)}
                absent: list[str] = []
                for test in pattern.tests:
                    if test.op == "ref":
                        check = getattr(MATCH, f"v_{test.value[0]}__{test.value[1]}")
                    else:
                        check = _experta_check(test)
                        if check is None:
                            absent.append(test.attribute)
                            continue
                    fields[test.attribute] = fields[test.attribute] & check if test.attribute in fields else check
                if not pattern.negated:
                    for attribute in needed.get(pattern.name, ()):
                        bind = getattr(MATCH, f"v_{pattern.name}__{attribute}")
                        fields[attribute] = bind & fields[attribute] if attribute in fields else bind
                element = Fact(**fields)
                if pattern.negated:
                    if absent:
                        raise NotImplementedError("exists: false inside a negated pattern")
                    elements.append(NOT(element))
                    continue
                elements.append(getattr(AS, f"f_{pattern.name}") << element)
                for attribute in absent:
                    # experta passes bound names by the test's parameter names: build one that has it.
                    elements.append(TEST(eval(f"lambda f_{pattern.name}: {attribute!r} not in f_{pattern.name}")))  # noqa: S307
            methods[f"r_{rule.id.replace('-', '_')}"] = XRule(*elements)(_experta_rhs(rule))
        self.engine = type("ReversibilityExperta", (KnowledgeEngine,), methods)()

    def run(self, facts: list[Fact], subject: str) -> set[str]:
        engine, Fact = self.engine, self.Fact
        engine.reset()
        engine.subject = subject
        engine.conclusions = set()
        engine.fact_class = Fact
        engine.declare(*(Fact(**f) for f in facts))
        engine.run()
        for n in range(1, self.stages + 1):
            engine.declare(Fact(type="stage", id=f"stage:{n}", n=n))
            engine.run()
        return set(engine.conclusions)
