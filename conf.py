"""Sphinx configuration of Ziqi Zhao's portfolio: the site's own facts only.

The engine, sphinx-academic-portfolio (``src/``), does the rest and gives every
other setting its default (``academic_portfolio.defaults``).
"""

import os

# -- Site identity ------------------------------------------------------------
project = "Ziqi Zhao"
author = "Ziqi Zhao"
copyright = "Ziqi Zhao"
html_title = "Ziqi Zhao"
# The owner's name as refs.bib writes it: emphasized in every publication list.
portfolio_owner = "Zhao, Ziqi"

# The one configured site URL; Read the Docs gives the canonical URL of the
# version it builds, so every page carries an absolute canonical link. Every
# absolute URL of the site (404 page, canonical, Open Graph, sitemap, robots,
# CV PDF, social cards) follows its path: /en/latest/, or / on a custom domain
# or with Read the Docs' single-version URL scheme. It ends with one "/",
# typed or not, so that a path joined to it stays under it.
SITE_URL = "https://ziqi-zhao.readthedocs.io/en/latest/"
html_baseurl = (os.environ.get("READTHEDOCS_CANONICAL_URL") or SITE_URL).rstrip("/") + "/"

# -- Extensions ---------------------------------------------------------------
extensions = ["academic_portfolio"]

# -- Data files (these are the engine's defaults, written out for the owner) ---
portfolio_cv_data = "_data/cv.yaml"  # the CV's facts: /cv/, /cv.pdf, the home page
portfolio_cv_pdf = "cv.pdf"  # written at the root of the site
portfolio_projects_dir = "research"  # one Markdown page per project
bibtex_bibfiles = ["refs.bib"]  # the owner's papers
# One line shown at the top of every page, such as the positions the owner is
# looking for; empty: no line. Only the owner writes it.
portfolio_status_line = ""

# -- Permanent URLs -----------------------------------------------------------
# Every public URL is listed in _data/public-urls.txt and checked against the
# build by the tests. A page that moves keeps its old URL working through a
# redirect listed here (old: new).
redirects = {}
# The engine checks the list on every build; here the tests check it (and the
# copies they build add and remove pages on purpose).
portfolio_check_public_urls = False

# -- Link check (nox -s linkcheck) -------------------------------------------
# The CV PDF and refs.bib are written after the pages (so not in the sources); the tests
# check every internal link of the built site, this one included.
linkcheck_ignore = [r"^(\.\./)*(cv\.pdf|refs\.bib)$"]  # relative to the page, per builder
linkcheck_allowed_redirects = {
    r"https://doi\.org/.*": r"https://ieeexplore\.ieee\.org/.*",
    r"https://github\.com/.*": r"https://github\.com/.*",
    r"https://scholar\.google\.com/.*": r"https://scholar\.google\.com/.*",
    r"https://openreview\.net/.*": r"https://openreview\.net/.*",
}

# -- HTML output --------------------------------------------------------------
html_static_path = ["_static"]  # the site's icon, favicon.svg
