"""A paper as the pages show it: its citation, labels, abstract, as document nodes.

Data never becomes markup: field text is turned into document nodes
(:func:`rich_nodes`), which Sphinx escapes, never into Markdown source. The
citation is set in the site's pybtex style (:mod:`academic_portfolio.text.bibstyle`,
the owner in bold), the labels come from :mod:`academic_portfolio.text.venue`.
"""

from __future__ import annotations

import functools
import re

from docutils import nodes
from pybtex.database import Entry, Person
from pybtex_docutils import Backend as DocutilsBackend

from ..text.bibstyle import EQUAL_CONTRIBUTION_FIELD, PortfolioStyle, is_others
from ..text.latex import plain, text_backend, to_rich
from ..text.venue import labels

EQUAL_CONTRIBUTION_LEGEND = "* Equal contribution."


def person_name(person: Person) -> str:
    """'Süsstrunk, Sabine' -> 'Sabine Süsstrunk'; 'van der Berg, Jr, Jan' ->
    'Jan van der Berg, Jr' (BibTeX's own order, the Jr part kept)."""
    parts = person.first_names + person.middle_names + person.prelast_names + person.last_names
    lineage = " ".join(person.lineage_names)
    return plain(" ".join(parts) + (f", {lineage}" if lineage else ""))


def persons(entry: Entry, role: str = "author") -> list[Person]:
    """The people of a role, without BibTeX's "others" (never a person)."""
    return [p for p in entry.persons.get(role, []) if not is_others(p)]


def rich_nodes(latex: str) -> list[nodes.Node]:
    """A LaTeX field as document nodes (text, emphasis, links): never markup."""
    return to_rich(latex).render(docutils_backend())


@functools.cache
def docutils_backend() -> DocutilsBackend:
    return DocutilsBackend()


def formatted_entry(entry: Entry, style: PortfolioStyle):
    return style.format_entry("", entry)


def citation_nodes(entry: Entry, style: PortfolioStyle) -> list[nodes.Node]:
    return [docutils_backend().paragraph(formatted_entry(entry, style))]


def citation_text(entry: Entry, style: PortfolioStyle) -> str:
    return formatted_entry(entry, style).text.render(text_backend())  # not render_as: see there


def label_nodes(entry: Entry) -> list[nodes.Node]:
    """The venue and status labels ("NeurIPS 2022", "Preprint"), as text."""
    found = labels(entry)
    if not found:
        return []
    line = nodes.container(classes=["paper-labels"])  # a <div>: the first <p> is the citation
    for kind, text in found:
        line += nodes.inline("", text, classes=["paper-label", f"paper-label-{kind}"])
        line += nodes.Text(" ")
    return [line]


def abstract_nodes(entry: Entry) -> list[nodes.paragraph]:
    """The abstract's paragraphs (blank lines part them), as text."""
    text = entry.fields.get("abstract", "")
    return [nodes.paragraph("", "", *rich_nodes(part.strip()))
            for part in re.split(r"\n\s*\n", text) if part.strip()]  # fmt: skip


def has_equal_contribution(entries) -> bool:
    return any(EQUAL_CONTRIBUTION_FIELD in entry.fields for entry in entries)


def legend() -> nodes.paragraph:
    return nodes.paragraph("", EQUAL_CONTRIBUTION_LEGEND, classes=["equal-contribution-legend"])


def paper_description(entry: Entry, style: PortfolioStyle) -> str:
    """The citation, and what its "*" means where it has one."""
    text = citation_text(entry, style)
    return f"{text} {EQUAL_CONTRIBUTION_LEGEND}" if has_equal_contribution([entry]) else text
