"""``sitemap.xml`` and ``robots.txt``: every public URL, after every build.

The sitemap is written from the environment's list of documents, so a build
that rewrote one page still lists them all. (sphinx-sitemap lists only the
pages written by the current build, jdillard/sphinx-sitemap#13, and starts a
multiprocessing manager on every build to do so.)
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote, urlsplit, urlunsplit

from markupsafe import escape  # the site's one escaping function; valid XML too
from sphinx.application import Sphinx

from ..data.outputs import output_file
from ..pages.freshness import cv_timestamp, iso_date, latest, timestamp
from ..settings import declare
from ..version import __version__

SITEMAP = "sitemap.xml"
# Characters a URL's path may hold as they are (RFC 3986: unreserved, sub-delims, ":", "@", "/").
PATH_SAFE = "/:@!$&'()*+,;=-._~"
LONE_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def web_address(url: str) -> str:
    """*url* as the sitemap protocol and robots.txt want it: ASCII only, a
    non-ASCII host in its IDNA form (``xn--...``), every other character of
    the path percent-encoded as UTF-8 (a space: ``%20``); an escape already
    written (``%20``) is kept."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    try:
        host = host.encode("idna").decode("ascii")
    except UnicodeError:  # not a name IDNA can write: encode it as a path would be
        host = quote(host, safe="")
    netloc = f"{host}:{parts.port}" if parts.port else host
    path = quote(LONE_PERCENT.sub("%25", parts.path), safe=PATH_SAFE + "%")
    query = quote(LONE_PERCENT.sub("%25", parts.query), safe=PATH_SAFE + "?%")
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def dated_urls(app: Sphinx) -> dict[str, str]:
    """Every public URL and the day its sources last changed ("" where git cannot say):
    pages by their own history, the CV PDF by what it shows, other files by the latest page."""
    base = app.config.html_baseurl.rstrip("/") + "/"
    env = app.env
    pages = {
        app.builder.get_target_uri(doc): iso_date(timestamp(env, doc)) for doc in env.found_docs
    }
    files = {
        path: iso_date(cv_timestamp(env) if path == app.config.portfolio_cv_pdf else
                       latest(env, env.found_docs))
        for path in app.config.portfolio_sitemap_files
    }  # fmt: skip
    return {base + path: day for path, day in [*sorted(pages.items()), *files.items()]}


def sitemap_xml(urls: list[str] | dict[str, str]) -> str:
    dates = urls if isinstance(urls, dict) else dict.fromkeys(urls, "")
    entries = "".join(
        f"  <url><loc>{escape(web_address(url))}</loc>"
        + (f"<lastmod>{day}</lastmod>" if day else "")
        + "</url>\n"
        for url, day in dates.items()
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{entries}</urlset>\n"
    )


def robots_txt(base: str) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {web_address(base.rstrip('/') + '/' + SITEMAP)}\n"


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    sitemap = output_file(app, SITEMAP, "the sitemap")
    sitemap.write_text(sitemap_xml(dated_urls(app)), "utf-8")
    robots = output_file(app, "robots.txt", "robots.txt")
    robots.write_text(robots_txt(app.config.html_baseurl), "utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("academic_portfolio.cv.sections")  # portfolio_cv_pdf, in the default
    declare(app, ["portfolio_sitemap_files"])
    app.connect("build-finished", on_build_finished)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
