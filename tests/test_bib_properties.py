"""Property-based tests of the BibTeX reader and the LaTeX-to-text reading
(Hypothesis): any text either loads, with every value shown as written, or
stops with a message naming the file; never a traceback (issue 31).

Pure (no Sphinx build) and bounded: a few hundred examples in all, no
deadline (the machine is shared). Marked ``property`` so a run can leave
them out (``-m "not property"``) or run only them (``-m property``).
"""

from __future__ import annotations

import os
import string
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from test_stranger_bib import STYLE, everything_shown

from academic_portfolio.data import refsbib
from academic_portfolio.data.datafiles import DataFileError
from academic_portfolio.data.paper import paper_record
from academic_portfolio.papers import render as paperformat
from academic_portfolio.papers import scholar
from academic_portfolio.text import latex

pytestmark = [pytest.mark.pure, pytest.mark.property]
BOUNDED = settings(
    max_examples=int(os.environ.get("BIB_PROPERTY_EXAMPLES", "100")), deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)  # fmt: skip
# What BibTeX and LaTeX read specially, and what people paste: braces,
# backslashes, quotes, math, comments, separators, non-ASCII, line breaks.
SPECIAL = '{}\\%$#&_^~"@,=;*-–— \n\t'
TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(SPECIAL),
        st.sampled_from(string.ascii_letters + string.digits),
        st.characters(codec="utf-8", exclude_categories=["Cs"]),
    ),
    max_size=40,
)  # fmt: skip
# Plain words with the characters a title may hold as themselves ("%" among
# them); not "--" or "''", which LaTeX reads as an en dash and a closing quote.
PLAIN = st.text(alphabet=string.ascii_letters + string.digits + " .,:;!?%()'-", max_size=60).map(
    lambda t: "T " + t.replace("--", "-").replace("''", "'")
)
FOLDER = Path(tempfile.mkdtemp(prefix="bib-properties-"))


def load(text: str):
    path = FOLDER / "refs.bib"
    path.write_text(text, "utf-8")
    return refsbib.load_bib(path)


def loads_or_names_the_file(text: str):
    """The bibliography, or None after a DataFileError whose every problem
    names the file; any other exception fails the test."""
    try:
        return load(text)
    except DataFileError as error:
        assert error.problems
        assert all(problem.path == FOLDER / "refs.bib" for problem in error.problems)
        return None


@BOUNDED
@given(st.text(max_size=300))
@example("% No papers yet.\n")  # a starter's file: comments only
@example("0@")
@example("@misc{k,\n  note = {a\n  % b},\n}\n")
def test_any_file_text_loads_or_stops_with_a_message(text):
    loads_or_names_the_file(text)


def mostly(good: str):
    """Field text: valid as it is, with hostile text added, or hostile text alone."""
    hostile = st.one_of(TEXT.map(lambda t: good + t), PLAIN, TEXT)
    return st.one_of(st.just(good), st.just(good), hostile)  # some entries load whole


@BOUNDED
@given(
    title=mostly("A Title"), author=mostly("Zhao, Ziqi and Li, Wei"), abstract=mostly("Text."),
    pages=mostly("1--2"), url=mostly("https://x.org/a"), note=mostly("N"),
    equal=st.one_of(st.just(""), mostly("Zhao, Ziqi")), editor=mostly("Doe, Jane"),
    year=st.one_of(st.just("2024"), TEXT), kind=st.sampled_from(sorted(refsbib.REQUIRED)),
)  # fmt: skip
def test_any_field_values_load_and_show_or_stop_with_a_message(
    title, author, abstract, pages, url, note, equal, editor, year, kind
):
    fields = {"title": title, "author": author, "abstract": abstract, "pages": pages,
              "url": url, "note": note, "equal_contribution": equal, "editor": editor,
              "year": year, "journal": "J", "booktitle": "B",
              "publisher": "P", "school": "S", "institution": "I", "number": "1",
              "chapter": "1"}  # fmt: skip
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields.items())
    bib = loads_or_names_the_file(f"@{kind}{{k,\n{body}}}\n")
    event("loads" if bib is not None else "stops with a message")
    if bib is not None:  # every reader of every page feature runs
        for item in bib.entries.values():
            everything_shown(item)


@BOUNDED
@given(title=PLAIN, year=st.integers(1000, 2999))
def test_a_plain_title_is_shown_exactly_as_written(title, year):
    text = (
        f"@misc{{k,\n  author = {{Zhao, Ziqi}},\n  title = {{{title}}},\n  year = {{{year}}},\n}}\n"
    )
    item = load(text).entries["k"]
    written = " ".join(title.split())  # pybtex makes each run of spaces one
    assert dict(scholar.scholar_tags(paper_record(item)))["citation_title"] == written
    assert scholar.scholarly_work(paper_record(item), "u", "#p")["name"] == written
    assert written in paperformat.formatted_entry(paper_record(item), STYLE).text.render_as("text")


@BOUNDED
@given(TEXT)
def test_latex_reading_stops_only_with_a_message(text):
    try:
        rich = latex.to_rich(text)
    except ValueError as error:  # UnknownCommand is one: the reader names field and entry
        assert str(error)
        return
    rich.render_as("html")
    rich.render_as("text")
