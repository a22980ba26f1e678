"""The CV sections of pages, from ``_data/cv.yaml`` (read and checked against
``schemas/cv.schema.json`` by :mod:`academic_portfolio.data.store`).

The same data renders the CV sections of the web pages (``{cv-section}``) and,
with the research projects and refs.bib, the PDF (:mod:`academic_portfolio.cv.pdf`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from ..data.cvrecord import (
    CV,
    Award,
    Education,
    Grant,
    Language,
    OwnSection,
    Patent,
    Position,
    Service,
    Skill,
    Supervision,
    Talk,
    Teaching,
    TestScore,
)
from ..data.datafiles import Slots
from ..data.store import PortfolioDomain, portfolio
from ..pages.site import button
from ..papers.lists import publication_items
from ..settings import declare
from ..version import __version__

logger = logging.getLogger(__name__)

# -- Rendering the sections as MyST -------------------------------------------
# Each function writes a section's structure as MyST and every value as a
# slot (datafiles.Slots): values reach the page as text, never as markup.


def cv_entry(slot: Slots, headline: str, when: str, points: Iterable[str]) -> str:
    """One CV entry: a bold headline (MyST with slots), place and dates, bullet points."""
    text = f"{headline}\\\n[{slot(when)}]{{.cv-when}}\n" if when else f"{headline}\n"
    text += "".join(f"- {slot(point)}\n" for point in points)
    return f":::{{div}} cv-entry\n{text}:::\n"


def education_text(entries: tuple[Education, ...], brief: bool, slot: Slots) -> str:
    return "\n".join(
        cv_entry(
            slot,
            f"**{slot(e.degree)}**, {slot(e.institution)}"
            + (f" · GPA {slot(e.gpa)}" if e.gpa else ""),
            f"{e.place} · {e.period}",
            [] if brief else e.details,
        )
        for e in entries
    )


def experience_text(entries: tuple[Position, ...], brief: bool, slot: Slots) -> str:
    return "\n".join(
        cv_entry(
            slot,
            f"**{slot(e.role)}**, {slot(e.organization)}",
            f"{e.place} · {e.period}",
            [] if brief else e.highlights,
        )
        for e in entries
    )


def definitions(pairs: Iterable[tuple[str, str]], slot: Slots) -> str:
    return "".join(f"{slot(term)}\n: {slot(text)}\n\n" for term, text in pairs)


def skills_text(entries: tuple[Skill, ...], brief: bool, slot: Slots) -> str:
    return definitions(((s.area, s.items) for s in entries), slot)


def tests_text(entries: tuple[TestScore, ...], brief: bool, slot: Slots) -> str:
    return definitions(
        ((t.name, t.score + (f" ({t.parts})" if t.parts else "")) for t in entries), slot
    )


def awards_text(entries: tuple[Award, ...], brief: bool, slot: Slots) -> str:
    items = (f"{a.title}, {a.by} ({a.when})" for a in entries)
    return "".join(f"- {slot(item)}\n" for item in items)


def joined(*parts: str | None) -> str:
    """The parts given, in order, with " · " between them."""
    return " · ".join(part for part in parts if part)


def linked(slot: Slots, text: str, url: str) -> str:
    """*text* as a slot, a link when the entry has a url (checked on reading)."""
    if not url:
        return slot(text)
    return slot(nodes.reference("", text, refuri=url))


def teaching_text(entries: tuple[Teaching, ...], brief: bool, slot: Slots) -> str:
    return "\n".join(
        cv_entry(slot, f"**{slot(t.course)}**, {slot(t.role)}",
                 joined(t.institution, t.when), [] if brief else t.details)
        for t in entries
    )  # fmt: skip


def talks_text(entries: tuple[Talk, ...], brief: bool, slot: Slots) -> str:
    return "\n".join(
        cv_entry(slot, f"**{linked(slot, t.title, t.url)}**, {slot(t.event)}",
                 joined(t.place, t.when), [])
        for t in entries
    )  # fmt: skip


def service_text(entries: tuple[Service, ...], brief: bool, slot: Slots) -> str:
    return "\n".join(
        cv_entry(slot, f"**{slot(s.role)}**, {slot(s.organization)}",
                 s.when, [] if brief else s.details)
        for s in entries
    )  # fmt: skip


def grants_text(entries: tuple[Grant, ...], brief: bool, slot: Slots) -> str:
    return "\n".join(
        cv_entry(slot, f"**{slot(g.title)}**, {slot(g.funder)}",
                 g.when, [joined(g.role, g.amount)] if g.role or g.amount else [])
        for g in entries
    )  # fmt: skip


def supervision_text(entries: tuple[Supervision, ...], brief: bool, slot: Slots) -> str:
    return "\n".join(
        cv_entry(slot, f"**{slot(s.student)}**, {slot(s.level)}",
                 joined(s.institution, s.when), [s.topic] if s.topic else [])
        for s in entries
    )  # fmt: skip


def patents_text(entries: tuple[Patent, ...], brief: bool, slot: Slots) -> str:
    return "\n".join(
        cv_entry(slot, f"**{linked(slot, p.title, p.url)}**, {slot(p.number)}",
                 p.when, [p.inventors] if p.inventors else [])
        for p in entries
    )  # fmt: skip


def languages_text(entries: tuple[Language, ...], brief: bool, slot: Slots) -> str:
    return definitions(((lang.language, lang.level) for lang in entries), slot)


def own_section_text(section: OwnSection, brief: bool, slot: Slots) -> str:
    """A section of the owner's naming (cv.yaml's ``sections``)."""
    return "\n".join(
        cv_entry(slot, f"**{linked(slot, e.title, e.url)}**"
                 + (f", {slot(e.detail)}" if e.detail else ""),
                 e.when, [] if brief else e.highlights)
        for e in section.entries
    )  # fmt: skip


def interests_text(interests: tuple[str, ...], brief: bool, slot: Slots) -> str:
    return "".join(f"- {slot(i)}\n" for i in interests)


def projects_text(store: PortfolioDomain, docname: str, slot: Slots) -> str:
    out = []
    for project in store.projects(docname):
        facts = joined(
            f"Supervisor: {project.supervisor}" if project.supervisor else "",
            f"Grade: {project.grade}" if project.grade else "",
        )
        out.append(
            cv_entry(
                slot,
                f"**[{slot(project.title)}](/{project.docname}.md)**",
                f"{project.kind}, {project.place} · {project.period}",
                [facts] if facts else [],
            )
        )
    return "\n".join(out)


# Sections drawn from the CV data file; "projects" and "publications" come
# from research/*.md and refs.bib (one source per fact).
SECTIONS: dict[str, Callable[[Any, bool, Slots], str]] = {
    "education": education_text,
    "experience": experience_text,
    "skills": skills_text,
    "tests": tests_text,
    "awards": awards_text,
    "teaching": teaching_text,
    "talks": talks_text,
    "service": service_text,
    "grants": grants_text,
    "supervision": supervision_text,
    "patents": patents_text,
    "languages": languages_text,
    "interests": interests_text,
}


def section_entries(cv: CV, name: str) -> tuple[Any, ...] | None:
    """The entries of the section the engine names *name*; None when cv.yaml has
    none (research interests are the person's: always there)."""
    if name == "interests":
        return cv.person.research_interests
    entries: tuple[Any, ...] | None = getattr(cv, name)
    return entries


def own_section(cv: CV, title: str) -> OwnSection | None:
    """The section of cv.yaml's ``sections`` with this title, if any."""
    return next((s for s in cv.sections if s.title == title), None)


class CVSection(SphinxDirective):
    """``{cv-section} education`` (option ``:brief:`` for the home page)."""

    required_arguments = 1
    final_argument_whitespace = True  # the title of an owner-named section
    option_spec: ClassVar = {"brief": directives.flag}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        known = [*SECTIONS, "projects", "publications"]
        store, docname = portfolio(self.env), self.env.docname
        store.note(docname, f"cv-section:{name}")  # shown: see notice_unshown_sections
        if name not in known:
            return self.own_section(name, known, store.cv(docname))
        container = nodes.container(classes=["cv-section", f"cv-{name}"])
        if name == "publications":
            container += publication_items(self, store.papers(docname))
        elif name == "projects":
            slot = Slots()
            container += slot.fill(self.parse_text_to_nodes(projects_text(store, docname, slot)))
        else:
            entries = section_entries(store.cv(docname), name)
            if entries is None:  # optional in cv.yaml
                raise self.error(
                    f"the CV section '{name}' is not in {self.config.portfolio_cv_data}: add "
                    f"'{name}' there, or remove this section (and its heading) from the page."
                )
            slot = Slots()
            text = SECTIONS[name](entries, "brief" in self.options, slot)
            container += slot.fill(self.parse_text_to_nodes(text))
        return [container]

    def own_section(self, title: str, known: list[str], cv: CV) -> list[nodes.Node]:
        """A section of the owner's naming, found by its title in cv.yaml's ``sections``."""
        section = own_section(cv, title)
        if section is None:
            titles = [s.title for s in cv.sections]
            own = f", or the title of a section of yours: {', '.join(titles)}" if titles else ""
            raise self.error(
                f"unknown CV section '{title}': use one of {', '.join(known)}{own}; a section "
                f"of your own naming is written in {self.config.portfolio_cv_data} under "
                "'sections', with a title and entries."
            )
        slot = Slots()
        container = nodes.container(classes=["cv-section", "cv-own-section"])
        text = own_section_text(section, "brief" in self.options, slot)
        container += slot.fill(self.parse_text_to_nodes(text))
        return [container]


def unshown_sections(cv: CV, shown: set[str]) -> list[str]:
    """The sections of cv.yaml (the engine's and the owner's) that no page shows."""
    present = [name for name in SECTIONS if name != "interests" and section_entries(cv, name)]
    present += [section.title for section in cv.sections]
    return [name for name in present if name not in shown]


def notice_unshown_sections(app: Sphinx, env: BuildEnvironment) -> None:
    """A section added to cv.yaml is in the PDF at once, but on a page only where
    cv.md shows it: say which are missing, and how to show them."""
    store = portfolio(env)
    shown = {source.partition(":")[2] for page in store.data["pages"].values()
             for source in page.sources if source.startswith("cv-section:")}  # fmt: skip
    placeholders = store.cv_placeholders
    if placeholders:
        logger.info(
            f"{app.config.portfolio_cv_data}: still to fill in (new --from wrote a placeholder, "
            f"shown on the site as written): {', '.join(placeholders)}."
        )
    missing = unshown_sections(store.cv_data, shown)
    if missing:
        logger.info(
            f"{app.config.portfolio_cv_data}: {', '.join(repr(m) for m in missing)} "
            f"{'is' if len(missing) == 1 else 'are'} in the CV PDF but on no page: show each "
            "on cv.md under a heading of its own, with a {cv-section} directive and its name."
        )


class CVDownload(SphinxDirective):
    """The prominent link to the PDF of the CV."""

    def run(self) -> list[nodes.Node]:
        page = portfolio(self.env).page_uri(self.env.docname)
        uri = relative_uri(page, self.config.portfolio_cv_pdf)
        ref = nodes.reference(
            "", "", refuri=uri, classes=["sd-btn", "sd-btn-primary", "cv-download"]
        )
        ref += nodes.Text("Download the CV (PDF)")
        return [nodes.paragraph("", "", ref, classes=["cv-download-line"])]


class CVName(SphinxDirective):
    """The owner's name, from cv.yaml, above the CV page's title: the page
    starts, on screen and on paper, with whose CV it is."""

    def run(self) -> list[nodes.Node]:
        name = portfolio(self.env).cv(self.env.docname).person.name
        return [nodes.paragraph("", name, classes=["cv-name"])]


class CVContact(SphinxDirective):
    """The owner's "now" line when cv.yaml has one; contact links: email, then the
    profiles (GitHub, Google Scholar ...). Never a phone number."""

    def run(self) -> list[nodes.Node]:
        person = portfolio(self.env).cv(self.env.docname).person  # links checked on reading
        now = [nodes.paragraph("", person.now, classes=["cv-now"])] if person.now else []
        line = nodes.paragraph()
        profiles = [(p.url, p.name, "sd-btn-outline-primary", "me") for p in person.profiles]
        # The address is shown only as a link that passes the one test of links.
        email = [(person.mailto, person.email, "sd-btn-primary", "")] if person.mailto else []
        for url, label, style, rel in (*email, *profiles):
            link = button(url, label, [style])
            if rel:  # the owner's own profiles (rel="me" ties them to this site)
                link["rel"] = rel
            line += [link, nodes.Text("\n")]
        # The owner's optional "now / seeking" line first, as written (text, not markup).
        return [*now, nodes.container("", line, classes=["cv-contact"])]


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("academic_portfolio.data.store")
    declare(app, ["portfolio_cv_pdf"])
    app.add_directive("cv-section", CVSection)
    app.connect("env-check-consistency", notice_unshown_sections)
    app.add_directive("cv-contact", CVContact)
    app.add_directive("cv-name", CVName)
    app.add_directive("cv-download", CVDownload)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
