"""Freshness: "Last updated <Month YYYY>" from the git history of each page's
sources, on the page, in the sitemap and in the CV PDF; a shallow clone and a
copy without .git build strictly and say why dates are missing. The builds are
of the made-up portfolio (tests/fixtures/other-portfolio): the dates are the
engine's reading of git, not the owner's history."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from xml.etree import ElementTree

import pytest
from bs4 import BeautifulSoup
from conftest import OTHER_SOURCES, OTHER_URL, STRICT
from pypdf import PdfReader

from academic_portfolio.data.gitdates import git_dates

# Pure: a test whose fixtures build a site is marked build by conftest.py.
pytestmark = pytest.mark.pure


VERBOSE = [arg for arg in STRICT if arg != "-q"]  # the build's information lines too
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def git(cwd: Path, *args: str, when: str | None = None) -> None:
    stamp = {"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when} if when else {}
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
         "-c", "init.defaultBranch=main", *args],
        cwd=cwd, check=True, capture_output=True, env={**os.environ, **stamp},
    )  # fmt: skip


def build_verbose(src: Path, out: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", *VERBOSE, "-d", str(out / ".doctrees"), str(src), str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "WARNING" not in log and "Traceback" not in log, log
    return log


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> Path:
    """A repository of the made-up portfolio: everything committed in March 2024,
    then one project page edited in a commit of July 2025."""
    repo = tmp_path_factory.mktemp("history") / "repo"
    shutil.copytree(OTHER_SOURCES, repo)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "All", when="2024-03-15T12:00:00+00:00")
    page = repo / "research" / "hall-acoustics.md"
    page.write_text(page.read_text("utf-8") + "\nOne more sentence.\n", "utf-8")
    git(repo, "commit", "-q", "-am", "Edit one page", when="2025-07-10T12:00:00+00:00")
    return repo


def updated(out: Path, url: str) -> list[str]:
    soup = BeautifulSoup((out / url / "index.html").read_text("utf-8"), "lxml")
    return [" ".join(p.get_text().split()) for p in soup.select(".portfolio-updated")]


def lastmods(out: Path) -> dict[str, str | None]:
    tree = ElementTree.parse(out / "sitemap.xml")
    return {
        u.findtext(f"{SITEMAP}loc"): u.findtext(f"{SITEMAP}lastmod")
        for u in tree.iter(f"{SITEMAP}url")
    }


def cv_text(out: Path) -> str:
    return " ".join(
        p.extract_text() for p in PdfReader(io.BytesIO((out / "cv.pdf").read_bytes())).pages
    )


@pytest.mark.build
def test_a_page_edited_in_a_commit_shows_that_commits_month(history, tmp_path):
    out = tmp_path / "html"
    build_verbose(history, out)
    assert updated(out, "research/hall-acoustics") == ["Last updated July 2025"]
    assert updated(out, "research/glacier-runoff") == ["Last updated March 2024"]
    assert updated(out, "cv") == ["Last updated March 2024"]
    # A generated paper page is dated by refs.bib, its source.
    assert updated(out, "publications/nunez2024reverb") == ["Last updated March 2024"]
    dates = lastmods(out)
    assert dates[OTHER_URL + "research/hall-acoustics/"] == "2025-07-10"
    assert dates[OTHER_URL + "research/glacier-runoff/"] == "2024-03-15"
    assert dates[OTHER_URL + "cv.pdf"] == "2025-07-10"  # the CV shows the edited project
    assert "Last updated July 2025" in cv_text(out)


@pytest.mark.build
def test_a_shallow_clone_builds_strictly_and_says_why_dates_are_missing(history, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", history.as_uri(), str(clone))
    out = tmp_path / "html"
    log = build_verbose(clone, out)
    assert "shallow git clone" in log
    assert updated(out, "research/glacier-runoff") == []  # never a guessed date
    assert not [d for d in lastmods(out).values() if d]


@pytest.mark.build
def test_a_copy_without_git_builds_strictly_without_dates(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(OTHER_SOURCES, src)  # the fixture is in no repository of its own
    out = tmp_path / "html"
    log = build_verbose(src, out)
    assert re.search(r"not in a git repository.*no page shows", log)
    assert updated(out, "research/glacier-runoff") == []
    assert "Last updated" not in cv_text(out)


# -- git_dates: when each data file last changed --------------------------------

MARCH_2024, JULY_2025 = 1710504000, 1752148800  # 2024-03-15 and 2025-07-10, 12:00 UTC


@pytest.fixture(scope="module")
def data_repo(tmp_path_factory) -> Path:
    """refs.bib and cv.yaml committed in March 2024, refs.bib edited in July 2025."""
    repo = tmp_path_factory.mktemp("data") / "repo"
    (repo / "_data").mkdir(parents=True)
    (repo / "refs.bib").write_text("@misc{a,}\n")
    (repo / "_data" / "cv.yaml").write_text("name: A\n")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "All", when="2024-03-15T12:00:00+00:00")
    (repo / "refs.bib").write_text("@misc{a,}\n@misc{b,}\n")
    git(repo, "commit", "-q", "-am", "Add a paper", when="2025-07-10T12:00:00+00:00")
    (repo / "new.yaml").write_text("never committed\n")
    return repo


def test_git_dates_are_each_files_last_commit(data_repo):
    cv, bib = Path("_data/cv.yaml"), data_repo / "refs.bib"  # relative or absolute
    dates = git_dates(data_repo, [cv, bib, Path("new.yaml"), Path("missing.bib")])
    assert dates == {cv: MARCH_2024, bib: JULY_2025, Path("new.yaml"): None,
                     Path("missing.bib"): None}  # fmt: skip


def test_git_dates_of_a_shallow_clone_know_only_changes_after_its_boundary(data_repo, tmp_path):
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", data_repo.as_uri(), str(clone))
    dates = git_dates(clone, [Path("refs.bib"), Path("_data/cv.yaml")])
    # The boundary commit (July 2025) did not change cv.yaml, nor maybe refs.bib: never a guess.
    assert dates == {Path("refs.bib"): None, Path("_data/cv.yaml"): None}
    deeper = tmp_path / "deeper"
    git(tmp_path, "clone", "-q", "--depth", "1", data_repo.as_uri(), str(deeper))
    (deeper / "refs.bib").write_text("@misc{c,}\n")
    git(deeper, "commit", "-q", "-am", "Edit", when="2026-01-05T12:00:00+00:00")
    dates = git_dates(deeper / "_data", [Path("../refs.bib"), Path("cv.yaml")])
    assert dates == {Path("../refs.bib"): 1767614400, Path("cv.yaml"): None}


def test_git_dates_outside_git_are_unknown(tmp_path):
    (tmp_path / "refs.bib").write_text("@misc{a,}\n")
    assert git_dates(tmp_path, [Path("refs.bib")]) == {Path("refs.bib"): None}
