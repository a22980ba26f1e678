"""refs.bib against a record: first whether it is the same work, then only
the differences that are real.

The identity gate comes first: a record whose title and authors do not agree
well enough with the entry is another work (a DOI with a typo resolves to
someone else's paper), and nothing of it is compared or proposed. Then each
field is compared in the forms it takes: titles after rendering both sides
the same way (LaTeX and math through the site's reader, markup removed, a
subtitle joined), names as (family, first initial) whatever order or particle
placement, pages as ranges (abbreviated ends, en dashes, article numbers, a
record that gives the first page only), venues through the alias table
(:mod:`.venues`). Each difference may carry the change to refs.bib that would
settle it: the owner decides (``--write``, ``--apply``)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pybtex.database import Entry, Person

from ..text.bibstyle import is_others
from ..text.latex import plain
from .bibvalue import UnsafeValue, bibtex_value
from .records import Name, Record, fold, normal_doi, words
from .venues import same_venue

# Characters that mean something to LaTeX or BibTeX: a value taken from a
# record is written with them escaped, so that BibTeX reads one value and the
# site (latex.plain) reads it back as the same text.
LATEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    **{c: "\\" + c for c in "&%$#_{}"},
}
# Name particles: their place (family or given part) differs between sources.
PARTICLES = {"van", "von", "der", "den", "de", "del", "della", "di", "da", "du", "des", "dos",
             "das", "la", "le", "ten", "ter", "y", "bin", "al", "el"}  # fmt: skip
TITLE_STOP_WORDS = {"a", "an", "the", "of", "for", "and", "in", "on", "to", "with", "by", "via"}
RETRACTED = re.compile(r"^\s*(retracted( article)?|withdrawn)\s*:\s*", re.IGNORECASE)
DASHES = re.compile(r"\s*[-‐‑‒–—]+\s*")


@dataclass(frozen=True)
class Change:
    """Set *field* of the entry *key* to *value* (BibTeX text), adding it if absent."""

    key: str
    field: str
    value: str


# Kinds of findings that are said, not counted as differences: the owner's call.
NOT_DIFFERENCES = {"advice", "elsewhere", "unchecked", "version", "accepted"}


@dataclass(frozen=True)
class Finding:
    """One difference, as the report prints it."""

    what: str  # "title", "authors", "year", "venue", "pages", "doi", "published", a link field
    ours: str | None
    theirs: str
    source: str
    change: Change | None = None
    kind: str = "differs"  # or "missing", "unknown" (to the record), "moved", "published",
    # "other-work" (the identifier names another work), "notice" (retracted or
    # corrected), "duplicate" (of another entry); and those that are not
    # differences: "advice" (the owner's call), "elsewhere" (a DOI of another
    # registration agency), "version" (another version of the work exists),
    # "unchecked" (no record could be asked or found), "accepted" (by the owner)

    @property
    def counts(self) -> bool:
        """A difference (the exit status and the summary count it), not a note."""
        return self.kind not in NOT_DIFFERENCES


def proposal(key: str, field: str, value: str) -> Change | None:
    """The change that would settle a difference, when the record's value is
    BibTeX for its field (:mod:`.bibvalue`); None (reported, not proposed) when not."""
    try:
        return Change(key, field, bibtex_value(field, value))
    except UnsafeValue:
        return None


def escape(text: str) -> str:
    return "".join(LATEX_SPECIALS.get(c, c) for c in text)


def name_part(text: str) -> str:
    """A part of a name as BibTeX text; braced when BibTeX would split it (a
    comma, or the word "and", would make two names or parts of one)."""
    text = escape(" ".join(text.split()))
    if "," in text or re.search(r"\band\b", text, re.IGNORECASE):
        return "{" + text + "}"
    return text


def bibtex_name(name: Name) -> str:
    """A record's name as BibTeX text: "Last, Given"; a name of one part and
    several words (an organization, "The X Collaboration") braced, so that
    BibTeX does not split it into given and last names."""
    last, given = name_part(name.last), name_part(name.given)
    if given:
        return f"{last}, {given}"
    return f"{{{last}}}" if len(last.split()) > 1 and not last.startswith("{") else last


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


# Titles.


def render(text: str) -> str:
    """A record's title as the site reads a title: arXiv's and DBLP's may be
    LaTeX ("$\\ell_1$", "$O(n \\log n)$"), read as the site reads refs.bib."""
    if "$" not in text and "\\" not in text:
        return text
    try:
        return plain(re.sub(r"(?<!\\)%", r"\\%", text))
    except Exception:  # LaTeX the reader does not know: compare the text as given
        return text


def title_key(text: str) -> str:
    """A title as letters and digits only: "O(n logn)" and "O(n log n)" are
    one title, and so are "ℓ1" and "ℓ₁" (compatibility forms folded)."""
    return re.sub(r"[\W_\u02c6]+", "", fold(RETRACTED.sub("", text)))


def title_variants(record: Record) -> list[str]:
    """The record's title as the site would read it, and with its subtitle."""
    title = render(RETRACTED.sub("", record.title)).rstrip(".")
    if record.subtitle:
        return [title, f"{title}: {render(record.subtitle)}"]
    return [title]


def same_title(ours: str, theirs: Record) -> bool:
    return bool(theirs.title) and any(
        title_key(ours) == title_key(v) for v in title_variants(theirs)
    )


def title_words(text: str) -> set[str]:
    return set(words(text).split()) - TITLE_STOP_WORDS


def title_similarity(ours: str, theirs: Record) -> float:
    """Shared words over the longer title's words, the best of title and title+subtitle."""
    if same_title(ours, theirs):
        return 1.0
    mine, best = title_words(ours), 0.0
    for variant in title_variants(theirs):
        other = title_words(variant)
        if mine and other:
            best = max(best, len(mine & other) / max(len(mine), len(other)))
    return best


# Names.


def name_tokens(text: str) -> list[str]:
    """A name part's words, folded; "O'Brien" is one word, "Chul-Ho" two."""
    return [t for t in re.split(r"[\s.\-]+", re.sub(r"['’]", "", fold(text))) if t]


def name_keys(name: Name) -> tuple[tuple[str, str] | None, tuple[str, str] | None]:
    """(family, first initial) as this name is written, and as it would be
    with given and family swapped (arXiv and some publishers write "Lovelace
    Ada", read as given "Lovelace"): only for a one-word given name. Particles
    ("van der") count nowhere: sources put them in either part."""
    family = [t for t in name_tokens(name.last) if t not in PARTICLES] or name_tokens(name.last)
    given = [t for t in name_tokens(name.given) if t not in PARTICLES]
    if not family:
        return None, None
    straight = (family[-1], given[0][0] if given else "")
    swapped = (given[0], family[0][0]) if len(given) == 1 and len(given[0]) > 1 else None
    return straight, swapped


def same_key(a: tuple[str, str] | None, b: tuple[str, str] | None) -> bool:
    if a is None or b is None:
        return False
    return a[0] == b[0] and (not a[1] or not b[1] or a[1] == b[1])


def same_person(ours: Name, theirs: Name) -> bool:
    """Same family name and, when both give one, the same first initial; one
    of the two may be written family-first."""
    mine, other = name_keys(ours), name_keys(theirs)
    return (same_key(mine[0], other[0]) or same_key(mine[1], other[0])
            or same_key(mine[0], other[1]))  # fmt: skip


def matched(ours: tuple[Name, ...], theirs: tuple[Name, ...]) -> list[tuple[int, int]]:
    """Pairs (our index, their index) of the same person, each used once, in our order."""
    used: set[int] = set()
    pairs = []
    for i, mine in enumerate(ours):
        for j, other in enumerate(theirs):
            if j not in used and same_person(mine, other):
                used.add(j)
                pairs.append((i, j))
                break
    return pairs


def author_agreement(ours: tuple[Name, ...], theirs: tuple[Name, ...], truncated: bool) -> float:
    """The share of authors that both lists name (of the longer list; of ours
    when refs.bib ends with "and others")."""
    if not ours or not theirs:
        return 1.0
    whole = len(ours) if truncated else max(len(ours), len(theirs))
    return len(matched(ours, theirs)) / whole


def is_truncated(entry: Entry) -> bool:
    return any(is_others(p) for p in entry.persons.get("author", []))


# The identity gate.


def same_work(entry: Entry, theirs: Record) -> bool:
    """Whether *theirs* is a record of the entry's work: titles that agree
    and a good share of the authors, or authors that agree and a title with
    most of its words (a corrected title keeps its authors)."""
    ours = bib_record(entry)
    if not theirs.title:
        return False
    titles = title_similarity(ours.title, theirs)
    authors = author_agreement(ours.authors, theirs.authors, is_truncated(entry))
    first = (
        not ours.authors or not theirs.authors or same_person(ours.authors[0], theirs.authors[0])
    )
    return (titles >= 0.8 and authors >= 0.5) or (titles >= 0.5 and authors >= 0.8 and first)


def other_work(what: str, identifier: str, theirs: Record) -> Finding:
    """The finding that the entry's *identifier* (its DOI, its arXiv id) names
    another work, *theirs*: nothing of it is compared or proposed."""
    names = "; ".join(map(str, theirs.authors[:3])) + (" ..." if len(theirs.authors) > 3 else "")
    described = f"{theirs.title!r} by {names or 'no author'}"
    return Finding(what, identifier, described, theirs.source, kind="other-work")


# The fields.


def compare(key: str, entry: Entry, theirs: Record, *, venue: bool) -> list[Finding]:
    """Title, authors, year, pages, DOI (and the venue when *venue*) of
    *entry* against *theirs*, a record of the same work (see :func:`same_work`)."""
    ours = bib_record(entry)
    found = [
        title_finding(key, entry, ours, theirs),
        authors_finding(key, entry, ours, theirs),
        year_finding(key, ours, theirs),
        pages_finding(key, ours, theirs),
        doi_finding(key, ours, theirs),
    ]
    if venue:
        found.append(venue_finding(key, entry, ours, theirs))
    return [f for f in found if f is not None]


def title_finding(key: str, entry: Entry, ours: Record, theirs: Record) -> Finding | None:
    if not theirs.title or same_title(ours.title, theirs):
        return None
    shown = title_variants(theirs)[-1]
    raw = entry.fields.get("title", "")
    source_latex = theirs.source == "arXiv" and ("$" in theirs.title or "\\" in theirs.title)
    if "$" in raw or "\\" in raw:
        change = None  # the owner's LaTeX is never overwritten with Unicode: edit by hand
    elif source_latex:
        change = proposal(key, "title", theirs.title)  # arXiv's own LaTeX
    else:
        change = proposal(key, "title", escape(shown))
    return Finding("title", ours.title, shown, theirs.source, change)


def authors_finding(key: str, entry: Entry, ours: Record, theirs: Record) -> Finding | None:
    """Order and spelling; with "and others" only the authors listed are compared."""
    if not theirs.authors:
        return None
    truncated = is_truncated(entry)
    compared = theirs.authors[: len(ours.authors)] if truncated else theirs.authors
    same = len(compared) == len(ours.authors) and all(
        same_person(a, b) for a, b in zip(ours.authors, compared, strict=False)
    )
    if same:
        return None
    detail = author_differences(ours.authors, compared)
    # A brace in a record's name would let BibTeX read its " and " as a
    # separator once written: such a list is reported, never proposed.
    braced = any(c in "{}" for name in theirs.authors for c in name.last + name.given)
    change = (None if truncated or braced else
              proposal(key, "author", merged_authors(entry, theirs.authors)))  # fmt: skip
    return Finding("authors", detail[0], detail[1], theirs.source, change)


def author_differences(ours: tuple[Name, ...], theirs: tuple[Name, ...]) -> tuple[str, str]:
    """The differing positions only, so that a long list stays readable."""
    if len(ours) != len(theirs):
        return (f"{len(ours)} authors: " + "; ".join(map(str, ours)),
                f"{len(theirs)} authors: " + "; ".join(map(str, theirs)))  # fmt: skip
    pairs = [(i, a, b) for i, (a, b) in enumerate(zip(ours, theirs, strict=True), start=1)
             if not same_person(a, b)]  # fmt: skip
    return ("; ".join(f"#{i} {a}" for i, a, _ in pairs),
            "; ".join(f"#{i} {b}" for i, _, b in pairs))  # fmt: skip


def merged_authors(entry: Entry, theirs: tuple[Name, ...]) -> str:
    """The record's list, each author who matches one of ours kept as pybtex
    reads ours ("Last, Given"); the patch then keeps those names as refs.bib
    writes them, and writes the others in refs.bib's style (:func:`.patch.merged_names`)."""
    people = [p for p in entry.persons.get("author", []) if not is_others(p)]
    pairs = {j: i for i, j in matched(tuple(person_name(p) for p in people), theirs)}
    return " and ".join(
        str(people[pairs[j]]) if j in pairs else bibtex_name(name) for j, name in enumerate(theirs)
    )


def year_finding(key: str, ours: Record, theirs: Record) -> Finding | None:
    if not theirs.years or ours.year in theirs.years:
        return None
    return Finding("year", ours.year, theirs.year or "", theirs.source,
                   proposal(key, "year", theirs.year or ""))  # fmt: skip


def page_range(pages: str) -> tuple[str, str | None]:
    """(first page, last page or None): "1051--61" is (1051, 1061), "pp. 14–26"
    (14, 26), "e33693" (e33693, None)."""
    text = re.sub(r"^(pp?\.?|pages?)\s*", "", pages.strip(), flags=re.IGNORECASE)
    parts = DASHES.split(text, maxsplit=1)
    start = parts[0].strip()
    end = parts[1].strip() if len(parts) > 1 and parts[1].strip() else None
    if end and start.isdigit() and end.isdigit() and len(end) < len(start):
        end = start[: len(start) - len(end)] + end  # an abbreviated end
    return start, end


def pages_finding(key: str, ours: Record, theirs: Record) -> Finding | None:
    """Ranges compared as ranges. A record that gives only the first page (or
    an article number) never takes the end page away; an entry whose pages
    are the record's article number agrees."""
    if not ours.pages or not (theirs.pages or theirs.article_number):
        return None  # a missing range is not a wrong one
    mine = page_range(ours.pages)
    if theirs.article_number and mine[0].split(":")[0] == theirs.article_number.strip():
        return None  # "14:1--14:26" or "e33693": the article number
    if not theirs.pages:
        return None
    other = page_range(theirs.pages)
    if mine == other or (other[1] is None and mine[0] == other[0]):
        return None
    if other[1] is None:  # first page only: reported, never written over a range
        return Finding("pages", ours.pages, theirs.pages, theirs.source)
    value = f"{other[0]}--{other[1]}"
    return Finding("pages", ours.pages, theirs.pages, theirs.source, proposal(key, "pages", value))


def doi_finding(key: str, ours: Record, theirs: Record) -> Finding | None:
    if not theirs.doi or theirs.preprint:
        return None  # an arXiv DOI (10.48550/...) is not the paper's
    if not ours.doi:
        change = proposal(key, "doi", theirs.doi)
        return Finding("doi", None, theirs.doi, theirs.source, change, kind="missing")
    if normal_doi(ours.doi) == normal_doi(theirs.doi):
        return None
    return Finding("doi", ours.doi, theirs.doi, theirs.source, proposal(key, "doi", theirs.doi))


def venue_finding(key: str, entry: Entry, ours: Record, theirs: Record) -> Finding | None:
    """A venue agrees when it is the same venue written another way (see
    :mod:`.venues`): only a different venue is news."""
    if not (ours.venue and theirs.venue):
        return None
    if same_venue(ours.venue, theirs.venue, theirs.venue_key):
        return None
    field = "booktitle" if "booktitle" in entry.fields else "journal"
    return Finding("venue", ours.venue, theirs.venue, theirs.source,
                   proposal(key, field, escape(theirs.venue)))  # fmt: skip
