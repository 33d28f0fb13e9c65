"""The investigation checklist: facts still unknown that would change a conclusion, ranked.

Each candidate is tried for real: the case is re-assessed with the unknown fact set to each
value it could take (or with the missing record added), and the findings that appear, vanish
or change severity give the question its weight.
"""

from __future__ import annotations

import enum
import re
from typing import Any, Callable, Iterator, Optional

import attrs

from ..case import model
from ..inference.assessment import Assessment
from ..inference.facts import DERIVED
from ..case.loading import CaseError
from ..case.model import Severity, Text
from ..case.vocabulary import NNBSP, colon, identifier, value
from .whatif import Change, event_for, target, what_if

#: How much a finding that a question could confirm or remove weighs in its rank.
WEIGHTS = {Severity.high: 8, Severity.medium: 4, Severity.low: 2, Severity.info: 1}


@attrs.frozen
class Answer:
    """What one answer to a question would do: the findings it would add (``gained``), take away
    (``lost``) or make more or less serious (``changed``: id, before, after)."""

    value: Any
    gained: tuple[str, ...] = ()
    lost: tuple[str, ...] = ()
    changed: tuple[tuple[str, str, str], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "value": self.value,
            "gained": list(self.gained),
            "lost": list(self.lost),
            "changed": [{"id": i, "before": b, "after": a} for i, b, a in self.changed],
        }


@attrs.frozen
class Question:
    """One thing to establish, why it matters, what to ask for, of whom, and what is at stake
    for each answer."""

    path: str
    text: Text
    document: Text
    weight: int
    findings: tuple[str, ...]
    #: The party that holds the answer (client, provider, successor), from rules/questions.yaml.
    holder: Optional[str] = None
    answers: tuple[Answer, ...] = ()

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {
            "path": self.path,
            "question": self.text.in_(lang),
            "document": self.document.in_(lang),
            "weight": self.weight,
            "findings": list(self.findings),
            "holder": self.holder,
            "answers": [a.to_dict() for a in self.answers],
        }


def _generic(path: str) -> str:
    return re.sub(r"\[[^\]]*\]", "[]", path)


def _tested(assessment: Assessment) -> dict[tuple[str, str], list[Any]]:
    """(fact type, attribute) tested by some rule → the constants it is compared with."""
    out: dict[tuple[str, str], list[Any]] = {}
    for rule in assessment.rulebook.rules:
        for pattern in rule.when:
            for test in pattern.tests:
                if test.op != "ref":
                    out.setdefault((pattern.fact, test.attribute), []).append(test.value)
    return out


def _values(kind: Any, constants: list[Any]) -> list[Any]:
    if kind is model.Tri:
        return ["yes", "no"]
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return [m.value for m in kind if m.value != "unknown"]
    numbers = sorted({n for c in constants if isinstance(c, int) and not isinstance(c, bool) for n in (c - 1, c) if n >= 0})
    return numbers


Candidate = tuple[str, str, list[Change], Optional[tuple[dict[str, Any], str]]]


def _candidates(assessment: Assessment) -> Iterator[Candidate]:
    """(generic path, item name, changes to try one at a time, the fact and attribute they set
    or ``None`` for a record to add) for every unknown tested fact."""
    tested = _tested(assessment)
    for fact in assessment.run.facts:
        for (kind, attribute), constants in sorted(tested.items()):
            if kind != fact["type"] or fact.get(attribute, "unknown") != "unknown":
                continue
            where = target(fact, attribute, actionable=False)
            if where is None:
                continue
            path, value_type = where
            item = fact.get("name") or fact.get("title") or fact["id"]
            yield _generic(path), str(item), [Change(path, v) for v in _values(value_type, constants)], (fact, attribute)
    facts = {f["id"]: f for f in assessment.run.facts} | assessment.run.conclusions
    recorded = _recorded(assessment.case)
    seen: set[str] = set()
    for firing in assessment.run.firings:
        rule = assessment.rulebook.rule(firing.rule)
        bound = {name: facts[fact_id] for name, fact_id in firing.matched}
        for pattern in rule.when:
            if not (pattern.negated and pattern.fact == "event"):
                continue
            event = event_for(pattern, bound, assessment.case, 1)
            if event is None or (event["kind"], event.get("ref")) in recorded:
                continue
            key = repr(sorted(event.items()))
            if key in seen:
                continue
            seen.add(key)
            ref = facts.get(event.get("ref", ""), {})
            item = ref.get("name") or ref.get("title") or event.get("ref") or event["kind"]
            yield f"history[].{event['kind']}", str(item), [Change("history[+]", event)], None


def _recorded(case: model.Case) -> set[tuple[str, Optional[str]]]:
    """(kind, ref) of the events the file records with their result: a question never asks for
    one of them (a restore test that failed is recorded: asking whether one was done would
    ignore the file). A set, read once: large histories meet many candidate events."""
    return {(e.kind.value, e.ref) for e in case.history if e.outcome not in (None, model.Outcome.unknown)}


#: How much re-assessing the checklist may do, counted in input facts asserted: a case ten times
#: larger gets a tenth of the re-assessments. Deterministic, unlike a clock; past it the search
#: stops and says so (:attr:`Checklist.cut`).
BUDGET_FACTS = 60_000


@attrs.frozen
class Checklist:
    """The questions found, and whether the search was cut before trying every candidate answer."""

    questions: tuple[Question, ...]
    cut: bool = False
    tried: int = 0


#: Item facts whose attributes are the item's own fields: a variant fact is the fact with one
#: attribute changed (the contract and parties feed computed attributes of other facts).
_ITEM_FACTS = frozenset({"tool", "asset", "data", "document", "phase", "scope"})


def _inert(assessment: Assessment, candidates: list[Candidate]) -> set[tuple[int, int]]:
    """(candidate, answer) pairs that cannot change any conclusion: the changed item fact passes
    exactly the same rule patterns as before (durable_rules decides, in one diagnostic session
    holding every variant), no rule joins on the attribute and no computed attribute reads it."""
    rules = assessment.rulebook.rules
    joined = {(p.fact, t.attribute) for r in rules for p in r.when for t in p.tests if t.op == "ref"}
    joined |= {(p.fact, t.value[1]) for r in rules for p in r.when for t in p.tests if t.op == "ref"}
    read = {field for fields in DERIVED.values() for field in fields}
    variants: list[dict[str, Any]] = []
    owners: dict[str, tuple[int, int]] = {}
    for i, (generic, _, changes, where) in enumerate(candidates):
        if where is None or where[0]["type"] not in _ITEM_FACTS or (where[0]["type"], where[1]) in joined or generic in read:
            continue
        fact, attribute = where
        for j, change in enumerate(changes):
            variant_id = f"{fact['id']}#{i}.{j}"
            owners[variant_id] = (i, j)
            variants.append({**fact, "id": variant_id, attribute: _plain_value(change.value)})
    if not variants:
        return set()
    from ..inference.assessment import _engine  # the compiled engine of this rulebook

    passed: dict[str, set[str]] = {}
    facts = list(assessment.run.facts)
    for key, ids in _engine(assessment.rulebook).diagnose(facts + variants).items():
        if key.count("__") == 1:  # a whole pattern, not one of its tests
            for fact_id in ids:
                passed.setdefault(fact_id, set()).add(key)
    by_id = {f["id"]: f for f in facts}
    return {
        pair for variant_id, pair in owners.items()
        if passed.get(variant_id, set()) == passed.get(candidates[pair[0]][3][0]["id"], set())  # type: ignore[index]
        and variant_id.split("#")[0] in by_id
    }


def _plain_value(value: Any) -> Any:
    return value.value if isinstance(value, enum.Enum) else value


def questions(assessment: Assessment) -> list[Question]:
    """Every unknown or unrecorded fact whose answer would change a finding, most weighty first,
    with the findings each answer would add or take away."""
    return list(checklist(assessment).questions)


def checklist(assessment: Assessment, budget: int = BUDGET_FACTS) -> Checklist:
    """:func:`questions`, with whether the search was cut: only answers that change which rule
    patterns a fact passes are re-assessed, at most ``budget`` input facts' worth of them."""
    found: list[Question] = []
    candidates = [c for c in _candidates(assessment) if c[0] in assessment.rulebook.questions]
    inert = _inert(assessment, candidates)
    allowed = max(1, budget // max(1, len(assessment.run.facts)))
    tried, cut = 0, False
    for i, (generic, item, changes, _) in enumerate(candidates):
        wording = assessment.rulebook.questions[generic]
        affected: dict[str, Severity] = {}
        answers: list[Answer] = []
        for j, change in enumerate(changes):
            if (i, j) in inert:
                answers.append(Answer(value=change.value))  # nothing can change: no re-assessment
                continue
            if tried >= allowed:
                cut = True
                break
            tried += 1
            try:
                _, delta = what_if(assessment, [change])
            except CaseError:
                continue
            # an answer matters by what it does to the findings: gained, lost, or made more or less
            # serious (a finding that only changes the rule behind it or its advice does not count)
            reweighed = [(a, b) for a, b in delta.changed if a.severity != b.severity]
            for finding in (*delta.appeared, *delta.disappeared, *(b for _, b in reweighed)):
                affected[finding.id] = min(affected.get(finding.id, finding.severity), finding.severity, key=lambda s: s.rank)
            answers.append(
                Answer(
                    value="yes" if change.path == "history[+]" else change.value,
                    gained=tuple(f.id for f in delta.appeared),
                    lost=tuple(f.id for f in delta.disappeared),
                    changed=tuple((a.id, a.severity.value, b.severity.value) for a, b in reweighed),
                )
            )
        if not affected:
            continue
        if changes[0].path == "history[+]":
            answers.append(Answer(value="no"))  # the file stays as it is: nothing changes
        path = changes[0].path if changes[0].path != "history[+]" else generic
        found.append(
            Question(
                path=path,
                text=_fill(wording.question, item),
                document=_fill(wording.document, item),
                weight=sum(WEIGHTS[s] for s in affected.values()),
                findings=tuple(sorted(affected)),
                holder=wording.holder,
                answers=tuple(answers),
            )
        )
    unique = {(q.path, q.text.en): q for q in found}
    ranked = sorted(unique.values(), key=lambda q: (-q.weight, -len(q.findings), q.path, q.text.en))
    return Checklist(tuple(ranked), cut, tried)


def _fill(text: Text, item: Optional[str]) -> Text:
    return Text(fr=text.fr.replace("{item}", item or ""), en=text.en.replace("{item}", item or ""))


_STAKES = {
    "document": ("Pièce demandée", "Document requested"),
    "holder": ("Détient la réponse", "Holds the answer"),
    "answer": ("Réponse", "Answer"),
    "gained": ("ajoute", "adds"),
    "lost": ("retire", "removes"),
    "changed": ("change la gravité de", "changes the severity of"),
    "nothing": ("aucun constat ne change", "no finding changes"),
}


def answer_lines(question: Question, lang: str, name: Callable[[str], str] = identifier) -> list[str]:
    """What each answer would do to the findings, one line per answer: "Réponse « non » : ajoute
    `provider_did_not_warn`"; ``name`` shows a finding (its id, or its title)."""
    fr = lang == "fr"
    say = {key: pair[0 if fr else 1] for key, pair in _STAKES.items()}
    lines = []
    for answer in question.answers:
        effects = [f"{say['gained']} {name(i)}" for i in answer.gained]
        effects += [f"{say['lost']} {name(i)}" for i in answer.lost]
        effects += [f"{say['changed']} {name(i)} ({value(b, lang)} → {value(a, lang)})" for i, b, a in answer.changed]
        quoted = f"« {value(answer.value, lang)} »" if fr else f"“{value(answer.value, lang)}”"
        label = colon(f"{say['answer']} {quoted}", lang)
        lines.append(f"{label} {(f'{NNBSP}; ' if fr else '; ').join(effects) or say['nothing']}")
    return lines


def stakes_text(question: Question, lang: str) -> str:
    """The document to request, the party that holds the answer, and what each answer would
    do to the findings, as plain lines in one language."""
    say = {key: pair[0 if lang == "fr" else 1] for key, pair in _STAKES.items()}
    lines = [f"{colon(say['document'], lang)} {question.document.in_(lang)}"]
    if question.holder:
        lines.append(f"{colon(say['holder'], lang)} {value(question.holder, lang)}")
    lines += answer_lines(question, lang)
    return "\n".join(lines) + "\n"
