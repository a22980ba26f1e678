"""What a person sees and does, in a real browser (Debian's Chromium, Playwright).

axe-core on every public page in light and dark mode, at phone and desktop
widths; keyboard use; and no request leaving the site.
"""

from __future__ import annotations

import pytest
from conftest import OTHER_SOURCES, axe_violations, contract_urls, public_urls, with_axe

pytestmark = pytest.mark.browser

PAGES = [url for url in public_urls() if url.endswith("/")] + ["/404/", "/search/"]
# The made-up second portfolio (tests/fixtures/other-portfolio), served by other_server.
OTHER_PAGES = [url for url in contract_urls(OTHER_SOURCES) if url.endswith("/")] + ["/404/"]
SERVED = {"site": ("server", PAGES), "other": ("other_server", OTHER_PAGES)}
MODES = ["light", "dark"]
WIDTHS = {"phone": 390, "desktop": 1280}


def open_page(browser, server, url: str, mode: str, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=mode)
    page = context.new_page()
    page.goto(server + url.lstrip("/"))
    page.wait_for_load_state("load")  # every script is deferred: nothing loads late
    return context, page


# The owner's pages get the same axe run, at these widths and in these schemes,
# as readers see them: hosted, with Read the Docs' addons and ad
# (test_hosting.py::test_no_accessibility_violations_with_the_addons). Run here
# too, they repeated 4 runs over the same 17 pages (about 40 s of CI).
AXED_HERE = {"other": SERVED["other"]}


@pytest.mark.browser
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
@pytest.mark.parametrize("which", AXED_HERE)
def test_no_accessibility_violations(browser, request, which, mode, width):
    fixture, pages = AXED_HERE[which]
    server = request.getfixturevalue(fixture)
    found = []
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=mode)
    with_axe(context)
    page = context.new_page()
    for url in pages:
        page.goto(server + url.lstrip("/"))
        page.wait_for_load_state("load")  # every script is deferred: nothing loads late
        assert page.evaluate("document.documentElement.dataset.theme") in ("light", "dark", "auto")
        assert page.evaluate("document.documentElement.dataset.mode || 'auto'") in (mode, "auto")
        found += axe_violations(page, url)
    context.close()
    assert not found, "\n".join(found)


@pytest.mark.browser
@pytest.mark.parametrize("mode", MODES)
def test_dark_mode_follows_the_system(browser, server, mode):
    context, page = open_page(browser, server, "/research/grafics/", mode, 1280)
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    context.close()
    channels = [int(c) for c in background[background.index("(") + 1 : -1].split(",")[:3]]
    assert (sum(channels) / 3 < 80) == (mode == "dark"), background


@pytest.mark.browser
@pytest.mark.parametrize("width", WIDTHS.values(), ids=WIDTHS.keys())
def test_skip_link_is_first_visible_and_works(browser, server, width):
    context, page = open_page(browser, server, "/research/greek-ocr/", "light", width)
    page.keyboard.press("Tab")
    link = page.evaluate_handle("document.activeElement")
    assert link.get_attribute("href") == "#main-content"
    assert link.inner_text().strip() == "Skip to main content"
    page.wait_for_timeout(500)  # the theme slides the link in
    box = link.bounding_box()
    assert box and box["width"] > 20 and box["height"] > 10 and box["y"] >= 0, (
        "skip link not shown on focus"
    )
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main-content"
    page.keyboard.press("Tab")
    assert page.evaluate("document.getElementById('main-content').contains(document.activeElement)")
    context.close()


FOCUSABLE = """() => [...document.querySelectorAll(
  'a[href], button, summary, input, select, textarea, [tabindex]:not([tabindex="-1"])')]
  .filter(e => !e.disabled && e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden'
               && !e.closest('[inert], [aria-hidden="true"], .skip-link')
               && !(e.tagName !== 'SUMMARY' && e.closest('details:not([open])')))
  .map((e, i) => { e.dataset.focusId = String(i); return i; })"""

# A focus ring on the element, or on the ::after that a card's stretched link
# spreads over the whole card.
FOCUS_STYLE = """() => { const e = document.activeElement;
  const ring = s => (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';
  return {id: e.dataset.focusId ?? null, tag: e.tagName, text: (e.innerText || e.title || '').slice(0, 40),
          visible: ring(getComputedStyle(e)) || ring(getComputedStyle(e, '::after'))} }"""


@pytest.mark.browser
@pytest.mark.parametrize(
    "url", ["/", "/research/greek-ocr/", "/publications/", "/publications/liu2022robust/", "/cv/"]
)
def test_every_control_is_reachable_and_shows_focus(browser, server, url):
    context, page = open_page(browser, server, url, "light", 1280)
    controls = set(page.evaluate(FOCUSABLE))
    reached, invisible = set(), []
    for _ in range(len(controls) + 40):
        page.keyboard.press("Tab")
        state = page.evaluate(FOCUS_STYLE)
        if state["id"] is not None:
            reached.add(int(state["id"]))
            if not state["visible"]:
                invisible.append(f"{state['tag']} {state['text']!r}")
    context.close()
    assert controls and controls <= reached, f"not reachable by Tab: {sorted(controls - reached)}"
    assert not invisible, f"focus not visible on: {invisible}"


@pytest.mark.browser
def test_no_request_leaves_the_site(browser, server):
    requests = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.on("request", lambda request: requests.append(request.url))
    page = context.new_page()
    for url in PAGES:
        page.goto(server + url.lstrip("/"))
        # Not "load": a request made after it (the browser's favicon request,
        # a script's fetch) must count too.
        page.wait_for_load_state("networkidle")
    context.close()
    origin = server.split("/en/")[0]
    outside = sorted({r for r in requests if not r.startswith((origin, "data:", "blob:"))})
    assert len(requests) > len(PAGES), "the request log is empty: is the listener working?"
    assert not outside, "\n".join(outside)


@pytest.mark.browser
def test_theme_switcher_search_and_copy_still_work(browser, server):
    """What the trimming must not break: the colour-mode menu, search, copy."""
    errors = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(server + "research/grafics/")
    toggle = page.locator("button.theme-switch-button").first
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    page.keyboard.press("Escape")
    assert page.locator(".dropdown-menu.show").count() == 0
    assert toggle.get_attribute("aria-expanded") == "false"
    toggle.click()
    page.click(".dropdown-menu.show button.theme-change-button[data-mode=dark]")
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert page.locator(".dropdown-menu.show").count() == 0, "a choice closes the menu"
    page.goto(server + "search/?q=pruning")
    page.wait_for_selector("#search-results li", timeout=10_000)
    assert page.locator("#search-results li").count() >= 1
    page.goto(server + "publications/liu2022robust/")
    page.wait_for_load_state("load")  # every script is deferred: nothing loads late
    assert page.locator("div.bibtex button.copy-button").count() == 1
    for url in PAGES:
        page.goto(server + url.lstrip("/"))
        page.wait_for_load_state("load")  # every script is deferred: nothing loads late
    context.close()
    assert not errors, errors


@pytest.mark.browser
def test_copy_button_is_shown_and_copies_the_bibtex(browser, server):
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, permissions=["clipboard-read", "clipboard-write"]
    )
    page = context.new_page()
    page.goto(server + "publications/liu2022robust/")
    button = page.get_by_role("button", name="Copy BibTeX")
    assert button.is_visible(), "phones have no hover: the button must show without it"
    button.click()
    assert button.text_content() == "Copied"
    assert page.locator("div.bibtex [role=status]").text_content() == "BibTeX copied."
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == page.locator("div.bibtex pre").inner_text().strip() + "\n"
    assert copied.startswith("@inproceedings{liu2022robust,") and "selected =" not in copied
    context.close()


OVERFLOW = """() => { const header = document.querySelector('.bd-header__inner');
  const links = [...header.querySelectorAll('a, button')].filter(e => e.getClientRects().length);
  return {page: document.documentElement.scrollWidth, view: innerWidth,
          outside: links.filter(e => e.getBoundingClientRect().right > innerWidth + 0.5)
                        .map(e => (e.innerText || e.getAttribute('aria-label') || e.tagName).trim())} }"""


@pytest.mark.browser
@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("which", SERVED)
def test_the_header_fits_a_phone_whatever_the_name(browser, request, which, width):
    """A long name (the made-up portfolio's) pushed the CV and e-mail links off
    a 390-pixel phone; the name gives way, with an ellipsis, and stays whole
    in the page's own title."""
    fixture, pages = SERVED[which]
    context, page = open_page(browser, request.getfixturevalue(fixture), pages[0], "light", width)
    found = page.evaluate(OVERFLOW)
    context.close()
    assert found["page"] <= found["view"], found
    assert not found["outside"], found
