"""The site's icon: ``_static/favicon.svg``, PNG fallbacks drawn from it, and
the ``<link>`` tags that point to them on every page (404 and search included).

Three tags for one icon do not need an extension: sphinx-favicon left out the
pages without a source (404, search) and imports ``requests`` on every build.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from markupsafe import escape
from sphinx.application import Sphinx

from ..data.outputs import copy_if_changed, output_file
from ..pages.site import add_to_head
from ..text.typeset import TEMPLATES, typeset
from ..version import __version__

SOURCE = "favicon.svg"  # in _static/
PNG_SIZES = {"favicon-32.png": 32, "apple-touch-icon.png": 180}
TAGS = (  # (rel, file in _static/, attributes)
    ("icon", SOURCE, {"type": "image/svg+xml", "sizes": "any"}),
    ("icon", "favicon-32.png", {"type": "image/png", "sizes": "32x32"}),
    ("apple-touch-icon", "apple-touch-icon.png", {"sizes": "180x180"}),
)


def draw_pngs(app: Sphinx) -> None:
    """Draw the PNG fallbacks beside the SVG in the output (cached by Typst input)."""
    if app.builder.format != "html":  # linkcheck has no pages to show them
        return
    svg_text = (Path(app.srcdir) / "_static" / SOURCE).read_text("utf-8")
    for name, size in PNG_SIZES.items():
        png = typeset(TEMPLATES / "favicon.typ", {"svg-text": svg_text},
                      Path(app.doctreedir) / "favicons", fmt="png", ppi=72 * size / 64)  # fmt: skip
        copy_if_changed(png, output_file(app, f"_static/{name}", "an icon"))


def link_tags(pathto) -> list[str]:
    tags = []
    for rel, name, attributes in TAGS:
        href = pathto(f"_static/{name}", resource=True)
        extra = "".join(f' {key}="{escape(value)}"' for key, value in attributes.items())
        tags.append(f'<link rel="{rel}" href="{escape(href)}"{extra}>')
    return tags


def add_links(app: Sphinx, pagename, templatename, context, doctree) -> None:
    """After sphinx-notfound-page (400) made the 404 page's ``pathto`` absolute."""
    add_to_head(context, *link_tags(context["pathto"]))


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("builder-inited", draw_pngs)
    app.connect("html-page-context", add_links, priority=550)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
