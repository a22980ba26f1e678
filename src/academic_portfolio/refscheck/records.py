"""What a public record says about a paper, in one shape for every service."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from pybtex.database import Person
from pybtex.exceptions import PybtexError

# DBLP tells apart authors of one name with a number: "Jun Sun 0001".
DBLP_SUFFIX = re.compile(r"\s+\d{4}$")
TAG = re.compile(r"<[^>]+>")  # Crossref titles may carry JATS/HTML markup (<i>, <sub>)
# An author that is an organization ("The ATLAS Collaboration"): one name, not
# given and last names. Word count alone cannot tell ("Peter H. N. de With").
ORGANIZATION = re.compile(
    r"^the\s|\b(collaboration|consortium|group|team|project|society|association|committee|"
    r"initiative|organi[sz]ation|institute|alliance|network|council)\b",
    re.IGNORECASE,
)


class Malformed(ValueError):
    """A value of a service's answer that is not of the shape its format promises."""


def text_of(value: object, what: str) -> str:
    """*value* if it is text; a number or a list where text belongs is a malformed answer."""
    if isinstance(value, str):
        return value
    raise Malformed(f"{what} is {type(value).__name__}, not text")


def list_of(value: object, what: str) -> list:
    if isinstance(value, list):
        return value
    raise Malformed(f"{what} is {type(value).__name__}, not a list")


def dict_of(value: object, what: str) -> dict:
    if isinstance(value, dict):
        return value
    raise Malformed(f"{what} is {type(value).__name__}, not an object")


@dataclass(frozen=True)
class Name:
    """An author: last name (with any "von" part) and given names, as written."""

    last: str
    given: str = ""

    @classmethod
    def from_text(cls, text: str) -> Name:
        """A name written "Given Last" or "Last, Given", read by pybtex ("de" kept)."""
        text = DBLP_SUFFIX.sub("", clean(text))
        if "," not in text and len(text.split()) > 1 and ORGANIZATION.search(text):
            return cls(text)
        try:
            person = Person(text)
        except PybtexError as error:  # "A, B, C, D": too many commas to be one name
            raise Malformed(f"the author {text!r} is not a name ({error})") from None
        last = " ".join(person.prelast_names + person.last_names)
        return cls(last, " ".join(person.first_names + person.middle_names))

    def __str__(self) -> str:
        return f"{self.given} {self.last}".strip()


@dataclass(frozen=True)
class Notice:
    """A Crossref update: a retraction, correction, erratum, expression of
    concern ... (*kind* as Crossref names it), the notice's DOI and date."""

    kind: str
    doi: str
    date: str = ""
    source: str = ""  # "retraction-watch" when the record comes from Retraction Watch

    def describe(self) -> str:
        when = f" of {self.date}" if self.date else ""
        by = " (Retraction Watch)" if self.source == "retraction-watch" else ""
        return f"{self.kind.replace('_', ' ')} notice {self.doi}{when}{by}"


@dataclass(frozen=True)
class Record:
    """One service's answer about one paper. *preprint*: the record is of an
    arXiv version (arXiv itself, DBLP's CoRR); *journal_ref* and *doi* of an
    arXiv record are those of the published version its authors gave."""

    source: str
    title: str
    authors: tuple[Name, ...] = ()
    years: tuple[str, ...] = ()  # every year the record gives (print, online, issued)
    venue: str | None = None
    pages: str | None = None
    doi: str | None = None
    preprint: bool = False
    journal_ref: str | None = None
    subtitle: str | None = None  # Crossref keeps a subtitle apart from the title
    article_number: str | None = None
    kind: str | None = None  # DBLP's type ("Journal Articles"), Crossref's ("journal-article")
    venue_key: str | None = None  # DBLP's key of the venue ("conf/issta", "journals/pami")
    updated_by: tuple[Notice, ...] = ()  # notices about this work (it was retracted ...)
    update_to: tuple[Notice, ...] = ()  # this record is itself a notice about those DOIs
    eprint: str | None = None  # the arXiv id this record is, or says is its preprint

    @property
    def year(self) -> str | None:
        return self.years[0] if self.years else None


def clean(text: str) -> str:
    """A record's text as text: markup removed, entities read, spaces collapsed."""
    return " ".join(html.unescape(TAG.sub("", text)).split())


def fold(text: str) -> str:
    """Lowercase, accents removed: "Süsstrunk" and "Susstrunk" compare equal."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> str:
    """*text* compared case-, accent-, punctuation- and space-insensitively.
    "ˆ" (U+02C6) is how the site reads ``\\textasciicircum{}``, a record's "^"."""
    return " ".join(re.sub(r"[^\w]+|_|\u02c6", " ", fold(text)).split())


def normal_doi(doi: str) -> str:
    return doi.strip().lower().removeprefix("https://doi.org/")
