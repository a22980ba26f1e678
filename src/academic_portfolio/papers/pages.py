"""One page per paper: generated from refs.bib, rendered by ``{paper} slug``.

refs.bib is read once, strictly, by :mod:`academic_portfolio.data.store`. A page
``publications/<slug>`` is generated for every entry (the slug comes from the
key, :func:`academic_portfolio.data.refsbib.paper_slug`; its source,
:mod:`academic_portfolio.data.paperfiles`, is kept under the build folder by
:mod:`academic_portfolio.data.generated`): adding an entry adds a page; a page whose
entry is gone is removed; a page written by hand is never touched. The page
shows the paper's title, labels, citation, the owner's part, links, related
projects, abstract and BibTeX; the build names the papers without an abstract.
"""

from __future__ import annotations

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util import logging

from ..about import see
from ..data.generated import publish
from ..data.paper import Paper
from ..data.paperfiles import PAPERS_DIR, paper_pages
from ..data.store import portfolio
from .bibtex import bibtex_block, download_link, paper_download_line
from .links import BibDirective, doc_link, link_buttons
from .part import LABEL, part_line
from .render import (
    abstract_nodes,
    citation_nodes,
    has_equal_contribution,
    label_nodes,
    legend,
    rich_nodes,
)

logger = logging.getLogger(__name__)


def on_builder_inited(app: Sphinx) -> None:
    """After academic_portfolio.data.store read refs.bib: a page per entry, generated."""
    store = portfolio(app.env)
    publish(
        app,
        {f"{PAPERS_DIR}/{slug}": text for slug, text in paper_pages(store.bibliography).items()},
    )
    if notice := missing_abstracts_notice(store.all_papers):
        logger.info(notice)
    if notice := missing_venue_notice(store.all_papers):
        logger.info(notice)


def missing_abstracts_notice(papers: list[Paper]) -> str:
    """One line naming the papers without an abstract (a notice: the owner
    adds abstracts, the build never invents one)."""
    keys = [paper.key for paper in papers if not paper.abstract]
    if not keys:
        return ""
    return (f"refs.bib: {len(keys)} paper(s) without an abstract, which Google Scholar needs to "
            f"index a paper's page ({see('Add a paper')}): {', '.join(keys)}")  # fmt: skip


def missing_venue_notice(papers: list[Paper]) -> str:
    """The papers whose booktitle gives no short venue name (a journal's name is
    its label), with the field to add: their labels show the year alone."""
    keys = [paper.key for paper in papers if paper.booktitle and not paper.venue]
    if not keys:
        return ""
    return (f"refs.bib: {len(keys)} paper(s) whose 'booktitle' gives no short venue name, so "
            f"their labels show the year alone: add the field venue = {{...}} with the short "
            f"name (such as venue = {{IROS}}) to {', '.join(keys)}")  # fmt: skip


class PaperPage(BibDirective):
    """A generated per-paper page, ``{paper} <slug>``: its title and body, as
    nodes made from the entry (the page's source holds no data)."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        paper = self.store.paper_by_slug(self.env.docname, self.arguments[0])
        if paper is None:
            raise self.error(f"no entry of refs.bib has the page '{self.arguments[0]}'.")
        section = nodes.section("", nodes.title("", "", *rich_nodes(paper.title_rich)),
                                ids=[nodes.make_id(paper.title) or "paper"])  # fmt: skip
        self.state.document.note_implicit_target(section, section)
        section += label_nodes(paper)
        section += nodes.container("", *citation_nodes(paper, self.store.style),
                                   classes=["paper-citation"])  # fmt: skip
        if has_equal_contribution([paper]):
            section += legend()
        section += self.part(paper)
        buttons = link_buttons(paper)
        if buttons.children:
            section += buttons
        section += self.related_projects(paper.key)
        if abstract := abstract_nodes(paper):
            section += [nodes.rubric("", "Abstract", ids=["abstract"]),
                        nodes.container("", *abstract, classes=["paper-abstract"])]  # fmt: skip
        section += [nodes.rubric("", "BibTeX", ids=["bibtex"]), bibtex_block(paper)]
        section += paper_download_line(self.env, paper)
        section += download_link(self.env)
        section += self.parse_text_to_nodes("[All publications](/publications/index.md)")
        return [section]

    def part(self, paper: Paper) -> list[nodes.Node]:
        """The owner's part (academic_portfolio.papers.part), with the newest project of the paper, if any."""
        projects = self.store.projects_citing(self.env.docname, paper.key)
        line = part_line(projects[0] if projects else None, paper)
        return [nodes.paragraph("", f"{LABEL}: {line}", classes=["paper-part"])] if line else []

    def related_projects(self, key: str) -> list[nodes.Node]:
        return [
            nodes.paragraph("", "Related project: ",
                            doc_link(self.env.docname, p.docname, nodes.inline("", p.title)))
            for p in self.store.projects_citing(self.env.docname, key)
        ]  # fmt: skip
