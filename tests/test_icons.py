"""The theme's icons, drawn as inline SVG inside the elements that name them.

Drawn as CSS masks (a ``data:`` URL each), every icon made the browser build
an SVG document of its own during the page's first style calculation: eight
on /publications/, most of that calculation's main-thread time. The drawings
are the engine's: read on the made-up portfolio (tests/fixtures/other-portfolio).
"""

from __future__ import annotations

import re

import pytest
from conftest import OTHER_SOURCES, contract_urls

from academic_portfolio.weight.icons import ICONS, drawn

# Pure: a test whose fixtures build a site is marked build by conftest.py.
pytestmark = pytest.mark.pure


PAGES = [url for url in contract_urls(OTHER_SOURCES) if url.endswith("/")]
FAMILIES = ("fa-solid", "fa-brands", "fa-regular")


def icon_elements(page):
    return page.find_all(class_=lambda value: bool(value) and any(f in value for f in FAMILIES))


@pytest.mark.parametrize("url", PAGES)
def test_every_icon_carries_its_drawing(other_site, url):
    elements = icon_elements(other_site.page(url))
    assert len(elements) >= 8, f"{url}: the header's icons are missing"
    for element in elements:
        names = [c[3:] for c in element["class"] if c.startswith("fa-") and c[3:] in ICONS]
        assert names, f"{url}: {element} names no icon the engine draws"
        drawing = element.find("svg", class_="portfolio-icon")
        assert drawing is not None, f"{url}: {element} is empty: it would show nothing"
        assert drawing.get("aria-hidden") == "true"
        assert drawing["viewbox"] == f"0 0 {ICONS[names[0]].width} 512"
        assert drawing.path["d"] == ICONS[names[0]].path


def test_no_icon_is_drawn_by_a_css_image(other_site):
    icons = (other_site.root / "_static" / "icons.css").read_text()
    assert not re.search(r"\.fa-[\w-]+(?:::before)?\s*\{[^}]*url\(", icons)
    assert "CC BY 4.0" in icons  # Font Awesome Free's licence, kept with its drawings
    for name in ("github", "google-scholar", "magnifying-glass", "sun", "moon", "bars"):
        assert name in ICONS


def test_the_drawing_goes_inside_and_keeps_the_element():
    html = '<i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" title="Light"></i>'
    out = drawn(html)
    assert out.startswith(
        '<i class="theme-switch fa-solid fa-sun fa-lg" data-mode="light" title="Light"><svg '
    )
    assert out.endswith("</svg></i>")
    assert drawn('<span class="fa-solid fa-bars"></span>').count("<svg") == 1
    # Not an icon of the theme's families, or not empty: left as it is.
    for untouched in ('<i class="sun">x</i>', '<i class="fa-sun"></i>', "<i>fa-solid</i>"):
        assert drawn(untouched) == untouched


def test_an_icon_without_a_drawing_is_named_not_dropped():
    unknown: set[str] = set()
    html = '<i class="fa-brands fa-linkedin fa-lg fa-fw"></i><i class="fa-solid fa-2x fa-sun"></i>'
    assert drawn(html, unknown).count("<svg") == 1
    assert unknown == {"fa-linkedin"}  # not its size classes


def test_a_page_with_an_icon_the_engine_cannot_draw_stops_the_build(build_stops):
    log = build_stops(
        "cv.md",
        ("# Curriculum vitae", '<i class="fa-brands fa-linkedin"></i>\n\n# Curriculum vitae'),
        r"cv\.md: WARNING: the icon 'fa-linkedin' has no drawing in academic_portfolio\.weight\.icons",
    )
    assert "fa-github" in log  # what it can draw instead


@pytest.mark.browser
def test_icons_build_no_image_documents(browser, server):
    """Load /publications/ (12 icons) with Chromium's tracing on, and count the
    SVG image documents it builds: the favicon and the breadcrumb's divider."""
    page = browser.new_page()
    cdp = page.context.new_cdp_session(page)
    events, done = [], []
    cdp.on("Tracing.dataCollected", lambda e: events.extend(e["value"]))
    cdp.on("Tracing.tracingComplete", lambda e: done.append(True))
    try:
        cdp.send("Tracing.start", {"categories": "blink", "transferMode": "ReportEvents"})
        page.goto(server + "publications/", wait_until="load")
        page.wait_for_function(
            "[...document.querySelectorAll('link[onload]')].every(l => l.media === 'all')"
        )
        page.wait_for_timeout(300)
        cdp.send("Tracing.end")
        page.wait_for_function("true")
        while not done:
            page.wait_for_timeout(50)
        shown = page.evaluate("document.querySelectorAll('.fa-solid, .fa-brands').length")
        # What a reader sees: each icon on screen is as wide as its drawing, 1 em high or more.
        boxes = page.evaluate("""[...document.querySelectorAll('.portfolio-icon')]
            .map(svg => [svg.viewBox.baseVal.width / 512, svg.getBoundingClientRect(),
                         parseFloat(getComputedStyle(svg).fontSize)])
            .filter(([, box]) => box.width > 0)
            .map(([ratio, box, em]) => [ratio, box.width, box.height, em])""")
    finally:
        page.close()
    documents = [
        e for e in events if e.get("name") == "IsolatedSVGDocumentHost::IsolatedSVGDocumentHost"
    ]
    assert shown >= 12
    assert len(boxes) >= 6, "the header's icons are not on the screen"
    for ratio, width, height, em in boxes:
        assert height >= em - 0.5 and abs(width - height * ratio) < 0.5, (ratio, width, height, em)
    # The favicon and the breadcrumb's divider make one each; on a loaded machine
    # Chromium may make the divider's again when the late style sheets apply it (a
    # CI run saw 3). Icons drawn as images would add one per drawing on screen: the
    # header alone shows six, so the page made ten before the icons were inline.
    assert len(documents) <= 3, f"{len(documents)} SVG image documents for a page of {shown} icons"
