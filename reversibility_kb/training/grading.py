"""Training: a worked case becomes a graded exercise for junior experts.

The *answer key* of a case is its golden block (``expected.findings``) or, for a case file that
has none, the engine's own findings: any case file is an exercise. A junior's answer names
findings by id (``kind`` or ``kind@item``, as ``assess --format json`` names them), optionally
filed by theme of the reference document (S1 … S10), with the rules of the art breached and the
documents to request.

Grading reads the engine, never a second copy of the rules: a claim is *found* when the key
holds it, *partial* when it is true in the case without being in the key (an intermediate
conclusion, or the right kind without its item), *wrong* when the engine does not conclude it
(explained by :func:`explaining.why_not`), *unknown* when no rule could ever conclude it (named
with the nearest ids). A missed finding comes with :func:`explaining.why`.

Score: each expected finding weighs by severity (:data:`questions.WEIGHTS`); a partial step that
leads to a missed finding earns :data:`PARTIAL` of it; wrong claims weigh in the denominator, so
claiming everything does not pay: ``score = earned / (expected weight + wrong weight)``.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

import attrs

from ..inference.assessment import Assessment
from ..tools.explaining import Why, WhyNot, why, why_not
from ..case.loading import CaseError, converter, first_structure_error, read_data
from ..case.model import Severity, Text
from ..tools.questions import WEIGHTS, Question, questions
from ..inference.rulebook import Practice, Rule
from ..tools.whatif import target

#: The share of a missed finding earned by a correct step towards it.
PARTIAL = 0.5
#: The themes of the reference document: its sections.
THEMES = tuple(f"S{n}" for n in range(1, 11))
_THEME = re.compile(r"^S(10|[1-9])$")


def theme_of(seed_id: str) -> str:
    """The theme (section) of a seed point: ``S7.c`` → ``S7``."""
    return seed_id.partition(".")[0]


def kind_of(conclusion_id: str) -> str:
    """The conclusion kind of an id: ``receiver_lacks_tools@nms`` → ``receiver_lacks_tools``."""
    return conclusion_id.partition("@")[0]


def nearest(word: str, choices: Iterable[str], n: int = 3, cutoff: float = 0.4) -> tuple[str, ...]:
    """The ids closest to a mistyped one (difflib's ratio, deterministic)."""
    return tuple(difflib.get_close_matches(word, sorted(set(choices)), n=n, cutoff=cutoff))


# --------------------------------------------------------------------------------------------
# Answer files


@attrs.frozen
class AnswerFile:
    """An answer file as written (its name shows in error messages)."""

    case: Optional[str] = None
    student: str = ""
    findings: tuple[str, ...] = ()
    practices: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()


@attrs.frozen
class Answers:
    """A junior's answer: findings (with the theme each was filed under, if any), rules of the
    art and documents. ``None`` for the optional parts means "not answered"."""

    findings: tuple[str, ...] = ()
    practices: Optional[tuple[str, ...]] = None
    documents: Optional[tuple[str, ...]] = None
    student: str = ""
    case: Optional[str] = None
    filed: Mapping[str, str] = attrs.field(factory=dict)
    source: str = ""


def _unique(items: Iterable[str]) -> tuple[str, ...]:
    """Claims stripped, blanks dropped, each once in the order given."""
    return tuple(dict.fromkeys(item.strip() for item in items if item.strip()))


def structure_answers(data: Any, file: str) -> Answers:
    """Plain data (YAML or JSON) to :class:`Answers`; a bad file is one :class:`CaseError` line."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise CaseError(file, "", "expected a mapping with findings (and optionally case, student, practices, documents)")
    data = dict(data)
    filed: dict[str, str] = {}
    if isinstance(data.get("findings"), dict):
        flat: list[Any] = []
        for theme, items in data["findings"].items():
            if not (isinstance(theme, str) and _THEME.match(theme)):
                raise CaseError(file, f"findings.{theme}", f"expected a theme of the reference document ({', '.join(THEMES)})")
            if items is None:
                continue
            if not isinstance(items, list):
                raise CaseError(file, f"findings.{theme}", "expected a list of finding ids")
            for item in items:
                flat.append(item)
                if isinstance(item, str):
                    filed.setdefault(item.strip(), theme)
        data["findings"] = flat
    for part in ("findings", "practices", "documents"):
        if data.get(part, ()) is None:
            data[part] = []
    try:
        raw = converter.structure(data, AnswerFile)
    except Exception as exc:
        raise CaseError(file, *first_structure_error(exc)) from None
    return Answers(
        findings=_unique(raw.findings),
        practices=_unique(raw.practices) if "practices" in data else None,
        documents=_unique(raw.documents) if "documents" in data else None,
        student=raw.student.strip(),
        case=raw.case,
        filed=filed,
        source=file,
    )


def load_answers(path: Path) -> Answers:
    """Read an answer file (YAML or JSON, read safely)."""
    return structure_answers(read_data(path), str(path))


def answer_files(directory: Path) -> list[Path]:
    """The answer files of a class, in name order."""
    return sorted(p for p in directory.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml", ".json"))


# --------------------------------------------------------------------------------------------
# The answer key


@attrs.frozen
class Expected:
    """One finding the key expects, with what grading and hints need to know about it."""

    id: str
    severity: Severity
    theme: str
    title: Text
    rules: tuple[Rule, ...]
    #: Whether the engine concludes it on this case (a golden block may disagree with the rules).
    reached: bool

    @property
    def weight(self) -> int:
        """How much it counts in a mark: its severity's weight."""
        return WEIGHTS[self.severity]


@attrs.frozen
class Key:
    """What an exercise expects, read from the case's golden block and from the engine."""

    assessment: Assessment
    expected: tuple[Expected, ...]
    #: Every conclusion kind of the rulebook, with the rules that conclude it.
    kinds: Mapping[str, tuple[Rule, ...]]

    @property
    def ids(self) -> tuple[str, ...]:
        """The expected finding ids, most serious first."""
        return tuple(e.id for e in self.expected)

    def theme_title(self, theme: str) -> Text:
        """The title of a section of the reference document."""
        for seed_id, point in sorted(self.assessment.rulebook.seed.items()):
            if theme_of(seed_id) == theme:
                return point.section
        return Text(fr=theme, en=theme)

    def kind_rules(self, kind: str) -> tuple[Rule, ...]:
        """The rules that conclude a kind, those with a severity (findings) first."""
        rules = self.kinds.get(kind, ())
        return tuple(sorted(rules, key=lambda r: (r.severity is None, r.severity.rank if r.severity else 0)))

    def kind_severity(self, kind: str) -> Optional[Severity]:
        """The most serious severity a kind can have (``None``: an intermediate conclusion)."""
        severities = [r.severity for r in self.kinds.get(kind, ()) if r.severity]
        return min(severities, key=lambda s: s.rank) if severities else None

    def kind_theme(self, kind: str) -> str:
        """The theme of a kind: the section of the main seed point of its first rule."""
        rules = self.kind_rules(kind)
        return theme_of(rules[0].sources[0]) if rules else ""


def _expected(assessment: Assessment, finding_id: str, pinned: Optional[Severity], kinds: Mapping[str, tuple[Rule, ...]]) -> Expected:
    """One expected finding; its severity is the one the case pins, else the engine's."""
    run = assessment.run
    for finding in assessment.findings:
        if finding.id == finding_id:
            rules = tuple(assessment.rulebook.rule(r) for r in finding.rules)
            return Expected(finding.id, pinned or finding.severity, theme_of(rules[0].sources[0]), finding.title, rules, True)
    rules = tuple(r for r in kinds.get(kind_of(finding_id), ()) if r.severity) or kinds.get(kind_of(finding_id), ())
    severity = pinned or min((r.severity for r in rules if r.severity), key=lambda s: s.rank, default=Severity.medium)
    title = rules[0].title if rules else Text(fr=finding_id, en=finding_id)
    theme = theme_of(rules[0].sources[0]) if rules else ""  # a kind no rule concludes (yet)
    return Expected(finding_id, severity, theme, title, rules, finding_id in run.conclusions)


def answer_key(assessment: Assessment) -> Key:
    """The key of a case: its golden findings, or the engine's findings if it has no golden block."""
    kinds: dict[str, list[Rule]] = {}
    for rule in assessment.rulebook.rules:
        kinds.setdefault(rule.concludes, []).append(rule)
    frozen = {k: tuple(v) for k, v in kinds.items()}
    golden = assessment.case.expected
    if golden is not None:
        wanted = {g.id: g.severity for g in golden.findings}
    else:
        wanted = {f.id: None for f in assessment.findings}
    expected = [_expected(assessment, i, pinned, frozen) for i, pinned in wanted.items()]
    expected.sort(key=lambda e: (e.severity.rank, e.id))
    return Key(assessment, tuple(expected), frozen)


# --------------------------------------------------------------------------------------------
# Grading


@attrs.frozen
class Found:
    """An expected finding the junior named; ``filed_under`` when filed under another theme."""

    expected: Expected
    filed_under: Optional[str] = None


@attrs.frozen
class Missed:
    """An expected finding not named: the credit earned by steps towards it, and the engine's
    reasoning (``why`` when it reaches the finding, else ``why_not`` of its rules)."""

    expected: Expected
    credit: float
    via: tuple[str, ...]
    why: Optional[Why]
    why_not: tuple[WhyNot, ...]


@attrs.frozen
class Partial:
    """A claim true in the case but not in the key, and the missed findings it leads to."""

    id: str
    reason: str  # intermediate, object_missing, not_expected
    toward: tuple[str, ...]


@attrs.frozen
class Wrong:
    """A claim the engine does not conclude on this case, with why its rules did not fire."""

    id: str
    severity: Optional[Severity]
    theme: str
    why_not: tuple[WhyNot, ...]
    nearest: tuple[str, ...]

    @property
    def weight(self) -> int:
        """How much it counts in a mark: its severity's weight."""
        return WEIGHTS[self.severity or Severity.info]


@attrs.frozen
class Unknown:
    """A claim no rule could ever conclude, with the nearest ids."""

    id: str
    nearest: tuple[str, ...]


@attrs.frozen
class ThemeScore:
    """The mark of one theme (section of the reference document)."""

    theme: str
    title: Text
    score: float
    expected: int
    found: int


@attrs.frozen
class PartGrade:
    """The grading of an optional part (rules of the art, documents): set comparison."""

    score: float
    found: tuple[str, ...]
    missed: tuple[str, ...]
    wrong: tuple[str, ...]
    unknown: tuple[tuple[str, tuple[str, ...]], ...]


@attrs.frozen
class Grade:
    """A graded answer: the score, by theme, and every claim and expected finding explained."""

    key: Key
    answers: Answers
    score: float
    themes: tuple[ThemeScore, ...]
    found: tuple[Found, ...]
    missed: tuple[Missed, ...]
    partial: tuple[Partial, ...]
    wrong: tuple[Wrong, ...]
    unknown: tuple[Unknown, ...]
    practices: Optional[PartGrade]
    documents: Optional[PartGrade]
    #: The investigation checklist the documents part was graded against.
    checklist: tuple[Question, ...] = ()


def _ratio(earned: float, total: float) -> float:
    """``earned / total`` rounded for stable output; nothing to find and nothing wrong is 1."""
    return round(earned / total, 4) if total else 1.0


def _steps_before(assessment: Assessment, conclusion_id: str) -> set[str]:
    """The conclusions a rule used directly to reach one conclusion: the step just before it."""
    graph = assessment.explain(conclusion_id)
    target = f"conclusion:{conclusion_id}"
    return {graph.nodes[c]["label"] for f in graph.predecessors(target) for c in graph.predecessors(f) if graph.nodes[c]["kind"] == "conclusion"}


def _classify(key: Key, claims: tuple[str, ...]) -> tuple[list[str], list[Partial], list[Wrong], list[Unknown]]:
    """Sort claims into found ids, partial steps, wrong claims and unknown ids."""
    assessment = key.assessment
    conclusions = assessment.run.conclusions
    expected = {e.id: e for e in key.expected}
    missed = [e for e in key.expected if e.id not in claims]
    finding_ids = {f.id for f in assessment.findings}
    found, partial, wrong, unknown = [], [], [], []
    for claim in claims:
        kind, _, item = claim.partition("@")
        if claim in expected:
            found.append(claim)
        elif claim in conclusions:
            toward = tuple(e.id for e in missed if e.reached and claim in _steps_before(assessment, e.id))
            partial.append(Partial(claim, "not_expected" if claim in finding_ids else "intermediate", toward))
        elif kind not in key.kinds:
            unknown.append(Unknown(claim, nearest(claim, [*conclusions, *key.kinds, *expected], cutoff=0.0)))
        elif not item and any(kind_of(c) == kind for c in conclusions):
            toward = tuple(e.id for e in missed if kind_of(e.id) == kind)
            partial.append(Partial(claim, "object_missing", toward))
        else:
            rules = key.kind_rules(kind)
            close = nearest(claim, [c for c in conclusions if kind_of(c) == kind])
            wrong.append(Wrong(claim, key.kind_severity(kind), key.kind_theme(kind), tuple(why_not(assessment, r.id) for r in rules), close))
    return found, partial, wrong, unknown


def grade(key: Key, answers: Answers, checklist: Optional[Iterable[Question]] = None) -> Grade:
    """Grade one answer against a key (see the module's docstring for the scoring). ``checklist``:
    the case's investigation questions, when already computed (a class shares them)."""
    assessment = key.assessment
    found_ids, partial, wrong, unknown = _classify(key, answers.findings)
    credit_via: dict[str, list[str]] = {}
    for step in partial:
        for finding_id in step.toward:
            credit_via.setdefault(finding_id, []).append(step.id)
    found, missed = [], []
    for expected in key.expected:
        if expected.id in found_ids:
            given = answers.filed.get(expected.id)
            found.append(Found(expected, given if given and given != expected.theme else None))
            continue
        via = tuple(credit_via.get(expected.id, ()))
        explanation = why(assessment, expected.id, "summary") if expected.reached else None
        not_reached = () if expected.reached else tuple(why_not(assessment, r.id) for r in expected.rules)
        missed.append(Missed(expected, expected.weight * PARTIAL if via else 0.0, via, explanation, not_reached))

    def score(theme: Optional[str]) -> tuple[float, int, int]:
        mine = [e for e in key.expected if theme is None or e.theme == theme]
        earned: float = sum(e.weight for e in mine if e.id in found_ids)
        earned += sum(m.credit for m in missed if theme is None or m.expected.theme == theme)
        total = sum(e.weight for e in mine) + sum(w.weight for w in wrong if theme is None or w.theme == theme)
        return _ratio(earned, total), len(mine), sum(1 for e in mine if e.id in found_ids)

    themes = []
    for theme in THEMES:
        if any(e.theme == theme for e in key.expected) or any(w.theme == theme for w in wrong):
            value, count, hits = score(theme)
            themes.append(ThemeScore(theme, key.theme_title(theme), value, count, hits))
    asked: tuple[Question, ...] = ()
    documents = None
    if answers.documents is not None:
        asked = tuple(checklist if checklist is not None else questions(assessment))
        documents = _grade_documents(key, answers.documents, asked)
    return Grade(
        key=key,
        answers=answers,
        score=score(None)[0],
        themes=tuple(themes),
        found=tuple(found),
        missed=tuple(missed),
        partial=tuple(partial),
        wrong=tuple(wrong),
        unknown=tuple(unknown),
        practices=_grade_practices(key, answers.practices) if answers.practices is not None else None,
        documents=documents,
        checklist=asked,
    )


def expected_practices(key: Key) -> tuple[str, ...]:
    """The rules of the art breached, according to the key's findings."""
    return tuple(sorted({p for e in key.expected for r in e.rules for p in r.practices}))


def _part(expected: tuple[str, ...], claims: tuple[str, ...], known: Iterable[str], normal: Any = lambda x: x) -> PartGrade:
    """Grade a set of named items against the expected ones; ``normal`` maps a claim to its key."""
    known = set(known)
    wanted = set(expected)
    named = {normal(c): c for c in claims}
    found = tuple(e for e in expected if e in named)
    wrong = tuple(c for n, c in named.items() if n not in wanted and n in known)
    unknown = tuple((c, nearest(c, known)) for n, c in named.items() if n not in wanted and n not in known)
    missed = tuple(e for e in expected if e not in named)
    return PartGrade(_ratio(len(found), len(expected) + len(wrong)), found, missed, wrong, unknown)


def _grade_practices(key: Key, claims: tuple[str, ...]) -> PartGrade:
    return _part(expected_practices(key), claims, key.assessment.rulebook.practices)


def generic_path(path: str) -> str:
    """A case-file path with its list items made generic: ``contract.tools[nms].owner`` →
    ``contract.tools[].owner``."""
    return re.sub(r"\[[^\]]*\]", "[]", path)


def _grade_documents(key: Key, claims: tuple[str, ...], checklist: tuple[Question, ...]) -> PartGrade:
    expected = tuple(dict.fromkeys(generic_path(q.path) for q in checklist))
    return _part(expected, claims, [*key.assessment.rulebook.questions, *expected], generic_path)


def practice(key: Key, practice_id: str) -> Practice:
    """A rule of the art of the key's rulebook."""
    return key.assessment.rulebook.practices[practice_id]


# --------------------------------------------------------------------------------------------
# Hints


@attrs.frozen
class Hint:
    """A clue towards one finding not named yet, at a level: 1 theme, 2 facts, 3 rule."""

    level: int
    theme: str
    theme_title: Text
    facts: tuple[str, ...]
    rule: Optional[Rule]


#: Where facts without a place of their own live in the case file.
_LISTS = {"objective": "contract.objectives", "margin": "contract.margin_levers"}


def _place(fact: Mapping[str, Any], attribute: str) -> str:
    """Where a tested fact lives in the case file, as the junior reads it."""
    where = target(dict(fact), attribute, actionable=False)
    if where:
        return where[0]
    if fact["type"] in _LISTS:
        return _LISTS[fact["type"]]
    if fact["type"] == "event":
        return f"history[{fact['id']}].{attribute}"
    return f"{fact['id']}.{attribute}"


def _facts_to_look_at(key: Key, expected: Expected) -> tuple[str, ...]:
    """``fact.attribute`` of every input fact a rule tested on the way to the finding."""
    if not expected.reached:
        return ()
    inputs = {f["id"]: f for f in key.assessment.run.facts}
    places = []
    for step in why(key.assessment, expected.id, "summary").steps:
        for fact, attribute, _ in step.values:
            places.append(_place(inputs[fact], attribute))
    return tuple(dict.fromkeys(places))


def hints(key: Key, named: Iterable[str], level: int) -> list[Hint]:
    """Clues for the expected findings not named yet, most serious first (ids never given)."""
    named = set(named)
    out = []
    for expected in key.expected:
        if expected.id in named:
            continue
        out.append(
            Hint(
                level=level,
                theme=expected.theme,
                theme_title=key.theme_title(expected.theme),
                facts=_facts_to_look_at(key, expected) if level >= 2 else (),
                rule=expected.rules[0] if level >= 3 and expected.rules else None,
            )
        )
    return out
