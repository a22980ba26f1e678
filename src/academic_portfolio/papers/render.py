"""A paper as the pages show it: its citation, labels, abstract, as document nodes.

Data never becomes markup: field text is turned into document nodes
(:func:`rich_nodes`), which Sphinx escapes, never into Markdown source. The
citation is set in the site's pybtex style (:mod:`academic_portfolio.text.bibstyle`,
the owner in bold), the labels come from :mod:`academic_portfolio.text.venue`.
"""

from __future__ import annotations

import functools

from docutils import nodes
from pybtex.richtext import Text
from pybtex_docutils import Backend as DocutilsBackend

from ..data.paper import Paper
from ..text.bibstyle import PortfolioStyle
from ..text.latex import text_backend

EQUAL_CONTRIBUTION_LEGEND = "* Equal contribution."


def rich_nodes(text: Text) -> list[nodes.Node]:
    """A record's rich text as document nodes (text, emphasis, links): never markup."""
    return text.render(docutils_backend())


@functools.cache
def docutils_backend() -> DocutilsBackend:
    return DocutilsBackend()


def formatted_entry(paper: Paper, style: PortfolioStyle):
    return style.format_entry("", paper.entry)


def citation_nodes(paper: Paper, style: PortfolioStyle) -> list[nodes.Node]:
    return [docutils_backend().paragraph(formatted_entry(paper, style))]


def citation_text(paper: Paper, style: PortfolioStyle) -> str:
    return formatted_entry(paper, style).text.render(text_backend())  # not render_as: see there


def label_nodes(paper: Paper) -> list[nodes.Node]:
    """The venue and status labels ("NeurIPS 2022", "Preprint"), as text."""
    found = paper.labels
    if not found:
        return []
    line = nodes.container(classes=["paper-labels"])  # a <div>: the first <p> is the citation
    for kind, text in found:
        line += nodes.inline("", text, classes=["paper-label", f"paper-label-{kind}"])
        line += nodes.Text(" ")
    return [line]


def abstract_nodes(paper: Paper) -> list[nodes.paragraph]:
    """The abstract's paragraphs (blank lines part them), as text."""
    return [nodes.paragraph("", "", *rich_nodes(part)) for part in paper.abstract_rich]


def has_equal_contribution(papers: list[Paper]) -> bool:
    return any(paper.has_equal_contribution for paper in papers)


def legend() -> nodes.paragraph:
    return nodes.paragraph("", EQUAL_CONTRIBUTION_LEGEND, classes=["equal-contribution-legend"])


def paper_description(paper: Paper, style: PortfolioStyle) -> str:
    """The citation, and what its "*" means where it has one."""
    text = citation_text(paper, style)
    return f"{text} {EQUAL_CONTRIBUTION_LEGEND}" if paper.has_equal_contribution else text
