"""Publications from refs.bib: order, names, marks, links, Scholar tags, BibTeX."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import REPO, SMALL_SOURCES
from zotero_translator import embedded_metadata

pytestmark = pytest.mark.build

KEYS_NEWEST_FIRST = ["liu2022robust", "zhuo2022grafics", "tan2020iot"]
AUTHOR_COUNTS = {"liu2022robust": 4, "zhuo2022grafics": 7, "tan2020iot": 6}


def entries(site):
    return site.page("/publications/").select(".paper-entry")


def test_all_papers_newest_first_grouped_by_kind(site):
    page = site.page("/publications/")
    assert [e["id"] for e in entries(site)] == KEYS_NEWEST_FIRST
    kinds = [h.get_text(strip=True).rstrip("#") for h in page.select("article h2")]
    assert kinds == ["Papers"]  # the owner's three are all published papers


OTHER_KINDS = {"Preprints": ["nunez2024reverb"], "Theses": ["nunez2021runoff"],
               "Patents": ["nunez2023gauge"], "Talks": ["nunez2024talk"]}  # fmt: skip


def test_each_kind_has_its_own_section(other_site):
    page = other_site.page("/publications/")
    found = {
        h2.get_text(strip=True).rstrip("#"): [e["id"] for e in h2.parent.select(".paper-entry")]
        for h2 in page.select("article section > h2")
    }
    assert found == OTHER_KINDS


def test_the_home_page_and_the_cv_pdf_name_each_kind(other_site):
    from pypdf import PdfReader

    rubrics = [r.get_text() for r in other_site.page("/").select(".bd-article .paper-kind")]
    assert rubrics == ["Preprints", "Theses"]  # the two selected works
    pdf = " ".join(p.extract_text() for p in PdfReader(other_site.file("/cv.pdf")).pages)
    where = [pdf.index(f"\n{kind}\n") for kind in OTHER_KINDS]
    assert where == sorted(where), where


@pytest.mark.parametrize("key", KEYS_NEWEST_FIRST)
def test_every_entry_starts_with_its_title(site, key):
    entry = site.page("/publications/").find(id=key)
    citation = entry.select_one(".paper-labels + p, p").get_text(" ", strip=True)
    title = site.page(f"/publications/{key}/").h1.get_text(strip=True).rstrip("#")
    assert citation.startswith(title), citation


ACCENTS = """() => [...document.querySelectorAll('.bd-article .sd-btn')]
  .map(b => getComputedStyle(b).borderTopColor)"""


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["light", "dark"])
def test_one_accent_colour_for_every_button(browser, other_server, mode):
    context = browser.new_context(color_scheme=mode)
    page = context.new_page()
    page.goto(other_server + "publications/")
    colours = page.evaluate(ACCENTS)
    context.close()
    assert len(colours) > 4 and len(set(colours)) == 1, set(colours)


def test_owner_is_bold_in_every_entry(site):
    for entry in entries(site):
        bold = [b.get_text() for b in entry.select("p strong")]
        assert bold and bold[0].startswith("Ziqi Zhao"), entry["id"]


def test_equal_contribution_is_marked_and_explained(site):
    page = site.page("/publications/")
    neurips = page.find(id="liu2022robust").p.get_text()
    assert "Chen Liu*" in neurips and "Ziqi Zhao*" in neurips
    assert "*" not in page.find(id="zhuo2022grafics").p.get_text()
    assert page.select_one(".equal-contribution-legend").get_text() == "* Equal contribution."


def test_iot_title_is_corrected(site):
    assert (
        "IoT Geofencing for COVID-19 Home Quarantine Enforcement"
        in site.page("/publications/").get_text()
    )
    assert "lot geofencing" not in site.page("/publications/").get_text().lower()


@pytest.mark.parametrize(
    ("key", "buttons"),
    [
        ("liu2022robust", {
            "Paper": "https://papers.neurips.cc/paper_files/paper/2022/hash/035f23c0ac4cf2b73b9365ba5a98ad56-Abstract-Conference.html",
            "arXiv": "https://arxiv.org/abs/2202.01341",
            "OpenReview": "https://openreview.net/forum?id=5g-h_DILemH",
            "Code": "https://github.com/IVRL/RobustBinarySubNet",
        }),
        ("zhuo2022grafics", {
            "Paper": "https://ieeexplore.ieee.org/document/9912243",
            "DOI": "https://doi.org/10.1109/ICDCS54860.2022.00105",
            "arXiv": "https://arxiv.org/abs/2210.07895",
            "Code": "https://github.com/RobertFlame/Floors",
        }),
        ("tan2020iot", {}),
    ],
)  # fmt: skip
def test_link_buttons_come_from_bib_fields(site, key, buttons):
    for page in (site.page("/publications/").find(id=key), site.page(f"/publications/{key}/")):
        links = {a.get_text(): a["href"] for a in page.select(".paper-links a.reference.external")}
        assert links == buttons


def test_bibtex_blocks_are_clean_and_copyable(site):
    page = site.page("/publications/liu2022robust/")
    block = page.select_one("div.bibtex pre").get_text()
    assert block.startswith("@inproceedings{liu2022robust,")
    assert "author = {Liu, Chen and Zhao, Ziqi" in block
    for private in ("selected", "equal_contribution", "openreview", "code"):
        assert f"{private} =" not in block
    assert "copy.js" in " ".join(s.get("src", "") for s in page.find_all("script"))
    listing = (
        site.page("/publications/")
        .find(id="tan2020iot")
        .select_one("details.bibtex-details pre")
        .get_text()
    )
    assert "pages = {24--29}" in listing and "number = {3}" in listing
    download = [a for a in page.select("a") if "refs.bib" in a.get("href", "")]
    assert [a["href"] for a in download] == ["../../refs.bib"]


def scholar(site, key) -> dict[str, list[str]]:
    tags: dict[str, list[str]] = {}
    for meta in site.page(f"/publications/{key}/").head.find_all(
        "meta", attrs={"name": re.compile("^citation_")}
    ):
        tags.setdefault(meta["name"], []).append(meta["content"])
    return tags


@pytest.mark.parametrize("key", KEYS_NEWEST_FIRST)
def test_paper_pages_carry_google_scholar_tags(site, key):
    tags = scholar(site, key)
    assert len(tags["citation_author"]) == AUTHOR_COUNTS[key]
    assert tags["citation_title"] and tags["citation_publication_date"][0] in {"2020", "2022"}
    assert "citation_pdf_url" not in tags  # no PDF link is known for any paper


def test_scholar_tags_by_venue(site):
    grafics = scholar(site, "zhuo2022grafics")
    assert grafics["citation_doi"] == ["10.1109/ICDCS54860.2022.00105"]
    assert grafics["citation_firstpage"] == ["1051"] and grafics["citation_lastpage"] == ["1061"]
    assert grafics["citation_conference_title"][0].startswith(
        "2022 IEEE 42nd International Conference"
    )
    assert grafics["citation_author"][1] == "Zhao, Ziqi"
    neurips = scholar(site, "liu2022robust")
    assert "citation_doi" not in neurips and "citation_firstpage" not in neurips
    assert neurips["citation_author"][2] == "Süsstrunk, Sabine"
    iot = scholar(site, "tan2020iot")
    assert iot["citation_journal_title"] == ["IEEE Internet of Things Magazine"]
    assert iot["citation_volume"] == ["3"] and iot["citation_issue"] == ["3"]


@pytest.mark.parametrize("key", KEYS_NEWEST_FIRST)
def test_paper_pages_carry_scholarly_article_json_ld(site, key):
    script = site.page(f"/publications/{key}/").head.find("script", type="application/ld+json")
    data = json.loads(script.string)
    assert data["@context"] == "https://schema.org" and data["@type"] == "ScholarlyArticle"
    assert len(data["author"]) == AUTHOR_COUNTS[key]
    assert data["url"].endswith(f"/publications/{key}/")


def test_paper_page_links_its_project(site):
    page = site.page("/publications/zhuo2022grafics/")
    assert any(a["href"].endswith("research/grafics/") for a in page.select("article a"))
    # The citation, title first, for link previews only: no description meta,
    # which Zotero would save as the abstract (the entry has none).
    description = page.find("meta", attrs={"name": "twitter:description"})["content"]
    assert description.startswith("GRAFICS: Graph Embedding-based Floor Identification")
    assert "Weipeng Zhuo, Ziqi Zhao" in description
    assert page.find("meta", attrs={"name": "description"}) is None


def test_a_citation_in_a_project_page_links_the_papers_own_page(site):
    """Its permanent address, not its place in the list (which shifts)."""
    for url, slug in (("/research/grafics/", "zhuo2022grafics"),
                      ("/research/robust-binary-pruning/", "liu2022robust")):  # fmt: skip
        links = site.page(url).select(".bibtex-citation a")
        assert [a["href"] for a in links] == [f"../../publications/{slug}/"], url
        assert (site.file(f"/publications/{slug}/")).is_file()


def test_home_shows_selected_papers(site):
    items = site.page("/").select(".paper-list > li")
    assert len(items) == 2
    assert "Robust Binary Models" in items[0].get_text() and "GRAFICS" in items[1].get_text()


def test_new_bib_entry_adds_a_page(broken_site):
    def edit(src: Path):
        bib = src / "refs.bib"
        bib.write_text(
            bib.read_text()
            + "\n@misc{test2030temp,\n  author = {Example, Ada},\n  title = {A Temporary Entry},\n  year = {2030},\n}\n"
        )

    code, log, src = broken_site(edit, SMALL_SOURCES)
    assert code == 0, log
    assert (src.parent / "html" / "publications" / "test2030temp" / "index.html").is_file()


# -- The download: the same cleaned entries as the BibTeX boxes ------------------

PRIVATE = ("equal_contribution", "selected", "openreview", "code", "pdf", "slug", "venue", "status")


def test_downloaded_bib_has_no_private_field_and_no_comment(site):
    import bibtexparser
    from pybtex.database import parse_string

    text = site.file("/refs.bib").read_text("utf-8")
    assert "%" not in text, "a comment (or a % sign) reached the download"
    pybtex_entries = parse_string(text, "bibtex").entries
    assert list(pybtex_entries) == KEYS_NEWEST_FIRST
    for key, entry in pybtex_entries.items():
        assert not {name.lower() for name in entry.fields} & set(PRIVATE), key
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks and not library.comments
    assert [e.key for e in library.entries] == KEYS_NEWEST_FIRST
    for entry in library.entries:
        assert not {f.key.lower() for f in entry.fields} & set(PRIVATE), entry.key
    boxes = [
        b.get_text().strip()
        for b in site.page("/publications/").select("details.bibtex-details pre")
    ]
    assert text == "\n\n".join(boxes) + "\n"


@pytest.mark.parametrize("url", ["/publications/", "/publications/liu2022robust/"])
def test_pages_link_the_generated_download(site, url):
    links = [a["href"] for a in site.page(url).select("article a.bib-download")]
    assert len(links) == 1
    target = (site.file(url).parent / links[0]).resolve()
    assert target == (site.root / "refs.bib").resolve() and target.is_file()
    assert not (site.root / "_downloads").exists(), "the source file is published too"


# -- Venue and status labels --------------------------------------------------------

LABELS = {"liu2022robust": ["NeurIPS 2022"], "zhuo2022grafics": ["ICDCS 2022"],
          "tan2020iot": ["IEEE Internet of Things Magazine 2020"]}  # fmt: skip


def labels_in(element) -> list[str]:
    return [span.get_text() for span in element.select(".paper-labels .paper-label")]


@pytest.mark.parametrize("key", KEYS_NEWEST_FIRST)
def test_every_entry_shows_its_venue_label(site, key):
    assert labels_in(site.page("/publications/").find(id=key)) == LABELS[key]
    assert labels_in(site.page(f"/publications/{key}/").find("article")) == LABELS[key]


def test_home_selected_papers_show_their_venue(site):
    items = site.page("/").select(".paper-list > li")
    assert [labels_in(item) for item in items] == [
        LABELS["liu2022robust"],
        LABELS["zhuo2022grafics"],
    ]


def test_cv_pdf_shows_the_venue_labels(site):
    from pypdf import PdfReader

    text = " ".join(
        " ".join(page.extract_text() for page in PdfReader(site.file("/cv.pdf")).pages).split()
    )
    for key, (label,) in LABELS.items():
        assert label in text, key


def test_no_status_is_invented_for_published_papers(site):
    assert not site.page("/publications/").select(".paper-label-status")


def test_description_explains_the_equal_contribution_mark(site):
    page = site.page("/publications/liu2022robust/")
    description = page.head.find("meta", attrs={"name": "twitter:description"})["content"]
    assert "Ziqi Zhao*" in description and description.endswith("* Equal contribution.")
    plain = site.page("/publications/zhuo2022grafics/")
    assert (
        "Equal contribution"
        not in plain.head.find("meta", attrs={"name": "twitter:description"})["content"]
    )


# -- Abstracts: the owner adds them to refs.bib; a copy with one shows them ------

# The abstract goes into a copy of the made-up portfolio's preprint: the tests are
# of the engine's rendering of an abstract, not of the owner's papers.
ABSTRACT_KEY = "nunez2024reverb"

ABSTRACT = (
    r"A test abstract with \emph{emphasis}, 5\% and $\alpha$: long enough to read as one, "
    "written by the test into a copy of refs.bib, never into the real one."
)
ABSTRACT_TEXT = "A test abstract with emphasis, 5% and α: long enough to read as one, written by the test into a copy of refs.bib, never into the real one."


@pytest.fixture(scope="module")
def abstract_site(tmp_path_factory):
    import os
    import shutil
    import subprocess
    import sys

    from conftest import NOT_ON_READ_THE_DOCS, OTHER_SOURCES, OTHER_URL, STRICT, Site, replace_in

    work = tmp_path_factory.mktemp("abstract")
    src, out = work / "src", work / "html"
    shutil.copytree(OTHER_SOURCES, src)
    replace_in(
        src / "refs.bib",
        "  archiveprefix = {arXiv},\n",
        f"  archiveprefix = {{arXiv}},\n  abstract = {{{ABSTRACT}}},\n",
    )
    loud = [arg for arg in STRICT if arg != "-q"]  # the notice is an info line
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", *loud, "-d", str(out / ".doctrees"), str(src), str(out)],
        capture_output=True, text=True, env={**os.environ, **NOT_ON_READ_THE_DOCS}, check=False,
    )  # fmt: skip
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    return Site(out, log, OTHER_URL)


def test_abstract_is_shown_in_full_on_the_paper_page(abstract_site):
    page = abstract_site.page(f"/publications/{ABSTRACT_KEY}/")
    assert page.find(id="abstract").get_text(strip=True) == "Abstract"
    shown = page.select_one(".paper-abstract")
    assert " ".join(shown.get_text().split()) == ABSTRACT_TEXT
    assert shown.find("em").get_text() == "emphasis"
    tags = page.head.find_all("meta", attrs={"name": "citation_abstract"})
    assert [t["content"] for t in tags] == [ABSTRACT_TEXT]
    data = json.loads(page.head.find("script", type="application/ld+json").string)
    assert data["abstract"] == ABSTRACT_TEXT


def test_zotero_saves_the_owners_abstract_and_previews_show_the_citation(abstract_site):
    """With an abstract, Zotero saves it (citation_abstract beats the
    description); the description and og:description are the citation."""
    url = f"/publications/{ABSTRACT_KEY}/"
    page = abstract_site.page(url)
    html = abstract_site.file(url).read_text("utf-8")
    item = embedded_metadata(html, abstract_site.base_url + url.lstrip("/"))
    assert item["abstractNote"] == ABSTRACT_TEXT
    description = page.head.find("meta", attrs={"name": "description"})["content"]
    assert description.startswith("Reverberation Time of Invented")  # the citation, title first
    assert "Erika Muster" in description and ABSTRACT_TEXT not in description
    assert page.head.find("meta", property="og:description")["content"] == description


def test_abstract_is_collapsed_in_the_list(abstract_site):
    entry = abstract_site.page("/publications/").find(id=ABSTRACT_KEY)
    details = entry.select_one("details.abstract-details")
    assert details is not None and not details.has_attr("open")
    assert details.summary.get_text() == "Abstract"  # a <summary>: a keyboard control
    assert ABSTRACT_TEXT in " ".join(details.get_text().split())
    assert (
        not abstract_site.page("/publications/")
        .find(id="nunez2021runoff")
        .select(".abstract-details")
    )


def test_build_names_the_papers_without_an_abstract(abstract_site):
    notices = [line for line in abstract_site.log.splitlines() if "without an abstract" in line]
    assert len(notices) == 1
    assert notices[0].endswith(": nunez2021runoff, nunez2023gauge, nunez2024talk"), notices[0]
    # It sends the owner to the engine's README, a file the owner has on disk.
    readme = REPO / "src" / "README.md"
    assert f'see "Add a paper" in the sphinx-academic-portfolio README, {readme}' in notices[0]
    assert "WARNING" not in notices[0]
    assert not abstract_site.page("/publications/nunez2021runoff/").select(".paper-abstract")
    assert not abstract_site.page("/publications/nunez2021runoff/").head.find(
        "meta", attrs={"name": "citation_abstract"}
    )


def test_with_no_paper_selected_the_home_page_has_no_empty_section(tmp_path):
    """The home page showed a "Selected publications" heading over nothing."""
    import shutil
    import subprocess
    import sys

    from bs4 import BeautifulSoup
    from conftest import OTHER_SOURCES, STRICT

    src, out = tmp_path / "src", tmp_path / "html"
    shutil.copytree(OTHER_SOURCES, src)
    bib = src / "refs.bib"
    assert "selected = {true}" in bib.read_text("utf-8")
    bib.write_text(bib.read_text("utf-8").replace("selected = {true}", "note = {}"), "utf-8")
    # A list right under a page's title: the page itself stays.
    (src / "picks.md").write_text("---\norphan: true\n---\n# Picks\n\nIntro text.\n\n"
                                  "```{selected-papers}\n```\n", "utf-8")  # fmt: skip
    contract = src / "_data" / "public-urls.txt"
    contract.write_text(contract.read_text("utf-8") + "/picks/\n", "utf-8")
    loud = [arg for arg in STRICT if arg != "-q"]  # the notice is printed as nox -s docs shows it
    result = subprocess.run([sys.executable, "-m", "sphinx", *loud, str(src), str(out)],
                            capture_output=True, text=True, check=False)  # fmt: skip
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    home = BeautifulSoup((out / "index.html").read_text("utf-8"), "lxml")
    headings = [h.get_text(" ", strip=True) for h in home.select("article h2, nav.bd-toc a")]
    assert not any("Selected publications" in h for h in headings), headings
    assert any("Research projects" in h for h in headings), headings  # the rest stays
    picks = BeautifulSoup((out / "picks" / "index.html").read_text("utf-8"), "lxml")
    assert picks.find("h1") and "Intro text." in picks.find("article").get_text()
    assert re.search(r"index\.md:\d+: no paper of refs\.bib is marked selected.*"
                     r"add selected = \{true\}", log), log  # fmt: skip
