"""The publication lists: ``{publication-list}`` and ``{selected-papers}``.

- ``{publication-list}`` renders the whole list, a section per kind (papers,
  preprints, theses, patents, talks: academic_portfolio.text.venue), through
  sphinxcontrib-bibtex (which sorts and groups it); each entry is set in the
  site's style (the owner in bold) and gets its link buttons, its abstract
  (collapsed) and its BibTeX (:class:`DecorateBibliography`).
- ``{selected-papers}`` lists the papers marked ``selected = {true}``;
  :func:`publication_items` is also the CV's list (:mod:`academic_portfolio.cv.sections`).
"""

from __future__ import annotations

import re
from typing import Any

from docutils import nodes
from sphinx.transforms import SphinxTransform
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..data.paper import Paper, by_kind
from ..data.paperfiles import PAPERS_DIR
from ..data.store import portfolio
from .bibtex import bibtex_block, bibtex_details, download_link
from .citations import citation_keys
from .links import BibDirective, link_buttons, paper_page_link
from .render import (
    abstract_nodes,
    citation_nodes,
    has_equal_contribution,
    label_nodes,
    legend,
)

# The link to an entry's own page on the site, named for what it opens (not
# "Paper page" beside a "Paper" button that opens the publisher's).
PAGE_LINK = "Details and BibTeX"

logger = logging.getLogger(__name__)


def keys_filter(keys: list[str]) -> str:
    """sphinxcontrib-bibtex's filter that keeps the entries of *keys*: one
    regular expression (the keys reach it as a Python string literal, which
    sphinxcontrib-bibtex parses). Not ``key in {...}``: that set is built
    again for every entry of refs.bib, a million steps at 1,000 papers."""
    pattern = r"\A(?:" + "|".join(re.escape(key.lower()) for key in keys) + r")\Z"
    return f"key % {pattern!a}"


class PublicationList(BibDirective):
    """All papers, newest year first, through sphinxcontrib-bibtex; the paper
    pages in a hidden toctree below the page that holds the list."""

    def run(self) -> list[nodes.Node]:
        papers = self.store.papers(self.env.docname)
        if not papers:
            return [nodes.paragraph("", "No publications yet.", classes=["no-publications"])]
        newest = self.store.newest_first(papers)
        # A section per kind (papers, preprints, theses, patents, talks), newest
        # first in each. The kinds are the engine's words.
        text = "".join(
            f"(publications-{kind.lower().replace(' ', '-')})=\n## {kind}\n\n"
            f"```{{bibliography}}\n:filter: {keys_filter([p.key for p in group])}\n```\n\n"
            for kind, group in by_kind(newest)
        )
        # Each paper's page hangs below this list; slugs are lowercase letters,
        # digits and dashes (refsbib), so the toctree holds no data.
        pages = "\n".join(self.store.slug(self.env.docname, p.key) for p in newest)
        text += f"```{{toctree}}\n:hidden:\n\n{pages}\n```\n"
        out = [download_link(self.env)]
        if has_equal_contribution(papers):
            out.append(legend())
        return out + self.parse_text_to_nodes(text, allow_section_headings=True)


class SelectedPapers(BibDirective):
    """The papers marked ``selected = {true}``, newest first, linked to their pages.
    With none marked, the section that holds the list is left out of the page
    (:class:`LeaveOutEmptySelection`), and the build says how to mark one."""

    def run(self) -> list[nodes.Node]:
        selected = self.store.selected(self.env.docname)
        if selected:
            return publication_items(self, selected)
        logger.info(
            "no paper of refs.bib is marked selected, so this page leaves out the section "
            "of {selected-papers}: add selected = {true} to the entries to show here.",
            location=(self.env.docname, self.lineno),
        )
        return [no_selected_papers()]


class no_selected_papers(nodes.General, nodes.Element):  # lowercase, as docutils' nodes
    """Where ``{selected-papers}`` found nothing to list: removed with its section."""


class LeaveOutEmptySelection(SphinxTransform):
    """Remove the section (its heading, its "All publications" link) of a
    ``{selected-papers}`` with nothing to list: no heading over nothing. Run
    while the page is read, before its table of contents is collected."""

    default_priority = 200

    def apply(self, **kwargs: Any) -> None:
        for marker in list(self.document.findall(no_selected_papers)):
            section = marker.parent
            while section is not None and not isinstance(section, nodes.section):
                section = section.parent
            # The page's own (top) section stays: only a heading of the list goes.
            if section is not None and isinstance(section.parent, nodes.section):
                section.parent.remove(section)
            else:
                marker.parent.remove(marker)


def publication_items(directive: SphinxDirective, papers: list[Paper]) -> list[nodes.Node]:
    """A list of citations, newest first, each linked to its paper page."""
    if not papers:
        return []
    store = portfolio(directive.env)
    style = store.style
    groups = by_kind(store.newest_first(papers))
    out: list[nodes.Node] = []
    for kind, group in groups:
        if len(groups) > 1:  # a kind's name where there is more than one kind
            out.append(nodes.rubric("", kind, classes=["paper-kind"]))
        items = nodes.bullet_list(classes=["paper-list"])
        for paper in group:
            item = nodes.list_item()
            item += label_nodes(paper)
            item += citation_nodes(paper, style)
            item += nodes.paragraph(
                "", "", paper_page_link(directive.env, paper, nodes.inline("", PAGE_LINK))
            )
            items += item
        out.append(items)
    return [*out, legend()] if has_equal_contribution(papers) else out


class DecorateBibliography(SphinxPostTransform):
    """Turn sphinxcontrib-bibtex's citations into a plain list of paper entries.

    Runs after sphinxcontrib-bibtex builds them (priority 5). Each entry keeps
    its ids (so ``{cite}`` links still land on it), gains its key as a stable
    anchor, its link buttons, a link to its page and its BibTeX. A list, not
    ``doc-biblioentry`` citations: that ARIA role is deprecated, and the lists
    are grouped by kind, so labels such as "[LZSS22]" would only be noise.
    """

    default_priority = 6

    def run(self, **kwargs: Any) -> None:
        groups = {id(c.parent): c.parent for c in self.document.findall(nodes.citation)}
        # sphinxcontrib-bibtex knows which entry each citation id stands for.
        self.keys = citation_keys(self.env)
        for group in groups.values():
            entries = nodes.bullet_list(classes=["paper-list", "bibliography"])
            for citation in [c for c in group.children if isinstance(c, nodes.citation)]:
                entries += self.entry_item(citation)
            group.replace_self(entries)

    def entry_item(self, citation: nodes.citation) -> nodes.list_item:
        """The entry, set by the site's style (the owner in bold): the page read
        every entry it lists through academic_portfolio.data.store when it was read."""
        store = portfolio(self.env)
        key = self.keys[citation["ids"][0]]
        paper, slug = (
            store.record_of(store.bibliography.entries[key]),
            store.bibliography.slugs[key],
        )
        item = nodes.list_item("", ids=[slug, *citation["ids"]], classes=["paper-entry"])
        item += label_nodes(paper)
        item += citation_nodes(paper, store.style)
        buttons = link_buttons(paper)
        buttons += nodes.reference(
            "", PAGE_LINK, internal=True,
            refuri=store.relative_uri(self.env.docname, f"{PAPERS_DIR}/{slug}"),
            classes=["sd-btn", "sd-btn-outline-primary", "paper-link"],
        )  # fmt: skip
        item += buttons
        if abstract := abstract_nodes(paper):
            item += bibtex_details("", *abstract, summary="Abstract", classes=["abstract-details"])
        details = bibtex_details(summary="BibTeX", classes=["bibtex-details"])
        details += bibtex_block(paper)
        item += details
        return item
