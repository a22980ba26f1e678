"""Sphinx configuration of Ziqi Zhao's portfolio: settings only, grouped by purpose.

The code lives in the local extensions under ``_ext/portfolio/``.
"""

import os
import sys
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

# -- Site identity ------------------------------------------------------------
project = "Ziqi Zhao"
author = "Ziqi Zhao"
copyright = "Ziqi Zhao"
html_title = "Ziqi Zhao"
nitpicky = True  # every unresolved reference is an error, here and on Read the Docs
language = "en"

# The one configured site URL; Read the Docs gives the canonical URL of the
# version it builds, so every page carries an absolute canonical link. Every
# absolute URL of the site (404 page, canonical, Open Graph, sitemap, robots,
# CV PDF, social cards) follows its path: /en/latest/, or / on a custom domain
# or with Read the Docs' single-version URL scheme. It ends with one "/",
# typed or not, so that a path joined to it stays under it.
SITE_URL = "https://ziqi-zhao.readthedocs.io/en/latest/"
html_baseurl = (os.environ.get("READTHEDOCS_CANONICAL_URL") or SITE_URL).rstrip("/") + "/"
# Built by Read the Docs: its script (injected into every page it serves)
# shows an EthicalAds ad, which goes where we place it (_templates/layout.html).
ON_READ_THE_DOCS = os.environ.get("READTHEDOCS") == "True"

# -- Extensions ---------------------------------------------------------------
extensions = [
    "myst_parser",
    "sphinx_design",
    "sphinxcontrib.bibtex",
    "sphinx_reredirects",
    # Our own, one concern each (see _ext/portfolio/):
    "portfolio.store",  # the data layer: refs.bib, cv.yaml, front matter; who reads what
    "portfolio.site",  # front-matter titles, encodings, print styles
    "portfolio.cvdata",  # the CV sections of pages
    "portfolio.cvpdf",  # the CV as a PDF, /cv.pdf, rendered with Typst
    "portfolio.projects",  # project facts header, cards, charts
    "portfolio.bibstyle",  # the pybtex style of our publication lists
    "portfolio.papers",  # one page per paper, publication lists, Scholar tags, JSON-LD
    "portfolio.sharing",  # social cards, 404 page, Person JSON-LD
    "portfolio.metadata",  # each page's description, Open Graph fields, tags: one place
    "portfolio.discovery",  # sitemap.xml (every page, on every build), robots.txt
    "portfolio.favicons",  # the icon's PNG fallbacks and its links on every page
    "portfolio.lean",  # each page loads only the scripts and styles it uses
    "portfolio.purgecss",  # trims the theme's style sheets to the rules in use
    "portfolio.nextstep",  # the CV PDF and e-mail in every header; the status line
    "portfolio.freshness",  # "Last updated" from git (sphinx-last-updated-by-git)
    "portfolio.figures",  # {project-figure} and {project-video}: self-hosted media
]

# -- Sources ------------------------------------------------------------------
# conf.py sits at the repository root: only pages may become pages.
root_doc = "index"
source_suffix = {".md": "markdown"}
exclude_patterns = [
    "_build",
    "_data",
    "_ext",
    "_static",
    "_templates",
    ".*",
    "**/.*",
    "README.md",
    "node_modules",
    "tests",
    "tools",
    "venv",
]
templates_path = ["_templates"]

# -- MyST ---------------------------------------------------------------------
myst_enable_extensions = ["colon_fence", "attrs_block", "attrs_inline", "deflist"]
myst_title_to_header = True  # a page's title comes from its front matter
myst_heading_anchors = 3  # stable, linkable section anchors such as #results

# -- Bibliography -------------------------------------------------------------
bibtex_bibfiles = ["refs.bib"]
bibtex_default_style = "portfolio"  # registered by portfolio.bibstyle
bibtex_reference_style = "author_year"
bibtex_tooltips = False
# Stable, unique ids for entries of the per-year lists on /publications/.
bibtex_cite_id = "b{bibliography_count}-{key}"
# The owner's name, emphasized in every publication list.
portfolio_owner = "Zhao, Ziqi"

# -- Projects -----------------------------------------------------------------
portfolio_projects_dir = "research"

# -- CV -----------------------------------------------------------------------
portfolio_cv_data = "_data/cv.yaml"
portfolio_cv_pdf = "cv.pdf"  # written at the root of the site
# One line shown at the top of every page, such as the positions the owner is
# looking for; empty: no line. Only the owner writes it.
portfolio_status_line = ""

# -- Permanent URLs -----------------------------------------------------------
# Every public URL is listed in _data/public-urls.txt and checked against the
# build by the tests. A page that moves keeps its old URL working through a
# redirect listed here (old: new).
redirects = {}

# -- Link check (nox -s linkcheck) -------------------------------------------
linkcheck_timeout = 20
linkcheck_retries = 2
linkcheck_rate_limit_timeout = 120  # wait out "429 Too Many Requests"
linkcheck_anchors = False  # GitHub and publishers build anchors with scripts
linkcheck_report_timeouts_as_broken = True
# The CV PDF and refs.bib are written after the pages (so not in the sources); the tests
# check every internal link of the built site, this one included.
linkcheck_ignore = [r"^(\.\./)*(cv\.pdf|refs\.bib)$"]  # relative to the page, per builder
linkcheck_allowed_redirects = {
    r"https://doi\.org/.*": r"https://ieeexplore\.ieee\.org/.*",
    r"https://github\.com/.*": r"https://github\.com/.*",
    r"https://scholar\.google\.com/.*": r"https://scholar\.google\.com/.*",
    r"https://openreview\.net/.*": r"https://openreview\.net/.*",
}

# -- Sharing and discovery (portfolio.metadata, portfolio.sharing, portfolio.discovery)
ogp_site_url = html_baseurl
ogp_type = "article"  # "profile" on the home page, "website" on listings (portfolio.metadata)
ogp_enable_meta_description = False  # portfolio.metadata writes the description
ogp_social_cards = {"enable": False}  # portfolio.sharing draws the cards (Typst)
ogp_custom_meta_tags = ['<meta name="twitter:card" content="summary_large_image" />']
portfolio_sitemap_files = [portfolio_cv_pdf, "refs.bib"]  # public URLs that are not pages
# The 404 page is served at any depth: its links and assets are absolute.
notfound_urls_prefix = urlsplit(html_baseurl).path
notfound_context = {
    "title": "Page not found",
    "body": (
        "<h1>Page not found</h1>"
        "<p>This page does not exist, or no longer does.</p>"
        f'<p>Go to the <a href="{notfound_urls_prefix}">home page</a> or see the '
        f'<a href="{notfound_urls_prefix}research/">research projects</a>.</p>'
    ),
}

# -- Page weight (portfolio.lean, portfolio.purgecss) ---------------------------
# Style sheets trimmed after the build to the rules the site's pages can use.
portfolio_purge_css = ["styles/pydata-sphinx-theme.css", "sphinx-design.min.css", "basic.css"]

# -- HTML output --------------------------------------------------------------
html_theme = "pydata_sphinx_theme"
html_static_path = ["_static"]
html_css_files = ["icons.css", "portfolio.css"]
html_copy_source = False
html_show_sourcelink = False
html_use_index = False
html_domain_indices = False
html_permalinks_icon = "#"
html_last_updated_fmt = "%B %Y"  # dates from git: portfolio.freshness
html_theme_options = {
    "navbar_align": "left",
    "navbar_end": ["theme-switcher", "navbar-icon-links"],
    # Shown on phones too, beside the menu button: the CV PDF and the e-mail.
    "navbar_persistent": ["search-button", "portfolio-contact"],
    "secondary_sidebar_items": ["page-toc"],
    "footer_start": ["copyright"],
    "footer_center": [],
    "footer_end": [],
    "show_prev_next": False,
    # Not the theme's ad placement, in the primary sidebar (which the site
    # hides): ours is at the end of the article (_templates/layout.html).
    "primary_sidebar_end": [],
    "header_links_before_dropdown": 5,
    # The header's profile icons come from _data/cv.yaml (portfolio.nextstep).
    "icon_links_label": "Profiles",
}
html_sidebars = {"**": []}
html_context = {"default_mode": "auto", "portfolio_ad_placement": ON_READ_THE_DOCS}
