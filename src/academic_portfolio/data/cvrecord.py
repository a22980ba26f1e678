"""cv.yaml read once: the typed CV record every page feature renders.

:func:`cv_record` turns the checked data of ``_data/cv.yaml`` (checked by
:func:`academic_portfolio.data.sources.load_cv` against ``schemas/cv.schema.json``)
into one frozen :class:`CV`: the person of the header, then one tuple of
records per section. Each text is in its final form here, once: cv.yaml's
values are text, never Markdown or HTML, so a record holds the value as
written and every output (the CV page, the home page, the header, the cards,
the JSON-LD, the PDF) shows it as text through its own escaping path. Each
degree's and position's dates are read here into their period ("Aug 2022 –
Jan 2023"), and each link is checked here (https, http and mailto only; the
schema already refused any other, so none is ever dropped silently). A fix to
how a field of cv.yaml is read is made in this module, once.

:class:`~academic_portfolio.data.store.PortfolioDomain` makes the record once
per content of cv.yaml and gives a page a :class:`RecordedView` of it, which
records each field the page reads (``cv:<section>``, ``cv:person.<field>``),
so that an edit of cv.yaml rewrites only the pages that show the edited field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, ClassVar

from ..text.latex import is_safe_link
from .datafiles import period


def text(data: Mapping[str, Any], name: str) -> str:
    """A text field of cv.yaml as shown: the value as written ("" when absent)."""
    return data.get(name, "")


def texts(data: Mapping[str, Any], name: str) -> tuple[str, ...]:
    """A list of texts (details, highlights), each as shown; () when absent."""
    return tuple(data.get(name, ()))


def link(data: Mapping[str, Any], name: str) -> str:
    """A link of cv.yaml: https, http or mailto (the schema's format "link"),
    or "" when absent. The schema refuses any other with the file and line;
    this is the one place that says so again, before a page links it."""
    url = data.get(name, "")
    if url and not is_safe_link(url):
        raise ValueError(f"cv.yaml's {name} {url!r} passed the schema but is not a safe link")
    return url


@dataclass(frozen=True)
class Profile:
    """One of the owner's profiles elsewhere (GitHub, Google Scholar ...)."""

    name: str
    url: str  # https, http or mailto


@dataclass(frozen=True)
class Person:
    """cv.yaml's ``person``: the header, the CV's first lines, the JSON-LD Person."""

    # A field made from another one is recorded as a read of the one it comes from.
    READ_FROM: ClassVar[dict[str, str]] = {"mailto": "email"}

    name: str
    headline: str
    research_interests: tuple[str, ...]
    email: str
    mailto: str  # "mailto:<email>", or "" when the address would not be a safe link
    now: str  # the owner's "now / seeking" line, or ""
    profiles: tuple[Profile, ...]


@dataclass(frozen=True)
class Education:
    institution: str
    degree: str
    place: str
    start: str  # YYYY-MM
    end: str  # YYYY-MM or "present"
    period: str  # "Sep 2019 to Jul 2021" (datafiles.period)
    gpa: str
    details: tuple[str, ...]


@dataclass(frozen=True)
class Position:
    """An entry of cv.yaml's ``experience``."""

    organization: str
    role: str
    place: str
    start: str
    end: str
    period: str
    highlights: tuple[str, ...]


@dataclass(frozen=True)
class Skill:
    area: str
    items: str


@dataclass(frozen=True)
class TestScore:
    """A language test's result (cv.yaml's ``tests``)."""

    name: str
    score: str
    parts: str


@dataclass(frozen=True)
class Award:
    title: str
    by: str
    when: str


@dataclass(frozen=True)
class Teaching:
    course: str
    role: str
    institution: str
    when: str
    details: tuple[str, ...]


@dataclass(frozen=True)
class Talk:
    title: str
    event: str
    place: str
    when: str
    url: str


@dataclass(frozen=True)
class Service:
    role: str
    organization: str
    when: str
    details: tuple[str, ...]


@dataclass(frozen=True)
class Grant:
    title: str
    funder: str
    when: str
    role: str
    amount: str


@dataclass(frozen=True)
class Supervision:
    student: str
    level: str
    when: str
    topic: str
    institution: str


@dataclass(frozen=True)
class Patent:
    title: str
    number: str
    when: str
    inventors: str
    url: str


@dataclass(frozen=True)
class Language:
    language: str
    level: str


@dataclass(frozen=True)
class OwnEntry:
    """An entry of a section of the owner's naming."""

    title: str
    detail: str
    when: str
    url: str
    highlights: tuple[str, ...]


@dataclass(frozen=True)
class OwnSection:
    """A section of the owner's naming (cv.yaml's ``sections``)."""

    title: str
    entries: tuple[OwnEntry, ...]


@dataclass(frozen=True)
class CV:
    """cv.yaml, read. An optional section absent from the file is None (a page
    that names it says so); one written with no entries is ()."""

    person: Person
    education: tuple[Education, ...]
    experience: tuple[Position, ...] | None
    skills: tuple[Skill, ...] | None
    tests: tuple[TestScore, ...] | None
    awards: tuple[Award, ...] | None
    teaching: tuple[Teaching, ...] | None
    talks: tuple[Talk, ...] | None
    service: tuple[Service, ...] | None
    grants: tuple[Grant, ...] | None
    supervision: tuple[Supervision, ...] | None
    patents: tuple[Patent, ...] | None
    languages: tuple[Language, ...] | None
    sections: tuple[OwnSection, ...]


# -- Reading: one function per record ------------------------------------------------


def person(data: Mapping[str, Any]) -> Person:
    email = data["email"]
    mailto = f"mailto:{email}"
    return Person(
        name=data["name"],
        headline=data["headline"],
        research_interests=texts(data, "research_interests"),
        email=email,
        mailto=mailto if is_safe_link(mailto) else "",
        now=text(data, "now"),
        profiles=tuple(Profile(p["name"], link(p, "url")) for p in data.get("profiles", ())),
    )


def education(e: Mapping[str, Any]) -> Education:
    return Education(e["institution"], e["degree"], e["place"], e["start"], e["end"], period(e),
                     text(e, "gpa"), texts(e, "details"))  # fmt: skip


def position(e: Mapping[str, Any]) -> Position:
    return Position(e["organization"], e["role"], e["place"], e["start"], e["end"], period(e),
                    texts(e, "highlights"))  # fmt: skip


def own_section(s: Mapping[str, Any]) -> OwnSection:
    return OwnSection(s["title"], tuple(
        OwnEntry(e["title"], text(e, "detail"), text(e, "when"), link(e, "url"),
                 texts(e, "highlights"))
        for e in s["entries"]
    ))  # fmt: skip


# How each optional section's entries are read.
READERS: dict[str, Callable[[Mapping[str, Any]], Any]] = {
    "experience": position,
    "skills": lambda s: Skill(s["area"], s["items"]),
    "tests": lambda t: TestScore(t["name"], t["score"], text(t, "parts")),
    "awards": lambda a: Award(a["title"], a["by"], a["when"]),
    "teaching": lambda t: Teaching(t["course"], t["role"], t["institution"], t["when"],
                                   texts(t, "details")),
    "talks": lambda t: Talk(t["title"], t["event"], text(t, "place"), t["when"], link(t, "url")),
    "service": lambda s: Service(s["role"], s["organization"], text(s, "when"),
                                 texts(s, "details")),
    "grants": lambda g: Grant(g["title"], g["funder"], g["when"], text(g, "role"),
                              text(g, "amount")),
    "supervision": lambda s: Supervision(s["student"], s["level"], s["when"], text(s, "topic"),
                                         text(s, "institution")),
    "patents": lambda p: Patent(p["title"], p["number"], p["when"], text(p, "inventors"),
                                link(p, "url")),
    "languages": lambda lang: Language(lang["language"], lang["level"]),
}  # fmt: skip


def optional(data: Mapping[str, Any], name: str) -> tuple[Any, ...] | None:
    if name not in data:
        return None
    return tuple(READERS[name](entry) for entry in data[name])


def cv_record(data: Mapping[str, Any]) -> CV:
    """cv.yaml's checked data, read once (see the module's documentation)."""
    return CV(
        person=person(data["person"]),
        education=tuple(education(e) for e in data["education"]),
        sections=tuple(own_section(s) for s in data.get("sections", ())),
        **{name: optional(data, name) for name in READERS},
    )


def as_data(value: Any) -> Any:
    """A record as plain data, for a template (the CV PDF's ``templates/cv.typ``):
    each record a dictionary without the fields cv.yaml does not give ("",
    None), as the file left them out; each tuple a list."""
    if is_dataclass(value) and not isinstance(value, type):
        found = {field.name: getattr(value, field.name) for field in fields(value)}
        return {name: as_data(item) for name, item in found.items() if item not in ("", None)}
    if isinstance(value, tuple):
        return [as_data(item) for item in value]
    return value


PLACEHOLDER = "(fill in:"  # what `new --from` writes where a required fact is missing


def placeholder_fields(value: Any, where: str = "") -> list[str]:
    """Where cv.yaml's data still holds a placeholder of `new --from`, as
    paths such as ``person.headline``."""
    if isinstance(value, dict):
        return [f for key, item in value.items()
                for f in placeholder_fields(item, f"{where}.{key}" if where else str(key))]  # fmt: skip
    if isinstance(value, list):
        return [f for index, item in enumerate(value, start=1)
                for f in placeholder_fields(item, f"{where}[{index}]")]  # fmt: skip
    return [where] if isinstance(value, str) and PLACEHOLDER in value else []


# -- Reading from a page: each field read is recorded ------------------------------------


class RecordedView:
    """A record as a page reads it: each field read notes its source.

    A field that is itself a record of fields (the CV's ``person``) is a view
    too, whose fields are sources of their own (``cv:person.name``); any
    other field (a section's tuple of entries, a text) is one source
    (``cv:awards``). A field made from another (:attr:`Person.mailto`) notes
    the one it is made from. Typed by the store as the record it stands for.
    """

    NESTED: ClassVar[tuple[type, ...]] = (Person,)

    def __init__(self, record: Any, note: Callable[[str], None], prefix: str):
        self._record, self._note, self._prefix = record, note, prefix

    def __getattr__(self, name: str) -> Any:
        record = self.__dict__["_record"]
        value = getattr(record, name)
        if name in {f.name for f in fields(record)}:
            if is_dataclass(value) and isinstance(value, self.NESTED):
                return RecordedView(value, self._note, f"{self._prefix}{name}.")
            self._note(self._prefix + getattr(record, "READ_FROM", {}).get(name, name))
        return value

    def __repr__(self) -> str:
        return f"RecordedView({self._record!r})"


def sources_of(record_type: type, prefix: str = "cv:") -> set[str]:
    """Every source a view of *record_type* can note (for the tests)."""
    found = set()
    for field in fields(record_type):
        nested = next((t for t in RecordedView.NESTED if t.__name__ == field.type), None)
        if nested is not None:
            found |= sources_of(nested, f"{prefix}{field.name}.")
        else:
            read_from = getattr(record_type, "READ_FROM", {})
            found.add(prefix + read_from.get(field.name, field.name))
    return found
