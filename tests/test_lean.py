"""Page weight: each page loads only what it uses, and nothing it needs is cut.

The engine's behaviour, read on the made-up portfolio (tests/fixtures/other-portfolio),
not on the owner's pages.
"""

from __future__ import annotations

import pytest
from conftest import OTHER_SOURCES, contract_urls

from academic_portfolio.weight.purgecss import SiteVocabulary, purge, selector_can_match

# Pure: a test whose fixtures build a site is marked build by conftest.py.
pytestmark = pytest.mark.pure


PAGES = [url for url in contract_urls(OTHER_SOURCES) if url.endswith("/")]


def scripts(page) -> list[str]:
    return [s["src"].split("?")[0].rsplit("/", 1)[-1] for s in page.find_all("script", src=True)]


@pytest.mark.parametrize("url", PAGES)
def test_no_icon_font_no_search_scripts_and_no_blocking_script(other_site, url):
    page = other_site.page(url)
    loaded = scripts(page)
    assert "fontawesome.js" not in loaded and "bootstrap.js" not in loaded
    assert {"pydata-sphinx-theme.js", "dropdown.js"} <= set(loaded)
    assert not {"searchtools.js", "language_data.js", "searchindex.js", "doctools.js"} & set(loaded)
    for script in page.head.find_all("script", src=True):
        assert script.has_attr("defer") or script.has_attr("async"), script
    for script in page.find_all("script", src=True):
        assert script.has_attr("defer"), f"{script['src']} would block parsing"
    for inline in page.find_all("script", src=False):
        if "DOCUMENTATION_OPTIONS" in (inline.string or ""):
            assert inline.get("type") == "module", "must run after documentation_options.js"


def test_search_page_keeps_its_scripts(other_site):
    loaded = scripts(other_site.page("/search/"))
    assert {
        "documentation_options.js",
        "searchtools.js",
        "language_data.js",
        "searchindex.js",
    } <= set(loaded)


def test_copy_button_only_where_there_is_code(other_site):
    assert "copy.js" in scripts(other_site.page("/publications/nunez2023gauge/"))
    assert "copy.js" in scripts(other_site.page("/publications/"))
    assert "copy.js" not in scripts(other_site.page("/research/glacier-runoff/"))


def test_theme_css_is_trimmed_but_keeps_dark_mode(other_site):
    css = (other_site.root / "_static" / "styles" / "pydata-sphinx-theme.css").read_text()
    assert len(css) < 150_000, f"{len(css)} bytes: the purge did not run"
    assert "html[data-theme=dark]" in css.replace('"', "")
    assert "@font-face" not in css, "the icon fonts must not be declared any more"
    assert ".bd-header" in css and ".skip-link" in css


def test_purge_drops_only_rules_that_cannot_match():
    site = SiteVocabulary()
    site.add_page(
        '<html data-theme="auto"><body><div class="card wide" id="main"><a href="#">x</a></div></body></html>'
    )
    site.add_script('el.classList.add("show")')
    css = (
        ".card{color:red}.table-striped{color:blue}html[data-theme=dark] .card{color:white}"
        ".card.show:hover::before{content:''}#main a:not(.unused){x:1}#other{y:2}"
        "@media (max-width:10px){.table{z:1}.wide{z:2}}@font-face{font-family:Gone;src:url(x)}"
    )
    out = purge(css, site)
    for kept in (
        ".card{",
        "html[data-theme=dark] .card",
        ".card.show:hover::before",
        "#main a:not(.unused)",
        ".wide{",
    ):
        assert kept in out, kept
    for dropped in (".table-striped", "#other", ".table{", "@font-face"):
        assert dropped not in out, dropped
    assert selector_can_match(".sd-col\\:6", site), "escaped selectors are kept, to be safe"
