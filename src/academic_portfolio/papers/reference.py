"""A paper as reference managers store it: one record per entry, read once.

Zotero's tags (:mod:`academic_portfolio.papers.zotero`), RIS and CSL-JSON
(:mod:`academic_portfolio.papers.exports`) are written from this record, and
every text in it went through :func:`academic_portfolio.text.latex.plain`,
the one path from refs.bib's LaTeX to text. It holds only what the entry
says: a field the entry lacks is empty, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pybtex.database import Entry, Person

from ..data.refsbib import arxiv_id
from ..text.latex import plain
from ..text.venue import is_arxiv_preprint, work_type
from .render import persons

# Zotero's item type of each entry type (as its BibTeX import reads them);
# a @misc on arXiv is a preprint, a typed @misc or @unpublished a talk or a
# poster (the engine's documentation, "Venue and status labels"): see reference_type().
ZOTERO_TYPES = {
    "article": "journalArticle", "inproceedings": "conferencePaper",
    "conference": "conferencePaper", "incollection": "bookSection", "inbook": "bookSection",
    "book": "book", "proceedings": "book", "phdthesis": "thesis", "mastersthesis": "thesis",
    "techreport": "report", "patent": "patent", "unpublished": "manuscript", "misc": "document",
}  # fmt: skip


# The type of a @mastersthesis, as Zotero's BibTeX import writes it (its
# export reads it back as @mastersthesis; any other thesis is a @phdthesis).
MASTERS_THESIS = "Master's Thesis"


@dataclass
class Reference:
    """What a reference manager keeps of an entry, as text."""

    key: str
    entry_type: str  # refs.bib's, lowercase
    item_type: str  # Zotero's
    title: str
    authors: list[tuple[str, str]]  # (family, given)
    editors: list[tuple[str, str]]
    year: str
    container: str = ""  # the journal, or the proceedings or book it is part of
    volume: str = ""
    issue: str = ""  # an article's number
    number: str = ""  # a report's or a patent's number
    first_page: str = ""
    last_page: str = ""
    publisher: str = ""
    institution: str = ""  # a thesis's school, a report's institution
    holder: str = ""  # a patent's
    genre: str = ""  # a talk's or a poster's own word ("Invited talk"), a master's thesis
    doi: str = ""
    isbn: str = ""
    issn: str = ""
    url: str = ""
    arxiv: str = ""
    abstract: str = ""
    extra: list[str] = field(default_factory=list)


def text(entry: Entry, name: str) -> str:
    """A field as one line of text ("" when the entry has none)."""
    return " ".join(plain(entry.fields.get(name, "")).split())


def family_given(person: Person) -> tuple[str, str]:
    """("van der Berg", "Jan"): the family name with its particles."""
    family = plain(" ".join(person.prelast_names + person.last_names))
    return family, plain(" ".join(person.first_names + person.middle_names))


def reference_type(entry: Entry) -> str:
    if work_type(entry):
        return "presentation"
    if is_arxiv_preprint(entry):
        return "preprint"
    return ZOTERO_TYPES[entry.type]


def pages(entry: Entry) -> tuple[str, str]:
    first, _, last = entry.fields.get("pages", "").replace("--", "-").partition("-")
    return first.strip(), last.strip()


def reference(entry: Entry) -> Reference:
    fields = entry.fields
    first, last = pages(entry)
    number = text(entry, "number")
    return Reference(
        key=entry.key,
        entry_type=entry.type,
        item_type=reference_type(entry),
        title=text(entry, "title"),
        authors=[family_given(p) for p in persons(entry)],
        editors=[family_given(p) for p in persons(entry, "editor")],
        year=fields["year"].strip(),
        container=text(entry, "journal") or text(entry, "booktitle"),
        volume=text(entry, "volume"),
        issue=number if entry.type == "article" else "",
        number=number if entry.type in ("techreport", "patent") else "",
        first_page=first,
        last_page=last,
        publisher=text(entry, "publisher"),
        institution=text(entry, "school") or text(entry, "institution"),
        holder=text(entry, "holder") if entry.type == "patent" else "",
        genre=MASTERS_THESIS if entry.type == "mastersthesis" else work_type(entry),
        doi=fields.get("doi", "").strip(),
        isbn=fields.get("isbn", "").strip(),
        issn=fields.get("issn", "").strip(),
        url=fields.get("url", "").strip(),
        arxiv=(arxiv_id(entry) or "").strip(),
        abstract=text(entry, "abstract"),
    )
