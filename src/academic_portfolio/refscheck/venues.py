"""Venue names compared as venues: one conference written five ways is one venue.

A venue name is first reduced to what tells it apart: years, ordinals
("34th", "Thirty-Fourth"), "Proceedings of (the)", "Proc." and publisher
prefixes (IEEE, IEEE/CVF, ACM, Springer ...) go. Two names then agree when
one holds the other, when one abbreviates the other ("ACM Trans. Comput.
Log."), or when the alias table (``venues.yaml``, kept as data with its
source) names both as one venue, through a full name, an acronym or DBLP's
venue key (``conf/nips``)."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib.resources import files

import yaml

from .records import fold, words

ORDINAL = re.compile(
    r"\b(\d+(st|nd|rd|th)|((twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)\s)?"
    r"(first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth|eleventh|twelfth|"
    r"thirteenth|fourteenth|fifteenth|sixteenth|seventeenth|eighteenth|nineteenth|twentieth|"
    r"thirtieth|fortieth|fiftieth|sixtieth|seventieth|eightieth|ninetieth))\b"
)
YEAR = re.compile(r"\b(19|20)\d{2}\b|'\d{2}\b")
# Words that say who publishes or what kind of text it is, not which venue.
NOISE = re.compile(
    r"\b(proceedings|proc|in|of the|the|ieee|cvf|acm|sigsoft|sigplan|sigkdd|sigmod|springer|"
    r"pmlr|lncs|lecture notes in computer science|usenix|elsevier|annual|international|"
    r"volume|vol|part|workshops?)\b"
)
# Words that the full name has and the short one leaves out.
STOP_WORDS = {"on", "of", "the", "and", "for", "in", "a", "an", "at", "to"}


@dataclass(frozen=True)
class Venue:
    """One venue of the alias table: its id and every way it is written."""

    id: str
    names: tuple[str, ...]
    acronyms: tuple[str, ...]
    dblp: tuple[str, ...]
    dblp_names: tuple[str, ...]


@functools.cache
def table() -> tuple[Venue, ...]:
    data = yaml.safe_load((files(__package__) / "venues.yaml").read_text("utf-8"))
    return tuple(
        Venue(
            ident,
            tuple(v.get("names") or ()),
            tuple(v.get("acronyms") or ()),
            tuple(v.get("dblp") or ()),
            tuple(v.get("dblp_names") or ()),
        )
        for ident, v in data.items()
    )


@functools.lru_cache(maxsize=4096)
def core(text: str) -> str:
    """*text* without years, ordinals, "Proceedings of", publisher prefixes,
    parenthesised acronyms, spaces and punctuation: what names the venue."""
    text = re.sub(r"\([^)]*\)", " ", fold(text))
    text = ORDINAL.sub(" ", YEAR.sub(" ", text))
    text = re.sub(r"\b\d+\b", " ", words(text))  # a volume number: "... Systems 33"
    return " ".join(NOISE.sub(" ", text).split())


def acronyms_in(text: str) -> set[str]:
    """The tokens of *text* written as acronyms: "(CVPR)", "NeurIPS", "ISSTA '20"."""
    tokens = re.findall(r"[A-Za-z][A-Za-z-]*[A-Za-z]", text)
    return {t.lower() for t in tokens if sum(c.isupper() for c in t) >= 2}


def venue_ids(text: str, key: str | None = None) -> set[str]:
    """The alias table's venues *text* (and a DBLP venue key) names."""
    found, mine, short = set(), core(text), acronyms_in(text)
    for venue in table():
        if (
            (key and key in venue.dblp)
            or short & {a.lower() for a in venue.acronyms}
            or (mine and any(core(n) == mine for n in (*venue.names, *venue.dblp_names)))
            or any(fold(text).strip() == fold(n) for n in venue.dblp_names)
        ):
            found.add(venue.id)
    return found


def same_venue(ours: str, theirs: str, key: str | None = None) -> bool:
    """Whether two venue names (and DBLP's key of the second) are one venue."""
    mine, other = core(ours), core(theirs)
    if mine and other and (mine in other or other in mine):
        return True
    if mine and other and (abbreviates(mine, other) or abbreviates(other, mine)):
        return True
    if (
        words(ours) == words(theirs)
        or abbreviates(words(ours), words(theirs))
        or abbreviates(words(theirs), words(ours))
    ):
        return True
    return bool(venue_ids(ours) & venue_ids(theirs, key))


def abbreviates(short: str, full: str) -> bool:
    """Each word of *short* begins the next word of *full*, which may skip
    stop words ("on", "of" ...) and no other: "acm trans comput log" and "acm
    transactions on computational logic" (both as :func:`.records.words` gives them)."""
    theirs, at = full.split(), 0
    if not short.split():
        return False
    for word in short.split():
        while at < len(theirs) and theirs[at] in STOP_WORDS and not theirs[at].startswith(word):
            at += 1
        if at == len(theirs) or not theirs[at].startswith(word):
            return False
        at += 1
    return all(word in STOP_WORDS for word in theirs[at:])
