"""Research projects: one Markdown page each, described by its front matter.

The front matter (schema: ``schemas/project.schema.json``) is the one source of
a project's facts. From it this extension renders the page's header (facts and
key numbers), its before/after chart, and the project cards on other pages.
Adding a project means adding one file to ``research/``.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
from pybtex.database import Person
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .datafiles import (
    DataFileError,
    DataProblem,
    Slots,
    checked_once,
    front_matter_text,
    load_schema,
    load_yaml,
    period,
    stop_build,
    validate,
)
from .part import LABEL as PART_LABEL
from .part import part_line

logger = logging.getLogger(__name__)
SCHEMA = load_schema("project")
INDEX_NAME = "index"
NOT_A_PROJECT = "this directive belongs on a project page, in research/ (beside index.md)."
PAGE_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # the page's URL: lowercase, digits, dashes


@dataclass(frozen=True)
class Project:
    docname: str
    path: Path
    meta: dict[str, Any] = field(hash=False)

    @property
    def period(self) -> str:
        return period(self.meta)

    @property
    def place(self) -> str:
        lab = self.meta.get("lab")
        return f"{lab}, {self.meta['institution']}" if lab else self.meta["institution"]


# -- Reading every project's front matter before any page is read -------------


def load_projects(app: Sphinx) -> dict[str, Project]:
    """Parse and check the front matter of every project page, or stop the build."""
    folder = Path(app.srcdir) / app.config.portfolio_projects_dir
    projects, problems = {}, []
    for path in sorted(folder.glob("*.md")):
        if path.stem == INDEX_NAME:
            continue
        docname = f"{app.config.portfolio_projects_dir}/{path.stem}"
        if not PAGE_NAME.fullmatch(path.stem):
            suggestion = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "my-project"
            problems.append(DataProblem(path, None, (
                f"the file name becomes the page's address, /{docname}/: use lowercase letters, "
                f"digits and dashes, such as {suggestion}.md."
            )))  # fmt: skip
            continue
        try:
            front_matter = front_matter_of(path)
            # Keyed by the front matter alone: editing a page's text does not
            # check its facts again.
            meta = checked_once(
                app.env,
                path,
                front_matter[0],
                lambda p=path, f=front_matter: parse_front_matter(p, *f),
            )
            projects[docname] = Project(docname, path, meta)
        except DataFileError as error:
            problems.extend(error.problems)
    if problems:
        stop_build(problems, "The front matter fields of project pages are "
                   "described in _ext/portfolio/schemas/project.schema.json.")  # fmt: skip
    return projects


def front_matter_of(path: Path) -> tuple[str, int]:
    """The page's YAML front matter and its first line, or a DataFileError."""
    found = front_matter_text(path)
    if found is None:
        raise DataFileError(
            [DataProblem(path, 1, "a project page must start with front matter "
                         "between two '---' lines.")]
        )  # fmt: skip
    return found


def parse_front_matter(path: Path, text: str, first_line: int) -> dict[str, Any]:
    data, node = load_yaml(text, path, first_line)
    validate(data, node, SCHEMA, path, first_line)
    if data["start"] > data["end"]:
        raise DataFileError([DataProblem(path, None, "'start' comes after 'end': swap them.")])
    return data


def sorted_projects(env: BuildEnvironment) -> list[Project]:
    """Newest first: by end month, then by start month."""
    return sorted(
        env.portfolio_projects.values(),
        key=lambda p: (p.meta["end"], p.meta["start"]),
        reverse=True,
    )


def on_builder_inited(app: Sphinx) -> None:
    previous = getattr(app.env, "portfolio_projects", {})
    app.env.portfolio_projects = load_projects(app)
    current = app.env.portfolio_projects
    # Which projects' front matter changed since the last build: only then must
    # the pages that show project facts (cards, the CV) be read again.
    app.env.portfolio_projects_changed = {
        doc for doc in previous.keys() | current.keys()
        if doc not in previous or doc not in current or previous[doc].meta != current[doc].meta
    }  # fmt: skip
    for name in PAGE_SETS:
        if not hasattr(app.env, name):
            setattr(app.env, name, set())


def on_env_get_outdated(app, env, added, changed, removed) -> list[str]:
    """Pages showing project facts are read again when a project's front matter
    changes, or a project comes or goes; editing a project's text alone does not
    touch them (so a one-page edit rebuilds one page)."""
    if env.portfolio_projects_changed:
        return sorted(doc for doc in env.portfolio_card_pages if doc in env.all_docs)
    return []


# -- Directives ---------------------------------------------------------------


class MystDirective(SphinxDirective):
    """A directive that renders MyST text it generates (sphinx-design markup)."""

    def render(self, text: str) -> list[nodes.Node]:
        return self.parse_text_to_nodes(text, allow_section_headings=False)

    def project(self) -> Project:
        """The project whose page this is; an error anywhere else."""
        project = self.env.portfolio_projects.get(self.env.docname)
        if project is None:
            raise self.error(NOT_A_PROJECT)
        return project


class ProjectHeader(MystDirective):
    """The facts block and key numbers at the top of a project page."""

    def run(self) -> list[nodes.Node]:
        project = self.project()
        self.env.portfolio_headed_pages.add(self.env.docname)
        meta, slot = project.meta, Slots()
        facts = [
            # Kind, supervisor and period are part of this line (portfolio.part).
            (PART_LABEL, slot(self.part_line(project))),
            ("Where", slot(project.place)),
        ]
        if "grade" in meta:
            facts.append(("Grade", slot(meta["grade"])))
        if "paper" in meta:
            facts.append(("Paper", slot(self.paper_reference(meta["paper"]))))
        fact_lines = "\n".join(f"{name}\n: {value}\n" for name, value in facts)
        text = (
            f"{{.project-summary}}\n{slot(meta['summary'])}\n\n"
            f":::{{div}} project-facts\n{fact_lines}\n:::\n\n"
            f"{stat_cards(meta['results'], slot)}\n"
        )
        return slot.fill(self.render(text)) + self.links(meta)

    def part_line(self, project: Project) -> str:
        entry = None
        if "paper" in project.meta:
            self.env.note_dependency(str(self.env.portfolio_bib_path))
            entry = self.env.portfolio_bib.entries.get(project.meta["paper"])
        return part_line(project, entry, owner(self.env))

    def links(self, meta: dict[str, Any]) -> list[nodes.Node]:
        """The paper's buttons (from refs.bib), then the page's own links."""
        from .papers import link_buttons

        out = []
        if "paper" in meta:
            out.append(link_buttons(self.env.portfolio_bib.entries[meta["paper"]]))
        own = nodes.paragraph(classes=["project-links"])
        for link in meta.get("links", []):
            own += [
                button(link["url"], link["label"], ["sd-btn-outline-primary"]),
                nodes.Text("\n"),
            ]
        return [node for node in [*out, own] if node.children]

    def paper_reference(self, key: str) -> nodes.Node:
        """The paper's short citation, linked to its own page."""
        from .papers import paper_page_link

        bib = self.env.portfolio_bib
        self.env.note_dependency(str(self.env.portfolio_bib_path))
        if key not in bib.entries:
            raise self.error(f"the front matter's paper '{key}' is not a key of refs.bib: "
                             "check its spelling.")  # fmt: skip
        entry = bib.entries[key]
        from .venue import venue_label

        label = venue_label(entry) or entry.fields["year"]
        return paper_page_link(self.env, entry, nodes.inline("", label))


def owner(env: BuildEnvironment) -> Person | None:
    """The site's owner among the authors (``portfolio_owner`` in conf.py)."""
    return Person(env.config.portfolio_owner) if env.config.portfolio_owner else None


def result_value(result: dict[str, str]) -> str:
    if "value" in result:
        return result["value"]
    return f"{result['before']} → {result['after']}"


def stat_cards(results: list[dict[str, str]], slot: Slots) -> str:
    cards = "".join(
        f"```{{grid-item}}\n:class: project-stat\n"
        f"[{slot(result_value(r))}]{{.project-stat-value}}[{slot(r['label'])}]{{.project-stat-label}}\n```\n"
        for r in results
    )
    return (
        f"````{{grid}} 1 2 {min(len(results), 3)} {min(len(results), 3)}\n"
        f":gutter: 2\n:class-container: project-stats\n"
        f":class-row: project-stats-row\n{cards}````\n"
    )


def button(url: str, label: str, classes: list[str]) -> nodes.reference:
    """A link button; the URL was checked when the data was read (https, http, mailto)."""
    return nodes.reference("", label, refuri=url, internal=False,
                           classes=["sd-btn", *classes, "reference", "external"])  # fmt: skip


class ProjectCards(MystDirective):
    """Cards for every project, newest first, generated from the front matter."""

    def run(self) -> list[nodes.Node]:
        self.env.portfolio_card_pages.add(self.env.docname)
        slot = Slots()
        self.env.note_dependency(str(self.env.portfolio_bib_path))  # the part line's paper facts
        cards = "".join(project_card(p, slot, self.env) for p in sorted_projects(self.env))
        return slot.fill(self.render(
            f"`````{{grid}} 1 1 2 2\n:gutter: 3\n:class-container: project-cards\n{cards}`````\n"
        ))  # fmt: skip


def project_card(project: Project, slot: Slots, env: BuildEnvironment) -> str:
    meta = project.meta
    entry = env.portfolio_bib.entries.get(meta["paper"]) if "paper" in meta else None
    numbers = " · ".join(result_value(r) for r in meta["results"][:2])
    about = project.place  # kind and period are in the part line
    return (
        f"````{{grid-item-card}} {slot(meta['title'])}\n"
        f":link: /{project.docname}\n:link-type: doc\n"
        f":class-card: project-card\n\n"
        f"{{.project-card-meta}}\n{slot(about)}\n\n"
        f"{{.project-card-part}}\n{PART_LABEL}: {slot(part_line(project, entry, owner(env)))}\n\n"
        f"{slot(meta['summary'])}\n\n{{.project-card-numbers}}\n{slot(numbers)}\n````\n"
    )


class ProjectChart(MystDirective):
    """A before/after bar chart of the page's own before/after results.

    Drawn with HTML and CSS from the numbers the page states, so chart and text
    cannot drift apart; a caption states every number for those who cannot see it.
    """

    def run(self) -> list[nodes.Node]:
        pairs = [r for r in self.project().meta["results"] if "before" in r]
        if not pairs:
            raise self.error(
                "project-chart needs results with 'before' and 'after' in the page's front matter."
            )
        return [nodes.raw("", chart_html(pairs), format="html")]


def percent(text: str) -> float:
    return float(re.sub(r"%$", "", text))


def sentence_case(text: str) -> str:
    """Upper-case the first letter only ('character error rate on Greek ...')."""
    return text[:1].upper() + text[1:]


def chart_html(pairs: list[dict[str, str]]) -> str:
    scale = max(max(percent(p["before"]), percent(p["after"])) for p in pairs)
    rows = []
    for pair in pairs:
        bars = "".join(
            f'<div class="chart-bar chart-bar-{which}">'
            f'<span class="chart-bar-name">{which}</span>'
            f'<span class="chart-bar-track"><span class="chart-bar-fill" '
            f'style="width: {percent(pair[which]) / scale * 100:.1f}%"></span></span>'
            f'<span class="chart-bar-value">{html.escape(pair[which])}</span></div>'
            for which in ("before", "after")
        )
        rows.append(
            f'<div class="chart-group"><p class="chart-label">'
            f"{html.escape(sentence_case(pair['label']))}</p>{bars}</div>"
        )
    summary = "; ".join(f"{p['label']}: {p['before']} before, {p['after']} after" for p in pairs)
    return (
        '<figure class="project-chart">'
        f'<div class="chart-bars" aria-hidden="true">{"".join(rows)}</div>'
        f'<figcaption><span class="sd-sr-only">Bar chart. </span>'
        f"{html.escape(sentence_case(summary))}.</figcaption></figure>"
    )


# -- Per-page metadata --------------------------------------------------------


def on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    project = app.env.portfolio_projects.get(pagename)
    if project is not None:
        context["portfolio_description"] = project.meta["summary"]


# Which pages show the cards, and which project pages show their header.
PAGE_SETS = ("portfolio_card_pages", "portfolio_headed_pages")


def on_env_purge_doc(app, env, docname) -> None:
    for name in PAGE_SETS:
        getattr(env, name).discard(docname)


def on_env_merge_info(app, env, docnames, other) -> None:
    for name in PAGE_SETS:
        getattr(env, name).update(getattr(other, name))


def on_env_check_consistency(app, env) -> None:
    """Every project page must show its header, or its facts would be missing."""
    for docname in env.portfolio_projects:
        if docname in env.all_docs and docname not in env.portfolio_headed_pages:
            logger.error(
                "project page without its header: add a line '```{project-header}' "
                "and a line '```' right after the front matter.",
                location=(docname, 1),
            )


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("portfolio_projects_dir", "research", "env", types=[str])
    app.add_directive("project-header", ProjectHeader)
    app.add_directive("project-cards", ProjectCards)
    app.add_directive("project-chart", ProjectChart)
    app.connect("builder-inited", on_builder_inited)
    app.connect("env-get-outdated", on_env_get_outdated)
    app.connect("env-purge-doc", on_env_purge_doc)
    app.connect("env-merge-info", on_env_merge_info)
    app.connect("env-check-consistency", on_env_check_consistency)
    # Before portfolio.sharing (450) and the Open Graph tags (500) read it.
    app.connect("html-page-context", on_html_page_context, priority=400)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
