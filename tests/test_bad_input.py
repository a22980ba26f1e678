"""Every kind of bad input stops the build with a clear message, never a traceback.

Each test breaks one file in a private copy of the site (never the repository)
and expects a non-zero exit, a message naming the file (and line, where there
is one) and what is wrong.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

# -- Pages and toctrees ---------------------------------------------------------


def test_unknown_page_in_a_toctree_stops_the_build(broken_site):
    def edit(src: Path):
        index = src / "index.md"
        index.write_text(
            index.read_text().replace("research/index\n", "research/index\nno-such-page\n")
        )

    code, log, _ = broken_site(edit)
    assert code != 0
    assert "index.md" in log and "no-such-page" in log
    assert "Traceback" not in log


def test_page_outside_every_toctree_stops_the_build(broken_site):
    def edit(src: Path):
        (src / "stray.md").write_text("# A stray page\n\nNobody links here.\n")

    code, log, _ = broken_site(edit)
    assert code != 0
    assert "stray.md" in log and "isn't included in any toctree" in log
    assert "Traceback" not in log


def test_missing_bibliography_file_stops_the_build(broken_site):
    code, log, _ = broken_site(lambda src: (src / "refs.bib").unlink())
    assert code != 0
    assert re.search(r"ERROR: \S+/refs\.bib: the bibliography file is missing\.", log), log
    assert "Traceback" not in log


# -- Project front matter ---------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("supervisor: Prof. S.-H. Gary Chan\n", ""), "the required field 'supervisor' is missing"),
        (
            ("kind: Research project\n", "kind: Research project\nvenue: ICDCS\n"),
            "unknown field 'venue'",
        ),
        (("start: 2021-02\n", "start: Feb 2021\n"), "'Feb 2021' is malformed"),
    ],
)
def test_bad_front_matter_stops_the_build_naming_file_line_and_field(build_stops, change, expected):
    log = build_stops("research/grafics.md", change, r"research/grafics\.md:\d+: ERROR: ")
    assert expected in log


def test_project_page_without_front_matter_stops_the_build(build_stops):
    build_stops(
        "research/grafics.md",
        ("---\ntitle:", "title:"),
        r"research/grafics\.md:1: ERROR: a project page must start with front matter",
    )


# -- refs.bib and citations -------------------------------------------------------

BAD_BIB = [
    (("  title   = {{IoT}", "  title   = {{IoT}{"), r"refs\.bib:\d+: ERROR: BibTeX syntax error"),
    (("@article{tan2020iot,", "@article{zhuo2022grafics,"), r"refs\.bib:\d+: ERROR: the key 'zhuo2022grafics' is used by two entries"),
    (("  year    = {2020},\n", ""), r"refs\.bib:\d+: ERROR: entry 'tan2020iot': a @article needs the field 'year': add it"),
    (("  author  = {Tan, Jiajie and Sumpena, Edmund and Zhuo, Weipeng and Zhao, Ziqi and Liu, Mengyun and Chan, S.-H. Gary},\n", ""), r"entry 'tan2020iot': a @article needs the field 'author': add it"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "expected"), BAD_BIB)
def test_bad_refs_bib_stops_the_build(build_stops, change, expected):
    build_stops("refs.bib", change, expected)


def test_unknown_cite_key_stops_the_build(build_stops):
    build_stops(
        "research/grafics.md",
        ("{cite:p}`zhuo2022grafics`", "{cite:p}`nosuchkey2099`"),
        r"research/grafics\.md:\d+: WARNING: could not find bibtex key \"nosuchkey2099\"",
    )


# -- CV data --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("    gpa: 5.54/6\n", "    gpa: 5.54/6\n    grade: A\n"), r"cv\.yaml:\d+: ERROR: education\[1\]: unknown field 'grade'"),
        (("  - organization: Ketl.io\n    role: Machine Learning Internship\n", "  - organization: Ketl.io\n"), r"cv\.yaml:\d+: ERROR: experience\[1\]: the required field 'role' is missing"),
        (("    start: 2021-07\n", "    start: July 2021\n"), r"cv\.yaml:\d+: ERROR: experience\[1\]\.start: 'July 2021' is malformed"),
        (("  email: ziqi.zhao@epfl.ch\n", "  email: [oops\n"), r"cv\.yaml:\d+: ERROR: this is not valid YAML"),
    ],
)  # fmt: skip
def test_bad_cv_data_stops_the_build(build_stops, change, expected):
    build_stops("_data/cv.yaml", change, expected)
