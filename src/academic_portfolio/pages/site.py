"""Site-wide page furniture: front-matter titles, encodings, print styles.

- A front-matter title stays text (:class:`FrontMatterTitle`).
- Every page is UTF-8, or the build names the file, line and byte.
- One ``<meta name="viewport">`` per page (Sphinx's layout writes it, and
  docutils' HTML writer wrote a second one on every content page).
- What page features share: a link button (:func:`button`: the CV's contacts,
  a project's links) and tags added to a page's head (:func:`add_to_head`).

Each page's description and link-preview tags: :mod:`academic_portfolio.metadata.head`.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.transforms import SphinxTransform

from ..data.datafiles import DataFileError, read_text, stop_build
from ..version import __version__


def button(url: str, label: str, classes: list[str]) -> nodes.reference:
    """A link button; the URL was checked when the data was read (https, http, mailto)."""
    return nodes.reference("", label, refuri=url, internal=False,
                           classes=["sd-btn", *classes, "reference", "external"])  # fmt: skip


def add_to_head(context: dict[str, Any], *tags: str) -> None:
    """Append ready-made (already escaped) tags to the page's <head>.

    ``metatags`` stays a plain string: other extensions append to it with
    ``+=``, which would escape their tags if it were Markup.
    """
    context["metatags"] = "\n".join([str(context.get("metatags", "")), *map(str, tags)])


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


# MyST prints its whole configuration, one line of about 1,000 characters
# ("myst v5.2.0: MdParserConfig(commonmark_only=False, ...)"), on every build:
# the settings are conf.py's and the defaults', and nobody reads the line.
MYST_LOGGER = "sphinx.myst_parser.sphinx_ext.main"


def not_myst_config(record: logging.LogRecord) -> bool:
    return "MdParserConfig(" not in record.getMessage()


def setup(app: Sphinx) -> dict[str, Any]:
    logging.getLogger(MYST_LOGGER).addFilter(not_myst_config)  # once: the same function
    app.add_transform(FrontMatterTitle)
    app.connect("env-before-read-docs", check_encodings)
    app.connect("html-page-context", drop_second_viewport)
    app.add_css_file("print.css", media="print")
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
