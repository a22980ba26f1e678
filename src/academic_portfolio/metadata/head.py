"""Each page's metadata, assembled in one place.

While a page is read, :func:`page_metadata` decides its kind (:func:`page_kind`)
and gathers, through :mod:`academic_portfolio.data.store` (so that every read is recorded),
all that its ``<head>`` and its social card say: the description, the card's
text, Google Scholar's tags and the schema.org JSON-LD. When the page is
written, :func:`on_html_page_context` puts that record into it, with the card
(or the page's first figure) as its image:

==========  ===============================  ==============================
kind        description                      also
==========  ===============================  ==============================
home        front matter ``description``     og:type profile; the Person
project     the front matter's ``summary``   og:type article
paper       its citation (only as            og:type article; Scholar's
            twitter:description without      and Zotero's tags; the work's
            an abstract: Zotero reads        JSON-LD
            description and og:description
            as the abstract)
listing     front matter ``description``     og:type website (every other
                                             page: the lists, the CV)
==========  ===============================  ==============================

sphinxext-opengraph writes the Open Graph tags from ``context["meta"]``; this
runs before it (priority 450 < 500). Pages Sphinx makes without a source (the
search page, the 404 page) have no record: the search page is kept out of
search engines, the others get the site-wide tags only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from markupsafe import escape
from sphinx.application import Sphinx

from ..data.pagerecord import PageKind, PageMeta
from ..data.paperfiles import PAPERS_DIR
from ..data.store import PortfolioDomain, portfolio
from ..pages.site import add_to_head
from ..papers.render import paper_description
from ..papers.scholar import json_ld_script, person_id, scholar_tags, scholarly_work
from ..papers.zotero import zotero_tags
from ..projects.figures import image_size, published
from ..version import __version__
from .sharing import (
    CARD_SIZE,
    OG_LOCALE,
    card,
    draw_card,
    image_alt,
    og_text,
    person_json_ld,
    start_card,
)

HEADER_FIELDS = ("email", "profiles")  # of cv.yaml's person, on every page
OG_TYPES = {"home": "profile", "project": "article", "paper": "article", "listing": "website"}


def page_kind(app: Sphinx, store: PortfolioDomain, docname: str) -> PageKind:
    """The one place that says what a page is. Read without a record: a page's
    kind changes only when its file comes or goes (a project's) or its entry
    does (a paper's), and then the page itself is read again or removed."""
    if docname == app.config.root_doc:
        return "home"
    if docname in store.all_projects:
        return "project"
    folder, _, slug = docname.partition("/")
    if folder == PAPERS_DIR and slug in store.bibliography.keys_by_slug:
        return "paper"
    return "listing"


def page_metadata(app: Sphinx, docname: str, doctree: nodes.document) -> PageMeta:
    """What the page's head and card say; every read of data is the page's furniture."""
    store = portfolio(app.env)
    with store.furniture(docname):
        store.note(docname, "config:html_baseurl")  # in its JSON-LD and its card
        return assemble(app, store, docname)


def assemble(app: Sphinx, store: PortfolioDomain, docname: str) -> PageMeta:
    env = app.env
    kind = page_kind(app, store, docname)
    base = app.config.html_baseurl
    title = env.titles[docname].astext() if docname in env.titles else ""
    own = env.metadata.get(docname, {}).get("description", "")
    meta = PageMeta(kind, title, own if isinstance(own, str) else "", {})
    paper = project = None
    if kind == "project":
        project = store.project(docname, docname)
        assert project is not None, "page_kind() says project for the store's projects only"
        meta.description = project.summary
    elif kind == "paper":
        paper = store.paper_by_slug(docname, docname.partition("/")[2])
        assert paper is not None, "page_kind() says paper for the generated paper pages only"
        meta.description = paper_description(paper, store.style)
        meta.scholar_tags = scholar_tags(paper)
        meta.zotero_tags = zotero_tags(paper)
        meta.description_for_previews_only = not paper.abstract
        page_url = base.rstrip("/") + f"/{docname}/"
        meta.json_ld = [scholarly_work(paper, page_url, person_id(base))]
    elif kind == "home":
        meta.json_ld = [person_json_ld(store.cv(docname), base)]
    meta.card = card(store.cv(docname), kind, title, meta.description, project, paper, store.style,
                     base)  # fmt: skip
    # Every page's header shows the e-mail address and the profiles (academic_portfolio.metadata.nextstep).
    person = store.cv(docname).person
    for name in HEADER_FIELDS:
        getattr(person, name)  # a recorded read (of its absence too)
    return meta


def on_doctree_read(app: Sphinx, doctree: nodes.document) -> None:
    # After Sphinx's collectors (500) have the page's title.
    docname = app.env.docname
    meta = page_metadata(app, docname, doctree)
    portfolio(app.env).note_meta(docname, meta)
    record = portfolio(app.env).record(docname)
    if record is not None and page_figure(record.first_figure) is None:
        start_card(app, meta.card)


def on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    if pagename == "search":  # a results page has no content of its own
        context["pageurl"] = None
        add_to_head(context, '<meta name="robots" content="noindex">')
        return
    record = portfolio(app.env).record(pagename)
    if doctree is None or record is None or record.meta is None:
        return
    meta: PageMeta = record.meta
    base = app.config.html_baseurl.rstrip("/")
    image, width, height, alt = page_image(app, pagename, meta, record.first_figure)
    tags = [
        f'<meta name="{name}" content="{escape(value)}">'
        for name, value in meta.scholar_tags + meta.zotero_tags
    ]
    description = escape(flat(meta.description))
    if meta.description and meta.description_for_previews_only:
        tags.append(f'<meta name="twitter:description" content="{description}">')
    elif meta.description:
        tags.insert(0, f'<meta name="description" content="{description}">')
    tags.append(f'<meta name="twitter:image:alt" content="{escape(alt)}">')
    tags += [json_ld_script({**data, "image": f"{base}/{image}"}) for data in meta.json_ld]
    add_to_head(context, *tags)
    fields = dict(context.get("meta") or {})  # a copy: sphinxext-opengraph pops from it
    fields.update({
        "og:title": meta.title,
        "og:type": OG_TYPES[meta.kind],
        "og:locale": OG_LOCALE,
        "og:image": image,
        "og:image:width": str(width),
        "og:image:height": str(height),
        "og:image:alt": alt,
    })  # fmt: skip
    if meta.description_for_previews_only:
        # Nor may sphinxext-opengraph make one from the page's text (its
        # length 0 makes none).
        fields["ogp_description_length"] = "0"
    elif meta.description:
        fields["og:description"] = flat(meta.description)
    context["meta"] = {k: og_text(v) if k.startswith("og:") else v for k, v in fields.items()}


def page_image(
    app: Sphinx, pagename: str, meta: PageMeta, figure: tuple[str, str] | None
) -> tuple[str, int, int, str]:
    """The page's picture for link previews, relative to the site's root: its
    first figure, if it has one, else its card (drawn here)."""
    if figure is not None and (found := page_figure(figure)) is not None:
        width, height = image_size(found)
        return published(app.builder, found), width, height, figure[1]
    path = draw_card(app, pagename, meta.card)
    return path, *CARD_SIZE, flat(image_alt(meta.card, meta.kind == "home"))


def page_figure(figure: tuple[str, str] | None) -> Path | None:
    """The file of the page's first figure, if it has one that exists."""
    return Path(figure[0]) if figure is not None and Path(figure[0]).is_file() else None


def flat(text: str) -> str:
    return " ".join(text.split())


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("academic_portfolio.data.store")
    app.setup_extension("academic_portfolio.metadata.sharing")
    app.connect("doctree-read", on_doctree_read, priority=900)
    # Before sphinxext-opengraph (500) writes context["meta"].
    app.connect("html-page-context", on_html_page_context, priority=450)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
