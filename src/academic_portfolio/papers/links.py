"""A paper's links: its buttons (paper, PDF, DOI, arXiv, ...) and its own page.

``{paper-links} key`` renders just the link buttons. :class:`BibDirective`,
the base of the paper directives, reads an entry through
:mod:`academic_portfolio.data.store`, so each page records the papers it shows.
"""

from __future__ import annotations

from urllib.parse import quote

from docutils import nodes
from pybtex.database import Entry
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from ..data.paperfiles import PAPERS_DIR
from ..data.refsbib import arxiv_id, link
from ..data.store import PortfolioDomain, portfolio


def paper_links(entry: Entry) -> list[tuple[str, str]]:
    """The (label, url) buttons an entry's fields give, in a fixed order."""
    fields = entry.fields
    links = []
    if "url" in fields:
        links.append(("Paper", link(entry, "url")))
    if "pdf" in fields:
        links.append(("PDF", link(entry, "pdf")))
    if "doi" in fields:
        links.append(("DOI", doi_url(fields["doi"])))
    if arxiv_id(entry):
        links.append(("arXiv", f"https://arxiv.org/abs/{arxiv_id(entry)}"))
    if "openreview" in fields:
        links.append(("OpenReview", link(entry, "openreview")))
    if "code" in fields:
        links.append(("Code", link(entry, "code")))
    return links


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(doi, safe="/:;()._-")


def link_buttons(entry: Entry) -> nodes.paragraph:
    """The entry's link buttons (refsbib accepts only https, http and mailto)."""
    container = nodes.paragraph(classes=["paper-links"])
    for label, url in paper_links(entry):
        ref = nodes.reference("", "", internal=False, refuri=url,
                              classes=["sd-btn", "sd-btn-outline-primary", "paper-link"])  # fmt: skip
        ref += nodes.Text(label)
        container += ref
    return container


class BibDirective(SphinxDirective):
    @property
    def store(self) -> PortfolioDomain:
        return portfolio(self.env)

    def entry(self, key: str) -> Entry:
        entry = self.store.entry(self.env.docname, key)
        if entry is None:
            raise self.error(f"no entry '{key}' in refs.bib: check the key.")
        return entry


def paper_page_link(env, entry: Entry, *content: nodes.Node) -> addnodes.pending_xref:
    """A link to the entry's own page."""
    slug = portfolio(env).slug(env.docname, entry.key)
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
        buttons = link_buttons(self.entry(self.arguments[0]))
        return [buttons] if buttons.children else []
