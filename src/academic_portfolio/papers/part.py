"""The owner's part in a project or paper, from facts only.

A committee asks "what did this person do?". The answer is one line made of
facts the data already states, never guessed:

- from refs.bib: the owner's position among the authors, "co-first author
  (equal contribution)" when the owner and the first author are both in
  ``equal_contribution`` ("equal contribution" when the first author is not),
  and the venue with its year;
- from the project's front matter: the kind of project, the supervisor, the
  period;
- last, the project's optional ``role`` field: the owner's own one-line
  statement, shown only when the owner wrote it.

The same line is shown in a project page's header, on its paper's page and in
its card. It is plain text: the callers put it into the page as a text node.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..data.paper import Paper

if TYPE_CHECKING:
    from ..data.sources import Project

LABEL = "My part"  # the site speaks in the owner's voice ("I am ...")


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th ... 11th, 12th, 13th, 21st."""
    if number % 100 in (11, 12, 13):
        return f"{number}th"
    return f"{number}{({1: 'st', 2: 'nd', 3: 'rd'}).get(number % 10, 'th')}"


def authorship(paper: Paper) -> list[str]:
    """The owner's place among the authors, as refs.bib states it; nothing if absent."""
    listed = paper.authors
    position = next((i for i, name in enumerate(listed) if name.is_owner), None)
    if position is None:
        return []
    owner_equal, first_equal = listed[position].equal, listed[0].equal
    phrases = []
    if owner_equal and first_equal and position > 0:
        phrases.append("co-first author (equal contribution)")
    elif owner_equal:
        phrases.append("equal contribution")
    if len(listed) == 1 and not paper.et_al:
        phrases.append("sole author")
    elif paper.et_al:
        phrases.append(f"{ordinal(position + 1)} author")
    else:
        phrases.append(f"{ordinal(position + 1)} of {len(listed)} authors")
    return phrases


def paper_part(paper: Paper) -> list[str]:
    """The owner's place and the venue's label (or the year alone)."""
    authors = authorship(paper)
    return [*authors, paper.label_or_year] if authors else []


def project_part(project: Project) -> list[str]:
    if not project.supervisor:  # an independent project
        return [project.kind, project.period]
    return [f"{project.kind} supervised by {project.supervisor}", project.period]


def part_line(project: Project | None, paper: Paper | None) -> str:
    """The whole line: paper facts, project facts, then the owner's own words."""
    groups = [", ".join(paper_part(paper))] if paper is not None else []
    if project is not None:
        groups += project_part(project)
    line = " · ".join(g for g in groups if g)
    line = line[:1].upper() + line[1:]
    role = project.role if project is not None else ""
    return f"{line} · {role}" if role and line else (role or line)
