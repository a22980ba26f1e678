"""Sessions a user types: ``nox -s docs``, ``serve``, ``tests``, ``live``, ``linkcheck``, ``refs``, ``lint``, ``new``, ``shots``.

Every session installs one PEP 735 dependency group from ``pyproject.toml``,
the same lists Read the Docs and CI use.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nox

ROOT = Path(__file__).parent
sys.path.insert(0, str(ROOT / "tools"))
from pythons import lowest_python, rtd_python, suite_pythons  # noqa: E402

PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
ENGINE = "sphinx-academic-portfolio"  # src/pyproject.toml
BUILD_DIR = ROOT / "_build"
HTML_DIR = BUILD_DIR / "html"

# The suite runs on Read the Docs' Python (newer Sphinx and docutils resolve
# there) and on the lowest one pyproject.toml promises: both, where installed.
RTD_PYTHON = rtd_python(ROOT)
LOWEST_PYTHON = lowest_python(PYPROJECT["project"]["requires-python"])
ON_CI = os.environ.get("CI") == "true"
TEST_PYTHONS = suite_pythons([RTD_PYTHON, LOWEST_PYTHON], ci=ON_CI)

# Strict: nitpicky, every warning is an error, but report all of them at once.
STRICT = ["-n", "-W", "--keep-going"]

# uv makes environments in seconds; virtualenv keeps `pip install nox` enough.
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["docs", "tests"]
nox.options.reuse_existing_virtualenvs = True


def install_group(session: nox.Session, group: str) -> None:
    """Install a dependency group, unless this environment already has this exact list.

    Asking the installer again costs about 0.3 s, which the owner pays on every
    rebuild; a changed list in pyproject.toml (or a new environment) installs.
    A group that needs the engine gets it from src/, editable: an edit there
    is in the next build.
    """
    requirements = nox.project.dependency_groups(PYPROJECT, group)
    wanted = "\n".join(requirements)
    if ENGINE in requirements:
        # The path stands for the name: pip does not match an editable path to
        # a name it is also asked for, and would look the name up on PyPI.
        requirements = ("-e", str(ROOT / "src"), *(r for r in requirements if r != ENGINE))
        # The engine's own list counts too: a dependency added there installs.
        wanted += "\n" + (ROOT / "src" / "pyproject.toml").read_text("utf-8")
    stamp = Path(session.virtualenv.location) / f"installed-{group}.txt"
    if stamp.is_file() and stamp.read_text("utf-8") == wanted:
        session.log(f"The {group} group is installed already (remove {stamp} to reinstall).")
        return
    session.install(*requirements)
    stamp.write_text(wanted, "utf-8")


@nox.session
def docs(session: nox.Session) -> None:
    """Build the site strictly into _build/html (pass -E for a clean build)."""
    install_group(session, "docs")
    session.run(
        "sphinx-build", "-b", "dirhtml", *STRICT, *session.posargs,
        "-d", str(BUILD_DIR / "doctrees"), str(ROOT), str(HTML_DIR),
    )  # fmt: skip
    # nox prints one more line after this one: "Session docs was successful".
    session.log(f"Built into {HTML_DIR.relative_to(ROOT)}; look at it with: nox -s serve")


@nox.session(venv_backend="none")
def serve(session: nox.Session) -> None:
    """Serve _build/html at its own path (http://127.0.0.1:8000/en/latest/)."""
    session.run(sys.executable, str(ROOT / "tools" / "serve.py"), *session.posargs, external=True)


@nox.session(venv_backend="none")
def new(session: nox.Session) -> None:
    """Start your own portfolio from the starter: -- DIR [--name "Full Name"] [--engine SPEC]."""
    if not session.posargs:
        session.error('Give a new folder: nox -s new -- ~/my-site [--name "Full Name"]')
    session.run(
        sys.executable, "-m", "academic_portfolio", "new", *session.posargs,
        env={"PYTHONPATH": str(ROOT / "src")}, external=True,
    )  # fmt: skip


@nox.session
def live(session: nox.Session) -> None:
    """Preview the site at http://127.0.0.1:8000, rebuilding on every save."""
    install_group(session, "live")
    session.run(
        "sphinx-autobuild", "-b", "dirhtml", "-n", "--keep-going",
        "--watch", "src/academic_portfolio", "--watch", "_data", "--watch", "refs.bib",
        "--ignore", "_build/*",
        "-d", str(BUILD_DIR / "doctrees-live"), str(ROOT), str(BUILD_DIR / "live"),
        *session.posargs,
    )  # fmt: skip


@nox.session
def linkcheck(session: nox.Session) -> None:
    """Check every external link of the pages and of refs.bib; fail on a broken one."""
    install_group(session, "docs")
    script = ROOT / "tools" / "linkcheck.py"
    session.run("python", str(script), str(ROOT), str(BUILD_DIR / "linkcheck"), *session.posargs)


@nox.session
def refs(session: nox.Session) -> None:
    """Check refs.bib against Crossref, arXiv and DBLP; -- --write: a patch, -- --apply: apply it."""
    install_group(session, "docs")
    session.run(
        "python", "-m", "academic_portfolio.refscheck", "--root", str(ROOT), *session.posargs,
    )  # fmt: skip


@nox.session(python=TEST_PYTHONS, download_python="never")
def tests(session: nox.Session) -> None:
    """Run the whole test suite (builds the site in temporary copies).

    One run per interpreter of TEST_PYTHONS; the browser tests, the slowest,
    run on the first only (Read the Docs' Python where it is installed).
    """
    for version, role in ((RTD_PYTHON, "Read the Docs'"), (LOWEST_PYTHON, "the lowest supported")):
        if version not in TEST_PYTHONS:
            session.warn(f"NOT RUN on Python {version} ({role}): no python{version} on PATH.")
    install_group(session, "test")
    if shutil.which("npm"):  # the HTML checker (vnu-jar), pinned in package-lock.json
        session.run("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error", external=True)
    only = [] if session.python == TEST_PYTHONS[0] else ["-m", "not browser"]
    session.run("pytest", *only, *session.posargs)


@nox.session(venv_backend="none")
def bench(session: nox.Session) -> None:
    """Time the build, run Lighthouse on every page; write _build/bench.md (options: -- --help)."""
    session.run(sys.executable, str(ROOT / "tools" / "bench.py"), *session.posargs, external=True)


@nox.session
def shots(session: nox.Session) -> None:
    """Contact sheets of the portfolios (widths, light and dark, print): _build/shots/*.png."""
    install_group(session, "test")
    session.run("python", str(ROOT / "tools" / "shots.py"), *session.posargs)


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and format of every Python file with ruff, and the engine's layers."""
    install_group(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    # import-linter reads the source, it imports nothing: src/ on the path is enough.
    session.run("lint-imports", env={"PYTHONPATH": str(ROOT / "src")})


@nox.session(venv_backend="none")
def clean(session: nox.Session) -> None:
    """Remove the build output."""
    shutil.rmtree(BUILD_DIR, ignore_errors=True)
