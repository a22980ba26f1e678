"""Every setting of the engine, declared once: name, default, rebuild scope, type, meaning.

Two kinds live here. The engine's own ``portfolio_*`` settings, which each
feature declares to Sphinx with :func:`declare` (so the default, the rebuild
scope and the type are written nowhere else), and the settings of Sphinx and
of the extensions the engine loads whose default the engine changes, which
:mod:`academic_portfolio.defaults` applies unless the site's ``conf.py``
writes them. The engine's documentation and its settings table are made from
this module (``src/docs/``), and a test compares the rebuild scope and type
written here for another package's setting with what that package declares.

This module imports nothing of the engine: every layer may read it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

ENGINE = "sphinx-academic-portfolio"
Rebuild = Literal["env", "html", ""]


@dataclass(frozen=True)
class Setting:
    """One setting: what ``conf.py`` may write, and what it is without it."""

    name: str
    default: Any  # a value; or, for a default made of other settings, a function of the config
    rebuild: Rebuild  # what Sphinx does again when the value changes: read ("env"), write ("html")
    types: tuple[type, ...]
    doc: str  # one sentence, for the settings table
    declared_by: str = ENGINE  # the package that declares it to Sphinx
    shown_default: str = ""  # for a default made of other settings: what it is, in words
    only_with: str = ""  # a default made of this setting applies only when it is set

    @property
    def derived(self) -> bool:
        return callable(self.default)

    def value(self, config: Config) -> Any:
        """The default for this config: a fresh copy, never the shared object."""
        return self.default(config) if self.derived else copy.deepcopy(self.default)

    def default_text(self) -> str:
        return self.shown_default or repr(self.default)


def site_files(config: Config) -> list[str]:
    # papers.bibtex.BIB_DOWNLOAD is refs.bib (this module imports no engine module;
    # tests/test_settings.py checks that the two agree).
    return [config.portfolio_cv_pdf, "refs.bib", "refs.ris", "refs.json"]


def site_url(config: Config) -> str:
    return config.html_baseurl


def site_path(config: Config) -> str:
    from urllib.parse import urlsplit

    return urlsplit(config.html_baseurl).path


def not_found_page(config: Config) -> dict[str, str]:
    prefix = site_path(config)
    return {
        "title": "Page not found",
        "body": (
            "<h1>Page not found</h1>"
            "<p>This page does not exist, or no longer does.</p>"
            f'<p>Go to the <a href="{prefix}">home page</a> or see the '
            f'<a href="{prefix}{config.portfolio_projects_dir}/">research projects</a>.</p>'
        ),
    }


# -- The engine's own settings ---------------------------------------------------------

ENGINE_SETTINGS: tuple[Setting, ...] = (
    Setting(
        "portfolio_owner", "", "env", (str,),
        "The owner's name as refs.bib writes it (\"Family, Given\"): set in bold in the "
        "publication lists and the CV, and made the home page's Person in each paper's JSON-LD.",
    ),
    Setting(
        "portfolio_cv_data", "_data/cv.yaml", "env", (str,),
        "The CV's data file, relative to conf.py: the CV page, its PDF, the home page's "
        "facts and the header's profile links are read from it.",
    ),
    Setting(
        "portfolio_projects_dir", "research", "env", (str,),
        "The folder of the project pages (one Markdown page per project), relative to the sources.",
    ),
    Setting(
        "portfolio_cv_pdf", "cv.pdf", "html", (str,),
        "Where the CV's PDF is written, relative to the root of the built site.",
    ),
    Setting(
        "portfolio_purge_css",
        ["styles/pydata-sphinx-theme.css", "sphinx-design.min.css", "basic.css"],
        "html", (list,),
        "The style sheets (paths under _static/) trimmed after the build to the rules "
        "the written pages use.",
    ),
    Setting(
        "portfolio_sitemap_files", site_files, "", (list,),
        "Public files that are not pages, relative to the site's root, listed in sitemap.xml "
        "beside every page.",
        shown_default="[portfolio_cv_pdf, 'refs.bib', 'refs.ris', 'refs.json']: the files the engine writes",
    ),
    Setting(
        "portfolio_public_urls", "_data/public-urls.txt", "env", (str,),
        "The list of the site's permanent public addresses, relative to conf.py: every "
        "build checks that each is still built.",
    ),
    Setting(
        "portfolio_check_public_urls", True, "env", (bool,),
        "Whether every build checks the list of permanent public addresses (a site whose "
        "tests check it may turn this off).",
    ),
    Setting(
        "portfolio_status_line", "", "html", (str,),
        "One line shown on every page, such as an availability for positions; empty: none.",
    ),
)  # fmt: skip


# -- Settings of Sphinx and of the extensions, with the engine's default ---------------

# Sources: Markdown pages only; everything else in the folder is not a page.
_NOT_PAGES = [
    "_build", "_data", "_static", "_templates", ".*", "**/.*", "README.md",
    "node_modules", "src", "tests", "tools", "venv",
]  # fmt: skip

OTHER_SETTINGS: tuple[Setting, ...] = (
    # -- Sphinx: the sources
    Setting("root_doc", "index", "env", (), "The home page's source, index.md.", "sphinx"),
    Setting("source_suffix", {".md": "markdown"}, "env", (), "Pages are Markdown (MyST) only.", "sphinx"),
    Setting("exclude_patterns", _NOT_PAGES, "env", (), "Folders and files of the project that are not pages.", "sphinx"),
    Setting("nitpicky", True, "", (), "Every unresolved reference is an error.", "sphinx"),
    Setting("language", "en", "env", (), "The pages' language (the html element's lang).", "sphinx"),
    # -- MyST
    Setting("myst_enable_extensions", ["colon_fence", "attrs_block", "attrs_inline", "deflist"], "env", (),
            "The MyST syntax the pages may use beyond CommonMark.", "myst-parser"),
    Setting("myst_title_to_header", True, "env", (), "A page's title comes from its front matter.", "myst-parser"),
    Setting("myst_heading_anchors", 3, "env", (), "Stable, linkable section anchors such as #results.", "myst-parser"),
    # -- Bibliography: sphinxcontrib-bibtex, with the engine's style
    Setting("bibtex_bibfiles", ["refs.bib"], "html", (), "The one BibTeX file of the site's papers.", "sphinxcontrib-bibtex"),
    Setting("bibtex_default_style", "portfolio", "html", (), "The engine's pybtex style for the lists.", "sphinxcontrib-bibtex"),
    Setting("bibtex_reference_style", "author_year", "env", (), "Citations in the text read (Author, year).", "sphinxcontrib-bibtex"),
    Setting("bibtex_tooltips", False, "html", (), "No tooltip on a citation: it links to the paper's page.", "sphinxcontrib-bibtex"),
    Setting("bibtex_cite_id", "b{bibliography_count}-{key}", "html", (), "Stable ids in the per-year lists.", "sphinxcontrib-bibtex"),
    # -- Sharing: sphinxext-opengraph (the engine writes descriptions and cards)
    Setting("ogp_type", "article", "html", (), "Open Graph type; the engine writes profile on the home page and website on listings.", "sphinxext-opengraph"),
    Setting("ogp_enable_meta_description", False, "html", (), "The engine writes each page's description itself.", "sphinxext-opengraph"),
    Setting("ogp_social_cards", {"enable": False}, "html", (), "The engine draws its own cards, with Typst.", "sphinxext-opengraph"),
    Setting("ogp_custom_meta_tags", ['<meta name="twitter:card" content="summary_large_image" />'], "html", (),
            "Link previews show the card large.", "sphinxext-opengraph"),
    Setting("ogp_site_url", site_url, "html", (), "Open Graph's address of the site.", "sphinxext-opengraph",
            shown_default="html_baseurl", only_with="html_baseurl"),
    # -- The 404 page: sphinx-notfound-page
    Setting("notfound_urls_prefix", site_path, "html", (), "The 404 page's links are absolute, from the site's path.", "sphinx-notfound-page",
            shown_default="the path of html_baseurl", only_with="html_baseurl"),
    Setting("notfound_context", not_found_page, "html", (), "The 404 page's title and text, linking home and to the projects.", "sphinx-notfound-page",
            shown_default="a title and a paragraph linking to the home page and the projects",
            only_with="html_baseurl"),
    # -- HTML output: pydata-sphinx-theme
    Setting("html_theme", "pydata_sphinx_theme", "html", (), "The theme the engine's templates and styles extend.", "sphinx"),
    Setting("html_copy_source", False, "html", (), "No copy of the Markdown sources in the site.", "sphinx"),
    Setting("html_show_sourcelink", False, "html", (), "No link to the page's source.", "sphinx"),
    Setting("html_use_index", False, "html", (), "No general index page.", "sphinx"),
    Setting("html_domain_indices", False, "html", (), "No domain index pages.", "sphinx"),
    Setting("html_permalinks_icon", "#", "html", (), "The heading anchors' sign.", "sphinx"),
    Setting("html_last_updated_fmt", "%B %Y", "html", (), "The \"Last updated\" date as month and year, from git.", "sphinx"),
    Setting("html_theme_options", {
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
        # The header's profile icons come from the CV data (academic_portfolio.metadata.nextstep).
        "icon_links_label": "Profiles",
    }, "html", (), "The theme's header, footer and sidebars as the engine lays them out.", "sphinx"),
    Setting("html_sidebars", {"**": []}, "html", (), "No primary sidebar on any page.", "sphinx"),
    # -- "Last updated": sphinx-last-updated-by-git (the engine shows its own date)
    Setting("git_last_updated_timezone", "UTC", "env", (), "The extension's dates in UTC, as the engine's \"Last updated\" and sitemap dates are.", "sphinx-last-updated-by-git"),
    # -- Link check: nox -s linkcheck
    Setting("linkcheck_timeout", 20, "", (), "Seconds to wait for a linked server.", "sphinx"),
    Setting("linkcheck_retries", 2, "", (), "Tries per link before it counts as broken.", "sphinx"),
    Setting("linkcheck_rate_limit_timeout", 120, "", (), "Seconds to wait out \"429 Too Many Requests\".", "sphinx"),
    Setting("linkcheck_anchors", False, "", (), "Anchors are not checked: GitHub and publishers build them with scripts.", "sphinx"),
    Setting("linkcheck_report_timeouts_as_broken", True, "", (), "A link that times out is broken.", "sphinx"),
)  # fmt: skip

# Settings the engine adds to rather than replaces (defaults.apply_defaults):
# the site's own entries are kept.
ADDED_TO: dict[str, str] = {
    "html_context": "default_mode (auto: the reader's system) and portfolio_ad_placement "
    "(on Read the Docs) unless the site sets them",
    "templates_path": "the engine's templates, after the site's own",
    "html_static_path": "the engine's styles and scripts, before the site's own",
    "suppress_warnings": "sphinx-last-updated-by-git's warnings of a missing or shallow git "
    "history, which academic_portfolio.pages.freshness reports itself, once",
}

SETTINGS: dict[str, Setting] = {s.name: s for s in (*ENGINE_SETTINGS, *OTHER_SETTINGS)}


def declare(app: Sphinx, names: Iterable[str]) -> None:
    """Declare the engine's settings *names* to Sphinx, as written above."""
    for name in names:
        setting = SETTINGS[name]
        if setting.declared_by != ENGINE:
            raise ValueError(f"{name} is declared by {setting.declared_by}, not the engine")
        app.add_config_value(
            name, setting.default, setting.rebuild, types=setting.types, description=setting.doc
        )


def settings_table(settings: Iterable[Setting]) -> str:
    """A Markdown table of *settings*: the documentation's settings page."""
    rows = ["| setting | default | rebuild | meaning |", "| --- | --- | --- | --- |"]
    for s in settings:
        default = s.default_text().replace("|", "\\|")
        if isinstance(s.default, dict) and len(default) > 60:  # the declaration shows it whole
            default = "a dict: see academic_portfolio.settings"
        owner = "" if s.declared_by == ENGINE else f" ({s.declared_by})"
        rebuild = s.rebuild or "nothing"
        rows.append(f"| `{s.name}` | `{default}` | {rebuild} | {s.doc}{owner} |")
    return "\n".join(rows) + "\n"
