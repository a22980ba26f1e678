"""Research pages and home: facts true to the CV, cards from front matter."""

from __future__ import annotations

import itertools
import re
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import SMALL_SOURCES

pytestmark = pytest.mark.build

PROJECTS = {
    "/research/quantized-6d-pose/": ["Computer Vision Lab", "Dr. Mathieu Salzmann", "5.75/6", "1%–5%", "Aug 2022 – Jan 2023"],
    "/research/greek-ocr/": ["Digital Humanities Lab", "Prof. Frédéric Kaplan", "5.75/6", "4.55%", "1.97%", "8.07%", "3.28%", "Feb 2022 – Jun 2022"],
    "/research/robust-binary-pruning/": ["Image and Visual Representation Lab", "Prof. Sabine Süsstrunk", "5.75/6", "30%", "NeurIPS 2022", "Feb 2021 – Oct 2022"],
    "/research/grafics/": ["HKUST", "Prof. S.-H. Gary Chan", "nearly 100%", "over 90%", "70%", "ICDCS 2022", "Feb 2021 – Jul 2022"],
}  # fmt: skip


def text_of(soup) -> str:
    return " ".join(soup.find("article").get_text(" ").split())


@pytest.mark.parametrize("url", PROJECTS)
def test_project_page_states_its_facts(site, url):
    text = text_of(site.page(url))
    for fact in PROJECTS[url]:
        assert fact in text, f"{fact!r} missing from {url}"


@pytest.mark.parametrize("url", PROJECTS)
def test_project_page_has_header_stats_and_linkable_sections(site, url):
    page = site.page(url)
    assert page.select(".project-facts dt"), "facts block missing"
    # One tile at least; a number the facts state (grade, venue) has none (a fact once).
    assert len(page.select(".project-stat-value")) >= 1
    for anchor in ("problem", "approach", "results"):
        assert page.find(id=anchor), f"#{anchor} missing on {url}"


def test_ocr_chart_draws_the_stated_numbers(site):
    page = site.page("/research/greek-ocr/")
    chart = page.select_one("figure.project-chart")
    values = [v.get_text() for v in chart.select(".chart-bar-value")]
    assert values == ["4.55%", "1.97%", "8.07%", "3.28%"]
    widths = [
        float(re.search(r"width: ([\d.]+)%", f["style"]).group(1))
        for f in chart.select(".chart-bar-fill")
    ]
    assert widths == pytest.approx(
        [4.55 / 8.07 * 100, 1.97 / 8.07 * 100, 100, 3.28 / 8.07 * 100], abs=0.1
    )
    caption = chart.figcaption.get_text()
    assert all(v in caption for v in values), "the text alternative must state every number"
    stats = " ".join(s.get_text() for s in page.select(".project-stat-value"))
    assert "4.55% → 1.97%" in stats and "8.07% → 3.28%" in stats


def test_project_pages_link_their_paper(site):
    page = site.page("/research/robust-binary-pruning/")
    hrefs = [a["href"] for a in page.select(".paper-links a")]
    assert "https://github.com/IVRL/RobustBinarySubNet" in hrefs
    # The citation in the text links to the paper's own page (academic_portfolio.papers).
    assert [a["href"] for a in page.select("a") if "Liu" in a.get_text()] == [
        "../../publications/liu2022robust/"
    ]


def test_project_descriptions_are_unique_and_from_front_matter(site):
    descriptions = {}
    for url in PROJECTS:
        meta = site.page(url).find("meta", attrs={"name": "description"})
        assert meta and len(meta["content"]) > 40, url
        descriptions[url] = meta["content"]
    assert len(set(descriptions.values())) == len(PROJECTS)
    assert "4.55% to 1.97%" in descriptions["/research/greek-ocr/"]


def test_research_index_has_a_card_per_project_newest_first(site):
    cards = site.page("/research/").select(".project-card")
    titles = [c.select_one(".sd-card-title").get_text(strip=True) for c in cards]
    assert titles == [
        "Quantized Neural Networks for 6D Pose Estimation",
        "Network Pruning in Adversarial Training",
        "GRAFICS: Floor Identification with Network Embedding",
        "Pushing the Limits of OCR on Complex Multilingual Documents",
    ]
    links = {c.select_one("a")["href"] for c in cards}
    assert links == {"quantized-6d-pose/", "robust-binary-pruning/", "grafics/", "greek-ocr/"}


def test_home_links_projects_contacts_and_cv(site):
    home = site.page("/")
    hrefs = {unquote(a["href"]) for a in home.select("article a")}
    for slug in ("quantized-6d-pose", "greek-ocr", "robust-binary-pruning", "grafics"):
        assert f"research/{slug}/" in hrefs
    assert "mailto:ziqi.zhao@epfl.ch" in hrefs
    assert "https://github.com/RobertFlame" in hrefs
    assert "https://scholar.google.com/citations?user=cLDqm1AAAAAJ" in hrefs
    assert "cv/" in hrefs
    text = text_of(home)
    for fact in (
        "MSc in Computer Science",
        "5.54/6",
        "Ketl.io",
        "Reaching Out Award",
        "trustworthy machine learning",
    ):
        assert fact in text, fact


def test_a_new_project_file_adds_its_card(broken_site):
    def edit(src: Path):
        page = (src / "research" / "alpha.md").read_text()
        page = page.replace('title: "Alpha project"', "title: A Temporary Test Project")
        (src / "research" / "temporary-test.md").write_text(
            page.replace("paper: example2022alpha\n", "")
        )

    code, log, src = broken_site(edit, SMALL_SOURCES)
    # The new page is not in the URL contract, but it builds and shows its card.
    assert code == 0, log
    html = (src.parent / "html" / "research" / "index.html").read_text()
    assert "A Temporary Test Project" in html and 'href="temporary-test/"' in html


def test_a_number_without_its_label_stops_the_build(build_stops):
    """A card or tile shows no number without what it measures."""
    log = build_stops(
        "research/alpha.md",
        ("  - value: 10%\n    label: a result of the tests\n", "  - value: 10%\n"),
        r"alpha\.md",
        SMALL_SOURCES,
    )
    assert "label" in log, log


def test_every_number_on_a_card_says_what_it_measures(each_site):
    cards = each_site.page("/").select(".project-card")
    assert cards, "no card: this test checks nothing"
    items = [item for card in cards for item in card.select(".project-card-numbers li")]
    assert items, "no number on any card"
    for card in cards:
        for item in card.select(".project-card-numbers li"):
            value = item.select_one(".project-card-value").get_text()
            label = item.get_text().replace(value, "", 1).strip()
            assert len(label) > 3, f"{value!r} without a label on a card"


@pytest.mark.parametrize("url", PROJECTS)
def test_no_tile_repeats_a_fact_of_the_page(site, url):
    page = site.page(url)
    facts = {" ".join(dd.get_text().split()) for dd in page.select(".project-facts dd")}
    tiles = [" ".join(v.get_text().split()) for v in page.select(".project-stat-value")]
    assert not facts & set(tiles), f"{url}: {facts & set(tiles)} in the facts and a tile"


TILES = """() => [...document.querySelectorAll('.project-stat')].map(t => {
  const r = t.getBoundingClientRect(); return [r.left, r.top, r.width, r.height]; })"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_tiles_are_an_even_grid_with_gaps(browser, server, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(server + "research/greek-ocr/")
    many = page.evaluate(TILES)
    column = page.evaluate("document.querySelector('.bd-article h1').getBoundingClientRect().width")
    page.goto(server + "research/robust-binary-pruning/")
    alone = page.evaluate(TILES)
    context.close()
    assert len(many) == 3 and len(alone) == 1
    rows: dict[float, list] = {}
    for left, top, w, h in many:
        rows.setdefault(round(top), []).append((left, w, h))
    for row in rows.values():
        assert len({round(h) for _, _, h in row}) == 1, f"tiles of unequal height: {row}"
        row.sort()
        for (left, w, _), (next_left, _, _) in itertools.pairwise(row):
            assert next_left - (left + w) >= 8, f"tiles touch: {row}"
    tops = sorted(rows)
    for upper, lower in itertools.pairwise(tops):
        assert lower - upper > max(h for _, _, h in rows[upper]) + 7, "rows touch"
    if width >= 768:
        assert alone[0][2] < column / 2, f"a lone tile {alone[0][2]:.0f} px wide"
