"""The site works at any address: every absolute URL follows the path of the
address it is built for (READTHEDOCS_CANONICAL_URL, or SITE_URL in conf.py).

Three builds, each served under its own path: Read the Docs' default
(/en/latest/), its single-version URL scheme (/), and a custom domain whose
SITE_URL was typed without the final "/".
"""

from __future__ import annotations

import pytest
from conftest import NOT_ON_READ_THE_DOCS, OTHER_URL, built_site, public_urls, serve
from pypdf import PdfReader
from test_quality import broken_references, local_target

pytestmark = pytest.mark.build

VARIANTS = ["site", "root_site", "custom_domain_site"]


@pytest.fixture(params=VARIANTS)
def built(request):
    return request.getfixturevalue(request.param)


def test_every_reference_of_every_page_resolves(built):
    """Links, assets, canonical and Open Graph URLs, on every page and the 404 page."""
    broken, checked = broken_references(built)
    assert not broken, "\n".join(broken)
    assert checked > 300


def test_the_404_page_links_absolutely_under_the_site_path(built):
    """It is served at any depth: a relative or empty link would point elsewhere."""
    page = built.page("/404/")
    for tag in page.find_all(["link", "script", "img", "a"]):
        ref = tag.get("href") if tag.has_attr("href") else tag.get("src")
        if ref is None or ref.startswith(("#", "mailto:")) or "://" in ref:
            continue
        assert ref.startswith(built.path), f"{tag.name} {ref!r} is not under {built.path}"
    hrefs = [a["href"] for a in page.select("article a")]
    assert hrefs == [built.path, built.path + "research/"]


def test_sitemap_robots_and_canonical_links_use_the_address(built):
    assert sorted(built.sitemap_urls()) == sorted(
        built.base_url + u.lstrip("/") for u in public_urls()
    )
    robots = (built.root / "robots.txt").read_text()
    assert f"Sitemap: {built.base_url}sitemap.xml" in robots
    for url in (u for u in public_urls() if u.endswith("/")):
        canonical = built.page(url).head.find("link", rel="canonical")["href"]
        assert canonical == built.base_url + url.lstrip("/")


def test_the_cv_pdf_links_to_pages_of_the_site(built):
    reader = PdfReader(built.root / "cv.pdf")
    links = [
        annotation.get_object()["/A"]["/URI"]
        for pdf_page in reader.pages
        for annotation in pdf_page.get("/Annots") or []
        if "/URI" in annotation.get_object().get("/A", {})
    ]
    ours = [link for link in links if link.startswith(built.base_url)]
    assert len(ours) >= 5, f"the CV links to no page of {built.base_url}: {links}"
    for link in ours:
        target, _ = local_target(built, built.root / "cv.pdf", link)
        assert target.is_file(), f"the CV links to {link}, which is not in the build"


def test_social_cards_print_the_address(site, root_site):
    """The card shows the site's address; built for another address, it differs."""
    card = "_images/social/research-grafics.png"
    assert (site.root / card).read_bytes() != (root_site.root / card).read_bytes()


@pytest.mark.browser
def test_the_404_page_loads_its_assets_at_any_depth(browser, built):
    httpd, base = serve(built.root, built.path)
    failed, statuses = [], {}
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: statuses.__setitem__(response.url, response.status))
    try:
        response = page.goto(base + "no/such/deep/page/")
        # Not "load": the browser asks for the favicon after it, an asset at depth too.
        page.wait_for_load_state("networkidle")
        assert response.status == 404
        assets = {url: status for url, status in statuses.items() if url != response.url}
        assert len(assets) >= 8, f"the 404 page loaded almost nothing: {assets}"
        bad = {url: status for url, status in assets.items() if status >= 400}
        assert not bad and not failed, f"{bad} {failed}"
        header = page.evaluate("getComputedStyle(document.querySelector('.bd-header')).position")
        assert header == "sticky", "the theme's style sheet is not applied"
        page.click("article a[href$='research/']")
        assert page.url == base + "research/"
        assert page.locator("h1").first.inner_text().startswith("Research")
    finally:
        context.close()
        httpd.shutdown()


# -- Addresses a stranger could type ------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        # An empty address built a sitemap of <loc>/</loc>, and relative canonical links.
        ("", r"conf\.py:\d+: ERROR: 'html_baseurl' is empty: the sitemap, the canonical links"),
        # Without its scheme, the 404 page stopped with BaseURIError's traceback.
        ("zoe.example.org/en/latest/",
         r"conf\.py:\d+: ERROR: the site's address 'zoe\.example\.org/en/latest/' has "
         r"no scheme: write 'https://zoe\.example\.org/en/latest/'"),
        ("ftp://example.org/", r"the site's address 'ftp://example\.org/' is not a web address"),
    ],
)  # fmt: skip
def test_a_site_address_that_is_not_a_web_address_stops_the_build(build_stops, typed, expected):
    # The made-up portfolio's conf.py, as the owner's writes it: SITE_URL, then html_baseurl.
    build_stops("conf.py", (f'SITE_URL = "{OTHER_URL}"', f'SITE_URL = "{typed}"'), expected)


def test_sitemap_and_robots_write_a_non_ascii_address_percent_encoded(tmp_path_factory):
    """The sitemap protocol and robots.txt take ASCII URLs: the host in IDNA,
    the path's other characters (a space, an accent) percent-encoded as UTF-8."""
    built = built_site(
        tmp_path_factory, "unicode-address", "https://zürich.example/my site/é/",
        site_url="https://zürich.example/my site/é/", **NOT_ON_READ_THE_DOCS,
    )  # fmt: skip
    encoded = "https://xn--zrich-kva.example/my%20site/%C3%A9/"
    (built.root / "sitemap.xml").read_bytes().decode("ascii")  # raises on a raw character
    urls = built.sitemap_urls()
    assert sorted(urls) == sorted(encoded + url.lstrip("/") for url in public_urls())
    robots = (built.root / "robots.txt").read_text("ascii")
    assert f"Sitemap: {encoded}sitemap.xml\n" in robots
