"""What search engines read of a paper: Google Scholar's tags and its JSON-LD.

Google Scholar's ``citation_*`` tags and schema.org JSON-LD of a paper
(``ScholarlyArticle``, ``Chapter``, ``Thesis`` ... by entry type), whose
owner-author is the home page's ``Person`` (one ``@id``): made here, put in
the page by :mod:`academic_portfolio.metadata.head`.
"""

from __future__ import annotations

import json
from typing import Any

from ..data.paper import Name, Paper

# Google Scholar's tag for the work an entry is part of, by entry type.
CONTAINER_TAGS = {
    "article": ("citation_journal_title", "journal"),
    "inproceedings": ("citation_conference_title", "booktitle"),
    "conference": ("citation_conference_title", "booktitle"),
    "incollection": ("citation_inbook_title", "booktitle"),
    "phdthesis": ("citation_dissertation_institution", "school"),
    "mastersthesis": ("citation_dissertation_institution", "school"),
    "techreport": ("citation_technical_report_institution", "institution"),
}  # the tag, and the record's attribute that holds its value


# The schema.org type of each entry type.
SCHEMA_TYPES = {
    "article": "ScholarlyArticle", "inproceedings": "ScholarlyArticle",
    "conference": "ScholarlyArticle", "misc": "ScholarlyArticle",
    "unpublished": "ScholarlyArticle", "incollection": "Chapter", "inbook": "Chapter",
    "book": "Book", "proceedings": "Book", "phdthesis": "Thesis", "mastersthesis": "Thesis",
    "techreport": "Report", "patent": "CreativeWork",  # schema.org has no Patent type
}  # fmt: skip


def scholar_tags(paper: Paper) -> list[tuple[str, str]]:
    """Google Scholar's citation_* tags, by its own names for each entry type,
    only for fields the entry has. A name is "Last, First, Jr" (the von part
    belongs to the last name)."""
    tags = [("citation_title", paper.title)]
    tags += [("citation_author", name.inverted) for name in paper.authors]
    tags.append(("citation_publication_date", paper.year))
    if paper.entry_type in CONTAINER_TAGS:
        tag, attribute = CONTAINER_TAGS[paper.entry_type]
        if value := getattr(paper, attribute):
            tags.append((tag, value))
    if paper.entry_type == "techreport" and paper.number:
        tags.append(("citation_technical_report_number", paper.number))
    if paper.publisher:
        tags.append(("citation_publisher", paper.publisher))
    if paper.volume:
        tags.append(("citation_volume", paper.volume))
    if paper.entry_type == "article" and paper.number:
        tags.append(("citation_issue", paper.number))
    if paper.first_page:
        tags.append(("citation_firstpage", paper.first_page))
    if paper.last_page:
        tags.append(("citation_lastpage", paper.last_page))
    for name, value in (("isbn", paper.isbn), ("issn", paper.issn), ("doi", paper.doi)):
        if value:
            tags.append((f"citation_{name}", value))
    if paper.arxiv:
        tags.append(("citation_arxiv_id", paper.arxiv))
    if paper.pdf:
        tags.append(("citation_pdf_url", paper.pdf))
    if paper.abstract:
        tags.append(("citation_abstract", paper.abstract))
    return tags


PERSON_ID = "#person"  # the home page's Person, the owner-author of every paper


def person_id(base_url: str) -> str:
    """The @id of the home page's Person (the owner), shared by every paper."""
    return base_url.rstrip("/") + "/" + PERSON_ID


def json_ld_person(name: Name, owner_id: str) -> dict[str, Any]:
    data = {"@type": "Person", "name": name.display}
    return {"@id": owner_id, **data} if name.is_owner else data


def json_ld_container(paper: Paper) -> dict[str, Any] | None:
    """Where the work appeared: the journal or proceedings, inside it the volume,
    inside that the issue (schema.org's PublicationVolume/PublicationIssue
    chain, read from the innermost part out)."""
    if not paper.container:
        return None
    kind = {"article": "Periodical", "incollection": "Book"}.get(
        paper.entry_type, "CreativeWorkSeries"
    )
    part: dict[str, Any] = {"@type": kind, "name": paper.container}
    if paper.volume:
        part = {"@type": "PublicationVolume", "volumeNumber": paper.volume, "isPartOf": part}
    if paper.entry_type == "article" and paper.number:
        part = {"@type": "PublicationIssue", "issueNumber": paper.number, "isPartOf": part}
    return part


def scholarly_work(paper: Paper, page_url: str, owner_id: str) -> dict[str, Any]:
    """schema.org JSON-LD of the paper, typed by its entry type; the owner
    among its people carries *owner_id*, the home page Person's @id."""
    kind = "CreativeWork" if paper.work_type else SCHEMA_TYPES[paper.entry_type]  # a talk, a poster
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": kind,
        "headline": paper.title,
        "name": paper.title,
        "author": [json_ld_person(name, owner_id) for name in paper.authors],
        "datePublished": paper.year,
        "url": page_url,
    }
    if paper.editors:
        data["editor"] = [json_ld_person(name, owner_id) for name in paper.editors]
    if paper.abstract:
        data["abstract"] = paper.abstract
    if container := json_ld_container(paper):
        data["isPartOf"] = container
    if paper.publisher:
        data["publisher"] = {"@type": "Organization", "name": paper.publisher}
    if institution := paper.school or paper.institution:
        data["sourceOrganization"] = {"@type": "Organization", "name": institution}
    if kind == "Thesis":
        data["inSupportOf"] = "PhD" if paper.entry_type == "phdthesis" else "Master's degree"
    if kind == "Report" and paper.number:
        data["reportNumber"] = paper.number
    if paper.first_page:
        data["pagination"] = "–".join(filter(None, (paper.first_page, paper.last_page)))
    if paper.doi:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": paper.doi}
    same_as = [url for label, url in paper.links if label != "Code"]
    if same_as:
        data["sameAs"] = same_as
    return data


def json_ld_script(data: dict[str, Any]) -> str:
    """A JSON-LD <script> whose text no value can end or turn into markup:
    <, > and & are written as JSON escapes (\\u003c ...), which every JSON
    parser reads back as the characters themselves."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    for char in "<>&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return f'<script type="application/ld+json">{text}</script>'
