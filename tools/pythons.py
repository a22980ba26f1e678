"""Which Python interpreters ``nox -s tests`` runs the suite on.

Two matter: the one Read the Docs builds the site with (``build.tools.python``
in .readthedocs.yaml), whose newer Python resolves newer Sphinx and docutils,
and the lowest one ``requires-python`` in pyproject.toml promises. The
noxfile imports this module, so it uses the standard library only (nox's
environment under pipx has no YAML parser) and costs no process start: it
runs on every ``nox`` command, the owner's rebuilds included.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# Folders of version managers' shims (pyenv, asdf, mise): a shim for a version
# that is not activated is on PATH but only prints an error when run.
SHIM_FOLDERS = {"shims"}


def rtd_python(root: Path = ROOT) -> str:
    """The X.Y of ``build.tools.python`` in .readthedocs.yaml."""
    text = (root / ".readthedocs.yaml").read_text("utf-8")
    match = re.search(r"^\s+python:\s*[\"']?(\d+\.\d+)[\"']?\s*$", text, re.MULTILINE)
    if match is None:
        raise ValueError(f'{root / ".readthedocs.yaml"}: no build.tools.python like "3.13"')
    return match.group(1)


def lowest_python(requires_python: str) -> str:
    """The X.Y of the ``>=X.Y`` bound of ``requires-python``."""
    match = re.search(r">=\s*(\d+\.\d+)", requires_python)
    if match is None:
        raise ValueError(f"requires-python {requires_python!r} has no '>=X.Y' bound")
    return match.group(1)


def find_interpreter(version: str, search_path: str | None = None) -> Path | None:
    """The first ``pythonX.Y`` on PATH that is a real program, not a version manager's shim."""
    folders = (search_path if search_path is not None else os.environ.get("PATH", "")).split(
        os.pathsep
    )
    for folder in filter(None, folders):
        candidate = Path(folder) / f"python{version}"
        if Path(folder).name in SHIM_FOLDERS or not candidate.is_file():
            continue
        if os.access(candidate, os.X_OK) and candidate.resolve().is_file():
            return candidate
    return None


def suite_pythons(
    wanted: list[str], search_path: str | None = None, ci: bool = False
) -> list[str | None]:
    """The interpreters to run the suite on, in the order given.

    Under CI every wanted version is listed, so that nox fails on a missing
    one. Elsewhere the missing ones are left out, and when none is installed
    the suite runs on the interpreter running nox (``None``), so that
    ``nox -s tests`` always runs it somewhere.
    """
    wanted = list(dict.fromkeys(wanted))  # one run when both are the same version
    if ci:
        return list(wanted)
    found: list[str | None] = [v for v in wanted if find_interpreter(v, search_path)]
    return found or [None]
