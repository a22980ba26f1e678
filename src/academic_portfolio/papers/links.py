"""A paper's links: its buttons (paper, PDF, DOI, arXiv, ...) and its own page.

``{paper-links} key`` renders just the link buttons (the record's,
:attr:`academic_portfolio.data.paper.Paper.links`). :class:`BibDirective`,
the base of the paper directives, reads a paper through
:mod:`academic_portfolio.data.store`, so each page records the papers it shows.
"""

from __future__ import annotations

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from ..data.paper import Paper
from ..data.paperfiles import PAPERS_DIR
from ..data.store import PortfolioDomain, portfolio


def link_buttons(paper: Paper) -> nodes.paragraph:
    """The paper's link buttons (refsbib accepts only https, http and mailto)."""
    container = nodes.paragraph(classes=["paper-links"])
    for label, url in paper.links:
        ref = nodes.reference("", "", internal=False, refuri=url,
                              classes=["sd-btn", "sd-btn-outline-primary", "paper-link"])  # fmt: skip
        ref += nodes.Text(label)
        container += ref
    return container


class BibDirective(SphinxDirective):
    @property
    def store(self) -> PortfolioDomain:
        return portfolio(self.env)

    def paper(self, key: str) -> Paper:
        paper = self.store.paper(self.env.docname, key)
        if paper is None:
            raise self.error(f"no entry '{key}' in refs.bib: check the key.")
        return paper


def paper_page_link(env, paper: Paper, *content: nodes.Node) -> addnodes.pending_xref:
    """A link to the paper's own page."""
    slug = portfolio(env).slug(env.docname, paper.key)
    return doc_link(env.docname, f"{PAPERS_DIR}/{slug}", *content)


def doc_link(from_doc: str, docname: str, *content: nodes.Node) -> addnodes.pending_xref:
    """A link to a page, resolved like {doc} (its title is not used)."""
    return addnodes.pending_xref(
        "", *content, refdomain="std", reftype="doc", reftarget=f"/{docname}",
        refexplicit=True, refdoc=from_doc,
    )  # fmt: skip


class PaperLinks(BibDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        buttons = link_buttons(self.paper(self.arguments[0]))
        return [buttons] if buttons.children else []
