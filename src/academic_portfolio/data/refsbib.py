"""Read refs.bib strictly: every problem stops the build with file, line and key.

Researchers paste BibTeX from DBLP, Google Scholar, publishers and arXiv; any
entry BibTeX accepts either builds or gets one clear sentence that says where
and what to do. Checked here, before anything is rendered:

- the file is UTF-8, its syntax is BibTeX (the line of the broken entry), every
  ``@string`` it uses is defined, no key is used twice;
- each entry is read as meant (:mod:`academic_portfolio.data.bibreader`): its
  names one by one, no field twice, an abstract's paragraphs, Unicode NFC, a
  line inside a value that starts with ``%`` asked about;
- each entry has the fields BibTeX requires of its type (:data:`REQUIRED`),
  plus a title that shows something, a four-digit year (ASCII digits) and
  authors (or editors) for the site;
- every text field is LaTeX the site can read (:mod:`academic_portfolio.text.latex`), every
  link field a link it may show (``\\_`` read as ``_``), a DOI a DOI and an
  arXiv id an arXiv id;
- each entry's page address (:func:`paper_slug`) is valid and its own;
- our display fields: ``venue`` holds no year, ``status`` is a known status
  (:mod:`academic_portfolio.text.venue`).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from pathlib import Path

from pybtex.database import BibliographyData, BibliographyDataError, Entry
from pybtex.database.input.bibtex import UndefinedMacro
from pybtex.scanner import PybtexSyntaxError

from ..text.bibstyle import is_arxiv, is_others
from ..text.latex import UnknownCommand, is_safe_link, link_text, plain, to_rich
from ..text.venue import status_problem, venue_problem
from .bibreader import ReadProblem, SiteParser, percent_lines
from .datafiles import DataFileError, DataProblem, read_text

# The fields BibTeX requires of each entry type (btxdoc, "Entry Types");
# "a|b" means either. The site adds title, year and names to every type.
REQUIRED: dict[str, tuple[str, ...]] = {
    "article": ("author", "title", "journal", "year"),
    "book": ("author|editor", "title", "publisher", "year"),
    "inbook": ("author|editor", "title", "chapter|pages", "publisher", "year"),
    "incollection": ("author", "title", "booktitle", "publisher", "year"),
    "inproceedings": ("author", "title", "booktitle", "year"),
    "conference": ("author", "title", "booktitle", "year"),  # BibTeX's alias of inproceedings
    "proceedings": ("title", "year"),
    "phdthesis": ("author", "title", "school", "year"),
    "mastersthesis": ("author", "title", "school", "year"),
    "techreport": ("author", "title", "institution", "year"),
    "misc": (),
    "unpublished": ("author", "title", "note"),
    "patent": ("author", "title", "number", "year"),  # biblatex's (BibTeX has none)
}
SITE_REQUIRED = ("author|editor", "title", "year")
# biblatex's names for BibTeX's fields (exports from biblatex tools carry them).
BIBLATEX_NAMES = {"year": "date", "journal": "journaltitle", "address": "location"}
# Our own fields: they steer the site and are left out of the BibTeX shown.
PRIVATE_FIELDS = {"equal_contribution", "selected", "openreview", "code", "pdf", "slug", "venue",
                  "status"}  # fmt: skip
# What reference managers (Zotero, Mendeley, JabRef, BibDesk) write about the
# owner's own copy, never about the paper: local file paths (with the user's
# name in them), personal notes, tags and groups, reading status and ratings,
# when the record was made. Never shown, like our own fields; the site reads
# none of them.
MANAGER_FIELDS = {"file", "annote", "annotation", "owner", "timestamp", "groups", "comment",
                  "mendeley-tags", "mendeley-groups", "ranking", "readstatus",
                  "printed", "priority", "qualityassured", "relevance", "rating", "read",
                  "creationdate", "modificationdate", "date-added", "date-modified", "local-url",
                  "__markedentry"}  # fmt: skip
MANAGER_PREFIXES = ("bdsk-", "mendeley-", "jabref-")  # BibDesk's bdsk-file-1 holds a path too
LINK_FIELDS = ("url", "pdf", "code", "openreview")
# The LaTeX fields the site turns into text (lists, pages, tags, cards, PDF);
# any other field is only shown as written, in the entry's BibTeX.
RENDERED_FIELDS = ("title", "booktitle", "journal", "publisher", "school", "institution",
                   "organization", "address", "note", "howpublished", "type", "chapter",
                   "edition", "series", "month", "volume", "number", "pages", "abstract",
                   "venue", "holder")  # fmt: skip
DOI = re.compile(r"10\.\d{4,9}/\S+")  # any characters: the link and the tags escape them
ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?/\d{7})(v\d+)?")
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
ENTRY_START = re.compile(r"^[ \t]*@", re.MULTILINE)


@dataclass
class Bibliography:
    """refs.bib, checked: its entries by key, and each entry's page slug."""

    path: Path
    data: BibliographyData
    slugs: dict[str, str] = field(default_factory=dict)

    @property
    def entries(self):
        return self.data.entries

    @functools.cached_property
    def keys_by_slug(self) -> dict[str, str]:
        return {slug: key for key, slug in self.slugs.items()}


def paper_slug(entry: Entry) -> str:
    """The last part of a paper's URL, /publications/<slug>/: the entry's
    ``slug`` field if it has one, else its key in lowercase ASCII, with every
    run of other characters made one dash: ``DBLP:conf/nips/DoeSS24`` ->
    ``dblp-conf-nips-doess24``; ``doe2024robust`` stays ``doe2024robust``."""
    if "slug" in entry.fields:
        return entry.fields["slug"]
    ascii_key = unicodedata.normalize("NFKD", entry.key).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_key.lower()).strip("-")


def taken_slugs(folder: Path) -> dict[str, str]:
    """Addresses in publications/ that no paper may take, and who holds them:
    the pages written by hand there (index.md, the list, among them)."""
    taken = {"index": "the publication list"}
    for page in sorted(folder.glob("*.md")):
        taken[page.stem] = f"the page {folder.name}/{page.name}"
    return taken


def entry_start(key: str) -> re.Pattern[str]:
    """Where the entry *key* starts in refs.bib's text: ``@type{key,`` or
    ``@type(key,``; group 1 is the entry's opening delimiter."""
    return re.compile(r"@\s*\w+\s*([{(])\s*" + re.escape(key) + r"\s*,")


def entry_line(text: str, key: str) -> int | None:
    match = entry_start(key).search(text)
    return text.count("\n", 0, match.start()) + 1 if match else None


def load_bib(path: Path, reserved: dict[str, str] | None = None) -> Bibliography:
    """Parse *path* strictly and check each entry, or raise DataFileError.

    *reserved* maps slugs that are not free (pages already in publications/,
    names Sphinx uses) to why, so that no entry's page can replace them."""
    if not path.is_file():
        raise DataFileError([DataProblem(path, None, "the bibliography file is missing.")])
    text = read_text(path)
    data, read_problems, unread = parse(path, text)
    problems = read_problems + [
        DataProblem(path, entry_line(text, key), f"entry '{key}': {problem}")
        for key, entry in data.entries.items()
        for problem in entry_problems(entry, unread.get(key, set()))
    ]
    bib = Bibliography(path, data, {key: paper_slug(e) for key, e in data.entries.items()})
    problems += slug_problems(bib, text, reserved or {})
    if problems:
        raise DataFileError(problems)
    return bib


def parse(path: Path, text: str) -> tuple[BibliographyData, list[DataProblem], dict[str, set[str]]]:
    """The entries, the problems found while reading them (names, fields
    written twice, lines that may be comments: :mod:`.bibreader`), and the
    fields of each entry that could not be read (not missing: misread)."""
    parser = SiteParser()
    try:
        data = parser.parse_string(text)
    except PybtexSyntaxError as error:
        raise DataFileError([syntax_problem(path, text, error)]) from None
    except BibliographyDataError as error:
        key = str(error).rsplit(":", 1)[-1].strip()
        lines = [m.start() for m in entry_start(key).finditer(text)]
        line = text.count("\n", 0, lines[-1]) + 1 if len(lines) > 1 else None
        message = f"the key '{key}' is used by two entries: give each entry its own key."
        raise DataFileError([DataProblem(path, line, message)]) from None
    problems = [
        DataProblem(path, read_problem_line(text, p), f"entry '{p.key}': {p.message}")
        for p in parser.problems
    ]
    unread: dict[str, set[str]] = {}
    for problem in parser.problems:
        unread.setdefault(problem.key, set()).add(problem.field)
    return data, problems + percent_problems(path, text), unread


def read_problem_line(text: str, problem: ReadProblem) -> int | None:
    """The line of the field the problem is about (the last time the entry
    writes it: a field written twice is named where it comes again)."""
    start = entry_start(problem.key).search(text)
    if start is None:
        return None
    following = ENTRY_START.search(text, start.end())
    end = following.start() if following else len(text)
    field = re.compile(
        r"^[ \t]*" + re.escape(problem.field) + r"\s*=", re.MULTILINE | re.IGNORECASE
    )
    found = list(field.finditer(text, start.end(), end))
    where = found[-1].start() if found else start.start()
    return text.count("\n", 0, where) + 1


def percent_problems(path: Path, text: str) -> list[DataProblem]:
    """A '%' that starts a line inside a value: a comment to LaTeX, text to
    BibTeX. Which was meant only the owner knows (a '%' elsewhere in a value
    is a percent sign)."""
    return [
        DataProblem(path, line, (
            f"entry '{key}': a line of the field '{field}' starts with '%'. BibTeX keeps it as "
            "text, LaTeX would read it as a comment: if it is a comment, delete the line; if it "
            "is a percent sign, write \\% (or move it off the start of the line)."
        ))
        for line, key, field in percent_lines(text)
    ]  # fmt: skip


# An entry whose key (before its first comma) has a space: "@article{my key,".
KEY_WITH_SPACE = re.compile(r"[ \t]*@\s*[A-Za-z]+\s*[{(]\s*([^,\s{}()=]+[ \t]+[^,{}()=\n]*?)\s*,")


# An entry without a key, as PubMed imports and Windows exports write it: "@Article{,".
KEYLESS = re.compile(r"[ \t]*@\s*([A-Za-z]+)\s*[{(]\s*,")


def syntax_problem(path: Path, text: str, error: PybtexSyntaxError) -> DataProblem:
    """Place a syntax error at the entry that has it.

    pybtex notices a missing brace or comma only where the next entry starts;
    read the file one entry at a time (macros carried along) to find the
    entry that really fails, and say what pybtex expected."""
    parser, starts = SiteParser(), [m.start() for m in ENTRY_START.finditer(text)]
    failing = None  # where the entry that fails starts
    ends = [*starts[1:], len(text)] if starts else []  # no "@" starts a line: pybtex's line
    for begin, end in zip(starts, ends, strict=True):
        try:
            parser.parse_string(text[begin:end])
        except PybtexSyntaxError as chunk_error:
            error, line, failing = chunk_error, text.count("\n", 0, begin) + 1, begin
            break
        except BibliographyDataError:
            continue
    else:
        line = error.lineno
    detail = str(error).split(":", 1)[-1].strip()
    if failing is not None and (spaced := KEY_WITH_SPACE.match(text, failing)):
        key = spaced.group(1)  # pybtex said only "'}' expected" or "'=' expected"
        one_word = "".join(key.split())
        return DataProblem(path, line, (
            f"the key '{key}' has a space: a key is one word, such as {one_word} "
            "(letters, digits, - _ :); change it here and where a page cites it."
        ))  # fmt: skip
    if failing is not None and (keyless := KEYLESS.match(text, failing)):
        kind = keyless.group(1)  # pybtex said only "entry key expected"
        return DataProblem(path, line, (
            f"the @{kind} that starts here has no key: write one between the brace and the "
            f"comma, one word such as @{kind}{{name2020, (letters, digits, - _ :); pages cite "
            "the entry by it and its page address is made from it."
        ))  # fmt: skip
    if isinstance(error, UndefinedMacro):
        name = detail
        return DataProblem(path, line, (
            f"the entry that starts here uses '{name}', which is not defined: write the value "
            f"in braces ({{...}}), or define it first with @string{{{name} = {{...}}}}."
        ))  # fmt: skip
    return DataProblem(path, line, (
        f"BibTeX syntax error in the entry that starts here ({detail}). Check the braces, "
        "quotes and commas of this entry: each field ends with a comma, braces pair up."
    ))  # fmt: skip


# biblatex's entry types (and biblatex-software's), as the BibTeX type that
# holds the same work: what to write instead of a type the site does not read.
BIBLATEX_TYPES = {
    **dict.fromkeys(("online", "electronic", "www", "software", "softwareversion",
                     "softwaremodule", "codefragment", "dataset"), "@misc"),
    **dict.fromkeys(("collection", "mvcollection", "mvbook", "reference", "mvreference"),
                    "@book (an edited one with its editor)"),
    **dict.fromkeys(("bookinbook", "suppbook"), "@inbook"),
    **dict.fromkeys(("suppcollection", "inreference"), "@incollection"),
    "mvproceedings": "@proceedings", "report": "@techreport",
    "thesis": "@phdthesis or @mastersthesis",
}  # fmt: skip


def entry_problems(entry: Entry, unread: AbstractSet[str] = frozenset()) -> list[str]:
    if entry.type not in REQUIRED:
        instead = BIBLATEX_TYPES.get(entry.type)
        hint = f": biblatex's @{entry.type} is BibTeX's {instead}" if instead else ""
        return [
            f"the entry type '@{entry.type}' is not supported "
            f"(use one of {', '.join('@' + t for t in sorted(REQUIRED))}){hint}."
        ]
    problems = [
        missing_field(entry, names)
        for names in dict.fromkeys(SITE_REQUIRED + REQUIRED[entry.type])
        if not any(has_value(entry, name) or name in unread for name in names.split("|"))
    ]
    problems += filter(None, [year_problem(entry.fields.get("year", ""))])
    problems += field_problems(entry)
    problems += equal_contribution_problems(entry)
    return problems


def year_problem(year: str) -> str | None:
    """Four ASCII digits: the lists sort and group by it, the tags carry it."""
    if not year or re.fullmatch(r"[0-9]{4}", year):
        return None
    ascii_year = unicodedata.normalize("NFKC", year)
    if re.fullmatch(r"[0-9]{4}", ascii_year):  # full-width digits, as CJK input methods type them
        return (f"the year '{year}' is written with full-width digits: write it with ASCII "
                f"digits, {ascii_year}.")  # fmt: skip
    return f"the year '{year}' is not a four-digit year: write it as 2024."


def missing_field(entry: Entry, names: str) -> str:
    wanted = " or ".join(f"'{n}'" for n in names.split("|"))
    written = [n for n in names.split("|") if n in entry.fields or n in entry.persons]
    if written:  # there, but it shows nothing: {} or {\relax}
        return f"the field '{written[0]}' is empty: write its text, as the site shows it."
    biblatex = BIBLATEX_NAMES.get(names)
    if biblatex and biblatex in entry.fields:
        return (f"a @{entry.type} needs the field {wanted}; it has biblatex's '{biblatex}': "
                f"write {names} = {{...}} as BibTeX has it.")  # fmt: skip
    return f"a @{entry.type} needs the field {wanted}: add it."


def has_value(entry: Entry, name: str) -> bool:
    """The field is there and shows something ({} or {\\relax} does not)."""
    if name in ("author", "editor"):
        return any(not is_others(p) and str(p).strip() for p in entry.persons.get(name, []))
    value = entry.fields.get(name, "")
    if name not in RENDERED_FIELDS:
        return bool(value.strip())
    try:
        return bool(plain(value).strip())
    except ValueError:  # field_problems says what is wrong with its LaTeX
        return True


def field_problems(entry: Entry) -> list[str]:
    problems = []
    if "crossref" in entry.fields:
        problems.append(
            f"it takes fields from '{entry.fields['crossref']}' through crossref, and the site shows "
            "each entry on its own: copy the fields it needs (booktitle, publisher, year ...) "
            "into it and remove crossref."
        )
    for name in RENDERED_FIELDS:
        if name not in entry.fields:
            continue
        try:
            to_rich(entry.fields[name])
        except UnknownCommand as error:
            problems.append(f"the field '{name}' uses the LaTeX command \\{error}, which the site "
                            "cannot show: write the text without it.")  # fmt: skip
        except ValueError as error:
            problems.append(f"the field '{name}': {error}.")
    for name in LINK_FIELDS:
        if name in entry.fields and not is_web_link(link(entry, name)):
            problems.append(
                f"the field '{name}' holds {entry.fields[name]!r}, which is not a link the "
                "site shows: write a full https:// or http:// address."
            )
    doi = entry.fields.get("doi")
    if doi is not None and not DOI.fullmatch(doi):
        problems.append(f"the doi {doi!r} is not a DOI: write it bare, such as 10.1000/182 "
                        "(without https://doi.org/).")  # fmt: skip
    arxiv = arxiv_id(entry)
    if arxiv is not None and not ARXIV_ID.fullmatch(arxiv):
        problems.append(f"the eprint {arxiv!r} is not an arXiv id: write it such as 2401.01234.")
    problems += filter(None, (venue_problem(entry), status_problem(entry)))
    selected = entry.fields.get("selected")
    if selected is not None and selected not in ("true", "false"):
        problems.append(f"selected is {selected!r}: write selected = {{true}} or leave it out.")
    return problems


def link(entry: Entry, name: str) -> str:
    """A link field's address (``\\_`` read as ``_``: :func:`~academic_portfolio.text.latex.link_text`)."""
    return link_text(entry.fields[name])


def is_web_link(url: str) -> bool:
    """A paper's link: a safe https or http address (a mailto link is no
    paper, PDF or code; the record and every export take these as they are)."""
    return is_safe_link(url) and url.split(":", 1)[0] in ("https", "http")


def is_private(name: str) -> bool:
    """A field left out of the BibTeX the site shows and serves: ours, or a
    reference manager's about the owner's own copy."""
    name = name.lower()
    return name in PRIVATE_FIELDS or name in MANAGER_FIELDS or name.startswith(MANAGER_PREFIXES)


def is_selected(entry: Entry) -> bool:
    """Marked for the home page: ``selected = {true}``."""
    return entry.fields.get("selected") == "true"


def arxiv_id(entry: Entry) -> str | None:
    return entry.fields.get("eprint") if is_arxiv(entry) else None


def equal_contribution_problems(entry: Entry) -> list[str]:
    equal = entry.fields.get("equal_contribution", "")
    authors = {str(person) for person in entry.persons.get("author", [])}
    return [
        f"equal_contribution names '{name}', who is not among the authors "
        "(write each name exactly as in 'author')."
        for name in filter(None, (n.strip() for n in equal.split(" and ")))
        if name not in authors
    ]


def slug_problems(bib: Bibliography, text: str, reserved: dict[str, str]) -> list[DataProblem]:
    problems: list[DataProblem] = []
    owners: dict[str, str] = {}
    for key, slug in bib.slugs.items():
        # Only an entry with a problem is looked for in the text: a search per
        # entry would cost a lab's 1,000-entry file a million lines scanned.
        where = entry_line(text, key) if slug_taken_or_invalid(slug, reserved, owners) else None
        if not SLUG.fullmatch(slug):
            hint = "in its 'slug' field" if "slug" in bib.entries[key].fields else "to the entry"
            problems.append(DataProblem(bib.path, where, (
                f"entry '{key}': its page address would be /publications/{slug}/, which is not "
                f"a valid address: add slug = {{...}} {hint}, using lowercase letters, digits "
                "and dashes."
            )))  # fmt: skip
        elif slug in reserved:
            problems.append(DataProblem(bib.path, where, (
                f"entry '{key}': its page address /publications/{slug}/ is taken by {reserved[slug]}: "
                f"add a field slug = {{...}} to the entry with another address."
            )))  # fmt: skip
        elif slug in owners:
            problems.append(DataProblem(bib.path, where, (
                f"entries '{owners[slug]}' and '{key}' would share the page address "
                f"/publications/{slug}/: add a field slug = {{...}} to one of them."
            )))  # fmt: skip
        owners.setdefault(slug, key)
    return problems


def slug_taken_or_invalid(slug: str, reserved: dict[str, str], owners: dict[str, str]) -> bool:
    return not SLUG.fullmatch(slug) or slug in reserved or slug in owners
