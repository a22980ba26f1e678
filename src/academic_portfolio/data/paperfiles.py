"""Where each paper's page lives and what its generated source says.

Data layer. A page ``publications/<slug>`` is generated for every refs.bib
entry (:mod:`academic_portfolio.papers.pages` publishes them through
:mod:`academic_portfolio.data.generated`); its source holds no data, only the slug,
after :data:`GENERATED_MARK`. :mod:`academic_portfolio.data.store` needs the same
text to recognise, and remove, the pages older builds wrote into the sources.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .refsbib import Bibliography

PAPERS_DIR = "publications"
# Kept word for word (older paths included): older builds wrote it, and are recognised by it.
GENERATED_MARK = "% Generated from refs.bib by _ext/portfolio/papers.py: do not edit.\n"


def paper_pages(bib: Bibliography) -> dict[str, str]:
    """The Markdown source of each paper's page, by slug. The page holds no
    data, only the slug (lowercase letters, digits, dashes): the directive
    renders the entry as document nodes, so no title can become markup."""
    return {slug: paper_page(slug) for slug in bib.slugs.values()}


def paper_page(slug: str) -> str:
    return f"{GENERATED_MARK}\n```{{paper}} {slug}\n```\n"
