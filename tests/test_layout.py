"""The header and the text column hold at every width, measured in a real browser.

Three portfolios (the real one, the made-up second one, and a stress one with
a 40-character name, a 40-character e-mail address and six profiles), every
page type, every width from 320 to 1920 px in steps of 16: the header stays
one row with nothing overlapping or outside the screen, a name cut short has
its full form in the link's title, the header's targets are at least 44 by 44
px on phones and tablets, and the text column starts at the same x on every
page type at a given width (with "Last updated" and the card grids in line).

One page load per page type: the viewport is resized in the loaded page.
"""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser

WIDTHS = range(320, 1921, 16)
HEIGHT = 800
TOUCH = 44  # px: the smallest target a finger hits (WCAG 2.5.5, Apple's HIG)
TOUCH_BELOW = 960  # px: the theme's phone and tablet header (a menu button, no nav bar)
PAGE_TYPES = {
    "site": ["", "research/", "research/grafics/", "publications/",
             "publications/liu2022robust/", "cv/", "404/"],
    "other": ["", "research/", "research/glacier-runoff/", "publications/",
              "publications/nunez2024talk/", "cv/", "404/"],
    "stress": ["", "research/", "research/long-header/", "publications/",
               "publications/olive2024header/", "cv/", "404/"],
}  # fmt: skip
SERVERS = {"site": "server", "other": "other_server", "stress": "stress_server"}

# What the checks need, read in one call per width.
GEOMETRY = """() => {
  const box = e => { const r = e.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom,
            width: r.width, height: r.height}; };
  const shown = e => e.getClientRects().length > 0
    && getComputedStyle(e).visibility !== 'hidden' && e.getBoundingClientRect().width > 0;
  const header = document.querySelector('.bd-header .bd-header__inner');
  const items = [...header.querySelectorAll('a, button')].filter(shown)
    .filter(e => !e.closest('.dropdown-menu'))
    .map(e => ({name: (e.getAttribute('aria-label') || e.textContent).trim().slice(0, 40),
                ...box(e)}));
  const title = document.querySelector('.bd-header .logo__title');
  const brand = document.querySelector('.bd-header .navbar-brand');
  const article = document.querySelector('.bd-article');
  const h1 = article.querySelector('h1');
  const range = document.createRange();
  range.selectNodeContents(h1);
  const first = (selector) => {
    const e = document.querySelector(selector);
    return e && shown(e) ? box(e).left : null;
  };
  return {
    header: box(header), items, scrollWidth: document.documentElement.scrollWidth, view: innerWidth,
    name: title.textContent.trim(), brandTitle: brand.getAttribute('title'),
    nameCut: title.scrollWidth > title.clientWidth + 1 || title.scrollHeight > title.clientHeight + 1,
    column: range.getClientRects()[0].left, updated: first('.portfolio-updated'),
    card: first('.bd-article .sd-card'),
  };
}"""


def overlap(a: dict, b: dict) -> bool:
    width = min(a["right"], b["right"]) - max(a["left"], b["left"])
    height = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
    return width > 1 and height > 1


def header_faults(width: int, g: dict) -> list[str]:
    """What is wrong with the header at *width*, one line each."""
    faults, header = [], g["header"]
    if g["view"] != width:
        faults.append(f"measured at {g['view']} px: the viewport was not resized")
    if g["scrollWidth"] > width:
        faults.append(f"the page scrolls sideways ({g['scrollWidth']} px)")
    for item in g["items"]:
        if item["top"] < header["top"] - 1 or item["bottom"] > header["bottom"] + 1:
            faults.append(f"{item['name']!r} is outside the header's row")
        if item["left"] < -1 or item["right"] > width + 1:
            faults.append(f"{item['name']!r} is outside the screen")
        if width < TOUCH_BELOW and (item["width"] < TOUCH - 0.5 or item["height"] < TOUCH - 0.5):
            faults.append(f"{item['name']!r} is {item['width']:.0f}x{item['height']:.0f} px")
    for i, a in enumerate(g["items"]):
        faults += [f"{a['name']!r} overlaps {b['name']!r}" for b in g["items"][i + 1 :]
                   if overlap(a, b)]  # fmt: skip
    if header["height"] > 82:  # 64 px of brand and 16 of padding: one row
        faults.append(f"the header is {header['height']:.0f} px high: a second row")
    if g["nameCut"] and g["brandTitle"] != g["name"]:
        faults.append(f"the name is cut and the link's title is {g['brandTitle']!r}")
    return faults


def column_faults(width: int, by_url: dict[str, dict]) -> list[str]:
    """Whether every page type's text column starts at one x at *width*."""
    faults = []
    edges = {url: round(g["column"]) for url, g in by_url.items()}
    if max(edges.values()) - min(edges.values()) > 1:
        faults.append(f"the text column starts at {edges}")
    for url, g in by_url.items():
        for what in ("updated", "card"):
            if g[what] is not None and abs(g[what] - g["column"]) > 1:
                faults.append(f"/{url}: {what} at {g[what]:.0f}, the text at {g['column']:.0f}")
    return faults


def resize(cdp, width: int) -> None:
    """The viewport at *width*, by the DevTools call Playwright's
    set_viewport_size makes: that one also waits on more than the resize, a
    third of the sweep's time. GEOMETRY forces the layout at the new width and
    reads the width it saw (header_faults checks it)."""
    size = {"width": width, "height": HEIGHT, "screenWidth": width, "screenHeight": HEIGHT}
    cdp.send(
        "Emulation.setDeviceMetricsOverride", {**size, "deviceScaleFactor": 1, "mobile": False}
    )


@pytest.mark.browser
@pytest.mark.parametrize("which", SERVERS)
def test_header_and_column_hold_at_every_width(browser, request, which):
    base = request.getfixturevalue(SERVERS[which])
    context = browser.new_context(viewport={"width": WIDTHS[0], "height": HEIGHT})
    geometry: dict[int, dict[str, dict]] = {width: {} for width in WIDTHS}
    for url in PAGE_TYPES[which]:
        page = context.new_page()
        page.goto(base + url)
        page.wait_for_load_state("load")
        cdp = context.new_cdp_session(page)
        for width in WIDTHS:
            resize(cdp, width)
            geometry[width][url] = page.evaluate(GEOMETRY)
        page.close()
    context.close()
    faults = []
    for width, by_url in geometry.items():
        for url, g in by_url.items():
            faults += [f"{width} px /{url}: {f}" for f in header_faults(width, g)]
        faults += [f"{width} px: {f}" for f in column_faults(width, by_url)]
    assert not faults, f"{len(faults)} faults:\n" + "\n".join(faults[:60])


TYPE = """() => {
  const h1 = document.querySelector('.bd-article h1');
  const cut = [...document.querySelectorAll('.bd-breadcrumbs .breadcrumb-item > *')]
    .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim());
  return {h1: parseFloat(getComputedStyle(h1).fontSize), cut};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("url", ["publications/liu2022robust/", "research/greek-ocr/", "cv/"])
def test_a_phone_reads_titles_at_most_30_px_and_whole_breadcrumbs(browser, server, url):
    context = browser.new_context(viewport={"width": 390, "height": HEIGHT})
    page = context.new_page()
    page.goto(server + url)
    phone = page.evaluate(TYPE)
    page.set_viewport_size({"width": 1280, "height": HEIGHT})
    desktop = page.evaluate(TYPE)
    context.close()
    assert phone["h1"] <= 30, f"/{url}: a {phone['h1']} px title on a phone"
    assert desktop["h1"] > phone["h1"], "one size for phones and desktops"
    assert not phone["cut"] and not desktop["cut"], (phone["cut"], desktop["cut"])


@pytest.mark.browser
@pytest.mark.parametrize("which", ["server", "other_server"])
def test_the_cv_page_starts_with_the_name(browser, request, which):
    context = browser.new_context(viewport={"width": 390, "height": HEIGHT})
    page = context.new_page()
    page.goto(request.getfixturevalue(which) + "cv/")
    first = page.evaluate("document.querySelector('.bd-article').innerText.trim().split('\\n')[0]")
    context.close()
    assert first in ("Ziqi Zhao", "Zoë Ñúñez-Łukasiewicz"), first


@pytest.mark.browser
@pytest.mark.parametrize("which", ["server", "other_server"])
def test_the_home_page_leads_with_the_owner_and_their_work(browser, request, which):
    """At 1280 x 800 the name, then the first project's card with its link, on the
    first screen; no "On this page" menu on the home page."""
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    page = context.new_page()
    page.goto(request.getfixturevalue(which))
    first = page.evaluate("document.querySelector('.bd-article').innerText.trim().split('\\n')[0]")
    card = page.locator(".bd-article .project-card").first.bounding_box()
    menus = page.locator(".bd-sidebar-secondary").count()
    context.close()
    assert first in ("Ziqi Zhao", "Zoë Ñúñez-Łukasiewicz"), first
    assert card is not None and card["y"] + 120 <= 800, f"the first card starts at {card}"
    assert menus == 0, "an 'On this page' menu on the home page"
