"""A refs.bib entry read once: the typed paper record every page feature renders.

:func:`paper_record` reads an entry's fields and people one time, into a
frozen :class:`Paper`: its texts as plain text (through
:func:`academic_portfolio.text.latex.plain`, the one path from LaTeX to text)
and, where a page sets them, as rich text; its people parsed into their four
parts; its kind, venue and status labels (:mod:`academic_portfolio.text.venue`
decides them); its pages, date, identifiers, links and abstract paragraphs.
The paper pages, the lists, Scholar's tags and JSON-LD, Zotero's tags, RIS
and CSL-JSON, the cards and the CV PDF read this record, never the entry's
raw fields, so a fix to how a field is read is made here, once.
:class:`~academic_portfolio.data.store.PortfolioDomain` keeps one record per
entry and content for the whole build.

The record holds only what the entry says: a field the entry lacks is empty
(``""``, ``None``), never guessed. Two things still need the pybtex entry
itself, and only these: the site's pybtex style, which sets the citation
(:attr:`Paper.entry`), and the BibTeX box, which shows the source as written
(:attr:`Paper.bibtex_fields`, the private fields removed).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from pybtex.database import Entry, Person
from pybtex.richtext import Text

from ..text.bibstyle import (
    EQUAL_CONTRIBUTION_FIELD,
    equal_contributors,
    is_arxiv,
    is_others,
    page_range,
    same_person,
)
from ..text.latex import plain, to_rich
from ..text.venue import (
    KINDS,
    is_arxiv_preprint,
    labels,
    publication_kind,
    short_venue,
    status_label,
    venue_label,
    work_type,
)
from .refsbib import arxiv_id, is_private, link, paper_slug

# BibTeX's month forms: its macros (jan, which pybtex expands to "January"),
# the name written out or cut ("Jan."), or the number ("1", "01").
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august",
          "september", "october", "november", "december")  # fmt: skip
PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# Any run of white space but a no-break space (LaTeX's tie, ~, which keeps
# "Fig.~3" together in a title wherever it is shown): one space.
SPACES = re.compile(r"[^\S\u00a0\u202f]+")


@dataclass(frozen=True)
class Name:
    """A person of the entry, BibTeX's four parts as plain text: "Jan" (given),
    "van der" (von), "Berg" (family), "Jr" (jr). Each part went through
    :func:`~academic_portfolio.text.latex.plain` once, here, so a braced
    accent (``Garc{\\'{\\i}}a``) reads "García" in every output."""

    given: str
    von: str
    family: str
    jr: str
    is_owner: bool = False  # the site's owner (portfolio_owner)
    equal: bool = False  # listed in the entry's equal_contribution

    @property
    def family_with_von(self) -> str:
        """ "van der Berg": the family name with its particles."""
        return " ".join(filter(None, (self.von, self.family)))

    @property
    def display(self) -> str:
        """ "Jan van der Berg, Jr": BibTeX's own order, the Jr part kept."""
        name = " ".join(filter(None, (self.given, self.family_with_von)))
        return f"{name}, {self.jr}" if self.jr else name

    @property
    def inverted(self) -> str:
        """ "van der Berg, Jan, Jr": Google Scholar's and RIS's order."""
        return ", ".join(filter(None, (self.family_with_von, self.given, self.jr)))


@dataclass(frozen=True)
class Paper:
    """One refs.bib entry, read: see the module's documentation."""

    key: str
    slug: str  # its page's address, /publications/<slug>/
    entry_type: str  # refs.bib's, lowercase
    kind: str  # the publication list's section: "Papers", "Preprints", "Theses" ...
    work_type: str  # a talk's or a poster's own word ("Invited talk"), or ""
    title: str
    title_rich: Text
    authors: tuple[Name, ...]
    editors: tuple[Name, ...]
    et_al: bool  # the authors end with BibTeX's "and others"
    year: str
    month: int | None  # 1 to 12, when the entry gives one BibTeX form of it
    venue: str  # the short venue ("NeurIPS"), or ""
    venue_label: str  # "NeurIPS 2022", or ""
    status: str  # the status label ("Preprint"), or ""
    labels: tuple[tuple[str, str], ...]  # (kind, text): venue first, then status
    journal: str
    booktitle: str
    school: str
    institution: str
    howpublished: str
    publisher: str
    holder: str  # a patent's
    volume: str
    number: str  # an article's issue, a report's or a patent's number
    first_page: str
    last_page: str  # in full: "1051--61" gives 1061
    doi: str
    isbn: str
    issn: str
    url: str  # https or http only (refsbib.is_web_link), as are pdf and the links
    pdf: str
    eprint: str
    arxiv: str  # the arXiv id, when the eprint is on arXiv
    links: tuple[tuple[str, str], ...]  # (label, url) buttons, in a fixed order
    abstract: str  # one line of plain text
    abstract_rich: tuple[Text, ...]  # its paragraphs (a blank line starts one)
    has_equal_contribution: bool
    is_arxiv: bool  # archiveprefix = {arXiv}
    is_arxiv_preprint: bool  # cites arXiv's version (text.venue.is_arxiv_preprint)
    bibtex_fields: tuple[tuple[str, str], ...]  # as written, the private ones removed
    entry: Entry  # for the site's pybtex style only, which sets the citation

    @property
    def container(self) -> str:
        """The journal, or the proceedings or book the work is part of."""
        return self.journal or self.booktitle

    @property
    def label_or_year(self) -> str:
        """ "NeurIPS 2022", or the year alone for an entry with no venue."""
        return self.venue_label or self.year


def one_line(latex: str) -> str:
    """A field's LaTeX as one line of plain text ("" for none)."""
    return SPACES.sub(" ", plain(latex)).strip()


def name(person: Person, owner: Person | None, equal: list[Person]) -> Name:
    def part(names: list[str]) -> str:
        return one_line(" ".join(names))

    return Name(
        given=part(person.first_names + person.middle_names),
        von=part(person.prelast_names),
        family=part(person.last_names),
        jr=part(person.lineage_names),
        is_owner=owner is not None and same_person(person, owner),
        equal=any(same_person(person, other) for other in equal),
    )


def names(entry: Entry, role: str, owner: Person | None) -> tuple[Name, ...]:
    """The people of a role, without BibTeX's "others" (never a person)."""
    equal = equal_contributors(entry)
    people = entry.persons.get(role, [])
    return tuple(name(p, owner, equal) for p in people if not is_others(p))


def month_number(value: str) -> int | None:
    """1 for "jan", "January", "Jan." or "1"; None for anything else."""
    text = one_line(value).rstrip(".").casefold()
    if text.isdigit():
        return int(text) if 1 <= int(text) <= 12 else None
    if len(text) >= 3:
        found = [number for number, month in enumerate(MONTHS, 1) if month.startswith(text)]
        return found[0] if len(found) == 1 else None
    return None


def full_last_page(first: str, last: str) -> str:
    """The last page in full: "1051" to "61" is 1061 (an abbreviated range,
    as some publishers write it); any other last page as written."""
    if first.isdigit() and last.isdigit() and len(last) < len(first):
        return first[: len(first) - len(last)] + last
    return last


def pages(value: str) -> tuple[str, str]:
    """First and last page of "1051--1061", "1051--61", "24-29", "24–29";
    an article number ("e1003") is a first page alone."""
    first, last = page_range(one_line(value))
    return first, full_last_page(first, last)


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(doi, safe="/:;()._-")


def paper_links(entry: Entry) -> tuple[tuple[str, str], ...]:
    """The (label, url) buttons an entry's fields give, in a fixed order."""
    fields = entry.fields
    found = []
    if "url" in fields:
        found.append(("Paper", link(entry, "url")))
    if "pdf" in fields:
        found.append(("PDF", link(entry, "pdf")))
    if "doi" in fields:
        found.append(("DOI", doi_url(fields["doi"])))
    if arxiv := arxiv_id(entry):
        found.append(("arXiv", f"https://arxiv.org/abs/{arxiv}"))
    if "openreview" in fields:
        found.append(("OpenReview", link(entry, "openreview")))
    if "code" in fields:
        found.append(("Code", link(entry, "code")))
    return tuple(found)


def abstract_paragraphs(value: str) -> tuple[Text, ...]:
    return tuple(to_rich(part.strip()) for part in PARAGRAPH_BREAK.split(value) if part.strip())


def paper_record(entry: Entry, owner: Person | None = None) -> Paper:
    """The entry, read once (*owner*: the site's owner, marked among its people)."""
    fields = entry.fields

    def text(field_name: str) -> str:
        return one_line(fields.get(field_name, ""))

    def raw(field_name: str) -> str:
        return fields.get(field_name, "").strip()

    first, last = pages(fields.get("pages", ""))
    abstract = fields.get("abstract", "")
    return Paper(
        key=entry.key,
        slug=paper_slug(entry),
        entry_type=entry.type,
        kind=publication_kind(entry),
        work_type=work_type(entry),
        title=text("title"),
        title_rich=to_rich(fields["title"]),
        authors=names(entry, "author", owner),
        editors=names(entry, "editor", owner),
        et_al=any(is_others(p) for p in entry.persons.get("author", [])),
        year=raw("year"),
        month=month_number(fields.get("month", "")),
        venue=short_venue(entry),
        venue_label=venue_label(entry),
        status=status_label(entry),
        labels=tuple(labels(entry)),
        journal=text("journal"),
        booktitle=text("booktitle"),
        school=text("school"),
        institution=text("institution"),
        howpublished=text("howpublished"),
        publisher=text("publisher"),
        holder=text("holder"),
        volume=text("volume"),
        number=text("number"),
        first_page=first,
        last_page=last,
        doi=raw("doi"),
        isbn=raw("isbn"),
        issn=raw("issn"),
        url=link(entry, "url").strip() if "url" in fields else "",
        pdf=link(entry, "pdf") if "pdf" in fields else "",
        eprint=raw("eprint"),
        arxiv=(arxiv_id(entry) or "").strip(),
        links=paper_links(entry),
        abstract=one_line(abstract),
        abstract_rich=abstract_paragraphs(abstract),
        has_equal_contribution=EQUAL_CONTRIBUTION_FIELD in fields,
        is_arxiv=is_arxiv(entry),
        is_arxiv_preprint=is_arxiv_preprint(entry),
        bibtex_fields=tuple((n, v) for n, v in fields.items() if not is_private(n)),
        entry=entry,
    )


def by_kind(papers: list[Paper]) -> list[tuple[str, list[Paper]]]:
    """(kind, papers) in the order of :data:`~academic_portfolio.text.venue.KINDS`,
    each kind's papers in the given order."""
    groups = [(kind, [p for p in papers if p.kind == kind]) for kind in KINDS]
    return [(kind, group) for kind, group in groups if group]
