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

from .http import Client, ServiceError
from .records import Name, Record, clean

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
    try:
        return parse_work(json.loads(response.body)["message"])
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as error:
        raise ServiceError(f"{NAME} gave an answer that cannot be read ({error!r}).") from None


def parse_work(work: dict[str, Any]) -> Record:
    authors = tuple(
        Name(clean(a.get("family") or a.get("name", "")), clean(a.get("given", "")))
        for a in work.get("author", [])
    )
    return Record(
        source=NAME,
        title=clean((work.get("title") or [""])[0]),
        authors=authors,
        years=years(work),
        venue=clean(work["container-title"][0]) if work.get("container-title") else None,
        pages=work.get("page"),
        doi=work.get("DOI"),
        preprint=work.get("type") == "posted-content",
    )


def years(work: dict[str, Any]) -> tuple[str, ...]:
    """The print year first (what a reference gives), then online, then issued."""
    found = []
    for name in ("published-print", "published", "published-online", "issued"):
        parts = (work.get(name) or {}).get("date-parts") or [[None]]
        if parts[0] and parts[0][0] and str(parts[0][0]) not in found:
            found.append(str(parts[0][0]))
    return tuple(found)


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
    except (ValueError, KeyError, TypeError) as error:
        raise ServiceError(f"{NAME} gave an answer that cannot be read ({error!r}).") from None
    return None if name.lower() == "crossref" else Elsewhere(label)
