"""``sphinx-academic-portfolio new DIR``: start a portfolio from the starter.

Also ``python -m academic_portfolio new DIR``. Copies ``starter/`` (shipped
with the package) into DIR, which must be new or empty: nothing is ever
overwritten. ``--name "Full Name"`` puts the name in place of the placeholder
"Ada Example"; ``--engine SPEC`` is the requirement the new site installs the
engine with, for a fork or a local copy (by default the engine by name, this
release's compatible range: ``sphinx-academic-portfolio ~= 1.2``). Only the
standard library: it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import unicodedata
from pathlib import Path

from .about import DISTRIBUTION
from .version import __version__

PACKAGE = Path(__file__).resolve().parent
STARTER = PACKAGE / "starter"
# The starter's placeholders: the name, its refs.bib form, its web-address form.
NAME, BIB_NAME, SLUG = "Ada Example", "Example, Ada", "ada-example"
# The starter's requirement of the engine (pyproject.toml and noxfile.py): this
# release's compatible range, as Read the Docs installs it from the index.
ENGINE = f"{DISTRIBUTION} ~= {'.'.join(__version__.split('.')[:2])}"
ENGINE_FILES = ("pyproject.toml", "noxfile.py")
LOCK = "constraints.txt"
TEXT_FILES = ("conf.py", "index.md", "cv.md", "refs.bib", "_data/cv.yaml", "README.md",
              "research/index.md", "publications/index.md", "research/example-project.md")  # fmt: skip


# Letters of any script, with the marks names use. The name is written as is
# into YAML, Python and BibTeX files: a colon, a "#", a quote or a brace
# would change what those files mean.
NAME_TEXT = re.compile(r"[^\W\d_](?:[^\W\d_]|[ .'’-])*")


def name_problem(name: str) -> str | None:
    if not name.strip() or len(name.split()) < 2:
        return f'--name {name!r}: give a full name, such as --name "Ada Example".'
    if not NAME_TEXT.fullmatch(name):
        return (
            f"--name {name!r}: write the name in letters, spaces, hyphens, apostrophes "
            "and full stops only; edit the files afterwards for anything else."
        )
    return None


def bib_form(name: str) -> str:
    """ "Zoë Ñúñez-Łukasiewicz" -> "Ñúñez-Łukasiewicz, Zoë": the last word is the family name."""
    *given, family = name.split()
    return f"{family}, {' '.join(given)}"


def slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or SLUG


def engine_problem(engine: str) -> str | None:
    """A requirement the starter's files cannot hold, or that names another project."""
    named = re.match(r"\s*([A-Za-z0-9._-]+)", engine)
    if (
        not named
        or re.sub(r"[-_.]+", "-", named.group(1)).lower() != DISTRIBUTION
        or re.search(r"[\"\n]", engine)
    ):
        return (
            f"--engine {engine!r}: give a requirement of {DISTRIBUTION} in pip's syntax, "
            f'such as --engine "{DISTRIBUTION} @ file:///path/to/src" for a local copy '
            f'or --engine "{DISTRIBUTION} @ git+https://github.com/YOU/FORK@TAG'
            '#subdirectory=src" for a fork.'
        )
    return None


def new(target: Path, name: str | None, engine: str | None) -> int:
    problem = (name is not None and name_problem(name)) or (
        engine is not None and engine_problem(engine)
    )
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        print(f"error: {target} is not an empty folder: give the path of a new folder "
              "(nothing is ever overwritten).", file=sys.stderr)  # fmt: skip
        return 1
    shutil.copytree(STARTER, target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "_build", ".nox"))  # fmt: skip
    if engine is not None:
        use_engine(target, engine)
    if name is not None:
        replacements = {NAME: name, BIB_NAME: bib_form(name), SLUG: slug(name)}
        for relative in TEXT_FILES:
            path = target / relative
            text = path.read_text("utf-8")
            for old, new_text in replacements.items():
                text = text.replace(old, new_text)
            path.write_text(text, "utf-8")
    print(f"A new portfolio is in {target}. Build it with:\n"
          f"  cd {target} && pipx run nox -s docs\n"
          "then replace every placeholder with your own facts (see its README.md).")  # fmt: skip
    return 0


def use_engine(target: Path, engine: str) -> None:
    """Write *engine* where the starter names the engine, and unpin it in the lock.

    The lock pins this release, which a fork or a local copy need not be:
    `nox -s lock` pins it again, from where *engine* says.
    """
    for relative in ENGINE_FILES:
        path = target / relative
        path.write_text(path.read_text("utf-8").replace(ENGINE, engine), "utf-8")
    lock = target / LOCK
    pin = f"{DISTRIBUTION}=={__version__}"
    lines = [
        f"# {DISTRIBUTION}: from {engine} (run nox -s lock to pin it)" if line == pin else line
        for line in lock.read_text("utf-8").splitlines()
    ]
    lock.write_text("\n".join(lines) + "\n", "utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog=DISTRIBUTION)
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("new", help="start a portfolio from the starter")
    start.add_argument("dir", type=Path, help="a new or empty folder")
    start.add_argument("--name", help='your full name, such as "Ada Example"')
    start.add_argument(
        "--engine",
        help=f"the requirement of {DISTRIBUTION} for a fork or a "
        f"local copy, in pip's syntax (default: {ENGINE!r})",
    )
    args = parser.parse_args(argv)
    return new(args.dir.expanduser().resolve(), args.name, args.engine)


if __name__ == "__main__":
    sys.exit(main())
