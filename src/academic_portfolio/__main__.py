"""``sphinx-academic-portfolio new DIR``: start a portfolio from the starter.

Also ``python -m academic_portfolio new DIR``. Copies ``starter/`` (shipped
with the package) into DIR, which must be new or empty: nothing is ever
overwritten. ``--name "Full Name"`` puts the name in place of the placeholder
"Ada Example"; ``--engine SPEC`` is the requirement the new site installs the
engine with, for a fork or a local copy (by default the engine by name, this
release's compatible range: ``sphinx-academic-portfolio ~= 1.2``). ``--from
FILE`` starts ``_data/cv.yaml`` and ``cv.md`` from a JSON Resume or RenderCV
file and prints what it could not place (:mod:`academic_portfolio.data.resumes`,
which needs the engine installed). Only the standard library otherwise: it runs
before anything is installed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import sys
import unicodedata
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for the types: the package imports nothing before it is needed
    from .data.resumes import Imported

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


# A Latin letter that has no accent to strip (Ł, ø, æ, ß, đ, þ) is named by
# Unicode after the letters it is written as: "LATIN SMALL LETTER L WITH
# STROKE", "LATIN SMALL LIGATURE OE". Letter names that are words, not
# letters, are spelled as the conventions of their languages spell them.
LATIN_LETTER_NAME = re.compile(r"LATIN (?:CAPITAL|SMALL) (?:LETTER|LIGATURE) (.+?)(?: WITH .*)?")
LETTER_WORDS = {"SHARP S": "ss", "ETH": "d", "THORN": "th", "ENG": "ng", "EZH": "z", "SCHWA": "e"}


def ascii_letters(char: str) -> str:
    """*char* in ASCII letters: its accents stripped, or read from its Latin letter's
    name (Ł -> L, ø -> o, æ -> ae, ß -> ss, đ -> d); "" for a letter of another script."""
    stripped = unicodedata.normalize("NFKD", char).encode("ascii", "ignore").decode()
    if stripped or char.isascii():
        return stripped
    named = LATIN_LETTER_NAME.fullmatch(unicodedata.name(char, ""))
    if not named:
        return ""
    letters = named.group(1)
    if letters in LETTER_WORDS:
        return LETTER_WORDS[letters]
    last = letters.split()[-1]  # "DOTLESS I", "TURNED E", "OPEN O": the letter is last
    return last if len(last) <= 2 else ""


def letters_without_ascii(name: str) -> str:
    """The letters of *name* that :func:`slug` cannot write (a Cyrillic or Greek
    name's): the owner is told to write the address, never given another's."""
    return "".join(char for char in name if char.isalpha() and not ascii_letters(char))


def slug(name: str) -> str:
    """The name as a web address's word: "Łukasz Żółć" -> "lukasz-zolc"."""
    ascii_name = "".join(ascii_letters(char) for char in name)
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


def new(target: Path, name: str | None, engine: str | None, source: Path | None = None) -> int:
    imported = None
    if source is not None:  # read first: a file that cannot be read makes no site
        imported = read_source(source)
        if imported is None:
            return 2
        if name is not None:  # the name given wins over the file's, on every page
            imported.cv["person"]["name"] = name
        name = name or imported.cv["person"]["name"]
    problem = (name is not None and name_problem(name)) or (
        engine is not None and engine_problem(engine)
    )
    if problem:
        if imported is not None and name_problem(name or ""):
            problem += f" (the name comes from {source}: give --name to choose it)"
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
    if imported is not None and source is not None:
        write_imported_cv(target, imported, source)
    if name is not None and letters_without_ascii(name):
        print(f"note: the letters of {name!r} with no ASCII form ({letters_without_ascii(name)}) "
              f"are not in the site's address, https://{slug(name)}.readthedocs.io/: write the "
              "address Read the Docs gives you as SITE_URL in conf.py.")  # fmt: skip
    print(f"A new portfolio is in {target}. Build it with:\n"
          f"  cd {target} && pipx run nox -s docs\n"
          "then replace every placeholder with your own facts (see its README.md).")  # fmt: skip
    return 0


def read_source(source: Path) -> Imported | None:
    """The CV of a JSON Resume or RenderCV file (data.resumes.Imported), or None after
    printing why not. Imported here: the rest of ``new`` needs nothing installed."""
    from .data.resumes import ResumeError, read_resume

    try:
        return read_resume(source)
    except ResumeError as error:
        print(f"error: --from {error}", file=sys.stderr)
        return None


def write_imported_cv(target: Path, imported: Imported, source: Path) -> None:
    """The starter's cv.yaml replaced by the imported CV, and cv.md showing its sections."""
    from .data.resumes import cv_page_sections, cv_yaml_text

    (target / "_data" / "cv.yaml").write_text(cv_yaml_text(imported, source), "utf-8")
    page = target / "cv.md"
    text = page.read_text("utf-8")
    optional = text.index("## Experience")  # the starter's optional sections end the page
    page.write_text(text[:optional] + cv_page_sections(imported.cv), "utf-8")
    print(f"Your CV from {source} is in {target / '_data' / 'cv.yaml'}.\n{imported.report()}")


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
    start.add_argument(
        "--from",
        dest="source",
        type=Path,
        metavar="FILE",
        help="start the CV from a JSON Resume (.json) or RenderCV (.yaml) file",
    )
    args = parser.parse_args(argv)
    source = args.source.expanduser().resolve() if args.source else None
    return new(args.dir.expanduser().resolve(), args.name, args.engine, source)


if __name__ == "__main__":
    sys.exit(main())
