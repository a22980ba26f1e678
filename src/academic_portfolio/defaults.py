"""The settings every portfolio shares, so that a site's ``conf.py`` holds its own facts only.

A setting the site's ``conf.py`` writes is kept as written; every other one
declared in :mod:`academic_portfolio.settings` takes the value the engine is
built and tested with. Settings derived from the site's address
(``html_baseurl``) follow it: Open Graph's site URL and the 404 page's
absolute links. This module applies them and stops on settings it does not know.
"""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

from .data.datafiles import DataProblem, stop_build
from .settings import OTHER_SETTINGS
from .version import __version__

HERE = Path(__file__).parent
THEME_FILES = HERE / "theme"  # Sphinx templates that override the theme's blocks
STATIC_FILES = HERE / "static"  # the engine's styles and scripts
ENGINE_CSS = {"icons.css", "portfolio.css"}  # added by setup(), below

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
    for setting in OTHER_SETTINGS:
        if written_by_site(config, setting.name):
            continue
        if setting.only_with and not config[setting.only_with]:
            continue  # made of a setting the site leaves empty: the package's own default
        config[setting.name] = setting.value(config)
    if not written_by_site(config, "html_context"):
        config.html_context = {}
    # The colour mode follows the reader's system; Read the Docs' ad has its place.
    config.html_context.setdefault("default_mode", "auto")
    config.html_context.setdefault("portfolio_ad_placement", on_read_the_docs())
    # The site's own files come first: a site may override any template or file.
    config.templates_path = [*config.templates_path, str(THEME_FILES)]
    config.html_static_path = [str(STATIC_FILES), *config.html_static_path]


def on_read_the_docs() -> bool:
    return os.environ.get("READTHEDOCS") == "True"


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
