"""From a case to findings: the library's entry points.

``assess(case)`` turns the case into facts, runs the engine, and wraps what it derived into
:class:`Finding` objects and an explanation graph (built on first use: many callers never need it).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import attrs
import msgspec

from .. import __version__
from .engine import Engine, Run
from .exhibits import fact_exhibits
from .facts import Fact, case_facts
from ..case.loading import CaseError, case_to_data, load_case, validate_case
from ..case.model import Case, Severity, Text
from .packs import active_packs
from ..case.resources import rules_dir
from .rulebook import Rule, Rulebook, load_rulebook

if TYPE_CHECKING:  # networkx is imported by the verbs that draw or explain, not by assess
    from .provenance import Graph


@attrs.frozen
class Finding:
    """A conclusion an expert would write in a report, with the rules behind it."""

    id: str
    kind: str
    about: str
    #: The rule the finding speaks with: the most serious of those that reached it (the lowest id
    #: among equals); its severity, title, rationale and recommendation are this rule's.
    rule: str
    #: Every finding rule that reached it in this case, ``rule`` first, then by severity and id.
    rules: tuple[str, ...]
    severity: Severity
    sources: tuple[str, ...]
    practices: tuple[str, ...]
    title: Text
    rationale: Text
    recommendation: Text
    #: The items of a finding drawn on more than :data:`GROUP_ABOVE` items of one kind (its id is
    #: then ``kind@*``, its ``about`` the contract); empty for a finding about one thing.
    items: tuple[str, ...] = ()

    @property
    def conclusions(self) -> tuple[str, ...]:
        """The engine's conclusion ids behind this finding (one, or one per item)."""
        return tuple(f"{self.kind}@{item}" for item in self.items) if self.items else (self.id,)

    def to_dict(self, lang: Optional[str] = None) -> dict[str, Any]:
        texts = {
            name: (getattr(self, name).in_(lang) if lang else attrs.asdict(getattr(self, name)))
            for name in ("title", "rationale", "recommendation")
        }
        return {
            "id": self.id,
            "rule": self.rule,
            "rules": list(self.rules),
            "kind": self.kind,
            "about": self.about,
            "severity": self.severity.value,
            "sources": list(self.sources),
            "practices": list(self.practices),
            **texts,
            **({"items": list(self.items)} if self.items else {}),
        }


def default_rulebook() -> Rulebook:
    """The bundled rulebook, with the rule packs in use (``packs.use_packs``)."""
    return _bundled(tuple(sorted(set(active_packs()))))


def rulebook_for(case: Case) -> Rulebook:
    """The bundled rulebook with the packs in use and those the case declares it is judged by."""
    return _bundled(tuple(sorted(set(active_packs()) | set(case.contract.regulatory.packs))))


@functools.cache
def _bundled(packs: tuple[str, ...]) -> Rulebook:
    """Read once per process and set of packs."""
    return load_rulebook(rules_dir(), packs)


_ENGINES: dict[str, Engine] = {}


_KINDS: dict[str, frozenset[str]] = {}


def _conclusion_kinds(rulebook: Rulebook) -> frozenset[str]:
    """What the rulebook can conclude (no case id may be one of them), once per rulebook."""
    kinds = _KINDS.get(rulebook.digest)
    if kinds is None:
        kinds = _KINDS[rulebook.digest] = frozenset(rule.concludes for rule in rulebook.rules)
    return kinds


def _engine(rulebook: Rulebook) -> Engine:
    """One compiled engine per rulebook content, for the life of the process."""
    engine = _ENGINES.get(rulebook.digest)
    if engine is None:
        engine = _ENGINES[rulebook.digest] = Engine(rulebook)
    return engine


#: Compact, keys sorted, UTF-8 as is: the bytes of ``json.dumps(data, sort_keys=True,
#: ensure_ascii=False, separators=(",", ":"))``, six times faster (tests/test_determinism.py compares
#: them on every character).
_CANONICAL = msgspec.json.Encoder(order="sorted").encode


def case_digest(case: Case) -> str:
    """A content hash of the case (its data, not its file layout)."""
    return hashlib.sha256(_CANONICAL(case_to_data(case))).hexdigest()


#: A kind concluded on more items than this is one finding listing its items: a report an expert
#: can read has one finding for "412 planned documents were never accepted", not 412 findings.
GROUP_ABOVE = 5
#: The ``about`` part of a grouped finding's id (``kind@*``): no item id can hold it.
ALL_ITEMS = "*"


def group_id(kind: str) -> str:
    """The id of the finding that lists every item a kind was concluded on."""
    return f"{kind}@{ALL_ITEMS}"


def _grouped(findings: list[Finding], subject: str, facts: tuple[Fact, ...]) -> list[Finding]:
    """Findings of one kind on more than :data:`GROUP_ABOVE` items become one finding listing
    them (the per-item conclusions stay in the run, the graph and the JSON ``conclusions``)."""
    by_kind: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.about != subject:
            by_kind.setdefault(finding.kind, []).append(finding)
    large = {kind: group for kind, group in by_kind.items() if len(group) > GROUP_ABOVE}
    if not large:
        return findings
    out = [f for f in findings if f.about == subject or f.kind not in large]
    order = {fact["id"]: index for index, fact in enumerate(facts)}
    for kind, group in large.items():
        group.sort(key=lambda f: (order.get(f.about, len(order)), f.about))  # the case's own order
        # the most serious item speaks for the group (the first in the case's order among equals):
        # its severity, texts and advice come from the same rule
        lead = min(group, key=lambda f: f.severity.rank)
        out.append(attrs.evolve(
            lead,
            id=group_id(kind),
            about=subject,
            rules=tuple(dict.fromkeys(r for f in (lead, *group) for r in f.rules)),
            sources=tuple(sorted({s for f in group for s in f.sources}, key=_seed_order)),
            practices=tuple(sorted({p for f in group for p in f.practices})),
            items=tuple(f.about for f in group),
        ))
    return out


def _most_serious_first(rule: Rule) -> tuple[int, str]:
    """The order of the rules behind one finding: the most serious first, then by id, so that the
    rule a finding speaks with does not depend on the order the engine fired them in."""
    assert rule.severity is not None  # only finding rules are kept
    return rule.severity.rank, rule.id


def _findings(run: Run, rulebook: Rulebook) -> tuple[Finding, ...]:
    by_conclusion: dict[str, list[str]] = {}
    for firing in run.firings:
        derived = by_conclusion.setdefault(firing.conclusion, [])
        if firing.rule not in derived and rulebook.rule(firing.rule).is_finding:
            derived.append(firing.rule)
    behind = _rules_behind(run, rulebook)
    cited_by: dict[int, list[Rule]] = {}
    findings = []
    for conclusion_id, rule_ids in by_conclusion.items():
        if not rule_ids:
            continue
        # The most serious rule gives the finding its severity, its title, its rationale and its
        # advice: a high finding never carries the advice of a lower rule that reached it too. Its
        # citations are those of every firing behind it (``_rules_behind``).
        rules = sorted((rulebook.rule(r) for r in rule_ids), key=_most_serious_first)
        lead = rules[0]
        assert lead.severity is not None and lead.recommendation is not None
        fact = run.conclusions[conclusion_id]
        mask = behind[conclusion_id]
        cited = cited_by.get(mask)
        if cited is None:
            cited = cited_by[mask] = [r for index, r in enumerate(rulebook.rules) if mask >> index & 1]
        findings.append(
            Finding(
                id=conclusion_id,
                kind=fact["kind"],
                about=fact["about"],
                rule=lead.id,
                rules=tuple(r.id for r in rules),
                severity=lead.severity,
                sources=tuple(sorted({s for r in cited for s in r.sources}, key=_seed_order)),
                practices=tuple(sorted({p for r in cited for p in r.practices})),
                title=lead.title,
                rationale=lead.rationale,
                recommendation=lead.recommendation,
            )
        )
    subject = next((f["id"] for f in run.facts if f["type"] == "contract"), "")
    return tuple(sorted(_grouped(findings, subject, run.facts), key=lambda f: (f.severity.rank, f.id)))


def _rules_behind(run: Run, rulebook: Rulebook) -> dict[str, int]:
    """For each conclusion, every rule whose firing led to it in this case, the chain included
    (bit ``i`` for the rulebook's rule ``i``): a finding cites the seed points and rules of the art
    of what actually happened, not of every rule that could have concluded it. One pass over the
    firings per round, until nothing changes (a premise derived again later reaches the
    conclusions resting on it in the next round): linear in the firings, however many findings
    share a premise."""
    bit = {rule.id: 1 << index for index, rule in enumerate(rulebook.rules)}
    conclusions = run.conclusions
    steps = [(f.conclusion, bit[f.rule], [p for _, p in f.matched if p in conclusions]) for f in run.firings]
    behind = dict.fromkeys(conclusions, 0)
    changed = True
    while changed:
        changed = False
        for conclusion, rule, premises in steps:
            mask = behind[conclusion] | rule
            for premise in premises:
                mask |= behind[premise]
            if mask != behind[conclusion]:
                behind[conclusion], changed = mask, True
    return behind


def _seed_order(seed_id: str) -> tuple[int, str]:
    """Seed points in the document's order (S2 before S10), then the articles of rule packs."""
    section, _, point = seed_id[1:].partition(".")
    return (int(section), point) if section.isdigit() else (100, seed_id)


@attrs.define
class Assessment:
    """The outcome of assessing one case: findings, every conclusion, and how they were reached."""

    case: Case
    rulebook: Rulebook
    run: Run
    findings: tuple[Finding, ...]
    _graph: Optional[Graph] = None
    _diagnosis: Optional[dict[str, tuple[str, ...]]] = None

    @property
    def graph(self) -> Graph:
        """Facts, firings and conclusions (built on first use)."""
        if self._graph is None:
            from .provenance import build_graph

            self._graph = build_graph(self.run, self.rulebook, fact_exhibits(self.case))
            data = self.to_dict()
            self._graph.graph.update({k: data[k] for k in ("case", "as_of", "library_version", "rulebook_digest", "case_digest")})
        return self._graph

    def diagnosis(self) -> dict[str, tuple[str, ...]]:
        """Which facts and conclusions pass each pattern and test of every rule (computed by the
        engine on first use): what *why not* reads."""
        if self._diagnosis is None:
            run = self.run
            self._diagnosis = _engine(self.rulebook).diagnose(list(run.facts) + list(run.conclusions.values()))
        return self._diagnosis

    def finding(self, finding_id: str) -> Finding:
        for finding in self.findings:
            if finding.id == finding_id:
                return finding
        raise KeyError(finding_id)

    def explain(self, conclusion_id: str) -> Graph:
        """The subgraph that leads from input facts to one finding or conclusion (for a finding
        listing items, to every one of its conclusions)."""
        from .provenance import explanation

        grouped = next((f for f in self.findings if f.id == conclusion_id and f.items), None)
        if grouped is None:
            return explanation(self.graph, conclusion_id)
        return explanation(self.graph, *grouped.conclusions)

    def to_dict(self, lang: Optional[str] = None) -> dict[str, Any]:
        from ..tools.positions import court_fields  # positions re-assesses cases: it imports this module

        court = court_fields(self)
        return {
            "case": self.case.id,
            "as_of": self.case.as_of.isoformat(),
            "library_version": __version__,
            "rulebook_digest": self.rulebook.digest,
            "case_digest": case_digest(self.case),
            "findings": [{**f.to_dict(lang), **court[f.id]} for f in self.findings],
            "conclusions": sorted(self.run.conclusions),
        }


def assess(case: Case, rulebook: Optional[Rulebook] = None) -> Assessment:
    """Assess one case with the bundled rulebook (or another one). A case built in code is
    checked as a loaded one is (references, ids): a bad one raises ``CaseError``, never a
    ``KeyError`` from deep inside."""
    if not isinstance(case, Case):  # before its packs are read
        raise CaseError("<case>", "", f"expected a Case, got {type(case).__name__}")
    rulebook = rulebook or rulebook_for(case)
    validate_case(case, _conclusion_kinds(rulebook))
    run = _engine(rulebook).run(case_facts(case), subject=case.contract.id)
    return Assessment(case, rulebook, run, _findings(run, rulebook))


def assess_checked(path: "str | Path") -> Assessment:
    """Load a case file, check it against the bundled rulebook (no id may be a conclusion's; errors
    name the file) and assess it: one file of ``assess-dir``, or of a verb of the command line."""
    case = load_case(path)
    rulebook = rulebook_for(case)
    validate_case(case, {rule.concludes for rule in rulebook.rules}, str(path))
    return assess(case, rulebook)
