"""The knowledge base as data: rules, rules of the art and seed points, read from ``rules/``.

Rule files are YAML, read safely, and can only describe conditions: nothing in them runs.
A malformed rule is refused with one line naming the file, the rule and the field.
"""

from __future__ import annotations

import difflib
import enum
import functools
import hashlib
import math
import re
import types
import typing
from pathlib import Path
from typing import Any, Iterator, Optional

import attrs

from .dating import InForce
from .facts import fact_attributes
from ..case.loading import CaseError, converter, decode, first_structure_error, one_line, read_bytes
from ..case import model
from ..case.model import Severity, Text

NAME = re.compile(r"^[a-z][a-z0-9_]*$")
RULE_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")
SEED_ID = re.compile(r"^S(10|[1-9])\.[a-f]$")
#: A legal or standard source of a rule pack: a text code, a colon, the article and paragraph (``DA:25(2)(d)``).
LEGAL_ID = re.compile(r"^[A-Z][A-Z0-9]*:[A-Za-z0-9()./_-]+$")
#: Condition operators, as written in rule files.
OPERATORS = ("in", "not", "lt", "lte", "gt", "gte", "exists", "ref")
#: Files of a rulebook directory that hold data other than rules.
DATA_FILES = ("sources.yaml", "practices.yaml", "questions.yaml", "clause_outlines.yaml", "legal_words.yaml", "vocabulary.yaml")
#: Binding names the engine keeps for itself.
RESERVED = frozenset({"not", "stage", "sink", "m", "in_force"})
#: Rule ids the engine gives its own rules.
ENGINE_RULES = frozenset({"sink", "opener"})
#: The largest bound a rule may compare with: the engine holds numbers in 64 bits (a larger
#: integer overflows them; this one is still exact as a float).
MAX_BOUND = 2**53
#: durable_rules takes at most 32 conditions in a rule; one is the stage anchor of negation.
MAX_PATTERNS = 30
#: durable_rules takes at most 4096 rules in a ruleset (the diagnostic one has a rule per pattern
#: and per test), and at most 256 rules ending on the same condition.
MAX_RULES = 1000
MAX_SHARED_CONDITION = 250


class RuleError(ValueError):
    """A rule file that cannot be used, in one line."""

    def __init__(self, file: str, rule: str, field: str, expected: str) -> None:
        self.file, self.rule, self.field, self.expected = file, rule, field, expected
        where = f"{file}: rule '{rule}'" if rule else file
        text = f"{where}: {field}: {expected}" if field else f"{where}: {expected}"
        super().__init__(one_line(text))  # always one safe line


@attrs.frozen
class Test:
    """One test on one attribute of a fact: ``op`` is ``eq`` or one of :data:`OPERATORS`."""

    attribute: str
    op: str
    value: Any


@attrs.frozen
class Pattern:
    """A condition on one fact; a negated pattern asks that no such fact exists."""

    name: str
    fact: str
    tests: tuple[Test, ...]
    negated: bool = False

    def kinds(self) -> frozenset[str]:
        """The conclusion kinds this pattern can match (empty for input facts)."""
        if self.fact != "conclusion":
            return frozenset()
        for test in self.tests:
            if test.attribute == "kind":
                return frozenset(test.value if test.op == "in" else [test.value])
        return frozenset()


@attrs.frozen
class SeedPoint:
    """One point of the source document (``S4.a``), restated in our words."""

    id: str
    section: Text
    text: Text


@attrs.frozen
class Practice:
    """A rule of the art: what a competent party would have done."""

    id: str
    title: Text
    description: Text
    sources: tuple[str, ...]
    #: The document an expert asks for to check whether the practice was followed.
    evidence: Text
    #: Since when (and until when) the practice is the accepted one.
    in_force: Optional[InForce] = None


@attrs.frozen
class Question:
    """How to ask for a fact that may be unknown: keyed by a case-file path (``[]`` for any item)."""

    path: str
    question: Text
    document: Text
    #: The party that holds the answer: ``client``, ``provider`` or ``successor`` (required in
    #: the bundled rulebook by tests/test_questions_stakes.py).
    holder: Optional[str] = None


@attrs.frozen
class _RuleData:
    id: str
    title: Text
    rationale: Text
    sources: tuple[str, ...]
    when: tuple[dict[str, Any], ...]
    concludes: str
    about: Optional[str] = None
    severity: Optional[Severity] = None
    recommendation: Optional[Text] = None
    practices: tuple[str, ...] = ()
    in_force: Optional[InForce] = None


@attrs.frozen
class Rule:
    """One rule: its conditions, what it concludes, and why (sources, rationale)."""

    id: str
    title: Text
    rationale: Text
    sources: tuple[str, ...]
    when: tuple[Pattern, ...]
    concludes: str
    about: Optional[str]
    severity: Optional[Severity]
    recommendation: Optional[Text]
    practices: tuple[str, ...]
    file: str
    #: When the text the rule restates applies, and by which date of the case.
    in_force: Optional[InForce] = None
    #: The rule pack it comes from (``None``: the bundled rulebook).
    pack: Optional[str] = None

    @property
    def is_finding(self) -> bool:
        return self.severity is not None

    def needs(self) -> frozenset[str]:
        return frozenset().union(*(p.kinds() for p in self.when if not p.negated))

    def negates(self) -> frozenset[str]:
        return frozenset().union(*(p.kinds() for p in self.when if p.negated))


@attrs.frozen
class Rulebook:
    """Every rule, rule of the art and seed point, with a hash of the files they came from."""

    rules: tuple[Rule, ...]
    practices: dict[str, Practice]
    seed: dict[str, SeedPoint]
    digest: str
    questions: dict[str, Question] = attrs.field(factory=dict)

    _by_id: dict[str, Rule] = attrs.field(init=False, repr=False, eq=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_id", {rule.id: rule for rule in self.rules})

    def rule(self, rule_id: str) -> Rule:
        """The rule with that id (``KeyError`` if there is none)."""
        return self._by_id[rule_id]


def _suggest(word: str, choices: Any) -> str:
    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _parse_test(attribute: str, raw: Any, bound: dict[str, str], attributes: dict[str, frozenset[str]]) -> Test:
    if isinstance(raw, bool):
        return Test(attribute, "eq", "yes" if raw else "no")
    if isinstance(raw, (str, int, float)):
        return Test(attribute, "eq", raw)
    if not (isinstance(raw, dict) and len(raw) == 1):
        raise ValueError(f"expected a value or a one-key mapping with one of {', '.join(OPERATORS)}")
    op, value = next(iter(raw.items()))
    if op not in OPERATORS:
        raise ValueError(f"expected one of the operators {', '.join(OPERATORS)}, got '{op}'{_suggest(str(op), OPERATORS)}")
    if op in ("lt", "lte", "gt", "gte") and (isinstance(value, bool) or not isinstance(value, (int, float))):
        raise ValueError(f"expected a number after '{op}' (compare with constants only)")
    if op in ("lt", "lte", "gt", "gte") and not (abs(value) <= MAX_BOUND if isinstance(value, int) else math.isfinite(value)):
        shown = f"a number of {len(str(abs(value)))} digits" if isinstance(value, int) else value
        raise ValueError(f"expected a finite number of at most {MAX_BOUND} in size after '{op}', got {shown}")
    if op == "exists" and not isinstance(value, bool):
        raise ValueError("expected true or false after 'exists'")
    if op == "in":
        if not (isinstance(value, list) and value):
            raise ValueError("expected a non-empty list after 'in'")
        value = tuple("yes" if v is True else "no" if v is False else v for v in value)
    if op == "not" and isinstance(value, bool):
        value = "yes" if value else "no"
    if op == "ref":
        target, _, target_attribute = str(value).partition(".")
        if target not in bound:
            raise ValueError(f"expected a reference to an earlier binding ({', '.join(bound) or 'none yet'}), got '{value}'")
        if target_attribute not in attributes[bound[target]]:
            raise ValueError(f"expected an attribute of {bound[target]} facts, got '{target_attribute}'")
        value = (target, target_attribute)
    return Test(attribute, op, value)


#: Where each fact type's attributes come from in the model (see :mod:`.facts`).
_FACT_CLASSES = {
    "contract": model.Contract, "party": model.Party, "tool": model.Tool, "data": model.DataAsset,
    "document": model.Document, "phase": model.Phase, "event": model.Event, "asset": model.Asset,
    "scope": model.ScopeItem,
}
_TRI = frozenset(member.value for member in model.Tri)
#: Attributes that :mod:`.facts` derives rather than copies, and the values they take.
_DERIVED: dict[str, frozenset[str]] = {
    "successor_named": _TRI, "before_claims": _TRI, "migration_exceeds_transition": _TRI,
    "ownership_changed": frozenset({"yes", "no"}), "after_project_failure": frozenset({"yes", "no"}),
    "after_organisation_change": frozenset({"yes", "no"}),
    # the owner at signature, or the role of the party it was transferred to
    "owner_now": frozenset(member.value for member in model.Owner) | {"successor"},
}


def _enum_fields(cls: type, prefix: str = "") -> Iterator[tuple[str, type[enum.Enum]]]:
    hints = typing.get_type_hints(cls, vars(model))
    for field in attrs.fields(cls):
        kind = hints[field.name]
        args = [a for a in typing.get_args(kind) if a is not type(None)]
        if typing.get_origin(kind) in (typing.Union, types.UnionType) and len(args) == 1:
            kind = args[0]
        if attrs.has(kind):
            yield from _enum_fields(kind, f"{prefix}{field.name}_")
        elif isinstance(kind, type) and issubclass(kind, enum.Enum):
            yield prefix + field.name, kind


@functools.cache
def attribute_values() -> dict[str, dict[str, frozenset[str]]]:
    """For each fact type, the attributes that take one of a model enum's values, and those
    values: read from the model when asked, so a new value needs no change here."""
    table: dict[str, dict[str, frozenset[str]]] = {}
    for fact, cls in _FACT_CLASSES.items():
        fields = dict(_enum_fields(cls))
        for attribute in fact_attributes()[fact]:
            if attribute.endswith("_role"):
                fields[attribute] = model.PartyRole
        table[fact] = {name: frozenset(member.value for member in kind) for name, kind in fields.items()}
        table[fact].update((name, _DERIVED[name]) for name in fact_attributes()[fact] if name in _DERIVED)
    table["objective"] = {"kind": frozenset(o.value for o in model.Objective)}
    table["margin"] = {"lever": frozenset(m.value for m in model.MarginLever)}
    return table


def _check_constants(kind: str, test: Test) -> None:
    """A constant a fact can never hold makes a rule that silently never matches: refuse it."""
    values = attribute_values().get(kind, {}).get(test.attribute)
    if values is not None and test.op in ("lt", "lte", "gt", "gte"):
        raise ValueError(f"expected one of {', '.join(sorted(values))} (not a number to compare with '{test.op}')")
    if values is None or test.op not in ("eq", "not", "in"):
        return
    for value in test.value if test.op == "in" else (test.value,):
        if value not in values:
            hint = _suggest(str(value), values)
            raise ValueError(f"expected one of {', '.join(sorted(values))}, got {value!r}{hint}")


def _parse_when(items: tuple[dict[str, Any], ...]) -> tuple[Pattern, ...]:
    if len(items) > MAX_PATTERNS:
        raise RuleError("", "", "when", f"expected at most {MAX_PATTERNS} patterns (the engine's limit), got {len(items)}")
    attributes = fact_attributes()
    bound: dict[str, str] = {}
    patterns: list[Pattern] = []
    for index, item in enumerate(items):
        where = f"when[{index}]"
        if len(item) != 1:
            raise RuleError("", "", where, "expected one binding name (or 'not') mapped to a pattern")
        key, body = next(iter(item.items()))
        negated = key == "not"
        if not negated and (not NAME.match(str(key)) or key in RESERVED or key in bound):
            raise RuleError("", "", where, f"expected a new lower-case binding name, got '{key}'")
        if not isinstance(body, dict) or "fact" not in body:
            raise RuleError("", "", f"{where}.{key}", "expected a mapping with 'fact' and attribute tests")
        kind = body["fact"]
        if kind not in attributes:
            raise RuleError("", "", f"{where}.{key}.fact", f"expected one of {', '.join(attributes)}, got '{kind}'{_suggest(str(kind), attributes)}")
        tests = []
        for attribute, raw in body.items():
            if attribute == "fact":
                continue
            if attribute not in attributes[kind] or attribute in ("type",):
                raise RuleError("", "", f"{where}.{key}.{attribute}", f"expected an attribute of {kind} facts{_suggest(str(attribute), attributes[kind])}")
            try:
                tests.append(_parse_test(attribute, raw, bound, attributes))
                _check_constants(kind, tests[-1])
            except ValueError as exc:
                raise RuleError("", "", f"{where}.{key}.{attribute}", str(exc)) from None
        ops = {test.op for test in tests}
        if {"in", "ref"} <= ops:  # durable_rules drops the join of such a condition (engine.py)
            raise RuleError("", "", f"{where}.{key}", "expected a value list (in) or a join (ref) in one pattern, not both: "
                            "the engine would drop the join; test one value per pattern, or match an intermediate conclusion")
        name = f"not_{index}" if negated else key
        pattern = Pattern(name, kind, tuple(tests), negated)
        if kind == "conclusion" and not pattern.kinds():
            raise RuleError("", "", f"{where}.{key}.kind", "expected the kind of conclusion to match (a value or 'in')")
        patterns.append(pattern)
        if not negated:
            bound[key] = kind
    if not any(not p.negated for p in patterns):
        raise RuleError("", "", "when", "expected at least one positive pattern")
    return tuple(patterns)


def _dated(when: tuple[Pattern, ...], in_force: Optional[InForce]) -> tuple[Pattern, ...]:
    """A dated rule tests the case's date on the contract fact: on its own contract pattern (the
    engine matches one fact once per rule), else on a pattern added for it."""
    if in_force is None:
        return when
    tests = tuple(Test(attribute, op, day) for attribute, op, day in in_force.bounds())
    for index, pattern in enumerate(when):
        if pattern.fact == "contract" and not pattern.negated:
            return when[:index] + (attrs.evolve(pattern, tests=pattern.tests + tests),) + when[index + 1:]
    return when + (Pattern("in_force", "contract", tests),)


def _rule(raw: Any, file: str, index: int, pack: Optional[str] = None) -> Rule:
    rule_id = raw.get("id", f"#{index}") if isinstance(raw, dict) else f"#{index}"
    try:
        data = converter.structure(raw, _RuleData)
    except Exception as exc:
        raise RuleError(file, str(rule_id), *first_structure_error(exc)) from None
    if not RULE_ID.match(data.id):
        raise RuleError(file, data.id, "id", "expected lower-case letters, digits and dashes")
    if data.id in ENGINE_RULES:
        raise RuleError(file, data.id, "id", f"expected an id other than {' and '.join(sorted(ENGINE_RULES))} (the engine's own rules)")
    if not NAME.match(data.concludes):
        raise RuleError(file, data.id, "concludes", "expected a lower-case name with underscores")
    for i, source in enumerate(data.sources):
        if not (SEED_ID.match(source) or LEGAL_ID.match(source)):
            raise RuleError(file, data.id, f"sources[{i}]", f"expected a seed point id such as S4.a or an article such as DA:25(2)(d), got '{source}'")
    if not data.sources:
        raise RuleError(file, data.id, "sources", "expected at least one seed point")
    if (data.severity is None) != (data.recommendation is None):
        raise RuleError(file, data.id, "recommendation", "expected a recommendation exactly when a severity is given")
    try:
        when = _parse_when(data.when)
    except RuleError as exc:
        raise RuleError(file, data.id, exc.field, exc.expected) from None
    positive = {p.name for p in when if not p.negated}
    if data.about is not None and data.about not in positive:
        raise RuleError(file, data.id, "about", f"expected one of the bindings {', '.join(sorted(positive))}")
    fields = attrs.asdict(data, recurse=False)
    fields["when"] = _dated(when, data.in_force)
    return Rule(**fields, file=file, pack=pack)


def _entries(data: Any, path: Path, key: str) -> list[Any]:
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        raise RuleError(str(path), "", key, f"expected a mapping with a list under '{key}'")
    entries: list[Any] = data[key]
    return entries


def _structure_all(data: Any, path: Path, key: str, cls: type) -> list[Any]:
    out: list[Any] = []
    for index, raw in enumerate(_entries(data, path, key)):
        try:
            out.append(converter.structure(raw, cls))
        except Exception as exc:
            name = raw.get("id", f"#{index}") if isinstance(raw, dict) else f"#{index}"
            raise RuleError(str(path), str(name), *first_structure_error(exc)) from None
    return out


def load_rulebook(directory: Path, packs: tuple[str, ...] = ()) -> Rulebook:
    """Read every rule file of a directory (each once: what is hashed is what is parsed), and of
    the rule packs named (``packs/<name>/``); refuse the first malformed entry, and a rulebook
    the engine could not hold. The bundled folder is read once and then kept, checked, in a cache
    (:mod:`.rulebook_cache`)."""
    from .rulebook_cache import cached  # the cache unpickles this module's classes

    return cached(Path(directory), tuple(packs), _read_rulebook)


def _read_rulebook(directory: Path, packs: tuple[str, ...]) -> Rulebook:
    """:func:`load_rulebook` without the cache."""
    from .packs import read_pack  # packs reads rules with this module
    files = sorted(directory.glob("*.yaml"))
    digest = hashlib.sha256()
    try:
        contents = {file.name: read_bytes(file) for file in files}
        for file in files:
            digest.update(file.name.encode() + b"\0" + contents[file.name] + b"\0")

        def data(name: str) -> Any:
            path = directory / name
            return decode(contents[name] if name in contents else read_bytes(path), str(path), ".yaml")

        seed = {p.id: p for p in _structure_all(data("sources.yaml"), directory / "sources.yaml", "sources", SeedPoint)}
        practices = {p.id: p for p in _structure_all(data("practices.yaml"), directory / "practices.yaml", "practices", Practice)}
        questions: dict[str, Question] = {}
        if "questions.yaml" in contents:
            questions = {q.path: q for q in _structure_all(data("questions.yaml"), directory / "questions.yaml", "questions", Question)}
        rules: list[Rule] = []
        for file in files:
            if file.name in DATA_FILES:
                continue
            rules += [_rule(raw, str(file), i) for i, raw in enumerate(_entries(data(file.name), file, "rules"))]
        for pack in dict.fromkeys(packs):
            pack_seed, pack_questions, pack_rules = read_pack(directory, pack, digest)
            seed |= pack_seed
            questions |= pack_questions
            rules += pack_rules
    except CaseError as exc:
        raise RuleError(exc.file, "", exc.path, exc.expected) from None
    _check_engine_limits(rules)
    seen: set[str] = set()
    for rule in rules:
        if rule.id in seen:
            raise RuleError(rule.file, rule.id, "id", "expected a unique rule id")
        seen.add(rule.id)
        for i, source in enumerate(rule.sources):
            if source not in seed:
                raise RuleError(rule.file, rule.id, f"sources[{i}]", f"expected a seed point of sources.yaml, got '{source}'")
        for i, practice in enumerate(rule.practices):
            if practice not in practices:
                raise RuleError(rule.file, rule.id, f"practices[{i}]", f"expected a practice of practices.yaml, got '{practice}'{_suggest(practice, practices)}")
    _check_rules_together(rules)
    return Rulebook(tuple(rules), practices, seed, digest.hexdigest(), questions)


def _check_rules_together(rules: list[Rule]) -> None:
    """What no single rule shows: a conclusion kind no rule concludes (a pattern that can never
    match), and two rules concluding the same thing from the same conditions."""
    from .compiler import compile_pattern  # the compiler reads this module's classes

    concluded = {rule.concludes for rule in rules}
    seen: dict[tuple[Any, ...], str] = {}
    for rule in rules:
        for index, pattern in enumerate(rule.when):
            unknown = sorted(pattern.kinds() - concluded)
            if unknown:
                where = f"when[{index}].{'not' if pattern.negated else pattern.name}.kind"
                raise RuleError(rule.file, rule.id, where, f"expected a kind some rule concludes, got '{unknown[0]}'{_suggest(unknown[0], concluded)}")
        key = (rule.concludes, rule.about is not None, tuple(sorted(repr(compile_pattern(p)) for p in rule.when)))
        if key in seen:
            raise RuleError(rule.file, rule.id, "when", f"expected conditions of its own, rule '{seen[key]}' concludes the same from the same conditions")
        seen[key] = rule.id


def _check_engine_limits(rules: list[Rule]) -> None:
    """durable_rules fails with a bare error code past its limits: say which rule goes past."""
    from .compiler import compile_pattern

    if len(rules) > MAX_RULES:
        rule = rules[MAX_RULES]
        raise RuleError(rule.file, rule.id, "", f"expected at most {MAX_RULES} rules in a rulebook (the engine's limit)")
    ending: dict[str, int] = {}
    for rule in rules:
        for pattern in rule.when:
            # the main ruleset and the diagnostic one (a rule per pattern and per test) both end here
            for condition in {repr(list(compile_pattern(pattern).values())), *(repr(t) for t in pattern.tests)}:
                ending[condition] = ending.get(condition, 0) + 1
                if ending[condition] > MAX_SHARED_CONDITION:
                    raise RuleError(rule.file, rule.id, "when", f"expected at most {MAX_SHARED_CONDITION} rules testing the same condition (the engine's limit)")
