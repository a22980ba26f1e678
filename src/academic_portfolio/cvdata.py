"""The CV sections of pages, from ``_data/cv.yaml`` (read and checked against
``schemas/cv.schema.json`` by :mod:`academic_portfolio.store`).

The same data renders the CV sections of the web pages (``{cv-section}``) and,
with the research projects and refs.bib, the PDF (:mod:`academic_portfolio.cvpdf`).
"""

from __future__ import annotations

from typing import Any, ClassVar

from docutils import nodes
from docutils.parsers.rst import directives
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from .datafiles import Slots, period
from .projects import button
from .publist import publication_items
from .store import PortfolioDomain, portfolio

# -- Rendering the sections as MyST -------------------------------------------
# Each function writes a section's structure as MyST and every value as a
# slot (datafiles.Slots): values reach the page as text, never as markup.


def cv_entry(slot: Slots, headline: str, when: str, points: list[str]) -> str:
    """One CV entry: a bold headline (MyST with slots), place and dates, bullet points."""
    text = f"{headline}\\\n[{slot(when)}]{{.cv-when}}\n"
    text += "".join(f"- {slot(point)}\n" for point in points)
    return f":::{{div}} cv-entry\n{text}:::\n"


def education_text(cv: dict, brief: bool, slot: Slots) -> str:
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


def experience_text(cv: dict, brief: bool, slot: Slots) -> str:
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


def skills_text(cv: dict, brief: bool, slot: Slots) -> str:
    return definitions(((s["area"], s["items"]) for s in cv["skills"]), slot)


def tests_text(cv: dict, brief: bool, slot: Slots) -> str:
    return definitions(
        ((t["name"], t["score"] + (f" ({t['parts']})" if "parts" in t else "")) for t in cv["tests"]),
        slot,
    )  # fmt: skip


def awards_text(cv: dict, brief: bool, slot: Slots) -> str:
    items = (f"{a['title']}, {a['by']} ({a['when']})" for a in cv["awards"])
    return "".join(f"- {slot(item)}\n" for item in items)


def interests_text(cv: dict, brief: bool, slot: Slots) -> str:
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
                    f"Supervisor: {meta['supervisor']}"
                    + (f" · Grade: {meta['grade']}" if "grade" in meta else "")
                ],
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
    "interests": interests_text,
}


class CVSection(SphinxDirective):
    """``{cv-section} education`` (option ``:brief:`` for the home page)."""

    required_arguments = 1
    option_spec: ClassVar = {"brief": directives.flag}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        known = [*SECTIONS, "projects", "publications"]
        if name not in known:
            raise self.error(f"unknown CV section '{name}': use one of {', '.join(known)}.")
        store, docname = portfolio(self.env), self.env.docname
        container = nodes.container(classes=["cv-section", f"cv-{name}"])
        if name == "publications":
            container += publication_items(self, store.entries(docname))
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


class CVDownload(SphinxDirective):
    """The prominent link to the PDF of the CV."""

    def run(self) -> list[nodes.Node]:
        page = self.env.app.builder.get_target_uri(self.env.docname)
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
    app.setup_extension("academic_portfolio.store")
    app.add_config_value("portfolio_cv_pdf", "cv.pdf", "html", types=[str])
    app.add_directive("cv-section", CVSection)
    app.add_directive("cv-contact", CVContact)
    app.add_directive("cv-name", CVName)
    app.add_directive("cv-download", CVDownload)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
