"""The nox sessions of every site made with the engine, defined in two lines.

A site's ``noxfile.py``::

    from academic_portfolio import sessions

    sessions.define(__file__)

gives it ``nox -s docs`` (the strict build), ``serve`` (the build at its own
path, with its 404 page), ``live`` (rebuilt on every save), ``linkcheck``
(every external link; "network down" told apart from broken links), ``refs``
(refs.bib against its public records), ``lock`` (the lock file, written anew)
and ``clean``. Each session that builds installs one dependency group of the
site's ``pyproject.toml``, constrained by its lock file (:data:`LOCK`), the
same two files Read the Docs installs from.

Only the standard library and nox: a noxfile imports this module before
anything is installed. A starter site gets the engine for its noxfile from the
noxfile's inline script metadata (PEP 723: nox installs it first); the
engine's own repository puts its ``src/`` on the path and passes
``engine_source``, so that its sessions install the engine from there.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

from .about import DISTRIBUTION

if TYPE_CHECKING:
    import nox

# The lock file: every package's exact version, as pip constraints, so that a
# session and Read the Docs install one group of it with the same command
# (`pip install -c constraints.txt --group docs`). pip's hash-checking mode
# cannot serve here: it refuses a dependency group's unpinned names.
LOCK = "constraints.txt"
# Strict: nitpicky, every warning is an error, but report all of them at once.
STRICT = ("-n", "-W", "--keep-going")
LOWEST_PYTHON = "3.11"  # the engine's requires-python
STARTER = Path("academic_portfolio") / "starter"


@dataclass(frozen=True)
class Site:
    """A site's folder, and where its engine comes from when not by name."""

    root: Path
    engine_source: Path | None = None  # the engine's project folder (its pyproject.toml)

    @property
    def pyproject(self) -> dict:
        return tomllib.loads((self.root / "pyproject.toml").read_text("utf-8"))

    @property
    def lock(self) -> Path:
        return self.root / LOCK

    @property
    def build_dir(self) -> Path:
        return self.root / "_build"

    @property
    def html_dir(self) -> Path:
        return self.build_dir / "html"

    def group(self, name: str) -> list[str]:
        """A dependency group's requirements, its included groups resolved."""
        from nox.project import dependency_groups

        return list(dependency_groups(self.pyproject, name))

    def groups(self) -> list[str]:
        return list(self.pyproject.get("dependency-groups", {}))

    def lowest_python(self) -> str:
        requires = self.pyproject.get("project", {}).get("requires-python", "")
        found = re.search(r">=\s*(\d+\.\d+)", requires)
        return found.group(1) if found else LOWEST_PYTHON

    def install(self, session: nox.Session, group: str) -> None:
        """Install a dependency group under the lock, unless this environment has it already.

        Asking the installer again costs about 0.3 s, which the owner pays on
        every rebuild: the environment keeps what it installed, and a changed
        group, lock or engine installs again. With ``engine_source`` the engine
        is installed from there, editable: an edit is in the next build.
        """
        requirements = self.group(group)
        wanted = "\n".join(requirements)
        if self.engine_source is not None and engine_named(requirements):
            # The path stands for the name: pip does not match an editable path
            # to a name it is also asked for, and would look the name up.
            requirements = ["-e", str(self.engine_source), *without_engine(requirements)]
            wanted += "\n" + (self.engine_source / "pyproject.toml").read_text("utf-8")
        if self.lock.is_file():
            requirements = ["-c", str(self.lock), *requirements]
            wanted += "\n" + self.lock.read_text("utf-8")
        else:
            session.warn(f"No {LOCK} here: versions are not pinned. Write it with: nox -s lock")
        stamp = Path(session.virtualenv.location) / f"installed-{group}.txt"
        if stamp.is_file() and stamp.read_text("utf-8") == wanted:
            session.log(f"The {group} group is installed already (remove {stamp} to reinstall).")
            return
        session.install(*requirements)
        stamp.write_text(wanted, "utf-8")


def engine_named(requirements: list[str]) -> bool:
    return any(requirement_name(r) == DISTRIBUTION for r in requirements)


def without_engine(requirements: list[str]) -> list[str]:
    return [r for r in requirements if requirement_name(r) != DISTRIBUTION]


def requirement_name(requirement: str) -> str:
    """The normalised project name a requirement string starts with."""
    found = re.match(r"\s*([A-Za-z0-9][A-Za-z0-9._-]*)", requirement)
    return re.sub(r"[-_.]+", "-", found.group(1)).lower() if found else ""


# -- The sessions -------------------------------------------------------------------


def docs(site: Site, session: nox.Session) -> None:
    """Build the site strictly into _build/html (pass -E for a clean build)."""
    site.install(session, "docs")
    session.run(
        "sphinx-build", "-b", "dirhtml", *STRICT, *session.posargs,
        "-d", str(site.build_dir / "doctrees"), str(site.root), str(site.html_dir),
    )  # fmt: skip
    # nox prints one more line after this one: "Session docs was successful".
    shown = site.html_dir.relative_to(site.root)
    session.log(f"Built into {shown}; look at it with: nox -s serve")


def serve(site: Site, session: nox.Session) -> None:
    """Serve _build/html at its own path, with its 404 page (-- --port 8001 for another port)."""
    from . import serve as server

    if code := server.main([str(site.html_dir), *session.posargs]):
        session.error(f"nox -s serve stopped (status {code}): see the message above.")


def live(site: Site, session: nox.Session) -> None:
    """Preview the site at http://127.0.0.1:8000, rebuilt on every save."""
    site.install(session, "live")
    engine = (
        ["--watch", str(site.engine_source / "academic_portfolio")] if site.engine_source else []
    )
    session.run(
        "sphinx-autobuild", "-b", "dirhtml", "-n", "--keep-going",
        "--watch", str(site.root / "_data"), "--watch", str(site.root / "refs.bib"), *engine,
        "--ignore", str(site.build_dir / "*"),
        "-d", str(site.build_dir / "doctrees-live"), str(site.root), str(site.build_dir / "live"),
        *session.posargs,
    )  # fmt: skip


def linkcheck(site: Site, session: nox.Session) -> None:
    """Check every external link of the pages and of refs.bib; fail on a broken one."""
    site.install(session, "docs")
    session.run(
        "python", "-m", "academic_portfolio.linkcheck",
        str(site.root), str(site.build_dir / "linkcheck"), *session.posargs,
    )  # fmt: skip


def refs(site: Site, session: nox.Session) -> None:
    """Check refs.bib against Crossref, arXiv and DBLP; -- --write: a patch, -- --apply: apply it."""
    site.install(session, "docs")
    session.run(
        "python", "-m", "academic_portfolio.refscheck", "--root", str(site.root), *session.posargs
    )


def clean(site: Site, session: nox.Session) -> None:
    """Remove the build output."""
    shutil.rmtree(site.build_dir, ignore_errors=True)
    session.log(f"Removed {site.build_dir.relative_to(site.root)}")


def lock(site: Site, session: nox.Session) -> None:
    """Write the lock file anew: the newest versions pyproject.toml allows, for every Python."""
    session.install("uv>=0.8")
    write_lock(site, session, site.lock, all_requirements(site))
    if site.engine_source is not None:  # the engine's own repository: its starter too
        starter = Site(site.engine_source / STARTER)
        requirements = [f"{DISTRIBUTION} @ {site.engine_source.as_uri()}"]
        requirements += without_engine(all_requirements(starter))
        engine_pin = f"{DISTRIBUTION}=={engine_version(site.engine_source)}"
        write_lock(starter, session, starter.lock, requirements, agree_with=site.lock,
                   extra_pin=engine_pin)  # fmt: skip


def all_requirements(site: Site) -> list[str]:
    """Every group's requirements, once each; the engine as a path when it has one."""
    requirements = list(dict.fromkeys(r for name in site.groups() for r in site.group(name)))
    if site.engine_source is not None and engine_named(requirements):
        from_source = f"{DISTRIBUTION} @ {site.engine_source.as_uri()}"
        requirements = [from_source, *without_engine(requirements)]
    return requirements


LOCK_HEADER = """\
# The lock file: the exact version of every package this site installs, the
# same on Python {lowest} and every newer one (Read the Docs builds with 3.13).
# nox's sessions and Read the Docs install from it as pip constraints, one
# dependency group at a time: pip install -c {lock} --group docs
# Do not edit it: `nox -s lock` writes it anew from pyproject.toml's groups.
"""


def write_lock(
    site: Site,
    session: nox.Session,
    target: Path,
    requirements: list[str],
    agree_with: Path | None = None,
    extra_pin: str | None = None,
) -> None:
    """Resolve *requirements* once for every Python from the lowest the site supports.

    uv resolves for all interpreters at once (``--universal``) and, asked for
    the fewest versions, picks one version of each package that every Python
    can install, so that 3.11 here and 3.13 on Read the Docs build with the
    same Sphinx. The engine from a path is left out (*extra_pin* names its
    released version); *agree_with*, a lock written before, constrains this one.
    """
    from_path = any(requirement_name(r) == DISTRIBUTION and " @ " in r for r in requirements)
    with tempfile.TemporaryDirectory() as work:
        source, resolved = Path(work) / "requirements.in", Path(work) / "resolved.txt"
        source.write_text("\n".join(requirements) + "\n", "utf-8")
        session.run(
            "uv", "pip", "compile", "--quiet", "--universal", "--fork-strategy", "fewest",
            "--python-version", site.lowest_python(), "--no-header", "--no-annotate",
            *(["--no-emit-package", DISTRIBUTION] if from_path else []),
            *(["-c", str(agree_with)] if agree_with else []),
            "-o", str(resolved), str(source),
        )  # fmt: skip
        pins = resolved.read_text("utf-8").splitlines()
    if extra_pin:
        pins = sorted([*pins, extra_pin], key=requirement_name)
    header = LOCK_HEADER.format(lowest=site.lowest_python(), lock=LOCK)
    target.write_text(header + "\n".join(pins) + "\n", "utf-8")
    session.log(f"Wrote {target} ({len(pins)} packages)")


def engine_version(engine_source: Path) -> str:
    text = (engine_source / "academic_portfolio" / "version.py").read_text("utf-8")
    found = re.search(r'__version__ = "([^"]+)"', text)
    if found is None:
        raise ValueError(f"{engine_source}: no __version__ in academic_portfolio/version.py")
    return found.group(1)


# -- Registration --------------------------------------------------------------------

# name: (function, needs an environment of its own)
SESSIONS: dict[str, tuple[Callable[[Site, nox.Session], None], bool]] = {
    "docs": (docs, True),
    "serve": (serve, False),
    "live": (live, True),
    "linkcheck": (linkcheck, True),
    "refs": (refs, True),
    "lock": (lock, True),
    "clean": (clean, False),
}


def define(noxfile: str | Path, engine_source: str | Path | None = None) -> Site:
    """Define the engine's sessions for the site whose noxfile is *noxfile*."""
    import nox

    site = Site(
        Path(noxfile).resolve().parent,
        Path(engine_source).resolve() if engine_source is not None else None,
    )
    # uv makes environments in seconds; virtualenv keeps `pipx run nox` enough.
    nox.options.default_venv_backend = "uv|virtualenv"
    nox.options.reuse_existing_virtualenvs = True
    nox.options.sessions = ["docs"]
    # nox looks for uv on every run and says "uv binary not found." where it is
    # not installed, which it need not be: virtualenv makes the environments then.
    logging.getLogger("nox").addFilter(lambda record: record.getMessage() != "uv binary not found.")
    for name, (function, own_environment) in SESSIONS.items():
        register(nox, site, name, function, own_environment)
    return site


def register(
    nox_module: ModuleType, site: Site, name: str, function: Callable, own_environment: bool
) -> None:
    """Register *function* as the session *name*, with its docstring as nox -l shows it."""

    def run_session(session: nox.Session) -> None:
        function(site, session)

    run_session.__doc__ = function.__doc__
    run_session.__name__ = name
    backend = None if own_environment else "none"  # None: nox's default, a new environment
    nox_module.session(name=name, venv_backend=backend)(run_session)
