"""sphinx-academic-portfolio: a researcher's website from data files.

One ``extensions`` entry, ``"academic_portfolio"``, turns a Sphinx project of
Markdown pages, a ``refs.bib`` and a ``cv.yaml`` into the whole site: paper
pages with Google Scholar tags, the CV as a page and a PDF, project pages with
"my part", link previews, print styles, and pages light enough for a phone.
Each module holds one concern and has its own ``setup(app)``; this one loads
them all, with the third-party extensions they build on, and gives every
setting the site's defaults (:mod:`academic_portfolio.defaults`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .version import __version__

if TYPE_CHECKING:  # `python -m academic_portfolio new` runs before Sphinx is installed
    from sphinx.application import Sphinx

# In the order they hook into Sphinx: data first, page features, then the
# page metadata, then what works on the written site.
MODULES = (
    "data.store",  # the data layer: refs.bib, cv.yaml, front matter; who reads what
    "pages.site",  # front-matter titles, encodings, print styles
    "pages.stale",  # the output page of a deleted source is removed
    "pages.contract",  # _data/public-urls.txt against the pages built
    "cv.sections",  # the CV sections of pages
    "cv.pdf",  # the CV as a PDF, rendered with Typst
    "projects.directives",  # project facts header, cards, charts
    "text.bibstyle",  # the pybtex style of the publication lists
    "papers",  # registers the paper modules: pages, lists, links, citations, BibTeX
    "metadata.sharing",  # social cards, 404 page, Person JSON-LD
    "metadata.head",  # each page's description, Open Graph fields, tags: one place
    "metadata.discovery",  # sitemap.xml (every page, on every build), robots.txt
    "metadata.favicons",  # the icon's PNG fallbacks and its links on every page
    "weight.lean",  # each page loads only the scripts and styles it uses
    "weight.icons",  # the theme's icons drawn as inline SVG
    "weight.purgecss",  # trims the theme's style sheets to the rules in use
    "metadata.nextstep",  # the CV PDF and e-mail in every header; the status line
    "metadata.printing",  # a printed page: the owner's name, each link's address
    "pages.freshness",  # "Last updated" from git (sphinx-last-updated-by-git)
    "projects.figures",  # {project-figure} and {project-video}: self-hosted media
)
THIRD_PARTY = ("myst_parser", "sphinx_design", "sphinx_reredirects")


def setup(app: Sphinx) -> dict[str, Any]:
    # Here, not at the top: importing the package must not need Sphinx (see above).
    from . import defaults

    for extension in THIRD_PARTY:
        app.setup_extension(extension)
    for module in MODULES:
        app.setup_extension(f"{__name__}.{module}")
    defaults.setup(app)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
