"""arXiv: an id's record, ``https://export.arxiv.org/api/query?id_list=<id>`` (Atom).

arXiv answers an unknown id with an empty feed, a malformed one with HTTP 400
and an entry titled "Error"; both mean "no such preprint" here. arXiv asks
for one request every 3 seconds."""

from __future__ import annotations

import re
from urllib.parse import urlencode
from xml.etree import ElementTree

from .http import Client, ServiceError, malformed
from .records import Malformed, Name, Record, clean

NAME = "arXiv"
BASE = "https://export.arxiv.org"
PACE = 3.0
NS = {"atom": "http://www.w3.org/2005/Atom", "arxiv": "http://arxiv.org/schemas/atom"}


def lookup(client: Client, base: str, arxiv_id: str) -> Record | None:
    url = f"{base}/api/query?{urlencode({'id_list': arxiv_id})}"
    response = client.get(url, NAME, accept="application/atom+xml")
    if response.status not in (200, 400):
        raise ServiceError(f"{NAME} answers HTTP {response.status} for the id {arxiv_id}.")
    try:
        feed = ElementTree.fromstring(response.body)
        if feed.tag != f"{{{NS['atom']}}}feed":
            raise Malformed(f"not an Atom feed (<{feed.tag[:40]}>)")
        entry = feed.find("atom:entry", NS)
        if entry is None or "/api/errors" in text(entry, "atom:id"):
            return None
        return parse_entry(entry)
    except (ElementTree.ParseError, Malformed, RecursionError, ValueError) as error:
        client.forget(url)  # a rerun asks again
        raise malformed(NAME, str(error)) from None


def parse_entry(entry: ElementTree.Element) -> Record:
    published = text(entry, "atom:published")
    return Record(
        source=NAME,
        title=clean(text(entry, "atom:title")),
        authors=tuple(
            Name.from_text(text(a, "atom:name")) for a in entry.findall("atom:author", NS)
        ),
        years=(published[:4],) if published else (),
        doi=text(entry, "arxiv:doi") or None,
        journal_ref=clean(text(entry, "arxiv:journal_ref")) or None,
        preprint=True,
        eprint=arxiv_id_of(text(entry, "atom:id")),
    )


def arxiv_id_of(url: str) -> str | None:
    """The id of an entry's <id> (http://arxiv.org/abs/2005.14124v1), without its version."""
    tail = url.split("/abs/", 1)[1] if "/abs/" in url else ""
    return re.sub(r"v\d+$", "", tail) or None


def text(element: ElementTree.Element, path: str) -> str:
    found = element.find(path, NS)
    return (found.text or "").strip() if found is not None else ""
