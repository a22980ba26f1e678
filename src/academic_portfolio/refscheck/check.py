"""Ask, for one refs.bib entry, the records that identify it, and compare.

Who is the authority for what: a DOI's Crossref record for the published
paper; without a DOI, DBLP's published (non-CoRR) record of the same title;
for a preprint, its arXiv record. arXiv's ``journal_ref`` and ``doi`` and a
published DBLP record tell that a preprint has been published. A service that
fails is asked no more in this run (no hammering); the entries it could not
check are counted for the summary. With ``--offline``, an answer missing from
the cache leaves that entry unchecked by that service, and the others are
still answered from the cache."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from pybtex.database import Entry

from ..latex import is_safe_link
from ..refsbib import LINK_FIELDS, PRIVATE_FIELDS, arxiv_id
from . import arxiv, crossref, dblp
from .compare import Change, Finding, bib_record, compare
from .http import Client, ServiceError
from .records import Record, normal_doi, same_title

SERVICES = (crossref.NAME, arxiv.NAME, dblp.NAME)
PREPRINT_STATUSES = {"preprint", "submitted", "under review"}
MOVED = {301, 308}  # permanent; a 302 or 307 is a detour that may change back


@dataclass
class Checker:
    client: Client
    bases: dict[str, str]  # service name -> base URL
    mailto: str | None = None
    links: bool = True  # ask each link whether it moved
    down: dict[str, ServiceError] = field(default_factory=dict)
    unchecked: dict[str, int] = field(default_factory=dict)  # service -> entries skipped
    not_cached: dict[str, int] = field(default_factory=dict)  # --offline: service -> misses

    def ask(self, service: str, question: Callable[..., Any], *args: Any) -> tuple[bool, Any]:
        """(whether the service answered, its answer); a service that fails is
        noted once and asked no more, a cache miss (--offline) is counted."""
        if service in self.down:
            self.unchecked[service] = self.unchecked.get(service, 0) + 1
            return False, None
        try:
            return True, question(self.client, self.bases[service], *args)
        except ServiceError as error:
            if error.not_cached:
                self.not_cached[service] = self.not_cached.get(service, 0) + 1
                return False, None
            self.down[service] = error
            self.unchecked[service] = self.unchecked.get(service, 0) + 1
            return False, None

    def check(self, key: str, entry: Entry) -> list[Finding]:
        title = bib_record(entry).title
        found: list[Finding] = []
        doi = entry.fields.get("doi")
        answered, registered = (
            self.ask(crossref.NAME, crossref.lookup, doi, self.mailto) if doi else (False, None)
        )
        if isinstance(registered, crossref.Elsewhere):
            found.append(Finding("doi", doi, registered.agency, crossref.NAME, kind="elsewhere"))
            registered = None
        elif answered and registered is None:
            found.append(Finding("doi", doi, "", crossref.NAME, kind="unknown"))
        eprint = arxiv_id(entry)
        answered, preprint = self.ask(arxiv.NAME, arxiv.lookup, eprint) if eprint else (False, None)
        if answered and preprint is None:
            found.append(Finding("eprint", eprint, "", arxiv.NAME, kind="unknown"))
        dblp_hits = self.ask(dblp.NAME, dblp.search, title)[1] or []
        published = best_match(title, entry, [r for r in dblp_hits if not r.preprint])
        if is_preprint(entry):
            found += self.preprint_findings(key, entry, preprint, published)
        elif registered is not None:
            found += compare(key, entry, registered, venue=True)
        elif published is not None:
            found += compare(key, entry, published, venue=False)
        proposed_doi = any(f.change and f.change.field == "doi" for f in found)
        if preprint and preprint.doi and not doi and not proposed_doi:
            change = Change(key, "doi", preprint.doi)
            found.append(Finding("doi", None, preprint.doi, "arXiv", change, kind="missing"))
        return found + (self.link_findings(key, entry) if self.links else [])

    def preprint_findings(
        self, key: str, entry: Entry, record: Record | None, published: Record | None
    ) -> list[Finding]:
        """A preprint against arXiv (title, authors), then whether it is published."""
        found = (
            [f for f in compare(key, entry, record, venue=False) if f.what != "year"]
            if record
            else []
        )
        news = published_version(record, published)
        if news is None:
            return found
        text, doi = news
        change = Change(key, "doi", doi) if doi and "doi" not in entry.fields else None
        source = " and ".join(s for s, r in (("arXiv", record), ("DBLP", published)) if r and (
            r is published or r.journal_ref or r.doi))  # fmt: skip
        found = [f for f in found if f.what != "doi"]
        ours = entry.fields.get("doi")
        # With the published version's DOI, the entry type and venue are the owner's call.
        kind = "advice" if doi and ours and normal_doi(ours) == normal_doi(doi) else "published"
        news = Finding("published", "listed as a preprint", text, source, change, kind=kind)
        return [*found, news]

    def link_findings(self, key: str, entry: Entry) -> list[Finding]:
        found = []
        for name in LINK_FIELDS:
            url = entry.fields.get(name, "")
            if urlsplit(url).scheme not in ("http", "https"):
                continue
            try:
                answer = self.client.get(url, f"link:{urlsplit(url).netloc}", method="HEAD")
            except ServiceError:
                continue  # a broken link is `nox -s linkcheck`'s report, not this one's
            target = answer.header("location")
            if answer.status in MOVED and target:
                new = urljoin(url, " ".join(target.split()))
                private = name in PRIVATE_FIELDS  # the owner's own field: report, never edit
                web = is_safe_link(new) and urlsplit(new).scheme in ("http", "https")
                change = None if private or not web else Change(key, name, new)
                moved = f"moved permanently ({answer.status}) to {new}"
                if not web:
                    moved = (f"moved permanently ({answer.status}) to {new[:200]!r}, which is not "
                             "an https or http link: not proposed")  # fmt: skip
                found.append(Finding(name, url, moved, "the link", change, kind="moved"))
        return found


def is_preprint(entry: Entry) -> bool:
    """An arXiv @misc or @unpublished (unless its status says otherwise), or any
    entry whose status says it is not yet published."""
    status = entry.fields.get("status", "").strip().lower()
    if status:
        return status in PREPRINT_STATUSES
    return bool(arxiv_id(entry)) and entry.type in ("misc", "unpublished")


def best_match(title: str, entry: Entry, records: list[Record]) -> Record | None:
    """The record of this paper among DBLP's hits: same title and, when both
    give authors, the same first author."""
    people = bib_record(entry).authors
    for record in records:
        if not same_title(title, record.title):
            continue
        if people and record.authors and not people[0].same_person(record.authors[0]):
            continue
        return record
    return None


def published_version(arxiv_record: Record | None, dblp_record: Record | None):
    """(what the records say of the published version, its DOI), or None."""
    parts, doi = [], None
    if dblp_record is not None:
        parts.append(f"{dblp_record.venue} {dblp_record.year or ''}".strip())
        if dblp_record.pages:
            parts.append(f"pages {dblp_record.pages}")
        doi = dblp_record.doi
    if arxiv_record is not None and (arxiv_record.journal_ref or arxiv_record.doi):
        if arxiv_record.journal_ref and not parts:
            parts.append(arxiv_record.journal_ref)
        doi = doi or arxiv_record.doi
    if not parts and not doi:
        return None
    if doi:
        parts.append(f"DOI {doi}")
    return ", ".join(parts), doi
