"""Rebuilds after an edit, as the owner runs them: the edit shows everywhere it
should, nothing else is rewritten, and site-wide files stay complete.

The build caches parsed data (front matter, cv.yaml, refs.bib) between runs;
these tests prove that the caches follow every edit.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import SITE_URL, Site, build, copy_site, public_urls, replace_in

PROJECT = "research/grafics.md"


class Workspace(Site):
    """A copy of the sources and its built site, built once, then edited."""

    def __init__(self, root: Path):
        super().__init__(root / "html", log="")
        self.src = copy_site(root / "src")
        self.rebuild()

    def rebuild(self) -> None:
        result = build(self.src, self.root)
        assert result.returncode == 0, result.stdout + result.stderr
        self.log = result.stdout + result.stderr
        self._pages.clear()  # parsed before this build: stale

    def edit_and_rebuild(self, relative: str, old: str, new: str) -> set[str]:
        """Apply one edit, rebuild, and return the URLs of the pages rewritten."""
        before = self.stamps()
        replace_in(self.src / relative, old, new)
        self.rebuild()
        return {url for url, stamp in self.stamps().items() if before.get(url) != stamp}

    def stamps(self) -> dict[str, int]:
        """When each page's file was last written, by URL."""
        stamps = {}
        for path in self.root.rglob("index.html"):
            folder = path.parent.relative_to(self.root).as_posix()
            stamps["/" if folder == "." else f"/{folder}/"] = path.stat().st_mtime_ns
        return stamps


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("incremental"))


def test_editing_a_page_rewrites_it_and_its_section_only(workspace):
    rewritten = workspace.edit_and_rebuild(
        PROJECT, "## Problem\n", "## Problem\n\nA sentence added by the rebuild test.\n"
    )
    assert "A sentence added by the rebuild test." in workspace.page("/research/grafics/").text
    # Sphinx always writes the search and 404 pages; the other pages stay as they were.
    assert rewritten - {"/search/", "/404/"} == {"/research/grafics/", "/research/"}


def test_sitemap_stays_complete_after_a_one_page_rebuild(workspace):
    workspace.edit_and_rebuild(PROJECT, "## Approach", "## Approach\n\nOne more sentence.\n")
    assert sorted(workspace.sitemap_urls()) == sorted(
        SITE_URL + u.lstrip("/") for u in public_urls()
    )


def test_front_matter_edit_reaches_every_card_and_preview(workspace):
    old, new = "Research project at HKUST:", "Research project at HKUST, edited:"
    rewritten = workspace.edit_and_rebuild(PROJECT, old, new)
    assert {"/", "/research/", "/research/grafics/"} <= rewritten
    for url in ("/", "/research/"):
        assert new in workspace.page(url).text, url
    description = workspace.page("/research/grafics/").head.find("meta", property="og:description")
    assert description["content"].startswith(new)


def test_refs_bib_edit_reaches_the_paper_page_and_the_list(workspace):
    old = "Using Crowdsourced {RF} Signals}"
    rewritten = workspace.edit_and_rebuild("refs.bib", old, "Using Edited {RF} Signals}")
    new_title = "Graph Embedding-based Floor Identification Using Edited RF Signals"
    assert new_title in workspace.page("/publications/zhuo2022grafics/").h1.text
    assert new_title in workspace.page("/publications/").text
    assert {"/publications/", "/publications/zhuo2022grafics/"} <= rewritten
