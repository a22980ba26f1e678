"""Link previews and discovery: head tags, social cards, sitemap, robots, 404."""

from __future__ import annotations

import json
import struct
from urllib.parse import urlsplit

import pytest
from conftest import REPO, public_urls
from conftest import SITE_URL as BASE

from academic_portfolio.data.paper import paper_record

# Pure: a test whose fixtures build a site is marked build by conftest.py.
pytestmark = pytest.mark.pure


PAGES = [url for url in public_urls() if url.endswith("/")]
# The home page is a profile; the pages that list things (and the CV) are a
# website's; a project or a paper is an article.
OG_TYPES = {"/": "profile", "/research/": "website", "/publications/": "website", "/cv/": "website"}


def png_size(path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", header[16:24])


def build_file(site, absolute_url: str):
    assert absolute_url.startswith(BASE), absolute_url
    return site.root / absolute_url.removeprefix(BASE)


def og(page, prop: str) -> str | None:
    tag = page.head.find("meta", property=prop)
    return tag["content"] if tag else None


def preview_description(page) -> str:
    """What a link preview says: the description, or on a paper page without
    an abstract, twitter:description (the only one it has)."""
    tag = page.head.find("meta", attrs={"name": "description"}) or page.head.find(
        "meta", attrs={"name": "twitter:description"}
    )
    assert tag and tag["content"]
    return tag["content"]


@pytest.mark.parametrize("url", PAGES)
def test_every_page_has_complete_preview_tags(site, url):
    page = site.page(url)
    canonical = page.head.find("link", rel="canonical")["href"]
    assert canonical == BASE + url.lstrip("/")
    assert og(page, "og:url") == canonical
    assert og(page, "og:title") and page.title.string.startswith(og(page, "og:title"))
    description = preview_description(page)
    if url.startswith("/publications/") and url != "/publications/":
        # A paper without an abstract: Zotero would save description and
        # og:description as its abstract (test_zotero.py); previews read Twitter's.
        assert og(page, "og:description") is None
    else:
        assert og(page, "og:description") == description
    assert og(page, "og:type") == OG_TYPES.get(url, "article")
    assert og(page, "og:locale") == "en_US"
    assert (
        page.head.find("meta", attrs={"name": "twitter:card"})["content"] == "summary_large_image"
    )
    image = og(page, "og:image")
    assert (og(page, "og:image:width"), og(page, "og:image:height")) == ("1200", "630")
    alt = og(page, "og:image:alt")
    assert alt and page.head.find("meta", attrs={"name": "twitter:image:alt"})["content"] == alt
    assert png_size(build_file(site, image)) == (1200, 630)
    viewports = page.head.find_all("meta", attrs={"name": "viewport"})
    assert len(viewports) == 1, [str(v) for v in viewports]


def test_descriptions_and_cards_are_unique(site):
    descriptions = [preview_description(site.page(u)) for u in PAGES]
    images = [og(site.page(u), "og:image") for u in PAGES]
    assert len(set(descriptions)) == len(PAGES)
    assert len(set(images)) == len(PAGES)


def test_project_card_says_the_front_matter_summary(site):
    page = site.page("/research/greek-ocr/")
    assert og(page, "og:description").startswith(
        "Semester project at EPFL's Digital Humanities Lab"
    )
    assert og(page, "og:image").endswith("/_images/social/research-greek-ocr.png")


def test_favicons_exist(site):
    for url in ("/", "/research/grafics/", "/404/", "/search/"):
        links = site.page(url).head.find_all(
            "link", rel=lambda r: r in ("icon", "apple-touch-icon")
        )
        assert len(links) == 3, url
    static = site.root / "_static"
    assert (static / "favicon.svg").is_file()
    assert png_size(static / "favicon-32.png") == (32, 32)
    assert png_size(static / "apple-touch-icon.png") == (180, 180)


def test_sitemap_lists_exactly_the_contract(site):
    assert sorted(site.sitemap_urls()) == sorted(BASE + url.lstrip("/") for url in public_urls())


def test_robots_txt_points_to_the_sitemap(site):
    robots = (site.root / "robots.txt").read_text()
    assert f"Sitemap: {BASE}sitemap.xml" in robots and "User-agent: *" in robots


def test_404_page_works_at_any_depth(site):
    page = site.page("/404/")
    prefix = urlsplit(BASE).path
    for tag in page.find_all(["link", "script", "img", "a"]):
        ref = tag.get("href") or tag.get("src")
        if ref and not ref.startswith(("#", "https://", "mailto:")):
            assert ref.startswith(prefix), f"relative URL on the 404 page: {ref}"
    hrefs = [a["href"] for a in page.select("article a")]
    assert hrefs == [prefix, prefix + "research/"]


def test_home_has_person_json_ld(site):
    scripts = site.page("/").head.find_all("script", type="application/ld+json")
    person = next(d for d in map(lambda s: json.loads(s.string), scripts) if d["@type"] == "Person")
    assert person["name"] == "Ziqi Zhao"
    assert person["email"] == "mailto:ziqi.zhao@epfl.ch"
    assert person["url"] == BASE
    assert [s["name"] for s in person["alumniOf"]] == [
        "École polytechnique fédérale de Lausanne (EPFL)",
        "Hong Kong University of Science and Technology (HKUST)",
    ]
    assert "Model compression" in person["knowsAbout"]
    assert person["sameAs"] == [
        "https://github.com/RobertFlame",
        "https://scholar.google.com/citations?user=cLDqm1AAAAAJ",
    ]


def test_read_the_docs_previews_use_its_canonical_url(rtd_site):
    page = rtd_site.page("/research/grafics/")
    assert og(page, "og:url") == "https://example.readthedocs.io/en/latest/research/grafics/"
    assert (
        og(page, "og:image")
        == "https://example.readthedocs.io/en/latest/_images/social/research-grafics.png"
    )


def test_cards_are_drawn_once_per_input(tmp_path):
    from academic_portfolio.text.typeset import TEMPLATES, typeset

    card = {
        "card": json.dumps({"name": "N", "kicker": "K", "title": "T", "line": "L", "site": "S"})
    }
    first = typeset(TEMPLATES / "social-card.typ", card, tmp_path, fmt="png", ppi=72)
    stamp = first.stat().st_mtime_ns
    again = typeset(TEMPLATES / "social-card.typ", card, tmp_path, fmt="png", ppi=72)
    assert again == first and again.stat().st_mtime_ns == stamp
    other = typeset(
        TEMPLATES / "social-card.typ",
        {"card": card["card"].replace("T", "U")},
        tmp_path,
        fmt="png",
        ppi=72,
    )
    assert other != first and png_size(other) == (1200, 630)


def test_an_unchanged_card_is_not_written_again_into_the_site(tmp_path):
    """A rebuild writes the page again, but its card, the same picture, keeps
    its file and date (a server's caches stay valid); a changed one is written."""
    import os
    from types import SimpleNamespace

    from academic_portfolio.metadata.sharing import draw_card
    from academic_portfolio.text.typeset import wait_for_background

    app = SimpleNamespace(outdir=tmp_path / "html", doctreedir=tmp_path / "doctrees",
                          confdir=tmp_path, builder=SimpleNamespace(parallel_ok=False))  # fmt: skip
    card = {"name": "N", "kicker": "K", "title": "T", "line": "L", "site": "S"}
    path = tmp_path / "html" / draw_card(app, "research/x", card)
    wait_for_background()  # as the build does before it ends
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))  # as if written long ago
    draw_card(app, "research/x", card)
    wait_for_background()
    assert path.stat().st_mtime_ns == 1_000_000_000
    draw_card(app, "research/x", {**card, "title": "U"})
    wait_for_background()
    assert path.stat().st_mtime_ns != 1_000_000_000 and png_size(path) == (1200, 630)


def test_home_card_alt_text_says_more_than_the_name(site):
    alt = og(site.page("/"), "og:image:alt")
    assert alt != "Ziqi Zhao — Ziqi Zhao"
    assert alt.startswith(
        "Ziqi Zhao, Machine-learning researcher. Research: Trustworthy machine learning"
    )


@pytest.mark.parametrize(
    ("key", "authors", "venue"),
    [
        ("liu2022robust", "Chen Liu*, Ziqi Zhao*, Sabine Süsstrunk, and Mathieu Salzmann (* Equal contribution)",
         "Advances in Neural Information Processing Systems (NeurIPS), 2022"),
        ("zhuo2022grafics", "Weipeng Zhuo, Ziqi Zhao, Ka Ho Chiu, Shiju Li, Sangtae Ha, Chul-Ho Lee, and S.-H. Gary Chan",
         "2022 IEEE 42nd International Conference on Distributed Computing Systems (ICDCS), 2022"),
        ("tan2020iot", "Jiajie Tan, Edmund Sumpena, Weipeng Zhuo, Ziqi Zhao, Mengyun Liu, and S.-H. Gary Chan",
         "IEEE Internet of Things Magazine, 2020"),
    ],
)  # fmt: skip
def test_paper_card_shows_title_authors_venue_and_year(site, key, authors, venue):
    """The card's alt text is the card's text: the title once, then the authors,
    then where and when (the card used to repeat the title as its subtitle)."""
    page = site.page(f"/publications/{key}/")
    title = og(page, "og:title")
    assert og(page, "og:image:alt") == f"{title}. {authors}. {venue}."


def test_paper_card_sets_the_owner_in_bold():
    from academic_portfolio.data import refsbib
    from academic_portfolio.metadata.sharing import author_runs
    from academic_portfolio.text import bibstyle

    bibstyle.register_plugins()
    style = bibstyle.PortfolioStyle(owner=bibstyle.Person("Zhao, Ziqi"))
    bib = refsbib.load_bib(REPO / "refs.bib")
    runs = author_runs(paper_record(bib.entries["liu2022robust"]), style)
    bold = "".join(r["text"] for r in runs if r["bold"])
    assert bold == "Ziqi Zhao*"
    assert "".join(r["text"] for r in runs).startswith("Chen Liu*, Ziqi Zhao*")


def test_search_page_is_not_indexed_and_titled_like_the_others(site):
    page = site.page("/search/")
    assert page.head.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert page.head.find("link", rel="canonical") is None
    assert page.title.string == "Search — Ziqi Zhao"
    assert site.page("/cv/").title.string == "Curriculum vitae — Ziqi Zhao"


def test_profile_links_say_rel_me(site):
    profiles = (
        "https://github.com/RobertFlame",
        "https://scholar.google.com/citations?user=cLDqm1AAAAAJ",
    )
    for url in ("/", "/publications/liu2022robust/"):
        header = site.page(url).select(".navbar-icon-links a")
        assert {a["href"] for a in header} == set(profiles), url
        assert all("me" in a["rel"] for a in header), url
    contact = site.page("/").select(".cv-contact a")
    assert [a.get("rel") for a in contact if a["href"] in profiles] == [["me"], ["me"]]
    assert not any(a.get("rel") for a in contact if a["href"].startswith("mailto:"))


def sixty_author_paper(owner_place: int):
    """A made-up paper of 60 authors (a large collaboration), the owner at *owner_place*."""
    from pybtex.database import Entry, Person

    people = [Person(f"Author{n:02d}, Given") for n in range(1, 61)]
    people[owner_place - 1] = Person("Zhao, Ziqi")
    entry = Entry("article", fields={"title": "A Made-Up Study by a Large Collaboration",
                                     "journal": "Journal of Tests", "year": "2024"},
                  persons={"author": people})  # fmt: skip
    entry.key = "collaboration2024"
    return entry


def test_a_paper_card_of_sixty_authors_names_the_first_and_the_owner():
    from academic_portfolio.metadata.sharing import CARD_AUTHORS, author_runs
    from academic_portfolio.text import bibstyle

    bibstyle.register_plugins()
    style = bibstyle.PortfolioStyle(owner=bibstyle.Person("Zhao, Ziqi"))
    runs = author_runs(paper_record(sixty_author_paper(23)), style)
    text = "".join(run["text"] for run in runs)
    shown = ", ".join(f"Given Author{n:02d}" for n in range(1, CARD_AUTHORS))
    assert text == f"{shown}, et al. (Ziqi Zhao, author 23 of 60)"
    assert "".join(run["text"] for run in runs if run["bold"]) == "Ziqi Zhao"
    early = "".join(run["text"] for run in author_runs(paper_record(sixty_author_paper(2)), style))
    assert early.startswith("Given Author01, Ziqi Zhao, Given Author03")
    assert early.endswith(", et al.")


def test_a_paper_card_of_sixty_authors_stays_out_of_its_header(tmp_path):
    """The header (name, kicker) and the footer (the address) are drawn the same
    for 3 authors and for 60: the names no longer run over them."""
    from PIL import Image, ImageChops

    from academic_portfolio.data.cvrecord import cv_record
    from academic_portfolio.metadata.sharing import author_runs, card
    from academic_portfolio.text import bibstyle
    from academic_portfolio.text.typeset import TEMPLATES, typeset

    bibstyle.register_plugins()
    style = bibstyle.PortfolioStyle(owner=bibstyle.Person("Zhao, Ziqi"))
    cv = cv_record({
        "person": {"name": "Ziqi Zhao", "headline": "H", "research_interests": ["R"],
                   "email": "ziqi@example.org"},
        "education": [],
    })  # fmt: skip

    def drawn(entry) -> Image.Image:
        page_card = card(
            cv, "paper", entry.fields["title"], "", None, paper_record(entry), style, BASE
        )
        assert "authors" in page_card and author_runs(paper_record(entry), style)
        png = typeset(TEMPLATES / "social-card.typ", {"card": json.dumps(page_card)},
                      tmp_path, fmt="png", ppi=72)  # fmt: skip
        return Image.open(png).convert("RGB")

    few = sixty_author_paper(2)
    few.persons["author"] = few.persons["author"][:3]
    small, large = drawn(few), drawn(sixty_author_paper(23))
    for band in ((0, 0, 1200, 120), (0, 560, 1200, 630)):  # header; the address line
        assert ImageChops.difference(small.crop(band), large.crop(band)).getbbox() is None, band
