"""The command line and its JSON contract, which other tools rely on."""

from __future__ import annotations

import json

import networkx as nx
import pytest
from helpers import ROOT, cli

from reversibility_kb import assess, load_case

#: The main finding of each source example, whose explanation must chain several rules.
MAIN_FINDINGS = {
    "s7-donor-database": "deliverable_wording_disputed",
    "s8-staged-pooling": "phase_transition_dispute",
    "s9-outsourced-cio": "contract_challenged",
}


def test_assess_json_contract(tmp_path):
    result = cli("assess", "s7-donor-database", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["case"] == "s7-donor-database"
    assert data["findings"], "the first source example must give findings"
    for finding in data["findings"]:
        assert {"id", "rule", "severity", "sources", "title"} <= finding.keys()
        assert finding["severity"] in ("high", "medium", "low", "info")
        assert all(s.startswith("S") for s in finding["sources"])
    assert "data_deliverable_unusable@donors" in {f["id"] for f in data["findings"]}


@pytest.mark.parametrize("case", sorted(MAIN_FINDINGS))
def test_explain_json_is_node_link_from_causes_to_conclusion(case, tmp_path):
    result = cli("explain", case, MAIN_FINDINGS[case], "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    graph = nx.node_link_graph(json.loads(result.stdout), edges="edges")
    kinds = nx.get_node_attributes(graph, "kind")
    assert set(kinds.values()) == {"fact", "firing", "conclusion"}
    target = f"conclusion:{MAIN_FINDINGS[case]}"
    assert graph.out_degree(target) == 0  # oriented from causes to the conclusion
    roots = [n for n in graph if graph.in_degree(n) == 0]
    assert roots and all(kinds[n] == "fact" for n in roots)
    # a chain of at least three firings: conclusions feeding rules feeding rules
    longest = max(
        sum(kinds[n] == "firing" for n in path)
        for root in roots
        for path in nx.all_simple_paths(graph, root, target)
    )
    assert longest >= 3


def test_explain_text_lists_rules_with_sources():
    result = cli("explain", "s9-outsourced-cio", "reversibility_blocked", "--lang", "fr")
    assert result.returncode == 0, result.stderr
    assert "[`exit-tied-to-condition`; S9.a]" in result.stdout
    assert "L'échec du projet bloque la réversibilité" in result.stdout


def test_explain_unknown_finding_is_a_usage_error():
    result = cli("explain", "s7-donor-database", "no_such_finding")
    assert result.returncode == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1
    assert "no_such_finding" in result.stderr


def test_rules_json_lists_sources():
    data = json.loads(cli("rules", "--format", "json").stdout)
    assert {"reversibility-data-unusable", "phase-transition-dispute"} <= {r["id"] for r in data}
    assert all(r["sources"] for r in data)


def test_cases_json_paths_exist_outside_the_checkout(tmp_path):
    result = cli("cases", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"s7-donor-database", "s8-staged-pooling", "s9-outsourced-cio"} <= {c["id"] for c in data}
    from pathlib import Path

    assert all(Path(c["path"]).is_file() for c in data)


@pytest.mark.parametrize("fmt", ["text", "md", "json"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_assess_output_is_byte_for_byte_deterministic(fmt, lang):
    runs = [cli("assess", "s8-staged-pooling", "--format", fmt, "--lang", lang, env={"PYTHONHASHSEED": seed}) for seed in ("1", "2")]
    assert runs[0].returncode == 0, runs[0].stderr
    assert runs[0].stdout == runs[1].stdout


def test_library_and_cli_agree():
    data = json.loads(cli("assess", "s9-outsourced-cio", "--format", "json").stdout)
    assessment = assess(load_case(ROOT / "cases" / "s9-outsourced-cio.yaml"))
    assert [f["id"] for f in data["findings"]] == [f.id for f in assessment.findings]


def test_french_output_is_french():
    result = cli("assess", "s8-staged-pooling", "--lang", "fr", "--format", "md")
    assert "## Constats" in result.stdout
    assert "Les phases contractuelles ne se sont pas déroulées comme prévu" in result.stdout


def test_schema_verb_prints_the_schema():
    assert json.loads(cli("schema").stdout)["$ref"] == "#/$defs/Case"


def test_the_readme_table_says_what_each_verb_takes():
    """Every verb of the command line has a row in the README's table, naming its arguments."""
    import re

    import click

    from helpers import ROOT
    from reversibility_kb.cli.main import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows: dict[str, str] = {}
    for verb, takes in re.findall(r"^\| `([a-z-]+)` \| (.+?) \|", readme, flags=re.M):
        rows[verb] = rows.get(verb, "") + takes
    context = click.Context(main)
    verbs = main.list_commands(context)
    assert sorted(set(verbs) - set(rows)) == []
    assert sorted(set(rows) - set(verbs)) == []
    for verb in verbs:
        command = main.get_command(context, verb)
        for parameter in command.params:
            if isinstance(parameter, click.Argument):
                name = parameter.name.upper().replace("_", "-")
                assert name.rstrip("S") in rows[verb] or name in rows[verb], (verb, name)
