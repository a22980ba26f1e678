"""DBLP: publications found by title, ``https://dblp.org/search/publ/api?q=...&format=json``.

DBLP lists an arXiv preprint as a CoRR article and the published paper as a
record of its own: a non-CoRR record of the same title is a published
version. Titles end with "."; names may end with a number ("Jun Sun 0001")."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from .http import Client, ServiceError, malformed
from .records import Malformed, Name, Record, clean, dict_of, text_of

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
        hits = dict_of(dict_of(json.loads(response.body), "answer")["result"], "result")["hits"]
        found = dict_of(hits, "hits").get("hit", [])
        return [parse_info(dict_of(dict_of(hit, "hit")["info"], "info")) for hit in listed(found)]
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError) as error:
        client.forget(url)  # a rerun asks again
        raise malformed(NAME, str(error) if isinstance(error, Malformed) else repr(error)) from None


def parse_info(info: dict[str, Any]) -> Record:
    """A hit's info, every value checked for its type ("pages": 17 is malformed)."""
    venue = info.get("venue")
    venue = ", ".join(text_of(v, "venue") for v in listed(venue)) if venue else None
    authors = listed(dict_of(info.get("authors") or {}, "authors").get("author", []))
    year = text_of(info.get("year") or "", "year")
    key = text_of(info.get("key") or "", "key")
    return Record(
        source=NAME,
        title=clean(text_of(info["title"], "title")).rstrip("."),
        authors=tuple(Name.from_text(author_text(a)) for a in authors),
        years=(year,) if year else (),
        venue=clean(venue) if venue else None,
        pages=text_of(info["pages"], "pages") if info.get("pages") else None,
        doi=text_of(info["doi"], "doi") if info.get("doi") else None,
        preprint=venue == "CoRR",
        kind=text_of(info.get("type") or "", "type") or None,
        venue_key=key.rsplit("/", 1)[0] if key.count("/") >= 2 else None,
        eprint=corr_id(key),
    )


def author_text(author: Any) -> str:
    """An author of a hit: {"@pid": ..., "text": "Jun Sun 0001"}, or the text alone."""
    return text_of(author["text"] if isinstance(author, dict) else author, "author")


def corr_id(key: str) -> str | None:
    """The arXiv id of a CoRR record's key: journals/corr/abs-2005-14124 is 2005.14124."""
    prefix = "journals/corr/abs-"
    if not key.startswith(prefix):
        return None
    parts = key[len(prefix) :].split("-")
    return f"{parts[0]}.{parts[1]}" if len(parts) == 2 else None


def listed(value: Any) -> list[Any]:
    """DBLP's JSON gives one item as itself and several as a list."""
    return value if isinstance(value, list) else [value]
