"""Any text in cv.yaml or a project page's front matter either loads, every
value exactly as written, or stops with a message naming the file: never a
traceback (Hypothesis, on the readers alone: no Sphinx build).

Besides generated text, real files nobody here wrote (tests/fixtures/yaml,
each with its SOURCE note): a RenderCV CV and JSON Resume's sample, the two
formats a researcher is most likely to paste into cv.yaml.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import REPO
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from academic_portfolio.data import datafiles, sources
from academic_portfolio.data.datafiles import DataFileError

pytestmark = pytest.mark.pure

FIXTURES = Path(__file__).parent / "fixtures" / "yaml"
REAL_CV = REPO / "_data" / "cv.yaml"
PROJECT_PAGE = REPO / "research" / "greek-ocr.md"
# Few examples, the same on every run: fast, and a failure is reproducible.
LIMITED = settings(max_examples=80, deadline=None, derandomize=True,
                   suppress_health_check=[HealthCheck.too_slow])  # fmt: skip


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("readers")


def load_cv_text(folder: Path, text: str) -> dict[str, Any] | DataFileError:
    """load_cv of a file holding *text*: its data, or the DataFileError it raised."""
    path = folder / "cv.yaml"
    path.write_text(text, "utf-8")
    try:
        return sources.load_cv(path)
    except DataFileError as error:
        return error


def load_front_matter(folder: Path, text: str) -> dict[str, Any] | DataFileError:
    """A project page whose front matter is *text*, read as the store reads it."""
    path = folder / "page.md"
    path.write_text(f"---\n{text}\n---\n\n# Body\n", "utf-8")
    try:
        front, first_line = sources.front_matter_of(path)
        return sources.parse_front_matter(path, front, first_line)
    except DataFileError as error:
        return error


def assert_names_the_file(result: Any, name: str) -> None:
    if isinstance(result, DataFileError):
        assert result.problems
        for problem in result.problems:
            assert problem.path.name == name and problem.message.strip(), problem


# -- Text: YAML-like fragments, whole documents and plain noise ---------------------

YAML_PIECES = [
    "person:", "  name: ", "education:", "- ", "  - ", ": ", "&a ", "*a", "<<: *a", "? ",
    "!!python/object:os.system", "!!binary", "---", "...", "%YAML 1.1", "[", "]", "{", "}",
    '"', "'", "|", ">-", "#", "\t", "\n", "2020-09", "2020-09-01", "0000-09", "yes", "null",
    "~", "1e3", "0x1F", ".inf", "version: 2", "version: 1", "start: ", "end: ", "\\u0000",
    "\u00a0", "\u2028", "\ufeff", "é", "趙", "😀", "\x85",
]  # fmt: skip
yaml_noise = st.lists(st.sampled_from(YAML_PIECES) | st.text(max_size=8), max_size=30).map("".join)
scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20)
yaml_values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=10) | st.integers(), inner, max_size=4)
    ),
    max_leaves=12,
)
yaml_documents = yaml_values.map(lambda value: yaml.safe_dump(value, allow_unicode=True))
any_text = st.text() | yaml_noise | yaml_documents


@LIMITED
@given(text=any_text)
@example(text="person: {1: x, name: y}\n")  # keys of two types: sorted once, a TypeError
@example(text="a: &a [*a]\n")  # an alias inside itself
@example(text="x: " + "[" * 80 + "]" * 80)  # deeper than any CV
def test_any_text_as_cv_yaml_loads_or_names_the_file(folder, text):
    assert_names_the_file(load_cv_text(folder, text), "cv.yaml")


@LIMITED
@given(text=any_text)
@example(text="title: {1: x, a: y}\n")
@example(text="start: 0000-09\nend: 0000-10\n")
def test_any_text_as_front_matter_loads_or_names_the_file(folder, text):
    assert_names_the_file(load_front_matter(folder, text), "page.md")


# -- Values: kept exactly as written, or refused by name -----------------------------

text_values = st.text(min_size=1, max_size=60)


def real_cv() -> dict[str, Any]:
    return sources.load_cv(REAL_CV)


@LIMITED
@given(value=text_values, field=st.sampled_from(["name", "headline"]))
def test_a_value_written_in_cv_yaml_is_read_as_written(folder, value, field):
    data = copy.deepcopy(real_cv())
    data["person"][field] = value
    data["education"][0]["institution"] = value
    result = load_cv_text(folder, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert_names_the_file(result, "cv.yaml")
    if not isinstance(result, DataFileError):
        assert result["person"][field] == value
        assert result["education"][0]["institution"] == value


def real_front_matter() -> dict[str, Any]:
    front, _ = sources.front_matter_of(PROJECT_PAGE)
    return yaml.load(front, Loader=datafiles.LOADER)


@LIMITED
@given(value=text_values, field=st.sampled_from(["title", "summary", "supervisor"]))
def test_a_value_written_in_front_matter_is_read_as_written(folder, value, field):
    data = real_front_matter()
    data[field] = value
    result = load_front_matter(folder, yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
    assert_names_the_file(result, "page.md")
    if not isinstance(result, DataFileError):
        assert result[field] == value


@pytest.mark.parametrize("written", ["2020-09-01", "2020-09", "1e3", "yes", "0x1F", "null"])
def test_a_value_that_yaml_could_read_as_another_type_stays_text_or_is_named(folder, written):
    """Unquoted, these are a date, a number, true, null in YAML 1.1: the reader
    keeps the date as text and says what to write for the others."""
    text = REAL_CV.read_text("utf-8").replace("  headline: ", f"  headline: {written} #", 1)
    result = load_cv_text(folder, text)
    assert_names_the_file(result, "cv.yaml")
    if isinstance(result, DataFileError):
        assert any("headline" in problem.message for problem in result.problems), result
    else:
        assert result["person"]["headline"] == written


# -- Real files of other CV formats --------------------------------------------------


@pytest.mark.parametrize("name", ["rendercv-John_Doe_ClassicTheme_CV.yaml",
                                  "jsonresume-sample.resume.json"])  # fmt: skip
def test_a_cv_of_another_format_is_refused_by_name_with_its_values_as_written(folder, name):
    text = (FIXTURES / name).read_text("utf-8")
    result = load_cv_text(folder, text)
    assert isinstance(result, DataFileError)
    assert_names_the_file(result, "cv.yaml")
    # Read as text: the same values JSON or a plain YAML reader gives, dates as written.
    data, _ = datafiles.load_yaml(text, folder / "cv.yaml")
    if name.endswith(".json"):
        assert data == json.loads(text)
    else:
        assert data["cv"]["sections"]["education"][0]["start_date"] == "2018-09"
        assert data["cv"]["name"] == "John Doe"


@pytest.mark.parametrize("name", ["rendercv-John_Doe_ClassicTheme_CV.yaml",
                                  "jsonresume-sample.resume.json"])  # fmt: skip
def test_another_format_as_front_matter_is_refused_by_name(folder, name):
    result = load_front_matter(folder, (FIXTURES / name).read_text("utf-8"))
    assert isinstance(result, DataFileError)
    assert_names_the_file(result, "page.md")


# -- YAML aliases: bounded ------------------------------------------------------------


def alias_bomb(levels: int) -> str:
    """A "billion laughs": each level an anchored list of ten aliases of the one before."""
    lines = ['lol0: &lol0 ["lol"]']
    for level in range(1, levels + 1):
        aliases = ", ".join([f"*lol{level - 1}"] * 10)
        lines.append(f"lol{level}: &lol{level} [{aliases}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("levels", [5, 9, 10, 30])
def test_a_yaml_alias_bomb_stops_with_a_message(folder, levels):
    """Nine levels took 45 s before the bound, ten never ended; the timing is
    left to `nox -s bench`: this checks the message, which names the line."""
    result = load_cv_text(folder, alias_bomb(levels))
    assert isinstance(result, DataFileError)
    (problem,) = result.problems
    assert problem.line is not None and problem.path.name == "cv.yaml"
    assert f"expands to more than {datafiles.MAX_VALUES} values" in problem.message
    assert "billion laughs" in problem.message


def test_a_few_aliases_are_read_as_written(folder):
    text = REAL_CV.read_text("utf-8").replace("person:\n", "x-place: &place EPFL\nperson:\n", 1)
    data, _ = datafiles.load_yaml(text + "\nagain: *place\n", folder / "cv.yaml")
    assert data["again"] == data["x-place"] == "EPFL"
