"""A paper read once shows the same everywhere: page, tags, JSON-LD, card, exports, PDF.

The made-up portfolio (tests/fixtures/other-portfolio), with one more made-up
paper whose fields are written in the forms that were read differently by
different outputs: names with braced LaTeX accents (``Garc{\\'{\\i}}a``), a
von part and a Jr part, an abbreviated page range (``1051--61``), a month
as BibTeX's macro (``jan``). Each output is read as its reader reads it.
"""

from __future__ import annotations

import json

import pytest
import rispy
from conftest import Site, other_site_with_entry
from pypdf import PdfReader

pytestmark = pytest.mark.build

# Invented for the tests, like every entry of the made-up portfolio.
NAMES_ENTRY = r"""
@article{garcia2021names,
  author = {Garc{\'{\i}}a, Mar{\'\i}a and van der Berg, Jr, Jan and {\~N}{\'u}{\~n}ez-{\L}ukasiewicz, Zo{\"e}},
  title = {Names Read Once},
  journal = {Journal of Made-up Results},
  volume = {12},
  number = {3},
  pages = {1051--61},
  month = jan,
  year = {2021},
}
"""
URL = "/publications/garcia2021names/"
DISPLAY = ["María García", "Jan van der Berg, Jr", "Zoë Ñúñez-Łukasiewicz"]
INVERTED = ["García, María", "van der Berg, Jan, Jr", "Ñúñez-Łukasiewicz, Zoë"]


@pytest.fixture(scope="module")
def names_site(tmp_path_factory) -> Site:
    return other_site_with_entry(tmp_path_factory, "names", NAMES_ENTRY, URL)


def meta(site: Site, name: str) -> list[str]:
    return [tag["content"] for tag in site.page(URL).select(f'meta[name="{name}"]')]


def linked(site: Site, css: str) -> str:
    link = site.page(URL).select_one(f"article a.{css}")
    return (site.file(URL).parent / link["href"]).read_text("utf-8")


def test_the_page_citation_reads_every_name_part(names_site):
    citation = names_site.page(URL).select_one("div.paper-citation").get_text(" ", strip=True)
    for name in DISPLAY:
        assert name in citation.replace("\u00a0", " "), citation
    assert "\\" not in citation, citation


def test_scholar_tags_keep_accents_von_jr_and_the_full_last_page(names_site):
    assert meta(names_site, "citation_author") == INVERTED
    assert meta(names_site, "citation_firstpage") == ["1051"]
    assert meta(names_site, "citation_lastpage") == ["1061"]


def test_json_ld_names_read_as_text(names_site):
    script = names_site.page(URL).select_one('script[type="application/ld+json"]')
    work = json.loads(script.string)
    assert [person["name"] for person in work["author"]] == DISPLAY
    assert work["pagination"] == "1051–1061"


def test_the_card_names_read_as_text(names_site):
    alt = meta_property(names_site, "og:image:alt")
    assert all(name in alt for name in DISPLAY[:2]) and "\\" not in alt, alt


def meta_property(site: Site, name: str) -> str:
    return site.page(URL).select_one(f'meta[property="{name}"]')["content"]


def test_ris_keeps_names_the_last_page_and_the_month(names_site):
    (record,) = rispy.loads(linked(names_site, "paper-ris-download"))
    assert record["authors"] == INVERTED
    assert (record["start_page"], record["end_page"]) == ("1051", "1061")
    assert record["year"] == "2021" and record["date"] == "2021/01"


def test_csl_json_keeps_names_the_last_page_and_the_month(names_site):
    (item,) = json.loads(linked(names_site, "paper-csl-download"))
    assert item["author"] == [
        {"family": "García", "given": "María"},
        {"family": "van der Berg", "given": "Jan", "suffix": "Jr"},
        {"family": "Ñúñez-Łukasiewicz", "given": "Zoë"},
    ]
    assert item["page"] == "1051-1061"
    assert item["issued"] == {"date-parts": [[2021, 1]]}


def test_the_cv_pdf_reads_every_name_part(names_site):
    text = "".join(page.extract_text() for page in PdfReader(names_site.file("/cv.pdf")).pages)
    flat = " ".join(text.split())
    assert "María García" in flat and "Jan van der Berg, Jr" in flat, flat
    assert "\\" not in flat
