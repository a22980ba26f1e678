"""The site as readers meet it on Read the Docs: with the script Read the Docs
injects into every page it serves (the real readthedocs-addons.js), its Addons
API set as the hosting page's checklist says (src/docs/hosting.md), and an ad in our placement.

EthicalAds' own script is a third party: the browser answers that one request
with a local stand-in of a text ad (tests/fixtures/readthedocs/), offline.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from conftest import REPO, axe_violations, public_urls, with_axe

pytestmark = pytest.mark.build

FIXTURES = REPO / "tests" / "fixtures" / "readthedocs"
ETHICALADS = "https://media.ethicalads.io/**"
PAGES = [url for url in public_urls() if url.endswith("/")] + ["/404/", "/search/"]
ARTICLES = [url for url in public_urls() if url.endswith("/")]
MODES = ["light", "dark"]
WIDTHS = {"phone": 390, "desktop": 1280}
HOST_SCRIPTS = ("/_/static/javascript/", "media.ethicalads.io")

# Ours, which nothing the host adds may cover: header controls, headings,
# buttons and links of the article, the footer.
OUR_CONTROLS = (
    ".bd-header button, .bd-header a, .bd-article h1, .bd-article h2, "
    ".bd-article a.sd-btn, .bd-article button, .bd-footer p"
)
COVERED = """(selector) => {
  const covered = [];
  for (const element of document.querySelectorAll(selector)) {
    if (!element.checkVisibility({visibilityProperty: true, opacityProperty: true})) continue;
    element.scrollIntoView({block: 'center'});
    const box = element.getBoundingClientRect();
    const hit = document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2);
    if (hit && !element.contains(hit) && !hit.contains(element)) {
      covered.push(`${element.tagName} "${(element.innerText || '').slice(0, 30)}" under `
                   + `${hit.tagName}#${hit.id}.${hit.className}`);
    }
  }
  return covered;
}"""
LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const entry of list.getEntries()) if (!entry.hadRecentInput) total += entry.value;
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve(total), 300);
})"""


def hosted_context(browser, width: int, mode: str = "light"):
    """A browser context whose EthicalAds requests get the local stand-in ad."""
    context = browser.new_context(viewport={"width": width, "height": 844}, color_scheme=mode)
    stand_in = (FIXTURES / "ethicalads-stand-in.js").read_text()
    context.route(
        ETHICALADS,
        lambda route: route.fulfill(status=200, content_type="text/javascript", body=stand_in),
    )
    return context


def open_hosted(page, url: str, article: bool) -> None:
    page.goto(url)
    # Not "load": the addons script asks /_/addons/ after it and then draws its
    # parts (the ad among them), which must be on the page for the checks.
    page.wait_for_load_state("networkidle")
    if article:
        page.wait_for_selector("#ethical-ad-placement.loaded .ea-content", timeout=10_000)


def the_ad(page) -> dict:
    """Where the ad is in our placement, its size, and how much the page moved."""
    ad = page.locator("#ethical-ad-placement")
    return {
        "visible": ad.is_visible(),
        "after_article": page.evaluate(
            "document.querySelector('#ethical-ad-placement').matches('main article + *')"
        ),
        "box": ad.bounding_box(),
        "inner": page.locator("#ethical-ad-placement > *").bounding_box(),
        "shift": page.evaluate(LAYOUT_SHIFT),
    }


@dataclass
class HostedTour:
    """What every page showed with the addons at one width and colour scheme."""

    violations: list[str] = field(default_factory=list)  # axe, every page
    ads: dict[str, dict] = field(default_factory=dict)  # the_ad(), each article
    covered: list[str] = field(default_factory=list)  # COVERED, every article
    errors: list[str] = field(default_factory=list)  # the console's, every page
    requests: list[str] = field(default_factory=list)  # every request of the tour


def tour(browser, server: str, width: int, mode: str, axe: bool) -> HostedTour:
    """Each page once, every check read from that one load, in an order that
    keeps each one's conditions: the ad and the layout shift as the addons
    left the page, axe at the top of the page, then the scrolling COVERED.

    Without *axe* for the console and the requests: axe's own fetches of the
    style sheets (for css-orientation-lock) are not the page's."""
    seen = HostedTour()
    context = hosted_context(browser, width, mode)
    if axe:
        with_axe(context)
    context.on("request", lambda request: seen.requests.append(request.url))
    page = context.new_page()
    page.on("pageerror", lambda error: seen.errors.append(str(error)))
    page.on(
        "console",
        lambda m: (
            seen.errors.append(f"{m.location.get('url')}: {m.text}") if m.type == "error" else None
        ),
    )
    try:
        for url in PAGES:
            article = url in ARTICLES
            open_hosted(page, server + url.lstrip("/"), article)
            if article:
                seen.ads[url] = the_ad(page)
            if axe:
                seen.violations += axe_violations(page, url)
            if article:
                seen.covered += [f"{url}: {c}" for c in page.evaluate(COVERED, OUR_CONTROLS)]
    finally:
        context.close()
    return seen


@pytest.fixture(scope="session")  # not module: the tests stay in rtd_site's group (conftest.py)
def hosted_tours(browser, hosted_server) -> Callable[..., HostedTour]:
    """A tour of the hosted site per width and colour scheme, made once: the
    tests below read the ad, what covers our controls and axe's findings from
    the same page loads (65 loads instead of 109)."""
    made: dict[tuple[int, str, bool], HostedTour] = {}

    def at(width: int, mode: str, axe: bool = True) -> HostedTour:
        if (width, mode, axe) not in made:
            made[width, mode, axe] = tour(browser, hosted_server, width, mode, axe)
        return made[width, mode, axe]

    return at


def test_the_host_injects_its_script_as_read_the_docs_does(hosted_server):
    """The test double is faithful: the script and four meta tags end <head>."""
    for url, status, filename in [
        ("research/grafics/", 200, "/research/grafics/index.html"),
        ("no/such/page/", 404, "/no/such/page/index.html"),
    ]:
        try:
            html = urllib.request.urlopen(hosted_server + url).read().decode()
        except urllib.error.HTTPError as error:
            assert error.code == status
            html = error.read().decode()
        head_end = html[: html.index("</head>")]
        assert head_end.endswith(
            '<script async type="text/javascript" src="/_/static/javascript/readthedocs-addons.js">'
            '</script><meta name="readthedocs-project-slug" content="ziqi-zhao" />'
            '<meta name="readthedocs-version-slug" content="latest" />'
            f'<meta name="readthedocs-resolver-filename" content="{filename}" />'
            f'<meta name="readthedocs-http-status" content="{status}" />'
        )


def test_only_read_the_docs_builds_place_the_ad_after_the_article(site, rtd_site):
    for url in ARTICLES:
        assert site.page(url).find(id="ethical-ad-placement") is None, url
        placements = rtd_site.page(url).find_all(id="ethical-ad-placement")
        assert len(placements) == 1, f"{url}: {len(placements)} ad placements"
        placement = placements[0]
        assert placement.find_parent("main") is not None, url
        assert placement.find_previous_sibling("article") is not None, url
        assert placement["data-ea-type"] == "text"
    assert rtd_site.page("/404/").find(id="ethical-ad-placement") is None


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_the_ad_shows_in_our_placement_and_nothing_moves(hosted_tours, width):
    ads = hosted_tours(width, "light").ads
    assert set(ads) == set(ARTICLES), f"articles toured: {sorted(ads)}"
    for url, ad in ads.items():
        assert ad["visible"], f"{url}: the ad is not shown"
        assert ad["after_article"], f"{url}: the ad is not right after the article"
        box, inner = ad["box"], ad["inner"]
        assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{url}: {box}"
        assert inner["height"] <= box["height"] + 0.5, f"{url}: the ad outgrows its space"
        assert ad["shift"] < 0.01, f"{url}: cumulative layout shift {ad['shift']:.3f}"


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_nothing_of_ours_is_covered(hosted_tours, width):
    covered = hosted_tours(width, "light").covered
    assert not covered, "\n".join(covered)


@pytest.mark.browser
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_no_accessibility_violations_with_the_addons(hosted_tours, mode, width):
    found = hosted_tours(width, mode).violations
    assert not found, "\n".join(found)


@pytest.mark.browser
def test_no_console_error_and_only_the_host_leaves_the_site(hosted_tours, hosted_server):
    seen = hosted_tours(WIDTHS["phone"], "light", axe=False)
    origin = hosted_server.split("/en/")[0]
    outside = {r for r in seen.requests if not r.startswith((origin, "data:", "blob:"))}
    assert any("/_/addons/" in r for r in seen.requests), "the addons never asked their API"
    assert outside == {"https://media.ethicalads.io/media/client/ethicalads.min.js"}, outside
    assert not seen.errors, "\n".join(seen.errors)
