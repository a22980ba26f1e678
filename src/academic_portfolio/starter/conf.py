"""Sphinx settings of Ada Example's portfolio: the site's own facts only.

The engine, sphinx-academic-portfolio, gives every other setting its default
(academic_portfolio/defaults.py); a setting written here wins.
"""

import os

project = author = copyright = html_title = "Ada Example"
# The owner's name as refs.bib writes it: set in bold in every publication list.
portfolio_owner = "Example, Ada"

# The site's address: Read the Docs gives the one of the version it builds.
SITE_URL = "https://ada-example.readthedocs.io/en/latest/"
html_baseurl = (os.environ.get("READTHEDOCS_CANONICAL_URL") or SITE_URL).rstrip("/") + "/"

extensions = ["academic_portfolio"]

# One line at the top of every page (such as the positions you look for); empty: none.
portfolio_status_line = ""
html_static_path = ["_static"]  # the site's icon, favicon.svg
