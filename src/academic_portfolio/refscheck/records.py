"""What a public record says about a paper, in one shape for every service."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

from pybtex.database import Person

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
        person = Person(text)
        last = " ".join(person.prelast_names + person.last_names)
        return cls(last, " ".join(person.first_names + person.middle_names))

    def initials(self) -> str:
        return "".join(part[0] for part in re.split(r"[\s.\-]+", fold(self.given)) if part)

    def same_person(self, other: Name) -> bool:
        """Same last name (accents, case, hyphens aside) and same first initial.

        Only the first initial: one record writes "Chul-Ho", another "C.-H." or
        "Chul Ho"; a middle name given or left out is not a mistake."""
        if words(self.last) != words(other.last):
            return False
        mine, theirs = self.initials(), other.initials()
        return not mine or not theirs or mine[0] == theirs[0]

    def __str__(self) -> str:
        return f"{self.given} {self.last}".strip()


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


def same_title(ours: str, theirs: str) -> bool:
    """Titles equal as words; DBLP ends every title with a full stop."""
    return words(ours) == words(theirs.rstrip("."))


def normal_pages(pages: str) -> str:
    """'1051--1061', '1051-1061' and '1051–1061' are one range."""
    return re.sub(r"\s*[-‐‑‒–—]+\s*", "-", pages.strip())


def normal_doi(doi: str) -> str:
    return doi.strip().lower().removeprefix("https://doi.org/")
