"""The site as readers meet it on Read the Docs: with the script Read the Docs
injects into every page it serves (the real readthedocs-addons.js), its Addons
API set as the hosting page's checklist says (src/docs/hosting.md), and an ad in our placement.

EthicalAds' own script is a third party: the browser answers that one request
with a local stand-in of a text ad (tests/fixtures/readthedocs/), offline.
"""

from __future__ import annotations

import urllib.request

import pytest
from conftest import REPO, axe_violations, public_urls

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


def open_with_ad(page, url: str) -> None:
    page.goto(url)
    # Not "load": the addons script asks /_/addons/ after it and then draws its
    # parts (the ad among them), which must be on the page for the checks.
    page.wait_for_load_state("networkidle")
    page.wait_for_selector("#ethical-ad-placement.loaded .ea-content", timeout=10_000)


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
def test_the_ad_shows_in_our_placement_and_nothing_moves(browser, hosted_server, width):
    context = hosted_context(browser, width)
    page = context.new_page()
    try:
        for url in ARTICLES:
            open_with_ad(page, hosted_server + url.lstrip("/"))
            ad = page.locator("#ethical-ad-placement")
            assert ad.is_visible(), f"{url}: the ad is not shown"
            assert page.evaluate(
                "document.querySelector('#ethical-ad-placement').matches('main article + *')"
            ), f"{url}: the ad is not right after the article"
            box, inner = ad.bounding_box(), page.locator("#ethical-ad-placement > *").bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{url}: {box}"
            assert inner["height"] <= box["height"] + 0.5, f"{url}: the ad outgrows its space"
            shift = page.evaluate(LAYOUT_SHIFT)
            assert shift < 0.01, f"{url}: cumulative layout shift {shift:.3f}"
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_nothing_of_ours_is_covered(browser, hosted_server, width):
    context = hosted_context(browser, width)
    page = context.new_page()
    covered = []
    try:
        for url in ARTICLES:
            open_with_ad(page, hosted_server + url.lstrip("/"))
            covered += [f"{url}: {c}" for c in page.evaluate(COVERED, OUR_CONTROLS)]
    finally:
        context.close()
    assert not covered, "\n".join(covered)


@pytest.mark.browser
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_no_accessibility_violations_with_the_addons(browser, hosted_server, mode, width):
    found = []
    context = hosted_context(browser, width, mode)
    page = context.new_page()
    for url in PAGES:
        page.goto(hosted_server + url.lstrip("/"))
        page.wait_for_load_state("networkidle")  # the addons' parts come late: see open_with_ad
        if url in ARTICLES:
            page.wait_for_selector("#ethical-ad-placement.loaded .ea-content", timeout=10_000)
        found += axe_violations(page, url)
    context.close()
    assert not found, "\n".join(found)


@pytest.mark.browser
def test_no_console_error_and_only_the_host_leaves_the_site(browser, hosted_server):
    errors, requests = [], []
    context = hosted_context(browser, 390)
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: (
            errors.append(f"{m.location.get('url')}: {m.text}") if m.type == "error" else None
        ),
    )
    for url in PAGES:
        page.goto(hosted_server + url.lstrip("/"))
        page.wait_for_load_state("networkidle")  # the addons ask /_/addons/ after "load"
    context.close()
    origin = hosted_server.split("/en/")[0]
    outside = {r for r in requests if not r.startswith((origin, "data:", "blob:"))}
    assert any("/_/addons/" in r for r in requests), "the addons never asked their API"
    assert outside == {"https://media.ethicalads.io/media/client/ethicalads.min.js"}, outside
    assert not errors, "\n".join(errors)
