"""Pre-signature review: the same engine, asked before the dispute instead of after.

A draft contract is described as a case file without history; the ``drafting`` pack (plus any
pack asked for or declared by the draft) finds the missing or weak provisions. The bundled rules,
which read a dispute's history, are left out of the review. Findings are
grouped into provisions by the clause outlines of ``rules/clause_outlines.yaml``, each with the
seed points, articles and rules of the art behind it, ranked by severity.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path
from typing import Any, Optional

import attrs
import jinja2

from .. import __version__
from ..inference.assessment import Assessment, Finding, assess
from ..case.loading import CaseError, converter, first_structure_error, load_case, read_data
from ..case.model import Case, Severity, Text
from ..inference.packs import active_packs, use_packs
from ..outputs.report import md_escape, slug
from ..case.resources import rules_dir
from ..inference.rulebook import LEGAL_ID, RuleError

#: The pack of pre-signature rules every review uses.
DRAFTING = "drafting"
OUTLINES = "clause_outlines.yaml"
TEMPLATES = Path(__file__).resolve().parent.parent / "outputs" / "templates"

WORDS = {
    "kind": ("Revue avant signature", "Pre-signature review"),
    "case": ("Projet", "Draft"),
    "date": ("Date de la revue", "Review date"),
    "packs": ("Textes appliqués", "Texts applied"),
    "none": ("aucun", "none"),
    "summary": ("Synthèse", "Summary"),
    "provisions": ("Dispositions manquantes ou faibles", "Missing or weak provisions"),
    "severity": ("Gravité", "Severity"),
    "findings": ("Constats", "Findings"),
    "sources": ("Fondements", "Grounds"),
    "practices": ("Règles de l'art", "Rules of the art"),
    "outline": ("Clause à ajouter (trame)", "Clause to add (outline)"),
    "nothing": ("Aucune disposition manquante ou faible n'a été relevée.", "No missing or weak provision was found."),
    "caveat": (
        "Trames indicatives, à adapter par les conseils des parties ; l'expert décrit des pratiques et des textes, il ne rédige pas d'avis juridique.",
        "Indicative outlines, to be adapted by the parties' counsel; the expert describes practice and texts, and gives no legal opinion.",
    ),
    "high": ("élevée", "high"),
    "medium": ("moyenne", "medium"),
    "low": ("faible", "low"),
    "info": ("information", "info"),
}


def word(key: str, lang: str) -> str:
    fr, en = WORDS[key]
    return fr if lang == "fr" else en


@attrs.frozen
class Outline:
    """The outline of one clause, and the findings (conclusion kinds) it answers."""

    id: str
    kinds: tuple[str, ...]
    title: Text
    clauses: tuple[Text, ...]


@functools.cache
def load_outlines(path: Optional[Path] = None) -> tuple[Outline, ...]:
    """The clause outlines (read once per process); a malformed entry is one line naming it."""
    path = path or rules_dir() / OUTLINES
    data = read_data(path)
    if not isinstance(data, dict) or not isinstance(data.get("outlines"), list):
        raise RuleError(str(path), "", "outlines", "expected a mapping with a list under 'outlines'")
    outlines = []
    for index, raw in enumerate(data["outlines"]):
        try:
            outlines.append(converter.structure(raw, Outline))
        except Exception as exc:
            name = raw.get("id", f"#{index}") if isinstance(raw, dict) else f"#{index}"
            raise RuleError(str(path), str(name), *first_structure_error(exc)) from None
    return tuple(outlines)


@attrs.frozen
class Provision:
    """One missing or weak provision: the findings that show it, why, and what to write."""

    id: str
    title: Text
    severity: Severity
    findings: tuple[Finding, ...]
    sources: tuple[str, ...]
    practices: tuple[str, ...]
    clauses: tuple[Text, ...]

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {
            "id": self.id,
            "title": self.title.in_(lang),
            "severity": self.severity.value,
            "findings": [{"id": f.id, "severity": f.severity.value, "title": f.title.in_(lang), "rule": f.rule} for f in self.findings],
            "sources": list(self.sources),
            "practices": list(self.practices),
            "outline": [c.in_(lang) for c in self.clauses],
        }


@attrs.frozen
class Review:
    """The provisions a draft lacks or states weakly, most serious first."""

    assessment: Assessment
    provisions: tuple[Provision, ...]

    @property
    def case(self) -> Case:
        return self.assessment.case

    def packs(self) -> tuple[str, ...]:
        return tuple(sorted({r.pack for r in self.assessment.rulebook.rules if r.pack}))

    def to_dict(self, lang: str) -> dict[str, Any]:
        return {
            "draft": self.case.id,
            "date": self.case.as_of.isoformat(),
            "packs": list(self.packs()),
            "library_version": __version__,
            "rulebook_digest": self.assessment.rulebook.digest,
            "provisions": [p.to_dict(lang) for p in self.provisions],
        }


def _source_order(source: str) -> tuple[int, str]:
    """Seed points of the reference document first, then the articles of today's texts."""
    return (1 if LEGAL_ID.match(source) else 0, source)


def _provision(key: str, outline: Optional[Outline], findings: list[Finding]) -> Provision:
    first = findings[0]
    return Provision(
        id=key,
        title=outline.title if outline else first.title,
        severity=min((f.severity for f in findings), key=lambda s: s.rank),
        findings=tuple(findings),
        sources=tuple(sorted({s for f in findings for s in f.sources}, key=_source_order)),
        practices=tuple(sorted({p for f in findings for p in f.practices})),
        clauses=outline.clauses if outline else tuple(f.recommendation for f in findings),
    )


def review(case: Case, packs: tuple[str, ...] = ()) -> Review:
    """Review a draft with the drafting pack, the packs asked for and those the draft declares."""
    with use_packs(tuple(active_packs()) + (DRAFTING,) + tuple(packs)):
        assessment = assess(case)
    outlines = load_outlines()
    by_kind = {kind: outline for outline in outlines for kind in outline.kinds}
    groups: dict[str, tuple[Optional[Outline], list[Finding]]] = {}
    for finding in assessment.findings:
        if assessment.rulebook.rule(finding.rule).pack is None:
            continue  # the bundled rules read a dispute's history; a draft has none
        outline = by_kind.get(finding.kind)
        key = outline.id if outline else finding.kind
        groups.setdefault(key, (outline, []))[1].append(finding)
    provisions = [_provision(key, outline, findings) for key, (outline, findings) in groups.items()]
    return Review(assessment, tuple(sorted(provisions, key=lambda p: (p.severity.rank, p.id))))


def review_file(path: "str | Path", packs: tuple[str, ...] = ()) -> Review:
    """Load a draft and review it; a draft has no history yet."""
    case = load_case(path)
    if case.history:
        raise CaseError(str(path), "history", "expected a draft without history (a review comes before signature)")
    return review(case, packs)


def _context(result: Review, lang: str) -> dict[str, Any]:
    rulebook = result.assessment.rulebook

    def source(source_id: str) -> dict[str, str]:
        seed = rulebook.seed.get(source_id)
        return {"id": source_id, "section": seed.section.in_(lang) if seed else "", "text": seed.text.in_(lang) if seed else ""}

    provisions = [
        {
            "id": p.id,
            "title": p.title.in_(lang),
            "severity": p.severity.value,
            "severity_label": word(p.severity.value, lang),
            "findings": [{"id": f.id, "title": f.title.in_(lang), "severity": word(f.severity.value, lang)} for f in p.findings],
            "sources": [source(s) for s in p.sources],
            "practices": [{"id": i, "title": rulebook.practices[i].title.in_(lang)} for i in p.practices if i in rulebook.practices],
            "clauses": [c.in_(lang) for c in p.clauses],
        }
        for p in result.provisions
    ]
    counts = {s.value: sum(1 for p in result.provisions if p.severity is s) for s in Severity}
    return {
        "lang": lang,
        "version": __version__,
        "w": {key: word(key, lang) for key in WORDS},
        "case": {"id": result.case.id, "title": result.case.title.in_(lang), "date": result.case.as_of.isoformat()},
        "packs": ", ".join(result.packs()),
        "counts": [{"severity": s, "label": word(s, lang), "count": n} for s, n in counts.items() if n],
        "provisions": provisions,
    }


@functools.cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(md=md_escape, slug=slug)
    return environment


def review_markdown(result: Review, lang: str) -> str:
    return _environment().get_template("review.md").render(_context(result, lang))


def review_html(result: Review, lang: str) -> str:
    return _environment().get_template("review.html").render(_context(result, lang))


def review_docx(result: Review, lang: str) -> bytes:
    """The review as a Word document, written with python-docx (imported when asked for: it is slow to load)."""
    import docx

    context = _context(result, lang)
    w = context["w"]
    document = docx.Document()
    document.core_properties.title = f"{w['kind']} — {context['case']['title']}"
    document.add_heading(f"{w['kind']} — {context['case']['title']}", level=0)
    document.add_paragraph(f"{w['case']}: {context['case']['id']}    {w['date']}: {context['case']['date']}    {w['packs']}: {context['packs'] or w['none']}")
    document.add_paragraph(w["caveat"]).runs[0].italic = True
    document.add_heading(w["provisions"], level=1)
    if not context["provisions"]:
        document.add_paragraph(w["nothing"])
    for number, provision in enumerate(context["provisions"], 1):
        document.add_heading(f"{number}. {provision['title']} — {provision['severity_label']}", level=2)
        for finding in provision["findings"]:
            document.add_paragraph(f"{finding['title']} ({finding['severity']}; {finding['id']})", style="List Bullet")
        document.add_paragraph(f"{w['sources']}: " + "; ".join(f"{s['id']} {s['section']}" for s in provision["sources"]))
        if provision["practices"]:
            document.add_paragraph(f"{w['practices']}: " + "; ".join(p["title"] for p in provision["practices"]))
        document.add_paragraph(w["outline"]).runs[0].bold = True
        for clause in provision["clauses"]:
            document.add_paragraph(clause, style="List Number")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
