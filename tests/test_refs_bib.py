"""refs.bib read strictly (academic_portfolio.data.refsbib), without a build:
the message the owner reads for each problem, with its file and line, and the
fields the site keeps to itself. Made-up entries; tests/test_input.py has
the rest."""

from __future__ import annotations

from pathlib import Path

import pytest
from pybtex.database import Entry

from academic_portfolio.data import refsbib
from academic_portfolio.data.datafiles import DataFileError

pytestmark = pytest.mark.pure

FIELDS = "  author = {Doe, Jane},\n  title = {T},\n  year = {2024},\n"


def problems(tmp_path: Path, text: str, reserved: dict[str, str] | None = None) -> list[str]:
    path = tmp_path / "refs.bib"
    path.write_text(text, "utf-8")
    with pytest.raises(DataFileError) as caught:
        refsbib.load_bib(path, reserved)
    return [str(p).removeprefix(f"{tmp_path}/") for p in caught.value.problems]


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(DataFileError) as caught:
        refsbib.load_bib(tmp_path / "refs.bib")
    assert [str(p) for p in caught.value.problems] == [
        f"{tmp_path}/refs.bib: the bibliography file is missing."
    ]


def test_a_key_used_twice_is_named_where_it_comes_again(tmp_path):
    text = f"@misc{{a,\n{FIELDS}}}\n\n@misc{{b,\n{FIELDS}}}\n@misc{{a,\n{FIELDS}}}\n"
    assert problems(tmp_path, text) == [
        "refs.bib:12: the key 'a' is used by two entries: give each entry its own key."
    ]


def test_a_field_written_twice_is_named_where_it_comes_again(tmp_path):
    text = (
        f"@misc{{b,\n{FIELDS}}}\n@misc{{a,\n  Year = {{2023}},\n{FIELDS}}}\n@misc{{c,\n{FIELDS}}}\n"
    )
    assert problems(tmp_path, text) == [
        "refs.bib:10: entry 'a': it has the field 'year' twice: keep one "
        "(BibTeX would silently use the first)."
    ]


def test_a_syntax_error_is_placed_at_its_entry_after_blank_lines(tmp_path):
    text = f"\n\n@misc{{a,\n{FIELDS}}}\n@misc{{b,\n  title = {{{{T}},\n  year = {{2024}},\n}}\n"
    assert problems(tmp_path, text) == [
        "refs.bib:8: BibTeX syntax error in the entry that starts here (premature end of file). "
        "Check the braces, quotes and commas of this entry: each field ends with a comma, braces "
        "pair up."
    ]


def test_an_entry_that_starts_inside_a_line_gets_bibtexs_line(tmp_path):
    text = "Note: @misc{a,\n  author = {Doe, Jane},\n  title = {T},\n  year = 2024 2025,\n}\n"
    assert problems(tmp_path, text) == [
        "refs.bib:4: BibTeX syntax error in the entry that starts here ('}' expected). Check the "
        "braces, quotes and commas of this entry: each field ends with a comma, braces pair up."
    ]


def test_an_undefined_string_is_named_whole_even_with_a_colon(tmp_path):
    text = f"@misc{{a,\n{FIELDS}  booktitle = conf:icml,\n}}\n"
    assert problems(tmp_path, text) == [
        "refs.bib:1: the entry that starts here uses 'conf:icml', which is not defined: write "
        "the value in braces ({...}), or define it first with @string{conf:icml = {...}}."
    ]


def test_the_publication_list_and_hand_written_pages_keep_their_addresses(tmp_path):
    folder = tmp_path / "publications"
    folder.mkdir()
    (folder / "talks.md").write_text("# Talks\n", "utf-8")
    assert refsbib.taken_slugs(folder) == {
        "index": "the publication list",
        "talks": "the page publications/talks.md",
    }


def test_selected_and_equal_contribution_are_checked(tmp_path):
    text = (
        f"@misc{{b,\n{FIELDS}}}\n@misc{{a,\n{FIELDS}  selected = {{yes}},\n"
        "  equal_contribution = {Doe, Jane and Roe, Max},\n}\n"
    )
    assert problems(tmp_path, text) == [
        "refs.bib:6: entry 'a': selected is 'yes': write selected = {true} or leave it out.",
        "refs.bib:6: entry 'a': equal_contribution names 'Roe, Max', who is not among the "
        "authors (write each name exactly as in 'author').",
    ]


def test_latex_that_cannot_be_read_and_a_year_of_two_digits_are_named(tmp_path):
    text = "@misc{a,\n  author = {Doe, Jane},\n  title = {Costs in $x},\n  year = {24},\n}\n"
    assert problems(tmp_path, text) == [
        "refs.bib:1: entry 'a': the year '24' is not a four-digit year: write it as 2024.",
        "refs.bib:1: entry 'a': the field 'title': this LaTeX cannot be read (Unexpected end of "
        "stream, was expecting '$'): check its braces and $ signs (write \\$, \\%, \\#, \\_ for "
        "the characters themselves).",
    ]


def test_a_field_that_shows_nothing_is_empty_not_missing(tmp_path):
    text = "@article{a,\n  author = {Doe, Jane},\n  title = {{}},\n  journal = {\\relax},\n  year = {2024},\n}\n"
    assert problems(tmp_path, text) == [
        "refs.bib:1: entry 'a': the field 'title' is empty: write its text, as the site shows it.",
        "refs.bib:1: entry 'a': the field 'journal' is empty: write its text, as the site "
        "shows it.",
    ]


def test_a_page_address_that_is_not_valid_says_where_to_choose_one(tmp_path):
    text = f"@misc{{a,\n{FIELDS}  slug = {{Bad Slug}},\n}}\n@misc{{漢字,\n{FIELDS}}}\n"
    assert problems(tmp_path, text) == [
        "refs.bib:1: entry 'a': its page address would be /publications/Bad Slug/, which is not "
        "a valid address: add slug = {...} in its 'slug' field, using lowercase letters, digits "
        "and dashes.",
        "refs.bib:7: entry '漢字': its page address would be /publications//, which is not a "
        "valid address: add slug = {...} to the entry, using lowercase letters, digits and "
        "dashes.",
    ]


def test_a_taken_or_shared_page_address_is_named_at_the_entry(tmp_path):
    text = (
        f"@misc{{cv,\n{FIELDS}}}\n@misc{{a,\n{FIELDS}}}\n@misc{{b,\n{FIELDS}  slug = {{a}},\n}}\n"
    )
    assert problems(tmp_path, text, {"cv": "the page publications/cv.md"}) == [
        "refs.bib:1: entry 'cv': its page address /publications/cv/ is taken by the page "
        "publications/cv.md: add a field slug = {...} to the entry with another address.",
        "refs.bib:11: entries 'a' and 'b' would share the page address /publications/a/: add a "
        "field slug = {...} to one of them.",
    ]


def test_a_link_with_an_escaped_underscore_is_a_link(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_text(f"@misc{{a,\n{FIELDS}  url = {{https://a.example/x\\_y}},\n}}\n", "utf-8")
    entry = refsbib.load_bib(path).entries["a"]
    assert refsbib.link(entry, "url") == "https://a.example/x_y"


def test_only_selected_true_puts_a_paper_on_the_home_page():
    assert refsbib.is_selected(Entry("misc", fields={"selected": "true"}))
    assert not refsbib.is_selected(Entry("misc", fields={"selected": "false"}))
    assert not refsbib.is_selected(Entry("misc"))


@pytest.mark.parametrize(
    ("name", "private"),
    [("Slug", True), ("EQUAL_CONTRIBUTION", True), ("File", True), ("BDSK-File-1", True),
     ("mendeley-tags", True), ("JabRef-Groups", True), ("abstract", False), ("doi", False),
     ("note", False), ("filed", False)],
)  # fmt: skip
def test_the_sites_own_fields_and_a_managers_are_private(name, private):
    assert refsbib.is_private(name) is private
