"""Rebuilds after an edit, as the owner runs them: the edit shows everywhere it
should, nothing else is rewritten, and site-wide files stay complete.

The build caches parsed data (front matter, cv.yaml, refs.bib) between runs;
these tests prove that the caches follow every edit. They edit a copy of the
made-up portfolio (tests/fixtures/other-portfolio): the caches are the
engine's, not the owner's site's.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import (
    NOT_ON_READ_THE_DOCS,
    OTHER_SOURCES,
    OTHER_URL,
    REPO,
    STRICT,
    Site,
    build,
    contract_urls,
    copy_portfolio,
    replace_in,
)
from pypdf import PdfReader

pytestmark = pytest.mark.build

PROJECT = "research/glacier-runoff.md"  # the project with a paper
PROJECT_URL = "/research/glacier-runoff/"
PAPER_URL = "/publications/nunez2021runoff/"  # its paper
OTHER_PROJECT = "research/hall-acoustics.md"  # the project without one


class Workspace(Site):
    """A copy of the sources and its built site, built once, then edited."""

    def __init__(self, root: Path):
        super().__init__(root / "html", log="", base_url=OTHER_URL)
        self.src = root / "src"
        shutil.copytree(OTHER_SOURCES, self.src)
        self.rebuild()

    def rebuild(self) -> None:
        result = build(self.src, self.root, **NOT_ON_READ_THE_DOCS)
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
        return {
            self.url_of(path): path.stat().st_mtime_ns for path in self.root.rglob("index.html")
        }

    def url_of(self, page: Path) -> str:
        folder = page.parent.relative_to(self.root).as_posix()
        return "/" if folder == "." else f"/{folder}/"

    def watched_rebuild(self) -> tuple[str, set[str]]:
        """Rebuild with the build's messages shown (no -q); return them and the
        URLs of the built pages that the build opened to read."""
        reads = self.root.parent / "pages-read.txt"
        argv = [a for a in STRICT if a != "-q"]
        argv += ["-d", str(self.root / ".doctrees"), str(self.src), str(self.root)]
        result = subprocess.run(
            [sys.executable, "-c", WATCH_READS, str(self.root), str(reads), *argv],
            capture_output=True, text=True, check=False, env={**os.environ, **NOT_ON_READ_THE_DOCS},
        )  # fmt: skip
        log = result.stdout + result.stderr
        assert result.returncode == 0, log
        self._pages.clear()
        return log, {self.url_of(Path(line)) for line in reads.read_text().splitlines()}


# Runs sphinx-build in this process, with an audit hook that notes every
# built page (*.html under the output folder, outside _static) opened to read.
WATCH_READS = """
import atexit, os, sys
out, record = os.path.join(sys.argv[1], ""), sys.argv[2]
read = set()
def watch(event, args):
    if event == "open" and isinstance(args[1], str) and "r" in args[1] and "+" not in args[1]:
        path = os.fsdecode(os.fspath(args[0])) if not isinstance(args[0], int) else ""
        if path.startswith(out) and path.endswith(".html") and "/_static/" not in path:
            read.add(path)
sys.addaudithook(watch)
atexit.register(lambda: open(record, "w").write("".join(p + "\\n" for p in sorted(read))))
from sphinx.cmd.build import main
sys.exit(main(sys.argv[3:]))
"""


@pytest.fixture(scope="module")
def workspace(tmp_path_factory) -> Workspace:
    return Workspace(tmp_path_factory.mktemp("incremental"))


def test_editing_a_page_rewrites_it_and_its_section_only(workspace):
    rewritten = workspace.edit_and_rebuild(
        PROJECT, "## Problem\n", "## Problem\n\nA sentence added by the rebuild test.\n"
    )
    assert "A sentence added by the rebuild test." in workspace.page(PROJECT_URL).text
    # Sphinx always writes the search and 404 pages; the other pages stay as they were.
    assert rewritten - {"/search/", "/404/"} == {PROJECT_URL, "/research/"}


def test_sitemap_stays_complete_after_a_one_page_rebuild(workspace):
    workspace.edit_and_rebuild(PROJECT, "## Approach", "## Approach\n\nOne more sentence.\n")
    assert sorted(workspace.sitemap_urls()) == sorted(
        OTHER_URL + u.lstrip("/") for u in contract_urls(OTHER_SOURCES)
    )


def test_front_matter_edit_reaches_every_card_and_preview(workspace):
    old, new = "How much meltwater", "How much edited meltwater"  # the summary's start
    rewritten = workspace.edit_and_rebuild(PROJECT, old, new)
    assert {"/", "/research/", PROJECT_URL} <= rewritten
    for url in ("/", "/research/"):
        assert new in workspace.page(url).text, url
    description = workspace.page(PROJECT_URL).head.find("meta", property="og:description")
    assert description["content"].startswith(new)


def test_refs_bib_edit_reaches_the_paper_page_and_the_list(workspace):
    old = "under a Warming Climate}"
    rewritten = workspace.edit_and_rebuild("refs.bib", old, "under an Edited {RF} Climate}")
    new_title = "Runoff of a Made-up Glacier under an Edited RF Climate"
    assert new_title in workspace.page(PAPER_URL).h1.text
    assert new_title in workspace.page("/publications/").text
    assert {"/publications/", PAPER_URL} <= rewritten


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


def test_every_asset_version_is_the_checksum_of_the_file_served(workspace):
    """The trimmed style sheets were versioned by their untrimmed bytes: a
    returning reader's browser could keep a stale copy."""
    assert not served_versions(workspace), "\n".join(served_versions(workspace)[:10])
    theme = (workspace.root / "_static" / "styles" / "theme.css").read_text()
    assert re.search(r'@import "\.\./basic\.css\?v=[0-9a-f]{8}"', theme)


def test_a_hand_written_page_in_publications_builds(tmp_path):
    """A talks page beside the generated paper pages crashed the build: papers
    and sharing decided 'is this a paper page?' differently."""
    src = copy_portfolio(tmp_path / "src")
    (src / "publications" / "talks.md").write_text("# Talks\n\nNone yet.\n")
    with (src / "publications" / "index.md").open("a") as index:
        index.write("\n```{toctree}\n:hidden:\n\ntalks\n```\n")
    result = build(src, tmp_path / "html", **NOT_ON_READ_THE_DOCS)
    assert result.returncode == 0, result.stdout + result.stderr
    page = Site(tmp_path / "html", "", OTHER_URL).page("/publications/talks/")
    assert page.h1.text.startswith("Talks")
    assert not page.head.find("meta", attrs={"name": "citation_title"})


def test_a_renamed_project_reaches_its_paper_page(workspace):
    """The paper page kept the old title under "Related project"."""
    old = 'title: "Runoff of a Made-up Glacier"'
    workspace.edit_and_rebuild(PROJECT, old, 'title: "Glacier runoff, renamed"')
    related = workspace.page(PAPER_URL).find(string=re.compile("renamed"))
    assert related is not None, "the paper page still shows the old project title"


def test_a_new_headline_redraws_every_card_that_shows_it(workspace):
    """The social cards of /publications/ and /research/ kept the old headline."""
    cards = workspace.root / "_images" / "social"
    before = {card.name: card.read_bytes() for card in cards.glob("*.png")}
    rewritten = workspace.edit_and_rebuild(
        "_data/cv.yaml", "headline: Glaciologist and acoustician", "headline: Glaciologist"
    )
    assert {"/publications/", "/research/", "/cv/", "/"} <= rewritten
    for name in ("publications.png", "research.png", "cv.png"):
        assert (cards / name).read_bytes() != before[name], name


def test_a_schema_change_applies_without_a_clean_build(workspace):
    """Requiring a new field passed on an incremental build (the data cache
    was keyed by the file's text alone) and failed only with -E."""
    # A copy of the engine, imported before the installed one; hall-acoustics has no lab.
    engine = workspace.root.parent / "engine"
    shutil.copytree(REPO / "src" / "academic_portfolio", engine / "academic_portfolio")
    schema = engine / "academic_portfolio" / "schemas" / "project.schema.json"
    original = schema.read_text()
    schema.write_text(original.replace('"required": ["title",', '"required": ["lab", "title",', 1))
    result = build(workspace.src, workspace.root, PYTHONPATH=str(engine), **NOT_ON_READ_THE_DOCS)
    assert result.returncode != 0
    assert "the required field 'lab' is missing: add it." in result.stdout + result.stderr


def test_a_one_page_rebuild_reads_only_the_pages_it_wrote(workspace):
    """Trimming the style sheets read every built page on every build: a
    one-page rebuild took longer with every paper in refs.bib."""
    before = workspace.stamps()
    replace_in(workspace.src / PROJECT, "## Approach", "## Approach\n\nA sentence to rebuild.\n")
    _, read = workspace.watched_rebuild()
    rewritten = {url for url, stamp in workspace.stamps().items() if before.get(url) != stamp}
    assert PROJECT_URL in read, "the watch saw no page read: it watches nothing"
    assert read <= rewritten, f"pages read though not written: {sorted(read - rewritten)}"
    assert not served_versions(workspace), "\n".join(served_versions(workspace)[:10])


def test_the_trimmed_style_sheets_follow_a_class_a_page_gains_and_loses(workspace):
    """The style sheets keep a rule while a page uses it, and only then, and
    every page's ?v= follows the trimmed bytes, on incremental builds."""
    page, theme = workspace.src / OTHER_PROJECT, "styles/pydata-sphinx-theme.css"
    original = page.read_text()

    def rule_kept() -> bool:
        return ".alert-warning" in (workspace.root / "_static" / theme).read_text()

    assert not rule_kept(), "the site uses .alert-warning already: the test checks nothing"
    page.write_text(original + "\n{.alert-warning}\nA note that uses a new class.\n")
    workspace.rebuild()
    assert "alert-warning" in workspace.page("/research/hall-acoustics/").find("main").decode()
    assert rule_kept()
    assert not served_versions(workspace), "\n".join(served_versions(workspace)[:10])
    page.write_text(original)
    workspace.rebuild()
    assert not rule_kept()
    assert not served_versions(workspace), "\n".join(served_versions(workspace)[:10])


def test_the_cv_pdf_is_set_again_only_when_what_it_shows_changes(workspace):
    """Every build formatted every paper and ran Typst for the CV PDF, even
    after an edit the PDF does not show."""
    pdf = workspace.root / "cv.pdf"

    def pdf_text() -> str:
        text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
        return " ".join(text.split())

    before = pdf.read_bytes(), pdf.stat().st_mtime_ns
    with (workspace.src / OTHER_PROJECT).open("a") as page:
        page.write("\nA sentence of the page's text, which the CV does not show.\n")
    log, _ = workspace.watched_rebuild()
    assert "CV PDF: nothing it shows changed" in log, log
    assert (pdf.read_bytes(), pdf.stat().st_mtime_ns) == before
    edits = [  # a file the PDF shows, a text in it, the text it becomes, as the PDF shows it
        ("_data/cv.yaml", "- Acoustics of historic", "- Quokka acoustics of historic",
         "Quokka acoustics of historic"),
        (OTHER_PROJECT, "Acoustics of Empty Concert", "Acoustics of Empty Quokka Concert",
         "Acoustics of Empty Quokka Concert"),
        ("refs.bib", "{Reverberation Time of", "{{RT} Quokka Reverberation Time of",
         "RT Quokka Reverberation Time of"),
    ]  # fmt: skip
    for relative, old, new, shown in edits:
        replace_in(workspace.src / relative, old, new)
        log, _ = workspace.watched_rebuild()
        assert "CV PDF written" in log, relative
        assert shown in pdf_text(), f"{relative}: {shown!r} is not in the PDF"
