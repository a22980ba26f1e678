"""Data is text: a hostile string in every text field of every data file builds,
creates no element or attribute, keeps every JSON-LD block valid and reads back
intact on the pages that show it.

One strict build of a copy of the made-up portfolio (tests/fixtures/
other-portfolio: the escaping is the engine's, not the owner's data) whose
refs.bib, _data/cv.yaml and front matter carry the canary; every page is
parsed with html5lib, the parser browsers follow.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import html5lib
import pytest
import yaml
from conftest import NOT_ON_READ_THE_DOCS, OTHER_SOURCES, OTHER_URL, Site, build

pytestmark = pytest.mark.build

# Markup, a comment opener that would swallow a JSON-LD block, Markdown and
# MyST syntax, quotes: none may do anything but read back.
CANARY = '<canary-tag canary-attr="1">&amp; "q" \'a\' </script><!--<script> ] ) { ` # *x* [y](z)'
# The same text in LaTeX, as a bib field must write &, #, { and } (BibTeX
# counts braces even after a backslash: they come in pairs).
BIB_CANARY = r"""<canary-tag canary-attr="1">\&amp; ``q'' 'a' </script><!--<script> ] ) \{\} ` \# *x* [y](z)"""
# LaTeX reads `` '' as quotes and -- as an en dash.
BIB_READBACK = (
    "<canary-tag canary-attr=\"1\">&amp; “q” 'a' </script><!–<script> ] ) {} ` # *x* [y](z)"
)
# Fields whose values are identifiers, dates, choices or links: not free text.
NOT_TEXT = {"start", "end", "kind", "before", "after", "email", "github", "scholar", "url", "paper"}
BIB_TEXT_FIELDS = ("title", "booktitle", "journal", "publisher", "abstract", "venue")
# Fields the portfolio's refs.bib does not have: the canary adds them to one entry.
BIB_ADDED_FIELDS = {"abstract": "An abstract.", "venue": "Venue"}
# Kinds of entry it does not have, with the fields only they have (journal,
# booktitle, publisher): the canary adds one of each, made up like the rest.
ARTICLE, PROCEEDINGS = "example2020canary", "example2021canary"
ADDED_ENTRIES = f"""
@article{{{ARTICLE},
  title = {{A Made-up Article for the Canary}},
  author = {{Muster, Erika and {{\\~N}}{{\\'u}}{{\\~n}}ez-{{\\L}}ukasiewicz, Zo{{\\"e}}}},
  journal = {{Journal of Made-up Glaciology}},
  year = {{2020}},
}}

@inproceedings{{{PROCEEDINGS},
  title = {{A Made-up Conference Paper for the Canary}},
  author = {{{{\\~N}}{{\\'u}}{{\\~n}}ez-{{\\L}}ukasiewicz, Zo{{\\"e}}}},
  booktitle = {{Proceedings of the Example Conference on Concert Halls}},
  publisher = {{Example Press}},
  year = {{2021}},
}}
"""
PROJECT_URL = "/research/glacier-runoff/"  # the project with a paper
PROJECT_PAPER_URL = "/publications/nunez2021runoff/"  # its paper
STATUS = f"A status. {CANARY}"


def with_canary(data: Any, key: str = "") -> Any:
    if isinstance(data, dict):
        return {k: with_canary(v, k) for k, v in data.items()}
    if isinstance(data, list):
        return [with_canary(v, key) for v in data]
    if isinstance(data, str) and key not in NOT_TEXT:
        return f"{data} {CANARY}"
    return data


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def plant(src: Path) -> None:
    cv = src / "_data" / "cv.yaml"
    original = yaml.safe_load(cv.read_text("utf-8"))
    data = with_canary(original)
    if "now" in data["person"]:  # the schema's limit: keep the now line short
        data["person"]["now"] = f"Now. {CANARY}"
    for section, before in zip(data.get("sections", []), original.get("sections", []), strict=True):
        section["title"] = before["title"]  # the name cv.md calls it by: an identifier
    cv.write_text(dump(data), "utf-8")
    for page in [*src.glob("*.md"), *src.glob("research/*.md"), src / "publications" / "index.md"]:
        if not page.read_text("utf-8").startswith("---\n"):
            continue  # README.md: not a page
        _, front, body = page.read_text("utf-8").split("---\n", 2)
        meta = with_canary(yaml.safe_load(front))
        if "summary" in meta:  # the schema's limit: keep the page's own summary short
            meta["summary"] = f"A summary. {CANARY}"
        if "kind" in meta:  # a project: its optional role, which no page has yet
            meta["role"] = f"A role. {CANARY}"
        page.write_text(f"---\n{dump(meta)}---\n{body}", "utf-8")
    with (src / "conf.py").open("a", encoding="utf-8") as conf:  # the site-wide status line
        conf.write(f"\nportfolio_status_line = {STATUS!r}\n")
    with (src / "_data" / "public-urls.txt").open("a", encoding="utf-8") as urls:
        urls.write(f"\n/publications/{ARTICLE}/\n/publications/{PROCEEDINGS}/\n")
    bib = src / "refs.bib"
    text = bib.read_text("utf-8") + ADDED_ENTRIES
    added = "".join(f"  {name} = {{{value}}},\n" for name, value in BIB_ADDED_FIELDS.items())
    assert text.count("  year = {2020},\n") == 1, "the canary no longer finds its article's year"
    text = text.replace("  year = {2020},\n", "  year = {2020},\n" + added)
    for name in BIB_TEXT_FIELDS:
        text = re.sub(rf"(\n  {name} +=\s*\{{)(.*)\}},\n",
                      lambda m: f"{m.group(1)}{m.group(2)} {BIB_CANARY}}},\n", text)  # fmt: skip
    bib.write_text(text, "utf-8")


@pytest.fixture(scope="module")
def canary_site(tmp_path_factory) -> Site:
    work = tmp_path_factory.mktemp("canary")
    src = work / "src"
    shutil.copytree(OTHER_SOURCES, src)
    plant(src)
    result = build(src, work / "html", **NOT_ON_READ_THE_DOCS)
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"the site with the canary does not build:\n{log}"
    return Site(work / "html", log, OTHER_URL)


def typographic(text: str) -> str:
    """Page text as Sphinx sets it (smart quotes: typographic quotes, -- as an
    en dash), without the heading's "#" link: compare plainly."""
    text = re.sub("[“”]", '"', re.sub("[‘’]", "'", " ".join(text.split())))
    return text.replace("--", "–").removesuffix("#")


ATTRIBUTE_NAME = re.compile(r"[a-zA-Z_:][-a-zA-Z0-9_:.]*")


def test_no_data_creates_an_element_or_an_attribute(canary_site):
    found = []
    pages = [p for p in canary_site.html_files() if "_static" not in p.parts]
    for path in pages:
        tree = html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)
        for element in tree.iter():
            tag = element.tag if isinstance(element.tag, str) else ""
            # A value that breaks out of an attribute leaves stray attributes
            # such as '1"' (from canary-attr="1"): no name of ours looks so.
            stray = [name for name in element.attrib if not ATTRIBUTE_NAME.fullmatch(name)]
            if tag == "canary-tag" or "canary-attr" in element.attrib or stray:
                found.append(
                    f"{path.relative_to(canary_site.root)}: <{tag} {dict(element.attrib)}>"
                )
    assert len(pages) >= 13
    assert not found, "\n".join(found)


def test_every_json_ld_block_parses_and_keeps_the_text(canary_site):
    blocks = 0
    for path in canary_site.html_files():
        tree = html5lib.parse(path.read_bytes(), treebuilder="etree", namespaceHTMLElements=False)
        for script in tree.iter("script"):
            if script.get("type") == "application/ld+json":
                json.loads(script.text)
                blocks += 1
    assert blocks >= 4  # the home page's Person and one per paper
    person = next(d for d in map(json.loads, ld_blocks(canary_site, "/")) if d["@type"] == "Person")
    assert person["name"] == f"Zoë Ñúñez-Łukasiewicz {CANARY}"
    paper = json.loads(ld_blocks(canary_site, f"/publications/{ARTICLE}/")[0])
    assert paper["headline"].endswith(BIB_READBACK)


def ld_blocks(site: Site, url: str) -> list[str]:
    return [s.string for s in site.page(url).find_all("script", type="application/ld+json")]


def test_text_reads_back_intact_where_it_is_shown(canary_site):
    project = canary_site.page(PROJECT_URL)
    assert typographic(CANARY) in typographic(project.h1.get_text())
    assert typographic(CANARY) in typographic(project.select_one(".project-summary").get_text())
    description = project.head.find("meta", attrs={"name": "description"})["content"]
    assert description.endswith(CANARY)
    og_title = project.head.find("meta", property="og:title")["content"]
    assert typographic(og_title).endswith(typographic(CANARY))
    paper = canary_site.page(f"/publications/{ARTICLE}/")
    assert typographic(paper.h1.get_text()).endswith(typographic(BIB_READBACK))
    title_tag = paper.head.find("meta", attrs={"name": "citation_title"})["content"]
    assert title_tag.endswith(BIB_READBACK)
    journal = paper.head.find("meta", attrs={"name": "citation_journal_title"})["content"]
    assert journal.endswith(BIB_READBACK)
    abstract = paper.head.find("meta", attrs={"name": "citation_abstract"})["content"]
    assert abstract == f"An abstract. {BIB_READBACK}"
    shown_abstract = paper.select_one(".paper-abstract").get_text()
    assert typographic(shown_abstract).endswith(typographic(BIB_READBACK))
    (paper_ld,) = ld_blocks(canary_site, f"/publications/{ARTICLE}/")
    assert json.loads(paper_ld)["abstract"] == abstract
    listed = canary_site.page("/publications/").find(id=ARTICLE)
    for shown in (paper, listed, canary_site.page(f"/publications/{ARTICLE}/")):
        label = shown.select_one(".paper-label-venue").get_text()
        assert typographic(label) == typographic(f"Venue {BIB_READBACK} 2020")
    listed_abstract = listed.select_one(".abstract-details").get_text()
    assert typographic(BIB_READBACK) in typographic(listed_abstract)
    cv = typographic(canary_site.page("/cv/").find("article").get_text(" "))
    assert cv.count(typographic(CANARY)) >= 10
    role = typographic(f"A role. {CANARY}")
    assert typographic(project.select_one(".project-facts dd").get_text()).endswith(role)
    part = canary_site.page(PROJECT_PAPER_URL).select_one(".paper-part")
    assert typographic(part.get_text()).endswith(role)
    status = [typographic(p.get_text()) for p in project.select(".portfolio-status")]
    assert status == [typographic(STATUS)]
    home_cards = canary_site.page("/").select(".project-card")
    assert home_cards and all(typographic(CANARY) in typographic(c.get_text()) for c in home_cards)
    proceedings = canary_site.page(f"/publications/{PROCEEDINGS}/")
    for name in ("citation_conference_title", "citation_publisher"):
        tag = proceedings.head.find("meta", attrs={"name": name})
        assert tag is not None and tag["content"].endswith(BIB_READBACK), name
