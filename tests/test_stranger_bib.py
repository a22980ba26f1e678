"""A stranger's refs.bib, read by the loaders alone (no Sphinx build): every
value is shown as written, or the build stops with a message that names the
file, the line and the entry, and says what to write (issue 31).

The corpus at the end feeds real exports from public repositories
(tests/fixtures/bib/, each with its SOURCE.md) through every reader."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from conftest import SMALL_SOURCES

from academic_portfolio.data import bibreader, refsbib
from academic_portfolio.data.datafiles import DataFileError
from academic_portfolio.data.paper import paper_record
from academic_portfolio.papers import bibtex as bibdownload
from academic_portfolio.papers import part, scholar
from academic_portfolio.papers import render as paperformat
from academic_portfolio.text import bibstyle, latex

pytestmark = pytest.mark.pure

bibstyle.register_plugins()
FIXTURES = Path(__file__).parent / "fixtures" / "bib"
OWNER = "Zhao, Ziqi"
STYLE = bibstyle.PortfolioStyle(owner=bibstyle.Person(OWNER))


def entry(kind: str = "misc", key: str = "k", **fields: str) -> str:
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields.items())
    return f"@{kind}{{{key},\n{body}}}\n"


def load(tmp_path: Path, text: str):
    path = tmp_path / "refs.bib"
    path.write_text(text, "utf-8")
    return refsbib.load_bib(path)


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(DataFileError) as caught:
        load(tmp_path, text)
    return [str(p) for p in caught.value.problems]


def everything_shown(item) -> str:
    """Every text the site makes of an entry: list and page text (HTML), Scholar
    tags, JSON-LD, abstract paragraphs, the BibTeX box, its part line."""
    shown = [
        paperformat.formatted_entry(paper_record(item), STYLE).text.render_as("html"),
        json.dumps(scholar.scholar_tags(paper_record(item)), ensure_ascii=False),
        json.dumps(
            scholar.scholarly_work(paper_record(item, STYLE.owner), "u", "#p"), ensure_ascii=False
        ),
        " ".join(p.astext() for p in paperformat.abstract_nodes(paper_record(item))),
        bibdownload.clean_bibtex(paper_record(item)),
        " ".join(part.paper_part(paper_record(item, STYLE.owner))),
        json.dumps(paper_record(item).links),
    ]
    return "\n".join(shown)


# -- A bare % is a percent sign -------------------------------------------------------


def test_a_bare_percent_is_kept_in_every_shown_text(tmp_path):
    title = "Achieving 99% Accuracy with 10% of the Data"
    abstract = "We keep 50% of the labels. The rest follows."
    item = load(tmp_path, entry(author=OWNER, title=title, abstract=abstract, year="2024",
                                note=r"See \url{https://x.org/a%20b} and 5\% more")).entries["k"]  # fmt: skip
    tags = dict(scholar.scholar_tags(paper_record(item)))
    assert tags["citation_title"] == title
    assert tags["citation_abstract"] == abstract
    work = scholar.scholarly_work(paper_record(item, STYLE.owner), "u", "#p")
    assert work["headline"] == work["name"] == title
    html = paperformat.formatted_entry(paper_record(item), STYLE).text.render_as("html")
    assert title in html
    assert '<a href="https://x.org/a%20b">https://x.org/a%20b</a> and 5% more' in html
    assert [p.astext() for p in paperformat.abstract_nodes(paper_record(item))] == [abstract]


@pytest.mark.parametrize(
    ("source", "text"),
    [("99%", "99%"), (r"99\%", "99%"), ("a%b%c", "a%b%c"), ("%", "%"), (r"a\\% b", "a\n% b")],
)
def test_latex_reads_an_unescaped_percent_as_the_character(source, text):
    assert latex.plain(source) == text


def test_a_line_starting_with_percent_inside_a_value_is_asked_about(tmp_path):
    text = (
        "@misc{k,\n  author = {Zhao, Ziqi},\n  title = {T},\n  year = {2024},\n"
        "  abstract = {First sentence.\n  % A sentence taken out.\n  Last sentence.},\n}\n"
    )
    assert problems(tmp_path, text) == [
        f"{tmp_path}/refs.bib:6: entry 'k': a line of the field 'abstract' starts with '%'. "
        "BibTeX keeps it as text, LaTeX would read it as a comment: if it is a comment, delete "
        "the line; if it is a percent sign, write \\% (or move it off the start of the line)."
    ]


def test_percent_lines_outside_values_are_comments_and_fine(tmp_path):
    text = "% exported by a tool\n" + entry(author=OWNER, title="T", year="2024") + "% end\n"
    assert load(tmp_path, text).entries["k"].fields["title"] == "T"


# -- Names -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("authors", "message"),
    [
        ("Li, Wei, Zhang, San", "the author 'Li, Wei, Zhang, San' has 3 commas, and a name has "
         "at most two (Last, Jr, First): BibTeX separates names with 'and': write "
         "author = {Li, Wei and Zhang, San}."),
        ("Zhao, Ziqi; Li, Wei", "the author list 'Zhao, Ziqi; Li, Wei' separates names with ';': "
         "BibTeX separates them with 'and': write author = {Zhao, Ziqi and Li, Wei}."),
        ("Zhao, Ziqi and Li, Wei and", "the author list 'Zhao, Ziqi and Li, Wei and' has an 'and' "
         "with no name on one side: remove it, or write the missing name."),
        ("Zhao, Ziqi and and Li, Wei", "has an 'and' with no name on one side"),
        (r"Zhao\textsuperscript{*}, Ziqi", r"the author 'Zhao\textsuperscript{*}, Ziqi' has a mark "
         "beside the name, which the site would show as part of the name (and not know the "
         "person): write the name alone (Zhao, Ziqi); for equal contribution add "
         "equal_contribution = {Zhao, Ziqi}, and the site marks the name."),
        ("Zhao$^*$, Ziqi", "write the name alone (Zhao, Ziqi)"),
        (r"Zhao, Ziqi and Li\mycommand{x}, Wei", r"the author 'Li\mycommand{x}, Wei' uses the LaTeX "
         "command \\mycommand, which the site cannot show: write the name without it."),
    ],
)  # fmt: skip
def test_a_mangled_author_list_is_named_with_what_to_write(tmp_path, authors, message):
    (found,) = problems(tmp_path, entry(author=authors, title="T", year="2024"))
    assert found.startswith(f"{tmp_path}/refs.bib:2: entry 'k': ")
    assert message in found


def test_accents_in_names_are_not_marks(tmp_path):
    item = load(tmp_path, entry(author=r"L{\^e}, Van and Zhao, Ziqi", title="T", year="2024"))
    assert [str(p) for p in item.entries["k"].persons["author"]] == [r"L{\^e}, Van", OWNER]


def test_superscript_is_text_in_titles(tmp_path):
    item = load(tmp_path, entry(author=OWNER, title=r"CO\textsubscript{2} and x\textsuperscript{2}",
                                year="2024")).entries["k"]  # fmt: skip
    html = paperformat.formatted_entry(paper_record(item), STYLE).text.render_as("html")
    assert "CO<sub>2</sub> and x<sup>2</sup>" in html


def test_an_owner_written_in_decomposed_unicode_is_the_owner(tmp_path):
    owner = bibstyle.Person("Zhào, Zǐqí")
    style = bibstyle.PortfolioStyle(owner=owner)
    nfd = unicodedata.normalize("NFD", "Zhào, Zǐqí")
    assert nfd != "Zhào, Zǐqí"
    item = load(tmp_path, entry(author=f"{nfd} and Li, Wei", title="T", year="2024")).entries["k"]
    html = paperformat.formatted_entry(paper_record(item), style).text.render_as("html")
    assert "<strong>Zǐqí Zhào</strong>" in html
    assert part.paper_part(paper_record(item, owner))[0] == "1st of 2 authors"
    work = scholar.scholarly_work(paper_record(item, owner), "u", "#p")
    assert work["author"][0] == {"@id": "#p", "@type": "Person", "name": "Zǐqí Zhào"}
    # and an owner typed in NFD in conf.py is the owner of NFC names
    nfd_owner = bibstyle.Person(unicodedata.normalize("NFD", "Zhào, Zǐqí"))
    assert bibstyle.same_person(nfd_owner, item.persons["author"][0])


def test_von_and_jr_parts_are_kept_in_tags_and_json_ld(tmp_path):
    authors = "van der Berg, Jr, Jan and Zhao, Ziqi"
    item = load(tmp_path, entry(author=authors, title="T", year="2024")).entries["k"]
    tags = [v for k, v in scholar.scholar_tags(paper_record(item)) if k == "citation_author"]
    assert tags == ["van der Berg, Jan, Jr", "Zhao, Ziqi"]
    names = [
        p["name"]
        for p in scholar.scholarly_work(paper_record(item, STYLE.owner), "u", "#p")["author"]
    ]
    assert names == ["Jan van der Berg, Jr", "Ziqi Zhao"]


# -- Fields ------------------------------------------------------------------------------


def test_a_blank_line_in_an_abstract_starts_a_paragraph(tmp_path):
    abstract = "First paragraph,\n  still the first.\n\n  Second paragraph.\n   \n\n Third."
    item = load(tmp_path, entry(author=OWNER, title="T", year="2024", abstract=abstract))
    paragraphs = paperformat.abstract_nodes(paper_record(item.entries["k"]))
    assert [p.astext() for p in paragraphs] == [
        "First paragraph, still the first.", "Second paragraph.", "Third."
    ]  # fmt: skip
    tags = dict(scholar.scholar_tags(paper_record(item.entries["k"])))
    assert tags["citation_abstract"] == "First paragraph, still the first. Second paragraph. Third."


def test_full_width_digits_are_not_a_year(tmp_path):
    (found,) = problems(tmp_path, entry(author=OWNER, title="T", year="２０２４"))
    assert found == (
        f"{tmp_path}/refs.bib:1: entry 'k': the year '２０２４' is written with full-width "
        "digits: write it with ASCII digits, 2024."
    )
    (found,) = problems(tmp_path, entry(author=OWNER, title="T", year="٢٠٢٤"))  # Arabic-Indic
    assert found.endswith("write it with ASCII digits, 2024.") or "not a four-digit year" in found


@pytest.mark.parametrize("title", ["", " ", "{}", "{ }", r"{\relax}"])
def test_an_empty_title_is_refused(tmp_path, title):
    (found,) = problems(tmp_path, entry(author=OWNER, title=title, year="2024"))
    assert found.startswith(f"{tmp_path}/refs.bib:1: entry 'k': ")
    assert "'title'" in found and ("is empty" in found or "needs the field" in found)


@pytest.mark.parametrize("pages", ["12--19", "12-19", "12–19", "12 – 19", "12—19", "12---19"])
def test_a_page_range_is_split_at_any_dash(tmp_path, pages):
    item = load(tmp_path, entry("article", author=OWNER, title="T", journal="J", year="2024",
                                pages=pages)).entries["k"]  # fmt: skip
    tags = dict(scholar.scholar_tags(paper_record(item)))
    assert (tags["citation_firstpage"], tags["citation_lastpage"]) == ("12", "19")
    assert scholar.scholarly_work(paper_record(item), "u", "#p")["pagination"] == "12–19"
    assert "12–19" in paperformat.formatted_entry(paper_record(item), STYLE).text.render_as("text")


def test_a_field_written_twice_is_named_at_its_second_line(tmp_path):
    text = (entry(author=OWNER, title="T", year="2024", key="first")
            + "@misc{k,\n author={Zhao, Ziqi},\n title={T},\n note={a},\n note={b},\n year={2024}}\n")  # fmt: skip
    assert problems(tmp_path, text) == [
        f"{tmp_path}/refs.bib:10: entry 'k': it has the field 'note' twice: keep one "
        "(BibTeX would silently use the first)."
    ]


def test_an_escaped_underscore_in_a_url_is_read_as_underscore(tmp_path):
    url = r"https://dblp.org/rec/conf/nips/Zhao\_24"
    item = load(tmp_path, entry(author=OWNER, title="T", year="2024", url=url, pdf=url + ".pdf"))
    links = dict(paper_record(item.entries["k"]).links)
    assert links["Paper"] == "https://dblp.org/rec/conf/nips/Zhao_24"
    assert dict(scholar.scholar_tags(paper_record(item.entries["k"])))["citation_pdf_url"].endswith(
        "Zhao_24.pdf"
    )
    # the shown BibTeX keeps the field as written
    assert f"url = {{{url}}}," in bibdownload.clean_bibtex(paper_record(item.entries["k"]))


MANAGER_FIELDS = {
    "file": r"C\:\\Users\\ziqi\\Zotero\\storage\\ABCD\\paper.pdf",  # Zotero, Mendeley
    "mendeley-tags": "to read", "mendeley-groups": "Lab", "annote": "my notes",
    "owner": "ziqi", "timestamp": "2024.01.02", "groups": "thesis", "comment": "check",
    "readstatus": "read", "ranking": "rank3", "creationdate": "2024-01-02T10:00:00",
    "date-added": "2024-01-02 10:00:00 +0100", "bdsk-file-1": "YnBsaXN0MDA=",
}  # fmt: skip


def test_reference_managers_private_fields_are_never_shown(tmp_path):
    fields = {"author": OWNER, "title": "T", "year": "2024", "keywords": "learning"}
    item = load(tmp_path, entry(**fields, **MANAGER_FIELDS)).entries["k"]
    shown = bibdownload.clean_bibtex(paper_record(item))
    for name, value in MANAGER_FIELDS.items():
        assert f"{name} =" not in shown
        assert value not in everything_shown(item)
    assert "keywords = {learning}," in shown  # a field about the paper stays


# -- Every reader: the corpus of real exports --------------------------------------------

CORPUS = sorted(FIXTURES.glob("*.bib"))


def test_every_corpus_file_has_its_source():
    assert len(CORPUS) >= 8
    for path in CORPUS:
        source = path.with_name(path.name + ".SOURCE.md").read_text("utf-8")
        for fact in ("Repository:", "Path in repo:", "Commit", "Licence:"):
            assert fact in source, f"{path.name}.SOURCE.md lacks {fact}"


@pytest.mark.parametrize("path", CORPUS, ids=[p.name for p in CORPUS])
def test_a_real_export_loads_whole_or_stops_naming_the_file(path):
    """No traceback; either every entry's text reaches every reader as written,
    or every problem names this file."""
    try:
        bib = refsbib.load_bib(path)
    except DataFileError as error:
        assert error.problems
        assert all(p.path == path and p.message for p in error.problems)
        return
    for item in bib.entries.values():
        everything_shown(item)  # every reader runs
        title = latex.plain(item.fields["title"])
        assert dict(scholar.scholar_tags(paper_record(item)))["citation_title"] == title
        assert scholar.scholarly_work(paper_record(item), "u", "#p")["name"] == title
        assert title in paperformat.formatted_entry(paper_record(item), STYLE).text.render_as(
            "text"
        )
        for name in refsbib.RENDERED_FIELDS:  # a percent sign is never lost
            if name in item.fields:
                assert latex.plain(item.fields[name]).count("%") == item.fields[name].count("%")
        shown = bibdownload.clean_bibtex(paper_record(item))  # read back as the site reads refs.bib
        reparsed = bibreader.SiteParser().parse_string(shown).entries[item.key]
        kept = {k.lower(): v for k, v in item.fields.items() if not refsbib.is_private(k)}
        assert {k.lower(): v for k, v in reparsed.fields.items()} == kept


def corpus(name: str):
    return refsbib.load_bib(FIXTURES / name)


def test_percent_signs_of_a_real_abstract_reach_the_tags():
    (item,) = corpus("zotero-bbt-jabref-percent.bib").entries.values()
    abstract = dict(scholar.scholar_tags(paper_record(item)))["citation_abstract"]
    assert "thin film transmission reduction of about 50% in a narrow wavelength" in abstract
    assert "from 2.2% and 0.8Ânm to 51% and 21Ânm, respectively." in abstract


def test_a_real_abstract_keeps_its_paragraphs():
    (item,) = corpus("zotero-bbt-jabref-paragraphs.bib").entries.values()
    paragraphs = [p.astext() for p in paperformat.abstract_nodes(paper_record(item))]
    assert len(paragraphs) == 2
    assert paragraphs[1].startswith("Keywords: metrics, decision making")


def test_real_local_paths_and_owners_never_reach_a_page():
    bib = corpus("zotero-bbt-jabref-file-paths.bib")
    for item in bib.entries.values():
        shown = everything_shown(item)
        for private in ("Users", "jfd1", "timestamp", "__markedentry", "file ="):
            assert private not in shown, (item.key, private)


def test_whole_names_separated_by_commas_get_the_right_advice():
    with pytest.raises(DataFileError) as caught:
        corpus("alfolio-3seoksw-papers.bib")
    assert (
        "entry 'pytorch-ddqn': the author 'Yuansong Feng, Suraj Subramanian, Howard Wang, "
        "Steven Guo' has 3 commas, and a name has at most two (Last, Jr, First): BibTeX "
        "separates names with 'and': write author = {Yuansong Feng and Suraj Subramanian and "
        "Howard Wang and Steven Guo}."
    ) in [p.message for p in caught.value.problems]


@pytest.mark.parametrize("text", ["0@", "see @misc{k, title={T}}", "x\n  y @article{"])
def test_an_entry_that_does_not_start_a_line_gets_a_message(tmp_path, text):
    """Found by the property test: no "@" at the start of a line ended in a traceback."""
    for found in problems(tmp_path, text):
        assert found.startswith(f"{tmp_path}/refs.bib")


# -- Through a whole build: the made-up portfolio with a stranger's entry ----------------

OWNER_NFD = unicodedata.normalize("NFD", "Ñúñez-Łukasiewicz, Zoë")  # as some macOS tools write it
STRANGER_TITLE = "Achieving 99% Accuracy with 10% of the Data"
STRANGER_ENTRY = f"""
@article{{stranger2024percent,
  title = {{{STRANGER_TITLE}}},
  author = {{{OWNER_NFD} and van der Berg, Jr, Jan}},
  journal = {{Journal of Made-up Results}},
  pages = {{12–19}},
  year = {{2024}},
  url = {{https://dblp.org/rec/journals/example/Nunez\\_24}},
  file = {{C\\:\\\\Users\\\\zoe\\\\Zotero\\\\storage\\\\ABCD1234\\\\paper.pdf:application/pdf}},
  abstract = {{We keep 50% of the labels.

  A second paragraph, 100% made up for the tests.}},
}}
"""


@pytest.fixture(scope="module")
def stranger_site(tmp_path_factory):
    from conftest import other_site_with_entry

    return other_site_with_entry(
        tmp_path_factory, "stranger", STRANGER_ENTRY, "/publications/stranger2024percent/"
    )


def test_a_strangers_entry_is_shown_whole_on_every_page_feature(stranger_site):
    page = stranger_site.page("/publications/stranger2024percent/")
    assert page.find("h1").get_text().rstrip("#") == STRANGER_TITLE
    tags = {}
    for meta in page.head.find_all("meta", attrs={"name": True}):
        tags.setdefault(meta["name"], []).append(meta["content"])
    assert tags["citation_title"] == [STRANGER_TITLE]
    assert tags["citation_author"] == ["Ñúñez-Łukasiewicz, Zoë", "van der Berg, Jan, Jr"]
    assert (tags["citation_firstpage"], tags["citation_lastpage"]) == (["12"], ["19"])
    assert tags["citation_abstract"] == [
        "We keep 50% of the labels. A second paragraph, 100% made up for the tests."
    ]
    data = json.loads(page.head.find("script", type="application/ld+json").string)
    assert data["name"] == STRANGER_TITLE
    assert data["author"][0]["@id"].endswith("#person")  # the owner, though written in NFD
    assert data["author"][1]["name"] == "Jan van der Berg, Jr"
    abstract = [p.get_text() for p in page.select(".paper-abstract p")]
    assert abstract == [
        "We keep 50% of the labels.",
        "A second paragraph, 100% made up for the tests.",
    ]
    assert page.select_one("p strong").get_text().startswith("Zoë Ñúñez-Łukasiewicz")
    links = {a.get_text(): a["href"] for a in page.select(".paper-links a.reference.external")}
    assert links["Paper"] == "https://dblp.org/rec/journals/example/Nunez_24"


def test_a_strangers_private_file_path_is_never_published(stranger_site):
    for path in [*stranger_site.root.rglob("*.html"), stranger_site.root / "refs.bib"]:
        text = path.read_text("utf-8")
        assert "Zotero" not in text and "ABCD1234" not in text, path


def test_a_strangers_title_keeps_its_percent_signs_in_the_cv_pdf(stranger_site):
    from pypdf import PdfReader

    pdf = stranger_site.root / "cv.pdf"
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(pdf).pages).split())
    assert STRANGER_TITLE in text


# -- bibtex_bibfiles: the site reads one file ---------------------------------------------


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ('["refs.bib", "more.bib"]', r"conf\.py: bibtex_bibfiles lists 2 files \(refs\.bib, "
         r"more\.bib\), and the site reads one bibliography file .*: put every entry in one file, "
         r'such as refs\.bib, and write bibtex_bibfiles = \["refs\.bib"\]\.'),
        ("[]", r'conf\.py: bibtex_bibfiles is empty: name the bibliography file, '
         r'bibtex_bibfiles = \["refs\.bib"\]'),
    ],
)  # fmt: skip
def test_bibtex_bibfiles_other_than_one_file_is_named_in_conf_py(broken_site, setting, message):
    def edit(src: Path) -> None:  # both files exist: only the setting is wrong
        (src / "more.bib").write_text(entry(author=OWNER, title="T", year="2024", key="m"))
        conf = src / "conf.py"
        old = 'bibtex_bibfiles = ["refs.bib"]'
        assert old in conf.read_text()
        conf.write_text(conf.read_text().replace(old, f"bibtex_bibfiles = {setting}"))

    code, log, _ = broken_site(edit, SMALL_SOURCES)  # its conf.py writes bibtex_bibfiles
    assert code != 0
    assert re.search(message, log), log
    assert "Traceback" not in log and "KeyError" not in log and "IndexError" not in log


def test_bibfiles_problem_reads_any_setting():
    from academic_portfolio.data.store import bibfiles_problem

    conf = Path("conf.py")
    assert bibfiles_problem(["refs.bib"], conf) is None
    for setting in ("refs.bib", [], ["a.bib", "b.bib"], [1], None):
        problem = bibfiles_problem(setting, conf)
        assert problem is not None and problem.path == conf and "bibtex_bibfiles" in problem.message


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ('@misc{k,\n  note = "a\n  % b",\n}\n', [(3, "k", "note")]),  # a quoted value
        ("@misc(k,\n  note = {a\n% b}\n)\n", [(3, "k", "note")]),  # an entry in parentheses
        ("@misc{k,\n  title = {a (b)\n  %c},\n}\n", [(3, "k", "title")]),
        ("@comment{x\n% y}\n@misc{k, title={T}}\n% after\n", []),  # comments outside values
        ("% No papers yet.\n", []),  # a file of comments only
        ("@misc{k,\n  title = {T},\n}\n% between entries\n@misc{j, title={U}}\n", []),
    ],
)
def test_percent_lines_are_found_only_inside_values(text, found):
    assert bibreader.percent_lines(text) == found


def test_an_acm_export_page_range_with_an_en_dash_is_split():
    (item,) = corpus("zotero-bbt-acm-new.bib").entries.values()
    assert item.fields["pages"] == "1–13"  # as the ACM Digital Library writes it
    tags = dict(scholar.scholar_tags(paper_record(item)))
    assert (tags["citation_firstpage"], tags["citation_lastpage"]) == ("1", "13")
