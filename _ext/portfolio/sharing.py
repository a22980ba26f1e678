"""Link previews, around the maintained extensions.

sphinxext-opengraph writes the Open Graph tags, sphinx-notfound-page the 404
page. This module adds only what neither does:

- a 1200×630 PNG social card per page, typeset with Typst from the page's own
  title and summary, cached by its input so an unchanged page is not redrawn;
- the per-page Open Graph fields (description, card, its size and alt text,
  ``profile`` on the home page);
- schema.org ``Person`` JSON-LD on the home page.
"""

from __future__ import annotations

import contextlib
import html
import io
import json
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from markupsafe import Markup
from sphinx.application import Sphinx

from .papers import json_ld_script, paper_of_page
from .site import add_to_head
from .typeset import TEMPLATES, typeset

CARD_SIZE = (1200, 630)
CARDS_DIR = "_images/social"
LINE_LENGTH = 120


# -- Cards ---------------------------------------------------------------------


def card_slug(pagename: str) -> str:
    return "home" if pagename == "index" else pagename.removesuffix("/index").replace("/", "-")


def card_inputs(app: Sphinx, pagename: str, context: dict[str, Any]) -> dict[str, str]:
    env = app.env
    project = env.portfolio_projects.get(pagename)
    if project is not None:
        kicker = f"{project.meta['kind']} · {project.period}"
    elif (entry := paper_of_page(env, pagename)) is not None:
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


def on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    """Give sphinxext-opengraph (priority 500) this page's card and description."""
    if doctree is None:  # generated pages (search, 404) are not shared
        return
    png = typeset(TEMPLATES / "social-card.typ", card_inputs(app, pagename, context),
                  Path(app.doctreedir) / "social-cards", fmt="png", ppi=72)  # fmt: skip
    target = Path(app.outdir) / CARDS_DIR / f"{card_slug(pagename)}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(png, target)
    title = Markup(context.get("title", "")).striptags()
    fields = dict(context.get("meta") or {})  # a copy: opengraph pops from it
    fields.update({
        "og:title": title,
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
    context["meta"] = {k: og_text(v) if k.startswith("og:") else v for k, v in fields.items()}


def og_text(value: str) -> str:
    """A value for sphinxext-opengraph, which writes it into content="..."
    replacing only the double quote: &, < and > are escaped here, so that the
    value stays text (the card's URL is a path of ours, unchanged by this)."""
    return html.escape(value, quote=False)


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


def setup(app: Sphinx) -> dict[str, Any]:
    # sphinxext-opengraph prints a notice at import when matplotlib, which it
    # would use for its own social cards, is missing; we draw ours with Typst.
    with contextlib.redirect_stdout(io.StringIO()):
        import sphinxext.opengraph  # noqa: F401
    for extension in ("sphinxext.opengraph", "notfound.extension"):
        app.setup_extension(extension)
    app.connect("html-page-context", on_html_page_context, priority=450)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
