"""Page weight: each page loads only the scripts and styles it uses.

The theme and the extensions add their files to every page. Here we keep
Sphinx's search scripts for the search page, the copy button and code colours
for pages with code (the BibTeX blocks), and drop sphinx-design's tab script
(the site has no tabs). The layout template (``_templates/layout.html``) runs
every script after the content; ``portfolio.purgecss`` trims the style sheets.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx

SEARCH_ONLY = {"doctools.js", "sphinx_highlight.js", "searchtools.js", "language_data.js"}
CODE_ONLY = {"clipboard.min.js", "copybutton.js", "copybutton.css", "pygments.css"}
UNUSED = {"design-tabs.js"}


def asset_name(asset: Any) -> str:
    filename = getattr(asset, "filename", None) or str(asset)
    return PurePosixPath(filename.split("?")[0]).name


def wanted(name: str, pagename: str, has_code: bool) -> bool:
    if name in UNUSED:
        return False
    if name in SEARCH_ONLY:
        return pagename == "search"
    if name in CODE_ONLY:
        return has_code
    return True


def on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    has_code = doctree is not None and next(doctree.findall(nodes.literal_block), None) is not None
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if wanted(asset_name(a), pagename, has_code)]


def setup(app: Sphinx) -> dict[str, Any]:
    # After every extension has added its files.
    app.connect("html-page-context", on_html_page_context, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
