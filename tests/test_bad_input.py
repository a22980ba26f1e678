"""Every kind of bad input stops the build with a clear message, never a traceback.

Each test breaks one file in a private copy of a made-up portfolio
(tests/fixtures/small-site, the smallest, or tests/fixtures/other-portfolio
where the edit needs the whole engine): what is tested is the engine's answer,
not the owner's facts. It expects a non-zero exit, a message naming the file
(and line, where there is one) and what is wrong.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import SMALL_SOURCES

pytestmark = pytest.mark.build

# -- Pages and toctrees ---------------------------------------------------------


def test_unknown_page_in_a_toctree_stops_the_build(broken_site):
    def edit(src: Path):
        index = src / "index.md"
        index.write_text(
            index.read_text().replace("research/index\n", "research/index\nno-such-page\n")
        )

    code, log, _ = broken_site(edit, SMALL_SOURCES)
    assert code != 0
    assert "index.md" in log and "no-such-page" in log
    assert "Traceback" not in log


def test_page_outside_every_toctree_stops_the_build(broken_site):
    def edit(src: Path):
        (src / "stray.md").write_text("# A stray page\n\nNobody links here.\n")

    code, log, _ = broken_site(edit, SMALL_SOURCES)
    assert code != 0
    assert "stray.md" in log and "isn't included in any toctree" in log
    assert "Traceback" not in log


def test_missing_bibliography_file_stops_the_build(broken_site):
    code, log, _ = broken_site(lambda src: (src / "refs.bib").unlink(), SMALL_SOURCES)
    assert code != 0
    assert re.search(r"ERROR: \S+/refs\.bib: the bibliography file is missing\.", log), log
    assert "Traceback" not in log


# -- Project front matter ---------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("supervisor: Prof. Example\n", ""), "the required field 'supervisor' is missing"),
        (
            ("kind: Research project\n", "kind: Research project\nvenue: ICDCS\n"),
            "unknown field 'venue'",
        ),
        (("start: 2021-01\n", "start: Jan 2021\n"), "'Jan 2021' is malformed"),
    ],
)
def test_bad_front_matter_stops_the_build_naming_file_line_and_field(build_stops, change, expected):
    log = build_stops(
        "research/alpha.md", change, r"research/alpha\.md:\d+: ERROR: ", SMALL_SOURCES
    )
    assert expected in log


def test_project_page_without_front_matter_stops_the_build(build_stops):
    build_stops(
        "research/alpha.md",
        ("---\ntitle:", "title:"),
        r"research/alpha\.md:1: ERROR: a project page must start with front matter",
        SMALL_SOURCES,
    )


# -- refs.bib and citations -------------------------------------------------------

BAD_BIB = [
    (("  title = {Beta:", "  title = {{Beta:"), r"refs\.bib:\d+: ERROR: BibTeX syntax error"),
    (("@article{example2021beta,", "@article{example2022alpha,"), r"refs\.bib:\d+: ERROR: the key 'example2022alpha' is used by two entries"),
    (("  year = {2021}\n", ""), r"refs\.bib:\d+: ERROR: entry 'example2021beta': a @article needs the field 'year': add it"),
    (("  author = {Other, Bob and Example, Ada},\n", ""), r"entry 'example2021beta': a @article needs the field 'author': add it"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "expected"), BAD_BIB)
def test_bad_refs_bib_stops_the_build(build_stops, change, expected):
    build_stops("refs.bib", change, expected, SMALL_SOURCES)


def test_unknown_cite_key_stops_the_build(build_stops):
    build_stops(
        "research/alpha.md",
        ("{cite:p}`example2022alpha`", "{cite:p}`nosuchkey2099`"),
        r"research/alpha\.md:\d+: WARNING: could not find bibtex key \"nosuchkey2099\"",
        SMALL_SOURCES,
    )


# -- CV data --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("    end: 2022-06\n", "    end: 2022-06\n    grade: A\n"), r"cv\.yaml:\d+: ERROR: education\[1\]: unknown field 'grade'"),
        (("    role: Intern\n", ""), r"cv\.yaml:\d+: ERROR: experience\[1\]: the required field 'role' is missing"),
        (("    start: 2021-07\n", "    start: July 2021\n"), r"cv\.yaml:\d+: ERROR: experience\[1\]\.start: 'July 2021' is malformed"),
        (("  email: ada@example.org\n", "  email: [oops\n"), r"cv\.yaml:\d+: ERROR: this is not valid YAML"),
        # Year 0 passed the check and stopped the build with "ValueError: year 0 is out of range".
        (("    start: 2021-07\n", "    start: 0000-09\n"), r"cv\.yaml:\d+: ERROR: experience\[1\]\.start: '0000-09' is malformed: write a month as YYYY-MM, e\.g\. 2020-09\."),
    ],
)  # fmt: skip
def test_bad_cv_data_stops_the_build(build_stops, change, expected):
    build_stops("_data/cv.yaml", change, expected, SMALL_SOURCES)


# -- Real-world input through the whole build ---------------------------------------


def test_a_key_named_index_stops_the_build_and_changes_no_file(tmp_path):
    """Before, @misc{index,...} overwrote publications/index.md, and removing
    the entry then deleted it."""
    import shutil
    import subprocess

    from conftest import build

    src = tmp_path / "src"
    shutil.copytree(SMALL_SOURCES, src)
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t.invalid", "-C", str(src)]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "site"], check=True)
    with (src / "refs.bib").open("a") as bib:
        bib.write(
            "\n@misc{index,\n  author = {Example, Ada},\n  title = {Index},\n  year = {2024},\n}\n"
        )
    result = build(src, tmp_path / "html")
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in log
    assert (
        "entry 'index': its page address /publications/index/ is taken by the page publications/index.md"
        in log
    )
    status = subprocess.run(
        [*git, "status", "--porcelain"], capture_output=True, text=True, check=True
    )
    assert status.stdout == " M refs.bib\n"


def test_bibliographies_nobody_here_wrote_build_into_pages(tmp_path):
    """A DBLP-style and a Google Scholar export (tests/fixtures/bib), appended
    to refs.bib: every entry gets a page, every page is valid for html5lib."""
    import re
    import shutil

    import html5lib
    from conftest import build

    fixtures = Path(__file__).parent / "fixtures" / "bib"
    scholar = (fixtures / "trieste-refs.bib").read_text("utf-8")
    # The one entry it rejects on purpose (no year; see test_input.py).
    scholar = re.sub(r"@misc\{ssurjano2021,.*?\n\}\n", "", scholar, flags=re.S)
    src = tmp_path / "src"
    shutil.copytree(SMALL_SOURCES, src)
    with (src / "refs.bib").open("a") as bib:
        bib.write("\n" + (fixtures / "cvc5-references.bib").read_text("utf-8") + "\n" + scholar)
    result = build(src, tmp_path / "html")
    assert result.returncode == 0, result.stdout + result.stderr
    pages = sorted((tmp_path / "html" / "publications").glob("*/index.html"))
    assert len(pages) == 2 + 16 + 59  # the small site's two papers, then the exports
    assert (
        tmp_path / "html" / "publications" / "dblp-journals-tocl-cimattigirs18" / "index.html"
    ).is_file()
    for page in pages:
        html5lib.HTMLParser(strict=False).parse(page.read_bytes())
    listing = (tmp_path / "html" / "publications" / "index.html").read_text("utf-8")
    assert listing.count('class="paper-entry"') == 2 + 16 + 59


def test_a_portfolio_without_papers_builds(broken_site):
    def edit(src: Path):
        (src / "refs.bib").write_text("% No papers yet.\n")
        for page in (src / "research").glob("*.md"):
            text = page.read_text()
            text = re.sub(r"\npaper: \S+", "", text)
            page.write_text(re.sub(r"\{cite:p\}`[^`]+`", "", text))

    code, log, src = broken_site(edit, SMALL_SOURCES)
    assert code == 0, log
    listing = (src.parent / "html" / "publications" / "index.html").read_text()
    assert "No publications yet." in listing


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        ("_data/cv.yaml", r"cv\.yaml:\d+: ERROR: byte 0xe9 is not UTF-8 text"),
        ("research/alpha.md", r"alpha\.md:\d+: ERROR: byte 0xe9 is not UTF-8 text"),
        ("cv.md", r"cv\.md:\d+: ERROR: byte 0xe9 is not UTF-8 text"),
    ],
)
def test_a_file_that_is_not_utf8_stops_the_build(broken_site, path, expected):
    def edit(src: Path):
        target = src / path
        data = target.read_bytes()
        if path.startswith("research/"):  # in the front matter
            target.write_bytes(data.replace(b"\ntitle:", b"\n# caf\xe9\ntitle:", 1))
        else:  # in a YAML comment, or in a page's text
            target.write_bytes(data + b"\n# caf\xe9\n")

    code, log, _ = broken_site(edit, SMALL_SOURCES)
    assert code != 0 and "Traceback" not in log
    assert re.search(expected, log), log


def test_a_key_written_twice_in_cv_yaml_stops_the_build(build_stops):
    build_stops(
        "_data/cv.yaml",
        (
            "  headline: Test researcher\n",
            "  headline: Test researcher\n  headline: Other\n",
        ),
        r"cv\.yaml:\d+: ERROR: 'headline' is written twice here",
        SMALL_SOURCES,
    )


def test_a_project_file_name_must_be_a_clean_address(broken_site):
    code, log, _ = broken_site(
        lambda src: (src / "research" / "alpha.md").rename(src / "research" / "ALPHA_v2.md"),
        SMALL_SOURCES,
    )
    assert code != 0 and "Traceback" not in log
    assert (
        "the file name becomes the page's address, /research/ALPHA_v2/: use lowercase letters, digits and dashes, such as alpha-v2.md."
        in log
    )


def test_a_project_link_must_be_a_link_the_site_shows(build_stops):
    build_stops(
        "research/alpha.md",
        (
            "paper: example2022alpha\n",
            'paper: example2022alpha\nlinks:\n  - label: Demo\n    url: "javascript:alert(1)"\n',
        ),
        r"alpha\.md:\d+: ERROR: links\[1\]\.url: 'javascript:alert\(1\)' is not a link the site shows",
        SMALL_SOURCES,
    )


# -- Directives used where they cannot work (one build, every message) ----------------


def test_directives_out_of_place_each_name_their_page_and_line(broken_site):
    def edit(src: Path):
        with (src / "cv.md").open("a") as cv:
            cv.write("\n```{cv-section} hobbies\n```\n")
        with (src / "index.md").open("a") as index:
            index.write("\n```{project-header}\n```\n")
        alpha = src / "research" / "alpha.md"  # its one result is a value, no before and after
        text = alpha.read_text().replace("paper: example2022alpha", "paper: nosuchkey2099")
        alpha.write_text(text + "\n```{project-chart}\n```\n")
        beta = src / "research" / "beta.md"
        beta.write_text(beta.read_text().replace("```{project-header}\n```\n", "", 1))

    code, log, _ = broken_site(edit, SMALL_SOURCES)
    assert code != 0 and "Traceback" not in log
    expected = [
        r"cv\.md:\d+: ERROR: unknown CV section 'hobbies': use one of education, experience",
        r"index\.md:\d+: ERROR: this directive belongs on a project page, in research/",
        r"alpha\.md:\d+: ERROR: project-chart needs results with 'before' and 'after'",
        r"beta\.md:1: ERROR: project page without its header: add a line",
        r"alpha\.md:\d+: ERROR: the front matter's paper 'nosuchkey2099' is not a key of refs\.bib",
    ]
    missing = [pattern for pattern in expected if not re.search(pattern, log)]
    assert not missing, f"{missing}\n{log}"


def test_a_chart_whose_numbers_are_all_zero_draws_empty_bars(broken_site):
    """Before and after both 0% divided by zero (ZeroDivisionError's traceback)."""

    def edit(src: Path):
        page = src / "research" / "beta.md"  # its one result has a before and an after
        text = re.sub(r"(before|after): [0-9.]+%", r"\1: 0%", page.read_text("utf-8"))
        page.write_text(text + "\n```{project-chart}\n```\n", "utf-8")

    code, log, src = broken_site(edit, SMALL_SOURCES)
    assert code == 0 and "Traceback" not in log, log
    html = (src.parent / "html" / "research" / "beta" / "index.html").read_text("utf-8")
    from bs4 import BeautifulSoup

    chart = BeautifulSoup(html, "lxml").select_one("figure.project-chart")
    fills = [bar["style"] for bar in chart.select(".chart-bar-fill")]
    assert fills and set(fills) == {"width: 0.0%"}, fills
    assert {v.get_text() for v in chart.select(".chart-bar-value")} == {"0%"}
    assert "0% before, 0% after" in chart.figcaption.get_text()
