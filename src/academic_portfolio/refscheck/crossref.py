"""Crossref: a DOI's record, ``https://api.crossref.org/works/<doi>`` (JSON).

A 404 with the text "Resource not found." is Crossref's "no such DOI" among
its own; ``/works/<doi>/agency`` then tells whether another registration
agency (DataCite: Zenodo's 10.5281/..., arXiv's 10.48550/...) has it, or
answers 404 too for a DOI unknown anywhere."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urlencode

from .http import Client, ServiceError, malformed
from .records import Malformed, Name, Notice, Record, clean, dict_of, list_of, text_of

NAME = "Crossref"
BASE = "https://api.crossref.org"
PACE = 0.2  # seconds; X-Rate-Limit-* headers raise it when Crossref asks for less


@dataclass(frozen=True)
class Elsewhere:
    """A DOI registered with another agency than Crossref (its label: "DataCite")."""

    agency: str


def work_url(base: str, doi: str, mailto: str | None, tail: str = "") -> str:
    # Crossref's "polite pool": a mailto parameter as well as the User-Agent.
    query = f"?{urlencode({'mailto': mailto})}" if mailto else ""
    return f"{base}/works/{quote(doi, safe='/')}{tail}{query}"


def lookup(client: Client, base: str, doi: str, mailto: str | None) -> Record | Elsewhere | None:
    """Crossref's record of *doi*; Elsewhere if another agency registered it;
    None if no agency knows it."""
    response = client.get(work_url(base, doi, mailto), NAME, accept="application/json")
    if response.status in (400, 404, 410):  # 400: a DOI Crossref cannot even look up
        return agency(client, base, doi, mailto)
    if response.status != 200:
        raise ServiceError(f"{NAME} answers HTTP {response.status} for the DOI {doi}.")
    url = work_url(base, doi, mailto)
    try:
        return parse_work(dict_of(json.loads(response.body)["message"], "message"))
    except (ValueError, KeyError, TypeError, IndexError, AttributeError, RecursionError) as error:
        client.forget(url)  # a rerun asks again: the answer may be fixed by then
        raise malformed(NAME, str(error) if isinstance(error, Malformed) else repr(error)) from None


def first_text(work: dict[str, Any], name: str) -> str | None:
    """The first string of a list field ("title": ["..."]), or None."""
    values = list_of(work.get(name) or [], name)
    return clean(text_of(values[0], name)) if values else None


def optional_text(work: dict[str, Any], name: str) -> str | None:
    value = work.get(name)
    return None if value is None else clean(text_of(value, name))


def parse_work(work: dict[str, Any]) -> Record:
    """Crossref's work, every value checked for its type: a number where a
    string belongs ("page": 123) is a malformed answer, not a value to write."""
    authors = []
    for author in list_of(work.get("author") or [], "author"):
        author = dict_of(author, "an author")
        family = text_of(author.get("family") or author.get("name") or "", "an author's family")
        authors.append(Name(clean(family), clean(text_of(author.get("given", ""), "a given name"))))
    return Record(
        source=NAME,
        title=first_text(work, "title") or "",
        subtitle=first_text(work, "subtitle"),
        authors=tuple(authors),
        years=years(work),
        venue=first_text(work, "container-title"),
        pages=optional_text(work, "page"),
        article_number=optional_text(work, "article-number"),
        doi=optional_text(work, "DOI"),
        preprint=work.get("type") == "posted-content",
        kind=optional_text(work, "type"),
        updated_by=notices(work, "updated-by"),
        update_to=notices(work, "update-to"),
        eprint=preprint_of(work),
    )


def years(work: dict[str, Any]) -> tuple[str, ...]:
    """The print year first (what a reference gives), then online, then issued."""
    found = []
    for name in ("published-print", "published", "published-online", "issued"):
        date = date_of(dict_of(work.get(name) or {}, name))
        if date and date[:4] not in found:
            found.append(date[:4])
    return tuple(found)


def date_of(value: dict[str, Any]) -> str:
    """A Crossref date ({"date-parts": [[2010, 2, 6]]} or {"date-time": "..."}) as
    "2010-02-06" (as much of it as is given); "" when it gives none."""
    parts = list_of(value.get("date-parts") or [[]], "date-parts")
    first = list_of(parts[0] if parts else [], "date-parts") or []
    if first and first[0] is not None:
        if not all(isinstance(part, int) and not isinstance(part, bool) for part in first):
            raise Malformed(f"date-parts {first!r} are not numbers")
        return "-".join(f"{part:02d}" if i else f"{part:04d}" for i, part in enumerate(first[:3]))
    stamp = text_of(value.get("date-time") or "", "date-time")
    return stamp[:10]


def notices(work: dict[str, Any], name: str) -> tuple[Notice, ...]:
    """Crossref's updates: ``updated-by`` on a work that was retracted or
    corrected (from the publisher or from Retraction Watch), ``update-to`` on
    the notice itself."""
    found = []
    for update in list_of(work.get(name) or [], name):
        update = dict_of(update, name)
        found.append(Notice(
            kind=text_of(update.get("type") or "update", f"{name} type").lower(),
            doi=text_of(update.get("DOI") or "", f"{name} DOI"),
            date=date_of(dict_of(update.get("updated") or {}, f"{name} date")),
            source=text_of(update.get("source") or "", f"{name} source"),
        ))  # fmt: skip
    return tuple(found)


def preprint_of(work: dict[str, Any]) -> str | None:
    """The arXiv id Crossref relates to this work (``relation.has-preprint``
    naming arXiv's DOI 10.48550/arXiv.<id>), if any."""
    relation = dict_of(work.get("relation") or {}, "relation")
    for related in list_of(relation.get("has-preprint") or [], "has-preprint"):
        target = text_of(dict_of(related, "has-preprint").get("id") or "", "has-preprint id")
        if target.lower().startswith("10.48550/arxiv."):
            return target[len("10.48550/arxiv.") :]
    return None


def agency(client: Client, base: str, doi: str, mailto: str | None) -> Elsewhere | None:
    """The agency that registered *doi*, when it is not Crossref; None when none did."""
    url = work_url(base, doi, mailto, "/agency")
    response = client.get(url, NAME, accept="application/json")
    if response.status in (400, 404, 410):
        return None
    if response.status != 200:
        raise ServiceError(f"{NAME} answers HTTP {response.status} for the agency of {doi}.")
    try:
        found = json.loads(response.body)["message"]["agency"]
        name, label = str(found["id"]), str(found.get("label") or found["id"])
    except (ValueError, KeyError, TypeError, RecursionError) as error:
        client.forget(url)
        raise malformed(NAME, repr(error)) from None
    return None if name.lower() == "crossref" else Elsewhere(label)
