"""The site's public addresses, ``_data/public-urls.txt``, checked on every build.

Links to a portfolio's pages are pasted into applications and must keep
working, so the site lists its public addresses, one a line: every page, and
files such as ``/cv.pdf``. After an HTML build, an address listed that the
site no longer serves (neither a page nor a redirect of ``conf.py``), and a
page that is not listed, are each a warning (an error in the strict build)
that names the address and what to do. ``portfolio_check_public_urls = False``
leaves the check to a site's own tests (this engine's home site has them).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from ..settings import declare
from ..version import __version__

logger = logging.getLogger(__name__)


def listed_urls(path: Path) -> dict[str, int]:
    """Each address of the list, with its line; comments and blank lines skipped."""
    lines = path.read_text("utf-8").splitlines()
    return {line.strip(): number for number, line in enumerate(lines, start=1)
            if line.strip() and not line.strip().startswith("#")}  # fmt: skip


def served(outdir: Path, url: str) -> bool:
    """The build wrote the address: a page (or a redirect page), or a file."""
    target = outdir / url.lstrip("/")
    return (target / "index.html").is_file() if url.endswith("/") else target.is_file()


def check_public_urls(app: Sphinx, exception: Exception | None) -> None:
    # The addresses are the site's as dirhtml writes them (/research/name/),
    # the builder of nox -s docs and Read the Docs; another builder has others.
    if exception is not None or app.builder.name != "dirhtml":
        return
    if not app.config.portfolio_check_public_urls:
        return
    path = Path(app.srcdir) / app.config.portfolio_public_urls
    if not path.is_file():
        return
    listed, outdir = listed_urls(path), Path(app.outdir)
    for url, line in listed.items():
        if not served(outdir, url):
            logger.warning(
                f"{url} is listed, but the site no longer has it: links to it break. A page "
                "that moved keeps its address with a redirect in conf.py (redirects); the line "
                "of an example page, or of a page that was never public, can go.",
                location=f"{path}:{line}", type="portfolio", subtype="public_urls",
            )  # fmt: skip
    for docname in sorted(app.env.found_docs):
        url = "/" + app.builder.get_target_uri(docname)
        if url not in listed:
            logger.warning(
                f"the page {url} is not in {app.config.portfolio_public_urls}: add the line "
                f"{url} (the list keeps every public address).",
                location=page_location(app, docname, path), type="portfolio",
                subtype="public_urls",
            )  # fmt: skip


def page_location(app: Sphinx, docname: str, listing: Path) -> str | tuple[str, None]:
    """The owner's file of the page, or the list itself for a page the build
    made (a paper's, from refs.bib): its source lies in the doctree folder, a
    path the owner never wrote."""
    made = Path(app.env.doc2path(docname)).is_relative_to(Path(app.doctreedir))
    # Its last line: where a new address goes (a path alone would be read as a page).
    last_line = len(listing.read_text("utf-8").splitlines())
    return f"{listing}:{last_line}" if made else (docname, None)


def setup(app: Sphinx) -> dict[str, Any]:
    declare(app, ["portfolio_public_urls", "portfolio_check_public_urls"])
    # After every file is written: the CV PDF and refs.bib are, at build-finished.
    app.connect("build-finished", check_public_urls, priority=900)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
