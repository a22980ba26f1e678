"""``python -m academic_portfolio new DIR``: start a portfolio from the starter.

Copies ``starter/`` (shipped with the package) into DIR, which must be new or
empty: nothing is ever overwritten. ``--name "Full Name"`` puts the name in
place of the placeholder "Ada Example"; ``--engine SPEC`` is the requirement
the new site installs the engine with (by default this package's own folder,
``sphinx-academic-portfolio @ file:///...``, when it runs from a source
checkout). Only the standard library: it runs before anything is installed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import unicodedata
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent
STARTER = PACKAGE / "starter"
DISTRIBUTION = "sphinx-academic-portfolio"
# The starter's placeholders: the name, its refs.bib form, its web-address form.
NAME, BIB_NAME, SLUG = "Ada Example", "Example, Ada", "ada-example"
ENGINE = "sphinx-academic-portfolio @ file:///path/to/src"  # in the starter's pyproject.toml
TEXT_FILES = ("conf.py", "index.md", "cv.md", "refs.bib", "_data/cv.yaml", "README.md",
              "research/index.md", "publications/index.md", "research/example-project.md")  # fmt: skip


def default_engine() -> str | None:
    """This package's project folder as a file:// requirement, from a source checkout."""
    project = PACKAGE.parent / "pyproject.toml"
    if project.is_file() and f'name = "{DISTRIBUTION}"' in project.read_text("utf-8"):
        return f"{DISTRIBUTION} @ {PACKAGE.parent.as_uri()}"
    return None


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


def new(target: Path, name: str | None, engine: str | None) -> int:
    engine = engine or default_engine()
    if engine is None:
        print(f"error: this {DISTRIBUTION} is not a source checkout: give the requirement "
              "the new site installs it with, such as --engine "
              f"\"{DISTRIBUTION} @ git+https://github.com/OWNER/REPO@TAG#subdirectory=src\".",
              file=sys.stderr)  # fmt: skip
        return 2
    if name is not None and (problem := name_problem(name)):
        print(f"error: {problem}", file=sys.stderr)
        return 2
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        print(f"error: {target} is not an empty folder: give the path of a new folder "
              "(nothing is ever overwritten).", file=sys.stderr)  # fmt: skip
        return 1
    shutil.copytree(STARTER, target, dirs_exist_ok=True,
                    ignore=shutil.ignore_patterns("__pycache__", "_build", ".nox"))  # fmt: skip
    pyproject = target / "pyproject.toml"
    pyproject.write_text(pyproject.read_text("utf-8").replace(ENGINE, engine), "utf-8")
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m academic_portfolio")
    commands = parser.add_subparsers(dest="command", required=True)
    start = commands.add_parser("new", help="start a portfolio from the starter")
    start.add_argument("dir", type=Path, help="a new or empty folder")
    start.add_argument("--name", help='your full name, such as "Ada Example"')
    start.add_argument("--engine", help=f"the requirement of {DISTRIBUTION} (pip's syntax)")
    args = parser.parse_args(argv)
    return new(args.dir.expanduser().resolve(), args.name, args.engine)


if __name__ == "__main__":
    sys.exit(main())
