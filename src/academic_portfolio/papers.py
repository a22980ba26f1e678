"""Papers from refs.bib: one generated page per paper, the lists, links and metadata.

- refs.bib is read once, strictly, by :mod:`academic_portfolio.store`; every entry
  read here goes through it (so each page records the papers it shows). A page
  ``publications/<slug>`` is generated for every entry (the slug comes from
  the key, :func:`academic_portfolio.refsbib.paper_slug`), its source under the build
  folder (:mod:`academic_portfolio.generated`): adding an entry adds a page; a page
  whose entry is gone is removed; a page written by hand is never touched.
- ``{paper} slug`` renders a paper's page: title, citation, links, related
  projects, BibTeX. ``{paper-links} key`` renders just the link buttons.
- ``{publication-list}`` renders the whole list, grouped by year, through
  sphinxcontrib-bibtex (which sorts and groups it); each entry is set in the
  site's style (the owner in bold) and gets its link buttons and BibTeX.
- ``{selected-papers}`` lists the papers marked ``selected = {true}``.
- Every entry shows its venue and status labels (:mod:`academic_portfolio.venue`) and,
  when refs.bib gives one, its abstract (in full on its page, collapsed in
  the list); the build names the papers that have none.
- Google Scholar's ``citation_*`` tags and schema.org JSON-LD of a paper
  (``ScholarlyArticle``, ``Chapter``, ``Thesis`` ... by entry type), whose
  owner-author is the home page's ``Person`` (one ``@id``): made here, put
  in the page by :mod:`academic_portfolio.metadata`.
- ``/refs.bib``, the download, is written after the build from the same
  cleaned entries as the BibTeX boxes: no private field, no comment.

Data never becomes markup: field text is turned into document nodes
(:func:`rich_nodes`), which Sphinx escapes, never into Markdown source.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from docutils import nodes
from markupsafe import escape
from pybtex.database import Entry, Person
from pybtex_docutils import Backend as DocutilsBackend
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from .bibstyle import EQUAL_CONTRIBUTION_FIELD, PortfolioStyle, is_others, same_person
from .generated import publish
from .latex import plain, text_backend, to_rich
from .refsbib import PRIVATE_FIELDS, Bibliography, arxiv_id
from .store import PortfolioDomain, portfolio
from .venue import labels
from .paperpages import on_builder_inited, missing_abstracts_notice, PaperPage  # noqa: F401
from .publist import PublicationList, SelectedPapers, publication_items, DecorateBibliography  # noqa: F401
from .citations import citation_keys, LinkCitationsToPaperPages, note_citations  # noqa: F401
from .scholar import CONTAINER_TAGS, SCHEMA_TYPES, page_range, scholar_tags, PERSON_ID, person_id, json_ld_person, json_ld_container, scholarly_work, json_ld_script  # noqa: F401
from .bibdownload import BIB_DOWNLOAD, clean_bibtex, bibliography_file, download_link, bibtex_block, bibtex_details, visit_details, depart_details, write_bibliography  # noqa: F401
from .paperlinks import paper_links, doi_url, link_buttons, BibDirective, paper_page_link, doc_link, PaperLinks  # noqa: F401
from .paperformat import EQUAL_CONTRIBUTION_LEGEND, person_name, persons, rich_nodes, docutils_backend, formatted_entry, citation_nodes, citation_text, label_nodes, abstract_nodes, has_equal_contribution, legend, paper_description  # noqa: F401
from .paperfiles import PAPERS_DIR, GENERATED_MARK, paper_pages, paper_page  # noqa: F401


# -- Reading refs.bib and generating one page per paper ----------------------


# -- Formatting ---------------------------------------------------------------


# -- Directives ---------------------------------------------------------------


# -- Decorating the bibliography lists ----------------------------------------


# -- <head> metadata of paper pages -------------------------------------------


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("academic_portfolio.store")
    app.setup_extension("academic_portfolio.generated")
    app.add_node(bibtex_details, html=(visit_details, depart_details))
    app.add_directive("paper", PaperPage)
    app.add_directive("paper-links", PaperLinks)
    app.add_directive("publication-list", PublicationList)
    app.add_directive("selected-papers", SelectedPapers)
    app.add_post_transform(DecorateBibliography)
    app.add_post_transform(LinkCitationsToPaperPages)
    # After academic_portfolio.store (300) read refs.bib.
    app.connect("builder-inited", on_builder_inited, priority=400)
    app.connect("doctree-read", note_citations)
    app.connect("build-finished", write_bibliography)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
