"""Freshness: "Last updated <Month YYYY>" on every page, from the git history
of its sources.

A page's date is the latest commit that changed its source (found by
sphinx-last-updated-by-git, with the files the source includes) or a data file
its content shows (refs.bib, ``_data/cv.yaml``, dated by
:func:`academic_portfolio.data.gitdates.git_dates`, for the pages
:mod:`academic_portfolio.data.store` recorded as reading them). A paper's page, made
at build time, is dated by refs.bib alone. Where there is no full history:

- a shallow clone (Read the Docs clones with ``--depth 50``;
  ``.readthedocs.yaml`` fetches the rest) cannot date a file whose last
  change is older than the clone: such a page shows no date;
- a copy without ``.git`` (an unpacked archive) has no history at all: no page
  shows a date.

Either way the build says so once, as information, and goes on: a missing date
is never replaced by a guessed one (the time of the build, a file's mtime).
The same dates give the sitemap's ``<lastmod>`` (:mod:`academic_portfolio.metadata.discovery`)
and the CV PDF's "Last updated" (:mod:`academic_portfolio.cv.pdf`).
:mod:`academic_portfolio.data.gitdates` dates data files by the same rules.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

from ..data.generated import is_generated
from ..data.gitdates import git_history
from ..data.store import portfolio
from ..version import __version__

logger = logging.getLogger(__name__)
# "November 2026": how readers read a page's age. English names from a table:
# strftime("%B") follows the machine's locale, which sphinx-build sets from LANG.
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
# The extension's warnings for the cases above, which this module reports itself.
HISTORY_WARNINGS = ["git.too_shallow", "git.subprocess_error", "git.command_not_found"]


def on_builder_inited(app: Sphinx) -> None:
    history = git_history(str(app.srcdir))
    if history == "none":
        logger.info(
            "freshness: the sources are not in a git repository, so no page shows "
            '"Last updated" (build from a clone to show the dates).'
        )
    elif history == "shallow":
        logger.info(
            "freshness: shallow git clone: a page whose last change is older than the "
            'clone shows no "Last updated" date (run git fetch --unshallow to date them all).'
        )


def timestamp(env, docname: str) -> int | None:
    """When what the page shows last changed (seconds since 1970): its own
    source (sphinx-last-updated-by-git, which counts the files it includes)
    and the data files it shows (cv.yaml, refs.bib: academic_portfolio.data.store's record).
    None when git cannot date one of them: a date is never a guess."""
    dates = portfolio(env).data_file_dates(docname)
    if not is_generated(env, docname):  # a paper's page is made from refs.bib alone
        data = getattr(env, "git_last_updated", {}).get(docname)
        dates.append(int(data[0]) if data and data[0] is not None else None)
    known = [date for date in dates if date is not None]
    if not dates or len(known) < len(dates):
        return None
    return max(known)


def latest(env, docnames) -> int | None:
    """The latest change among several pages, such as everything the CV shows."""
    found = [t for t in (timestamp(env, d) for d in docnames) if t is not None]
    return max(found) if found else None


def cv_timestamp(env) -> int | None:
    """The CV's latest change: cv.yaml (the /cv/ page's source), a project, a paper."""
    store = portfolio(env)
    papers = [f"publications/{slug}" for slug in store.bibliography.slugs.values()]
    return latest(env, ["cv", *store.all_projects, *papers])


def month_year(seconds: int | None) -> str:
    if not seconds:
        return ""
    moment = datetime.fromtimestamp(seconds, UTC)
    return f"{MONTHS[moment.month - 1]} {moment.year}"


def iso_date(seconds: int | None) -> str:
    return datetime.fromtimestamp(seconds, UTC).strftime("%Y-%m-%d") if seconds else ""


def on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    # The theme's "Last updated on ..." would be in the extension's format; ours
    # is set from the same date, in English month names whatever the locale.
    context["portfolio_updated"] = month_year(timestamp(app.env, pagename))


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinx_last_updated_by_git")
    app.config.suppress_warnings = [*app.config.suppress_warnings, *HISTORY_WARNINGS]
    app.connect("builder-inited", on_builder_inited)
    app.connect("html-page-context", on_html_page_context)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
