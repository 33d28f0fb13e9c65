"""What a junior gets for an exercise: the narrative and the facts of a case without its golden
block (nor its tags, a trainer's classification that would give answers away), the themes of
the reference document, the catalogue of finding ids and rules of the art, and an answer
template in YAML. Markdown, or one self-contained HTML page, in French or English."""

from __future__ import annotations

import json
from typing import Any, Optional

import yaml

from .. import __version__
from ..case.loading import case_to_data
from ..case.model import Case
from ..inference.rulebook import Rule, Rulebook
from .grading import THEMES, theme_of
from .texts import t, texts, words
from .render import environment

#: Parts of a case file a junior must not see, or sees elsewhere on the sheet.
HIDDEN = ("expected", "tags", "narrative", "title", "id", "as_of", "schema_version")
#: Values that say nothing: not established (the sheet says so once, in its note).
_SILENT: tuple[object, ...] = (None, "", "unknown", [], {})


def _pruned(value: Any) -> Any:
    if isinstance(value, dict):
        kept = {k: _pruned(v) for k, v in value.items()}
        return {k: v for k, v in kept.items() if not any(v == s and type(v) is type(s) for s in _SILENT)}
    if isinstance(value, list):
        return [_pruned(v) for v in value]
    return value


def case_facts_yaml(case: Case) -> str:
    """The case file as the junior reads it: the facts established, no golden block."""
    data = {k: v for k, v in case_to_data(case).items() if k not in HIDDEN}
    plain = json.loads(json.dumps(data, ensure_ascii=False))  # enums (str subclasses) as plain texts
    return yaml.safe_dump(_pruned(plain), allow_unicode=True, sort_keys=False, width=100)


def themes(rulebook: Rulebook, lang: str) -> list[dict[str, str]]:
    """The sections S1 … S10 of the reference document, with their titles."""
    titles: dict[str, str] = {}
    for seed_id, point in sorted(rulebook.seed.items(), key=lambda item: (int(item[0][1:].partition(".")[0]), item[0])):
        titles.setdefault(theme_of(seed_id), point.section.in_(lang))
    return [{"code": code, "title": titles.get(code, "")} for code in THEMES]


def _about(rulebook: Rulebook, rule: Rule, seen: set[str]) -> Optional[str]:
    """The type of case item a rule's conclusion is about (through the conclusions it builds on)."""
    if rule.about is None or rule.id in seen:
        return None
    seen.add(rule.id)
    pattern = next(p for p in rule.when if p.name == rule.about)
    if pattern.fact != "conclusion":
        return pattern.fact
    for other in rulebook.rules:
        if other.concludes in pattern.kinds():
            found = _about(rulebook, other, seen)
            if found:
                return found
    return None


def catalogue(rulebook: Rulebook, lang: str) -> list[dict[str, Any]]:
    """The finding ids a junior may name, by theme: each kind a rule with a severity concludes,
    with ``@<item>`` when it is about one item of the case."""
    by_theme: dict[str, dict[str, str]] = {}
    for rule in rulebook.rules:
        if rule.severity is None:
            continue
        name = rule.concludes
        fact = _about(rulebook, rule, set())
        if fact:
            label = f"object_{fact}" if f"object_{fact}" in texts() else "object_item"
            name += f"@<{t(label, lang)}>"
        by_theme.setdefault(theme_of(rule.sources[0]), {}).setdefault(name, rule.title.in_(lang))
    return [
        {"code": theme["code"], "title": theme["title"], "kinds": [{"id": k, "title": v} for k, v in sorted(by_theme[theme["code"]].items())]}
        for theme in themes(rulebook, lang)
        if theme["code"] in by_theme
    ]


def _comment(text: str) -> str:
    """A YAML comment: one line whatever the text (a title may hold line breaks, and a line
    that is no longer a comment would be read as the junior's answer)."""
    return "# " + " ".join(text.split())


def answer_template(case: Case, rulebook: Rulebook, lang: str) -> str:
    """The answer file to fill in: findings by theme, optional rules of the art and documents."""
    lines = [
        _comment(t("tpl_head", lang, title=case.title.in_(lang))),
        f"case: {case.id}",
        f"student: \"\"  {_comment(t('tpl_student', lang))}",
        _comment(t("tpl_findings", lang)),
        "findings:",
    ]
    lines += [f"  {theme['code']}: []  {_comment(theme['title'])}" for theme in themes(rulebook, lang)]
    lines += [_comment(t("tpl_practices", lang)), "practices: []", _comment(t("tpl_documents", lang)), "documents: []"]
    return "\n".join(lines) + "\n"


def sheet_context(case: Case, rulebook: Rulebook, lang: str) -> dict[str, Any]:
    """What the sheet templates show, already in the chosen language."""
    return {
        "lang": lang,
        "w": words(lang),
        "case": {"id": case.id, "title": case.title.in_(lang), "as_of": case.as_of.isoformat(), "narrative": case.narrative.in_(lang) if case.narrative else None},
        "facts": case_facts_yaml(case),
        "themes": themes(rulebook, lang),
        "catalogue": catalogue(rulebook, lang),
        "practices": [{"id": p.id, "title": p.title.in_(lang)} for p in sorted(rulebook.practices.values(), key=lambda p: p.id)],
        "template": answer_template(case, rulebook, lang),
        "command": f"reversibility-kb train {case.id} --answers {case.id}-answers.yaml --lang {lang}",
        "version": __version__,
    }


def sheet_markdown(case: Case, rulebook: Rulebook, lang: str) -> str:
    """The exercise sheet in Markdown."""
    return environment().get_template("training_sheet.md").render(sheet_context(case, rulebook, lang)).rstrip() + "\n"


def sheet_html(case: Case, rulebook: Rulebook, lang: str) -> str:
    """The exercise sheet as one self-contained HTML page."""
    return environment().get_template("training_sheet.html").render(sheet_context(case, rulebook, lang)).rstrip() + "\n"
