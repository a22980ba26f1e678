"""The papers as reference managers import them: RIS and CSL-JSON.

RIS is what EndNote, Mendeley and RefWorks import best; CSL-JSON what
citation.js, Pandoc and citeproc read. Both are written from
:func:`academic_portfolio.papers.reference.reference`, the same record as
Zotero's tags, so every text went through LaTeX-to-text once; RIS takes
each value on one line (the record's texts are single lines), CSL-JSON is
written by :func:`json.dumps`. Nothing is added that the entry does not say.
"""

from __future__ import annotations

import json
from typing import Any

from ..data.paper import Name, Paper
from .reference import Reference, reference

# RIS's type of each Zotero item type: Zotero's own RIS export's, except an
# @unpublished, which RIS calls UNPB; a preprint has no RIS type (GEN).
RIS_TYPES = {
    "journalArticle": "JOUR", "conferencePaper": "CONF", "bookSection": "CHAP",
    "book": "BOOK", "thesis": "THES", "report": "RPRT", "patent": "PAT",
    "manuscript": "UNPB", "presentation": "SLIDE", "preprint": "GEN", "document": "GEN",
}  # fmt: skip

# CSL's type of each Zotero item type (CSL 1.0.2: a preprint is an "article").
CSL_TYPES = {
    "journalArticle": "article-journal", "conferencePaper": "paper-conference",
    "bookSection": "chapter", "book": "book", "thesis": "thesis", "report": "report",
    "patent": "patent", "manuscript": "manuscript", "presentation": "speech",
    "preprint": "article", "document": "document",
}  # fmt: skip


def page_range(ref: Reference) -> str:
    return "-".join(filter(None, (ref.first_page, ref.last_page)))


def arxiv_note(ref: Reference) -> str:
    """The arXiv id as Zotero keeps it (``extra``) and exports it as a note."""
    return f"arXiv: {ref.arxiv}" if ref.arxiv else ""


def ris_lines(ref: Reference) -> list[tuple[str, str]]:
    """The record's RIS tags, in RIS's order (TY first, ER last), each where
    the RIS specification of 2011 puts it for the type (as Zotero reads it):
    a conference paper's venue as conference name (T2) and proceedings (C3),
    a patent's holder as its assignee (PB), a report's or a patent's number
    in SN, a thesis's or a talk's kind in M3."""
    lines = [("TY", RIS_TYPES[ref.item_type])]
    lines += [("AU", name.inverted) for name in ref.authors]
    lines += [("A2", name.inverted) for name in ref.editors]
    lines += [("TI", ref.title), ("T2", ref.container)]
    if ref.item_type == "conferencePaper":
        lines.append(("C3", ref.container))
    lines += [("PY", ref.year), ("DA", ris_date(ref)), ("VL", ref.volume), ("IS", ref.issue)]
    lines += [("SP", ref.first_page), ("EP", ref.last_page)]
    lines += [("PB", ref.publisher or ref.institution or ref.holder), ("M3", ref.genre)]
    lines += [("DO", ref.doi), ("SN", ref.number or ref.isbn or ref.issn), ("UR", ref.url)]
    lines += [("AB", ref.abstract), ("N1", arxiv_note(ref)), ("ER", "")]
    return [(tag, value) for tag, value in lines if value or tag == "ER"]


def ris_date(ref: Reference) -> str:
    """RIS's full date, "YYYY/MM", where the entry gives the month (PY holds
    the year alone): "" without one."""
    return f"{ref.year}/{ref.month:02d}" if ref.month else ""


def ris_record(paper: Paper) -> str:
    """One RIS record: ``TAG  - value`` lines, the last one ``ER  - ``."""
    return "".join(f"{tag}  - {value}\n" for tag, value in ris_lines(reference(paper)))


def ris_file(papers: list[Paper]) -> str:
    return ris_of_records([ris_record(paper) for paper in papers])


def ris_of_records(records: list[str]) -> str:
    return "\n".join(records)


def csl_name(name: Name) -> dict[str, str]:
    """CSL's name: the von part kept in the family name (as Zotero and
    citeproc-js read it), a Jr part as its suffix."""
    parts = {"family": name.family_with_von, "given": name.given, "suffix": name.jr}
    return {part: value for part, value in parts.items() if value}


def csl_names(names: tuple[Name, ...]) -> list[dict[str, str]]:
    return [csl_name(name) for name in names]


def csl_item(paper: Paper) -> dict[str, Any]:
    """The paper as one CSL-JSON item (CSL 1.0.2), only the fields it has."""
    ref = reference(paper)
    item: dict[str, Any] = {"id": ref.key, "type": CSL_TYPES[ref.item_type], "title": ref.title}
    if ref.authors:
        item["author"] = csl_names(ref.authors)
    if ref.editors:
        item["editor"] = csl_names(ref.editors)
    # Four digits (refsbib), and the month where the entry gives it.
    item["issued"] = {"date-parts": [[int(ref.year), *([ref.month] if ref.month else [])]]}
    optional = {
        "container-title": ref.container, "volume": ref.volume, "issue": ref.issue,
        "number": ref.number, "page": page_range(ref),
        "publisher": ref.publisher or ref.institution, "genre": ref.genre,
        "DOI": ref.doi, "ISBN": ref.isbn, "ISSN": ref.issn, "URL": ref.url,
        "abstract": ref.abstract, "note": arxiv_note(ref),
    }  # fmt: skip
    item.update({name: value for name, value in optional.items() if value})
    return item


def csl_file(papers: list[Paper]) -> str:
    return csl_of_items([csl_item(paper) for paper in papers])


def csl_of_items(items: list[dict[str, Any]]) -> str:
    return json.dumps(items, ensure_ascii=False, indent=1) + "\n"
