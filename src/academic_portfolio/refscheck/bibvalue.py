"""What a value from a service may be once written into refs.bib, per field.

Every value the check proposes passes here twice: when a difference is found
(a value that fails is reported without a proposal) and when the patch is
written (:mod:`.patch`). A "}" in a page range or a year would close the
field and open new ones; a link may only be https or http."""

from __future__ import annotations

import re

from ..data.refsbib import ARXIV_ID, LINK_FIELDS
from ..text.latex import is_safe_link

# The forms of the fields that have one; other fields are text.
FIELD_FORMS = {
    "year": re.compile(r"\d{4}"),
    "pages": re.compile(r"[A-Za-z0-9.:]+(--[A-Za-z0-9.:]+)?"),
    # DOIs may hold almost any character; these would leave the braces or
    # mean something to BibTeX or LaTeX, and no DOI a paper needs has them.
    "doi": re.compile(r"10\.\d{4,9}/[^\s{}%\\\"#,~@]+"),
    "eprint": ARXIV_ID,
}

CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class UnsafeValue(ValueError):
    """A value that is not BibTeX for its field; the message says why."""


def bibtex_value(field: str, value: str) -> str:
    """*value* as it may be written in braces as *field*, or UnsafeValue.

    Links: https or http only, nothing that leaves an attribute. Year, pages,
    DOI, eprint: their own forms. Text fields: one line, braces balanced (and
    never closing the field), no "%" that LaTeX would read as a comment."""
    value = " ".join(value.split())  # a newline from a service is a space
    if CONTROL.search(value):
        raise UnsafeValue(f"the proposed {field} {value[:80]!r} holds control characters")
    if field in LINK_FIELDS or field == "url":
        if not is_safe_link(value) or not value.lower().startswith(("https://", "http://")):
            raise UnsafeValue(f"the proposed {field} {value[:80]!r} is not an https or http link")
        return value
    form = FIELD_FORMS.get(field)
    if form is not None and not form.fullmatch(value):
        raise UnsafeValue(f"the proposed {field} {value[:80]!r} is not a {field} refs.bib can hold")
    if not balanced(value) or re.search(r"(?<!\\)%", value) or value.endswith("\\"):
        raise UnsafeValue(f"the proposed {field} {value[:80]!r} is not balanced BibTeX text")
    return value


def balanced(value: str) -> bool:
    """Braces that open before they close and all close (an escaped \\{ counts
    for BibTeX too, which knows no escapes)."""
    depth = 0
    for char in value:
        depth += {"{": 1, "}": -1}.get(char, 0)
        if depth < 0:
            return False
    return depth == 0
