"""Freshness: "Last updated <Month YYYY>" on every page, from the git history
of its sources.

A page's date is the latest commit that changed its source (found by
sphinx-last-updated-by-git, with the files the source includes) or a data file
its content shows (refs.bib, ``_data/cv.yaml``: :func:`git_dates`, for the
pages :mod:`academic_portfolio.store` recorded as reading them). A paper's page, made
at build time, is dated by refs.bib alone. Where there is no full history:

- a shallow clone (Read the Docs clones with ``--depth 50``;
  ``.readthedocs.yaml`` fetches the rest) cannot date a file whose last
  change is older than the clone: such a page shows no date;
- a copy without ``.git`` (an unpacked archive) has no history at all: no page
  shows a date.

Either way the build says so once, as information, and goes on: a missing date
is never replaced by a guessed one (the time of the build, a file's mtime).
The same dates give the sitemap's ``<lastmod>`` (:mod:`academic_portfolio.discovery`)
and the CV PDF's "Last updated" (:mod:`academic_portfolio.cvpdf`).
:func:`git_dates` dates data files by the same rules.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.util import logging

logger = logging.getLogger(__name__)
# "November 2026": how readers read a page's age. English names from a table:
# strftime("%B") follows the machine's locale, which sphinx-build sets from LANG.
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")  # fmt: skip
# The extension's warnings for the cases above, which this module reports itself.
HISTORY_WARNINGS = ["git.too_shallow", "git.subprocess_error", "git.command_not_found"]


def git_history(srcdir: str) -> str:
    """'full', 'shallow' or 'none': how much history the sources have."""
    try:
        shallow = subprocess.run(
            ["git", "rev-parse", "--is-shallow-repository"],
            cwd=srcdir, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "none"
    return "shallow" if shallow == "true" else "full"


def git_dates(srcdir: str | Path, paths: Iterable[Path]) -> dict[Path, int | None]:
    """When git last saw each file change (the author date of the latest commit
    that changed it, in seconds, as sphinx-last-updated-by-git dates pages),
    by path as given (relative to *srcdir*, or absolute). None where git cannot
    say: no repository or no git, a file outside it or never committed, or a
    file whose last change is older than a shallow clone (git attributes it to
    the clone's boundary commit, which did not change it)."""
    paths = list(paths)
    boundary = shallow_boundary(srcdir)
    if boundary is None:
        return dict.fromkeys(paths)
    dates: dict[Path, int | None] = {}
    for path in paths:
        found = git_output(srcdir, "log", "-1", "--format=%H %at", "--", str(path))
        commit, _, seconds = (found or "").partition(" ")
        dates[path] = int(seconds) if seconds and commit not in boundary else None
    return dates


def shallow_boundary(srcdir: str | Path) -> set[str] | None:
    """The commits where a shallow clone's history stops (none in a full clone),
    or None outside a git repository."""
    listed = git_output(srcdir, "rev-parse", "--git-path", "shallow")
    if listed is None:
        return None
    shallow = Path(srcdir, listed)  # git prints it relative to srcdir, or absolute
    return set(shallow.read_text("ascii").split()) if shallow.is_file() else set()


def git_output(cwd: str | Path, *args: str) -> str | None:
    """A git command's output, stripped; None if git is missing or fails."""
    try:
        return subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None


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
    and the data files it shows (cv.yaml, refs.bib: academic_portfolio.store's record).
    None when git cannot date one of them: a date is never a guess."""
    from .generated import is_generated
    from .store import portfolio

    dates = portfolio(env).data_file_dates(docname)
    if not is_generated(env, docname):  # a paper's page is made from refs.bib alone
        data = getattr(env, "git_last_updated", {}).get(docname)
        dates.append(int(data[0]) if data and data[0] is not None else None)
    if not dates or None in dates:
        return None
    return max(dates)


def latest(env, docnames) -> int | None:
    """The latest change among several pages, such as everything the CV shows."""
    found = [t for t in (timestamp(env, d) for d in docnames) if t is not None]
    return max(found) if found else None


def cv_timestamp(env) -> int | None:
    """The CV's latest change: cv.yaml (the /cv/ page's source), a project, a paper."""
    from .store import portfolio

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
    app.config.git_last_updated_timezone = "UTC"
    app.connect("builder-inited", on_builder_inited)
    app.connect("html-page-context", on_html_page_context)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
