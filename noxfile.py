#!/usr/bin/env -S uv run --script
# /// script
# dependencies = ["nox>=2025.5"]
# ///
"""Sessions a user types: the engine's ``docs``, ``serve``, ``live``, ``linkcheck``,
``refs``, ``lock``, ``clean`` (``academic_portfolio.sessions``, as every site
made with the engine has them), and this repository's own ``tests``, ``quick``,
``mutants``, ``engine_docs``, ``lint``, ``bench``, ``new``.

Every session installs one PEP 735 dependency group from ``pyproject.toml``,
constrained by the lock file ``constraints.txt``: the lists Read the Docs and
CI use.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nox

nox.needs_version = ">=2025.5"  # as the test group asks (pyproject.toml)
ROOT = Path(__file__).parent
# The engine is src/ here: its sessions import it from there (standard library
# and nox only), and install it from there, editable.
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tools")]
from pythons import lowest_python, rtd_python, suite_pythons  # noqa: E402

from academic_portfolio import sessions  # noqa: E402

SITE = sessions.define(__file__, engine_source=ROOT / "src")
nox.options.sessions = ["docs", "tests"]

# The suite runs on Read the Docs' Python (newer Sphinx and docutils resolve
# there) and on the lowest one pyproject.toml promises: both, where installed.
RTD_PYTHON = rtd_python(ROOT)
LOWEST_PYTHON = lowest_python(SITE.pyproject["project"]["requires-python"])
ON_CI = os.environ.get("CI") == "true"
TEST_PYTHONS = suite_pythons([RTD_PYTHON, LOWEST_PYTHON], ci=ON_CI)
# The fast tier (tests/conftest.py, "Tiers"): the pure tests and the small sites
# built in process; it imports and runs every module of the engine.
QUICK = "not build and not browser and not slow"
# The whole suite on two processes (pytest-xdist), each test sent where the build
# it reads is (tests/conftest.py): on two cores it takes about half the time.
IN_PARALLEL = ["-n", "auto", "--dist", "loadgroup"]
# The tests start Python dozens of times (sphinx-build, nox, pip): each imports
# Sphinx and the engine. Where the environment asks Python not to write compiled
# modules (PYTHONDONTWRITEBYTECODE: the shared machine the suite was timed on sets
# it), each compiled them all anew: 2 s of CPU in a site build's 8. Tests keep them.
KEEP_BYTECODE = {"PYTHONDONTWRITEBYTECODE": ""}
# `nox -s quick -- --coverage` (and CI's run of the fast tier) runs the tier under
# coverage ([tool.coverage] in pyproject.toml), then fails naming each engine
# module in which no function ran in the test process (tools/touched.py).
MEASURE = "--coverage"
COVERAGE_DATA = ROOT / "_build" / "coverage" / "data"


@nox.session(python=TEST_PYTHONS, download_python="never")
def tests(session: nox.Session) -> None:
    """Run the whole test suite (builds the site in temporary copies).

    The whole suite on the first interpreter of TEST_PYTHONS (Read the Docs'
    Python where it is installed), on two processes; on the lowest supported
    Python the fast tier (on two processes too), which runs every module of
    the engine: the whole-site builds, the browser and the engine's
    distribution test what Read the Docs runs, on its Python, and would only
    repeat themselves (half the time of CI).
    """
    for version, role in ((RTD_PYTHON, "Read the Docs'"), (LOWEST_PYTHON, "the lowest supported")):
        if version not in TEST_PYTHONS:
            session.warn(f"NOT RUN on Python {version} ({role}): no python{version} on PATH.")
    SITE.install(session, "test")
    if session.python != TEST_PYTHONS[0]:
        # CI checks that the tier runs every module (about 15 s more of CPU).
        fast_tier(session, session.posargs, measured=ON_CI and not session.posargs)
        return
    if shutil.which("npm"):  # the HTML checker (vnu-jar), pinned in package-lock.json
        session.run("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error", external=True)
    session.run("pytest", *IN_PARALLEL, *session.posargs, env=KEEP_BYTECODE)


@nox.session(python=TEST_PYTHONS[0], download_python="never")
def quick(session: nox.Session) -> None:
    """The fast tier: pure tests and small sites built in process (under a minute).

    Every test but the whole-site builds and the browser (tests/conftest.py,
    "Tiers"); it runs every module of the engine: `-- --coverage` checks it.
    Before a commit; the whole suite (nox -s tests) before a merge.
    """
    SITE.install(session, "test")
    pytest_args = [arg for arg in session.posargs if arg != MEASURE]
    fast_tier(session, pytest_args, measured=MEASURE in session.posargs)


def fast_tier(session: nox.Session, pytest_args: list[str], *, measured: bool) -> None:
    """Run the fast tier on two processes (83 s -> 56 s on two cores); *measured*:
    under coverage, then fail on a module none of it ran."""
    tier = ["pytest", "-m", QUICK, *IN_PARALLEL, *pytest_args]
    if not measured:
        session.run(*tier, env=KEEP_BYTECODE)
        return
    shutil.rmtree(COVERAGE_DATA.parent, ignore_errors=True)
    COVERAGE_DATA.parent.mkdir(parents=True)
    # Each process writes its own data file (the workers: tests/conftest.py,
    # MEASURE_WORKERS); `coverage combine` makes them one.
    env = {**KEEP_BYTECODE, "COVERAGE_FILE": str(COVERAGE_DATA), "PORTFOLIO_MEASURE_WORKERS": "1"}
    session.run("coverage", "run", "--parallel-mode", "-m", *tier, env=env)
    session.run("coverage", "combine", "--quiet", env=env)
    session.run("python", str(ROOT / "tools" / "touched.py"), str(COVERAGE_DATA))


@nox.session(python=TEST_PYTHONS[0], download_python="never")
def mutants(session: nox.Session) -> None:
    """Mutation-test engine modules against the fast tier; print each one's kill rate.

    -- MODULE..., e.g. papers/part.py data/refsbib.py (tools/mutants.py says
    more). Several minutes on two cores: not in CI, not in `nox -s tests`.
    """
    if not session.posargs:
        session.error("Name engine modules: nox -s mutants -- papers/part.py data/refsbib.py")
    SITE.install(session, "mutants")
    session.run("python", str(ROOT / "tools" / "mutants.py"), *session.posargs)


@nox.session
def engine_docs(session: nox.Session) -> None:
    """Build the engine's documentation (src/docs/) strictly into _build/engine-docs."""
    SITE.install(session, "docs")
    session.run(
        "sphinx-build", "-b", "html", "-n", "-W", "--keep-going", "-E", *session.posargs,
        "-d", str(ROOT / "_build" / "engine-doctrees"), str(ROOT / "src" / "docs"),
        str(ROOT / "_build" / "engine-docs"),
    )  # fmt: skip


@nox.session
def lint(session: nox.Session) -> None:
    """Check style and format of every Python file with ruff, the engine's layers and its types."""
    SITE.install(session, "lint")
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")
    # import-linter reads the source, it imports nothing: src/ on the path is enough.
    session.run("lint-imports", env={"PYTHONPATH": str(ROOT / "src")})
    session.run("mypy")  # the engine's types ([tool.mypy])


@nox.session(venv_backend="none")
def bench(session: nox.Session) -> None:
    """Time the build, run Lighthouse on every page; write _build/bench.md (options: -- --help)."""
    session.run(sys.executable, str(ROOT / "tools" / "bench.py"), *session.posargs, external=True)


@nox.session
def shots(session: nox.Session) -> None:
    """Contact sheets of the portfolios (widths, light and dark, print): _build/shots/*.png."""
    SITE.install(session, "test")
    session.run("python", str(ROOT / "tools" / "shots.py"), *session.posargs)


@nox.session(venv_backend="none")
def new(session: nox.Session) -> None:
    """Start your own portfolio from the starter: -- DIR [--name "Full Name"] [--engine SPEC] [--from FILE]."""
    if not session.posargs:
        session.error('Give a new folder: nox -s new -- ~/my-site [--name "Full Name"]')
    if "--from" in session.posargs or any(a.startswith("--from=") for a in session.posargs):
        # Reading another tool's CV needs the engine's dependencies: the docs
        # environment's Python has them (nox -s docs makes it).
        python = ROOT / ".nox" / "docs" / "bin" / "python"
        if not python.is_file():
            session.error("--from needs the engine installed: run `nox -s docs` once first.")
    else:  # only the standard library: nox's own Python will do
        python = Path(sys.executable)
    session.run(
        str(python), "-m", "academic_portfolio", "new", *session.posargs,
        env={"PYTHONPATH": str(ROOT / "src")}, external=True,
    )  # fmt: skip


if __name__ == "__main__":  # ./noxfile.py -s docs: uv installs nox for it
    nox.main()
