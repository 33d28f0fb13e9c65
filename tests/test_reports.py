"""Graph exports, the expert's report (Markdown, HTML) and their command-line verbs."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from typing import Any

import attrs
import click
import networkx as nx
import pydot
import pytest
from click.testing import CliRunner
from helpers import ROOT
from markupsafe import escape

from reversibility_kb import assess, load_case
from reversibility_kb.inference.assessment import Assessment
from reversibility_kb.case.catalogue import bundled_cases
from reversibility_kb.cli.common import write_atomically
from reversibility_kb.cli.reports import register
from reversibility_kb.outputs.graphs import (
    canonical,
    finding_severities,
    svg_inline,
    to_dot,
    to_graphml,
    to_mermaid,
    to_node_link_json,
    to_svg,
)
from reversibility_kb.case.model import Text
from reversibility_kb.outputs.report import report_html, report_markdown
from reversibility_kb.outputs.report_i18n import WORDS

SOURCE_EXAMPLES = ("s7-donor-database", "s8-staged-pooling", "s9-outsourced-cio")
LANGS = ("fr", "en")
SVG_NS = "http://www.w3.org/2000/svg"
#: The only URLs a report may contain: XML namespaces of the inline SVG, never fetched.
NAMESPACES = {SVG_NS, "http://www.w3.org/1999/xlink"}
URL = re.compile(r"https?://[^\s\"'<>)]+", re.I)


@attrs.frozen
class Question:
    """The shape of an investigation-checklist item, as the report expects it."""

    text: Text
    document: Text
    weight: int


@pytest.fixture(scope="module")
def assessments() -> dict[str, Assessment]:
    cases = bundled_cases()
    return {case_id: assess(load_case(cases[case_id])) for case_id in SOURCE_EXAMPLES}


@pytest.fixture(scope="module")
def svgs(assessments) -> dict[str, str]:
    return {case_id: to_svg(a.graph, "en", finding_severities(a)) for case_id, a in assessments.items()}


@pytest.fixture(scope="module")
def html_reports(assessments) -> dict[tuple[str, str], str]:
    return {(case_id, lang): report_html(a, lang) for case_id, a in assessments.items() for lang in LANGS}


def _graphs(assessment: Assessment) -> list[nx.DiGraph]:
    """The whole graph and the explanation of the first finding."""
    return [assessment.graph, assessment.explain(assessment.findings[0].id)]


def _edges(graph: nx.DiGraph) -> set[tuple[str, str]]:
    return {(str(u), str(v)) for u, v in graph.edges}


def _reversed(graph: nx.DiGraph) -> nx.DiGraph:
    """The same graph, built in the opposite order."""
    out = nx.DiGraph()
    out.graph.update(reversed(list(graph.graph.items())))
    for node in reversed(list(graph.nodes)):
        out.add_node(node, **dict(reversed(list(graph.nodes[node].items()))))
    for u, v in reversed(list(graph.edges)):
        out.add_edge(u, v, **graph.edges[u, v])
    return out


# --------------------------------------------------------------------------------------------
# Exchange formats


@pytest.mark.parametrize("case_id", SOURCE_EXAMPLES)
def test_graphml_round_trip(assessments, case_id):
    for graph in _graphs(assessments[case_id]):
        back = nx.parse_graphml(to_graphml(graph))
        assert isinstance(back, nx.DiGraph)
        assert set(back.nodes) == set(graph.nodes)
        assert _edges(back) == _edges(graph)
        for node, data in graph.nodes(data=True):
            assert back.nodes[node] == data
        for u, v, data in graph.edges(data=True):
            assert back.edges[u, v] == data


@pytest.mark.parametrize("case_id", SOURCE_EXAMPLES)
def test_node_link_json_round_trip(assessments, case_id):
    for graph in _graphs(assessments[case_id]):
        text = to_node_link_json(graph)
        data = json.loads(text)
        assert "edges" in data and "links" not in data
        back = nx.node_link_graph(data, edges="edges")
        assert back.is_directed()
        assert set(back.nodes) == set(graph.nodes)
        assert _edges(back) == _edges(graph)
        assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))


@pytest.mark.parametrize("case_id", SOURCE_EXAMPLES)
def test_dot_parses_with_pydot(assessments, case_id):
    assessment = assessments[case_id]
    for graph in _graphs(assessment):
        parsed = pydot.graph_from_dot_data(to_dot(graph, finding_severities(assessment)))
        assert parsed is not None and len(parsed) == 1
        dot = parsed[0]
        assert dot.get_type() == "digraph"
        nodes = {n.get_name().strip('"') for n in dot.get_nodes()} - {"node", "edge", "graph"}
        assert nodes == {str(n) for n in graph.nodes}
        edges = {(e.get_source().strip('"'), e.get_destination().strip('"')) for e in dot.get_edges()}
        assert edges == _edges(graph)
        # findings are outlined (penwidth) and carry their severity
        by_name = {n.get_name().strip('"'): n for n in dot.get_nodes()}
        for finding in assessment.findings:
            node = by_name.get(f"conclusion:{finding.id}")
            if node is not None:
                assert node.get("severity").strip('"') == finding.severity.value


def test_dot_quotes_awkward_names_and_labels():
    graph = nx.DiGraph()
    graph.add_node('fact:a"b\\', kind="fact", label='say "hi" \\ <b>\nnext')
    graph.add_node("conclusion:x", kind="conclusion", label="x")
    graph.add_edge('fact:a"b\\', "conclusion:x", binding="a:b")
    (dot,) = pydot.graph_from_dot_data(to_dot(graph, findings={}))
    assert len([n for n in dot.get_nodes() if n.get_name() not in ("node", "edge", "graph")]) == 2
    assert len(dot.get_edges()) == 1


@pytest.mark.parametrize("case_id", SOURCE_EXAMPLES)
def test_mermaid_mentions_every_node_and_edge(assessments, case_id):
    assessment = assessments[case_id]
    graph = assessment.graph
    text = to_mermaid(graph, finding_severities(assessment))
    lines = text.splitlines()
    assert [line for line in lines if not line.startswith("%%")][0] == "flowchart LR"
    assert lines[0].startswith("%% case: ")  # provenance comments come first
    declared = {}
    for line in lines[1:]:
        match = re.match(r"^    ([A-Za-z][A-Za-z0-9_]*)(\[|\(\[|\{\{)\"([^\"]*)\"", line)
        if match:
            declared[match.group(1)] = match.group(3)
    assert len(declared) == graph.number_of_nodes()
    assert sorted(declared.values()) == sorted(str(d["label"]) for _, d in graph.nodes(data=True))
    arrows = [line for line in lines if " --> " in line]
    assert len(arrows) == graph.number_of_edges()
    for line in arrows:
        source, target = line.strip().split(" --> ")
        assert source in declared and target in declared
    for finding in assessment.findings:
        assert re.search(rf"^    class .*\b{finding.severity.value}$", text, re.M)


def test_mermaid_sanitises_ids_and_escapes_labels():
    graph = nx.DiGraph()
    graph.add_node("fact:a-b", kind="fact", label='a "quoted" <script>alert(1)</script> #1 & `x`')
    graph.add_node("fact:a_b", kind="fact", label="collides once sanitised")
    graph.add_node("end", kind="conclusion", label="end")
    graph.add_edge("fact:a-b", "end")
    graph.add_edge("fact:a_b", "end")
    text = to_mermaid(graph, findings={})
    ids = re.findall(r"^    ([^\s\[\(\{]+)[\[\(\{]", text, re.M)
    assert len(ids) == len(set(ids)) == 3
    assert all(re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", i) for i in ids)
    assert "end" not in ids  # a Mermaid keyword
    assert "<" not in text and ">" not in text.replace("-->", "")
    assert "`" not in text
    for line in text.splitlines():
        if "[" in line and not line.strip().startswith(("class", "classDef")):
            assert line.count('"') == 2  # only the quotes around the label


# --------------------------------------------------------------------------------------------
# Picture


@pytest.mark.parametrize("case_id", SOURCE_EXAMPLES)
def test_svg_is_well_formed_and_self_contained(svgs, case_id):
    svg = svgs[case_id]
    root = ET.fromstring(svg.encode("utf-8"))
    assert root.tag == f"{{{SVG_NS}}}svg"
    assert root.find(f"{{{SVG_NS}}}title") is not None
    assert set(URL.findall(svg)) <= NAMESPACES
    assert "<script" not in svg.lower() and "<image" not in svg.lower() and "<!--" not in svg


@pytest.mark.parametrize("case_id", SOURCE_EXAMPLES)
def test_svg_is_identical_across_runs(assessments, svgs, case_id):
    assessment = assessments[case_id]
    again = to_svg(assessment.graph, "en", finding_severities(assessment))
    assert again == svgs[case_id]


def test_svg_is_identical_across_processes(tmp_path):
    script = (
        "import sys\n"
        "from reversibility_kb import assess, load_case\n"
        "from reversibility_kb.case.catalogue import bundled_cases\n"
        "from reversibility_kb.outputs.graphs import finding_severities, to_svg\n"
        "a = assess(load_case(bundled_cases()['s9-outsourced-cio']))\n"
        "sys.stdout.write(to_svg(a.graph, 'fr', finding_severities(a)))\n"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT), "MPLCONFIGDIR": str(tmp_path / f"mpl{seed}")}
        result = subprocess.run([sys.executable, "-c", script], capture_output=True, env=env, check=False)
        assert result.returncode == 0, result.stderr.decode()
        outputs.append(result.stdout)
    assert outputs[0] == outputs[1] and outputs[0].startswith(b"<?xml")


def test_svg_language_and_findings(assessments):
    assessment = assessments["s7-donor-database"]
    graph = assessment.explain("deliverable_wording_disputed")
    fr, en = to_svg(graph, "fr", finding_severities(assessment)), to_svg(graph, "en", finding_severities(assessment))
    assert "<title>Faits → règles appliquées → conclusions</title>" in fr
    assert "<title>Facts → rules applied → conclusions</title>" in en
    # without an explicit mapping, the findings are worked out from the bundled rulebook
    assert to_svg(graph, "en") == en


def test_svg_of_awkward_and_empty_graphs():
    graph = nx.DiGraph()
    graph.add_node("fact:$x$", kind="fact", label="$\\frac{1}{2}$ --> <script>alert(1)</script>")
    graph.add_node("conclusion:c", kind="conclusion", label="c")
    graph.add_edge("fact:$x$", "conclusion:c")
    svg = to_svg(graph, "en", findings={"c": "high"})
    ET.fromstring(svg.encode("utf-8"))
    assert "<script" not in svg
    ET.fromstring(to_svg(nx.DiGraph(), "fr").encode("utf-8"))


@pytest.mark.parametrize("export", [to_graphml, to_node_link_json, to_dot, to_mermaid, lambda g: to_svg(g, "en")])
def test_exports_do_not_depend_on_insertion_order(assessments, export):
    assessment = assessments["s8-staged-pooling"]
    graph = assessment.explain("phase_transition_dispute")
    assert export(graph) == export(_reversed(graph))
    assert list(canonical(graph).nodes) == list(canonical(_reversed(graph)).nodes)


def test_svg_inline_drops_the_xml_declaration(svgs):
    inline = svg_inline(svgs["s7-donor-database"])
    assert inline.startswith("<svg") and "<?xml" not in inline and "DOCTYPE" not in inline


# --------------------------------------------------------------------------------------------
# Reports


def test_report_words_exist_in_both_languages():
    for key, texts in WORDS.items():
        assert set(texts) == set(LANGS), key
        assert all(texts[lang].strip() for lang in LANGS), key


def _theme_codes(markdown: str) -> list[int]:
    return [int(n) for n in re.findall(r"^### \S+ S(\d+) — ", markdown, re.M)]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case_id", SOURCE_EXAMPLES)
def test_markdown_report_is_complete_and_in_one_language(assessments, case_id, lang):
    assessment = assessments[case_id]
    other = "en" if lang == "fr" else "fr"
    text = report_markdown(assessment, lang)
    data = assessment.to_dict()
    for value in (data["case"], data["rulebook_digest"], data["case_digest"], data["library_version"], data["as_of"]):
        assert value in text
    assert WORDS["report_kind"][lang] in text
    for finding in assessment.findings:
        assert finding.title.in_(lang) in text.replace("\\", "")
        assert finding.recommendation.in_(lang) in text.replace("\\", "")
        if finding.title.in_(other) != finding.title.in_(lang):
            assert finding.title.in_(other) not in text
        for practice_id in finding.practices:
            practice = assessment.rulebook.practices[practice_id]
            assert practice.title.in_(lang) in text.replace("\\", "")
            assert practice.evidence.in_(lang) in text.replace("\\", "")
        for seed_id in finding.sources:
            assert f"**{seed_id}** — " in text
    for key in ("findings", "summary", "recommendations", "checklist", "graph", "checklist_empty"):
        assert WORDS[key][lang] in text
        assert WORDS[key][other] not in text
    codes = _theme_codes(text)
    assert codes == sorted(codes) and len(codes) == len(set(codes))
    rulebook = assessment.rulebook
    first_sections = {int(rulebook.rule(f.rule).sources[0][1:].split(".")[0]) for f in assessment.findings}
    assert set(codes) == first_sections
    assert "```mermaid\n%% case: " in text and "\nflowchart LR\n" in text


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case_id", SOURCE_EXAMPLES)
def test_html_report_is_complete_and_in_one_language(assessments, html_reports, case_id, lang):
    assessment = assessments[case_id]
    other = "en" if lang == "fr" else "fr"
    page = html_reports[(case_id, lang)]
    assert page.startswith("<!DOCTYPE html>") and f'<html lang="{lang}">' in page
    data = assessment.to_dict()
    for value in (data["case"], data["rulebook_digest"], data["case_digest"], data["library_version"]):
        assert value in page
    assert str(escape(assessment.case.title.in_(lang))) in page
    for finding in assessment.findings:
        assert str(escape(finding.title.in_(lang))) in page
        assert str(escape(finding.rationale.in_(lang))) in page
        assert str(escape(finding.recommendation.in_(lang))) in page
        if finding.title.in_(other) != finding.title.in_(lang):
            assert str(escape(finding.title.in_(other))) not in page
        for practice_id in finding.practices:
            assert str(escape(assessment.rulebook.practices[practice_id].description.in_(lang))) in page
    for key in ("findings", "summary", "recommendations", "checklist", "graph"):
        assert str(escape(WORDS[key][lang])) in page
        assert str(escape(WORDS[key][other])) not in page


@pytest.mark.parametrize("case_id", SOURCE_EXAMPLES)
def test_html_report_is_self_contained(html_reports, case_id):
    page = html_reports[(case_id, "en")]
    assert set(URL.findall(page)) <= NAMESPACES
    lowered = page.lower()
    for forbidden in ("<script", "<link", "<iframe", "<object", "<embed", "<img", " src=", "@import", "@font-face"):
        assert forbidden not in lowered, forbidden
    assert not re.search(r"url\((?!#)", lowered)  # only references inside the page (url(#clip))
    assert "content-security-policy" in lowered
    svg = re.search(r"<svg\b.*?</svg>", page, re.S)
    assert svg is not None
    ET.fromstring(svg.group(0).encode("utf-8"))


def _hostile(assessment: Assessment) -> Assessment:
    """The same case with markup in its title and narrative (a case file is not trusted)."""
    hostile = '<script>alert("x")</script> & <img src=x onerror=alert(1)> **bold** [link](http://evil.example)'
    case = attrs.evolve(
        assessment.case,
        title=Text(fr=f"Dossier {hostile}", en=f"Case {hostile}"),
        narrative=Text(fr=f"Récit {hostile}", en=f"Story {hostile}"),
    )
    return assess(case)


def test_html_escapes_case_text(assessments):
    page = report_html(_hostile(assessments["s7-donor-database"]), "en")
    assert "<script" not in page.lower()
    assert "<img" not in page.lower()
    assert "&lt;script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "http://evil.example" in page  # shown as text …
    assert 'href="http' not in page  # … never as a link


def test_markdown_neutralises_case_text(assessments):
    text = report_markdown(_hostile(assessments["s7-donor-database"]), "fr")
    assert "<script" not in text and "<img" not in text
    assert "&lt;script&gt;" in text
    assert "\\[link\\](http" in text and "[link](" not in text  # no live Markdown link
    assert "\\*\\*bold\\*\\*" in text


def test_checklist_renders_questions_in_order_and_escaped(assessments):
    questions = [
        Question(Text(fr="Le test de restauration a-t-il eu lieu ?", en="Did the restore test take place?"),
                 Text(fr="Procès-verbal de test", en="Test record"), 5),
        Question(Text(fr="Qui détient la licence <moteur> ?", en="Who holds the <engine> licence?"),
                 Text(fr="Contrat de licence", en="Licence agreement"), 3),
    ]
    assessment = assessments["s7-donor-database"]
    page = report_html(assessment, "en", questions)
    first, second = page.index("Did the restore test take place?"), page.index("Who holds the &lt;engine&gt; licence?")
    assert first < second
    assert "Test record" in page and "Licence agreement" in page
    assert WORDS["checklist_intro"]["en"] in page and WORDS["checklist_empty"]["en"] not in page
    text = report_markdown(assessment, "fr", questions)
    assert text.index("Le test de restauration a-t-il eu lieu ?") < text.index("Qui détient la licence &lt;moteur&gt; ?")
    assert "| 1 | Le test de restauration a-t-il eu lieu ? | Procès-verbal de test | 5 |" in text
    assert WORDS["checklist_empty"]["fr"] not in text
    assert WORDS["checklist_empty"]["en"] in report_html(assessment, "en")


@pytest.mark.parametrize("lang", LANGS)
def test_reports_are_deterministic(assessments, html_reports, lang):
    assessment = assessments["s8-staged-pooling"]
    assert report_markdown(assessment, lang) == report_markdown(assessment, lang)
    assert report_html(assessment, lang) == html_reports[("s8-staged-pooling", lang)]


def test_report_rejects_an_unknown_language(assessments):
    with pytest.raises(ValueError, match="de"):
        report_markdown(assessments["s7-donor-database"], "de")


# --------------------------------------------------------------------------------------------
# Command line


@pytest.fixture()
def run():
    group = click.Group()
    register(group)
    runner = CliRunner()

    def invoke(*args: str) -> Any:
        return runner.invoke(group, list(args), catch_exceptions=False)

    return invoke


@pytest.mark.parametrize("fmt", ["svg", "graphml", "json", "dot", "mermaid"])
def test_graph_verb_writes_every_format(run, tmp_path, fmt, assessments):
    out = tmp_path / f"graph.{fmt}"
    result = run("graph", "s9-outsourced-cio", "--format", fmt, "--finding", "reversibility_blocked", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    text = out.read_text(encoding="utf-8")
    graph = assessments["s9-outsourced-cio"].explain("reversibility_blocked")
    if fmt == "json":
        assert set(nx.node_link_graph(json.loads(text), edges="edges").nodes) == set(graph.nodes)
    elif fmt == "graphml":
        assert set(nx.parse_graphml(text).nodes) == set(graph.nodes)
    elif fmt == "svg":
        ET.fromstring(text.encode("utf-8"))
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no temporary file left behind


def test_graph_verb_prints_to_stdout(run):
    result = run("graph", "s7-donor-database", "--format", "mermaid")
    assert result.exit_code == 0
    assert result.stdout.startswith("%% case: ") and "\nflowchart LR\n" in result.stdout


@pytest.mark.parametrize("lang", LANGS)
def test_report_verb(run, tmp_path, lang):
    out = tmp_path / "report.html"
    result = run("report", "s8-staged-pooling", "--format", "html", "--lang", lang, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    markdown = run("report", "s8-staged-pooling", "--format", "md", "--lang", lang)
    assert markdown.exit_code == 0 and markdown.stdout.startswith(f"# {WORDS['report_kind'][lang]}\n")


def test_report_verb_includes_the_investigation_checklist(run, assessments):
    from reversibility_kb.cli.reports import checklist

    assessment = assessments["s7-donor-database"]
    expected = checklist(assessment)
    result = run("report", "s7-donor-database", "--format", "html", "--lang", "fr")
    assert result.exit_code == 0, result.output
    assert result.stdout == report_html(assessment, "fr", expected)
    for question in expected:
        assert str(escape(question.text.fr)) in result.stdout
    without = run("report", "s7-donor-database", "--format", "md", "--lang", "fr", "--no-questions")
    assert WORDS["checklist_empty"]["fr"] in without.stdout


def test_main_command_line_has_the_report_verbs():
    from reversibility_kb.cli.main import main

    assert {"report", "graph"} <= set(main.commands)


@pytest.mark.parametrize(
    "args",
    [
        ("graph", "no-such-case", "--format", "svg"),
        ("graph", "s7-donor-database", "--format", "svg", "--finding", "no_such_finding"),
        ("report", "no-such-case", "--format", "md"),
        ("report", "s7-donor-database", "--format", "md", "-o", "/nonexistent-dir/report.md"),
    ],
)
def test_bad_input_is_one_line_and_status_2(run, args):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: ")


def test_atomic_write_replaces_and_keeps_old_file_on_failure(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    write_atomically(target, "new ✓")
    assert target.read_text(encoding="utf-8") == "new ✓"

    with pytest.raises(TypeError):
        write_atomically(target, 42)  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "new ✓"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]
