"""Case files of the first format keep loading unchanged; the second format is declared."""

from __future__ import annotations

import pytest
import yaml

from reversibility_kb import load_case
from reversibility_kb.case.catalogue import bundled_cases
from reversibility_kb.case.loading import CaseError

CASES = bundled_cases()


def test_first_format_files_load_as_version_1_and_new_files_declare_version_2():
    versions, public = {}, set()
    for case_id, path in CASES.items():
        declared = yaml.safe_load(path.read_text(encoding="utf-8")).get("schema_version")
        case = load_case(path)
        versions[case_id] = (declared, case.schema_version)
        if "public-record" in case.tags:
            public.add(case_id)
    assert versions["s7-donor-database"] == (None, 1)
    assert len(public) == 12 and {versions[cid] for cid in public} == {(2, 2)}


def test_an_unknown_format_version_is_refused_in_one_line(tmp_path):
    text = CASES["s7-donor-database"].read_text(encoding="utf-8")
    path = tmp_path / "future.yaml"
    path.write_text("schema_version: 3\n" + text, encoding="utf-8")
    with pytest.raises(CaseError) as error:
        load_case(path)
    assert "schema_version" in str(error.value) and "\n" not in str(error.value)


def test_a_version_1_file_may_use_version_2_fields_only_by_declaring_nothing_else():
    """Version 2 only adds optional fields: the same file loads with or without the declaration,
    and gives the same facts."""
    from reversibility_kb.inference.facts import case_facts

    text = CASES["real-parler-aws-suspension"].read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    without = {k: v for k, v in data.items() if k != "schema_version"}
    from reversibility_kb.case.loading import structure_case

    assert case_facts(structure_case(without, "x.yaml")) == case_facts(structure_case(data, "x.yaml"))


def test_a_case_built_in_code_with_a_dangling_reference_is_a_case_error_not_a_key_error():
    import attrs

    from reversibility_kb import assess

    case = load_case(CASES["s8-staged-pooling"])
    stray = attrs.evolve(case.history[-1], id="e-stray", by="nobody")
    with pytest.raises(CaseError, match=r"history\[\d+\]\.by: expected the id of a party, got 'nobody'"):
        assess(attrs.evolve(case, history=case.history + (stray,)))
