"""Rebuilds after an edit, as the owner runs them: the edit shows everywhere it
should, nothing else is rewritten, and site-wide files stay complete.

The build caches parsed data (front matter, cv.yaml, refs.bib) between runs;
these tests prove that the caches follow every edit.
"""

from __future__ import annotations

import re
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


def served_versions(site: Site) -> list[str]:
    """Every ?v= of every page whose checksum is not that of the file served."""
    import re
    import zlib

    wrong = []
    for page in site.html_files():
        if "_static" in page.relative_to(site.root).parts:
            continue  # the theme's templates, not pages
        for ref, version in re.findall(
            r'(?:href|src)="([^"?]*_static/[^"?]+)\?(?:v|digest)=(\w+)"', page.read_text()
        ):
            served = site.root / "_static" / ref.split("_static/", 1)[1]
            content = served.read_bytes().replace(b"\r", b"")
            actual = f"{zlib.crc32(content):08x}"
            if version != actual:
                wrong.append(f"{page.relative_to(site.root)}: {ref}?v={version}, served {actual}")
    return wrong


def test_every_asset_version_is_the_checksum_of_the_file_served(site):
    """The trimmed style sheets were versioned by their untrimmed bytes: a
    returning reader's browser could keep a stale copy."""
    assert not served_versions(site), "\n".join(served_versions(site)[:10])
    theme = (site.root / "_static" / "styles" / "theme.css").read_text()
    assert re.search(r'@import "\.\./basic\.css\?v=[0-9a-f]{8}"', theme)


def test_a_hand_written_page_in_publications_builds(tmp_path):
    """A talks page beside the generated paper pages crashed the build: papers
    and sharing decided 'is this a paper page?' differently."""
    src = copy_site(tmp_path / "src")
    (src / "publications" / "talks.md").write_text("# Talks\n\nNone yet.\n")
    with (src / "publications" / "index.md").open("a") as index:
        index.write("\n```{toctree}\n:hidden:\n\ntalks\n```\n")
    result = build(src, tmp_path / "html")
    assert result.returncode == 0, result.stdout + result.stderr
    page = Site(tmp_path / "html", "").page("/publications/talks/")
    assert page.h1.text.startswith("Talks")
    assert not page.head.find("meta", attrs={"name": "citation_title"})


def test_a_renamed_project_reaches_its_paper_page(workspace):
    """The paper page kept the old title under "Related project"."""
    old = 'title: "GRAFICS: Floor Identification with Network Embedding"'
    workspace.edit_and_rebuild(PROJECT, old, 'title: "GRAFICS, renamed"')
    related = workspace.page("/publications/zhuo2022grafics/").find(string=re.compile("renamed"))
    assert related is not None, "the paper page still shows the old project title"


def test_a_new_headline_redraws_every_card_that_shows_it(workspace):
    """The social cards of /publications/ and /research/ kept the old headline."""
    cards = workspace.root / "_images" / "social"
    before = {card.name: card.read_bytes() for card in cards.glob("*.png")}
    rewritten = workspace.edit_and_rebuild(
        "_data/cv.yaml", "headline: Machine-learning researcher", "headline: ML researcher"
    )
    assert {"/publications/", "/research/", "/cv/", "/"} <= rewritten
    for name in ("publications.png", "research.png", "cv.png"):
        assert (cards / name).read_bytes() != before[name], name


def test_a_schema_change_applies_without_a_clean_build(workspace):
    """Requiring a new field passed on an incremental build (the data cache
    was keyed by the file's text alone) and failed only with -E."""
    schema = workspace.src / "_ext" / "portfolio" / "schemas" / "project.schema.json"
    original = schema.read_text()
    schema.write_text(original.replace('"required": ["title",', '"required": ["lab", "title",', 1))
    try:
        result = build(workspace.src, workspace.root)
    finally:
        schema.write_text(original)
    assert result.returncode != 0
    assert "the required field 'lab' is missing: add it." in result.stdout + result.stderr
