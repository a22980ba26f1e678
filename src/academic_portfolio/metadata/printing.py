"""A printed page says whose it is and where each of its links goes.

Paper shows no link, so print.css writes each link's address after it. CSS
can only write an attribute as it is, and two kinds of ``href`` read badly on
paper: a ``mailto:`` link (``mailto:ada%40example.org``) and a link inside
the site (``../../publications/doe2024/``). The ``portfolio_print_addresses``
filter (theme/layout.html) gives each link a ``data-print`` attribute, which
print.css writes: the plain e-mail address, the link's absolute address on
the site (``html_baseurl``), or an external address as it is; a link whose
text already is its address gets none.

The owner's name heads every printed page: an ``@page`` margin box whose text
is the site's title, written as a CSS string (``portfolio_print_css``).
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urljoin, urlsplit

from jinja2 import pass_context
from markupsafe import Markup
from sphinx.application import Sphinx

from ..version import __version__

if TYPE_CHECKING:
    from jinja2.runtime import Context

# An <a> start tag with its href, and the text up to its end tag (no nested links in HTML).
LINK = re.compile(r'(<a\b[^>]*?\bhref="([^"]*)"[^>]*)>(.*?)</a>', re.S)
TAG = re.compile(r"<[^>]+>")


def css_string(text: str) -> str:
    """*text* as a quoted CSS string: every character but letters, digits and
    spaces written as a hexadecimal escape, so no value can end the string."""
    return '"' + "".join(c if c.isalnum() or c == " " else f"\\{ord(c):x} " for c in text) + '"'


def print_address(href: str, page_url: str | None) -> str | None:
    """What paper should show for a link to *href* from *page_url*, or None."""
    if href.startswith("mailto:"):
        return unquote(href.removeprefix("mailto:").split("?", 1)[0])
    if urlsplit(href).scheme in ("http", "https"):
        return href
    if href.startswith("#") or urlsplit(href).scheme or not page_url:
        return None  # a mark on this page; an address of another kind
    return urljoin(page_url, href)


def with_print_addresses(page_html: str, page_url: str | None) -> str:
    """*page_html* with a data-print attribute on each link that needs one."""

    def add(match: re.Match) -> str:
        start, href, text = match.group(1), html.unescape(match.group(2)), match.group(3)
        address = print_address(href, page_url)
        shown = " ".join(html.unescape(TAG.sub("", text)).split())
        if address is None or "data-print=" in start or shown == address:
            return match.group(0)
        return f'{start} data-print="{html.escape(address)}">{text}</a>'

    return LINK.sub(add, page_html)


def register_filter(app: Sphinx) -> None:
    """``{% filter portfolio_print_addresses %}`` in the layout template."""
    environment = getattr(getattr(app.builder, "templates", None), "environment", None)
    if environment is None:  # not an HTML builder
        return

    @pass_context
    def portfolio_print_addresses(context: Context, page_html: str) -> Markup:
        return Markup(with_print_addresses(str(page_html), context.get("pageurl")))

    environment.filters["portfolio_print_addresses"] = portfolio_print_addresses


def on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    # The site's title, its owner's name, at the top of every printed page.
    title = str(context.get("docstitle") or app.config.html_title or app.config.project)
    context["portfolio_print_css"] = f"@page{{@top-left{{content:{css_string(title)}}}}}"


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", register_filter)
    app.connect("html-page-context", on_html_page_context)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
