"""A paper as reference managers store it: one record per entry, read once.

Zotero's tags (:mod:`academic_portfolio.papers.zotero`), RIS and CSL-JSON
(:mod:`academic_portfolio.papers.exports`) are written from this view of the
paper's record (:mod:`academic_portfolio.data.paper`), which read the entry:
every text in it went through :func:`academic_portfolio.text.latex.plain`
there. It holds only what the entry says: a field the entry lacks is empty,
never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..data.paper import Name, Paper

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
    authors: tuple[Name, ...]
    editors: tuple[Name, ...]
    year: str
    month: int | None = None
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


def reference_type(paper: Paper) -> str:
    if paper.work_type:
        return "presentation"
    if paper.is_arxiv_preprint:
        return "preprint"
    return ZOTERO_TYPES[paper.entry_type]


def reference(paper: Paper) -> Reference:
    kind = paper.entry_type
    return Reference(
        key=paper.key,
        entry_type=kind,
        item_type=reference_type(paper),
        title=paper.title,
        authors=paper.authors,
        editors=paper.editors,
        year=paper.year,
        month=paper.month,
        container=paper.container,
        volume=paper.volume,
        issue=paper.number if kind == "article" else "",
        number=paper.number if kind in ("techreport", "patent") else "",
        first_page=paper.first_page,
        last_page=paper.last_page,
        publisher=paper.publisher,
        institution=paper.school or paper.institution,
        holder=paper.holder if kind == "patent" else "",
        genre=MASTERS_THESIS if kind == "mastersthesis" else paper.work_type,
        doi=paper.doi,
        isbn=paper.isbn,
        issn=paper.issn,
        url=paper.url,
        arxiv=paper.arxiv,
        abstract=paper.abstract,
    )
