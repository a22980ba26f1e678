"""Site-wide page furniture: meta descriptions, front-matter titles, print styles.

- Every page gets a ``<meta name="description">``: from a project's front
  matter, a paper's citation, or a page's own ``description`` front matter.
- One ``<meta name="viewport">`` per page (Sphinx's layout writes it, and
  docutils' HTML writer wrote a second one on every content page).
- The search page is not for search engines: ``noindex``, no canonical link.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from docutils import nodes
from markupsafe import escape
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from .datafiles import DataFileError, read_text, stop_build


def add_to_head(context: dict[str, Any], *tags: str) -> None:
    """Append ready-made (already escaped) tags to the page's <head>.

    ``metatags`` stays a plain string: other extensions append to it with
    ``+=``, which would escape their tags if it were Markup.
    """
    context["metatags"] = "\n".join([str(context.get("metatags", "")), *map(str, tags)])


def fill_description(app, pagename, templatename, context, doctree) -> None:
    """Pages that are neither projects nor papers describe themselves in front matter."""
    if not context.get("portfolio_description"):
        description = app.env.metadata.get(pagename, {}).get("description")
        if description:
            context["portfolio_description"] = description


def write_description(app, pagename, templatename, context, doctree) -> None:
    description = context.get("portfolio_description")
    if description:
        content = escape(" ".join(description.split()))
        add_to_head(context, f'<meta name="description" content="{content}">')


class FrontMatterTitle(SphinxTransform):
    """A page's title from its front matter, as text.

    MyST (``myst_title_to_header``) writes the ``title`` field as a Markdown
    heading, so a title with [brackets](x), *stars* or <tags> would become a
    link, emphasis or HTML. The heading it made is given back the field's text.
    """

    default_priority = 100  # before the title is collected (env collectors)

    def apply(self, **kwargs: Any) -> None:
        title = self.env.metadata.get(self.env.docname, {}).get("title")
        section = self.document.next_node(nodes.section)
        if isinstance(title, str) and section is not None and isinstance(section[0], nodes.title):
            section[0][:] = [nodes.Text(title)]


# docutils' html5 writer puts this in every content page's metatags, and
# Sphinx's layout writes its own viewport tag before them.
DOCUTILS_VIEWPORT = '<meta name="viewport" content="width=device-width, initial-scale=1" />\n'


def drop_second_viewport(app, pagename, templatename, context, doctree) -> None:
    context["metatags"] = str(context.get("metatags", "")).replace(DOCUTILS_VIEWPORT, "")


def keep_search_page_out_of_indexes(app, pagename, templatename, context, doctree) -> None:
    """A results page has no content of its own: no canonical URL, noindex."""
    if pagename == "search":
        context["pageurl"] = None
        add_to_head(context, '<meta name="robots" content="noindex">')


def check_encodings(app: Sphinx, env, docnames: list[str]) -> None:
    """Every page about to be read is UTF-8 (Sphinx stops on a stray byte with
    "Encoding error!" and a traceback that does not name the line)."""
    problems = []
    for docname in docnames:
        try:
            read_text(Path(env.doc2path(docname)))
        except DataFileError as error:
            problems += error.problems
    if problems:
        stop_build(problems)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_transform(FrontMatterTitle)
    app.connect("env-before-read-docs", check_encodings)
    # Projects and papers set portfolio_description at 400, sharing reads it at 450.
    app.connect("html-page-context", drop_second_viewport, priority=100)
    app.connect("html-page-context", keep_search_page_out_of_indexes)
    app.connect("html-page-context", fill_description, priority=420)
    app.connect("html-page-context", write_description, priority=600)
    app.add_css_file("print.css", media="print")
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
