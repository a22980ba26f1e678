"""One lock file per site, the same versions on every Python, that every path installs from.

Python 3.11 here resolved Sphinx 9.0.4 and Read the Docs' 3.13 resolved 9.2.0:
the site on the web was not the one tested. ``constraints.txt`` pins every
package once; nox's sessions, CI and Read the Docs install from it.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from academic_portfolio import __version__

pytestmark = pytest.mark.build

STARTER = REPO / "src" / "academic_portfolio" / "starter"
SITES = {"this site": REPO, "the starter": STARTER}


def pins(lock: Path) -> dict[str, list[Requirement]]:
    """Each package of the lock, with every line that pins it."""
    found: dict[str, list[Requirement]] = {}
    for line in lock.read_text("utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            requirement = Requirement(line)
            found.setdefault(canonicalize_name(requirement.name), []).append(requirement)
    return found


def group_requirements(root: Path) -> list[Requirement]:
    groups = tomllib.loads((root / "pyproject.toml").read_text("utf-8"))["dependency-groups"]
    return [Requirement(r) for group in groups.values() for r in group if isinstance(r, str)]


@pytest.mark.parametrize("name", SITES)
def test_the_lock_pins_every_package_once_for_every_python(name):
    locked = pins(SITES[name] / "constraints.txt")
    assert "sphinx" in locked and "docutils" in locked
    forked = {
        package: [str(r) for r in lines] for package, lines in locked.items() if len(lines) > 1
    }
    assert forked == {}, "one version per package for Python 3.11 and 3.13 alike"
    loose = [
        str(r) for lines in locked.values() for r in lines if not str(r.specifier).startswith("==")
    ]
    assert loose == []


@pytest.mark.parametrize("name", SITES)
def test_the_lock_satisfies_pyproject(name):
    """A requirement changed in pyproject.toml without `nox -s lock` fails here."""
    root = SITES[name]
    locked = pins(root / "constraints.txt")
    wanted = group_requirements(root)
    if name == "this site":  # the engine comes from src/: its own requirements count
        engine = tomllib.loads((REPO / "src" / "pyproject.toml").read_text("utf-8"))
        wanted = [r for r in wanted if r.name != "sphinx-academic-portfolio"]
        wanted += [Requirement(r) for r in engine["project"]["dependencies"]]
    stale = [
        str(requirement)
        for requirement in wanted
        if canonicalize_name(requirement.name) not in locked
        or not requirement.specifier.contains(
            str(locked[canonicalize_name(requirement.name)][0].specifier).removeprefix("=="),
            prereleases=True,
        )
    ]
    assert stale == [], "the lock is older than pyproject.toml: run nox -s lock"


def test_the_starters_lock_pins_this_release_of_the_engine():
    [engine] = pins(STARTER / "constraints.txt")["sphinx-academic-portfolio"]
    assert str(engine) == f"sphinx-academic-portfolio=={__version__}"


@pytest.mark.parametrize("name", SITES)
def test_read_the_docs_installs_from_the_lock(name):
    config = yaml.safe_load((SITES[name] / ".readthedocs.yaml").read_text("utf-8"))
    install = config["build"]["jobs"]["install"]
    assert [c for c in install if "--group" in c and "-c constraints.txt" not in c] == []
