"""The next step from any page: the CV PDF, the e-mail address and the owner's
profiles (``person.profiles``: GitHub, Google Scholar ...) in the header, and an optional site-wide
status line.

All come from data, never from a page: the address and the profiles from
``_data/cv.yaml`` (the one source of them: the CV and the home page show them too),
the status line from ``portfolio_status_line`` in ``conf.py`` (empty, so off,
unless the owner writes one). The templates print them escaped
(``_templates/portfolio-contact.html``, ``_templates/layout.html``); no script
and no request is involved, so nothing moves when the page loads.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from markupsafe import escape
from sphinx.application import Sphinx
from sphinx.builders.html import StandaloneHTMLBuilder

from ..data.store import portfolio
from ..settings import declare
from ..version import __version__


def contact(app: Sphinx, pagename: str, context: dict[str, Any]) -> dict[str, str]:
    """The CV PDF's address relative to the page, and the owner's mailto: link."""
    # Every page's metadata recorded this read (academic_portfolio.metadata.head).
    person = portfolio(app.env).cv_data.person
    return {
        "cv": context["pathto"](app.config.portfolio_cv_pdf, 1),
        "email": person.email,
        # The schema checked the address; the record's link passed the one test of links.
        "mailto": person.mailto,
    }


# The header's icon of a profile of cv.yaml's person.profiles, by its address's
# host; any other profile (a homepage, ORCID ...) gets the house.
PROFILE_ICONS = {"github.com": "fa-brands fa-github",
                 "scholar.google.com": "fa-brands fa-google-scholar"}  # fmt: skip
OTHER_PROFILE_ICON = "fa-solid fa-house"


def profile_icon(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return PROFILE_ICONS.get(host.removeprefix("www."), OTHER_PROFILE_ICON)


def add_profile_links(app: Sphinx) -> None:
    """The header's profile icons, from cv.yaml. pydata-sphinx-theme reads its
    ``icon_links`` from the builder's theme options, which it documents as the
    place to change them; rel="me" ties the profiles to this site."""
    if not isinstance(app.builder, StandaloneHTMLBuilder):  # not an HTML build
        return
    options = app.builder.theme_options
    # Every page records it (academic_portfolio.metadata.head).
    person = portfolio(app.env).cv_data.person
    # The theme writes name and url into its template as they are: escaped
    # here (as Markup, which an escaping template leaves alone), they stay text.
    links = [
        {"name": escape(profile.name), "url": escape(profile.url),
         "icon": profile_icon(profile.url), "attributes": {"rel": "me noopener"}}
        for profile in person.profiles
    ]  # fmt: skip
    # A new dict: the builder's is conf.py's own html_theme_options, kept as written.
    # Sphinx annotates theme options as str, int or bool; themes take lists too.
    app.builder.theme_options = {**options, "icon_links": links}  # type: ignore[dict-item]


def on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    context["portfolio_contact"] = contact(app, pagename, context)
    context["portfolio_status"] = " ".join(app.config.portfolio_status_line.split())


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("academic_portfolio.data.store")
    declare(app, ["portfolio_status_line"])
    # After academic_portfolio.data.store read cv.yaml (300), before the theme reads its options (500).
    app.connect("builder-inited", add_profile_links, priority=400)
    app.connect("html-page-context", on_html_page_context)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
