"""`nox -s serve`'s server in the test's own process, on a few pages written by hand.

test_serve.py runs the session on the built site (build tier); these check
what the server answers, without a build: the site at its canonical path, a
folder's page, the 404 page, gzip, and the message for a folder with no site.
"""

from __future__ import annotations

import gzip
import http.client
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from academic_portfolio.serve import main, serve, site_path_of

pytestmark = pytest.mark.pure

CANONICAL = "https://example.readthedocs.io/en/latest/"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A built site's shape: a home page with its canonical link, a folder's page, a 404 page."""
    pages = {
        "index.html": f'<link rel="canonical" href="{CANONICAL}"><h1>Home</h1>',
        "research/index.html": "<h1>Research</h1>",
        "404/index.html": "<h1>Page not found</h1>",
    }
    for name, text in pages.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, "utf-8")
    return tmp_path


def get(address: str, path: str, **headers: str) -> http.client.HTTPResponse:
    parts = urlsplit(address)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
    connection.request("GET", path, headers=headers)
    return connection.getresponse()


def test_the_site_is_served_at_the_path_of_its_canonical_address(site):
    assert site_path_of(site) == "/en/latest/"
    httpd, address = serve(site, site_path_of(site))
    try:
        root = get(address, "/")
        assert root.status == 302 and root.getheader("Location") == "/en/latest/"
        folder = get(address, "/en/latest/research/")
        assert folder.status == 200 and folder.read() == b"<h1>Research</h1>"
        unknown = get(address, "/en/latest/no-such-page/")
        assert unknown.status == 404 and unknown.read() == b"<h1>Page not found</h1>"
        assert get(address, "/elsewhere/").status == 404
        zipped = get(address, "/en/latest/", **{"Accept-Encoding": "gzip"})
        assert zipped.getheader("Content-Encoding") == "gzip"
        assert b"<h1>Home</h1>" in gzip.decompress(zipped.read())
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_a_folder_without_a_site_says_to_build_it_first(tmp_path, capsys):
    assert main([str(tmp_path)]) == 1
    assert f"No site in {tmp_path}: build it first with `nox -s docs`." in capsys.readouterr().err
