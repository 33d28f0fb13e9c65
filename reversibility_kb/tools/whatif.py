"""What if some facts were different? Re-assess a changed case and compare; and find the
smallest sets of changes, taken from the rules' own conditions, that remove a finding.

Changes are written as case-file paths (``contract.reversibility.transition_months``); a list
item is chosen by index or by id (``contract.tools[monitor].owner``); ``history[+]`` appends an
event. Every changed case goes through the loader again, so it is validated like a file.
"""

from __future__ import annotations

import enum
import functools
import itertools
import re
import types
import typing
from typing import Any, Iterable, Iterator, Optional, Sequence

import attrs

from ..case import model
from ..inference.assessment import Assessment, Finding, assess
from ..case.loading import CaseError, case_to_data, parse_value, read_data, structure_case, validate_case
from ..inference.rulebook import Pattern, Test

_STEP = re.compile(r"([a-z_]+)(?:\[([^\]]+)\])?$")
#: Fact attributes that describe what happened or what the contract is, not what a party can
#: still change: a mitigation never proposes to change them.
FIXED = frozenset({"object", "application_mode", "role", "purpose", "location", "order", "name", "title", "dbms"})
#: The value proposed when a mitigation needs a number that is not known yet.
DEFAULT_MONTHS = 6


@attrs.frozen
class Change:
    """Set ``path`` to ``value`` (``history[+]`` appends ``value`` as an event)."""

    path: str
    value: Any

    def __str__(self) -> str:
        if self.path == "history[+]":
            details = ", ".join(f"{k}={v}" for k, v in self.value.items() if k not in ("id", "date", "kind"))
            return f"history[+]: {self.value['kind']}" + (f" ({details})" if details else "")
        return f"{self.path}={_plain(self.value)}"


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def _set(data: Any, path: str, value: Any, file: str) -> str:
    """Set the value at a case-file path. Returns the path with each item chosen by its index
    (``history[+]`` → ``history[7]``): where the loader reports a problem of the new value."""
    node = data
    placed: list[str] = []
    steps = path.split(".")
    for position, step in enumerate(steps):
        match = _STEP.match(step)
        if not match or not isinstance(node, dict):
            raise CaseError(file, path, "expected a case-file path such as contract.reversibility.transition_months")
        key, selector = match.groups()
        last = position == len(steps) - 1
        if selector is None:
            placed.append(key)
            if last:
                node[key] = value
            else:
                node = node.setdefault(key, {})
            continue
        items = node.setdefault(key, [])
        if not isinstance(items, list):  # an earlier change put something else there
            raise CaseError(file, path, f"expected a case-file path such as contract.tools[0].owner ({key} is not a list)")
        if selector == "+" and last:
            items.append(value)
            placed.append(f"{key}[{len(items) - 1}]")
            break
        index = next((i for i, item in enumerate(items) if isinstance(item, dict) and item.get("id") == selector), None)
        if index is None and selector.isdigit() and int(selector) < len(items):
            index = int(selector)
        if index is None:
            raise CaseError(file, path, f"expected an index or an id of {key}, got '{selector}'")
        placed.append(f"{key}[{index}]")
        if last:
            items[index] = value
        else:
            node = items[index]
    return ".".join(placed)


def apply_changes(
    case: model.Case, changes: Sequence[Change], file: str = "<what-if>", origins: Sequence[str] = (),
    conclusions: Optional[Iterable[str]] = None,
) -> model.Case:
    """The case with the changes applied, validated again by the loader (and against the
    rulebook's ``conclusions``, as assessing it would). An error names ``file``; or, given
    ``origins`` (where each change was written: a patch file, ``--set``), the change it comes
    from: its origin and its path as written there."""
    data = case_to_data(case)
    placed = [_set(data, change.path, _plain(change.value), origins[n] if origins else file) for n, change in enumerate(changes)]
    try:
        changed = structure_case(data, file)
        if conclusions is not None:
            validate_case(changed, conclusions, file)
    except CaseError as error:
        if not origins:
            raise
        raise _traced(error, case, changes, origins, placed) from None
    return changed


def _traced(error: CaseError, case: model.Case, changes: Sequence[Change], origins: Sequence[str], placed: Sequence[str]) -> CaseError:
    """The error of a changed case, told where the change it comes from was written: the last
    change whose value holds the problem names its origin and its path as written there
    (``contract.tools[monitor].owner`` for ``contract.tools[1].owner``, ``history[+].date`` for an
    appended event). A problem of a mapping that changes were made in names the origins of those
    that added a key to it (an unknown field), else of all of them; any other problem (a reference
    a renamed id left dangling) names every origin; both with its path in the changed case."""
    path = error.path
    for change, origin, where in reversed(list(zip(changes, origins, placed))):
        if path == where or path.startswith((f"{where}.", f"{where}[")):
            return CaseError(origin, change.path + path[len(where):], error.expected)
    inside = [(origin, where) for origin, where in zip(origins, placed) if path and where.startswith((f"{path}.", f"{path}["))]
    data = case_to_data(case)
    added = [origin for origin, where in inside if not _holds(data, where)]
    named = added or [origin for origin, _ in inside] or list(origins)
    return CaseError(" and ".join(dict.fromkeys(named)), f"{path} in the changed case" if path else "the changed case", error.expected)


def _holds(data: Any, placed: str) -> bool:
    """Whether plain case data has a value at a path whose items are chosen by index."""
    node = data
    for step in placed.split("."):
        match = _STEP.match(step)
        if match is None:
            return False
        key, index = match.groups()
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
        if index is not None:
            if not isinstance(node, list) or int(index) >= len(node):
                return False
            node = node[int(index)]
    return True


def parse_assignment(text: str) -> Change:
    """``path=value`` from the command line; the value is read as YAML (``6``, ``yes``, ``[a]``)."""
    path, sep, raw = text.partition("=")
    if not sep or not path.strip():
        raise CaseError("--set", text, "expected PATH=VALUE")
    try:
        value = parse_value(raw, "--set") if raw.strip() else ""
    except CaseError as exc:
        raise CaseError("--set", path.strip(), f"{exc.expected} ({exc.path})" if exc.path else exc.expected) from None
    if isinstance(value, bool):
        value = "yes" if value else "no"
    return Change(path.strip(), value)


def load_patch(path: str) -> list[Change]:
    """A patch file: a YAML or JSON mapping from case-file paths to new values."""
    from pathlib import Path

    data = read_data(Path(path))
    if not isinstance(data, dict):
        raise CaseError(path, "", "expected a mapping from case-file paths to values")
    if not data:  # else the command line would ask for changes as if no patch were given
        raise CaseError(path, "", "expected a mapping from case-file paths to values, got an empty one")
    return [Change(str(k), ("yes" if v else "no") if isinstance(v, bool) else v) for k, v in data.items()]


@attrs.frozen
class Delta:
    """How findings differ between two assessments."""

    appeared: tuple[Finding, ...]
    disappeared: tuple[Finding, ...]
    #: Findings in both, whose rules, severity or recommendation changed (before, after).
    changed: tuple[tuple[Finding, Finding], ...]

    @property
    def empty(self) -> bool:
        return not (self.appeared or self.disappeared or self.changed)

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {
            "appeared": [f.to_dict(lang) for f in self.appeared],
            "disappeared": [f.to_dict(lang) for f in self.disappeared],
            "changed": [
                {
                    "id": a.id,
                    "before": a.severity.value,
                    "after": b.severity.value,
                    "changes": {
                        name: [_plain_field(a, name, lang), _plain_field(b, name, lang)] for name in differences(a, b)
                    },
                }
                for a, b in self.changed
            ],
        }


#: What makes a finding that stays the same finding, but changed: the rules that drew it, how
#: much it weighs, and what the expert recommends.
COMPARED = ("rules", "severity", "recommendation")


def differences(before: Finding, after: Finding) -> tuple[str, ...]:
    """The fields of :data:`COMPARED` in which two versions of one finding differ."""
    return tuple(name for name in COMPARED if getattr(before, name) != getattr(after, name))


def _plain_field(finding: Finding, name: str, lang: str) -> Any:
    value = getattr(finding, name)
    if name == "rules":
        return list(value)
    if name == "recommendation":
        return value.in_(lang)
    return value.value


def compare(before: Assessment, after: Assessment) -> Delta:
    old = {f.id: f for f in before.findings}
    new = {f.id: f for f in after.findings}
    return Delta(
        appeared=tuple(new[i] for i in sorted(new.keys() - old.keys())),
        disappeared=tuple(old[i] for i in sorted(old.keys() - new.keys())),
        changed=tuple((old[i], new[i]) for i in sorted(old.keys() & new.keys()) if differences(old[i], new[i])),
    )


def what_if(assessment: Assessment, changes: Sequence[Change], origins: Sequence[str] = ()) -> tuple[Assessment, Delta]:
    """Re-assess the case with the changes applied, and what that changes in the findings. Given
    ``origins`` (where each change was written), an error names the change it comes from."""
    kinds = {rule.concludes for rule in assessment.rulebook.rules}
    after = assess(apply_changes(assessment.case, changes, origins=origins, conclusions=kinds), assessment.rulebook)
    return after, compare(assessment, after)


# ---------------------------------------------------------------- minimal changes


@functools.cache
def _field_types(cls: type) -> dict[str, Any]:
    """Field name → type, once per class (resolving the hints costs more than a candidate)."""
    hints = typing.get_type_hints(cls)
    return {field.name: hints[field.name] for field in attrs.fields(cls)}


def _unwrap(kind: Any) -> Any:
    if typing.get_origin(kind) in (typing.Union, types.UnionType):
        kind = next(a for a in typing.get_args(kind) if a is not type(None))
    return kind


def _contract_paths(cls: type = model.Contract, prefix: str = "", path: str = "contract") -> dict[str, tuple[str, Any]]:
    """Contract fact attribute → (case-file path, type)."""
    out: dict[str, tuple[str, Any]] = {}
    for name, kind in _field_types(cls).items():
        kind = _unwrap(kind)
        if attrs.has(kind):
            out |= _contract_paths(kind, f"{prefix}{name}_", f"{path}.{name}")
        else:
            out[prefix + name] = (f"{path}.{name}", kind)
    return out


_ITEMS = {
    "tool": ("contract.tools", model.Tool),
    "data": ("contract.data", model.DataAsset),
    "document": ("contract.documents", model.Document),
    "phase": ("contract.phases", model.Phase),
    "asset": ("contract.assets", model.Asset),
    "scope": ("contract.scope", model.ScopeItem),
    "party": ("parties", model.Party),
}
#: A computed attribute a party can still change, through the field it is computed from.
_EDITABLE_DERIVED = {"transition_total_days": ("contract.reversibility.transition_days", int)}
_CONTRACT = _contract_paths() | _EDITABLE_DERIVED


def target(fact: dict[str, Any], attribute: str, actionable: bool = True) -> Optional[tuple[str, Any]]:
    """Where a fact's attribute lives in the case file, and its type; ``None`` for derived
    attributes, and (when ``actionable``) for those a party cannot change."""
    if actionable and attribute in FIXED:
        return None
    if fact["type"] == "contract":
        return _CONTRACT.get(attribute)
    if fact["type"] in _ITEMS:
        where, cls = _ITEMS[fact["type"]]
        kind = _field_types(cls).get(attribute)
        return (f"{where}[{fact['id']}].{attribute}", _unwrap(kind)) if kind is not None else None
    return None


def _falsify(test: Test, kind: Any) -> Iterator[Any]:
    """Values of an attribute that make a test fail, the most useful first."""
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        values = [m.value for m in kind if m.value != "unknown"]
        if kind is model.Tri:
            values = ["yes", "no"]
        if test.op == "eq":
            yield from (v for v in values if v != test.value)
        elif test.op == "not":
            yield test.value
        elif test.op == "in":
            yield from (v for v in values if v not in test.value)
    elif kind is int:
        if test.op in ("lt", "gt"):
            yield test.value
        elif test.op == "lte":
            yield test.value + 1
        elif test.op == "gte" and test.value > 0:
            yield test.value - 1
        elif test.op == "exists" and not test.value:
            yield DEFAULT_MONTHS
        elif test.op == "eq":
            yield test.value + 1


def event_for(pattern: Pattern, bound: dict[str, dict[str, Any]], case: model.Case, number: int) -> Optional[dict[str, Any]]:
    """An event that would satisfy a negated pattern, i.e. the evidence whose absence a rule used."""
    event: dict[str, Any] = {"id": f"what-if-{number}", "date": case.as_of.isoformat()}
    for test in pattern.tests:
        if test.op == "eq" and test.attribute in ("kind", "outcome", "rating"):
            event[test.attribute] = test.value
        elif test.op == "eq" and test.attribute in ("by_role", "against_role"):
            party = next((p.id for p in case.parties if p.role.value == test.value), None)
            if party is None:
                return None
            event[test.attribute[: -len("_role")]] = party
        elif test.op == "ref" and test.attribute in ("ref", "by", "against"):
            binding, attribute = test.value
            fact = bound.get(binding)
            if fact is None or attribute not in fact:
                return None
            event[test.attribute] = fact[attribute]
        elif test.op == "in" and test.attribute == "kind":
            event["kind"] = test.value[0]
        else:
            return None
    return event if "kind" in event else None


def candidate_changes(assessment: Assessment, conclusion_id: str) -> list[Change]:
    """Single changes, read off the conditions of every firing behind a conclusion, each of
    which makes one of those conditions fail."""
    run = assessment.run
    facts = {f["id"]: f for f in run.facts}
    known = facts | run.conclusions
    graph = assessment.explain(conclusion_id)
    changes: list[Change] = []
    seen: set[tuple[str, str]] = set()

    def add(change: Change) -> None:
        value = change.value
        if change.path == "history[+]":  # the same evidence found through two rules is one change
            value = {k: v for k, v in value.items() if k != "id"}
        key = (change.path, repr(sorted(value.items()) if isinstance(value, dict) else value))
        if key not in seen:
            seen.add(key)
            changes.append(change)

    for node, data in graph.nodes(data=True):
        if data["kind"] != "firing":
            continue
        rule = assessment.rulebook.rule(data["rule"])
        bound = {graph.edges[p, node]["binding"]: known[graph.nodes[p]["label"]] for p in graph.predecessors(node)}
        for pattern in rule.when:
            if pattern.negated:
                if pattern.fact == "event":
                    event = event_for(pattern, bound, assessment.case, len(changes) + 1)
                    if event:
                        add(Change("history[+]", event))
                continue
            fact = bound.get(pattern.name)
            if fact is None or fact["type"] == "conclusion":
                continue
            if fact["type"] in ("objective", "margin"):
                listed = "objectives" if fact["type"] == "objective" else "margin_levers"
                value = fact["kind"] if fact["type"] == "objective" else fact["lever"]
                current = [_plain(v) for v in getattr(assessment.case.contract, listed)]
                add(Change(f"contract.{listed}", [v for v in current if v != value]))
                continue
            for test in pattern.tests:
                if test.op == "ref":
                    continue
                if fact["type"] == "contract" and test.attribute in ("years_since_revision", "technology_changes_since_revision"):
                    add(Change("history[+]", {"id": "what-if-amendment", "date": assessment.case.as_of.isoformat(), "kind": "amendment"}))
                    continue
                where = target(fact, test.attribute)
                if where is None:
                    continue
                path, kind = where
                for value in _falsify(test, kind):
                    add(Change(path, value))
    return changes


#: How many re-assessments ``what-if --remove`` may run, in input facts asserted (a case ten times
#: larger gets a tenth of them); past it, the search stops and says so (:attr:`Search.cut`).
BUDGET_FACTS = 60_000
#: How many partial hitting sets the search keeps at most while it walks the justifications.
MAX_PARTIAL = 20_000
#: How many (partial set, option) pairs the walk may weigh in all: a conclusion resting on
#: thousands of firings (one per tool, say) cannot be removed by three changes, and proving it
#: pair by pair took minutes; past this the walk stops and the search says it was cut.
MAX_WORK = 1_000_000


@attrs.frozen
class Search:
    """The smallest sets of changes found to remove a conclusion, and whether the search was cut
    (a bound reached before every set that could remove it was tried)."""

    solutions: tuple[tuple[Change, ...], ...]
    cut: bool = False
    tried: int = 0


_ITEM_PATH = re.compile(r"(?:contract\.(?:tools|data|documents|phases|assets|scope))\[([^\]]+)\]\.")


def _touched(graph: Any, candidates: list[Change], facts: Sequence[dict[str, Any]]) -> dict[str, set[int]]:
    """For each firing behind a conclusion, the candidates that may make one of its conditions
    fail, by the fact each one changes (an over-approximation, checked by re-assessing): an item's
    field touches the firings that matched that item; a list of objectives or levers, those facts;
    another contract field, the contract; a party or an added event, every firing (they feed
    computed attributes of many facts)."""
    contract = next(f["id"] for f in facts if f["type"] == "contract")
    types = {f["id"]: f["type"] for f in facts}
    by_fact: dict[str, list[str]] = {}
    firings = [n for n in graph if graph.nodes[n].get("kind") == "firing"]
    for node in firings:
        for premise in graph.predecessors(node):
            if graph.nodes[premise].get("kind") == "fact":
                label = str(graph.nodes[premise]["label"])
                by_fact.setdefault(label, []).append(node)
                by_fact.setdefault(f"type:{types.get(label, '')}", []).append(node)
    kills: dict[str, set[int]] = {}
    for index, change in enumerate(candidates):
        item = _ITEM_PATH.match(change.path)
        if item:
            touched = by_fact.get(item.group(1), [])
        elif change.path in ("contract.objectives", "contract.margin_levers"):
            touched = by_fact.get("type:objective" if change.path.endswith("objectives") else "type:margin", [])
        elif change.path.startswith("contract."):
            touched = by_fact.get(contract, [])
        else:
            touched = firings
        for node in touched:
            kills.setdefault(node, set()).add(index)
    return kills


def _kill_sets(graph: Any, conclusion: str, kills: dict[str, set[int]], max_size: int,
               memo: dict[str, Optional[list[frozenset[int]]]], work: list[int]) -> tuple[list[frozenset[int]], bool]:
    """The minimal sets of at most ``max_size`` candidates that make every justification of a
    conclusion lose a condition (its own, or a premise conclusion that loses all of its own):
    a hitting set over the firings. Also whether a bound cut the enumeration (``work`` holds
    what is left of :data:`MAX_WORK`, shared by the whole walk)."""
    node = f"conclusion:{conclusion}"
    if conclusion in memo:
        return memo[conclusion] or [], work[0] <= 0
    memo[conclusion] = None  # a cycle through this conclusion cannot remove it
    cut = False
    partial: list[frozenset[int]] = [frozenset()]
    for firing in graph.predecessors(node):
        options = [frozenset({i}) for i in sorted(kills.get(firing, ()))]
        for premise in graph.predecessors(firing):
            if graph.nodes[premise].get("kind") == "conclusion":
                sets, premise_cut = _kill_sets(graph, str(graph.nodes[premise]["label"]), kills, max_size, memo, work)
                options += sets
                cut |= premise_cut
        work[0] -= len(partial) * max(1, len(options))
        if work[0] <= 0:
            memo[conclusion] = []
            return [], True
        extended: set[frozenset[int]] = set()
        for chosen in partial:
            if any(option <= chosen for option in options):
                extended.add(chosen)
                continue
            for option in options:
                union = chosen | option
                if len(union) <= max_size:
                    extended.add(union)
        if len(extended) > MAX_PARTIAL:
            extended, cut = set(sorted(extended, key=lambda s: (len(s), sorted(s)))[:MAX_PARTIAL]), True
        partial = list(_minimal(extended))
        if not partial:
            break
    minimal = sorted(partial, key=lambda s: (len(s), sorted(s)))
    memo[conclusion] = minimal
    return minimal, cut


def _minimal(sets: set[frozenset[int]]) -> set[frozenset[int]]:
    """The sets none of whose proper subsets is also there, found by looking up each set's
    subsets (at most ``2**max_size``) rather than comparing every pair: a grouped finding on
    many items combines thousands of sets."""
    return {s for s in sets if not any(frozenset(sub) in sets for k in range(len(s)) for sub in itertools.combinations(s, k))}


def minimal_changes(assessment: Assessment, conclusion_id: str, max_size: int = 3) -> list[tuple[Change, ...]]:
    """Every smallest set of candidate changes that removes a conclusion, each one checked by
    re-assessing the changed case; empty if none of up to ``max_size`` changes does."""
    return list(remove_search(assessment, conclusion_id, max_size).solutions)


def remove_search(assessment: Assessment, conclusion_id: str, max_size: int = 3, budget: int = BUDGET_FACTS) -> Search:
    """:func:`minimal_changes`, with whether the search was cut. A conclusion disappears only if
    every one of its justifications loses a condition, so only the sets of candidate changes that
    hit every firing behind it (a hitting set) are re-assessed, smallest first, at most
    ``budget`` input facts' worth of them."""
    candidates = candidate_changes(assessment, conclusion_id)
    graph = assessment.explain(conclusion_id)
    kills = _touched(graph, candidates, assessment.run.facts)
    targets = [n for n in graph if graph.nodes[n].get("kind") == "conclusion" and graph.out_degree(n) == 0]
    memo: dict[str, Optional[list[frozenset[int]]]] = {}
    work = [MAX_WORK]
    sets: Optional[set[frozenset[int]]] = None
    cut = False
    for node in targets:  # a grouped finding: every one of its conclusions must go
        found, node_cut = _kill_sets(graph, str(graph.nodes[node]["label"]), kills, max_size, memo, work)
        cut |= node_cut
        if sets is None:
            sets = set(found)
        else:
            work[0] -= len(sets) * len(found)
            if work[0] <= 0:
                sets, cut = set(), True
                break
            sets = _minimal({a | b for a in sets for b in found if len(a | b) <= max_size})
    allowed = max(1, budget // max(1, len(assessment.run.facts)))
    tried = 0
    minimal = sorted(sets or (), key=lambda s: (len(s), sorted(s)))
    for size in range(1, max_size + 1):
        found_now: list[tuple[Change, ...]] = []
        for chosen in _of_size(minimal, size, len(candidates)):
            combo = tuple(candidates[i] for i in sorted(chosen))
            paths = [c.path for c in combo if c.path != "history[+]"]
            if len(paths) != len(set(paths)):
                continue
            if tried >= allowed:
                return Search(tuple(found_now), True, tried)
            tried += 1
            try:
                after = assess(apply_changes(assessment.case, combo), assessment.rulebook)
            except CaseError:
                continue
            if not any(c in after.run.conclusions for c in _conclusions_of(assessment, conclusion_id)):
                found_now.append(combo)
        if found_now:
            return Search(tuple(found_now), cut, tried)
    return Search((), cut, tried)


def _of_size(minimal: list[frozenset[int]], size: int, n: int) -> Iterator[frozenset[int]]:
    """Every set of ``size`` candidates holding one of the minimal hitting sets, each once, in a
    stable order: a superset of a minimal set that fails on re-assessment may still succeed."""
    seen: set[frozenset[int]] = set()
    for base in minimal:
        if len(base) > size:
            continue
        rest = [i for i in range(n) if i not in base]
        for extra in itertools.combinations(rest, size - len(base)):
            chosen = base | frozenset(extra)
            if chosen not in seen:
                seen.add(chosen)
                yield chosen


def _conclusions_of(assessment: Assessment, conclusion_id: str) -> tuple[str, ...]:
    """The engine's conclusions behind an id: itself, or every item of a grouped finding."""
    grouped = next((f for f in assessment.findings if f.id == conclusion_id and f.items), None)
    return grouped.conclusions if grouped else (conclusion_id,)
