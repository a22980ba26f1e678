"""The settings every portfolio shares, so that a site's ``conf.py`` holds its own facts only.

A setting the site's ``conf.py`` writes is kept as written; every other one
below takes the value the engine is built and tested with. Settings derived
from the site's address (``html_baseurl``) follow it: Open Graph's site URL
and the 404 page's absolute links.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from sphinx.application import Sphinx
from sphinx.config import Config

from .bibdownload import BIB_DOWNLOAD
from .datafiles import DataProblem, stop_build
from .version import __version__

HERE = Path(__file__).parent
THEME_FILES = HERE / "theme"  # Sphinx templates that override the theme's blocks
STATIC_FILES = HERE / "static"  # the engine's styles and scripts
ENGINE_CSS = {"icons.css", "portfolio.css"}  # added by setup(), below

DEFAULTS: dict[str, Any] = {
    # -- Sources: Markdown pages only; everything else in the folder is not a page.
    "root_doc": "index",
    "source_suffix": {".md": "markdown"},
    "exclude_patterns": [
        "_build",
        "_data",
        "_static",
        "_templates",
        ".*",
        "**/.*",
        "README.md",
        "node_modules",
        "src",
        "tests",
        "tools",
        "venv",
    ],
    "nitpicky": True,  # every unresolved reference is an error
    "language": "en",
    # -- MyST
    "myst_enable_extensions": ["colon_fence", "attrs_block", "attrs_inline", "deflist"],
    "myst_title_to_header": True,  # a page's title comes from its front matter
    "myst_heading_anchors": 3,  # stable, linkable section anchors such as #results
    # -- Bibliography (sphinxcontrib-bibtex, with the engine's style)
    "bibtex_bibfiles": ["refs.bib"],
    "bibtex_default_style": "portfolio",
    "bibtex_reference_style": "author_year",
    "bibtex_tooltips": False,
    "bibtex_cite_id": "b{bibliography_count}-{key}",  # stable ids in the per-year lists
    # -- Sharing (sphinxext-opengraph: the engine writes descriptions and cards)
    "ogp_type": "article",  # "profile" on the home page, "website" on listings
    "ogp_enable_meta_description": False,
    "ogp_social_cards": {"enable": False},
    "ogp_custom_meta_tags": ['<meta name="twitter:card" content="summary_large_image" />'],
    # -- Page weight: the style sheets trimmed after the build
    "portfolio_purge_css": ["styles/pydata-sphinx-theme.css", "sphinx-design.min.css", "basic.css"],
    # -- HTML output (pydata-sphinx-theme)
    "html_theme": "pydata_sphinx_theme",
    "html_copy_source": False,
    "html_show_sourcelink": False,
    "html_use_index": False,
    "html_domain_indices": False,
    "html_permalinks_icon": "#",
    "html_last_updated_fmt": "%B %Y",  # dates from git: academic_portfolio.freshness
    "html_theme_options": {
        "navbar_align": "left",
        "navbar_end": ["theme-switcher", "navbar-icon-links"],
        # Shown on phones too, beside the menu button: the CV PDF and the e-mail.
        "navbar_persistent": ["search-button", "portfolio-contact"],
        # No "On this page" on the home page: it leads with the owner, not a menu.
        "secondary_sidebar_items": {"**": ["page-toc"], "index": []},
        "footer_start": ["copyright"],
        "footer_center": [],
        "footer_end": [],
        "show_prev_next": False,
        # Read the Docs' ad goes at the end of the article (theme/layout.html),
        # not in the primary sidebar, which the site hides.
        "primary_sidebar_end": [],
        "header_links_before_dropdown": 5,
        # The header's profile icons come from the CV data (academic_portfolio.nextstep).
        "icon_links_label": "Profiles",
    },
    "html_sidebars": {"**": []},
    # -- Link check (nox -s linkcheck)
    "linkcheck_timeout": 20,
    "linkcheck_retries": 2,
    "linkcheck_rate_limit_timeout": 120,  # wait out "429 Too Many Requests"
    "linkcheck_anchors": False,  # GitHub and publishers build anchors with scripts
    "linkcheck_report_timeouts_as_broken": True,
}


# Settings a site written for an earlier version of the engine may still set,
# and what to do instead. The engine stops on them rather than ignore them.
RETIRED_SETTINGS: dict[str, str] = {
    "favicons": "the icon is _static/favicon.svg, drawn to PNG by the engine "
    "(sphinx-favicon is no longer used): put the SVG there and remove the setting",
    "copybutton_selector": "the BibTeX copy button is the engine's own "
    "(sphinx-copybutton is no longer used): remove the setting",
    "sitemap_url_scheme": "the engine writes sitemap.xml from html_baseurl "
    "(sphinx-sitemap is no longer used): remove the setting",
    "html_css_files": "the engine adds its own style sheets: remove "
    "icons.css and portfolio.css from the list (a site's own files stay)",
}


def written_by_site(config: Config, name: str) -> bool:
    """Whether the site's conf.py (or a -D option) sets *name*."""
    return name in config._raw_config or name in config.overrides


def apply_defaults(app: Sphinx, config: Config) -> None:
    for name, value in DEFAULTS.items():
        if not written_by_site(config, name):
            config[name] = value
    if not written_by_site(config, "html_context"):
        config.html_context = {}
    # The colour mode follows the reader's system; Read the Docs' ad has its place.
    config.html_context.setdefault("default_mode", "auto")
    config.html_context.setdefault("portfolio_ad_placement", on_read_the_docs())
    follow_site_address(config)
    if not written_by_site(config, "portfolio_sitemap_files"):
        # The public files the engine itself writes beside the pages.
        config.portfolio_sitemap_files = [config.portfolio_cv_pdf, BIB_DOWNLOAD]
    # The site's own files come first: a site may override any template or file.
    config.templates_path = [*config.templates_path, str(THEME_FILES)]
    config.html_static_path = [str(STATIC_FILES), *config.html_static_path]


def on_read_the_docs() -> bool:
    return os.environ.get("READTHEDOCS") == "True"


def follow_site_address(config: Config) -> None:
    """Settings made of the site's address: absolute links that work at any depth."""
    if not config.html_baseurl:
        return
    if not written_by_site(config, "ogp_site_url"):
        config.ogp_site_url = config.html_baseurl
    prefix = urlsplit(config.html_baseurl).path
    if not written_by_site(config, "notfound_urls_prefix"):
        config.notfound_urls_prefix = prefix
    if not written_by_site(config, "notfound_context"):
        config.notfound_context = {
            "title": "Page not found",
            "body": (
                "<h1>Page not found</h1>"
                "<p>This page does not exist, or no longer does.</p>"
                f'<p>Go to the <a href="{prefix}">home page</a> or see the '
                f'<a href="{prefix}{config.portfolio_projects_dir}/">research projects</a>.</p>'
            ),
        }


def setting_problems(app: Sphinx, config: Config) -> list[DataProblem]:
    """The settings conf.py writes that this engine does not know, or no longer uses.

    Sphinx ignores a setting no extension declares, so a misspelled
    ``portfolio_owner`` or a setting of a replaced extension would do nothing,
    silently.
    """
    conf = Path(app.confdir, "conf.py")
    problems = []
    for name in sorted(config._raw_config):
        if name in RETIRED_SETTINGS:
            if name == "html_css_files" and not ENGINE_CSS & set(map(str, config.html_css_files)):
                continue
            problems.append(DataProblem(conf, setting_line(conf, name),
                                        f"'{name}': {RETIRED_SETTINGS[name]}."))  # fmt: skip
        elif name.startswith("portfolio_") and name not in config.values:
            known = [n for n in config.values if n.startswith("portfolio_")]
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean '{close[0]}'?" if close else "remove it"
            problems.append(DataProblem(
                conf, setting_line(conf, name),
                f"'{name}' is not a setting of sphinx-academic-portfolio "
                f"{__version__}: {hint} (settings: {', '.join(sorted(known))}).",
            ))  # fmt: skip
    return sorted(problems, key=lambda problem: problem.line or 0)


def setting_line(conf: Path, name: str) -> int | None:
    """The line of conf.py that sets *name*, if it is written plainly."""
    try:
        lines = conf.read_text("utf-8").splitlines()
    except OSError:
        return None
    found = (n for n, line in enumerate(lines, 1) if re.match(rf"{name}\s*[:=]", line))
    return next(found, None)


def check_settings(app: Sphinx, config: Config) -> None:
    problems = setting_problems(app, config)
    if problems:
        stop_build(problems)


def setup(app: Sphinx) -> None:
    # Before the extensions read their settings at config-inited (500).
    app.connect("config-inited", check_settings, priority=90)
    app.connect("config-inited", apply_defaults, priority=100)
    # The engine's style sheets, after the theme's (as html_css_files were).
    app.add_css_file("icons.css", priority=800)
    app.add_css_file("portfolio.css", priority=800)
