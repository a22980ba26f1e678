"""The CV: ``_data/cv.yaml`` checked against ``schemas/cv.schema.json``.

The same data renders the CV sections of the web pages (``{cv-section}``) and,
with the research projects and refs.bib, the PDF (:mod:`portfolio.cvpdf`).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.errors import SphinxError
from sphinx.util.docutils import SphinxDirective

from .datafiles import DataFileError, load_schema, load_yaml, validate

SCHEMA = load_schema("cv")


class CVDataError(SphinxError):
    category = "CV data error"


def load_cv(path: Path) -> dict[str, Any]:
    """Read and check the CV data file, or raise CVDataError naming every problem."""
    if not path.is_file():
        raise CVDataError(f"{path}: the CV data file is missing.")
    try:
        data, node = load_yaml(path.read_text("utf-8"), path)
        validate(data, node, SCHEMA, path)
    except DataFileError as error:
        listing = "\n".join(f"  {problem}" for problem in error.problems)
        raise CVDataError(
            f"{len(error.problems)} problem(s) in the CV data:\n{listing}\n"
            "The fields are described in _ext/portfolio/schemas/cv.schema.json."
        ) from None
    for section in ("education", "experience"):
        for index, entry in enumerate(data[section], start=1):
            if entry["start"] > entry["end"]:
                raise CVDataError(
                    f"{path}: {section}[{index}]: 'start' comes after 'end': swap them."
                )
    return data


def month_name(month: str) -> str:
    year, number = map(int, month.split("-"))
    return date(year, number, 1).strftime("%b %Y")


def period(entry: dict[str, str]) -> str:
    return f"{month_name(entry['start'])} – {month_name(entry['end'])}"


def on_builder_inited(app: Sphinx) -> None:
    app.env.portfolio_cv_path = Path(app.confdir) / app.config.portfolio_cv_data
    app.env.portfolio_cv = load_cv(app.env.portfolio_cv_path)


# -- Rendering the sections as MyST -------------------------------------------


def education_text(cv: dict, brief: bool) -> str:
    out = []
    for entry in cv["education"]:
        gpa = f" · GPA {entry['gpa']}" if "gpa" in entry else ""
        lines = [f"**{entry['degree']}**, {entry['institution']}{gpa}  ",
                 f"{{.cv-when}}{entry['place']} · {period(entry)}"]  # fmt: skip
        text = "\n".join(lines)
        if not brief and entry.get("details"):
            text += "\n\n" + "".join(f"- {d}\n" for d in entry["details"])
        out.append(f":::{{div}} cv-entry\n{text}\n:::\n")
    return "\n".join(out)


def experience_text(cv: dict, brief: bool) -> str:
    out = []
    for entry in cv["experience"]:
        text = (f"**{entry['role']}**, {entry['organization']}  \n"
                f"{entry['place']} · {period(entry)}")  # fmt: skip
        if not brief and entry.get("highlights"):
            text += "\n\n" + "".join(f"- {h}\n" for h in entry["highlights"])
        out.append(f":::{{div}} cv-entry\n{text}\n:::\n")
    return "\n".join(out)


def skills_text(cv: dict, brief: bool) -> str:
    return "".join(f"{s['area']}\n: {s['items']}\n\n" for s in cv["skills"])


def tests_text(cv: dict, brief: bool) -> str:
    return "".join(
        f"{t['name']}\n: {t['score']}" + (f" ({t['parts']})" if "parts" in t else "") + "\n\n"
        for t in cv["tests"]
    )


def awards_text(cv: dict, brief: bool) -> str:
    return "".join(f"- {a['title']}, {a['by']} ({a['when']})\n" for a in cv["awards"])


def interests_text(cv: dict, brief: bool) -> str:
    return "".join(f"- {i}\n" for i in cv["person"]["research_interests"])


def projects_text(env) -> str:
    from .projects import sorted_projects

    out = []
    for project in sorted_projects(env):
        meta = project.meta
        env.note_dependency(str(project.path))
        out.append(
            f":::{{div}} cv-entry\n**[{meta['title']}](/{project.docname}.md)**  \n"
            f"{meta['kind']}, {project.place} · Supervisor: {meta['supervisor']}"
            + (f" · Grade {meta['grade']}" if "grade" in meta else "")
            + f"  \n{{.cv-when}}{project.period}\n:::\n"
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
    option_spec = {"brief": lambda arg: True}

    def run(self) -> list[nodes.Node]:
        name = self.arguments[0]
        known = [*SECTIONS, "projects", "publications"]
        if name not in known:
            raise self.error(f"unknown CV section '{name}': use one of {', '.join(known)}.")
        self.env.note_dependency(str(self.env.portfolio_cv_path))
        container = nodes.container(classes=["cv-section", f"cv-{name}"])
        if name == "publications":
            from .papers import publication_items

            container += publication_items(self, self.env.portfolio_bib.entries.values())
        elif name == "projects":
            container += self.parse_text_to_nodes(projects_text(self.env))
        else:
            text = SECTIONS[name](self.env.portfolio_cv, "brief" in self.options)
            container += self.parse_text_to_nodes(text)
        return [container]


class CVDownload(SphinxDirective):
    """The prominent link to the PDF of the CV."""

    def run(self) -> list[nodes.Node]:
        name = self.config.portfolio_cv_pdf
        uri = "../" * self.env.docname.count("/") + "../" + name
        ref = nodes.reference("", "", refuri=uri, classes=["sd-btn", "sd-btn-primary", "cv-download"])
        ref += nodes.Text("Download the CV (PDF)")
        return [nodes.paragraph("", "", ref, classes=["cv-download-line"])]


class CVContact(SphinxDirective):
    """Contact links: email, GitHub, Google Scholar. Never a phone number."""

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(self.env.portfolio_cv_path))
        person = self.env.portfolio_cv["person"]
        text = (
            f"[{person['email']}](mailto:{person['email']}){{.sd-btn .sd-btn-primary}}\n"
            f"[GitHub]({person['github']}){{.sd-btn .sd-btn-outline-primary}}\n"
            f"[Google Scholar]({person['scholar']}){{.sd-btn .sd-btn-outline-primary}}\n"
        )
        container = nodes.container(classes=["cv-contact"])
        container += self.parse_text_to_nodes(text)
        return [container]


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("portfolio_cv_data", "_data/cv.yaml", "env", types=[str])
    app.add_config_value("portfolio_cv_pdf", "cv.pdf", "html", types=[str])
    app.add_directive("cv-section", CVSection)
    app.add_directive("cv-contact", CVContact)
    app.add_directive("cv-download", CVDownload)
    app.connect("builder-inited", on_builder_inited)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
