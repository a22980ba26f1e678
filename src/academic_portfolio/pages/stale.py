"""The output page of a document that no longer exists is removed from the site.

Sphinx forgets a deleted source, but the page it wrote stays in ``_build/html``
and is served (and linked by old bookmarks) until a clean build. When Sphinx
reports a document as removed, its page goes too, safely: only the one file
the builder would write for that document, inside the output folder, and only
when it is a page Sphinx's layout wrote (``data-content_root`` on its
``<html>``). A file the owner put there is kept, and so is its folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from ..version import __version__

logger = logging.getLogger(__name__)
# Sphinx's basic layout writes it on every page's <html> element.
WRITTEN_BY_SPHINX = 'data-content_root="'


def written_by_sphinx(page: Path) -> bool:
    with page.open(encoding="utf-8", errors="replace") as file:
        return WRITTEN_BY_SPHINX in file.read(4096)


def remove_stale_pages(app: Sphinx, env: Any, added: set, changed: set, removed: set) -> list[str]:
    """Remove the pages of the *removed* documents; no page is to be read again."""
    if app.builder.format != "html" or not removed:
        return []
    outdir = Path(app.outdir).resolve()
    for docname in sorted(removed):
        page = Path(app.builder.get_outfilename(docname)).resolve()  # type: ignore[attr-defined]  # HTML builders have it
        if outdir not in page.parents or not page.is_file():
            continue
        if not written_by_sphinx(page):
            logger.info(f"kept {page}: its page {docname} no longer exists, but the build did "
                        "not write this file.")  # fmt: skip
            continue
        page.unlink()
        logger.info(f"removed {page.relative_to(outdir)}: its page {docname} no longer exists")
        remove_empty_folders(page.parent, outdir)
    return []


def remove_empty_folders(folder: Path, outdir: Path) -> None:
    """The page's folder (dirhtml's research/<name>/) and its empty parents, up to the site."""
    while folder != outdir and outdir in folder.parents and not any(folder.iterdir()):
        folder.rmdir()
        folder = folder.parent


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("env-get-outdated", remove_stale_pages)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
