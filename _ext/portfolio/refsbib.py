"""Read refs.bib strictly: every problem stops the build with file, line and key.

sphinxcontrib-bibtex would only warn about (or trip over) a broken file; the
owner deserves one clear sentence that says where and what to do.
"""

from __future__ import annotations

import re
from pathlib import Path

from pybtex.database import BibliographyData, BibliographyDataError, Entry
from pybtex.database.input.bibtex import Parser
from pybtex.scanner import PybtexSyntaxError

from .datafiles import DataFileError, DataProblem

REQUIRED_FIELDS = ("title", "year")
SUPPORTED_TYPES = {"article", "inproceedings", "incollection", "misc", "phdthesis", "mastersthesis", "techreport", "unpublished", "book"}  # fmt: skip


def entry_line(text: str, key: str) -> int | None:
    match = re.search(r"@\w+\s*[{(]\s*" + re.escape(key) + r"\s*,", text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def load_bib(path: Path) -> BibliographyData:
    """Parse *path* strictly and check each entry, or raise DataFileError."""
    if not path.is_file():
        raise DataFileError([DataProblem(path, None, "the bibliography file is missing.")])
    text = path.read_text("utf-8")
    try:
        data = Parser(encoding="utf-8").parse_string(text)
    except PybtexSyntaxError as error:
        message = (f"BibTeX syntax error: {str(error).split(':', 1)[-1].strip()}. "
                   "Check the braces, quotes and commas of the entry around this line.")  # fmt: skip
        raise DataFileError([DataProblem(path, error.lineno, message)]) from None
    except BibliographyDataError as error:
        key = str(error).rsplit(":", 1)[-1].strip()
        lines = [m.start() for m in re.finditer(r"@\w+\s*[{(]\s*" + re.escape(key) + r"\s*,", text)]
        line = text.count("\n", 0, lines[-1]) + 1 if len(lines) > 1 else None
        message = f"the key '{key}' is used by two entries: give each entry its own key."
        raise DataFileError([DataProblem(path, line, message)]) from None
    problems = [
        DataProblem(path, entry_line(text, key), f"entry '{key}': {problem}")
        for key, entry in data.entries.items()
        for problem in entry_problems(entry)
    ]
    if problems:
        raise DataFileError(problems)
    return data


def entry_problems(entry: Entry) -> list[str]:
    problems = []
    if entry.type not in SUPPORTED_TYPES:
        problems.append(
            f"the entry type '@{entry.type}' is not supported "
            f"(use one of {', '.join(sorted(SUPPORTED_TYPES))})."
        )
    if not entry.persons.get("author"):
        problems.append("the required field 'author' is missing: add it.")
    for name in REQUIRED_FIELDS:
        if not entry.fields.get(name, "").strip():
            problems.append(f"the required field '{name}' is missing: add it.")
    year = entry.fields.get("year", "")
    if year and not re.fullmatch(r"\d{4}", year):
        problems.append(f"the year '{year}' is not a four-digit year.")
    equal = entry.fields.get("equal_contribution", "")
    authors = {str(person) for person in entry.persons.get("author", [])}
    for name in filter(None, (n.strip() for n in equal.split(" and "))):
        if name not in authors:
            problems.append(
                f"equal_contribution names '{name}', who is not among the authors "
                "(write each name exactly as in 'author')."
            )
    return problems
