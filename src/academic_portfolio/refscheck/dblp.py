"""DBLP: publications found by title, ``https://dblp.org/search/publ/api?q=...&format=json``.

DBLP lists an arXiv preprint as a CoRR article and the published paper as a
record of its own: a non-CoRR record of the same title is a published
version. Titles end with "."; names may end with a number ("Jun Sun 0001")."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from .http import Client, ServiceError
from .records import Name, Record, clean

NAME = "DBLP"
BASE = "https://dblp.org"
PACE = 1.0  # DBLP publishes no figure; one a second is what its FAQ calls reasonable
HITS = 10


def search(client: Client, base: str, title: str) -> list[Record]:
    """DBLP's records whose titles match *title* best, in DBLP's order."""
    url = f"{base}/search/publ/api?{urlencode({'q': title, 'format': 'json', 'h': HITS})}"
    response = client.get(url, NAME, accept="application/json")
    if response.status != 200:
        raise ServiceError(f"{NAME} answers HTTP {response.status} to a title search.")
    try:
        hits = json.loads(response.body)["result"]["hits"]
        found = hits.get("hit", [])
        return [parse_info(hit["info"]) for hit in listed(found)]
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        raise ServiceError(f"{NAME} gave an answer that cannot be read ({error!r}).") from None


def parse_info(info: dict[str, Any]) -> Record:
    venue = info.get("venue")
    venue = ", ".join(listed(venue)) if venue else None
    authors = listed((info.get("authors") or {}).get("author", []))
    return Record(
        source=NAME,
        title=clean(info["title"]).rstrip("."),
        authors=tuple(Name.from_text(a["text"] if isinstance(a, dict) else a) for a in authors),
        years=(str(info["year"]),) if info.get("year") else (),
        venue=venue,
        pages=info.get("pages"),
        doi=info.get("doi"),
        preprint=venue == "CoRR",
    )


def listed(value: Any) -> list[Any]:
    """DBLP's JSON gives one item as itself and several as a list."""
    return value if isinstance(value, list) else [value]
