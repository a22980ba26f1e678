"""Page weight: each page loads only the scripts and styles it uses.

The theme and the extensions add their files to every page. Here we keep
Sphinx's search scripts for the search page, the copy button
(``_static/copy.js``) and code colours for pages with code (the BibTeX
blocks), and drop sphinx-design's tab script (the site has no tabs).
Bootstrap's script is replaced by ``_static/dropdown.js`` for the one menu the
site has. The layout template (``_templates/layout.html``) runs every script
after the content; ``academic_portfolio.weight.purgecss`` trims the style sheets.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from docutils import nodes
from jinja2 import FileSystemBytecodeCache
from sphinx.application import Sphinx
from sphinx.builders.html._assets import _JavaScript

from ..version import __version__

SEARCH_ONLY = {"doctools.js", "sphinx_highlight.js", "searchtools.js", "language_data.js"}
CODE_ONLY = {"copy.js", "pygments.css"}  # the BibTeX blocks' copy button and colours
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


def deferred(script: _JavaScript) -> _JavaScript:
    """The same script, run after the page is parsed: files get ``defer``; inline
    code becomes a module script, which runs then too, in document order."""
    attributes = dict(script.attributes)
    if script.filename and "async" not in attributes:
        attributes["defer"] = "defer"
    elif not script.filename:
        attributes["type"] = "module"
    return _JavaScript(script.filename, priority=script.priority, **attributes)


def on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    has_code = doctree is not None and next(doctree.findall(nodes.literal_block), None) is not None
    for key in ("script_files", "css_files"):
        if key in context:
            context[key] = [a for a in context[key] if wanted(asset_name(a), pagename, has_code)]
    if pagename != "search" and "script_files" in context:  # Sphinx's search wants its order
        context["script_files"] = [
            deferred(s) if isinstance(s, _JavaScript) else s for s in context["script_files"]
        ]


def cache_compiled_templates(app: Sphinx) -> None:
    """Keep the theme's compiled Jinja templates between builds (a third of a
    one-page rebuild is spent compiling them again otherwise)."""
    templates = getattr(app.builder, "templates", None)
    if templates is not None and hasattr(templates, "environment"):
        folder = Path(app.doctreedir) / "jinja-cache"
        folder.mkdir(parents=True, exist_ok=True)
        templates.environment.bytecode_cache = FileSystemBytecodeCache(str(folder))


def setup(app: Sphinx) -> dict[str, Any]:
    # The theme's own script, now loaded like any other (Bootstrap's is not).
    app.add_js_file("scripts/pydata-sphinx-theme.js", loading_method="defer", priority=800)
    app.add_js_file("dropdown.js", loading_method="defer", priority=800)
    app.add_js_file("copy.js", loading_method="defer", priority=800)
    app.connect("builder-inited", cache_compiled_templates)
    # After every extension has added its files.
    app.connect("html-page-context", on_html_page_context, priority=900)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
