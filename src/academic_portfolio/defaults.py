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
from pathlib import Path
from urllib.parse import urlsplit

from sphinx.application import Sphinx
from sphinx.config import Config

from .data.datafiles import DataProblem, stop_build
from .data.outputs import setting_line, setting_problem, site_path_problem
from .settings import OTHER_SETTINGS
from .version import __version__

HERE = Path(__file__).parent
THEME_FILES = HERE / "theme"  # Sphinx templates that override the theme's blocks
STATIC_FILES = HERE / "static"  # the engine's styles and scripts
ENGINE_CSS = {"icons.css", "portfolio.css"}  # added by setup(), below

# Settings a site written for an earlier version of the engine may still set,
# and what to do instead. The engine stops on them rather than ignore them.
# The settings that say where the engine writes a file of the site: (what it
# writes, an example of a good value). Each must be a path inside the site.
WRITING_SETTINGS: dict[str, tuple[str, str]] = {
    "portfolio_cv_pdf": ("the CV PDF", "cv.pdf"),
    "portfolio_purge_css": ("a trimmed style sheet (under _static/)", "basic.css"),
}

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
    config.templates_path = [*config.templates_path, str(THEME_FILES), *later_templates(config)]
    config.html_static_path = [str(STATIC_FILES), *config.html_static_path, *later_static()]


# The theme and sphinx-design add a folder each to these two lists once the
# builder starts, after Sphinx has compared the settings with those the last
# build saved (which have them): every rebuild said "The configuration has
# changed (2 options: 'html_static_path', 'templates_path')". They are in the
# lists from the start, and the second copy the extensions add is dropped.


def later_templates(config: Config) -> list[str]:
    """The folder pydata-sphinx-theme's setup() appends when it is the theme."""
    if config.html_theme != "pydata_sphinx_theme":
        return []
    import pydata_sphinx_theme

    theme = Path(pydata_sphinx_theme.__file__).parent / "theme" / "pydata_sphinx_theme"
    return [str(theme / "components")]


def later_static() -> list[str]:
    """The folder sphinx-design appends at builder-inited (an HTML builder's)."""
    from sphinx_design.extension import STATIC_DIR

    return [str(STATIC_DIR)]


def without_second_copies(app: Sphinx) -> None:
    config = app.config
    config.templates_path = list(dict.fromkeys(config.templates_path))
    config.html_static_path = list(dict.fromkeys(config.html_static_path))


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
    problems += output_setting_problems(conf, config)
    address = site_address_problem(config.html_baseurl)
    if address is not None:
        problems.append(DataProblem(conf, setting_line(conf, "html_baseurl"), address))
    return sorted(problems, key=lambda problem: problem.line or 0)


EXAMPLE_ADDRESS = "https://NAME.readthedocs.io/en/latest/"


def site_address_problem(address: object) -> str | None:
    """What is wrong with the site's address (``html_baseurl``), which every
    absolute URL is made of: the sitemap, canonical links, cards, the 404
    page, the CV PDF's links. An empty one made a sitemap of ``<loc>/</loc>``;
    one without its scheme stopped the 404 page with a traceback."""
    if not isinstance(address, str) or not address.strip("/ "):
        return (f"'html_baseurl' is empty: the sitemap, the canonical links, the link "
                f"previews and the CV PDF need the site's address: write the address the "
                f"site is served at, such as {EXAMPLE_ADDRESS!r} (SITE_URL, in a conf.py "
                "made by 'new').")  # fmt: skip
    parts = urlsplit(address)
    if parts.scheme in ("http", "https") and parts.netloc:
        return None
    if not parts.scheme and not parts.netloc and "." in address.split("/")[0]:
        return (f"the site's address {address!r} has no scheme: write "
                f"'https://{address}'.")  # fmt: skip
    return (f"the site's address {address!r} is not a web address: write a full "
            f"https:// address, such as {EXAMPLE_ADDRESS!r}.")  # fmt: skip


def output_setting_problems(conf: Path, config: Config) -> list[DataProblem]:
    """Settings that would make the engine write outside the output folder
    (``..``, an absolute path): stopped before anything is built. A symbolic
    link in the output folder is caught where the file is written
    (:func:`academic_portfolio.data.outputs.output_file`)."""
    problems = []
    for name, (what, example) in WRITING_SETTINGS.items():
        value = config[name]
        for path in value if isinstance(value, list) else [value]:
            why = site_path_problem(path)
            if why is not None:
                problems.append(setting_problem(conf, name, path, what, why, example))
    return problems


def check_settings(app: Sphinx, config: Config) -> None:
    problems = setting_problems(app, config)
    if problems:
        stop_build(problems)


def setup(app: Sphinx) -> None:
    # Before the extensions read their settings at config-inited (500).
    app.connect("config-inited", check_settings, priority=90)
    app.connect("config-inited", apply_defaults, priority=100)
    # After sphinx-design's builder-inited handler (500) has added its folder again.
    app.connect("builder-inited", without_second_copies, priority=900)
    # The engine's style sheets, after the theme's (as html_css_files were).
    app.add_css_file("icons.css", priority=800)
    app.add_css_file("portfolio.css", priority=800)
