"""What Zotero needs beyond Google Scholar's tags: ``z.*`` meta tags.

Zotero saves a paper's page with its "Embedded Metadata" translator: it
reads Google Scholar's ``citation_*`` tags, then Open Graph and ``<meta
name="description">`` for what they lack, and every ``<meta name="z.FIELD">``
as Zotero's own field FIELD (its RDF translator reads the namespace
``z:``). Scholar's tags alone leave Zotero four things short, which these
tags give it, and which no other reader looks at:

- the item type: Scholar's tags say it only for articles, conference
  papers, chapters, theses and reports (``z.itemType``);
- a conference paper's proceedings: Scholar's ``citation_conference_title``
  fills only Zotero's ``conferenceName``, and Zotero's BibTeX export then
  has no ``booktitle`` (``z.proceedingsTitle``);
- the arXiv id, which Zotero keeps in ``extra`` as ``arXiv: <id>``, as its
  own BibTeX import does (``z.extra``);
- the paper's own address, the entry's ``url`` (``z.url``): without it
  Zotero saves the portfolio's page;

and a patent's number and holder, a master's thesis's type, a talk's kind.
Every value is the entry's, through :mod:`academic_portfolio.papers.reference`.
"""

from __future__ import annotations

from ..data.paper import Paper
from .reference import reference


def zotero_tags(paper: Paper) -> list[tuple[str, str]]:
    """``z.*`` tags for what Scholar's tags do not tell Zotero, only for
    fields the entry has."""
    ref = reference(paper)
    tags = [("z.itemType", ref.item_type)]
    if ref.item_type == "conferencePaper" and ref.container:
        tags.append(("z.proceedingsTitle", ref.container))
    if ref.item_type == "thesis" and ref.genre:
        tags.append(("z.thesisType", ref.genre))
    if ref.item_type == "patent":
        tags += [("z.patentNumber", ref.number)] if ref.number else []
        tags += [("z.assignee", ref.holder)] if ref.holder else []
    if ref.item_type == "presentation":
        tags.append(("z.presentationType", ref.genre))
    if ref.arxiv:
        tags.append(("z.extra", f"arXiv: {ref.arxiv}"))
    if ref.url:
        tags.append(("z.url", ref.url))
    return tags
