"""The paper record (academic_portfolio.data.paper): an entry read once, and read right.

Every page feature renders this record; these tests pin how it reads the
fields whose forms vary (names, pages, months, abstracts, links), and that no
page feature reads an entry's raw fields or converts LaTeX itself again.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from pybtex.database import Entry, Person, parse_string

from academic_portfolio.data import refsbib
from academic_portfolio.data.datafiles import DataFileError
from academic_portfolio.data.paper import Name, month_number, pages, paper_record

pytestmark = pytest.mark.pure

ENGINE = Path(__file__).parent.parent / "src" / "academic_portfolio"
# The packages of page features: they render the record, never the entry.
FEATURES = ("papers", "metadata", "cv", "projects")
# What reads an entry's LaTeX, which only the record's builder may call.
ENTRY_READERS = {
    "academic_portfolio.text.latex": {"plain", "to_rich"},
    "academic_portfolio.text.venue": {"venue_label", "short_venue", "status_label", "labels",
                                      "publication_kind", "work_type", "is_arxiv_preprint",
                                      "by_kind"},
    "academic_portfolio.data.refsbib": {"link", "arxiv_id"},
}  # fmt: skip


def entry(text: str) -> Entry:
    return next(iter(parse_string(text, "bibtex").entries.values()))


def article(**fields: str) -> Entry:
    body = ",\n".join(f"{name} = {{{value}}}" for name, value in fields.items())
    return entry(
        f"@article{{k, author = {{Doe, Jane}}, title = {{T}}, journal = {{J}}, year = {{2020}},\n{body}}}"
    )


def test_names_keep_their_four_parts_as_text():
    paper = paper_record(entry(r"""@article{k, title = {T}, journal = {J}, year = {2020},
        author = {Garc{\'{\i}}a, Mar{\'\i}a and van der Berg, Jr, Jan and {\L}ukasiewicz, Jan and others}}"""))  # fmt: skip
    assert paper.authors == (
        Name(given="María", von="", family="García", jr=""),
        Name(given="Jan", von="van der", family="Berg", jr="Jr"),
        Name(given="Jan", von="", family="Łukasiewicz", jr=""),
    )
    assert paper.et_al
    assert [n.display for n in paper.authors[:2]] == ["María García", "Jan van der Berg, Jr"]
    assert paper.authors[1].inverted == "van der Berg, Jan, Jr"


def test_the_owner_and_equal_contributors_are_marked():
    paper = paper_record(
        entry(r"""@article{k, title = {T}, journal = {J}, year = {2020},
            author = {Doe, Jane and Zhao, Ziqi}, equal_contribution = {Doe, Jane and Zhao, Ziqi}}"""),
        Person("Zhao, Ziqi"),
    )  # fmt: skip
    assert [(n.is_owner, n.equal) for n in paper.authors] == [(False, True), (True, True)]
    assert paper.has_equal_contribution


@pytest.mark.parametrize(
    ("written", "first", "last"),
    [("1051--1061", "1051", "1061"), ("1051--61", "1051", "1061"), ("1051-61", "1051", "1061"),
     ("1051–61", "1051", "1061"), ("24 -- 29", "24", "29"), ("99--101", "99", "101"),
     ("e1003", "e1003", ""), ("103412", "103412", ""), ("xii--xv", "xii", "xv")],
)  # fmt: skip
def test_pages_give_the_first_and_the_full_last_page(written, first, last):
    assert pages(written) == (first, last)
    paper = paper_record(article(pages=written))
    assert (paper.first_page, paper.last_page) == (first, last)


@pytest.mark.parametrize("month", ["jan", "January", "Jan.", "1", "01", "january"])
def test_a_month_in_any_bibtex_form_is_read(month):
    assert month_number(month) == 1


def test_a_month_macro_is_read_from_the_entry():
    assert paper_record(entry("@article{k, author = {A, B}, title = {T}, journal = {J}, "
                              "year = {2020}, month = sep}")).month == 9  # fmt: skip


@pytest.mark.parametrize("month", ["", "13", "0", "ju", "Spring", "jan--feb"])
def test_no_month_is_guessed(month):
    assert month_number(month) is None


def test_the_abstract_is_plain_text_and_paragraphs():
    made = Entry("article", fields={"title": "T", "journal": "J", "year": "2020",
                                    "abstract": "First \\emph{one}.\n\n  Second, 50\\% more."},
                 persons={"author": [Person("Doe, Jane")]})  # fmt: skip
    made.key = "k"
    paper = paper_record(made)
    assert paper.abstract == "First one. Second, 50% more."
    assert [str(p) for p in paper.abstract_rich] == ["First one.", "Second, 50% more."]


def test_private_fields_are_removed_from_the_bibtex_fields():
    paper = paper_record(article(selected="true", venue="JMR", file="/home/me/paper.pdf",
                                 doi="10.1234/x"))  # fmt: skip
    names = [name for name, _ in paper.bibtex_fields]
    assert "doi" in names and not {"selected", "venue", "file"} & set(names)


def test_links_and_identifiers():
    paper = paper_record(article(url="https://example.org/a\\_b", doi="10.1234/x",
                                 eprint="2401.00001", archiveprefix="arXiv"))  # fmt: skip
    assert paper.url == "https://example.org/a_b"
    assert dict(paper.links) == {"Paper": "https://example.org/a_b",
                                 "DOI": "https://doi.org/10.1234/x",
                                 "arXiv": "https://arxiv.org/abs/2401.00001"}  # fmt: skip
    assert paper.arxiv == "2401.00001" and paper.doi == "10.1234/x"


@pytest.mark.parametrize("field", ["url", "pdf", "code", "openreview"])
def test_a_papers_link_is_a_web_address(tmp_path, field):
    bib = tmp_path / "refs.bib"
    bib.write_text("@misc{k, author = {Doe, Jane}, title = {T}, year = {2024},\n"
                   f"  {field} = {{mailto:jane@example.org}}}}\n", "utf-8")  # fmt: skip
    with pytest.raises(DataFileError) as caught:
        refsbib.load_bib(bib)
    (problem,) = caught.value.problems
    assert problem.path == bib and f"the field '{field}'" in problem.message
    assert "https://" in problem.message


def test_kind_venue_and_status_come_from_the_venue_rules():
    paper = paper_record(entry("@misc{k, author = {A, B}, title = {T}, year = {2024}, "
                               "eprint = {2401.00001}, archiveprefix = {arXiv}}"))  # fmt: skip
    assert (paper.kind, paper.venue_label, paper.status) == ("Preprints", "arXiv 2024", "Preprint")


# -- The rule: page features render the record ------------------------------------------


def feature_modules() -> list[Path]:
    return sorted(p for package in FEATURES for p in (ENGINE / package).rglob("*.py"))


def package_of(path: Path) -> str:
    """ "academic_portfolio.papers" for src/academic_portfolio/papers/pages.py."""
    return ".".join(path.relative_to(ENGINE.parent).parts[:-1])


def raw_reads(source: str, package: str) -> list[str]:
    """Where a module of *package* reads an entry's raw fields or imports a
    reader of its LaTeX."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and node.attr == "fields":
            found.append(f"line {node.lineno}: .fields")
        if isinstance(node, ast.ImportFrom):
            module = absolute(package, node.module or "", node.level)
            for alias in node.names:
                if alias.name in ENTRY_READERS.get(module, ()):
                    found.append(f"line {node.lineno}: imports {module}.{alias.name}")
    return found


def absolute(package: str, module: str, level: int) -> str:
    """The absolute name of an import written in a module of *package*."""
    if level == 0:
        return module
    parts = package.split(".")
    return ".".join([*parts[: len(parts) - level + 1], *filter(None, [module])])


def test_the_rule_sees_every_page_feature():
    modules = feature_modules()
    assert len(modules) > 15 and {p.parent.name for p in modules} == set(FEATURES)


@pytest.mark.parametrize("path", feature_modules(), ids=lambda p: p.relative_to(ENGINE).as_posix())
def test_page_features_render_the_record_not_the_entry(path):
    assert raw_reads(path.read_text("utf-8"), package_of(path)) == [], (
        f"{path.relative_to(ENGINE)} reads an entry itself: read it in "
        "academic_portfolio/data/paper.py, into the record, and render that"
    )


def test_the_rule_catches_a_raw_read():
    source = (
        "from ..text.latex import plain\n"
        "from academic_portfolio.text.venue import venue_label\n"
        "def f(entry):\n"
        "    return plain(entry.fields['title']) + venue_label(entry)\n"
    )
    assert raw_reads(source, "academic_portfolio.papers") == [
        "line 1: imports academic_portfolio.text.latex.plain",
        "line 2: imports academic_portfolio.text.venue.venue_label",
        "line 4: .fields",
    ]
