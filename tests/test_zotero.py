"""Zotero saves each paper page as the item its refs.bib entry describes.

Zotero's "Embedded Metadata" translator reads a paper's page. Three layers
of checks, on every paper page of both portfolios:

- CI: our model of the translator (tests/zotero_translator.py, its tables
  read from the vendored translator files) reads the freshly built page, and
  its item must equal the entry, field by field;
- CI: the items the real translator saved from these pages (recorded in
  tests/fixtures/zotero/items/, with the head they were saved from) must equal
  the entry too, and the model must give exactly the recorded item for every
  recorded head, including heads that misled Zotero (cases/): the model is
  checked against the real code, and a head that changed since the last
  recording fails until it is recorded again;
- locally, with Zotero's translation server running (tests/fixtures/zotero/
  SOURCE.md says how): the real translator on the pages just built, and
  ZOTERO_RECORD=1 writes the recordings.
"""

from __future__ import annotations

import json
import os
import re
import urllib.request
from html import escape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread

import pytest
from bs4 import BeautifulSoup
from conftest import OTHER_SOURCES, REPO
from pybtex.database import Entry, Person, parse_file
from zotero_translator import (
    FIXTURES,
    NotModelled,
    comparable,
    embedded_metadata,
    schema,
    type_field,
)

from academic_portfolio.data.paper import paper_record
from academic_portfolio.data.refsbib import PRIVATE_FIELDS
from academic_portfolio.text.latex import plain

pytestmark = pytest.mark.pure

SOURCES = {"site": REPO, "other_site": OTHER_SOURCES}
ITEMS = FIXTURES / "items"
CASES = FIXTURES / "cases"
SERVER = os.environ.get("ZOTERO_TRANSLATION_SERVER", "")  # e.g. http://127.0.0.1:1969
RECORD = os.environ.get("ZOTERO_RECORD") == "1"
RECORD_COMMAND = (
    "ZOTERO_TRANSLATION_SERVER=http://127.0.0.1:1969 ZOTERO_RECORD=1 "
    "nox -s tests-3.11 -- tests/test_zotero.py -k live"
)

# Zotero's item type of each entry type, as its BibTeX import reads them.
ITEM_TYPES = {
    "article": "journalArticle", "inproceedings": "conferencePaper",
    "conference": "conferencePaper", "incollection": "bookSection", "inbook": "bookSection",
    "book": "book", "proceedings": "book", "phdthesis": "thesis", "mastersthesis": "thesis",
    "techreport": "report", "patent": "patent", "unpublished": "manuscript", "misc": "document",
}  # fmt: skip
# Fields of refs.bib that Zotero has no place for in these item types: shown
# on the page, kept in the BibTeX, RIS and CSL-JSON, not in the saved item.
NO_PLACE = {"howpublished", "note", "month", "address", "series", "edition", "chapter",
            "primaryclass", "keywords"}  # fmt: skip


# -- What the entry says ------------------------------------------------------------


def entries(name: str) -> dict[str, Entry]:
    return dict(parse_file(SOURCES[name] / "refs.bib", "bibtex").entries)


def slug_urls(name: str) -> dict[str, str]:
    """Each paper's public URL, by its key (the pages' slugs are the keys here)."""
    return {key: f"/publications/{key.lower()}/" for key in entries(name)}


def one_line(latex: str) -> str:
    return " ".join(plain(latex).split())


def expected_item(entry: Entry, page_url: str) -> dict:
    """The Zotero item the entry describes, by Zotero's field names; a field
    the entry has and the item type has no place for fails here."""
    fields = {name.lower(): value for name, value in entry.fields.items()}
    unplaced = set(fields) - PRIVATE_FIELDS - NO_PLACE - {
        "title", "year", "journal", "booktitle", "volume", "number", "pages", "publisher",
        "doi", "isbn", "issn", "url", "eprint", "archiveprefix", "abstract", "school",
        "institution", "holder", "type"}  # fmt: skip
    assert not unplaced, f"{entry.key}: decide where Zotero keeps {sorted(unplaced)}"
    arxiv = fields.get("eprint") if fields.get("archiveprefix", "").lower() == "arxiv" else None
    kind = ITEM_TYPES[entry.type]
    if entry.type in ("misc", "unpublished") and fields.get("type"):
        kind = "presentation"
    elif entry.type == "misc" and arxiv:
        kind = "preprint"
    people = [p for p in entry.persons.get("author", []) if str(p) != "others"]
    item = {
        "itemType": kind,
        "title": one_line(fields["title"]),
        "creators": [
            {
                "firstName": plain(" ".join(p.first_names + p.middle_names)),
                "lastName": plain(" ".join(p.prelast_names + p.last_names)),
                "creatorType": "author",
            }
            for p in people
        ],
        "date": fields["year"],
    }
    container = fields.get("journal") or fields.get("booktitle")
    if container:
        item["publicationTitle"] = one_line(container)  # proceedingsTitle, bookTitle ...
    if container and kind == "conferencePaper":
        item["conferenceName"] = one_line(container)
    simple = {"volume": "volume", "publisher": "publisher", "doi": "DOI", "isbn": "ISBN",
              "issn": "ISSN", "url": "url", "school": "university", "institution": "institution",
              "holder": "assignee"}  # fmt: skip
    for name, field in simple.items():
        if fields.get(name):
            item[field] = (
                fields[name] if name in ("doi", "isbn", "issn", "url") else one_line(fields[name])
            )
    if "number" in fields:
        item[{"article": "issue", "patent": "patentNumber"}.get(entry.type, "number")] = one_line(
            fields["number"])  # fmt: skip
    if "pages" in fields:
        item["pages"] = re.sub(r"\s*-+\s*", "-", fields["pages"].strip())
    if entry.type == "mastersthesis":
        item["thesisType"] = "Master's Thesis"  # as Zotero's BibTeX import has it
    if kind == "presentation":
        item["presentationType"] = one_line(fields["type"])
    if fields.get("abstract", "").strip():
        item["abstractNote"] = one_line(fields["abstract"])
    item.setdefault("url", page_url)
    extra = [f"arXiv: {arxiv}"] if arxiv else []
    if item.get("DOI") and not type_field(kind, "DOI"):
        extra.append(f"DOI: {item.pop('DOI')}")  # where Zotero keeps a DOI it has no field for
    if extra:
        item["extra"] = "\n".join(extra)
    return by_type(entry.key, item)


def by_type(key: str, item: dict) -> dict:
    """Each field under its name for the item type (date is a patent's
    issueDate, publicationTitle a conference paper's proceedingsTitle ...)."""
    named = {}
    for field, value in item.items():
        name = field if field in ("itemType", "creators") else type_field(item["itemType"], field)
        assert name, f"{key}: Zotero's {item['itemType']} has no field for {field}"
        named[name] = value
    return named


def differences(got: dict, want: dict) -> list[str]:
    return [f"{field}: Zotero saves {got.get(field)!r}, the entry says {want.get(field)!r}"
            for field in sorted(set(got) | set(want)) if got.get(field) != want.get(field)]  # fmt: skip


def read_head(page: BeautifulSoup) -> list[list[str]]:
    """What the translator reads of a head for a paper's item: the tags with
    a name or property it takes a field from, and the canonical link (not
    images, not Twitter's; not og:type or og:site_name, which z.itemType
    and the Highwire type outweigh: the page's name or type may change
    without a new recording)."""
    reads = re.compile(
        r"^(citation_|z\.|og:(title|url|description)$|(description|generator|"
        r"keywords|author|language)$|(dc|dcterms|prism|eprints|bepress|bib|bibo)[.:])", re.I)  # fmt: skip
    tags = [[t.get("name") or t.get("property"), t.get("content")] for t in page.find_all("meta")
            if reads.match(t.get("name") or t.get("property") or "")]  # fmt: skip
    canonical = page.head.find("link", rel="canonical")
    return [*tags, ["link:canonical", canonical["href"] if canonical else ""]]


def paper_pages(name: str) -> list[tuple[str, str]]:
    return [(name, key) for key in entries(name)]


PAPERS = paper_pages("site") + paper_pages("other_site")


@pytest.fixture(params=PAPERS, ids=[f"{n}-{k}" for n, k in PAPERS])
def paper(request):
    name, key = request.param
    site = request.getfixturevalue(name)
    url = slug_urls(name)[key]
    return name, key, site, url


# -- CI: the model on the pages just built -----------------------------------------


def test_zotero_saves_each_paper_as_its_entry_says(paper):
    name, key, site, url = paper
    html = site.file(url).read_text("utf-8")
    page_url = site.base_url + url.lstrip("/")
    got = comparable(embedded_metadata(html, page_url))
    want = expected_item(entries(name)[key], page_url)
    assert not differences(got, want), "\n".join(differences(got, want))


def test_the_abstract_is_empty_unless_the_owner_wrote_one(paper):
    """Zotero takes description and og:description as the abstract: a page
    whose entry has none gives its citation only to twitter:description."""
    name, key, site, url = paper
    page, entry = site.page(url), entries(name)[key]
    description = page.head.find("meta", attrs={"name": re.compile("^description$", re.I)})
    og_description = page.head.find("meta", property="og:description")
    preview = page.head.find("meta", attrs={"name": "twitter:description"})
    if entry.fields.get("abstract", "").strip():
        assert page.head.find("meta", attrs={"name": "citation_abstract"})
        assert description and og_description
    else:
        assert description is None and og_description is None
        assert one_line(entry.fields["title"]) in preview["content"]  # the citation


def test_scholar_reads_the_venue_and_zotero_the_proceedings(site):
    """Google Scholar's tags stay its own: one citation_conference_title, and
    no citation_inbook_title, which would make it (and Zotero, if it came
    after) a book chapter; Zotero gets the proceedings in its own tag."""
    page = site.page("/publications/zhuo2022grafics/")
    names = [m.get("name") for m in page.head.find_all("meta")]
    assert names.count("citation_conference_title") == 1 and "citation_inbook_title" not in names
    proceedings = page.head.find("meta", attrs={"name": "z.proceedingsTitle"})["content"]
    assert (
        proceedings
        == page.head.find("meta", attrs={"name": "citation_conference_title"})["content"]
    )


# The container tag Google Scholar's inclusion guidelines name for each kind
# of work; a conference paper has no citation_inbook_title (a chapter's).
SCHOLAR_CONTAINERS = {
    "article": "citation_journal_title", "inproceedings": "citation_conference_title",
    "phdthesis": "citation_dissertation_institution",
    "mastersthesis": "citation_dissertation_institution",
    "techreport": "citation_technical_report_institution",
}  # fmt: skip


def test_scholar_tags_stay_scholars_own(paper):
    """Zotero's needs go into z.* tags: the citation_* tags are still one
    title, the authors in order, the year, and the one container tag the
    guidelines name for the work's kind."""
    name, key, site, url = paper
    entry = entries(name)[key]
    tags = [(m["name"], m["content"]) for m in site.page(url).head.find_all("meta", attrs={
        "name": re.compile("^citation_")})]  # fmt: skip
    names = [tag for tag, _ in tags]
    assert names.count("citation_title") == 1 and names.count("citation_publication_date") == 1
    authors = [value for tag, value in tags if tag == "citation_author"]
    assert authors == [", ".join(filter(None, (c["lastName"], c["firstName"])))
                       for c in expected_item(entry, "")["creators"]]  # fmt: skip
    containers = {
        n for n in names if n in set(SCHOLAR_CONTAINERS.values()) | {"citation_inbook_title"}
    }
    named = any(entry.fields.get(f) for f in ("journal", "booktitle", "school", "institution"))
    want = SCHOLAR_CONTAINERS.get(entry.type)
    assert containers == ({want} if want and named else set())


# -- CI: the real translator's recorded items -------------------------------------


def recording(name: str, key: str) -> dict:
    path = ITEMS / name / f"{key}.json"
    assert path.is_file(), f"no recorded item {path}: record it with {RECORD_COMMAND}"
    return json.loads(path.read_text("utf-8"))


def test_the_recorded_item_is_the_entry(paper):
    """What the real translator saved from this page equals the entry."""
    name, key, site, url = paper
    recorded = recording(name, key)
    want = expected_item(entries(name)[key], site.base_url + url.lstrip("/"))
    assert not differences(recorded["item"], want), "\n".join(differences(recorded["item"], want))


def test_the_head_is_the_one_recorded(paper):
    """A head that changed since the real translator read it is recorded again."""
    name, key, site, url = paper
    assert read_head(site.page(url)) == recording(name, key)["head"], (
        f"{url}: the head Zotero reads changed: record it again with {RECORD_COMMAND}"
    )


def cases() -> list[str]:
    return sorted(p.stem for p in CASES.glob("*.html"))


@pytest.mark.parametrize("case", cases())
def test_the_model_reads_what_the_real_translator_read(case):
    """Heads that misled Zotero (the citation as abstract, the proceedings
    lost, a chapter instead of a conference paper) and heads that did not:
    the model gives the item the real translator gave."""
    recorded = json.loads((CASES / f"{case}.json").read_text("utf-8"))
    html = (CASES / f"{case}.html").read_text("utf-8")
    assert comparable(embedded_metadata(html, recorded["url"])) == recorded["item"]


def test_the_model_reads_each_recorded_head_as_recorded():
    for path in sorted(ITEMS.glob("*/*.json")):
        recorded = json.loads(path.read_text("utf-8"))
        head = "".join(
            f'<link rel="canonical" href="{value}">' if name == "link:canonical" else
            f'<meta {"property" if name.startswith("og:") else "name"}="{name}" content="{escape(value)}">'
            for name, value in recorded["head"])  # fmt: skip
        html = f'<html lang="en"><head>{head}</head><body></body></html>'
        assert comparable(embedded_metadata(html, recorded["url"])) == recorded["item"], path


def test_the_model_says_when_it_does_not_know():
    html = ('<html><head><meta name="citation_title" content="T">'
            '<meta name="DC.title" content="T"></head></html>')  # fmt: skip
    with pytest.raises(NotModelled):
        embedded_metadata(html, "https://example.org/")


def test_the_schema_table_has_the_types_the_pages_use():
    for kind in {*ITEM_TYPES.values(), "preprint", "presentation"}:
        assert kind in schema()["fields"], kind


# -- Locally: the real translator (Zotero's translation server) -------------------


def real_item(page_url: str) -> dict:
    """The item Zotero's translation server saves from *page_url*."""
    request = urllib.request.Request(SERVER.rstrip("/") + "/web", data=page_url.encode(),
                                     headers={"Content-Type": "text/plain"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=60) as answer:
        items = json.loads(answer.read())
    assert len(items) == 1, items
    return comparable(items[0])


def needs_server() -> None:
    if not SERVER:
        pytest.skip(
            "NOT RUN: the real translator needs Zotero's translation server "
            "(tests/fixtures/zotero/SOURCE.md); set ZOTERO_TRANSLATION_SERVER"
        )


def test_live_translator_saves_each_paper_as_its_entry_says(paper, request):
    needs_server()
    name, key, site, url = paper
    base = request.getfixturevalue("server" if name == "site" else "other_server")
    page_url = site.base_url + url.lstrip("/")
    got = real_item(base + url.lstrip("/"))
    want = expected_item(entries(name)[key], page_url)
    if RECORD:
        path = ITEMS / name / f"{key}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"url": page_url, "head": read_head(site.page(url)), "item": got}
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", "utf-8")
    assert not differences(got, want), "\n".join(differences(got, want))
    venue = got.get("proceedingsTitle") or got.get("publicationTitle")
    if venue:  # Zotero's own BibTeX export of the saved item names the venue
        field = "booktitle" if got["itemType"] == "conferencePaper" else "journal"
        exported = zotero_bibtex(got)
        assert re.search(rf"\b{field} = \{{", exported), exported


def zotero_bibtex(item: dict) -> str:
    """Zotero's BibTeX export of *item* (the translation server's /export)."""
    request = urllib.request.Request(SERVER.rstrip("/") + "/export?format=bibtex",
                                     data=json.dumps([item]).encode(),
                                     headers={"Content-Type": "application/json"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=60) as answer:
        return answer.read().decode()


@pytest.fixture(scope="module")
def case_server():
    handler = type("Quiet", (SimpleHTTPRequestHandler,), {"log_message": lambda *a: None})
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: handler(*a, directory=str(CASES)))
    Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


@pytest.mark.parametrize("case", cases())
def test_live_translator_on_the_cases(case, case_server):
    needs_server()
    path = CASES / f"{case}.json"
    got = real_item(case_server + f"{case}.html")
    if RECORD:
        url = f"http://127.0.0.1/{case}.html"  # where it was served, without the port of the day
        path.write_text(json.dumps({"url": url, "item": got}, ensure_ascii=False, indent=1) + "\n")
    assert got == json.loads(path.read_text("utf-8"))["item"]


def test_a_family_names_particles_stay_with_it():
    """Scholar and Zotero read "van der Berg, Jan": the particles belong to
    the family name (they were dropped from citation_author before)."""
    from academic_portfolio.papers.scholar import scholar_tags

    entry = Entry("article", fields={"title": "T", "journal": "J", "year": "2024"},
                  persons={"author": [Person("van der Berg, Jan"), Person("Doe, Jane")]})  # fmt: skip
    entry.key = "k"
    authors = [
        value for name, value in scholar_tags(paper_record(entry)) if name == "citation_author"
    ]
    assert authors == ["van der Berg, Jan", "Doe, Jane"]
    head = "".join(f'<meta name="citation_author" content="{a}">' for a in authors)
    html = f'<html><head><meta name="citation_title" content="T">{head}</head></html>'
    item = embedded_metadata(html, "https://example.org/")
    assert [c["lastName"] for c in item["creators"]] == ["van der Berg", "Doe"]


def zotero_import(text: str) -> list[dict]:
    """The items Zotero's translation server imports from *text* (RIS, CSL-JSON ...)."""
    request = urllib.request.Request(SERVER.rstrip("/") + "/import", data=text.encode(),
                                     headers={"Content-Type": "text/plain"})  # fmt: skip
    with urllib.request.urlopen(request, timeout=60) as answer:
        return [
            comparable(item) for item in json.loads(answer.read()) if item["itemType"] != "note"
        ]


# What each download has no place for: RIS keeps the arXiv id as a note (N1),
# which Zotero imports as a child note; CSL-JSON names no conference or assignee.
IMPORT_GAPS = {".ris": {"extra"}, ".json": {"conferenceName", "assignee"}}


@pytest.mark.parametrize("suffix", sorted(IMPORT_GAPS))
def test_live_zotero_imports_each_papers_download_as_its_entry(paper, suffix):
    needs_server()
    name, key, site, url = paper
    entry = entries(name)[key]
    (got,) = zotero_import((site.file(url).parent / f"{key.lower()}{suffix}").read_text("utf-8"))
    want = expected_item(entry, "")  # a file has no page: the url is the entry's, or none
    gaps = IMPORT_GAPS[suffix] | ({"url"} if "url" not in entry.fields else set())
    want = {field: value for field, value in want.items() if field not in gaps}
    if suffix == ".ris" and want["itemType"] in ("preprint", "document"):
        want["itemType"] = "journalArticle"  # RIS has no preprint: GEN, which Zotero reads so
    # The authors of a patent or a talk: "author" in one reading, the type's
    # own first role (inventor, presenter) in another; Zotero's client saves
    # both as the latter.
    primary = schema()["creatorTypes"][got["itemType"]][0]
    for creator in [*want["creators"], *got.get("creators", [])]:
        if creator["creatorType"] == "author":
            creator["creatorType"] = primary
    got = {field: value for field, value in got.items() if field not in gaps}
    assert not differences(got, want), "\n".join(differences(got, want))
