"""refs.bib against a record: only the differences that are real.

Text goes through the site's own LaTeX reader (``latex.plain``) and is then
compared as words (case, accents, punctuation and spaces aside); names by last
name and first initial; pages as ranges; DOIs case-insensitively. Each
difference may carry the change to refs.bib that would settle it: the owner
decides (``--write``, ``--apply``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pybtex.database import Entry, Person

from ..bibstyle import is_others
from ..latex import plain
from .records import Name, Record, normal_doi, normal_pages, same_title, words

# Characters that mean something to LaTeX or BibTeX: a value taken from a
# record is written with them escaped, so that BibTeX reads one value and the
# site (latex.plain) reads it back as the same text.
LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    **{c: "\\" + c for c in "&%$#_{}"},
}


@dataclass(frozen=True)
class Change:
    """Set *field* of the entry *key* to *value* (BibTeX text), adding it if absent."""

    key: str
    field: str
    value: str


# Kinds of findings that are said, not counted as differences: the owner's call.
NOT_DIFFERENCES = {"advice", "elsewhere"}


@dataclass(frozen=True)
class Finding:
    """One difference, as the report prints it."""

    what: str  # "title", "authors", "year", "venue", "pages", "doi", "published", a link field
    ours: str | None
    theirs: str
    source: str
    change: Change | None = None
    kind: str = "differs"  # or "missing", "unknown" (to the record), "moved", "published",
    # and two that are not differences: "advice" (the owner's call), "elsewhere"
    # (a DOI of another registration agency: not compared)

    @property
    def counts(self) -> bool:
        """A difference (the exit status and the summary count it), not a note."""
        return self.kind not in NOT_DIFFERENCES


def escape(text: str) -> str:
    return "".join(LATEX_SPECIALS.get(c, c) for c in text)


def bibtex_name(name: Name) -> str:
    """A record's name as BibTeX text: "Last, Given"; a name of one part and
    several words (an organization, "The X Collaboration") braced, so that
    BibTeX does not split it into given and last names."""
    last, given = name_part(name.last), name_part(name.given)
    if given:
        return f"{last}, {given}"
    return f"{{{last}}}" if len(last.split()) > 1 else last


def name_part(text: str) -> str:
    """A part of a name as BibTeX text; braced when BibTeX would split it (a
    comma, or the word "and", would make two names or parts of one)."""
    text = escape(" ".join(text.split()))
    if "," in text or re.search(r"\band\b", text, re.IGNORECASE):
        return "{" + text + "}"
    return text


def person_name(person: Person) -> Name:
    last = plain(" ".join(person.prelast_names + person.last_names))
    return Name(last, plain(" ".join(person.first_names + person.middle_names)))


def bib_record(entry: Entry) -> Record:
    """The entry as a Record, its LaTeX read as the site reads it."""
    fields = entry.fields
    venue = fields.get("booktitle") or fields.get("journal")
    people = [p for p in entry.persons.get("author", []) if not is_others(p)]
    return Record(
        source="refs.bib",
        title=plain(fields.get("title", "")),
        authors=tuple(person_name(p) for p in people),
        years=(fields["year"],) if "year" in fields else (),
        venue=plain(venue) if venue else None,
        pages=plain(fields["pages"]) if "pages" in fields else None,
        doi=fields.get("doi"),
    )


def compare(key: str, entry: Entry, theirs: Record, *, venue: bool) -> list[Finding]:
    """Title, authors, year, pages, DOI (and the venue when *venue*: DBLP's are
    abbreviations) of *entry* against *theirs*."""
    ours = bib_record(entry)
    found = [
        title_finding(key, ours, theirs),
        authors_finding(key, entry, ours, theirs),
        year_finding(key, ours, theirs),
        pages_finding(key, ours, theirs),
        doi_finding(key, ours, theirs),
    ]
    if venue:
        found.append(venue_finding(key, entry, ours, theirs))
    return [f for f in found if f is not None]


def title_finding(key: str, ours: Record, theirs: Record) -> Finding | None:
    if not theirs.title or same_title(ours.title, theirs.title):
        return None
    return Finding("title", ours.title, theirs.title, theirs.source,
                   Change(key, "title", escape(theirs.title)))  # fmt: skip


def authors_finding(key: str, entry: Entry, ours: Record, theirs: Record) -> Finding | None:
    """Order and spelling; with "and others" only the authors listed are compared."""
    if not theirs.authors:
        return None
    truncated = any(is_others(p) for p in entry.persons.get("author", []))
    compared = theirs.authors[: len(ours.authors)] if truncated else theirs.authors
    same = len(compared) == len(ours.authors) and all(
        a.same_person(b) for a, b in zip(ours.authors, compared, strict=False)
    )
    if same:
        return None
    detail = author_differences(ours.authors, compared)
    change = None if truncated else Change(key, "author", merged_authors(entry, theirs.authors))
    return Finding("authors", detail[0], detail[1], theirs.source, change)


def author_differences(ours: tuple[Name, ...], theirs: tuple[Name, ...]) -> tuple[str, str]:
    """The differing positions only, so that a long list stays readable."""
    if len(ours) != len(theirs):
        return (f"{len(ours)} authors: " + "; ".join(map(str, ours)),
                f"{len(theirs)} authors: " + "; ".join(map(str, theirs)))  # fmt: skip
    pairs = [(i, a, b) for i, (a, b) in enumerate(zip(ours, theirs, strict=True), start=1)
             if not a.same_person(b)]  # fmt: skip
    return ("; ".join(f"#{i} {a}" for i, a, _ in pairs),
            "; ".join(f"#{i} {b}" for i, _, b in pairs))  # fmt: skip


def merged_authors(entry: Entry, theirs: tuple[Name, ...]) -> str:
    """The record's list, each author who matches ours kept as pybtex reads it
    ("Last, Given"); the patch then keeps those names as refs.bib writes them,
    and writes the others in refs.bib's style (:func:`.patch.merged_names`)."""
    ours = [p for p in entry.persons.get("author", []) if not is_others(p)]
    names = []
    for index, name in enumerate(theirs):
        mine = ours[index] if index < len(ours) else None
        names.append(str(mine) if mine and person_name(mine).same_person(name) else
                     bibtex_name(name))  # fmt: skip
    return " and ".join(names)


def year_finding(key: str, ours: Record, theirs: Record) -> Finding | None:
    if not theirs.years or ours.year in theirs.years:
        return None
    return Finding("year", ours.year, theirs.year or "", theirs.source,
                   Change(key, "year", theirs.year or ""))  # fmt: skip


def pages_finding(key: str, ours: Record, theirs: Record) -> Finding | None:
    if not (ours.pages and theirs.pages):
        return None  # a missing range is not a wrong one
    if normal_pages(ours.pages) == normal_pages(theirs.pages):
        return None
    value = normal_pages(theirs.pages).replace("-", "--")
    return Finding("pages", ours.pages, theirs.pages, theirs.source, Change(key, "pages", value))


def doi_finding(key: str, ours: Record, theirs: Record) -> Finding | None:
    if not theirs.doi or theirs.preprint:
        return None  # an arXiv DOI (10.48550/...) is not the paper's
    if not ours.doi:
        change = Change(key, "doi", theirs.doi)
        return Finding("doi", None, theirs.doi, theirs.source, change, kind="missing")
    if normal_doi(ours.doi) == normal_doi(theirs.doi):
        return None
    return Finding("doi", ours.doi, theirs.doi, theirs.source, Change(key, "doi", theirs.doi))


def venue_finding(key: str, entry: Entry, ours: Record, theirs: Record) -> Finding | None:
    """A venue agrees when one name holds the other ("... Systems" and
    "... Systems (NeurIPS)", "Proceedings of the ...") or abbreviates it ("ACM
    Trans. Comput. Log."): only a different venue is news."""
    if not (ours.venue and theirs.venue):
        return None
    mine, other = words(ours.venue), words(theirs.venue)
    if mine in other or other in mine or abbreviates(mine, other) or abbreviates(other, mine):
        return None
    field = "booktitle" if "booktitle" in entry.fields else "journal"
    return Finding("venue", ours.venue, theirs.venue, theirs.source,
                   Change(key, field, escape(theirs.venue)))  # fmt: skip


# Words a full venue name has that its abbreviation leaves out.
STOP_WORDS = {"on", "of", "the", "and", "for", "in", "a", "an", "at", "to"}


def abbreviates(short: str, full: str) -> bool:
    """Each word of *short* begins the next word of *full*, which may skip
    stop words ("on", "of" ...) and no other: "acm trans comput log" and "acm
    transactions on computational logic" (both as :func:`.records.words` gives them)."""
    theirs, at = full.split(), 0
    for word in short.split():
        while at < len(theirs) and theirs[at] in STOP_WORDS and not theirs[at].startswith(word):
            at += 1
        if at == len(theirs) or not theirs[at].startswith(word):
            return False
        at += 1
    return all(word in STOP_WORDS for word in theirs[at:])
