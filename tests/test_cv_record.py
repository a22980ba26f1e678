"""The CV record and the project record: cv.yaml and each project's front matter read once.

cv.yaml becomes one frozen record (academic_portfolio.data.cvrecord) and each
project page's front matter one (academic_portfolio.data.sources.Project);
every page feature renders these records. These tests pin how the records
read the data, that a page's read of the CV record is still recorded per
field (the incremental builds depend on it), and that no page feature reads
cv.yaml's or the front matter's raw dictionaries again.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from test_paper_record import ENGINE, absolute, package_of

from academic_portfolio.data.cvrecord import (
    CV,
    Person,
    RecordedView,
    as_data,
    cv_record,
    sources_of,
)
from academic_portfolio.data.sources import load_cv, project_record

pytestmark = pytest.mark.pure

OTHER_CV = Path(__file__).parent / "fixtures" / "other-portfolio" / "_data" / "cv.yaml"
SCHEMAS = ENGINE / "schemas"
# The packages of page features, and the pages and page weight: they render
# the records, never the data files' dictionaries.
FEATURES = ("papers", "metadata", "cv", "projects", "pages", "weight")


def test_every_section_of_the_strangers_cv_is_read():
    cv = cv_record(load_cv(OTHER_CV))
    assert cv.person.profiles and cv.person.now and cv.person.mailto == "mailto:zoe@example.org"
    assert cv.education[0].period.count(" – ") == 1 and cv.education[0].start < cv.education[0].end
    for name in ("experience", "skills", "teaching", "talks", "service", "grants", "supervision",
                 "patents", "languages"):  # fmt: skip
        assert getattr(cv, name), name
    assert cv.tests is None and cv.awards is None  # not in this cv.yaml: absent, not empty
    assert cv.sections[0].title == "Science outreach" and cv.sections[0].entries


def test_text_is_kept_as_written_and_dates_become_periods():
    data = {"person": {"name": "Ada *Example*", "headline": "50% <b>of</b> `x`",
                       "research_interests": ["A \\% B"], "email": "ada@example.org"},
            "education": [{"institution": "U", "degree": "MSc", "place": "P",
                           "start": "2020-09", "end": "present"}],
            "awards": []}  # fmt: skip
    cv = cv_record(data)
    assert (cv.person.name, cv.person.headline) == ("Ada *Example*", "50% <b>of</b> `x`")
    assert cv.person.research_interests == ("A \\% B",)
    assert cv.education[0].period == "Sep 2020 – present"
    assert cv.awards == () and cv.experience is None and cv.person.now == ""


def test_an_address_that_is_no_safe_link_gives_no_mailto():
    data = {"person": {"name": "A", "headline": "H", "research_interests": ["R"],
                       "email": 'a"b@example.org'},
            "education": [{"institution": "U", "degree": "D", "place": "P",
                           "start": "2020-09", "end": "2021-09"}]}  # fmt: skip
    assert cv_record(data).person.mailto == ""


def test_a_link_of_another_scheme_is_refused_when_read():
    data = load_cv(OTHER_CV)
    data["talks"][0]["url"] = "javascript:alert(1)"
    with pytest.raises(ValueError, match="not a safe link"):
        cv_record(data)


def test_the_pdf_data_leaves_out_what_cv_yaml_leaves_out():
    cv = cv_record(load_cv(OTHER_CV))
    data = as_data(cv)
    assert "tests" not in data and "awards" not in data
    assert all("gpa" not in e for e in data["education"] if not e.get("gpa"))
    assert isinstance(data["person"]["research_interests"], list)


# -- The recording: a page's read of a field is its source ------------------------------


def test_each_field_a_page_reads_is_recorded():
    noted: list[str] = []
    view = RecordedView(cv_record(load_cv(OTHER_CV)), noted.append, "cv:")
    assert view.person.name.startswith("Zoë")
    assert view.person.mailto
    assert view.awards is None
    assert view.education
    assert noted == ["cv:person.name", "cv:person.email", "cv:awards", "cv:education"]


def test_every_source_a_view_notes_is_a_field_of_cv_yaml():
    """A source that is no field of cv.yaml would never change: the page that
    reads it would never be written again."""
    schema = json.loads((SCHEMAS / "cv.schema.json").read_text("utf-8"))
    fields = {f"cv:{name}" for name in schema["properties"] if name not in ("version", "person")}
    fields |= {f"cv:person.{name}" for name in schema["properties"]["person"]["properties"]}
    assert sources_of(CV) == fields
    assert sources_of(Person, "cv:person.") == {s for s in fields if s.startswith("cv:person.")}


def test_the_project_record_reads_its_front_matter():
    project = project_record("research/p", Path("research/p.md"), {
        "title": "T", "summary": "S", "kind": "Independent project", "institution": "U",
        "lab": "L", "start": "2021-02", "end": "2022-10",
        "results": [{"value": "3", "label": "a"}, {"before": "8%", "after": "2%", "label": "b"}],
        "links": [{"label": "Code", "url": "https://example.org/c"}],
    })  # fmt: skip
    assert (project.place, project.period, project.supervisor) == (
        "L, U",
        "Feb 2021 – Oct 2022",
        "",
    )
    assert [(r.value, r.is_pair) for r in project.results] == [("3", False), ("8% → 2%", True)]
    assert project.links[0].url == "https://example.org/c"


# -- The rule: page features render the records -----------------------------------------


def field_names() -> set[str]:
    """Every field name of cv.yaml and of a project's front matter."""
    names: set[str] = set()

    def walk(schema: object) -> None:
        if isinstance(schema, dict):
            names.update(schema.get("properties", {}))
            for value in schema.values():
                walk(value)
        elif isinstance(schema, list):
            for value in schema:
                walk(value)

    for name in ("cv", "project"):
        walk(json.loads((SCHEMAS / f"{name}.schema.json").read_text("utf-8")))
    return names


# Keys the page features' own dictionaries use (a social card's "title" and
# "name", a Typst run's "text", the theme's link "name" and "url" ...): a
# subscript with one of them is no read of a data file. Every other field name
# of cv.yaml or the front matter, as a subscript or a .get(), is.
OWN_KEYS = {"title", "name", "url", "label", "kind", "place", "period", "summary", "number",
            "role", "when", "version"}  # fmt: skip
DATA_FIELDS = field_names() - OWN_KEYS
# What reads the data files' dictionaries, which only the records' builders may call.
DATA_READERS = {
    "academic_portfolio.data.sources": {"load_cv", "load_projects", "parse_front_matter",
                                        "front_matter_of"},
    "academic_portfolio.data.datafiles": {"load_yaml", "front_matter_text",
                                          "split_front_matter", "period", "month_name"},
    "academic_portfolio.data.cvrecord": {"cv_record", "RecordedView"},
}  # fmt: skip
# Attributes that hold a data file's dictionary, in the data layer only.
RAW_ATTRIBUTES = {"meta", "cv_raw"}


def key_of(node: ast.AST) -> str | None:
    """The text key of ``x["key"]``, ``x.get("key")`` or ``"key" in x``."""
    if isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
        return node.slice.value if isinstance(node.slice.value, str) else None
    if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("get", "pop", "setdefault") and node.args
            and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):  # fmt: skip
        return node.args[0].value
    if (isinstance(node, ast.Compare) and isinstance(node.ops[0], (ast.In, ast.NotIn))
            and isinstance(node.left, ast.Constant) and isinstance(node.left.value, str)):  # fmt: skip
        return node.left.value
    return None


def data_reads(source: str, package: str) -> list[str]:
    """Where a module of *package* reads cv.yaml's or a front matter's raw data."""
    found = []
    for node in ast.walk(ast.parse(source)):
        key = key_of(node)
        if key in DATA_FIELDS:
            found.append(f"line {node.lineno}: reads the field '{key}'")  # type: ignore[attr-defined]
        if isinstance(node, ast.Attribute) and node.attr in RAW_ATTRIBUTES:
            if isinstance(node.value, ast.Name) and node.value.id in ("record", "self"):
                continue  # a page's own record of metadata (data.pagerecord), not a file's data
            found.append(f"line {node.lineno}: .{node.attr}")
        if (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant)
                and node.slice.value in ("cv", "projects")
                and ast.unparse(node.value).endswith(".data")):  # fmt: skip
            found.append(f"line {node.lineno}: the store's raw {node.slice.value}")
        if isinstance(node, ast.ImportFrom):
            module = absolute(package, node.module or "", node.level)
            for alias in node.names:
                if alias.name in DATA_READERS.get(module, ()):
                    found.append(f"line {node.lineno}: imports {module}.{alias.name}")
        if isinstance(node, ast.Import) and any(a.name == "yaml" for a in node.names):
            found.append(f"line {node.lineno}: imports yaml")
    return found


def feature_modules() -> list[Path]:
    return sorted(p for package in FEATURES for p in (ENGINE / package).rglob("*.py"))


def test_the_rule_sees_every_page_feature():
    modules = feature_modules()
    assert len(modules) > 25 and {p.parent.name for p in modules} == set(FEATURES)


@pytest.mark.parametrize("path", feature_modules(), ids=lambda p: p.relative_to(ENGINE).as_posix())
def test_page_features_render_the_cv_and_project_records(path):
    assert data_reads(path.read_text("utf-8"), package_of(path)) == [], (
        f"{path.relative_to(ENGINE)} reads cv.yaml or a front matter itself: read the field "
        "in academic_portfolio/data/cvrecord.py or data/sources.py (project_record), into "
        "the record, and render that"
    )


def test_the_rule_catches_a_raw_read():
    source = (
        "from ..data.datafiles import period\n"
        "import yaml\n"
        "def f(store, cv, project):\n"
        "    name = cv['person']['headline']\n"
        "    grade = project.meta.get('supervisor')\n"
        "    if 'gpa' in cv['education'][0]:\n"
        "        return store.data['cv'], period(project.meta)\n"
    )
    assert sorted(data_reads(source, "academic_portfolio.cv")) == [
        "line 1: imports academic_portfolio.data.datafiles.period",
        "line 2: imports yaml",
        "line 4: reads the field 'headline'",
        "line 4: reads the field 'person'",
        "line 5: .meta",
        "line 5: reads the field 'supervisor'",
        "line 6: reads the field 'education'",
        "line 6: reads the field 'gpa'",
        "line 7: .meta",
        "line 7: the store's raw cv",
    ]
