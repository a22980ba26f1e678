"""The local extensions' building blocks, each tested alone (no Sphinx build)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import REPO

sys.path.insert(0, str(REPO / "tools"))

from pybtex.database import parse_string

from academic_portfolio.data import datafiles
from academic_portfolio.data.sources import result
from academic_portfolio.metadata import discovery, favicons
from academic_portfolio.projects import directives as projects
from academic_portfolio.text import bibstyle

bibstyle.register_plugins()

# Pure: a test whose fixtures build a site is marked build by conftest.py.
pytestmark = pytest.mark.pure


def test_slots_keep_data_out_of_markup():
    from docutils import nodes

    slot = datafiles.Slots()
    tree = [
        nodes.paragraph(
            "", f"Kind: {slot('<b>*x*</b> & [y](z)')} and {slot(nodes.strong('', 'S'))}"
        )
    ]
    slot.fill(tree)
    paragraph = tree[0]
    assert paragraph.astext() == "Kind: <b>*x*</b> & [y](z) and S"
    assert isinstance(paragraph[1], nodes.Text) and isinstance(paragraph[3], nodes.strong)


def test_schema_errors_name_the_line_and_the_field(tmp_path):
    text = "title: T\nresults:\n  - value: 1\n    label: x\n"
    data, node = datafiles.load_yaml(text, tmp_path / "p.md", first_line=2)
    schema = {
        "type": "object",
        "properties": {
            "results": {
                "type": "array",
                "items": {"type": "object", "properties": {"value": {"type": "string"}}},
            }
        },
    }
    with pytest.raises(datafiles.DataFileError) as caught:
        datafiles.validate(data, node, schema, tmp_path / "p.md", first_line=2)
    problem = caught.value.problems[0]
    assert problem.line == 4 and problem.message.startswith("results[1].value:")


def test_front_matter_is_found_with_its_first_line():
    assert datafiles.split_front_matter("---\na: 1\n---\n# T\n") == ("a: 1", 2)
    assert datafiles.split_front_matter("# No front matter\n") is None


def test_month_names_and_chart_scale():
    assert datafiles.month_name("2022-08") == "Aug 2022"
    pair = result({"label": "error rate", "before": "8.00%", "after": "2.00%"})
    html = projects.chart_html([pair])
    assert "width: 100.0%" in html and "width: 25.0%" in html
    assert "Error rate: 8.00% before, 2.00% after." in html


BIB = """@inproceedings{k, author = {Liu, Chen and Zhao, Ziqi and Doe, Jane},
 title = {A {GPU} Title}, booktitle = {Conf}, year = {2022},
 equal_contribution = {Liu, Chen and Zhao, Ziqi}}"""


def test_style_bolds_the_owner_marks_equal_contribution_and_keeps_case():
    entry = parse_string(BIB, "bibtex").entries["k"]
    owner = bibstyle.Person("Zhao, Ziqi")
    text = bibstyle.PortfolioStyle(owner=owner).format_entry("k", entry).text
    assert "Chen Liu*, <strong>Ziqi Zhao*</strong>, and Jane Doe." in text.render_as("html")
    assert text.render_as("text").startswith("A GPU Title.")  # the title first


def test_newest_first_sorting():
    data = parse_string(
        "@misc{a, title={A}, year={2020}}\n@misc{b, title={B}, year={2022}}", "bibtex"
    )
    keys = [e.key for e in bibstyle.NewestFirst().sort(data.entries.values())]
    assert keys == ["b", "a"]


def test_link_report_lists_only_failing_links():
    results = [
        {"filename": "a.md", "lineno": 3, "status": "broken", "code": 404, "uri": "https://x.invalid/", "info": "404"},
        {"filename": "a.md", "lineno": 4, "status": "working", "code": 200, "uri": "https://ok.invalid/", "info": ""},
    ]  # fmt: skip
    from academic_portfolio import linkcheck

    printed = linkcheck.report(linkcheck.merge_by_uri(results))
    assert "BROKEN" in printed and "https://x.invalid/" in printed and "ok.invalid" not in printed


def test_link_report_merges_a_uri_met_twice():
    from academic_portfolio import linkcheck

    seen = [
        {"filename": "a.md", "lineno": 3, "status": "broken", "code": 404, "uri": "https://x.invalid/", "info": "404"},
        {"filename": "b.md", "lineno": 7, "status": "broken", "code": 404, "uri": "https://x.invalid/", "info": "404"},
    ]  # fmt: skip
    [link] = linkcheck.merge_by_uri(seen)
    assert link.places == ["a.md:3", "b.md:7"]
    assert linkcheck.report([link]).count("https://x.invalid/") == 1


def test_a_network_that_is_down_is_told_even_beside_the_engines_own_files(tmp_path: Path):
    """A new site offline read "4 broken links": its links to cv.pdf and refs.bib
    (and since, to the RIS and CSL-JSON downloads and each paper's own files),
    which the engine writes after the pages, counted as broken, so the network
    did not look down."""
    from academic_portfolio import linkcheck

    refused = "Caused by NewConnectionError('...: [Errno 111] Connection refused')"
    results = [
        {"filename": "cv.md", "lineno": 9, "status": "broken", "code": 0, "uri": "cv.pdf", "info": ""},
        {"filename": "p/x.md", "lineno": 4, "status": "broken", "code": 0, "uri": "../refs.bib", "info": ""},
        {"filename": "p/x.md", "lineno": 4, "status": "broken", "code": 0, "uri": "../refs.ris", "info": ""},
        {"filename": "p/x.md", "lineno": 4, "status": "broken", "code": 0, "uri": "../../refs.json", "info": ""},
        {"filename": "publications/a-b/index.md", "lineno": 6, "status": "broken", "code": 0, "uri": "../../publications/a-b/a-b.ris", "info": ""},
        {"filename": "index.md", "lineno": 14, "status": "broken", "code": 0, "uri": "https://example.org/", "info": refused},
    ]  # fmt: skip
    output = tmp_path / "output.json"
    output.write_text("".join(json.dumps(result) + "\n" for result in results))
    links = linkcheck.merge_by_uri(linkcheck.read_results(output))
    assert [link.uri for link in links] == ["https://example.org/"]
    assert linkcheck.network_down(links) == "could not connect to any host"


def test_generated_pages_are_written_on_change_only_and_pruned(tmp_path: Path):
    import os

    from academic_portfolio.data import generated, paperfiles
    from academic_portfolio.data.refsbib import Bibliography

    bib = Bibliography(tmp_path / "refs.bib", parse_string(BIB, "bibtex"), {"k": "k"})
    pages = {f"publications/{slug}": text for slug, text in paperfiles.paper_pages(bib).items()}
    (tmp_path / "publications").mkdir()
    (tmp_path / "publications" / "old.md").write_text("an entry removed since")
    assert generated.write_pages(tmp_path, pages) == ["publications/old"]
    page = tmp_path / "publications" / "k.md"
    assert [p.name for p in page.parent.iterdir()] == ["k.md"]
    assert page.read_text() == paperfiles.GENERATED_MARK + "\n```{paper} k\n```\n"
    os.utime(page, ns=(1, 1))  # Sphinx reads a page again when its file is newer
    assert generated.write_pages(tmp_path, pages) == []
    assert page.stat().st_mtime_ns == 1


def test_generated_documents_live_at_their_url_and_are_read_from_the_build(tmp_path: Path):
    from academic_portfolio.data.generated import GeneratedProject

    src, source = tmp_path / "src", tmp_path / "build" / "publications" / "k.md"
    (src / "publications").mkdir(parents=True)
    (src / "publications" / "index.md").write_text("# P\n")
    source.parent.mkdir(parents=True)
    source.write_text("# K\n")
    project = GeneratedProject(src, [".md"], {"publications/k": source})
    assert project.discover() == {"publications/index", "publications/k"}
    assert project.doc2path("publications/k", absolute=True) == source
    # Relative to the sources, where its URL places it: links, suffix, search index.
    assert str(project.doc2path("publications/k", absolute=False)) == "publications/k.md"
    assert project.path2doc(source) == "publications/k"
    assert project.doc2path("publications/index", absolute=True) == src / "publications/index.md"


def test_sitemap_escapes_urls_and_robots_points_to_it():
    xml = discovery.sitemap_xml(["https://x.invalid/a?b=1&c=2"])
    assert "<loc>https://x.invalid/a?b=1&amp;c=2</loc>" in xml
    assert 'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"' in xml
    assert "Sitemap: https://x.invalid/en/sitemap.xml" in discovery.robots_txt(
        "https://x.invalid/en/"
    )


def test_favicon_links_go_through_pathto():
    tags = favicons.link_tags(lambda name, resource: f"/prefix/{name}")
    assert (
        tags[0]
        == '<link rel="icon" href="/prefix/_static/favicon.svg" type="image/svg+xml" sizes="any">'
    )
    assert [t.split('"')[1] for t in tags] == ["icon", "icon", "apple-touch-icon"]


def test_the_style_is_found_by_name_among_pybtex_entry_points():
    import pybtex.plugin

    bibstyle.register_plugins()
    unsrt = pybtex.plugin.find_plugin("pybtex.style.formatting", "unsrt")  # an entry point
    assert unsrt.__module__ == "pybtex.style.formatting.unsrt"
    assert (
        pybtex.plugin.find_plugin("pybtex.style.formatting", "portfolio") is bibstyle.ListOrderStyle
    )
    assert pybtex.plugin.find_plugin("pybtex.database.input", filename="refs.bib")  # by suffix
    assert bibstyle.PortfolioStyle().owner is None  # no owner unless given: no shared state


def test_data_files_are_checked_again_only_when_changed_or_missing(tmp_path):
    from academic_portfolio.data.store import checked

    cache, path, calls = {}, tmp_path / "data.yaml", []

    def check():
        calls.append(path.read_text() if path.exists() else None)
        return len(calls)

    path.write_text("")
    assert checked(cache, path, check) == 1
    assert checked(cache, path, check) == 1  # unchanged: not checked again
    path.unlink()  # missing: checked (and so reported) every time, even after an empty file
    checked(cache, path, check)
    checked(cache, path, check)
    path.write_text("a: 1\n")
    checked(cache, path, check)
    assert calls == ["", None, None, "a: 1\n"]
