"""Why a conclusion was reached, and why a rule did not fire, in plain French or English.

*Why* walks the explanation graph; *why not* asks the engine (a diagnostic ruleset, see
:meth:`Engine.diagnose`) which facts pass which test of the rule, and reads the gaps.
"""

from __future__ import annotations

from typing import Any, Optional

import attrs
import networkx as nx

from ..inference.assessment import Assessment
from ..inference.dating import DATE_ATTRIBUTES, from_day_number
from ..inference.rulebook import Pattern, Rule, Test
from ..case.vocabulary import attribute, colon, fact_type, identifier, value

_WORDS = {
    "no_evidence": ("rien n'établit l'existence d'", "there is no evidence of "),
    "with": ("avec", "with"),
    "of": ("de", "of"),
    "known": ("on connaît", "is known"),
    "not_known": ("on ne connaît pas", "is not known"),
    "one_of": ("est l'un de", "is one of"),
}


def _w(key: str, lang: str) -> str:
    fr, en = _WORDS[key]
    return fr if lang == "fr" else en


def describe_test(test: Test, lang: str) -> str:
    """One attribute test in the reader's words (``rules/vocabulary.yaml``): "the staff return
    clause = no", "the transition period (days) < 90"; never the engine's identifiers."""
    name = attribute(test.attribute, lang)
    if test.op == "eq":
        return f"{name} = {shown(test.attribute, test.value, lang)}"
    if test.op == "not":
        return f"{name} ≠ {shown(test.attribute, test.value, lang)}"
    if test.op == "in":
        return f"{name} {_w('one_of', lang)} {', '.join(shown(test.attribute, v, lang) for v in test.value)}"
    if test.op == "exists":
        known = _w("known" if test.value else "not_known", lang)
        return f"{known} {name}" if lang == "fr" else f"{name} {known}"
    if test.op == "ref":
        binding, other = test.value
        if other == "id":
            return f"{name} = {identifier(binding)}"
        return f"{name} = {attribute(other, lang)} {_w('of', lang)} {identifier(binding)}"
    symbol = {"lt": "<", "lte": "≤", "gt": ">", "gte": "≥"}[test.op]
    return f"{name} {symbol} {shown(test.attribute, test.value, lang)}"


def describe_pattern(pattern: Pattern, lang: str) -> str:
    """A pattern as words; a negated one reads "there is no evidence of …", never a bare false."""
    what = fact_type(pattern.fact, lang)
    if pattern.tests:
        what += f" {_w('with', lang)} " + ", ".join(describe_test(t, lang) for t in pattern.tests)
    return f"{_w('no_evidence', lang)}{what}" if pattern.negated else what


@attrs.frozen
class Step:
    """One rule firing in an explanation: the rule, what it used, what it concluded."""

    rule: Rule
    used: tuple[tuple[str, str, str], ...]  # (binding, node id, kind: fact or conclusion)
    absent: tuple[Pattern, ...]
    concludes: str
    #: The values the rule tested on the input facts it used: (fact id, attribute, value).
    values: tuple[tuple[str, str, Any], ...] = ()


@attrs.frozen
class Why:
    """The reasoning behind one conclusion, in causal order, at one of two depths."""

    target: str
    depth: str
    steps: tuple[Step, ...]
    facts: tuple[str, ...]

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {
            "target": self.target,
            "depth": self.depth,
            "facts": list(self.facts),
            "steps": [
                {
                    "rule": s.rule.id,
                    "title": s.rule.title.in_(lang),
                    "rationale": s.rule.rationale.in_(lang),
                    "sources": list(s.rule.sources),
                    "used": [{"binding": b, "id": i, "kind": k} for b, i, k in s.used],
                    "absent": [describe_pattern(p, lang) for p in s.absent],
                    "values": [{"fact": f, "attribute": a, "value": v} for f, a, v in s.values],
                    "in_force": s.rule.in_force.to_dict() if s.rule.in_force else None,
                    "concludes": s.concludes,
                }
                for s in self.steps
            ],
        }


def why(assessment: Assessment, conclusion_id: str, depth: str = "full") -> Why:
    """The firings that lead to a conclusion. ``summary`` keeps the firings that concluded it and
    those whose conclusion it used directly; ``full`` keeps every firing back to input facts."""
    graph = assessment.explain(conclusion_id)
    target = f"conclusion:{conclusion_id}"
    firings = [n for n in nx.topological_sort(graph) if graph.nodes[n]["kind"] == "firing"]
    if depth == "summary":
        near = set(graph.predecessors(target))
        near |= {f for n in near for p in graph.predecessors(n) if graph.nodes[p]["kind"] == "conclusion" for f in graph.predecessors(p)}
        firings = [f for f in firings if f in near]
    inputs = {f["id"]: f for f in assessment.run.facts}
    steps = []
    for node in firings:
        rule = assessment.rulebook.rule(graph.nodes[node]["rule"])
        used = tuple(
            (graph.edges[p, node]["binding"], graph.nodes[p]["label"], graph.nodes[p]["kind"])
            for p in graph.predecessors(node)
        )
        patterns = {p.name: p for p in rule.when}
        values = tuple(
            (fact_id, test.attribute, inputs[fact_id].get(test.attribute, "unknown"))
            for binding, fact_id, kind in used
            if kind == "fact"
            for test in patterns[binding].tests
            if test.op != "ref"
        )
        values = tuple(dict.fromkeys(values))  # a dated rule tests its date twice (from, to)
        (concluded,) = graph.successors(node)
        steps.append(Step(rule, used, tuple(p for p in rule.when if p.negated), graph.nodes[concluded]["label"], values))
    facts = tuple(graph.nodes[n]["label"] for n in graph if graph.nodes[n]["kind"] == "fact")
    return Why(conclusion_id, depth, tuple(steps), facts)


@attrs.frozen
class Gap:
    """One condition of a rule, and how the case stands against it."""

    pattern: Pattern
    status: str  # met, failed, unknown, absent, missing_conclusion, blocked, join
    facts: tuple[str, ...] = ()
    failed_tests: tuple[tuple[str, Test, Any], ...] = ()  # (fact id, test, the fact's value)
    concluded_by: tuple[str, ...] = ()


@attrs.frozen
class WhyNot:
    """Why a rule did not fire (or did): each of its conditions against the case."""

    rule: Rule
    fired: bool
    gaps: tuple[Gap, ...]

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {
            "rule": self.rule.id,
            "title": self.rule.title.in_(lang),
            "sources": list(self.rule.sources),
            "fired": self.fired,
            "conditions": [
                {
                    "condition": describe_pattern(g.pattern, lang),
                    "status": g.status,
                    "facts": list(g.facts),
                    "failed": [
                        {"fact": f, "test": describe_test(t, lang), "value": v} for f, t, v in g.failed_tests
                    ],
                    "concluded_by": list(g.concluded_by),
                }
                for g in self.gaps
            ],
        }


def _value(fact: dict[str, Any], attribute: str) -> Any:
    return fact.get(attribute, "unknown")


def why_not(assessment: Assessment, rule_id: str) -> WhyNot:
    """Which conditions of a rule fail on this case, which facts are unknown, which
    intermediate conclusions are missing."""
    rule = assessment.rulebook.rule(rule_id)
    run = assessment.run
    facts = {f["id"]: f for f in run.facts} | run.conclusions
    passed = assessment.diagnosis()
    firings = [f for f in run.firings if f.rule == rule_id]
    if firings:  # every condition met, by the facts each firing matched
        matched = [dict(f.matched) for f in firings]
        gaps = [Gap(p, "met", tuple(sorted({m[p.name] for m in matched if p.name in m}))) for p in rule.when]
        return WhyNot(rule, True, tuple(gaps))
    fired = False
    gaps = []
    for index, pattern in enumerate(rule.when):
        key = f"{rule_id}__{index}"
        matching = passed.get(key, ())
        if pattern.negated:
            gaps.append(Gap(pattern, "blocked" if matching else "met", matching))
            continue
        if matching:
            gaps.append(Gap(pattern, "met", matching))
            continue
        if pattern.fact == "conclusion":
            producers = tuple(sorted(r.id for r in assessment.rulebook.rules if r.concludes in pattern.kinds()))
            gaps.append(Gap(pattern, "missing_conclusion", concluded_by=producers))
            continue
        candidates = sorted(i for i, f in facts.items() if f["type"] == pattern.fact)
        if not candidates:  # nothing to test: the file records no such thing at all
            gaps.append(Gap(pattern, "absent"))
            continue
        failed = []
        for j, test in enumerate(pattern.tests):
            if test.op == "ref":
                continue
            ok = set(passed.get(f"{key}__{j}", ()))
            failed += [(c, test, _value(facts[c], test.attribute)) for c in candidates if c not in ok]
        # Unknown only if some fact fails on unknown values alone: a fact that fails another test
        # on a known value cannot match, whatever the unknown turns out to be.
        known_false = {c for c, _, v in failed if v != "unknown"}
        unknown = any(v == "unknown" and c not in known_false for c, _, v in failed)
        gaps.append(Gap(pattern, "unknown" if unknown else "failed", tuple(candidates), tuple(failed)))
    if not fired and all(g.status == "met" for g in gaps):
        gaps = [attrs.evolve(g, status="join") if not g.pattern.negated else g for g in gaps]
    return WhyNot(rule, fired, tuple(gaps))


def _shown(attribute: str, value: Any) -> Any:
    """A day number (see :mod:`.dating`) reads as its date."""
    return from_day_number(value).isoformat() if attribute in DATE_ATTRIBUTES.values() and isinstance(value, int) else value


def shown(name: str, raw: Any, lang: str) -> str:
    """A fact's value as the reader sees it: a date for a day number, a label for an enumeration
    value, an identifier between backquotes for an id."""
    return value(_shown(name, raw), lang, name)


def why_text(explanation: Why, lang: str) -> str:
    lines = []
    for step in explanation.steps:
        rule = step.rule
        used = ", ".join(identifier(i) for _, i, _ in step.used)
        lines.append(f"- {rule.title.in_(lang)} [{identifier(rule.id)}; {', '.join(rule.sources)}]")
        lines.append(f"    {rule.rationale.in_(lang)}")
        lines.append(f"    {colon('à partir de' if lang == 'fr' else 'from', lang)} {used}")
        lines += [
            f"      {colon(identifier(fact), lang)} {attribute(name, lang)} = {shown(name, raw, lang)}"
            for fact, name, raw in step.values
        ]
        if rule.in_force:
            lines.append(f"    {rule.in_force.describe(lang)}")
        lines += [f"    {describe_pattern(p, lang)}" for p in step.absent]
        lines.append(f"    → {identifier(step.concludes)}")
    label = "Faits d'entrée" if lang == "fr" else "Input facts"
    lines.append(f"{colon(label, lang)} {', '.join(identifier(f) for f in explanation.facts)}")
    return "\n".join(lines) + "\n"


_STATUS = {
    "met": ("satisfaite", "met"),
    "failed": ("non satisfaite", "not met"),
    "unknown": ("inconnue\u202f: des faits ne sont pas établis", "unknown: some facts are not established"),
    "missing_conclusion": ("conclusion intermédiaire non atteinte", "intermediate conclusion not reached"),
    "blocked": ("bloquée\u202f: un fait établit le contraire", "blocked: a fact shows the contrary"),
    "join": ("chaque condition est satisfaite, mais pas par des faits liés entre eux", "each condition is met, but not by facts linked to one another"),
}


def _absent(pattern: Pattern, lang: str) -> str:
    """A condition on a kind of fact the file records none of: say so, not a bare "not met"."""
    article, _, what = fact_type(pattern.fact, lang).partition(" ")
    if article not in ("a", "an", "un", "une"):
        what = f"{article} {what}".strip()
    if lang == "fr":
        return f"non satisfaite\u202f: le dossier ne contient aucun fait «\u202f{what}\u202f»"
    return f"not met: no {what} in the file"


def why_not_text(answer: WhyNot, lang: str, limit: Optional[int] = 6) -> str:
    fr = lang == "fr"
    rule = answer.rule
    head = "a conclu" if fr else "fired"
    if not answer.fired:
        head = "n'a pas conclu" if fr else "did not fire"
    lines = [f"{identifier(rule.id)} ({', '.join(rule.sources)}) {colon(head, lang)} {rule.title.in_(lang)}"]
    for gap in answer.gaps:
        status = _absent(gap.pattern, lang) if gap.status == "absent" else _STATUS[gap.status][0 if fr else 1]
        lines.append(f"- {colon(describe_pattern(gap.pattern, lang), lang)} {status}")
        for fact, test, raw in gap.failed_tests[:limit]:
            found = colon("valeur" if fr else "value", lang)
            lines.append(f"    {colon(identifier(fact), lang)} {describe_test(test, lang)} ({found} {shown(test.attribute, raw, lang)})")
        if gap.concluded_by:
            lines.append(f"    {colon('conclue par' if fr else 'concluded by', lang)} {', '.join(map(identifier, gap.concluded_by))}")
        if gap.status in ("met", "blocked") and gap.facts:
            lines.append(f"    {colon('faits' if fr else 'facts', lang)} {', '.join(map(identifier, gap.facts[:limit]))}")
    return "\n".join(lines) + "\n"
