"""`nox -s docs` builds the site into _build/html; `nox -s serve` shows it;
`nox -s refs` checks refs.bib against Crossref, arXiv and DBLP (it proposes,
never edits: `-- --write` writes a patch, `-- --apply` applies it with a backup)."""

import logging
import sys

import nox

nox.needs_version = ">=2025.2.9"  # reads pyproject.toml's dependency groups
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["docs"]
nox.options.reuse_existing_virtualenvs = True
# nox looks for uv on every run and says "uv binary not found." where it is
# not installed, which it need not be: virtualenv makes the environments then.
logging.getLogger("nox").addFilter(lambda record: record.getMessage() != "uv binary not found.")
GROUPS = nox.project.load_toml("pyproject.toml")


@nox.session
def docs(session: nox.Session) -> None:
    """Build strictly (every warning is an error) into _build/html."""
    session.install(*nox.project.dependency_groups(GROUPS, "docs"))
    session.run("sphinx-build", "-b", "dirhtml", "-n", "-W", "--keep-going", *session.posargs,
                "-d", "_build/doctrees", ".", "_build/html")  # fmt: skip
    session.log("Built into _build/html; look at it with: nox -s serve")


@nox.session
def refs(session: nox.Session) -> None:
    """Check refs.bib against the public records it cites."""
    session.install(*nox.project.dependency_groups(GROUPS, "docs"))
    session.run("python", "-m", "academic_portfolio.refscheck", "--root", ".", *session.posargs)


@nox.session(venv_backend="none")
def serve(session: nox.Session) -> None:
    """Serve _build/html at http://127.0.0.1:8000/ (Ctrl+C stops)."""
    session.run(sys.executable, "-m", "http.server", "--bind", "127.0.0.1",
                "--directory", "_build/html", *(session.posargs or ["8000"]), external=True)  # fmt: skip
