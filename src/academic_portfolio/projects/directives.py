"""Research projects: one Markdown page each, described by its front matter.

The front matter (schema: ``schemas/project.schema.json``, read and checked
by :mod:`academic_portfolio.data.store`) is the one source of a project's facts. From it
this extension renders the page's header (facts and key numbers), its
before/after chart, and the project cards on other pages. Adding a project
means adding one file to ``research/``.
"""

from __future__ import annotations

import logging as pylogging
import re
from typing import Any

from docutils import nodes
from markupsafe import escape
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from ..data.datafiles import Slots
from ..data.sources import Project, Result
from ..data.store import PortfolioDomain, portfolio
from ..pages.site import button
from ..papers.links import link_buttons, paper_page_link
from ..papers.part import LABEL as PART_LABEL
from ..papers.part import part_line
from ..version import __version__

logger = logging.getLogger(__name__)
# Sphinx warns when a toctree's glob matches no page: research/index.md's "*"
# before the first project. Nothing is lost by it (a page outside every
# toctree is a warning of its own), and the cards' notice says what to do.
# Sphinx 9 logs it with a subtype and no type, which suppress_warnings cannot
# match: a filter on the logger of Sphinx's toctree directive drops it.
TOCTREE_LOGGER = "sphinx.sphinx.directives.other"


class EmptyGlobFilter(pylogging.Filter):
    def filter(self, record: pylogging.LogRecord) -> bool:
        return getattr(record, "subtype", None) != "empty_glob"


NOT_A_PROJECT = "this directive belongs on a project page, in research/ (beside index.md)."


# -- Directives ---------------------------------------------------------------


class MystDirective(SphinxDirective):
    """A directive that renders MyST text it generates (sphinx-design markup)."""

    @property
    def store(self) -> PortfolioDomain:
        return portfolio(self.env)

    def render(self, text: str) -> list[nodes.Node]:
        return self.parse_text_to_nodes(text, allow_section_headings=False)

    def project(self) -> Project:
        """The project whose page this is; an error anywhere else."""
        project = self.store.project(self.env.docname, self.env.docname)
        if project is None:
            raise self.error(NOT_A_PROJECT)
        return project


class ProjectHeader(MystDirective):
    """The facts block and key numbers at the top of a project page."""

    def run(self) -> list[nodes.Node]:
        project = self.project()
        self.store.note_header(self.env.docname)
        slot = Slots()
        facts = [
            # Kind, supervisor and period are part of this line (academic_portfolio.papers.part).
            (PART_LABEL, slot(self.part_line(project))),
            ("Where", slot(project.place)),
        ]
        if project.grade:
            facts.append(("Grade", slot(project.grade)))
        if project.paper:
            facts.append(("Paper", slot(self.paper_reference(project.paper))))
        fact_lines = "\n".join(f"{name}\n: {value}\n" for name, value in facts)
        # A fact once per page: no tile repeats the grade or the venue the facts state.
        stated = [project.grade, self.venue(project)]
        text = (
            f"{{.project-summary}}\n{slot(project.summary)}\n\n"
            f":::{{div}} project-facts\n{fact_lines}\n:::\n\n"
            f"{stat_cards(unstated(project.results, stated), slot)}\n"
        )
        return slot.fill(self.render(text)) + self.links(project)

    def venue(self, project: Project) -> str:
        """The short venue of the page's paper ("NeurIPS 2022"), or ""."""
        paper = self.store.paper(self.env.docname, project.paper) if project.paper else None
        return paper.venue_label if paper is not None else ""

    def part_line(self, project: Project) -> str:
        paper = None
        if project.paper:
            paper = self.store.paper(self.env.docname, project.paper)
        return part_line(project, paper)

    def links(self, project: Project) -> list[nodes.Node]:
        """The paper's buttons (from refs.bib), then the page's own links."""
        out = []
        if project.paper:
            paper = self.store.paper(self.env.docname, project.paper)
            if paper is not None:  # an unknown key: paper_reference() stops the page
                out.append(link_buttons(paper))
        own = nodes.paragraph(classes=["project-links"])
        for link in project.links:
            own += [
                button(link.url, link.label, ["sd-btn-outline-primary"]),
                nodes.Text("\n"),
            ]
        return [node for node in [*out, own] if node.children]

    def paper_reference(self, key: str) -> nodes.Node:
        """The paper's short citation, linked to its own page."""
        paper = self.store.paper(self.env.docname, key)
        if paper is None:
            raise self.error(f"the front matter's paper '{key}' is not a key of refs.bib: "
                             "check its spelling.")  # fmt: skip
        return paper_page_link(self.env, paper, nodes.inline("", paper.label_or_year))


def unstated(results: tuple[Result, ...], stated: list[str]) -> list[Result]:
    """The results whose value is not already one of the *stated* facts."""
    known = {" ".join(fact.split()).casefold() for fact in stated if fact}
    return [r for r in results if " ".join(r.value.split()).casefold() not in known]


def stat_cards(results: list[Result], slot: Slots) -> str:
    """Each result a tile: its number, then what the number measures (its label)."""
    if not results:
        return ""
    cards = "".join(
        f"```{{grid-item}}\n:class: project-stat\n"
        f"[{slot(r.value)}]{{.project-stat-value}}[{slot(r.label)}]{{.project-stat-label}}\n```\n"
        for r in results
    )
    return (
        f"````{{grid}} 1 2 {min(len(results), 3)} {min(len(results), 3)}\n"
        f":gutter: 2\n:class-container: project-stats\n"
        f":class-row: project-stats-row\n{cards}````\n"
    )


class ProjectCards(MystDirective):
    """Cards for every project, newest first, generated from the front matter."""

    def run(self) -> list[nodes.Node]:
        slot = Slots()
        docname = self.env.docname
        projects = self.store.projects(docname)
        if not projects:  # a new site, or a researcher who has papers only: no empty grid
            logger.info(NO_PROJECT_NOTICE, location=self.get_location())
            return []
        cards = "".join(project_card(p, slot, self.store, docname) for p in projects)
        return slot.fill(self.render(
            f"`````{{grid}} 1 1 2 2\n:gutter: 3\n:class-container: project-cards\n{cards}`````\n"
        ))  # fmt: skip


NO_PROJECT_NOTICE = (
    "no research project yet, so no project cards here: a project is a page "
    "research/<short-name>.md with a project's front matter (title, summary, period, "
    "role, results); until there is one, this heading can go, and its cards with it."
)


def project_card(project: Project, slot: Slots, store: PortfolioDomain, docname: str) -> str:
    paper = store.paper(docname, project.paper) if project.paper else None
    # Each number with what it measures; not the venue, which the part line states.
    venue = paper.venue_label if paper is not None else ""
    numbers = "".join(
        f"- [{slot(r.value)}]{{.project-card-value}} {slot(r.label)}\n"
        for r in unstated(project.results, [venue])[:2]
    )
    about = project.place  # kind and period are in the part line
    return (
        f"````{{grid-item-card}} {slot(project.title)}\n"
        f":link: /{project.docname}\n:link-type: doc\n"
        f":class-card: project-card\n\n"
        f"{{.project-card-meta}}\n{slot(about)}\n\n"
        f"{{.project-card-part}}\n{PART_LABEL}: {slot(part_line(project, paper))}\n\n"
        f"{slot(project.summary)}\n\n"
        + (f"{{.project-card-numbers}}\n{numbers}\n" if numbers else "")
        + "````\n"
    )


class ProjectChart(MystDirective):
    """A before/after bar chart of the page's own before/after results.

    Drawn with HTML and CSS from the numbers the page states, so chart and text
    cannot drift apart; a caption states every number for those who cannot see it.
    """

    def run(self) -> list[nodes.Node]:
        pairs = [r for r in self.project().results if r.is_pair]
        if not pairs:
            raise self.error(
                "project-chart needs results with 'before' and 'after' in the page's front matter."
            )
        return [nodes.raw("", chart_html(pairs), format="html")]


def percent(text: str) -> float:
    return float(re.sub(r"%$", "", text))


def sentence_case(text: str) -> str:
    """Upper-case the first letter only ('error rate on the test set ...')."""
    return text[:1].upper() + text[1:]


def chart_html(pairs: list[Result]) -> str:
    # Every number 0% (an error rate brought to zero and kept there) draws empty bars.
    scale = max(max(percent(p.before), percent(p.after)) for p in pairs) or 1.0
    rows = []
    for pair in pairs:
        bars = "".join(
            f'<div class="chart-bar chart-bar-{which}">'
            f'<span class="chart-bar-name">{which}</span>'
            f'<span class="chart-bar-track"><span class="chart-bar-fill" '
            f'style="width: {percent(value) / scale * 100:.1f}%"></span></span>'
            f'<span class="chart-bar-value">{escape(value)}</span></div>'
            for which, value in (("before", pair.before), ("after", pair.after))
        )
        rows.append(
            f'<div class="chart-group"><p class="chart-label">'
            f"{escape(sentence_case(pair.label))}</p>{bars}</div>"
        )
    summary = "; ".join(f"{p.label}: {p.before} before, {p.after} after" for p in pairs)
    return (
        '<figure class="project-chart">'
        f'<div class="chart-bars" aria-hidden="true">{"".join(rows)}</div>'
        f'<figcaption><span class="visually-hidden">Bar chart. </span>'
        f"{escape(sentence_case(summary))}.</figcaption></figure>"
    )


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("academic_portfolio.data.store")
    app.add_directive("project-header", ProjectHeader)
    app.add_directive("project-cards", ProjectCards)
    toctree_logger = pylogging.getLogger(TOCTREE_LOGGER)
    if not any(isinstance(f, EmptyGlobFilter) for f in toctree_logger.filters):
        toctree_logger.addFilter(EmptyGlobFilter())
    app.add_directive("project-chart", ProjectChart)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
