"""Citations in a page's text (``{cite:p}`key```): recorded, and linked to the paper's page.

A page that cites a paper shows its authors and year, so it reads the entry
through :mod:`academic_portfolio.data.store` (:func:`note_citations`); the link
goes to the paper's own page (:class:`LinkCitationsToPaperPages`).
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinxcontrib.bibtex.citation_target import parse_citation_targets

from ..data.paperfiles import PAPERS_DIR
from ..data.store import portfolio


def citation_keys(env) -> dict[str, str]:
    """Which entry each of sphinxcontrib-bibtex's citation ids stands for."""
    return {c.citation_id: c.key for c in env.get_domain("cite").citations}


class LinkCitationsToPaperPages(SphinxPostTransform):
    """A citation in a page's text (``{cite:p}`key```) links to the paper's own
    page, ``/publications/<slug>/``: a permanent address, where its place in
    the list (``#b1-key``) shifts when a paper of a new year is added."""

    default_priority = 20  # after sphinxcontrib-bibtex resolved it (Sphinx's resolver: 10)

    def run(self, **kwargs: Any) -> None:
        bib = portfolio(self.env).bibliography  # the page recorded each key it cites
        keys = citation_keys(self.env)
        for group in self.document.findall(nodes.inline):
            if "bibtex-citation" not in group["classes"]:
                continue
            for ref in group.findall(nodes.reference):
                key = keys.get(ref.get("refuri", "").partition("#")[2])
                if key in bib.slugs:
                    page = f"{PAPERS_DIR}/{bib.slugs[key]}"
                    ref["refuri"] = portfolio(self.env).relative_uri(self.env.docname, page)


def note_citations(app: Sphinx, doctree: nodes.document) -> None:
    """A page that cites a paper (``{cite:p}`key```) shows its authors and year,
    which sphinxcontrib-bibtex writes in when the page is written: it reads the
    entry, and is read again when the entry changes."""
    store, docname = portfolio(app.env), app.env.docname
    for ref in doctree.findall(addnodes.pending_xref):
        if ref.get("refdomain") == "cite":
            for target in parse_citation_targets(ref["reftarget"]):
                store.paper(docname, target.key)
