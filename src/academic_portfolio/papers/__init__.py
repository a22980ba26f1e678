"""Papers from refs.bib: their pages, lists, links and metadata, registered together.

The paper features are modules of one concern each; this one loads them into
Sphinx, in one place:

- :mod:`academic_portfolio.papers.pages`: one generated page per paper, ``{paper} slug``;
- :mod:`academic_portfolio.papers.lists`: ``{publication-list}`` and ``{selected-papers}``;
- :mod:`academic_portfolio.papers.links`: link buttons and ``{paper-links} key``;
- :mod:`academic_portfolio.papers.citations`: ``{cite}`` in a page's text, linked to the paper's page;
- :mod:`academic_portfolio.papers.bibtex`: the BibTeX boxes and ``/refs.bib``;

with what they share: :mod:`academic_portfolio.papers.render` (a paper as document
nodes), :mod:`academic_portfolio.data.paperfiles` (where its page lives) and
:mod:`academic_portfolio.papers.scholar` (Scholar's tags and JSON-LD, which
:mod:`academic_portfolio.metadata.head` puts in the page).
"""

from __future__ import annotations

from typing import Any

from sphinx.application import Sphinx

from ..version import __version__
from .bibtex import bibtex_details, depart_details, visit_details, write_bibliography
from .citations import LinkCitationsToPaperPages, note_citations
from .links import PaperLinks
from .lists import DecorateBibliography, LeaveOutEmptySelection, PublicationList, SelectedPapers
from .pages import PaperPage, on_builder_inited


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("academic_portfolio.data.store")
    app.setup_extension("academic_portfolio.data.generated")
    app.add_node(bibtex_details, html=(visit_details, depart_details))
    app.add_directive("paper", PaperPage)
    app.add_directive("paper-links", PaperLinks)
    app.add_directive("publication-list", PublicationList)
    app.add_directive("selected-papers", SelectedPapers)
    app.add_transform(LeaveOutEmptySelection)
    app.add_post_transform(DecorateBibliography)
    app.add_post_transform(LinkCitationsToPaperPages)
    # After academic_portfolio.data.store (300) read refs.bib.
    app.connect("builder-inited", on_builder_inited, priority=400)
    app.connect("doctree-read", note_citations)
    app.connect("build-finished", write_bibliography)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
