"""The rulebook linter: sources, coverage, both languages, no duplicates; and malformed rules."""

from __future__ import annotations

import shutil

import pytest
import yaml
from helpers import DATA

from reversibility_kb import (
    RuleError,
    assess,
    default_rulebook,
    load_case,
    load_rulebook,
)
from reversibility_kb.case.catalogue import bundled_cases
from reversibility_kb.inference.compiler import compile_pattern
from reversibility_kb.inference.facts import fact_attributes
from reversibility_kb.case.model import EventKind

RULEBOOK = default_rulebook()


def test_every_rule_cites_a_valid_seed_point_and_every_point_is_cited():
    cited = {source for rule in RULEBOOK.rules for source in rule.sources}
    assert cited <= set(RULEBOOK.seed)
    assert set(RULEBOOK.seed) - cited == set()
    assert len(RULEBOOK.seed) == 36  # S1.a … S10.c


def test_every_practice_cites_seed_points_and_is_linked_from_a_rule():
    linked = {p for rule in RULEBOOK.rules for p in rule.practices}
    assert set(RULEBOOK.practices) == linked
    for practice in RULEBOOK.practices.values():
        assert practice.sources and set(practice.sources) <= set(RULEBOOK.seed)


def test_every_text_exists_in_both_languages():
    texts = [(r.id, t) for r in RULEBOOK.rules for t in (r.title, r.rationale, r.recommendation) if t]
    texts += [(p.id, t) for p in RULEBOOK.practices.values() for t in (p.title, p.description, p.evidence)]
    texts += [(s.id, s.text) for s in RULEBOOK.seed.values()]
    texts += [(q.path, t) for q in RULEBOOK.questions.values() for t in (q.question, q.document)]
    for owner, text in texts:
        assert text.fr.strip() and text.en.strip(), owner
        assert text.fr != text.en, f"{owner}: French and English are the same text"


def test_no_two_rules_conclude_the_same_thing_from_the_same_condition():
    seen: dict[tuple, str] = {}
    for rule in RULEBOOK.rules:
        key = (rule.concludes, rule.about is not None, tuple(sorted(repr(compile_pattern(p)) for p in rule.when)))
        assert key not in seen, f"{rule.id} repeats {seen.get(key)}"
        seen[key] = rule.id


def test_every_rule_is_exercised_by_a_worked_case():
    fired = set()
    for path in bundled_cases().values():
        fired |= {firing.rule for firing in assess(load_case(path)).run.firings}
    assert sorted(r.id for r in RULEBOOK.rules if r.id not in fired) == []


def _broken_rulebook(tmp_path, change):
    directory = tmp_path / "rules"
    shutil.copytree(DATA / "mini_rulebook", directory)
    data = yaml.safe_load((directory / "rules.yaml").read_text(encoding="utf-8"))
    change(data["rules"][0])
    (directory / "rules.yaml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return directory


@pytest.mark.parametrize(
    ("change", "field", "expected"),
    [
        (lambda r: r["when"][0]["doc"].update(planed_initial="yes"), "when[0].doc.planed_initial", "did you mean 'planned_initial'"),
        (lambda r: r["when"][0]["doc"].update(fact="docment"), "when[0].doc.fact", "did you mean 'document'"),
        (lambda r: r["when"][1]["not"].update(ref={"lt": {"ref": "doc.id"}}), "when[1].not.ref", "expected a number"),
        (lambda r: r["when"][1]["not"].update(ref={"ref": "missing.id"}), "when[1].not.ref", "earlier binding"),
        (lambda r: r["title"].pop("fr"), "title.fr", "required field missing"),
        (lambda r: r.update(sources=["S11.a"]), "sources[0]", "seed point"),
        (lambda r: r.update(sources=["S1.b"]), "sources[0]", "sources.yaml"),
        (lambda r: r.update(practices=["documentation-acepted"]), "practices[0]", "did you mean 'documentation-accepted'"),
        (lambda r: r.update(about="nobody"), "about", "expected one of the bindings"),
        (lambda r: r.update(severity="critical"), "severity", "expected one of high, medium, low, info"),
        (lambda r: r.update(run="os.system('x')"), "", "unknown field \"run\""),
    ],
)
def test_malformed_rule_is_refused_naming_rule_and_field(tmp_path, change, field, expected):
    with pytest.raises(RuleError) as info:
        load_rulebook(_broken_rulebook(tmp_path, change))
    message = str(info.value)
    assert "rule 'doc-not-accepted'" in message
    assert f": {field}: " in message if field else True
    assert expected in message
    assert "\n" not in message


def test_rule_files_cannot_construct_objects(tmp_path):
    directory = tmp_path / "rules"
    shutil.copytree(DATA / "mini_rulebook", directory)
    marker = tmp_path / "ran"
    (directory / "evil.yaml").write_text(f"rules: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    with pytest.raises(RuleError, match="evil.yaml"):
        load_rulebook(directory)
    assert not marker.exists()


def test_every_investigation_question_names_a_case_file_path():
    attributes = fact_attributes()
    schema_paths = set()
    lists = {"contract.tools[]": "tool", "contract.data[]": "data", "contract.documents[]": "document", "contract.phases[]": "phase", "contract.assets[]": "asset", "contract.scope[]": "scope", "parties[]": "party"}
    for path in RULEBOOK.questions:
        head, _, last = path.rpartition(".")
        if head == "history[]":
            assert last in {k.value for k in EventKind}, path
        elif head in lists:
            assert last in attributes[lists[head]], path
        else:
            assert head.startswith("contract") and path.removeprefix("contract.").replace(".", "_") in attributes["contract"], path
        schema_paths.add(path)
    assert len(schema_paths) >= 40


@pytest.mark.parametrize(
    ("unknown_case", "no_case", "yes_case", "finding", "severity", "to_establish"),
    [
        ("s7-var-engine-unknown", "s7-donor-database", "s7-var-engine-licensed",
         "data_deliverable_unusable@donors", "high", "data_readability_to_establish@donors"),
        ("s8-var-criteria-unknown", "s8-staged-pooling", "s8-var-criteria-written",
         "phase_transition_dispute", "high", "phase_gate_to_establish"),
        ("s8-var-inventory-unknown", "s8-staged-pooling", "s8-var-inventory-made",
         "obsolescence_defence_unsupported", "high", "obsolescence_defence_to_establish"),
    ],
)
def test_unknown_gives_a_question_and_known_no_gives_the_finding(unknown_case, no_case, yes_case, finding, severity, to_establish):
    """Sibling cases differing in one fact: known `no` gives the finding, unknown only a low
    'to be established' question, known `yes` neither (unknown is a question, not a finding)."""
    cases = bundled_cases()
    found = {
        name: {f.id: f.severity.value for f in assess(load_case(cases[name])).findings}
        for name in (unknown_case, no_case, yes_case)
    }
    assert found[no_case].get(finding) == severity
    assert to_establish not in found[no_case]
    assert finding not in found[unknown_case]
    assert found[unknown_case].get(to_establish) == "low"
    assert finding not in found[yes_case] and to_establish not in found[yes_case]
