"""What a skimming reader looks for first: where a paper appeared, and its status.

- The venue label, "<short venue> <year>" (``NeurIPS 2022``): the entry's own
  ``venue`` field; else the acronym its booktitle or journal ends with in
  parentheses ("... Systems (ICDCS)" -> ``ICDCS``); else, for a DBLP export,
  the venue its key names (``DBLP:conf/iros/...``) when :data:`DBLP_VENUES`
  knows it, or the braced acronym DBLP writes before the year ("...,
  {IROS} 2021, Prague, ..." -> ``IROS``); else the journal's name; an arXiv
  preprint says ``arXiv``. A paper with a booktitle and none of these gets
  no label, and the build names it (:mod:`academic_portfolio.papers.pages`).
- The status label: the entry's ``status`` field when set (one of
  :data:`STATUSES`); else what the entry says it is: a ``@misc`` or
  ``@unpublished`` with a ``type`` field (biblatex's, such as ``type = {Talk}``
  or ``{Invited talk}``) is labelled with it, as written; else what the entry
  type says (an arXiv ``@misc`` is a preprint, a thesis a thesis, a
  ``@patent`` a patent). Nothing else is ever guessed: a published paper with
  no ``status`` gets no status label.

Both are plain text; the pages make document nodes of them, the CV PDF strings.
"""

from __future__ import annotations

import re

from pybtex.database import Entry

from .bibstyle import is_arxiv
from .latex import plain

# The status values a refs.bib entry may give, as written in the field.
STATUSES = ("published", "accepted", "in press", "under review", "submitted", "preprint",
            "thesis", "technical report")  # fmt: skip
# The status an entry type says by itself.
TYPE_STATUSES = {"phdthesis": "thesis", "mastersthesis": "thesis", "techreport": "technical report",
                 "patent": "patent"}  # fmt: skip
# The entry types whose own ``type`` field says what the work is (a talk, a poster).
SELF_TYPED = ("misc", "unpublished")
# An acronym in parentheses at the end of a venue's name, such as "(NeurIPS)"
# or "(ICDCS)": a letter, then letters, digits and -&+/, with two capitals.
ACRONYM = re.compile(r"\(\s*((?=(?:[^)]*[A-Z]){2})[A-Za-z][A-Za-z0-9&+/\-]{1,19})\s*\)\s*$")


# DBLP's keys name the venue: DBLP:conf/iros/WangZWDQM21, DBLP:journals/ral/Name22.
DBLP_KEY = re.compile(r"^DBLP:(?:conf|journals)/([a-z0-9]+)/")
# The acronym DBLP braces before the year in a booktitle: "..., {IROS} 2021, Prague, ...".
BRACED_ACRONYM = re.compile(r"\{([A-Z][A-Za-z0-9&+/\-]{1,19})\}\s+(?:19|20)[0-9]{2}\b")
# The short names of venues by DBLP's key, where the key is not the name as written
# (case, or another name): a venue not here still gets its braced acronym.
DBLP_VENUES = {
    "nips": "NeurIPS", "neurips": "NeurIPS", "icml": "ICML", "iclr": "ICLR", "cvpr": "CVPR",
    "iccv": "ICCV", "eccv": "ECCV", "wacv": "WACV", "bmvc": "BMVC", "3dv": "3DV",
    "aaai": "AAAI", "ijcai": "IJCAI", "uai": "UAI", "aistats": "AISTATS", "colt": "COLT",
    "kdd": "KDD", "www": "WWW", "sigir": "SIGIR", "chi": "CHI", "acl": "ACL",
    "emnlp": "EMNLP", "naacl": "NAACL", "coling": "COLING", "interspeech": "Interspeech",
    "icassp": "ICASSP", "miccai": "MICCAI", "iros": "IROS", "icra": "ICRA", "rss": "RSS",
    "corl": "CoRL", "humanoids": "Humanoids", "case": "CASE", "l4dc": "L4DC", "cdc": "CDC",
    "icdcs": "ICDCS", "infocom": "INFOCOM", "mobicom": "MobiCom", "sensys": "SenSys",
    "ipsn": "IPSN", "ral": "RA-L", "trob": "T-RO", "ijrr": "IJRR", "pami": "TPAMI",
    "jmlr": "JMLR", "tmlr": "TMLR", "ijcv": "IJCV", "tip": "TIP", "corr": "arXiv",
}  # fmt: skip


def dblp_venue(entry: Entry) -> str:
    """The venue a DBLP export names: its key's venue if known, else its braced acronym."""
    key = DBLP_KEY.match(entry.key)
    if key and key.group(1) in DBLP_VENUES:
        return DBLP_VENUES[key.group(1)]
    raw = " ".join(entry.fields.get("booktitle", "").split())
    acronym = BRACED_ACRONYM.search(raw)
    return acronym.group(1) if acronym else ""


# The entry types of a work that is only a preprint, and how a venue field says
# the entry is arXiv's version: Google Scholar's journal = {arXiv preprint
# arXiv:...}, NASA ADS's "arXiv e-prints", DBLP's CoRR.
PREPRINT_TYPES = ("misc", "unpublished", "online", "preprint")
SAYS_ARXIV = re.compile(r"^\s*(?:arxiv\b|corr\b)", re.IGNORECASE)


def is_arxiv_preprint(entry: Entry) -> bool:
    """An entry that cites arXiv's version: a preprint type with an arXiv eprint
    (archiveprefix, or biblatex's eprinttype), or a journal or howpublished
    that names arXiv (the form Google Scholar exports, as an @article too)."""
    fields = entry.fields
    on_arxiv = is_arxiv(entry) or fields.get("eprinttype", "").strip().lower() == "arxiv"
    if entry.type in PREPRINT_TYPES and on_arxiv:
        return True
    venue = fields.get("journal") or fields.get("howpublished") or ""
    return bool(SAYS_ARXIV.match(plain(venue)))


def short_venue(entry: Entry) -> str:
    """The venue's short name, or "" when the entry names none."""
    fields = entry.fields
    if fields.get("venue", "").strip():
        return " ".join(plain(fields["venue"]).split())
    if is_arxiv_preprint(entry) and not fields.get("booktitle", "").strip():
        return "arXiv"
    for name in ("booktitle", "journal"):
        if fields.get(name, "").strip():
            full = " ".join(plain(fields[name]).split())
            acronym = ACRONYM.search(full)
            if acronym:
                return acronym.group(1)
            if dblp := dblp_venue(entry):
                return dblp
            if name == "journal":
                return full
    return "arXiv" if is_arxiv_preprint(entry) else ""


def venue_label(entry: Entry) -> str:
    """ "NeurIPS 2022", or "" for an entry with no venue."""
    venue = short_venue(entry)
    return f"{venue} {entry.fields['year']}" if venue else ""


def work_type(entry: Entry) -> str:
    """What a @misc or @unpublished says it is in its ``type`` field ("Talk"), or ""."""
    if entry.type not in SELF_TYPED or not entry.fields.get("type", "").strip():
        return ""
    return " ".join(plain(entry.fields["type"]).split())


def status_label(entry: Entry) -> str:
    """ "Preprint", "Under review", "Thesis", "Talk" ..., or "" when nothing says it."""
    status = entry.fields.get("status", "").strip() or work_type(entry)
    if not status:
        status = "preprint" if is_arxiv_preprint(entry) else TYPE_STATUSES.get(entry.type, "")
    return status[:1].upper() + status[1:]


def labels(entry: Entry) -> list[tuple[str, str]]:
    """The entry's (kind, text) labels, venue first: kind is "venue" or "status"."""
    found = [("venue", venue_label(entry)), ("status", status_label(entry))]
    return [(kind, text) for kind, text in found if text]


def status_problem(entry: Entry) -> str | None:
    status = entry.fields.get("status")
    if status is None or status in STATUSES:
        return None
    return (f"status is {status!r}: write one of {', '.join(STATUSES)} "
            "(in lowercase), or leave the field out.")  # fmt: skip


def venue_problem(entry: Entry) -> str | None:
    venue = entry.fields.get("venue")
    if venue is None:
        return None
    year = entry.fields.get("year", "")
    if not venue.strip():
        return "venue is empty: write the venue's short name, venue = {NeurIPS}, or leave it out."
    if year and re.search(rf"\b{re.escape(year)}\s*$", venue):
        short = venue.strip()[: -len(year)].strip()
        return (f"venue is {venue!r}: the year is added from the 'year' field, "
                f"write venue = {{{short}}}.")  # fmt: skip
    return None


# The sections of a publication list, in their order: what the entry says it
# is (its type, its status, a talk's ``type`` field), never guessed from text.
KINDS = ("Papers", "Preprints", "Theses", "Patents", "Talks", "Other works")
PREPRINT_STATUSES = ("preprint", "submitted", "under review")


def publication_kind(entry: Entry) -> str:
    """Which of :data:`KINDS` an entry belongs to."""
    status = entry.fields.get("status", "").strip()
    if entry.type in ("phdthesis", "mastersthesis") or status == "thesis":
        return "Theses"
    if entry.type == "patent":
        return "Patents"
    if "talk" in work_type(entry).casefold():
        return "Talks"
    if is_arxiv_preprint(entry) or status in PREPRINT_STATUSES:
        return "Preprints"
    if entry.type in SELF_TYPED:
        return "Other works"
    return "Papers"


def by_kind(entries: list[Entry]) -> list[tuple[str, list[Entry]]]:
    """(kind, entries) in the order of :data:`KINDS`, each kind's entries in the given order."""
    groups = [(kind, [e for e in entries if publication_kind(e) == kind]) for kind in KINDS]
    return [(kind, group) for kind, group in groups if group]
