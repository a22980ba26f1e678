"""What a newcomer hit on a first afternoon, each on a small site built for it."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest
from conftest import NOT_ON_READ_THE_DOCS, OTHER_SOURCES, STRICT, build

pytestmark = pytest.mark.build

ORPHAN_PAGE = "---\norphan: true\ndescription: A page that links to nothing.\n---\n# {}\n\nText.\n"


def test_a_deleted_page_leaves_the_built_site(tmp_path):
    """A deleted page stayed in _build/html, and was served, until a clean build."""
    src, out = tmp_path / "src", tmp_path / "html"
    shutil.copytree(OTHER_SOURCES, src)
    contract = src / "_data" / "public-urls.txt"
    for name in ("notes", "mine"):
        (src / f"{name}.md").write_text(ORPHAN_PAGE.format(name.title()), "utf-8")
    contract.write_text(contract.read_text("utf-8") + "/notes/\n/mine/\n", "utf-8")
    first = build(src, out, **NOT_ON_READ_THE_DOCS)
    assert first.returncode == 0, first.stdout + first.stderr
    project, notes, mine = (out / page / "index.html" for page in
                            ("research/hall-acoustics", "notes", "mine"))  # fmt: skip
    assert project.is_file() and notes.is_file() and mine.is_file()
    # The owner's own files in the output are never touched: one beside a page,
    # one in place of a page the build wrote.
    (project.parent / "notes.txt").write_text("mine", "utf-8")
    mine.write_text("<!DOCTYPE html><title>my own copy</title>", "utf-8")
    for page in ("research/hall-acoustics.md", "notes.md", "mine.md"):
        (src / page).unlink()
        url = "/" + page.removesuffix(".md") + "/\n"
        contract.write_text(contract.read_text("utf-8").replace(url, ""), "utf-8")
    second = build(src, out, **NOT_ON_READ_THE_DOCS)
    assert second.returncode == 0, second.stdout + second.stderr
    assert not project.exists(), "the deleted project's page is still in the site"
    assert not notes.parent.exists(), "the deleted page's empty folder is still in the site"
    assert (project.parent / "notes.txt").read_text("utf-8") == "mine"
    assert mine.read_text("utf-8") == "<!DOCTYPE html><title>my own copy</title>"
    assert (out / "research" / "glacier-runoff" / "index.html").is_file()


@pytest.fixture(scope="module")
def loud_build(tmp_path_factory) -> str:
    """The made-up portfolio built as nox -s docs prints it, its CV page without
    two of its cv.yaml sections; the build's output."""
    src, out = tmp_path_factory.mktemp("loud") / "src", tmp_path_factory.mktemp("loud-html")
    shutil.copytree(OTHER_SOURCES, src)
    page = src / "cv.md"
    text = page.read_text("utf-8")
    for shown in ("## Languages\n\n```{cv-section} languages\n```\n",
                  "## Science outreach\n\n```{cv-section} Science outreach\n```\n"):  # fmt: skip
        assert shown in text
        text = text.replace(shown, "")
    page.write_text(text, "utf-8")
    loud = [arg for arg in STRICT if arg != "-q"]
    result = subprocess.run([sys.executable, "-m", "sphinx", *loud, str(src), str(out)],
                            capture_output=True, text=True, check=False)  # fmt: skip
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "building [dirhtml]" in log  # the build did print its progress
    return log


def test_a_build_prints_no_line_of_myst_settings(loud_build):
    """Every build printed MyST's whole configuration, a 1,000-character line."""
    assert "MdParserConfig(" not in loud_build
    assert max(len(line) for line in loud_build.splitlines()) < 400, "a line nobody reads"


def test_a_cv_section_no_page_shows_is_named(loud_build):
    """A section added to cv.yaml reached the PDF but silently no page."""
    assert ("_data/cv.yaml: 'languages', 'Science outreach' are in the CV PDF but on no page: "
            "show each on cv.md under a heading of its own") in loud_build  # fmt: skip


def test_a_placeholder_left_by_new_from_is_named_by_its_field():
    """`new --from` writes "(fill in: ...)" where a required fact is missing;
    the site showed it on the home page and in the metadata without a word."""
    from academic_portfolio.data.cvrecord import placeholder_fields

    cv = {
        "person": {"name": "Ada", "headline": "(fill in: a one-line headline)"},
        "education": [{"degree": "MSc"}, {"degree": "(fill in: the degree)"}],
    }
    assert placeholder_fields(cv) == ["person.headline", "education[2].degree"]
    assert placeholder_fields({"person": {"headline": "Fill in forms, a study"}}) == []
