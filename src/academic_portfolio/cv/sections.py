"""The CV sections of pages, from ``_data/cv.yaml`` (read and checked against
``schemas/cv.schema.json`` by :mod:`academic_portfolio.data.store`).

The same data renders the CV sections of the web pages (``{cv-section}``) and,
with the research projects and refs.bib, the PDF (:mod:`academic_portfolio.cv.pdf`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.environment import BuildEnvironment
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from ..data.datafiles import Slots, period
from ..data.store import PortfolioDomain, portfolio
from ..pages.site import button
from ..papers.lists import publication_items
from ..settings import declare
from ..version import __version__

logger = logging.getLogger(__name__)

# -- Rendering the sections as MyST -------------------------------------------
# Each function writes a section's structure as MyST and every value as a
# slot (datafiles.Slots): values reach the page as text, never as markup.


def cv_entry(slot: Slots, headline: str, when: str, points: list[str]) -> str:
    """One CV entry: a bold headline (MyST with slots), place and dates, bullet points."""
    text = f"{headline}\\\n[{slot(when)}]{{.cv-when}}\n" if when else f"{headline}\n"
    text += "".join(f"- {slot(point)}\n" for point in points)
    return f":::{{div}} cv-entry\n{text}:::\n"


def education_text(cv: Mapping[str, Any], brief: bool, slot: Slots) -> str:
    return "\n".join(
        cv_entry(
            slot,
            f"**{slot(e['degree'])}**, {slot(e['institution'])}"
            + (f" · GPA {slot(e['gpa'])}" if "gpa" in e else ""),
            f"{e['place']} · {period(e)}",
            [] if brief else e.get("details", []),
        )
        for e in cv["education"]
    )


def experience_text(cv: Mapping[str, Any], brief: bool, slot: Slots) -> str:
    return "\n".join(
        cv_entry(
            slot,
            f"**{slot(e['role'])}**, {slot(e['organization'])}",
            f"{e['place']} · {period(e)}",
            [] if brief else e.get("highlights", []),
        )
        for e in cv["experience"]
    )


def definitions(pairs, slot: Slots) -> str:
    return "".join(f"{slot(term)}\n: {slot(text)}\n\n" for term, text in pairs)


def skills_text(cv: Mapping[str, Any], brief: bool, slot: Slots) -> str:
    return definitions(((s["area"], s["items"]) for s in cv["skills"]), slot)


def tests_text(cv: Mapping[str, Any], brief: bool, slot: Slots) -> str:
    return definitions(
        ((t["name"], t["score"] + (f" ({t['parts']})" if "parts" in t else "")) for t in cv["tests"]),
        slot,
    )  # fmt: skip


def awards_text(cv: Mapping[str, Any], brief: bool, slot: Slots) -> str:
    items = (f"{a['title']}, {a['by']} ({a['when']})" for a in cv["awards"])
    return "".join(f"- {slot(item)}\n" for item in items)


def joined(*parts: str | None) -> str:
    """The parts given, in order, with " · " between them."""
    return " · ".join(part for part in parts if part)


def linked(slot: Slots, text: str, url: str | None) -> str:
    """*text* as a slot, a link when the entry has a url (checked on reading)."""
    if not url:
        return slot(text)
    return slot(nodes.reference("", text, refuri=url))


def teaching_text(cv: Mapping[str, Any], brief: bool, slot: Slots) -> str:
    return "\n".join(
        cv_entry(slot, f"**{slot(t['course'])}**, {slot(t['role'])}",
                 joined(t["institution"], t["when"]), [] if brief else t.get("details", []))
        for t in cv["teaching"]
    )  # fmt: skip


def talks_text(cv: Mapping[str, Any], brief: bool, slot: Slots) -> str:
    return "\n".join(
        cv_entry(slot, f"**{linked(slot, t['title'], t.get('url'))}**, {slot(t['event'])}",
                 joined(t.get("place"), t["when"]), [])
        for t in cv["talks"]
    )  # fmt: skip


def service_text(cv: Mapping[str, Any], brief: bool, slot: Slots) -> str:
    return "\n".join(
        cv_entry(slot, f"**{slot(s['role'])}**, {slot(s['organization'])}",
                 s.get("when", ""), [] if brief else s.get("details", []))
        for s in cv["service"]
    )  # fmt: skip


def grants_text(cv: Mapping[str, Any], brief: bool, slot: Slots) -> str:
    return "\n".join(
        cv_entry(slot, f"**{slot(g['title'])}**, {slot(g['funder'])}",
                 g["when"], [joined(g.get("role"), g.get("amount"))] if "role" in g or "amount" in g
                 else [])
        for g in cv["grants"]
    )  # fmt: skip


def supervision_text(cv: Mapping[str, Any], brief: bool, slot: Slots) -> str:
    return "\n".join(
        cv_entry(slot, f"**{slot(s['student'])}**, {slot(s['level'])}",
                 joined(s.get("institution"), s["when"]), [s["topic"]] if "topic" in s else [])
        for s in cv["supervision"]
    )  # fmt: skip


def patents_text(cv: Mapping[str, Any], brief: bool, slot: Slots) -> str:
    return "\n".join(
        cv_entry(slot, f"**{linked(slot, p['title'], p.get('url'))}**, {slot(p['number'])}",
                 p["when"], [p["inventors"]] if "inventors" in p else [])
        for p in cv["patents"]
    )  # fmt: skip


def languages_text(cv: Mapping[str, Any], brief: bool, slot: Slots) -> str:
    return definitions(((lang["language"], lang["level"]) for lang in cv["languages"]), slot)


def own_section_text(section: dict, brief: bool, slot: Slots) -> str:
    """A section of the owner's naming (cv.yaml's ``sections``)."""
    return "\n".join(
        cv_entry(slot, f"**{linked(slot, e['title'], e.get('url'))}**"
                 + (f", {slot(e['detail'])}" if "detail" in e else ""),
                 e.get("when", ""), [] if brief else e.get("highlights", []))
        for e in section["entries"]
    )  # fmt: skip


def interests_text(cv: Mapping[str, Any], brief: bool, slot: Slots) -> str:
    return "".join(f"- {slot(i)}\n" for i in cv["person"]["research_interests"])


def projects_text(store: PortfolioDomain, docname: str, slot: Slots) -> str:
    out = []
    for project in store.projects(docname):
        meta = project.meta
        out.append(
            cv_entry(
                slot,
                f"**[{slot(meta['title'])}](/{project.docname}.md)**",
                f"{meta['kind']}, {project.place} · {project.period}",
                [
                    " · ".join(
                        f"{label}: {meta[key]}"
                        for label, key in (("Supervisor", "supervisor"), ("Grade", "grade"))
                        if key in meta
                    )
                ]
                if "supervisor" in meta or "grade" in meta
                else [],
            )
        )
    return "\n".join(out)


# Sections drawn from the CV data file; "projects" and "publications" come
# from research/*.md and refs.bib (one source per fact).
SECTIONS = {
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


def own_section(cv: Mapping[str, Any], title: str) -> dict | None:
    """The section of cv.yaml's ``sections`` with this title, if any."""
    return next((s for s in cv.get("sections", ()) if s["title"] == title), None)


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
            cv = store.cv(docname)
            if name != "interests" and name not in cv:  # optional in cv.yaml
                raise self.error(
                    f"the CV section '{name}' is not in {self.config.portfolio_cv_data}: add "
                    f"'{name}' there, or remove this section (and its heading) from the page."
                )
            slot = Slots()
            text = SECTIONS[name](cv, "brief" in self.options, slot)
            container += slot.fill(self.parse_text_to_nodes(text))
        return [container]

    def own_section(self, title: str, known: list[str], cv: Mapping[str, Any]) -> list[nodes.Node]:
        """A section of the owner's naming, found by its title in cv.yaml's ``sections``."""
        section = own_section(cv, title)
        if section is None:
            titles = [s["title"] for s in cv.get("sections", ())]
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


def unshown_sections(cv: Mapping[str, Any], shown: set[str]) -> list[str]:
    """The sections of cv.yaml (the engine's and the owner's) that no page shows."""
    present = [name for name in SECTIONS if name != "interests" and cv.get(name)]
    present += [section["title"] for section in cv.get("sections", ())]
    return [name for name in present if name not in shown]


PLACEHOLDER = "(fill in:"  # what `new --from` writes where a required fact is missing


def placeholder_fields(value: Any, where: str = "") -> list[str]:
    """Where the CV data still holds a placeholder of `new --from`, as paths
    such as ``person.headline``."""
    if isinstance(value, dict):
        return [f for key, item in value.items()
                for f in placeholder_fields(item, f"{where}.{key}" if where else str(key))]  # fmt: skip
    if isinstance(value, list):
        return [f for index, item in enumerate(value, start=1)
                for f in placeholder_fields(item, f"{where}[{index}]")]  # fmt: skip
    return [where] if isinstance(value, str) and PLACEHOLDER in value else []


def notice_unshown_sections(app: Sphinx, env: BuildEnvironment) -> None:
    """A section added to cv.yaml is in the PDF at once, but on a page only where
    cv.md shows it: say which are missing, and how to show them."""
    store = portfolio(env)
    shown = {source.partition(":")[2] for page in store.data["pages"].values()
             for source in page.sources if source.startswith("cv-section:")}  # fmt: skip
    placeholders = placeholder_fields(store.cv_data)
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
        name = portfolio(self.env).cv(self.env.docname)["person"]["name"]
        return [nodes.paragraph("", name, classes=["cv-name"])]


class CVContact(SphinxDirective):
    """The owner's "now" line when cv.yaml has one; contact links: email, then the
    profiles (GitHub, Google Scholar ...). Never a phone number."""

    def run(self) -> list[nodes.Node]:
        person = portfolio(self.env).cv(self.env.docname)["person"]  # links checked on reading
        now = [nodes.paragraph("", person["now"], classes=["cv-now"])] if "now" in person else []
        line = nodes.paragraph()
        profiles = [(p["url"], p["name"], "sd-btn-outline-primary", "me")
                    for p in person.get("profiles", ())]  # fmt: skip
        for url, label, style, rel in (
            (f"mailto:{person['email']}", person["email"], "sd-btn-primary", ""),
            *profiles,
        ):
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
