"""The paper pages generated from refs.bib are never written into the source
tree: a build leaves `git status` clean, .gitignore hides no page the owner
adds to publications/, and the pages of an older build are cleaned up."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import OTHER_SOURCES, OTHER_URL, REPO, STRICT, Site, build

# Pure: a test whose fixtures build a site is marked build by conftest.py.
pytestmark = pytest.mark.pure


# The made-up portfolio's preprint (tests/fixtures/other-portfolio/refs.bib): these
# tests are of the engine's generated pages, not of the owner's papers.
PAPER = "nunez2024reverb"
PAPER_TITLE = "Reverberation Time of Invented Halls from Sparse Measurements"
MARK = "% Generated from refs.bib by _ext/portfolio/papers.py: do not edit.\n"  # older builds'
TEMPORARY_ENTRY = (
    "\n@misc{test2030temp,\n  author = {Example, Ada},\n  title = {A Temporary Entry},\n"
    "  year = {2030},\n}\n"
)


def git(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
         "-c", "init.defaultBranch=main", *args],
        cwd=cwd, capture_output=True, text=True, check=check, env={**os.environ},
    )  # fmt: skip


def copy_portfolio(target: Path) -> Path:
    """A private copy of the made-up portfolio, safe to edit and to build. These
    tests add and remove pages on purpose: the list of public addresses is not
    checked (as in the owner's conf.py, which leaves the check to the tests)."""
    shutil.copytree(OTHER_SOURCES, target)
    with (target / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nportfolio_check_public_urls = False\n")
    return target


def add_talks_page(src: Path) -> None:
    """A page the owner writes by hand in publications/, listed below the list."""
    (src / "publications" / "talks.md").write_text(
        f"# Talks\n\nAbout [the preprint]({PAPER}.md).\n", "utf-8"
    )
    with (src / "publications" / "index.md").open("a", encoding="utf-8") as index:
        index.write("\n```{toctree}\n:hidden:\n\ntalks\n```\n")


def build_logged(src: Path, out: Path, *extra: str) -> str:
    """A strict build that shows its information lines; it must succeed."""
    args = [arg for arg in STRICT if arg != "-q"]
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", *args, *extra, "-d", str(out / ".doctrees"), str(src),
         str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    return log


@pytest.mark.build
def test_a_build_leaves_the_checkout_as_committed(tmp_path):
    """Each paper's page was written to publications/<slug>.md, and .gitignore
    hid them (and with them any page the owner added there)."""
    src = copy_portfolio(tmp_path / "src")
    add_talks_page(src)
    git(src, "init", "-q")
    git(src, "add", "-A")
    git(src, "commit", "-q", "-m", "Site")
    result = build(src, tmp_path / "html")
    assert result.returncode == 0, result.stdout + result.stderr
    assert git(src, "status", "--porcelain").stdout == ""
    assert sorted(p.name for p in (src / "publications").iterdir()) == ["index.md", "talks.md"]
    assert "publications/talks.md" in git(src, "ls-files", "publications").stdout
    site = Site(tmp_path / "html", "")
    assert site.page(f"/publications/{PAPER}/").h1.text.startswith(PAPER_TITLE)
    assert site.page("/publications/talks/").h1.text.startswith("Talks")
    # A Markdown link to a paper's page, as to any page (no file of it in the sources).
    link = site.page("/publications/talks/").find("a", string="the preprint")
    assert link["href"] == f"../{PAPER}/"
    assert OTHER_URL + f"publications/{PAPER}/" in site.sitemap_urls()
    # Still below the list: the breadcrumbs lead back to it.
    crumbs = site.page(f"/publications/{PAPER}/").select(".bd-breadcrumbs a")
    assert any(a["href"] == "../" for a in crumbs), crumbs


def test_gitignore_hides_no_page_the_owner_adds_to_publications(tmp_path):
    """`/publications/*.md` in .gitignore: publications/talks.md would never be committed."""
    git(tmp_path, "init", "-q")
    shutil.copy(REPO / ".gitignore", tmp_path / ".gitignore")

    def ignored(path: str) -> bool:
        return git(tmp_path, "check-ignore", "-q", path, check=False).returncode == 0

    assert ignored("_build/html/index.html")  # the check sees the rules
    assert not ignored("publications/talks.md")
    assert not ignored("publications/index.md")


@pytest.mark.build
def test_pages_an_older_build_generated_in_publications_are_removed(tmp_path):
    src = copy_portfolio(tmp_path / "src")
    folder = src / "publications"
    (folder / f"{PAPER}.md").write_text(MARK + f"\n```{{paper}} {PAPER}\n```\n")
    (folder / "gone2019old.md").write_text(MARK + "\n```{paper} gone2019old\n```\n")
    index = (folder / "index.md").read_text("utf-8")
    log = build_logged(src, tmp_path / "html")
    assert sorted(p.name for p in folder.iterdir()) == ["index.md"]
    assert (folder / "index.md").read_text("utf-8") == index
    assert "removed 2 page(s) an older build generated there" in log
    page = Site(tmp_path / "html", "").page(f"/publications/{PAPER}/")
    assert page.h1.text.startswith(PAPER_TITLE)


@pytest.mark.build
def test_an_entry_added_then_removed_adds_then_removes_its_page(tmp_path):
    src, out = copy_portfolio(tmp_path / "src"), tmp_path / "html"
    bib = src / "refs.bib"
    original = bib.read_text("utf-8")
    build_logged(src, out)
    # Nothing changed: no page is read again (a generated file is rewritten only on a change).
    assert "0 added, 0 changed, 0 removed" in build_logged(src, out)

    bib.write_text(original + TEMPORARY_ENTRY, "utf-8")
    build_logged(src, out)
    page = out / "publications" / "test2030temp" / "index.html"
    assert "A Temporary Entry" in page.read_text("utf-8")
    assert "test2030temp" in (out / "publications" / "index.html").read_text("utf-8")

    bib.write_text(original, "utf-8")
    build_logged(src, out)
    assert not page.exists() and not page.parent.exists()
    assert OTHER_URL + "publications/test2030temp/" not in Site(out, "").sitemap_urls()
    assert "test2030temp" not in (out / "publications" / "index.html").read_text("utf-8")

    # A fresh environment over the same build folder builds the same pages.
    build_logged(src, out, "-E")
    assert Site(out, "").page(f"/publications/{PAPER}/").h1.text.startswith(PAPER_TITLE)
