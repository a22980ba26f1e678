"""Link previews, around the maintained extensions.

sphinxext-opengraph writes the Open Graph tags, sphinx-notfound-page the 404
page. This module adds only what neither does:

- a 1200×630 PNG social card per page, typeset with Typst from the page's own
  title and summary (a paper's: its title, authors, venue and year), cached by
  its input so an unchanged page is not redrawn;
- the per-page Open Graph fields (description, card, its size and alt text,
  locale; type ``profile`` on the home page, ``article`` on project and paper
  pages, ``website`` on the listing pages) and the card's ``twitter:image:alt``;
- schema.org JSON-LD: the home page's ``Person`` (``@id`` ``<site>/#person``)
  and each paper's work (from portfolio.papers), with its card as ``image``.
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

from markupsafe import Markup, escape
from pybtex.database import Entry
from sphinx.application import Sphinx

from .bibstyle import is_arxiv
from .cvpdf import segments
from .latex import plain
from .papers import json_ld_script, paper_of_page, person_id, style
from .site import add_to_head
from .typeset import TEMPLATES, typeset
from .venue import status_label

CARD_SIZE = (1200, 630)
CARDS_DIR = "_images/social"
LINE_LENGTH = 120
# The site is written in American English ("specialized"); Open Graph wants
# language_TERRITORY, where conf.py's language says only "en".
OG_LOCALE = "en_US"


# -- Cards ---------------------------------------------------------------------


def card_slug(pagename: str) -> str:
    return "home" if pagename == "index" else pagename.removesuffix("/index").replace("/", "-")


def card(app: Sphinx, pagename: str, context: dict[str, Any]) -> dict[str, Any]:
    """What the page's card shows. A paper's: its title, its authors (runs,
    the owner in bold, "*" marks) and where and when it appeared."""
    env = app.env
    project = env.portfolio_projects.get(pagename)
    entry = paper_of_page(env, pagename)
    name = env.portfolio_cv["person"]["name"]
    title = Markup(context.get("title", "")).striptags()
    line = context.get("portfolio_description", "")
    extra: dict[str, Any] = {}
    if project is not None:
        kicker = f"{project.meta['kind']} · {project.period}"
    elif entry is not None:
        kicker = status_label(entry) or "Paper"
        line, extra = "", {"authors": author_runs(entry), "venue": venue_line(entry)}
        if any("*" in run["text"] for run in extra["authors"]):
            extra["legend"] = "* Equal contribution"
    else:
        kicker = env.portfolio_cv["person"]["headline"]
    if pagename == app.config.root_doc:
        title, line = (
            name,
            "Research: " + "; ".join(env.portfolio_cv["person"]["research_interests"]),
        )
    if len(line) > LINE_LENGTH:  # two lines on the card
        line = line[: LINE_LENGTH - 3].rsplit(" ", 1)[0] + " …"
    site = urlsplit(app.config.html_baseurl)
    return {"name": name, "kicker": kicker, "title": title, "line": line, **extra,
            "site": (site.netloc + site.path).rstrip("/")}  # fmt: skip


def author_runs(entry: Entry) -> list[dict[str, Any]]:
    """The authors (or editors) as the lists set them: owner bold, "*" marks."""
    role = "author" if entry.persons.get("author") else "editor"
    names = style().format_names(role, as_sentence=False)
    return segments(names.format_data({"entry": entry, "style": style(), "bib_data": None}))


def venue_line(entry: Entry) -> str:
    """Where and when: "Advances in ... (NeurIPS), 2022"."""
    fields = entry.fields
    where = next((fields[n] for n in ("booktitle", "journal", "school", "institution",
                                      "howpublished", "publisher") if fields.get(n)), "")  # fmt: skip
    where = " ".join(plain(where).split()) if where else ""
    if not where and is_arxiv(entry):
        where = f"arXiv:{fields.get('eprint', '')}"
    return f"{where}, {fields['year']}" if where else fields["year"]


def image_alt(page_card: dict[str, Any], is_home: bool) -> str:
    """The card's text, as its alt text: what the picture says."""
    if "authors" in page_card:
        authors = "".join(run["text"] for run in page_card["authors"])
        legend = f" ({page_card['legend']})" if "legend" in page_card else ""
        return f"{page_card['title']}. {authors}{legend}. {page_card['venue']}."
    if is_home:
        return f"{page_card['name']}, {page_card['kicker']}. {page_card['line']}"
    return f"{page_card['title']} — {page_card['name']}"


def og_type(app: Sphinx, pagename: str) -> str:
    """profile for the home page, article for a project or a paper, website
    for the pages that list them (and the CV)."""
    if pagename == app.config.root_doc:
        return "profile"
    if pagename in app.env.portfolio_projects or paper_of_page(app.env, pagename) is not None:
        return "article"
    return "website"


# -- Events -------------------------------------------------------------------


def on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    """Give sphinxext-opengraph (priority 500) this page's card and description."""
    if doctree is None:  # generated pages (search, 404) are not shared
        return
    page_card = card(app, pagename, context)
    png = typeset(TEMPLATES / "social-card.typ", {"card": json.dumps(page_card, ensure_ascii=False)},
                  Path(app.doctreedir) / "social-cards", fmt="png", ppi=72)  # fmt: skip
    target = Path(app.outdir) / CARDS_DIR / f"{card_slug(pagename)}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(png, target)
    title = Markup(context.get("title", "")).striptags()
    alt = " ".join(image_alt(page_card, pagename == app.config.root_doc).split())
    fields = dict(context.get("meta") or {})  # a copy: opengraph pops from it
    fields.update({
        "og:title": title,
        "og:type": og_type(app, pagename),
        "og:locale": OG_LOCALE,
        "og:image": f"{CARDS_DIR}/{target.name}",
        "og:image:width": str(CARD_SIZE[0]),
        "og:image:height": str(CARD_SIZE[1]),
        "og:image:alt": alt,
    })  # fmt: skip
    if context.get("portfolio_description"):
        fields["og:description"] = " ".join(context["portfolio_description"].split())
    add_to_head(context, f'<meta name="twitter:image:alt" content="{escape(alt)}">')
    image_url = app.config.html_baseurl.rstrip("/") + f"/{CARDS_DIR}/{target.name}"
    blocks = [{**data, "image": image_url} for data in context.get("portfolio_json_ld", [])]
    if pagename == app.config.root_doc:
        blocks.insert(0, person_json_ld(app))
    add_to_head(context, *map(json_ld_script, blocks))
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
        "@id": person_id(app.config.html_baseurl),
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
