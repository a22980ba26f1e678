"""The one rule for what the engine writes: only inside the build's output folder.

Every file the engine writes into the site (the CV PDF, ``refs.bib``, the
sitemap, ``robots.txt``, the cards, the icons, the figures, the trimmed style
sheets) is placed by :func:`output_file`. A path that a setting makes leave
the output folder, by ``..``, by being absolute or through a symbolic link
(one left in the output folder, or the folder of a path that is one), stops
the build with a message that names the setting and what it would have
written; nothing is written. ``portfolio_cv_pdf = "../../_data/cv.yaml"`` once
overwrote the tracked CV data with PDF bytes.
"""

from __future__ import annotations

import filecmp
import os
import re
import shutil
from pathlib import Path, PurePosixPath, PureWindowsPath
from typing import Protocol

from .datafiles import DataProblem, stop_build


def site_path_problem(value: object) -> str | None:
    """Why *value* cannot name a file of the site (a relative path under its
    root, such as ``cv.pdf`` or ``files/cv.pdf``), or None if it can."""
    if not isinstance(value, str) or not value.strip():
        return "it names no file"
    posix, windows = PurePosixPath(value), PureWindowsPath(value)
    if posix.is_absolute() or windows.is_absolute() or windows.drive:
        return "it is an absolute path"
    if ".." in posix.parts or ".." in windows.parts:
        return "it climbs out of the site with '..'"
    if value.endswith(("/", "\\")) or posix.name in ("", "."):
        return "it names a folder, not a file"
    return None


def outside_problem(outdir: Path, target: Path) -> str | None:
    """Why *target* is not inside *outdir* once symbolic links are followed."""
    root = outdir.resolve()
    resolved = target.resolve()
    if root == resolved or root not in resolved.parents:
        return f"it leads to {resolved}, outside the output folder {root}"
    return None


def setting_line(conf: Path, name: str) -> int | None:
    """The line of conf.py that sets *name*, if it is written plainly."""
    try:
        lines = conf.read_text("utf-8").splitlines()
    except OSError:
        return None
    found = (n for n, line in enumerate(lines, 1) if re.match(rf"{name}\s*[:=]", line))
    return next(found, None)


def setting_problem(
    conf: Path, setting: str, value: object, what: str, why: str, example: str
) -> DataProblem:
    return DataProblem(conf, setting_line(conf, setting), (
        f"'{setting}' = {value!r} would write {what} outside the build's output folder "
        f"({why}): write a path inside the site, such as {example!r}; the engine writes "
        "nowhere else."
    ))  # fmt: skip


class BuildFolders(Protocol):
    """The Sphinx application or its builder: where the build writes, and conf.py's folder."""

    @property
    def outdir(self) -> str | os.PathLike[str]: ...

    @property
    def confdir(self) -> str | os.PathLike[str]: ...


def output_file(
    app: BuildFolders, relative: str, what: str, setting: str | None = None, example: str = ""
) -> Path:
    """Where the build writes *what*, the file of the site at *relative* (given
    by the setting *setting*, if one says where): inside the output folder, or
    the build stops naming the setting and nothing is written. Makes the
    file's folder."""
    outdir = Path(app.outdir)
    why = site_path_problem(relative)
    if why is not None and setting is None:
        raise ValueError(f"not a file of the site: {relative!r}")  # the engine's own names
    if why is not None:
        conf = Path(app.confdir) / "conf.py"
        stop_build([setting_problem(conf, str(setting), relative, what, why, example)])
    target = outdir / relative
    through_link = outside_problem(outdir, target)
    if through_link is not None:
        given = f" (from '{setting}')" if setting else ""
        stop_build([f"{target}: the build would write {what}{given} there, but {through_link} "
                    "through a symbolic link: remove the link from the output folder, or "
                    "build into another folder."])  # fmt: skip
    target.parent.mkdir(parents=True, exist_ok=True)
    return target


def copy_if_changed(source: Path, target: Path) -> None:
    """Copy *source* to *target* unless it holds the same bytes already: an
    unchanged file keeps its date (a server's caches and ETags stay valid, and
    a rebuild writes only what changed)."""
    if not (target.is_file() and filecmp.cmp(source, target, shallow=False)):
        shutil.copyfile(source, target)
