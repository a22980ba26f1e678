"""When git last saw a file change: the dates behind "Last updated".

Data layer: :mod:`academic_portfolio.data.store` dates the data files (refs.bib,
``_data/cv.yaml``) with :func:`git_dates` when it loads them, and
:mod:`academic_portfolio.pages.freshness` turns those dates, with each page's own, into
what pages show. Where git cannot say (no repository, a file never committed,
a change older than a shallow clone), the date is None: never a guess.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterable
from pathlib import Path


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
