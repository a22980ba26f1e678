"""The patch `nox -s refs -- --write` proposes, on made-up refs.bib texts: the
file as the owner gets it back (only the changed spans touched, new fields
aligned like the entry's own), what is left out and why, and the diff."""

from __future__ import annotations

import pytest

from academic_portfolio.refscheck.compare import Change
from academic_portfolio.refscheck.patch import apply_changes, unified_diff

pytestmark = pytest.mark.pure


def patched(text: str, *changes: tuple[str, str], key: str = "k") -> str:
    new, skipped, made = apply_changes(text, [Change(key, f, v) for f, v in changes])
    assert skipped == {} and made == len(changes)
    return new


def left_out(text: str, *changes: tuple[str, str], key: str = "k") -> str:
    new, skipped, made = apply_changes(text, [Change(key, f, v) for f, v in changes])
    assert new == text and made == 0
    return skipped[key]


ALIGNED = """\
% The owner's comment stays.
@article{k,
  author  = {Doe, Jane},
  title   = {Old Title},
  year    = {2020},
}

@misc{other, title = {Left alone}, year = 2019}
"""


def test_a_changed_value_is_the_only_span_touched():
    new = patched(ALIGNED, ("year", "2021"), ("title", "New Title"))
    assert new == ALIGNED.replace("{2020}", "{2021}").replace("{Old Title}", "{New Title}")


@pytest.mark.parametrize(
    "written",
    ['"Old {T}itle"', "old", '"Old" # { Title}', '{Old} # old # "T"'],
)
def test_a_quoted_bare_or_joined_value_is_replaced_whole(written):
    text = f"@string{{old = {{Old}}}}\n@article{{k,\n  title = {written},\n  year = 2020,\n}}\n"
    new = patched(text, ("title", "New"))
    assert new == text.replace(f"title = {written},", "title = {New},")


def test_a_new_field_follows_the_last_aligned_and_with_its_comma():
    new = patched(ALIGNED, ("doi", "10.1000/182"), ("pages", "1--2"))
    assert new == ALIGNED.replace(
        "  year    = {2020},\n",
        "  year    = {2020},\n  doi     = {10.1000/182},\n  pages   = {1--2},\n",
    )


def test_a_new_field_after_a_last_field_without_comma():
    """Its "=" under the last field's, one space either side at least."""
    text = "@article(k,\n\tauthor={Doe, Jane},\n\tyear={2020}\n)\n"
    new = patched(text, ("doi", "10.1000/182"))
    assert new == "@article(k,\n\tauthor={Doe, Jane},\n\tyear={2020},\n\tdoi = {10.1000/182}\n)\n"


def test_a_new_field_longer_than_the_names_above_keeps_one_space():
    text = "@misc{k,\n  year = {2020},\n}\n"
    new = patched(text, ("publisher", "P"))
    assert new == "@misc{k,\n  year = {2020},\n  publisher = {P},\n}\n"


def test_a_new_field_on_the_entry_line_gets_two_spaces_and_crlf_stays():
    text = "@misc{k, year = {2020}\r\n}\r\n"
    new = patched(text, ("doi", "10.1000/182"))
    assert new == "@misc{k, year = {2020},\r\n  doi  = {10.1000/182}\r\n}\r\n"


def test_an_entry_no_longer_in_the_file_is_named():
    why = left_out(ALIGNED, ("year", "2021"), key="gone")
    assert why == (
        "entry 'gone': it is not in refs.bib any more (run the check again); its 1 change(s) "
        "(year) are left out: make them by hand"
    )


def test_an_entry_the_writer_cannot_read_is_left_out_with_its_line():
    text = "@misc{k,\n  year = {2020},,\n}\n@misc{j, year = {2020}}\n"
    new, skipped, made = apply_changes(
        text, [Change("k", "year", "2021"), Change("j", "year", "2022")]
    )
    assert new == text.replace("{j, year = {2020}}", "{j, year = {2022}}") and made == 1
    assert skipped == {
        "k": "entry 'k': line 2 has ',' where the patch writer expects a field "
        "(a name, =, a value); its 1 change(s) (year) are left out: make them by hand"
    }


def test_what_the_writer_cannot_read_is_quoted_up_to_30_characters_with_its_line():
    text = "\n@misc{k,\n  year = {2020},, title = {Some long title of the work here},\n}\n"
    assert left_out(text, ("year", "2021")) == (
        "entry 'k': line 3 has ', title = {Some long title of ' where the patch writer expects "
        "a field (a name, =, a value); its 1 change(s) (year) are left out: make them by hand"
    )


def test_a_quote_inside_braces_does_not_end_a_quoted_value():
    text = '@misc{k,\n  title = "Say {"}hi{"} now",\n  doi = "",\n}\n'
    new = patched(text, ("title", "New"), ("doi", "10.1000/182"))
    assert new == "@misc{k,\n  title = {New},\n  doi = {10.1000/182},\n}\n"


def test_a_value_that_is_not_bibtex_leaves_out_only_itself():
    new, skipped, made = apply_changes(
        ALIGNED, [Change("k", "year", "20x0"), Change("k", "title", "New")]
    )
    assert new == ALIGNED.replace("{Old Title}", "{New}") and made == 1
    assert skipped["k"] == (
        "entry 'k': the proposed year '20x0' is not a year refs.bib can hold: that change is "
        "left out: make them by hand"
    )


# -- Authors: the owner's way of writing names is kept --------------------------------


@pytest.mark.parametrize(
    ("written", "proposed", "result"),
    [
        # names that stay are kept as written; a new one in the list's style
        ("Doe, J. and Roe, Max", "Doe, J. and Roe, Max and Poe, Ed",
         "Doe, J. and Roe, Max and Poe, Ed"),
        ("Doe, J. and Roe, Max", "Doe, Jane and Roe, Max", "Doe, Jane and Roe, Max"),
        ("Jane Doe and Max Roe", "Doe, Jane and Roe, Max and Poe, Ed",
         "Jane Doe and Max Roe and Ed Poe"),
        # a line break between names stays, and a new name gets the last one
        ("Doe, Jane and\n    Roe, Max", "Doe, Jane and Roe, Max and Poe, Ed",
         "Doe, Jane and\n    Roe, Max and\n    Poe, Ed"),
        # a name with a Jr part, or of one part, keeps its form
        ("Jane Doe", "Doe, Jane and Poe, Jr., Ed and {The Team}",
         "Jane Doe and Poe, Jr., Ed and {The Team}"),
        # an " and " inside braces is part of a name, not between two
        ("{Doe and Roe Lab} and Max Roe", "{Doe and Roe Lab} and Roe, Max and Poe, Ed",
         "{Doe and Roe Lab} and Max Roe and Ed Poe"),
        # each name that stays as it was written, in a list of mixed forms
        ("Doe, Jane and Max Roe", "Doe, Jane and Roe, Max and Poe, Ed",
         "Doe, Jane and Max Roe and Poe, Ed"),
        # a reordered list: each name in its new place, written as the owner writes
        ("Jane Doe and Max Roe", "Roe, Max and Doe, Jane", "Max Roe and Jane Doe"),
    ],
)  # fmt: skip
def test_the_proposed_author_list_is_written_as_the_owner_writes_names(written, proposed, result):
    text = f"@misc{{k,\n  author = {{{written}}},\n  year = {{2020}},\n}}\n"
    assert patched(text, ("author", proposed)) == text.replace(written, result)


def test_a_diff_git_applies_names_the_file_and_marks_a_missing_newline():
    diff = unified_diff("a\nb", "a\nc", "refs.bib")
    assert diff == (
        "--- a/refs.bib\n+++ b/refs.bib\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n"
        "+c\n\\ No newline at end of file\n"
    )
    assert unified_diff("a\n", "a\n", "refs.bib") == ""
