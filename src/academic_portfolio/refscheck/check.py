"""Ask, for one refs.bib entry, the records that identify it, and compare.

Who is the authority for what: a DOI's Crossref record for the published
paper; without a DOI, DBLP's published (non-CoRR) record of the same work,
the version whose venue and type match the entry's; for a preprint, its arXiv
record. Every record passes the identity gate (:func:`.compare.same_work`)
before any field is compared: a record of another work is reported as such,
never compared. arXiv's ``journal_ref`` and ``doi``, a published DBLP record
of the work (found by the entry's title or by arXiv's) and Crossref's
relation to the arXiv id tell that a preprint has been published. Crossref's
``updated-by`` and ``update-to`` tell of retractions and corrections. A
service that fails is asked no more in this run (no hammering); the entries
it could not check are counted for the summary. With ``--offline``, an
answer missing from the cache leaves that entry unchecked by that service,
and the others are still answered from the cache."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from pybtex.database import Entry

from ..data.refsbib import ARXIV_ID, LINK_FIELDS, PRIVATE_FIELDS
from . import arxiv, crossref, dblp
from .compare import (
    Finding,
    bib_record,
    compare,
    other_work,
    proposal,
    same_title,
    same_work,
    title_key,
)
from .http import Client, ServiceError
from .records import Record, normal_doi
from .venues import same_venue

SERVICES = (crossref.NAME, arxiv.NAME, dblp.NAME)
PREPRINT_STATUSES = {"preprint", "submitted", "under review"}
MOVED = {301, 308}  # permanent; a 302 or 307 is a detour that may change back
ARXIV_DOI = "10.48550/arxiv."
# An arXiv id where an entry names it in text: Google Scholar's "arXiv
# preprint arXiv:2005.14124", "arXiv:2005.14124v2", DBLP's "CoRR abs/2005.14124".
ARXIV_IN_TEXT = re.compile(
    r"(?:arxiv(?:\s+preprint)?\s*(?:arxiv)?\s*[:/]?\s*|corr\s*,?\s*(?:vol\.?\s*)?abs/)"
    r"(\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?/\d{7})(?:v\d+)?",
    re.IGNORECASE,
)
ARXIV_URL = re.compile(
    r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5}|[a-z-]+(?:\.[a-z]{2})?/\d{7})(?:v\d+)?", re.IGNORECASE
)
SAYS_PREPRINT = re.compile(r"^\s*(arxiv|corr)\b", re.IGNORECASE)
# DBLP's type of record for each BibTeX type: the version an entry cites.
DBLP_KINDS = {
    "article": "Journal Articles",
    "inproceedings": "Conference and Workshop Papers",
    "conference": "Conference and Workshop Papers",
    "incollection": "Parts in Books or Collections",
    "book": "Books and Theses",
    "phdthesis": "Books and Theses",
    "mastersthesis": "Books and Theses",
}
RETRACTIONS = {"retraction", "withdrawal", "removal", "partial_retraction"}


def preprint_id(entry: Entry) -> str | None:
    """The entry's arXiv id, however it is written: ``eprint`` with
    ``archiveprefix`` (BibTeX) or ``eprinttype`` (biblatex) arXiv; a journal,
    howpublished, note or volume saying "arXiv preprint arXiv:..." or "CoRR
    abs/..."; an arxiv.org link; arXiv's DOI (10.48550/arXiv....)."""
    fields = {name.lower(): value for name, value in entry.fields.items()}
    eprint = fields.get("eprint", "").strip()
    kind = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    if eprint and kind == "arxiv":
        eprint = re.sub(r"^arxiv:\s*", "", eprint, flags=re.IGNORECASE)
        return re.sub(r"v\d+$", "", eprint) if ARXIV_ID.fullmatch(eprint) else None
    for name in ("journal", "howpublished", "note", "booktitle"):
        found = ARXIV_IN_TEXT.search(fields.get(name, ""))
        if found:
            return found[1]
    corr = re.fullmatch(r"\s*abs/(\S+?)(v\d+)?\s*", fields.get("volume", ""))
    if SAYS_PREPRINT.search(fields.get("journal", "")) and corr and ARXIV_ID.fullmatch(corr[1]):
        return corr[1]  # DBLP's BibTeX of a CoRR record: journal = {CoRR}, volume = {abs/...}
    doi = normal_doi(fields.get("doi", ""))
    if doi.startswith(ARXIV_DOI):
        return doi[len(ARXIV_DOI) :]
    for name in ("url", "pdf"):
        found = ARXIV_URL.search(fields.get(name, ""))
        if found:
            return found[1]
    return None


def is_preprint(entry: Entry) -> bool:
    """An entry that cites the arXiv version: its status says so; or it has
    an arXiv id and is a @misc, @unpublished or @techreport, or its journal or
    howpublished names arXiv or CoRR."""
    status = entry.fields.get("status", "").strip().lower()
    if status:
        return status in PREPRINT_STATUSES
    if not preprint_id(entry):
        return False
    if entry.type in ("misc", "unpublished", "techreport", "online", "preprint"):
        return True
    venue = entry.fields.get("journal") or entry.fields.get("howpublished") or ""
    return bool(SAYS_PREPRINT.search(venue))


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

    def unanswered(self, service: str) -> str:
        """Why *service* gave no answer for an entry, as its verdict says it."""
        if service in self.down:
            return f"{service} could not be asked"
        return f"{service}'s answer is not in the cache, asked offline"

    def check(self, key: str, entry: Entry) -> list[Finding]:
        found: list[Finding] = []
        why: list[str] = []  # why no record could be compared, if none was
        registered = self.registered(entry, found, why)
        eprint = preprint_id(entry)
        preprint = self.preprint(entry, eprint, found, why) if eprint else None
        if registered is not None and not self.same_as(entry, registered, preprint):
            found.append(other_work("doi", entry.fields["doi"], registered))
            registered = None
        hits = self.dblp_hits(entry, preprint, why)
        if is_preprint(entry):
            # The DOI's record, when it is of the published version, tells it too.
            known = [registered] if registered is not None and not registered.preprint else []
            found += self.preprint_findings(key, entry, preprint, known + hits)
            compared = preprint is not None
        elif registered is not None:
            found += compare(key, entry, registered, venue=True)
            compared = True
        else:
            chosen, others = choose_version(entry, [r for r in hits if not r.preprint])
            compared = chosen is not None
            if chosen is not None:
                found += compare(key, entry, chosen, venue=False)
            elif others:
                found.append(version_finding(others))
        if (
            preprint is not None
            and preprint.doi
            and "doi" not in entry.fields
            and not any(f.change and f.change.field == "doi" for f in found)
        ):  # the DOI the authors gave arXiv for the published paper
            change = proposal(key, "doi", preprint.doi)
            found.append(Finding("doi", None, preprint.doi, "arXiv", change, kind="missing"))
        settled = ("other-work", "notice", "unknown", "version")
        if not compared and not any(f.kind in settled for f in found):
            reason = "; ".join(why) or "it has no DOI or arXiv id and DBLP does not know its title"
            found.append(Finding("record", None, reason, "the check", kind="unchecked"))
        return found + (self.link_findings(key, entry) if self.links else [])

    def same_as(self, entry: Entry, record: Record, preprint: Record | None) -> bool:
        """Whether the DOI's record is the entry's work: the identity gate, or
        a relation to the entry's arXiv id (Crossref's has-preprint, or the
        DOI the authors gave arXiv), which holds under a changed title too."""
        if same_work(entry, record):
            return True
        eprint = preprint_id(entry)
        if eprint and record.eprint == eprint:
            return True
        doi = normal_doi(entry.fields.get("doi", ""))
        return bool(preprint and preprint.doi and normal_doi(preprint.doi) == doi)

    def registered(self, entry: Entry, found: list[Finding], why: list[str]):
        """The DOI's Crossref record (the identity gate comes after); notes what else it is."""
        doi = entry.fields.get("doi")
        if not doi or normal_doi(doi).startswith(ARXIV_DOI):
            return None
        answered, record = self.ask(crossref.NAME, crossref.lookup, doi, self.mailto)
        if isinstance(record, crossref.Elsewhere):
            found.append(Finding("doi", doi, record.agency, crossref.NAME, kind="elsewhere"))
            why.append(f"the DOI is registered with {record.agency}, which the check does not ask")
            return None
        if not answered:
            why.append(self.unanswered(crossref.NAME))
            return None
        if record is None:
            found.append(Finding("doi", doi, "", crossref.NAME, kind="unknown"))
            return None
        found += notice_findings(record)
        if record.update_to:
            return None  # the DOI is a notice's, not the work's: nothing to compare
        return record

    def preprint(self, entry: Entry, eprint: str, found: list[Finding], why: list[str]):
        """arXiv's record of *eprint* when it is of this work."""
        answered, record = self.ask(arxiv.NAME, arxiv.lookup, eprint)
        if not answered:
            why.append(self.unanswered(arxiv.NAME))
            return None
        if record is None:
            found.append(Finding("eprint", eprint, "", arxiv.NAME, kind="unknown"))
            return None
        if not same_work(entry, record):
            found.append(other_work("eprint", eprint, record))
            return None
        return record

    def dblp_hits(self, entry: Entry, preprint: Record | None, why: list[str]) -> list[Record]:
        """DBLP's records of this work, found by the entry's title, and by
        arXiv's when it differs (arXiv's newer version may carry the title the
        work was published under)."""
        title = bib_record(entry).title
        answered, hits = self.ask(dblp.NAME, dblp.search, title)
        hits = list(hits or [])
        if preprint is not None and title_key(preprint.title) != title_key(title):
            more = self.ask(dblp.NAME, dblp.search, preprint.title)[1] or []
            hits += more
        if not answered:
            why.append(self.unanswered(dblp.NAME))
        mine = [r for r in hits if same_work(entry, r) or related(preprint, r, hits)]
        if hits and not mine and any(same_title(title, r) for r in hits):
            why.append("DBLP's records of its title are of other authors")
        return mine

    def preprint_findings(
        self, key: str, entry: Entry, record: Record | None, hits: list[Record]
    ) -> list[Finding]:
        """A preprint against arXiv (title, authors), then whether it is published."""
        found = (
            [f for f in compare(key, entry, record, venue=False) if f.what not in ("year", "doi")]
            if record
            else []
        )
        published = [r for r in hits if not r.preprint]
        news = published_version(entry, record, published)
        if news is None:
            return found
        text, doi, sources = news
        change = proposal(key, "doi", doi) if doi and "doi" not in entry.fields else None
        ours = entry.fields.get("doi")
        # With the published version's DOI, the entry type and venue are the owner's call.
        kind = "advice" if doi and ours and normal_doi(ours) == normal_doi(doi) else "published"
        news = Finding("published", "listed as a preprint", text, sources, change, kind=kind)
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
                safe = proposal(key, name, new)  # None: not an https or http link
                change, web = (None if private else safe), safe is not None
                moved = f"moved permanently ({answer.status}) to {new}"
                if not web:
                    moved = (f"moved permanently ({answer.status}) to {new[:200]!r}, which is not "
                             "an https or http link: not proposed")  # fmt: skip
                found.append(Finding(name, url, moved, "the link", change, kind="moved"))
        return found


def related(preprint: Record | None, record: Record, hits: list[Record]) -> bool:
    """A published DBLP record of the preprint whose title changed: DBLP's
    CoRR record of the same arXiv id has its title and authors."""
    if preprint is None or record.preprint:
        return False
    corr = [h for h in hits if h.preprint and h.eprint and h.eprint == preprint.eprint]
    return any(same_title(c.title, record) for c in corr)


def notice_findings(record: Record) -> list[Finding]:
    """Retractions and corrections of the work (``updated-by``), or the DOI
    being itself a notice (``update-to``): always reported, never a change."""
    found, seen = [], set()
    for notice in record.updated_by:
        if (notice.kind, normal_doi(notice.doi)) in seen:
            continue  # the publisher and Retraction Watch may both record it
        seen.add((notice.kind, normal_doi(notice.doi)))
        what = "retracted" if notice.kind in RETRACTIONS else "corrected"
        found.append(Finding(what, None, notice.describe(), record.source, kind="notice"))
    for notice in record.update_to:
        about = f"refs.bib's DOI is a {notice.kind.replace('_', ' ')} notice"
        when = f" of {notice.date}" if notice.date else ""
        text = f"{about}{when} about {notice.doi}, not the work itself: cite the work's own DOI"
        found.append(Finding("notice", record.doi, text, record.source, kind="notice"))
    return found


def choose_version(entry: Entry, published: list[Record]) -> tuple[Record | None, list[Record]]:
    """Among DBLP's published records of the work, the version the entry
    cites: the one whose venue agrees with the entry's, or whose type (journal
    article, conference paper) and year do. None, with the other versions, when
    no record is that version: comparing would move the entry to another version."""
    if not published:
        return None, []
    ours = bib_record(entry)
    wanted = DBLP_KINDS.get(entry.type)

    def fit(record: Record) -> tuple[bool, bool, bool]:
        venue = bool(ours.venue and record.venue) and same_venue(
            ours.venue or "", record.venue or "", record.venue_key
        )
        return venue, record.kind == wanted, ours.year in record.years

    best = max(published, key=fit)
    venue, kind, year = fit(best)
    if venue or (kind and (year or not ours.venue)):
        return best, [r for r in published if r is not best]
    return None, published


def version_finding(others: list[Record]) -> Finding:
    """Another version of the work exists (a journal version of a conference
    paper ...): said, never proposed, since the entry cites its own version."""
    text = "; ".join(describe_record(r) for r in others[:3])
    return Finding("version", None, text, "DBLP", kind="version")


def describe_record(record: Record, *, doi: bool = True) -> str:
    parts = [f"{record.venue or '?'} {record.year or ''}".strip()]
    if record.pages:
        parts.append(f"pages {record.pages}")
    if doi and record.doi:
        parts.append(f"DOI {record.doi}")
    return ", ".join(parts)


def published_version(entry: Entry, arxiv_record: Record | None, published: list[Record]):
    """(what the records say of the published version, its DOI, the sources
    that say it), or None. The published record first (DBLP's, or the DOI's
    Crossref record; the version whose type fits the entry's), then arXiv's
    journal reference and DOI."""
    parts, doi, title, sources = [], None, None, []
    if published:
        record = choose_version(entry, published)[0] or published[0]
        parts.append(describe_record(record, doi=False))
        doi, sources = record.doi, [record.source]
        if not same_title(bib_record(entry).title, record):
            title = record.title
    if arxiv_record is not None and (arxiv_record.journal_ref or arxiv_record.doi):
        if arxiv_record.journal_ref and not parts:
            parts.append(arxiv_record.journal_ref)
        doi = doi or arxiv_record.doi
        sources.insert(0, "arXiv")
    if not parts and not doi:
        return None
    if doi:
        parts.append(f"DOI {doi}")
    if title:
        parts.append(f"under the title {title!r}")
    return ", ".join(parts), doi, " and ".join(sources)


def duplicates(entries: dict[str, Entry]) -> dict[str, Finding]:
    """Entries that are another entry's work again: the same DOI or the same
    arXiv id as an entry before them."""
    seen: dict[tuple[str, str], str] = {}
    found = {}
    for key, entry in entries.items():
        ids = []
        doi = entry.fields.get("doi")
        if doi and not normal_doi(doi).startswith(ARXIV_DOI):
            ids.append(("DOI", normal_doi(doi)))
        eprint = preprint_id(entry)
        if eprint:
            ids.append(("arXiv id", eprint.lower()))
        for ident in ids:
            if ident in seen and key not in found:
                text = f"the same {ident[0]} ({ident[1]}) as {seen[ident]}"
                found[key] = Finding("duplicate", seen[ident], text, "refs.bib", kind="duplicate")
            seen.setdefault(ident, key)
    return found
