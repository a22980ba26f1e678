"""First paint in one round trip (portfolio.firstpaint): every page's HTML and
the CSS it paints with fit in 14 KB gzipped; the rest of the CSS comes later
and changes nothing on the screen when it does."""

from __future__ import annotations

import shutil

import pytest
import soupsieve
from conftest import public_urls
from first_paint import BUDGET, first_paint

from academic_portfolio.weight.firstpaint import (
    Matcher,
    inline_critical_css,
    script_classes,
    shared_out,
    shown_when_loaded,
    without_critical_css,
)
from academic_portfolio.weight.purgecss import site_pages

# Pure: a test whose fixtures build a site is marked build by conftest.py.
pytestmark = pytest.mark.pure


PAGES = [url for url in public_urls() if url.endswith("/")]


def test_the_first_paint_on_several_processes_writes_what_one_writes(site, tmp_path):
    """A lab's 1,000 pages get their critical CSS on every core: shared among
    processes, the pages come out byte for byte as one process writes them,
    and as the build wrote them."""
    trees = {}
    for processes in (1, 2):
        html = tmp_path / f"on-{processes}"
        shutil.copytree(site.root, html, ignore=shutil.ignore_patterns(".doctrees"))
        pages = {page.relative_to(html).as_posix(): page for page in site_pages(html)}
        for page in pages.values():  # as Sphinx wrote them: no critical CSS yet
            page.write_text(without_critical_css(page.read_text("utf-8")), "utf-8")
        if processes > 1:
            assert len(shared_out(sorted(pages.items()), processes)) == processes
        written = inline_critical_css(html, pages, set(pages), tmp_path / f"doctrees-{processes}",
                                      processes=processes)  # fmt: skip
        assert sorted(written) == sorted(pages)
        trees[processes] = {path.relative_to(html): path.read_bytes()
                            for path in sorted(html.rglob("*")) if path.is_file()}  # fmt: skip
    built = {relative: (site.root / relative).read_bytes() for relative in trees[1]}
    assert trees[1] == trees[2]
    assert trees[1] == built


@pytest.mark.parametrize("url", PAGES)
def test_html_and_blocking_css_fit_in_the_first_round_trip(site, url):
    paint = first_paint(site.file(url))
    assert paint.total <= BUDGET, (
        f"{url}: {paint.total} bytes gzipped before the first paint (HTML {paint.html}, "
        f"blocking CSS {paint.css}: {paint.sheets}); the budget is {BUDGET}"
    )


@pytest.mark.parametrize("url", [*PAGES, "/404/", "/search/"])
def test_the_page_carries_its_css_and_loads_the_rest_late(site, url):
    head = site.page(url).head
    inline = head.find("style", attrs={"data-first-paint": True})
    assert inline is not None and len(inline.text) > 1000, f"{url}: no critical CSS inline"
    css = inline.text.replace('"', "")
    assert "html[data-theme=dark]" in css and "html[data-theme=light]" in css, "both colour modes"
    late = [link for link in head.find_all("link", rel="stylesheet") if link.get("onload")]
    fallback = {link["href"] for link in head.select("noscript link[rel=stylesheet]")}
    assert late and {link["href"] for link in late} == fallback, f"{url}: a sheet without fallback"
    for link in late:
        assert link["media"] == "print" and link["onload"] == "this.media='all'", link
    printing = [link for link in head.find_all("link", rel="stylesheet", media="print")]
    assert any("print.css" in link["href"] and not link.get("onload") for link in printing)


def test_the_critical_part_is_what_the_page_shows_when_loaded():
    """Rules for a closed dialog's or <details>' content wait; a class a script
    sets, either colour mode, and what :has() asks of elements the parser may
    not have reached yet count as present."""
    html = """<html data-theme="auto"><body><div class="card"><a class="nav-link">x</a></div>
    <dialog><form class="search"></form></dialog>
    <details><summary class="label">BibTeX</summary><div class="bibtex"></div></details>
    </body></html>"""
    matcher = Matcher(shown_when_loaded(html), script_classes(['el.classList.add("active")']))
    for shown in (".card", ".card > a", "details .label", "a.nav-link.active",
                  "html[data-theme=dark] .card", ".card a::before", ".card:not(:hover)",
                  ".card:not(:has(~ .sidebar))"):  # fmt: skip
        assert matcher.matches(shown), shown
    for waits in (".search", "dialog .search", ".bibtex", ".card:hover", "html:not([data-theme])"):
        assert not matcher.matches(waits), waits


def test_the_element_index_answers_as_a_walk_of_the_whole_page():
    """The index looks only at the elements that have a selector's last type,
    classes and id, and skips selectors that name what the page lacks; each
    answer must be the one soupsieve gives walking every element."""
    html = """<!DOCTYPE html><html lang="en"><body>
    <header class="bd-header"><nav id="nav"><ul class="navbar-nav"><li class="nav-item">
    <a class="nav-link active" href="/x/" data-kind="menu">X</a></li></ul></nav></header>
    <main><ol class="simple"><li><p>One</p></li><li><p></p></li></ol>
    <table><tr><th><span>h</span></th><td>c</td></tr></table>
    <input type="search" disabled><p class="Case">text</p><svg><a href="#k"></a></svg></main>
    </body></html>"""
    selectors = [
        "a", "p", "li > p", "ol.simple > li:not(:first-child) > p", "ol.simple > li:first-child p",
        "th > :first-child", "td > :last-child", "th > :last-child", ".bd-header a.nav-link",
        ".bd-header .missing a", "#nav a", "#gone a", "nav#nav > ul > li > a[data-kind=menu]",
        "a[href^='/x']", "a[href^='/y']", "[hidden]", "[type=search]:disabled",
        "[type=reset]", ":not(li) > ol > li", "ul > li:last-child > a", "p:empty", "p:not(.Case)",
        ".case", ".Case", "li + li > p", "li ~ li", "main > *", "svg a", ":root body",
        ".navbar-nav :is(.nav-link, .other)", "a:where(.nope)", "p:not(:empty)",
    ]  # fmt: skip
    soup = shown_when_loaded(html)
    matcher = Matcher(soup, set())
    for selector in selectors:
        walked = soupsieve.select_one(matcher.selector_for_load(selector), soup) is not None
        assert matcher.matches(selector) == walked, selector


# -- In Chromium: the late style sheets change nothing --------------------------------

PROBED = ["/", "/research/grafics/", "/publications/", "/publications/liu2022robust/", "/cv/"]
MODES = ["light", "dark"]
SCREENS = {"phone": (375, 812), "desktop": (1280, 800)}
LAYOUT_SHIFT = """window.__shift = 0; new PerformanceObserver(list => {
  for (const entry of list.getEntries()) if (!entry.hadRecentInput) window.__shift += entry.value;
}).observe({type: 'layout-shift', buffered: true});"""
# The box, colours and font of every element drawn on the page, in document order.
LAYOUT = """() => [...document.querySelectorAll('body *')].filter(e => e.checkVisibility()).map(e => {
  const box = e.getBoundingClientRect(), style = getComputedStyle(e);
  return [e.tagName, e.className, ...[box.x, box.y, box.width, box.height].map(Math.round),
          style.color, style.backgroundColor, style.font, style.display];
})"""
APPLIED = "[...document.querySelectorAll('link[onload]')].every(link => link.media === 'all')"
PAINTED = "performance.getEntriesByType('paint').some(e => e.name === 'first-contentful-paint')"


class HeldStyleSheets:
    """Holds every style sheet request until released, as a slow link would."""

    def __init__(self, context):
        self.held, self.holding = [], True
        context.route("**/*.css*", self.route)

    def route(self, route) -> None:
        if self.holding:
            self.held.append(route)
        else:
            route.continue_()

    def release(self) -> int:
        self.holding, held, self.held = False, self.held, []
        for route in held:
            route.continue_()
        return len(held)


@pytest.mark.browser
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("screen", SCREENS.values(), ids=SCREENS.keys())
def test_the_late_style_sheets_move_and_change_nothing(browser, server, mode, screen):
    width, height = screen
    context = browser.new_context(viewport={"width": width, "height": height}, color_scheme=mode)
    context.add_init_script(LAYOUT_SHIFT)
    sheets = HeldStyleSheets(context)
    page = context.new_page()
    try:
        for url in PROBED:
            sheets.holding = True
            page.goto(server + url.lstrip("/"), wait_until="commit")
            try:  # painted with every style sheet still on its way
                page.wait_for_function(PAINTED, timeout=10_000)
            except Exception:
                pytest.fail(f"{url}: nothing painted before the style sheets arrived")
            page.wait_for_load_state("domcontentloaded")  # the deferred scripts have run
            page.wait_for_timeout(200)
            before = page.evaluate(LAYOUT)
            assert sheets.release(), f"{url}: no style sheet was requested: nothing late"
            page.wait_for_load_state("load")
            page.wait_for_function(APPLIED)
            page.wait_for_timeout(200)
            after = page.evaluate(LAYOUT)
            changed = [f"{b} -> {a}" for b, a in zip(before, after, strict=True) if a != b]
            assert not changed, f"{url} ({mode}, {width}px): " + "\n".join(changed[:5])
            shift = page.evaluate("window.__shift")
            assert shift < 0.01, f"{url} ({mode}, {width}px): cumulative layout shift {shift:.4f}"
    finally:
        context.close()
