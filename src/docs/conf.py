"""The engine's documentation: a small Sphinx site of its own (nox -s engine_docs).

Built strictly, with the engine installed (its reference tables are made from
the package: _ext/engine_reference.py) and the theme it builds on,
pydata-sphinx-theme.
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent / "_ext"))

from academic_portfolio import __version__

project = "sphinx-academic-portfolio"
author = "the sphinx-academic-portfolio authors"
version = release = __version__

extensions = ["myst_parser", "engine_reference"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "_ext"]
nitpicky = True
language = "en"

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "pydata_sphinx_theme"
html_title = f"sphinx-academic-portfolio {__version__}"
html_copy_source = False
html_show_sourcelink = False
html_theme_options = {
    "navbar_align": "left",
    "secondary_sidebar_items": ["page-toc"],
    "show_prev_next": False,
}
html_sidebars = {"**": []}  # a few pages: the header lists them all
