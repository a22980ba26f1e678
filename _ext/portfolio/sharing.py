"""Link previews and discovery, around the maintained extensions.

sphinxext-opengraph writes the Open Graph tags, sphinx-sitemap the sitemap,
sphinx-notfound-page the 404 page, sphinx-favicon the icon links. This module
adds only what none of them does:

- a 1200×630 PNG social card per page, typeset with Typst from the page's own
  title and summary, cached by its input so an unchanged page is not redrawn;
- the per-page Open Graph fields (description, card, its size and alt text,
  ``profile`` on the home page);
- the favicon's PNG fallbacks, drawn from ``_static/favicon.svg``;
- ``robots.txt``, ``/cv.pdf`` in the sitemap, and schema.org ``Person``
  JSON-LD on the home page.
"""

from __future__ import annotations

import contextlib
import io
import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import sphinx_favicon
from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.util import logging

from .papers import json_ld_script
from .site import add_to_head
from .typeset import TEMPLATES, typeset

logger = logging.getLogger(__name__)
CARD_SIZE = (1200, 630)
CARDS_DIR = "_images/social"
LINE_LENGTH = 120
FAVICON_PNGS = {"favicon-32.png": 32, "apple-touch-icon.png": 180}
NOT_SHARED = {"search", "404", "genindex"}


# -- Cards ---------------------------------------------------------------------


def card_slug(pagename: str) -> str:
    return "home" if pagename == "index" else pagename.removesuffix("/index").replace("/", "-")


def card_inputs(app: Sphinx, pagename: str, context: dict[str, Any]) -> dict[str, str]:
    env = app.env
    project = env.portfolio_projects.get(pagename)
    if project is not None:
        kicker = f"{project.meta['kind']} · {project.period}"
    elif pagename.startswith("publications/") and pagename != "publications/index":
        entry = env.portfolio_bib.entries[pagename.split("/", 1)[1]]
        kicker = f"Paper · {entry.fields['year']}"
    else:
        kicker = env.portfolio_cv["person"]["headline"]
    name = env.portfolio_cv["person"]["name"]
    title = Markup(context.get("title", "")).striptags()
    line = context.get("portfolio_description", "")
    if pagename == app.config.root_doc:
        title, line = (
            name,
            "Research: " + "; ".join(env.portfolio_cv["person"]["research_interests"]),
        )
    if len(line) > LINE_LENGTH:  # two lines on the card
        line = line[: LINE_LENGTH - 3].rsplit(" ", 1)[0] + " …"
    site = urlsplit(app.config.html_baseurl)
    card = {"name": name, "kicker": kicker, "title": title, "line": line,
            "site": (site.netloc + site.path).rstrip("/")}  # fmt: skip
    return {"card": json.dumps(card, ensure_ascii=False)}


# -- Events -------------------------------------------------------------------


def on_builder_inited(app: Sphinx) -> None:
    """Draw the favicon's PNG fallbacks from _static/favicon.svg, beside it in the output."""
    svg_text = (Path(app.srcdir) / "_static" / "favicon.svg").read_text("utf-8")
    static = Path(app.outdir) / "_static"
    static.mkdir(parents=True, exist_ok=True)
    for name, size in FAVICON_PNGS.items():
        png = typeset(TEMPLATES / "favicon.typ", {"svg-text": svg_text},
                      Path(app.doctreedir) / "favicons", fmt="png", ppi=72 * size / 64)  # fmt: skip
        shutil.copyfile(png, static / name)


def on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    """Give sphinxext-opengraph (priority 500) this page's card and description."""
    if pagename in NOT_SHARED or doctree is None:
        return
    png = typeset(TEMPLATES / "social-card.typ", card_inputs(app, pagename, context),
                  Path(app.doctreedir) / "social-cards", fmt="png", ppi=72)  # fmt: skip
    target = Path(app.outdir) / CARDS_DIR / f"{card_slug(pagename)}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(png, target)
    title = Markup(context.get("title", "")).striptags()
    fields = dict(context.get("meta") or {})  # a copy: opengraph pops from it
    fields.update({
        "og:image": f"{CARDS_DIR}/{target.name}",
        "og:image:width": str(CARD_SIZE[0]),
        "og:image:height": str(CARD_SIZE[1]),
        "og:image:alt": f"{title} — {app.env.portfolio_cv['person']['name']}",
    })  # fmt: skip
    if context.get("portfolio_description"):
        fields["og:description"] = " ".join(context["portfolio_description"].split())
    if pagename == app.config.root_doc:
        fields["og:type"] = "profile"
        add_to_head(context, json_ld_script(person_json_ld(app)))
    context["meta"] = fields


def add_favicons_to_generated_pages(app, pagename, templatename, context, doctree) -> None:
    """sphinx-favicon skips pages without a doctree (404, search); add them there.

    Runs after sphinx-notfound-page (500) made the 404 page's links absolute.
    """
    if doctree is None and app.config.favicons:
        add_to_head(context, sphinx_favicon.create_favicons_meta(
            context["pathto"], app.config.favicons, app.config.html_static_path, app.confdir,
        ))  # fmt: skip


def person_json_ld(app: Sphinx) -> dict[str, Any]:
    cv = app.env.portfolio_cv
    person = cv["person"]
    schools = dict.fromkeys(entry["institution"] for entry in cv["education"])
    return {
        "@context": "https://schema.org",
        "@type": "Person",
        "name": person["name"],
        "email": f"mailto:{person['email']}",
        "url": app.config.html_baseurl,
        "jobTitle": person["headline"],
        "alumniOf": [{"@type": "CollegeOrUniversity", "name": name} for name in schools],
        "knowsAbout": person["research_interests"],
        "sameAs": [person["github"], person["scholar"]],
    }


def on_build_finished(app: Sphinx, exception) -> None:
    """robots.txt pointing to the sitemap, and the CV PDF listed in the sitemap."""
    if exception is not None or app.builder.format != "html":
        return
    base = app.config.html_baseurl.rstrip("/") + "/"
    robots = f"User-agent: *\nAllow: /\n\nSitemap: {base}{app.config.sitemap_filename}\n"
    (Path(app.outdir) / "robots.txt").write_text(robots, "utf-8")
    app.env.app.sitemap_links.put((app.config.portfolio_cv_pdf, None))


def setup(app: Sphinx) -> dict[str, Any]:
    # sphinxext-opengraph prints a notice at import when matplotlib, which it
    # would use for its own social cards, is missing; we draw ours with Typst.
    with contextlib.redirect_stdout(io.StringIO()):
        import sphinxext.opengraph  # noqa: F401
    for extension in (
        "sphinxext.opengraph",
        "sphinx_sitemap",
        "notfound.extension",
        "sphinx_favicon",
    ):
        app.setup_extension(extension)
    app.connect("builder-inited", on_builder_inited)
    app.connect("html-page-context", on_html_page_context, priority=450)
    app.connect("html-page-context", add_favicons_to_generated_pages, priority=550)
    # Before sphinx-sitemap writes the sitemap (500).
    app.connect("build-finished", on_build_finished, priority=450)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
