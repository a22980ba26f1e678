"""What search engines read of a paper: Google Scholar's tags and its JSON-LD.

Google Scholar's ``citation_*`` tags and schema.org JSON-LD of a paper
(``ScholarlyArticle``, ``Chapter``, ``Thesis`` ... by entry type), whose
owner-author is the home page's ``Person`` (one ``@id``): made here, put in
the page by :mod:`academic_portfolio.metadata.head`.
"""

from __future__ import annotations

import json
from typing import Any

from pybtex.database import Entry, Person

from ..data.refsbib import arxiv_id, link
from ..text.bibstyle import page_range as pages_of
from ..text.bibstyle import same_person
from ..text.latex import plain
from ..text.venue import work_type
from .links import paper_links
from .render import person_name, persons

# Google Scholar's tag for the work an entry is part of, by entry type.
CONTAINER_TAGS = {
    "article": ("citation_journal_title", "journal"),
    "inproceedings": ("citation_conference_title", "booktitle"),
    "conference": ("citation_conference_title", "booktitle"),
    "incollection": ("citation_inbook_title", "booktitle"),
    "phdthesis": ("citation_dissertation_institution", "school"),
    "mastersthesis": ("citation_dissertation_institution", "school"),
    "techreport": ("citation_technical_report_institution", "institution"),
}


# The schema.org type of each entry type.
SCHEMA_TYPES = {
    "article": "ScholarlyArticle", "inproceedings": "ScholarlyArticle",
    "conference": "ScholarlyArticle", "misc": "ScholarlyArticle",
    "unpublished": "ScholarlyArticle", "incollection": "Chapter", "inbook": "Chapter",
    "book": "Book", "proceedings": "Book", "phdthesis": "Thesis", "mastersthesis": "Thesis",
    "techreport": "Report", "patent": "CreativeWork",  # schema.org has no Patent type
}  # fmt: skip


def page_range(entry: Entry) -> tuple[str, str]:
    return pages_of(entry.fields.get("pages", ""))


def scholar_name(person: Person) -> str:
    """Google Scholar's "Last, First": the von part belongs to the last name,
    a Jr part follows the first ("van der Berg, Jan, Jr.")."""
    last = " ".join(person.prelast_names + person.last_names)
    first = " ".join(person.first_names + person.middle_names)
    return plain(", ".join(filter(None, [last, first, " ".join(person.lineage_names)])))


def scholar_tags(entry: Entry) -> list[tuple[str, str]]:
    """Google Scholar's citation_* tags, by its own names for each entry type,
    only for fields the entry has."""
    fields = entry.fields
    tags = [("citation_title", plain(fields["title"]))]
    tags += [
        ("citation_author", scholar_name(p))
        for p in persons(entry)
    ]  # fmt: skip
    tags.append(("citation_publication_date", fields["year"]))
    if entry.type in CONTAINER_TAGS and CONTAINER_TAGS[entry.type][1] in fields:
        name, field_name = CONTAINER_TAGS[entry.type]
        tags.append((name, plain(fields[field_name])))
    if entry.type == "techreport" and "number" in fields:
        tags.append(("citation_technical_report_number", plain(fields["number"])))
    if "publisher" in fields:
        tags.append(("citation_publisher", plain(fields["publisher"])))
    if "volume" in fields:
        tags.append(("citation_volume", plain(fields["volume"])))
    if entry.type == "article" and "number" in fields:
        tags.append(("citation_issue", plain(fields["number"])))
    first, last = page_range(entry)
    if first:
        tags.append(("citation_firstpage", first))
    if last:
        tags.append(("citation_lastpage", last))
    for name in ("isbn", "issn", "doi"):
        if name in fields:
            tags.append((f"citation_{name}", fields[name]))
    if arxiv := arxiv_id(entry):
        tags.append(("citation_arxiv_id", arxiv))
    if "pdf" in fields:
        tags.append(("citation_pdf_url", link(entry, "pdf")))
    if fields.get("abstract", "").strip():
        tags.append(("citation_abstract", " ".join(plain(fields["abstract"]).split())))
    return tags


PERSON_ID = "#person"  # the home page's Person, the owner-author of every paper


def person_id(base_url: str) -> str:
    """The @id of the home page's Person (the owner), shared by every paper."""
    return base_url.rstrip("/") + "/" + PERSON_ID


def json_ld_person(person: Person, owner: Person | None, owner_id: str) -> dict[str, Any]:
    data = {"@type": "Person", "name": person_name(person)}
    if owner is not None and same_person(person, owner):
        data = {"@id": owner_id, **data}
    return data


def json_ld_container(entry: Entry) -> dict[str, Any] | None:
    """Where the work appeared: the journal or proceedings, inside it the volume,
    inside that the issue (schema.org's PublicationVolume/PublicationIssue
    chain, read from the innermost part out)."""
    fields = entry.fields
    name = fields.get("journal") or fields.get("booktitle")
    if not name:
        return None
    kind = {"article": "Periodical", "incollection": "Book"}.get(entry.type, "CreativeWorkSeries")
    part: dict[str, Any] = {"@type": kind, "name": plain(name)}
    if fields.get("volume"):
        part = {
            "@type": "PublicationVolume",
            "volumeNumber": plain(fields["volume"]),
            "isPartOf": part,
        }
    if entry.type == "article" and fields.get("number"):
        part = {
            "@type": "PublicationIssue",
            "issueNumber": plain(fields["number"]),
            "isPartOf": part,
        }
    return part


def scholarly_work(
    entry: Entry, page_url: str, owner: Person | None, owner_id: str
) -> dict[str, Any]:
    """schema.org JSON-LD of the entry, typed by its entry type; the *owner*
    among its people carries *owner_id*, the home page Person's @id."""
    fields = entry.fields
    kind = "CreativeWork" if work_type(entry) else SCHEMA_TYPES[entry.type]  # a talk, a poster
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": kind,
        "headline": plain(fields["title"]),
        "name": plain(fields["title"]),
        "author": [json_ld_person(p, owner, owner_id) for p in persons(entry)],
        "datePublished": fields["year"],
        "url": page_url,
    }
    if persons(entry, "editor"):
        data["editor"] = [json_ld_person(p, owner, owner_id) for p in persons(entry, "editor")]
    if fields.get("abstract", "").strip():
        data["abstract"] = " ".join(plain(fields["abstract"]).split())
    container = json_ld_container(entry)
    if container:
        data["isPartOf"] = container
    if fields.get("publisher"):
        data["publisher"] = {"@type": "Organization", "name": plain(fields["publisher"])}
    institution = fields.get("school") or fields.get("institution")
    if institution:
        data["sourceOrganization"] = {"@type": "Organization", "name": plain(institution)}
    if kind == "Thesis":
        data["inSupportOf"] = "PhD" if entry.type == "phdthesis" else "Master's degree"
    if kind == "Report" and "number" in fields:
        data["reportNumber"] = plain(fields["number"])
    if "pages" in fields:
        data["pagination"] = "–".join(filter(None, page_range(entry)))
    if "doi" in fields:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": fields["doi"]}
    same_as = [url for label, url in paper_links(entry) if label != "Code"]
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
