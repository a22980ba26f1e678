"""The next step from any page: the CV PDF and the e-mail address in the header,
and an optional site-wide status line.

Both come from data, never from a page: the address from ``_data/cv.yaml``,
the status line from ``portfolio_status_line`` in ``conf.py`` (empty, so off,
unless the owner writes one). The templates print them escaped
(``_templates/portfolio-contact.html``, ``_templates/layout.html``); no script
and no request is involved, so nothing moves when the page loads.
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from .latex import is_safe_link
from .store import portfolio


def contact(app: Sphinx, pagename: str, context: dict[str, Any]) -> dict[str, str]:
    """The CV PDF's address relative to the page, and the owner's mailto: link."""
    # Every page's metadata recorded this read (portfolio.metadata).
    email = portfolio(app.env).cv_data["person"]["email"]
    mailto = f"mailto:{email}"
    return {
        "cv": context["pathto"](app.config.portfolio_cv_pdf, 1),
        "email": email,
        # The schema checked the address; a link still passes the one test of links.
        "mailto": mailto if is_safe_link(mailto) else "",
    }


def on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    context["portfolio_contact"] = contact(app, pagename, context)
    context["portfolio_status"] = " ".join(app.config.portfolio_status_line.split())


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("portfolio.store")
    # One line for every page, such as an availability for positions; empty: none.
    app.add_config_value("portfolio_status_line", "", "html", types=[str])
    app.connect("html-page-context", on_html_page_context)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
