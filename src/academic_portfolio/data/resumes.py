"""A CV written for another tool, as this engine's ``_data/cv.yaml``: ``new DIR --from FILE``.

Two formats are read: JSON Resume (``resume.json``, https://jsonresume.org/schema)
and RenderCV (a YAML file with a top-level ``cv``, https://docs.rendercv.com/).
Each value goes where cv.yaml has a place for it; every value that has none is
reported, with what to do, so nothing is dropped silently. A field cv.yaml
requires and the file does not have gets a visible "(fill in: ...)" text and a
line of the report: never an invented fact (a date to fill in stops the build
until it is written). A phone number is never written
(the site never publishes one), and the report says so.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .datafiles import PRESENT
from .sources import CV_VERSION

# The month of a date as either format writes it: "2020-09", "2020-09-01".
MONTH = re.compile(r"^([0-9]{4})-(0[1-9]|1[0-2])(-[0-9]{2})?$")
# RenderCV's social networks: a username becomes the profile's address.
NETWORK_URLS = {
    "LinkedIn": "https://linkedin.com/in/{}", "GitHub": "https://github.com/{}",
    "GitLab": "https://gitlab.com/{}", "ORCID": "https://orcid.org/{}",
    "Google Scholar": "https://scholar.google.com/citations?user={}",
    "ResearchGate": "https://researchgate.net/profile/{}", "X": "https://x.com/{}",
    "Twitter": "https://twitter.com/{}", "Bluesky": "https://bsky.app/profile/{}",
    "StackOverflow": "https://stackoverflow.com/users/{}", "YouTube": "https://youtube.com/@{}",
    "Instagram": "https://instagram.com/{}", "Telegram": "https://t.me/{}",
}  # fmt: skip
# RenderCV's section names that are one of cv.yaml's own sections.
RENDERCV_SECTIONS = {"education": "education", "experience": "experience", "skills": "skills",
                     "awards": "awards", "honors": "awards", "teaching": "teaching",
                     "talks": "talks", "invited_talks": "talks", "patents": "patents",
                     "languages": "languages", "service": "service"}  # fmt: skip
# Sections whose facts have their own source in this engine.
ELSEWHERE = {
    "publications": "papers are refs.bib entries: export them as BibTeX (DBLP, Google Scholar) "
    "into refs.bib",
    "projects": "a research project is a page of its own: write research/<short-name>.md "
    "(see research/example-project.md)",
}


class ResumeError(Exception):
    """The file cannot be read as a JSON Resume or a RenderCV file; the message says why."""


@dataclass
class Imported:
    """cv.yaml's data, the values it could not place, and the fields left to fill in."""

    cv: dict[str, Any]
    unplaced: list[str] = field(default_factory=list)
    to_fill: list[str] = field(default_factory=list)

    def fill_in(self, where: str, what: str) -> str:
        self.to_fill.append(f"{where}: {what}")
        return f"(fill in: {what})"

    def report(self) -> str:
        lines = []
        if self.unplaced:
            lines.append("Not placed (cv.yaml has no place for these; add them by hand if wanted):")
            lines += [f"  - {line}" for line in self.unplaced]
        if self.to_fill:
            lines.append("To fill in (required by cv.yaml, not in the file; the site shows "
                         "\"(fill in: ...)\" until you do, and a date to fill in stops the "
                         "build until you write it):")  # fmt: skip
            lines += [f"  - _data/cv.yaml {line}" for line in self.to_fill]
        return "\n".join(lines) if lines else "Every value of the file has its place in cv.yaml."


def read_resume(path: Path) -> Imported:
    """The CV of a JSON Resume or RenderCV file, or a ResumeError that says what is wrong."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ResumeError(f"{path}: cannot read it ({error}).") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise ResumeError(f"{path}: not valid {path.suffix.lstrip('.').upper()}: {error}") from None
    if isinstance(data, dict) and isinstance(data.get("basics"), dict):
        return from_json_resume(data)
    if isinstance(data, dict) and isinstance(data.get("cv"), dict):
        return from_rendercv(data)
    raise ResumeError(
        f"{path}: neither a JSON Resume (a 'basics' object at the top) nor a RenderCV file "
        "(a 'cv' mapping at the top): give one of those."
    )


# -- Values -------------------------------------------------------------------------


def text(value: Any) -> str:
    """A value as one line of text; "" for nothing."""
    if value is None:
        return ""
    return " ".join(str(value).split())


def month(value: Any, result: Imported, where: str, end: bool = False) -> str:
    """ "2020-09-01" -> "2020-09"; "present" for an open end; else a fill-in."""
    written = text(value)
    if end and (not written or written.lower() == PRESENT):
        return PRESENT
    found = MONTH.match(written)
    if found:
        return f"{found.group(1)}-{found.group(2)}"
    return result.fill_in(where, f"the month as YYYY-MM (the file says {written or 'nothing'!r})")


def required(value: Any, result: Imported, where: str, what: str) -> str:
    return text(value) or result.fill_in(where, what)


def link(value: Any) -> str:
    url = text(value)
    return url if url.startswith(("https://", "http://")) else ""


def items(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def texts(value: Any) -> list[str]:
    return [t for t in (text(v) for v in items(value)) if t]


def unused(entry: Any, used: set[str], where: str, result: Imported) -> None:
    """Report each field of *entry* with a value that no cv.yaml field took."""
    if not isinstance(entry, dict):
        return
    for key, value in entry.items():
        if key not in used and value not in (None, "", [], {}):
            result.unplaced.append(f"{where}.{key}: {short(value)}".lstrip("."))


def short(value: Any) -> str:
    shown = text(json.dumps(value, ensure_ascii=False) if isinstance(value, dict | list) else value)
    return shown if len(shown) <= 70 else shown[:67] + "..."


def compact(entry: dict[str, Any]) -> dict[str, Any]:
    """The entry without its empty optional fields."""
    return {key: value for key, value in entry.items() if value not in ("", [], None)}


# -- JSON Resume ----------------------------------------------------------------------


def from_json_resume(data: dict[str, Any]) -> Imported:
    result = Imported({"version": CV_VERSION})
    basics = data["basics"]
    result.cv["person"] = json_resume_person(basics, result)
    unused(basics, {"name", "label", "email", "url", "profiles", "phone"}, "basics", result)
    if text(basics.get("phone")):
        result.unplaced.append("basics.phone: left out on purpose: the site never publishes "
                               "a phone number.")  # fmt: skip
    result.cv["education"] = [
        json_resume_education(e, f"education[{i}]", result)
        for i, e in enumerate(items(data.get("education")), start=1)
    ] or [placeholder_education(result)]
    work = [(e, f"{name}[{i}]", org)
            for name, org in (("work", "name"), ("volunteer", "organization"))
            for i, e in enumerate(items(data.get(name)), start=1)]  # fmt: skip
    experience = [
        json_resume_work(entry, src, f"experience[{i}]", result, org)
        for i, (entry, src, org) in enumerate(work, start=1)
    ]
    sections = {"experience": experience}
    for name, fields in JSON_RESUME_FIELDS.items():
        sections[name] = [
            mapped(entry, fields, f"{name}[{i}]", result)
            for i, entry in enumerate(items(data.get(name)), start=1)
        ]
    certificates = [
        json_resume_certificate(entry, i, result)
        for i, entry in enumerate(items(data.get("certificates")), start=1)
    ]
    result.cv.update({name: entries for name, entries in sections.items() if entries})
    if certificates:
        result.cv["sections"] = [{"title": "Certificates", "entries": certificates}]
    report_json_resume_rest(data, result)
    return result


def report_json_resume_rest(data: dict[str, Any], result: Imported) -> None:
    """What cv.yaml does not hold: papers, projects, references, interests, unknown keys."""
    for name in ("publications", "projects", "references"):
        for i, entry in enumerate(items(data.get(name)), start=1):
            title = text(entry.get("name")) if isinstance(entry, dict) else text(entry)
            reason = ELSEWHERE.get(name, "the site publishes no references")
            result.unplaced.append(f"{name}[{i}] ({short(title)}): {reason}.")
    for i, interest in enumerate(items(data.get("interests")), start=1):
        result.unplaced.append(
            f"interests[{i}]: {short(interest)}: JSON Resume's interests are any interests; "
            "write your research interests under person.research_interests."
        )
    unused(data, {"$schema", "basics", "education", "work", "volunteer", "skills", "awards",
                  "languages", "certificates", "publications", "projects", "references",
                  "interests", "meta"}, "", result)  # fmt: skip


# JSON Resume's sections that map field for field (the same name in cv.yaml):
# cv.yaml's field -> (JSON Resume's field, what to fill in where it has none).
JSON_RESUME_FIELDS = {
    "skills": {"area": ("name", "the area"), "items": ("keywords", "the skills")},
    "awards": {"title": ("title", "the award"), "by": ("awarder", "who gave it"),
               "when": ("date", "when")},
    "languages": {"language": ("language", "the language"), "level": ("fluency", "how well")},
}  # fmt: skip


def mapped(entry: Any, fields: dict[str, tuple[str, str]], where: str, result: Imported) -> dict:
    """An entry whose fields each have one place in cv.yaml; a list becomes "a, b, c"."""
    entry = entry if isinstance(entry, dict) else {}
    unused(entry, {source for source, _ in fields.values()}, where, result)
    return {
        key: (", ".join(texts(entry.get(source))) if isinstance(entry.get(source), list)
              else text(entry.get(source))) or result.fill_in(f"{where}.{key}", what)
        for key, (source, what) in fields.items()
    }  # fmt: skip


def json_resume_certificate(entry: dict, index: int, result: Imported) -> dict[str, Any]:
    """A certificate, as an entry of the owner-named section "Certificates"."""
    unused(entry, {"name", "issuer", "date", "url"}, f"certificates[{index}]", result)
    return compact({
        "title": required(entry.get("name"), result, f"sections[1].entries[{index}].title",
                          "its name"),
        "detail": text(entry.get("issuer")), "when": text(entry.get("date")),
        "url": link(entry.get("url")),
    })  # fmt: skip


def json_resume_person(basics: dict, result: Imported) -> dict[str, Any]:
    profiles = [{"name": text(p.get("network")) or "Profile", "url": link(p.get("url"))}
                for p in items(basics.get("profiles")) if link(p.get("url"))]  # fmt: skip
    for i, p in enumerate(items(basics.get("profiles")), start=1):
        unused(p, {"network", "url"}, f"basics.profiles[{i}]", result)
        if not link(p.get("url")):
            result.unplaced.append(f"basics.profiles[{i}] ({short(p.get('network'))} "
                                   f"{short(p.get('username'))}): no https:// address; add "
                                   "the profile's address under person.profiles.")  # fmt: skip
    if link(basics.get("url")):
        profiles.insert(0, {"name": "Homepage", "url": link(basics["url"])})
    return person(basics.get("name"), basics.get("label"), [], basics.get("email"), profiles,
                  result)  # fmt: skip


def person(name, headline, interests, email, profiles, result: Imported) -> dict[str, Any]:
    found = {
        "name": required(name, result, "person.name", "your name"),
        "headline": required(headline, result, "person.headline", "a one-line headline"),
        "research_interests": interests
        or [result.fill_in("person.research_interests", "a research interest")],
        "email": text(email) or "name@example.org",
        "profiles": profiles,
    }
    if not text(email):
        result.to_fill.append("person.email: your e-mail address (name@example.org for now)")
    return compact(found)


def json_resume_education(entry: dict, where: str, result: Imported) -> dict[str, Any]:
    unused(entry, {"institution", "studyType", "area", "startDate", "endDate", "score", "courses"},
           where, result)  # fmt: skip
    degree = " in ".join(t for t in (text(entry.get("studyType")), text(entry.get("area"))) if t)
    return compact({
        "institution": required(entry.get("institution"), result, f"{where}.institution",
                                "the institution"),
        "degree": degree or result.fill_in(f"{where}.degree", "the degree"),
        "place": result.fill_in(f"{where}.place", "the city"),
        "start": month(entry.get("startDate"), result, f"{where}.start"),
        "end": month(entry.get("endDate"), result, f"{where}.end", end=True),
        "gpa": text(entry.get("score")),
        "details": texts(entry.get("courses")),
    })  # fmt: skip


def json_resume_work(
    entry: dict, src: str, where: str, result: Imported, org: str
) -> dict[str, Any]:
    """A work or volunteer entry (*src* in the file) as cv.yaml's experience entry *where*."""
    unused(entry, {org, "position", "location", "startDate", "endDate", "summary", "highlights"},
           src, result)  # fmt: skip
    return compact({
        "organization": required(entry.get(org), result, f"{where}.organization",
                                 "the organization"),
        "role": required(entry.get("position"), result, f"{where}.role", "the role"),
        "place": required(entry.get("location"), result, f"{where}.place", "the city"),
        "start": month(entry.get("startDate"), result, f"{where}.start"),
        "end": month(entry.get("endDate"), result, f"{where}.end", end=True),
        "highlights": [t for t in (text(entry.get("summary")), *texts(entry.get("highlights")))
                       if t],
    })  # fmt: skip


def placeholder_education(result: Imported) -> dict[str, Any]:
    """cv.yaml needs one degree; the file has none. Its dates stop the build until written."""
    fields = {"institution": "an institution", "degree": "a degree", "place": "the city",
              "start": "the first month, YYYY-MM", "end": "the last month, YYYY-MM"}  # fmt: skip
    return {key: result.fill_in(f"education[1].{key}", what) for key, what in fields.items()}


# -- RenderCV -------------------------------------------------------------------------


def from_rendercv(document: dict[str, Any]) -> Imported:
    result = Imported({"version": CV_VERSION})
    cv = document["cv"]
    result.cv["person"] = rendercv_person(cv, result)
    sections = cv.get("sections") if isinstance(cv.get("sections"), dict) else {}
    own = rendercv_sections(sections, result)
    if own:
        result.cv["sections"] = own
    settings = [key for key in ("design", "locale", "settings") if key in document]
    if settings:
        result.unplaced.append(f"{', '.join(settings)}: RenderCV's typesetting settings; the site "
                               "and its PDF have their own design.")  # fmt: skip
    if "**" in json.dumps(result.cv) or "](" in json.dumps(result.cv):
        result.unplaced.append("RenderCV's Markdown (**bold**, [text](link)) is kept as written: "
                               "cv.yaml's values are plain text; remove the marks.")  # fmt: skip
    unused(document, {"cv", "design", "locale", "settings"}, "", result)
    if "education" not in result.cv:
        result.cv["education"] = [placeholder_education(result)]
    result.cv = {k: result.cv[k] for k in ("version", "person", "education", *result.cv)
                 if k in result.cv}  # fmt: skip
    return result


def rendercv_person(cv: dict[str, Any], result: Imported) -> dict[str, Any]:
    """cv.yaml's person: a network's address is built from its username where known."""
    website = link(cv.get("website"))
    profiles = [{"name": "Homepage", "url": website}] if website else []
    for i, network in enumerate(items(cv.get("social_networks")), start=1):
        pattern = NETWORK_URLS.get(text(network.get("network")))
        if pattern and text(network.get("username")):
            profiles.append({"name": text(network["network"]),
                             "url": pattern.format(text(network["username"]))})  # fmt: skip
        else:
            result.unplaced.append(f"cv.social_networks[{i}]: {short(network)}: add its address "
                                   "under person.profiles.")  # fmt: skip
    unused(cv, {"name", "headline", "email", "website", "social_networks", "sections", "phone"},
           "cv", result)  # fmt: skip
    if text(cv.get("phone")):
        result.unplaced.append("cv.phone: left out on purpose: the site never publishes a phone "
                               "number.")  # fmt: skip
    return person(cv.get("name"), cv.get("headline"), [], cv.get("email"), profiles, result)


def rendercv_sections(sections: dict[str, Any], result: Imported) -> list[dict[str, Any]]:
    """Sections cv.yaml has by name go there; the others become sections of the
    owner's naming, which are returned; papers and projects are reported."""
    own: list[dict[str, Any]] = []
    for title, entries in sections.items():
        where = f"cv.sections.{title}"
        key = RENDERCV_SECTIONS.get(str(title).lower().replace(" ", "_"))
        if str(title).lower() in ELSEWHERE:
            result.unplaced.append(f"{where} ({len(items(entries))} entries): "
                                   f"{ELSEWHERE[str(title).lower()]}.")  # fmt: skip
        elif key in RENDERCV_ENTRY and all(isinstance(e, dict) for e in items(entries)):
            result.cv[key] = [RENDERCV_ENTRY[key](e, f"{where}[{i}]", f"{key}[{i}]", result)
                              for i, e in enumerate(items(entries), start=1)]  # fmt: skip
        else:
            own.append({"title": text(title).replace("_", " ").capitalize()
                        if str(title).islower() else text(title),
                        "entries": [rendercv_any(e, f"{where}[{i}]",
                                                 f"sections[{len(own) + 1}].entries[{i}]", result)
                                    for i, e in enumerate(items(entries), start=1)]})  # fmt: skip
    return own


def rendercv_dates(entry: dict, where: str, result: Imported) -> tuple[str, str]:
    if entry.get("start_date") is None and entry.get("date") is not None:
        written = month(entry.get("date"), result, f"{where}.start")
        return written, written
    return (month(entry.get("start_date"), result, f"{where}.start"),
            month(entry.get("end_date"), result, f"{where}.end", end=True))  # fmt: skip


def rendercv_points(entry: dict) -> list[str]:
    return [t for t in (text(entry.get("summary")), *texts(entry.get("highlights"))) if t]


def rendercv_education(entry: dict, src: str, where: str, result: Imported) -> dict[str, Any]:
    unused(entry, {"institution", "area", "degree", "date", "start_date", "end_date", "location",
                   "summary", "highlights"}, src, result)  # fmt: skip
    start, end = rendercv_dates(entry, where, result)
    degree = " in ".join(t for t in (text(entry.get("degree")), text(entry.get("area"))) if t)
    return compact({
        "institution": required(entry.get("institution"), result, f"{where}.institution",
                                "the institution"),
        "degree": degree or result.fill_in(f"{where}.degree", "the degree"),
        "place": required(entry.get("location"), result, f"{where}.place", "the city"),
        "start": start, "end": end, "details": rendercv_points(entry),
    })  # fmt: skip


def rendercv_experience(entry: dict, src: str, where: str, result: Imported) -> dict[str, Any]:
    unused(entry, {"company", "position", "date", "start_date", "end_date", "location", "summary",
                   "highlights"}, src, result)  # fmt: skip
    start, end = rendercv_dates(entry, where, result)
    return compact({
        "organization": required(entry.get("company"), result, f"{where}.organization",
                                 "the organization"),
        "role": required(entry.get("position"), result, f"{where}.role", "the role"),
        "place": required(entry.get("location"), result, f"{where}.place", "the city"),
        "start": start, "end": end, "highlights": rendercv_points(entry),
    })  # fmt: skip


def rendercv_skill(entry: dict, src: str, where: str, result: Imported) -> dict[str, Any]:
    unused(entry, {"label", "details"}, src, result)
    return {"area": required(entry.get("label"), result, f"{where}.area", "the area"),
            "items": required(entry.get("details"), result, f"{where}.items", "the skills")}  # fmt: skip


def rendercv_language(entry: dict, src: str, where: str, result: Imported) -> dict[str, Any]:
    unused(entry, {"label", "details"}, src, result)
    return {"language": required(entry.get("label"), result, f"{where}.language", "the language"),
            "level": required(entry.get("details"), result, f"{where}.level", "how well")}  # fmt: skip


RENDERCV_ENTRY = {"education": rendercv_education, "experience": rendercv_experience,
                  "skills": rendercv_skill, "languages": rendercv_language}  # fmt: skip


def rendercv_any(entry: Any, src: str, where: str, result: Imported) -> dict[str, Any]:
    """Any RenderCV entry (text, bullet, numbered, one-line, normal ...) as an owner-section entry."""
    if not isinstance(entry, dict):
        return {"title": required(entry, result, where, "the entry")}
    for single in ("bullet", "number", "reversed_number"):
        if single in entry:
            unused(entry, {single}, src, result)
            return {"title": required(entry[single], result, where, "the entry")}
    if "label" in entry:
        unused(entry, {"label", "details"}, src, result)
        return compact({"title": required(entry["label"], result, where, "the entry"),
                        "detail": text(entry.get("details"))})  # fmt: skip
    title_key = next((k for k in ("name", "title", "company", "institution") if k in entry), None)
    detail_key = next((k for k in ("position", "degree", "area", "location") if entry.get(k)), None)
    used = {title_key, detail_key, "date", "start_date", "end_date", "summary", "highlights"}
    unused(entry, {k for k in used if k}, src, result)
    start, end = (text(entry.get("start_date")), text(entry.get("end_date")))
    when = text(entry.get("date")) or (f"{start} – {end}" if start else "")
    return compact({
        "title": required(entry.get(title_key), result, f"{where}.title", "the entry"),
        "detail": text(entry.get(detail_key)) if detail_key else "",
        "when": when, "highlights": rendercv_points(entry),
    })  # fmt: skip


# -- Writing cv.yaml -------------------------------------------------------------------


def cv_yaml_text(imported: Imported, source: Path) -> str:
    """cv.yaml's text: a header that says where it came from, then the data."""
    header = (
        f"# The CV's facts, started from {source.name} by `new --from`: check every value.\n"
        "# Projects come from research/*.md and papers from refs.bib: not here.\n"
        "# Dates are \"YYYY-MM\" (an ongoing one ends \"present\"). The fields are\n"
        "# described in sphinx-academic-portfolio's schemas/cv.schema.json.\n"
    )  # fmt: skip
    body = yaml.safe_dump(imported.cv, sort_keys=False, allow_unicode=True, width=100)
    return header + body


# The heading cv.md gives each of cv.yaml's optional sections.
HEADINGS = {"experience": "Experience", "skills": "Skills", "tests": "Language tests",
            "awards": "Awards", "teaching": "Teaching", "talks": "Talks",
            "service": "Service and reviewing", "grants": "Grants", "supervision": "Supervision",
            "patents": "Patents", "languages": "Languages"}  # fmt: skip


def cv_page_sections(cv: dict[str, Any]) -> str:
    """cv.md's part for the optional sections the imported CV has, in cv.yaml's order."""
    parts = [f"## {HEADINGS[name]}\n\n```{{cv-section}} {name}\n```\n"
             for name in cv if name in HEADINGS]  # fmt: skip
    parts += [f"## {s['title']}\n\n```{{cv-section}} {s['title']}\n```\n"
              for s in cv.get("sections", ())]  # fmt: skip
    return "\n".join(parts)
