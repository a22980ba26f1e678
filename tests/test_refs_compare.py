"""`nox -s refs` compares an entry with a record: is it the same work, and which
differences are real. Made-up entries and records (no service, no build); each
test reads the verdict and the findings the owner is shown, with the change
proposed to refs.bib."""

from __future__ import annotations

import pytest
from pybtex.database import parse_string

from academic_portfolio.refscheck.compare import Change, compare, other_work, same_work
from academic_portfolio.refscheck.records import Name, Record

pytestmark = pytest.mark.pure

AUTHORS = "Doe, Jane and Roe, Max and Poe, Ed and Loe, Ann"
RECORD_AUTHORS = (Name("Doe", "Jane"), Name("Roe", "Max"), Name("Poe", "Ed"), Name("Loe", "Ann"))
TITLE = "Robust Sparse Models for Noisy Graphs"


def entry(kind: str = "article", authors: str = AUTHORS, **fields: str):
    fields = {"title": TITLE, "year": "2022", **fields}
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields.items())
    text = f"@{kind}{{k,\n  author = {{{authors}}},\n{body}}}"
    return parse_string(text, "bibtex").entries["k"]


def record(**given) -> Record:
    given = {"source": "Crossref", "title": TITLE, "authors": RECORD_AUTHORS, **given}
    return Record(**given)


def findings(bib=None, theirs=None, venue: bool = True) -> list[tuple]:
    found = compare("k", bib or entry(), theirs or record(), venue=venue)
    return [(f.what, f.ours, f.theirs, f.kind, f.change and f.change.value) for f in found]


# -- The identity gate -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "authors", "same"),
    [
        (TITLE, RECORD_AUTHORS, True),
        (TITLE, RECORD_AUTHORS[:2], True),  # half the authors, the same title
        (TITLE, RECORD_AUTHORS[:1], False),  # a quarter
        ("", RECORD_AUTHORS, False),  # a record without a title is never the work
        # 4 of the 5 words that count ("for" does not), and half the authors
        ("Robust Sparse Models for Clean Graphs", RECORD_AUTHORS[:2], True),
        ("Robust Sparse Models for Clean Graphs", RECORD_AUTHORS[:1], False),
        # half the words, and 4 of 5 authors with the same first one
        ("Robust Sparse Models, Clean Sharp Trees", (*RECORD_AUTHORS, Name("Zoe", "Kim")), True),
        ("Robust Sparse Models, Clean Sharp Trees", RECORD_AUTHORS[:3], False),
        ("Robust Models for Clean Trees", RECORD_AUTHORS, False),  # 2 of 5 words
    ],
)  # fmt: skip
def test_a_record_is_the_same_work_by_its_title_and_authors(title, authors, same):
    assert same_work(entry(), record(title=title, authors=authors)) is same


def test_a_corrected_title_needs_the_same_first_author():
    swapped = (RECORD_AUTHORS[1], RECORD_AUTHORS[0], *RECORD_AUTHORS[2:])
    other = record(title="Robust Sparse Models for Clean Graphs and Trees", authors=swapped)
    assert same_work(entry(), other) is False
    assert same_work(entry(), record(title="Robust Sparse Models for Clean Graphs")) is True


def test_a_list_ending_with_and_others_is_compared_as_far_as_it_goes():
    truncated = entry(authors="Doe, Jane and Roe, Max and others")
    assert same_work(truncated, record()) is True
    assert findings(truncated) == []


def test_another_work_is_described_by_its_title_and_first_three_authors():
    theirs = record(title="Other", authors=(*RECORD_AUTHORS, Name("Zoe", "Kim")))
    found = other_work("doi", "10.1/x", theirs)
    assert (found.what, found.ours, found.kind, found.source) == (
        "doi", "10.1/x", "other-work", "Crossref"
    )  # fmt: skip
    assert found.theirs == "'Other' by Jane Doe; Max Roe; Ed Poe ..."
    assert other_work("doi", "x", record(authors=RECORD_AUTHORS[:3])).theirs.endswith("Ed Poe")
    assert other_work("doi", "x", record(authors=())).theirs == f"{TITLE!r} by no author"


# -- Titles ------------------------------------------------------------------------------


def test_a_title_that_agrees_however_it_is_written_is_no_difference():
    for theirs in (TITLE.upper() + ".", "Retracted: " + TITLE, "Robust Sparse Models"):
        subtitle = "for Noisy Graphs" if theirs == "Robust Sparse Models" else None
        assert findings(theirs=record(title=theirs, subtitle=subtitle)) == []


def test_a_different_title_is_proposed_escaped_with_its_subtitle():
    theirs = record(title="Robust & Sparse", subtitle="100% Noisy Graphs")
    assert findings(theirs=theirs) == [
        ("title", TITLE, "Robust & Sparse: 100% Noisy Graphs", "differs",
         r"Robust \& Sparse: 100\% Noisy Graphs"),
    ]  # fmt: skip


def test_arxivs_latex_title_is_proposed_as_written_and_the_owners_latex_is_kept():
    theirs = record(source="arXiv", title=r"Sparse $\ell_1$ Models")
    assert findings(theirs=theirs)[0][1:] == (
        TITLE, "Sparse ℓ_1 Models", "differs", r"Sparse $\ell_1$ Models"
    )  # fmt: skip
    ours = entry(title=r"Sparse {$\ell_1$} Models for \emph{Graphs}")
    assert findings(ours, record(title="Another Title"))[0][4] is None


def test_a_title_in_latex_the_reader_cannot_read_is_compared_as_given():
    theirs = record(source="arXiv", title=r"Models \unknowncommand{x}")
    assert findings(theirs=theirs)[0][2] == r"Models \unknowncommand{x}"


# -- Authors -----------------------------------------------------------------------------


def test_authors_agree_by_family_name_and_initial_in_either_order():
    theirs = record(authors=(Name("Doe", "J."), Name("Max", "Roe"), Name("Poe"), Name("Loe", "A")))
    assert findings(theirs=theirs) == []


def test_a_different_author_is_named_by_position_and_the_list_proposed():
    theirs = record(authors=(*RECORD_AUTHORS[:3], Name("Low", "Anna")))
    assert findings(theirs=theirs) == [
        ("authors", "#4 Ann Loe", "#4 Anna Low", "differs",
         "Doe, Jane and Roe, Max and Poe, Ed and Low, Anna"),
    ]  # fmt: skip


def test_a_missing_author_is_shown_with_both_counts():
    theirs = record(authors=(*RECORD_AUTHORS, Name("van der Berg", "Kim"), Name("Lab, The")))
    assert findings(theirs=theirs) == [
        ("authors", "4 authors: Jane Doe; Max Roe; Ed Poe; Ann Loe",
         "6 authors: Jane Doe; Max Roe; Ed Poe; Ann Loe; Kim van der Berg; Lab, The", "differs",
         f"{AUTHORS} and van der Berg, Kim and {{Lab, The}}"),
    ]  # fmt: skip


def test_names_with_braces_or_an_and_others_list_are_reported_not_proposed():
    braced = record(authors=(*RECORD_AUTHORS[:3], Name("{Low}", "Anna")))
    assert findings(theirs=braced)[0][4] is None
    truncated = entry(authors="Doe, Jane and Low, Anna and others")
    assert findings(truncated)[0][:4] == ("authors", "#2 Anna Low", "#2 Max Roe", "differs")
    assert findings(truncated)[0][4] is None


def test_an_organization_of_several_words_is_braced_as_one_name():
    theirs = record(authors=(*RECORD_AUTHORS, Name("The Graph Team")))
    assert findings(theirs=theirs)[0][4] == f"{AUTHORS} and {{The Graph Team}}"


# -- Year, pages, DOI, venue ---------------------------------------------------------------


def test_a_year_agrees_with_any_year_the_record_gives():
    assert findings(theirs=record(years=("2021", "2022"))) == []
    assert findings(theirs=record(years=("2023",))) == [("year", "2022", "2023", "differs", "2023")]


@pytest.mark.parametrize(
    ("ours", "theirs", "article_number", "found"),
    [
        ("1051--61", "1051-1061", None, None),  # an abbreviated end
        ("pp. 14–26", "14--26", None, None),
        ("e33693", None, "e33693", None),  # the article number
        ("14:1--14:26", None, "14", None),
        ("5--9", "5", None, None),  # the first page only agrees with its range
        ("5--9", "6", None, ("pages", "5–9", "6", "differs", None)),
        ("5--9", "5--10", None, ("pages", "5–9", "5--10", "differs", "5--10")),
        ("5", "5--10", None, ("pages", "5", "5--10", "differs", "5--10")),
        ("5--9", None, "e1", None),  # another article number: nothing to compare
    ],
)
def test_pages_compare_as_ranges(ours, theirs, article_number, found):
    got = findings(entry(pages=ours), record(pages=theirs, article_number=article_number))
    assert got == ([found] if found else [])


def test_a_missing_doi_is_proposed_and_a_different_one_shown():
    assert findings(theirs=record(doi="10.1000/ABC")) == [
        ("doi", None, "10.1000/ABC", "missing", "10.1000/ABC")
    ]
    with_doi = entry(doi="10.1000/abc")
    assert findings(with_doi, record(doi="https://doi.org/10.1000/ABC")) == []
    assert findings(with_doi, record(doi="10.1000/abd")) == [
        ("doi", "10.1000/abc", "10.1000/abd", "differs", "10.1000/abd")
    ]
    assert findings(theirs=record(doi="10.48550/arXiv.1", preprint=True)) == []


def test_a_venue_differs_only_when_it_is_another_venue():
    journal = entry(journal="Journal of Graphs")
    assert findings(journal, record(venue="J. Graphs")) == []
    assert findings(journal, record(venue="Graphs & Trees")) == [
        ("venue", "Journal of Graphs", "Graphs & Trees", "differs", r"Graphs \& Trees")
    ]
    assert findings(journal, record(venue="Graphs & Trees"), venue=False) == []
    assert findings(theirs=record(venue="Graphs")) == []  # refs.bib names no venue
    paper = entry("inproceedings", booktitle="Proc. of Graphs")
    found = compare("k", paper, record(venue="Trees"), venue=True)
    assert [f.change for f in found] == [Change("k", "booktitle", "Trees")]
