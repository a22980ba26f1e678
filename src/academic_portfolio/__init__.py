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
    "store",  # the data layer: refs.bib, cv.yaml, front matter; who reads what
    "site",  # front-matter titles, encodings, print styles
    "cvdata",  # the CV sections of pages
    "cvpdf",  # the CV as a PDF, rendered with Typst
    "projects",  # project facts header, cards, charts
    "bibstyle",  # the pybtex style of the publication lists
    "papers",  # registers the paper modules: pages, lists, links, citations, BibTeX
    "sharing",  # social cards, 404 page, Person JSON-LD
    "metadata",  # each page's description, Open Graph fields, tags: one place
    "discovery",  # sitemap.xml (every page, on every build), robots.txt
    "favicons",  # the icon's PNG fallbacks and its links on every page
    "lean",  # each page loads only the scripts and styles it uses
    "icons",  # the theme's icons drawn as inline SVG
    "purgecss",  # trims the theme's style sheets to the rules in use
    "nextstep",  # the CV PDF and e-mail in every header; the status line
    "printing",  # a printed page: the owner's name, each link's address
    "freshness",  # "Last updated" from git (sphinx-last-updated-by-git)
    "figures",  # {project-figure} and {project-video}: self-hosted media
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
