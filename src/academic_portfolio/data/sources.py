"""The site's data files, read and checked: no Sphinx here, only the loaders.

- ``_data/cv.yaml`` (schema ``schemas/cv.schema.json``): :func:`load_cv`;
- each research project's front matter (``schemas/project.schema.json``):
  :func:`load_projects`, one :class:`Project` per page;
- ``refs.bib``: :func:`academic_portfolio.data.refsbib.load_bib`.

Each raises :class:`~academic_portfolio.data.datafiles.DataFileError` listing every problem
with its file and line; :mod:`academic_portfolio.data.store` loads them once per change.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .datafiles import (
    DataFileError,
    DataProblem,
    front_matter_text,
    load_schema,
    load_yaml,
    period,
    read_text,
    validate,
)
from .datafiles import (
    _line_of as line_of,
)

CV_SCHEMA = load_schema("cv")
PROJECT_SCHEMA = load_schema("project")
PROJECTS_INDEX = "index"  # research/index.md lists the projects; it is not one
PAGE_NAME = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # the page's URL: lowercase, digits, dashes


@dataclass(frozen=True)
class Result:
    """One of a project's results: a value, or a before/after pair."""

    label: str  # what the number measures
    value: str  # as shown: the value, or "before → after"
    before: str  # a percentage, for a before/after pair; "" otherwise
    after: str

    @property
    def is_pair(self) -> bool:
        return bool(self.before)


@dataclass(frozen=True)
class ProjectLink:
    label: str
    url: str  # https, http or mailto (the schema's format "link")


@dataclass(frozen=True)
class Project:
    """A research project: its page and the facts of its front matter, read
    once (:func:`project_record`). Every page feature renders this record,
    never the front matter's fields; a field the page does not give is ""."""

    docname: str
    path: Path
    title: str
    summary: str
    kind: str  # "Master thesis", "Independent project" ...
    institution: str
    lab: str
    supervisor: str  # "" for an independent project
    start: str  # YYYY-MM
    end: str
    period: str  # "Aug 2022 to Jan 2023" (datafiles.period)
    place: str  # "Lab, Institution", or the institution alone
    grade: str
    paper: str  # a key of refs.bib, or ""
    role: str  # the owner's own words about their part, or ""
    results: tuple[Result, ...]
    links: tuple[ProjectLink, ...]


def result(data: dict[str, str]) -> Result:
    if "value" in data:
        return Result(data["label"], data["value"], "", "")
    before, after = data["before"], data["after"]
    return Result(data["label"], f"{before} → {after}", before, after)


def project_record(docname: str, path: Path, meta: dict[str, Any]) -> Project:
    """A project page's checked front matter, read once."""
    lab = meta.get("lab", "")
    return Project(
        docname=docname,
        path=path,
        title=meta["title"],
        summary=meta["summary"],
        kind=meta["kind"],
        institution=meta["institution"],
        lab=lab,
        supervisor=meta.get("supervisor", ""),
        start=meta["start"],
        end=meta["end"],
        period=period(meta),
        place=f"{lab}, {meta['institution']}" if lab else meta["institution"],
        grade=meta.get("grade", ""),
        paper=meta.get("paper", ""),
        role=meta.get("role", ""),
        results=tuple(result(r) for r in meta["results"]),
        links=tuple(ProjectLink(link["label"], link["url"]) for link in meta.get("links", ())),
    )


def load_cv(path: Path) -> dict[str, Any]:
    """Read and check the CV data file; raise DataFileError naming every problem."""
    if not path.is_file():
        raise DataFileError([DataProblem(path, None, "the CV data file is missing.")])
    data, node = load_yaml(read_text(path), path)
    problems = cv_version_problems(data, node, path)
    if problems:  # another format: the schema's messages would not say what to change
        raise DataFileError(problems)
    validate(data, node, CV_SCHEMA, path)
    problems = [
        DataProblem(path, None, f"{section}[{index}]: 'start' comes after 'end': swap them.")
        for section in ("education", "experience")
        for index, entry in enumerate(data.get(section, []), start=1)
        if entry["start"] > entry["end"]
    ]
    problems += own_section_problems(data, node, path)
    if problems:
        raise DataFileError(problems)
    return data


# The CV sections the engine names itself: an owner's section takes another title.
BUILT_IN_SECTIONS = ("education", "experience", "skills", "tests", "awards", "teaching", "talks",
                     "service", "grants", "supervision", "patents", "languages", "interests",
                     "projects", "publications")  # fmt: skip


def own_section_problems(data: dict[str, Any], node: Any, path: Path) -> list[DataProblem]:
    """Each section of the owner's naming needs a title of its own: a page finds it by title."""
    problems, seen = [], set()
    for index, section in enumerate(data.get("sections", [])):
        title = section["title"]
        line = line_of(node, ["sections", index, "title"])
        where = line + 1 if line is not None else None
        if title in BUILT_IN_SECTIONS:  # {cv-section} NAME would find the engine's
            problems.append(DataProblem(path, where, (
                f"sections[{index + 1}]: the title {title!r} is a section the engine has: write "
                f"its entries under '{title}' instead, or give another title."
            )))  # fmt: skip
        elif title in seen:
            problems.append(DataProblem(path, where, (
                f"sections[{index + 1}]: a second section titled {title!r}: a page shows a "
                "section by its title, so give each its own, or merge their entries."
            )))  # fmt: skip
        seen.add(title)
    return problems


# The format of cv.yaml this engine reads (its top-level ``version``; a file
# without one is version 1). The versions are described in CHANGELOG.md.
CV_VERSION = 2
# Version 1's profile fields of ``person``, and the name version 2 gives each.
CV_V1_PROFILES = {"github": "GitHub", "scholar": "Google Scholar"}


def cv_version_problems(data: Any, node: Any, path: Path) -> list[DataProblem]:
    """What to change in a cv.yaml written for another format than CV_VERSION."""
    if not isinstance(data, dict):
        return []  # the schema says what the file must be
    version = data.get("version", 1)

    def at(*location: Any) -> int | None:
        line = line_of(node, list(location))
        return line + 1 if line is not None else None

    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        return [DataProblem(path, at("version"), (
            f"version: {version!r} is not a format version of cv.yaml: "
            f"write version: {CV_VERSION} (this file's format is described in "
            "sphinx-academic-portfolio's CHANGELOG.md)."
        ))]  # fmt: skip
    if version > CV_VERSION:
        return [DataProblem(path, at("version"), (
            f"version: {version}: this file is written for a newer sphinx-academic-portfolio "
            f"than the one installed, which reads cv.yaml version {CV_VERSION}: upgrade "
            "sphinx-academic-portfolio (the engine requirement in your pyproject.toml)."
        ))]  # fmt: skip
    if version == CV_VERSION:
        return []
    written = "version: 1" if "version" in data else "no 'version' line, so version 1"
    problems = [DataProblem(path, at("version") if "version" in data else 1, (
        f"this cv.yaml is in the format of version 1 ({written}); this "
        f"sphinx-academic-portfolio reads version {CV_VERSION}: write version: {CV_VERSION} "
        "at the top of the file" + (", and make the change below." if any(
            k in CV_V1_PROFILES for k in _person(data)) else ".")
    ))]  # fmt: skip
    person = _person(data)
    old = [key for key in CV_V1_PROFILES if key in person]
    if old:
        block = "".join(f"\n    - name: {CV_V1_PROFILES[key]}\n      url: {person[key]}"
                        for key in old)  # fmt: skip
        fields = " and ".join(f"person.{key}" for key in old)
        problems.append(DataProblem(path, at("person", old[0]), (
            f"{fields}: version {CV_VERSION} lists the owner's profiles under person.profiles, "
            f"each with a name and a url: replace {'these lines' if len(old) > 1 else 'this line'} "
            f"with\n  profiles:{block}"
        )))  # fmt: skip
    return problems


def _person(data: dict[str, Any]) -> dict[str, Any]:
    person = data.get("person")
    return person if isinstance(person, dict) else {}


def project_files(folder: Path) -> list[Path]:
    """The project pages of *folder* (research/), without its index."""
    return [path for path in sorted(folder.glob("*.md")) if path.stem != PROJECTS_INDEX]


def page_name_problem(path: Path, docname: str) -> DataProblem | None:
    if PAGE_NAME.fullmatch(path.stem):
        return None
    suggestion = re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-") or "my-project"
    return DataProblem(path, None, (
        f"the file name becomes the page's address, /{docname}/: use lowercase letters, "
        f"digits and dashes, such as {suggestion}.md."
    ))  # fmt: skip


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
    validate(data, node, PROJECT_SCHEMA, path, first_line)
    if data["start"] > data["end"]:
        raise DataFileError([DataProblem(path, None, "'start' comes after 'end': swap them.")])
    return data


def newest_first(projects: list[Project]) -> list[Project]:
    """By end month, then by start month, newest first."""
    return sorted(projects, key=lambda p: (p.end, p.start), reverse=True)


def load_projects(
    folder: Path, prefix: str, checked: Callable[[Path, str, Callable[[], Any]], Any]
) -> dict[str, Project]:
    """Every project of *folder* by docname, or a DataFileError listing every
    problem. *checked(path, text, check)* runs *check* once per front-matter
    text: editing a page's prose does not check its facts again."""
    projects, problems = {}, []
    for path in project_files(folder):
        docname = f"{prefix}/{path.stem}"
        if problem := page_name_problem(path, docname):
            problems.append(problem)
            continue
        try:
            text, first_line = front_matter_of(path)
            meta = checked(
                path, text, functools.partial(parse_front_matter, path, text, first_line)
            )
            projects[docname] = project_record(docname, path, meta)
        except DataFileError as error:
            problems.extend(error.problems)
    if problems:
        raise DataFileError(problems)
    return projects
