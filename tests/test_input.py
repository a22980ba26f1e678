"""Real-world input, read by the loaders alone (no Sphinx build): any BibTeX a
researcher pastes and any text in the data files works, or stops with a clear
message that names the file, the line or key, and what to do."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import REPO

from academic_portfolio.data import datafiles, generated, paperfiles, refsbib, sources
from academic_portfolio.data.datafiles import DataFileError
from academic_portfolio.data.paper import paper_record
from academic_portfolio.papers import bibtex as bibdownload
from academic_portfolio.papers import links as paperlinks
from academic_portfolio.papers import render as paperformat
from academic_portfolio.papers import scholar
from academic_portfolio.text import bibstyle, latex

# Pure: a test whose fixtures build a site is marked build by conftest.py.
pytestmark = pytest.mark.pure

bibstyle.register_plugins()
FIXTURES = Path(__file__).parent / "fixtures" / "bib"
OWNER = "Zhao, Ziqi"
STYLE = bibstyle.PortfolioStyle(
    owner=bibstyle.Person(OWNER)
)  # the site's, as academic_portfolio.data.store makes it


def load(tmp_path: Path, text: str, reserved: dict[str, str] | None = None):
    path = tmp_path / "refs.bib"
    path.write_text(text, "utf-8")
    return refsbib.load_bib(path, reserved)


def problems(tmp_path: Path, text: str, reserved=None) -> list[str]:
    with pytest.raises(DataFileError) as caught:
        load(tmp_path, text, reserved)
    return [str(p) for p in caught.value.problems]


def entry(kind: str, key: str = "k", **fields: str) -> str:
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields.items())
    return f"@{kind}{{{key},\n{body}}}\n"


MINIMAL = {"author": OWNER, "title": "T", "year": "2024"}


# -- Keys and page addresses ------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "slug"),
    [
        ("liu2022robust", "liu2022robust"),  # the URLs already sent keep working
        ("DBLP:conf/nips/LiuZSS22", "dblp-conf-nips-liuzss22"),
        ("zhao/2024", "zhao-2024"),
        ("zhao_2024_under", "zhao-2024-under"),
        ("zhao:2024:colon", "zhao-2024-colon"),
        ("zhao.2024", "zhao-2024"),
        ("../cv", "cv"),
        ("../../outside", "outside"),
        ("Müller2024", "muller2024"),
    ],
)
def test_any_key_bibtex_accepts_gets_a_page_address(tmp_path, key, slug):
    bib = load(tmp_path, entry("misc", key, **MINIMAL))
    assert bib.slugs == {key: slug}
    assert bib.keys_by_slug[slug] == key


def test_a_slug_field_chooses_the_address(tmp_path):
    bib = load(tmp_path, entry("misc", "index", slug="my-paper", **MINIMAL))
    assert bib.slugs == {"index": "my-paper"}


def test_a_key_cannot_take_a_hand_written_page(tmp_path):
    found = problems(tmp_path, entry("misc", "index", **MINIMAL), {"index": "the publication list"})
    assert found == [
        f"{tmp_path}/refs.bib:1: entry 'index': its page address /publications/index/ is taken by "
        "the publication list: add a field slug = {...} to the entry with another address."
    ]


def test_two_keys_cannot_share_an_address(tmp_path):
    found = problems(
        tmp_path, entry("misc", "zhao.2024", **MINIMAL) + entry("misc", "zhao/2024", **MINIMAL)
    )
    assert found == [
        f"{tmp_path}/refs.bib:6: entries 'zhao.2024' and 'zhao/2024' would share the page address "
        "/publications/zhao-2024/: add a field slug = {...} to one of them."
    ]


@pytest.mark.parametrize("slug", ["Bad Slug", "../x", "x/y", ""])
def test_a_bad_slug_field_is_refused(tmp_path, slug):
    (found,) = problems(tmp_path, entry("misc", "k", slug=slug, **MINIMAL))
    assert "is not a valid address: add slug = {...} in its 'slug' field" in found


def test_generated_pages_never_leave_their_folder(tmp_path):
    folder = tmp_path / "doctrees" / generated.FOLDER
    bib = load(tmp_path, entry("misc", "../../outside", **MINIMAL))
    pages = {f"publications/{slug}": text for slug, text in paperfiles.paper_pages(bib).items()}
    generated.write_pages(folder, pages)
    assert [p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*.md")] == [
        f"doctrees/{generated.FOLDER}/publications/outside.md"
    ]
    with pytest.raises(ValueError, match="not a page name"):
        generated.write_pages(folder, {"../escape": "x"})
    assert not list(tmp_path.rglob("escape.md"))


def test_pages_an_older_build_generated_are_removed_and_the_owners_kept(tmp_path):
    (tmp_path / "index.md").write_text("# P\n")
    (tmp_path / "talks.md").write_text("# Talks\n" + paperfiles.GENERATED_MARK)
    # Exactly as older builds wrote it.
    (tmp_path / "old.md").write_text(paperfiles.paper_page("old"))
    edited = paperfiles.paper_page("kept") + "A note the owner added.\n"
    (tmp_path / "kept.md").write_text(edited)  # the mark, but edited: the owner's now
    (tmp_path / "latin1.md").write_bytes(b"# Caf\xe9\n")  # not UTF-8: still never touched
    generated.remove_old_pages(tmp_path, paperfiles.paper_page)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "index.md",
        "kept.md",
        "latin1.md",
        "talks.md",
    ]
    assert (tmp_path / "kept.md").read_text() == edited


def test_taken_slugs_are_the_hand_written_pages(tmp_path):
    (tmp_path / "index.md").write_text("# P\n")
    (tmp_path / "talks.md").write_bytes(b"# Caf\xe9\n")  # not UTF-8: its name is still taken
    assert refsbib.taken_slugs(tmp_path) == {
        "index": f"the page {tmp_path.name}/index.md", "talks": f"the page {tmp_path.name}/talks.md",
    }  # fmt: skip


# -- Entry types --------------------------------------------------------------------

COMPLETE = {
    "article": {"journal": "J"},
    "book": {"publisher": "P"},
    "inbook": {"publisher": "P", "chapter": "3"},
    "incollection": {"booktitle": "B", "publisher": "P"},
    "inproceedings": {"booktitle": "B"},
    "conference": {"booktitle": "B"},
    "proceedings": {},
    "phdthesis": {"school": "EPFL"},
    "mastersthesis": {"school": "EPFL"},
    "techreport": {"institution": "EPFL", "number": "TR-7"},
    "misc": {"eprint": "2202.01341", "archiveprefix": "arXiv"},
    "unpublished": {"note": "Under review"},
}


@pytest.mark.parametrize("kind", sorted(COMPLETE))
def test_every_entry_type_formats_with_its_required_fields(tmp_path, kind):
    bib = load(tmp_path, entry(kind, **MINIMAL, **COMPLETE[kind]))
    text = paperformat.citation_text(paper_record(bib.entries["k"]), STYLE)
    # Title first (a reader scanning a list looks there), then the authors.
    assert text.startswith("T. Ziqi Zhao.") and "2024" in text, text
    for value in COMPLETE[kind].values():
        if value not in ("arXiv",):
            assert value in text, (kind, value, text)


@pytest.mark.parametrize(
    ("kind", "missing"),
    [("article", "journal"), ("incollection", "booktitle"), ("phdthesis", "school"),
     ("mastersthesis", "school"), ("techreport", "institution"), ("unpublished", "note"),
     ("book", "publisher"), ("inbook", "'chapter' or 'pages'")],
)  # fmt: skip
def test_bibtex_required_fields_are_named_per_type(tmp_path, kind, missing):
    found = problems(tmp_path, entry(kind, **MINIMAL))
    wanted = missing if missing.startswith("'") else f"'{missing}'"
    assert f"{tmp_path}/refs.bib:1: entry 'k': a @{kind} needs the field {wanted}: add it." in found


def test_every_entry_needs_names_a_title_and_a_four_digit_year(tmp_path):
    found = problems(tmp_path, entry("misc", year="24"))
    assert [f.split(": ", 2)[-1] for f in found] == [
        "a @misc needs the field 'author' or 'editor': add it.",
        "a @misc needs the field 'title': add it.",
        "the year '24' is not a four-digit year: write it as 2024.",
    ]


def test_biblatex_names_get_a_hint_and_unknown_types_a_list(tmp_path):
    text = entry("article", author=OWNER, title="T", date="2020", journaltitle="J") + entry(
        "online", "o", **MINIMAL
    )
    found = problems(tmp_path, text)
    assert any(
        "needs the field 'year'; it has biblatex's 'date': write year = {...}" in f for f in found
    )
    assert any("needs the field 'journal'; it has biblatex's 'journaltitle'" in f for f in found)
    assert any(
        "the entry type '@online' is not supported (use one of @article," in f for f in found
    )


def test_and_others_is_et_al_and_never_a_person(tmp_path):
    bib = load(
        tmp_path, entry("misc", author=f"{OWNER} and Doe, Jane and others", title="T", year="2024")
    )
    item = bib.entries["k"]
    assert paperformat.citation_text(paper_record(item), STYLE).startswith(
        "T. Ziqi Zhao, Jane Doe, et al."
    )
    assert [v for k, v in scholar.scholar_tags(paper_record(item)) if k == "citation_author"] == [
        "Zhao, Ziqi",
        "Doe, Jane",
    ]
    assert [
        a["name"]
        for a in scholar.scholarly_work(paper_record(item, STYLE.owner), "u", "#p")["author"]
    ] == [
        "Ziqi Zhao",
        "Jane Doe",
    ]


@pytest.mark.parametrize(
    ("kind", "fields", "tags", "schema_type"),
    [
        ("phdthesis", {"school": "EPFL"}, {"citation_dissertation_institution": "EPFL"}, "Thesis"),
        ("mastersthesis", {"school": "EPFL"}, {"citation_dissertation_institution": "EPFL"}, "Thesis"),
        ("techreport", {"institution": "EPFL", "number": "TR-7"},
         {"citation_technical_report_institution": "EPFL", "citation_technical_report_number": "TR-7"}, "Report"),
        ("incollection", {"booktitle": "The Book", "publisher": "P"}, {"citation_inbook_title": "The Book"}, "Chapter"),
        ("inproceedings", {"booktitle": "Conf"}, {"citation_conference_title": "Conf"}, "ScholarlyArticle"),
        ("article", {"journal": "J", "number": "3"}, {"citation_journal_title": "J", "citation_issue": "3"}, "ScholarlyArticle"),
        ("book", {"publisher": "P", "isbn": "978-3-16-148410-0"}, {"citation_isbn": "978-3-16-148410-0"}, "Book"),
    ],
)  # fmt: skip
def test_scholar_tags_and_schema_types_follow_the_entry_type(
    tmp_path, kind, fields, tags, schema_type
):
    item = load(tmp_path, entry(kind, **MINIMAL, **fields)).entries["k"]
    found = dict(scholar.scholar_tags(paper_record(item)))
    assert {name: found.get(name) for name in tags} == tags
    if kind == "techreport":
        assert "citation_issue" not in found
    if kind == "incollection":
        assert "citation_conference_title" not in found
    assert (
        scholar.scholarly_work(paper_record(item, STYLE.owner), "u", "#p")["@type"] == schema_type
    )


def test_shown_bibtex_keeps_every_field_but_ours(tmp_path):
    fields = {"editor": "Doe, Jane", "school": "EPFL", "address": "Lausanne", "note": "N",
              "howpublished": "H", "institution": "I", "title": r"\emph{T}", "year": "2024"}  # fmt: skip
    private = {"selected": "true", "code": "https://x.org", "openreview": "https://o.org",
               "equal_contribution": OWNER, "pdf": "https://p.org/a.pdf", "slug": "s"}  # fmt: skip
    shown = bibdownload.clean_bibtex(
        paper_record(
            load(tmp_path, entry("phdthesis", author=OWNER, **fields, **private)).entries["k"]
        )
    )
    from pybtex.database import parse_string

    reparsed = parse_string(shown, "bibtex").entries["k"]
    assert {k.lower(): v for k, v in reparsed.fields.items()} == {
        k: v for k, v in fields.items() if k != "editor"
    }
    assert [str(p) for p in reparsed.persons["editor"]] == ["Doe, Jane"]
    for name in private:
        assert f"{name} =" not in shown


def test_an_entry_without_links_gets_no_empty_paragraph(tmp_path):
    item = load(tmp_path, entry("misc", **MINIMAL)).entries["k"]
    assert not paperlinks.link_buttons(paper_record(item)).children


# -- Links and escaping ------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "safe"),
    [
        ("https://github.com/RobertFlame", True), ("http://example.org/a?b=1&c=2", True),
        ("mailto:ziqi.zhao@epfl.ch", True), ("javascript:alert(1)", False),
        ("data:text/html,<script>", False), ("https://x.org/\"><script>", False),
        ("https://x.org/a b", False), ("//x.org", False), ("ftp://x.org", False), ("https://", False),
        ("JAVASCRIPT:alert(1)", False),
    ],
)  # fmt: skip
def test_links_accept_only_https_http_and_mailto(url, safe):
    assert latex.is_safe_link(url) is safe


@pytest.mark.parametrize("field", ["url", "pdf", "code", "openreview"])
def test_a_bib_link_field_must_be_a_link_the_site_shows(tmp_path, field):
    (found,) = problems(tmp_path, entry("misc", **MINIMAL, **{field: "javascript:alert(1)"}))
    assert found.endswith(
        f"entry 'k': the field '{field}' holds 'javascript:alert(1)', which is not a link the site "
        "shows: write a full https:// or http:// address."
    )


def test_doi_and_arxiv_ids_are_checked(tmp_path):
    found = problems(tmp_path, entry("misc", doi="https://doi.org/10.1/x", eprint="not-an-id",
                                     archiveprefix="arXiv", **MINIMAL))  # fmt: skip
    assert any("the doi 'https://doi.org/10.1/x' is not a DOI: write it bare" in f for f in found)
    assert any("the eprint 'not-an-id' is not an arXiv id" in f for f in found)


def test_a_doi_with_angle_brackets_is_a_link_not_markup(tmp_path):
    doi = "10.1002/(SICI)1096-987X(199803)19:4<377::AID-JCC1>3.0.CO;2-P"
    item = load(tmp_path, entry("misc", doi=doi, **MINIMAL)).entries["k"]
    url = dict((label, u) for label, u in paper_record(item).links)["DOI"]
    assert url == "https://doi.org/10.1002/(SICI)1096-987X(199803)19:4%3C377::AID-JCC1%3E3.0.CO;2-P"


def test_json_ld_cannot_be_closed_or_commented_by_data():
    data = {"name": "</script><!--<script> & <b>"}
    script = scholar.json_ld_script(data)
    body = script.removeprefix('<script type="application/ld+json">').removesuffix("</script>")
    assert "<" not in body and ">" not in body and "&" not in body
    assert json.loads(body) == data


# -- LaTeX ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "html", "text"),
    [
        (r"Robust \emph{binary} \textit{nets}", "Robust <em>binary</em> <em>nets</em>", "Robust binary nets"),
        (r"\textbf{Bold} and {\bf old} style", '<strong>Bold</strong> and <span class="bibtex-protected"><strong>old</strong></span> style', "Bold and old style"),
        (r"S{\"u}sstrunk and Fr\'ed\'eric", 'S<span class="bibtex-protected">ü</span>sstrunk and Frédéric', "Süsstrunk and Frédéric"),
        (r"$\alpha$-nets and $\ell_\infty$", "α-nets and ℓ_∞", "α-nets and ℓ_∞"),
        (r"\textsc{Grafics} by \LaTeX", "Grafics by LaTeX", "Grafics by LaTeX"),
        (r"Q\&A, 100\%, x < y, Q&A", "Q&amp;A, 100%, x &lt; y, Q&amp;A", "Q&A, 100%, x < y, Q&A"),
        (r"See \url{https://x.org/a_b}", 'See <a href="https://x.org/a_b">https://x.org/a_b</a>', "See https://x.org/a_b"),
        (r"\href{javascript:alert(1)}{bad}", "bad", "bad"),
        (r"pages 1--2 \enquote{quoted}", "pages 1–2 “quoted”", "pages 1–2 “quoted”"),
    ],
)  # fmt: skip
def test_latex_becomes_text_and_markup(source, html, text):
    rich = latex.to_rich(source)
    assert rich.render_as("html") == html
    assert rich.render_as("text") == text


def test_unknown_latex_and_broken_math_are_named(tmp_path):
    found = problems(tmp_path, entry("misc", author=OWNER, title=r"A \mycommand{x}", note="5$",
                                     year="2024"))  # fmt: skip
    assert any(
        "the field 'title' uses the LaTeX command \\mycommand, which the site cannot show" in f
        for f in found
    )
    assert any("the field 'note': this LaTeX cannot be read" in f and "$ signs" in f for f in found)


def test_latex_renders_the_same_in_lists_and_metadata(tmp_path):
    item = load(tmp_path, entry("article", author=OWNER, title=r"\emph{Robust} $\alpha$ Q\&A",
                                journal=r"J. of {\"U}", year="2024")).entries["k"]  # fmt: skip
    assert dict(scholar.scholar_tags(paper_record(item)))["citation_title"] == "Robust α Q&A"
    assert (
        scholar.scholarly_work(paper_record(item, STYLE.owner), "u", "#p")["isPartOf"]["name"]
        == "J. of Ü"
    )
    assert "<em>Robust</em> α Q&amp;A" in paperformat.formatted_entry(
        paper_record(item), STYLE
    ).text.render_as("html")


# -- Syntax, macros, encodings ---------------------------------------------------


def test_a_syntax_error_names_the_entry_that_has_it(tmp_path):
    text = (
        entry("misc", "first", **MINIMAL)
        + "\n@misc{broken,\n  title = {{T}{,\n  year = {2024},\n}\n\n"
        + entry("misc", "last", **MINIMAL)
    )
    (found,) = problems(tmp_path, text)
    assert found.startswith(
        f"{tmp_path}/refs.bib:7: BibTeX syntax error in the entry that starts here"
    )


def test_an_undefined_string_says_how_to_define_it(tmp_path):
    text = (
        entry("misc", **MINIMAL)
        + "@inproceedings{b,\n author = {A, B},\n title = {T},\n booktitle = icml,\n year = {2020},\n}\n"
    )
    (found,) = problems(tmp_path, text)
    assert found == (
        f"{tmp_path}/refs.bib:6: the entry that starts here uses 'icml', which is not defined: "
        "write the value in braces ({...}), or define it first with @string{icml = {...}}."
    )


def test_strings_defined_in_the_file_are_used(tmp_path):
    bib = load(tmp_path, "@string{icml = {International Conference on Machine Learning}}\n"
               + entry("inproceedings", **MINIMAL).replace("year", "booktitle = icml,\n  year"))  # fmt: skip
    assert bib.entries["k"].fields["booktitle"] == "International Conference on Machine Learning"


def test_a_byte_that_is_not_utf8_is_named_with_its_line(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_bytes(entry("misc", **MINIMAL).encode() + b"% caf\xe9\n")
    with pytest.raises(DataFileError) as caught:
        refsbib.load_bib(path)
    assert str(caught.value.problems[0]) == (
        f"{path}:6: byte 0xe9 is not UTF-8 text: save the file as UTF-8 in your editor "
        '("Save with encoding"), or retype that character.'
    )


# -- YAML data --------------------------------------------------------------------


def yaml_problems(text: str, schema: dict, tmp_path: Path) -> list[str]:
    path = tmp_path / "data.yaml"
    with pytest.raises(DataFileError) as caught:
        data, node = datafiles.load_yaml(text, path)
        datafiles.validate(data, node, schema, path)
    return [str(p) for p in caught.value.problems]


def test_a_key_written_twice_is_named_not_silently_replaced(tmp_path):
    found = yaml_problems(
        "headline: A\nname: N\nheadline: B\nawards:\n  - x\nawards:\n  - y\n", {}, tmp_path
    )
    assert found == [
        f"{tmp_path}/data.yaml:3: 'headline' is written twice here: keep one (YAML would silently use the last).",
        f"{tmp_path}/data.yaml:6: 'awards' is written twice here: keep one (YAML would silently use the last).",
    ]


def test_dates_and_numbers_get_messages_about_what_to_write(tmp_path):
    schema = datafiles.load_schema("cv")["$defs"]
    found = yaml_problems(
        "start: 2020-09-01\nwhen: 2019\n",
        {"properties": {"start": schema["month"], "when": schema["text"]}},
        tmp_path,
    )
    assert found == [
        f"{tmp_path}/data.yaml:1: start: '2020-09-01' is malformed: write a month as YYYY-MM, e.g. 2020-09.",
        f'{tmp_path}/data.yaml:2: when: YAML reads 2019 as a number; this field takes text: write it in quotes, "2019".',
    ]


def test_links_in_data_files_must_be_links_the_site_shows(tmp_path):
    schema = datafiles.load_schema("project")
    found = yaml_problems(
        'links:\n  - label: Code\n    url: "https://x.org/\\"><script>"\n  - label: J\n    url: "javascript:alert(1)"\n',
        {"properties": {"links": schema["properties"]["links"]}},
        tmp_path,
    )
    assert len(found) == 2 and all(
        "is not a link the site shows: write a full https://" in f for f in found
    )


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ("  - before: 4.55%\n    after: 1.97%\n", "results[1]: the required field 'label' is missing: add it."),
        ("  - before: 4\n    after: 1.97%\n    label: x\n", "results[1].before: YAML reads 4 as a number"),
        ("  - value: 1%\n", "results[1]: the required field 'label' is missing: add it."),
    ],
)  # fmt: skip
def test_a_result_is_explained_by_the_kind_it_looks_like(tmp_path, result, expected):
    """A before/after result was told it missed 'value' (the other kind's field)."""
    schema = datafiles.load_schema("project")
    subschema = {
        "properties": {"results": schema["properties"]["results"]},
        "$defs": schema["$defs"],
    }
    (found,) = yaml_problems(f"results:\n{result}", subschema, tmp_path)
    assert expected in found


def test_the_summary_limit_is_stated(tmp_path):
    schema = datafiles.load_schema("project")
    (found,) = yaml_problems(
        f"summary: {'x' * 301}\n",
        {"properties": {"summary": schema["properties"]["summary"]}},
        tmp_path,
    )
    assert found.endswith("has 301 characters: write at most 300.")


# -- Bibliographies nobody here wrote -------------------------------------------------
# tests/fixtures/bib/: real .bib files from public repositories, unmodified;
# each *.SOURCE.md names its repository, path, commit and licence.


def test_a_dblp_style_export_loads_whole():
    bib = refsbib.load_bib(FIXTURES / "cvc5-references.bib")
    assert len(bib.entries) == 16
    assert bib.slugs["DBLP:journals/tocl/CimattiGIRS18"] == "dblp-journals-tocl-cimattigirs18"
    for item in bib.entries.values():
        paperformat.citation_text(paper_record(item), STYLE)  # every entry formats


def test_a_google_scholar_export_stops_only_at_the_entry_without_a_year():
    with pytest.raises(DataFileError) as caught:
        refsbib.load_bib(FIXTURES / "trieste-refs.bib")
    assert [p.message for p in caught.value.problems] == [
        "entry 'ssurjano2021': a @misc needs the field 'year': add it."
    ]


def test_biblatex_samples_are_rejected_with_reasons():
    with pytest.raises(DataFileError) as caught:
        refsbib.load_bib(FIXTURES / "biblatex-examples.bib")
    found = [p.message for p in caught.value.problems]
    # biblatex, not BibTeX: its own types and field names, said so entry by entry.
    reasons = ("is not supported", "biblatex's", "needs the field", "through crossref")
    assert found and all(any(r in m for r in reasons) for m in found), found
    assert any("'@mvbook' is not supported" in m for m in found)


# -- Venue and status labels ---------------------------------------------------------

from academic_portfolio.text import venue  # noqa: E402


@pytest.mark.parametrize(
    ("kind", "fields", "labels"),
    [
        ("inproceedings", {"booktitle": "Advances in Neural Information Processing Systems (NeurIPS)"},
         [("venue", "NeurIPS 2024")]),
        ("inproceedings", {"booktitle": "2022 IEEE 42nd International Conference on Distributed Computing Systems (ICDCS)"},
         [("venue", "ICDCS 2024")]),
        ("inproceedings", {"booktitle": "Proceedings of the 39th International Conference on Machine Learning"}, []),
        ("inproceedings", {"booktitle": "Workshop on Things (held with X)"}, []),  # not an acronym
        ("article", {"journal": "IEEE Internet of Things Magazine"}, [("venue", "IEEE Internet of Things Magazine 2024")]),
        ("article", {"journal": "Trans. on Things", "venue": "IEEE IoT Magazine"}, [("venue", "IEEE IoT Magazine 2024")]),
        ("misc", {"eprint": "2202.01341", "archiveprefix": "arXiv"}, [("venue", "arXiv 2024"), ("status", "Preprint")]),
        ("misc", {"howpublished": "Talk"}, []),
        ("phdthesis", {"school": "EPFL"}, [("status", "Thesis")]),
        ("mastersthesis", {"school": "EPFL (Lausanne)"}, [("status", "Thesis")]),
        ("inproceedings", {"booktitle": "B (ICML)", "status": "under review"},
         [("venue", "ICML 2024"), ("status", "Under review")]),
    ],
)  # fmt: skip
def test_venue_and_status_labels_come_from_the_entry(tmp_path, kind, fields, labels):
    item = load(tmp_path, entry(kind, **MINIMAL, **fields)).entries["k"]
    assert venue.labels(item) == labels


def test_a_published_paper_gets_no_invented_status(tmp_path):
    for kind, fields in COMPLETE.items():
        item = load(tmp_path, entry(kind, **MINIMAL, **fields)).entries["k"]
        assert venue.status_label(item) in ("", "Preprint", "Thesis", "Technical report"), kind
    item = load(tmp_path, entry("article", **MINIMAL, journal="J")).entries["k"]
    assert venue.status_label(item) == ""


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"venue": "NeurIPS 2024"}, "venue is 'NeurIPS 2024': the year is added from the 'year' field, write venue = {NeurIPS}."),
        ({"venue": " "}, "venue is empty: write the venue's short name, venue = {NeurIPS}, or leave it out."),
        ({"status": "Accepted"}, "status is 'Accepted': write one of published, accepted, in press, under review, "
                                 "submitted, preprint, thesis, technical report (in lowercase), or leave the field out."),
        ({"venue": r"\foo{X}"}, "the field 'venue' uses the LaTeX command \\foo, which the site cannot show"),
        ({"abstract": r"An \foo{abstract}"}, "the field 'abstract' uses the LaTeX command \\foo"),
    ],
)  # fmt: skip
def test_venue_status_and_abstract_values_are_checked(tmp_path, fields, message):
    (found,) = problems(tmp_path, entry("misc", **MINIMAL, **fields))
    assert found.startswith(f"{tmp_path}/refs.bib:1: entry 'k': {message}"), found


def test_venue_and_status_stay_out_of_the_shown_bibtex(tmp_path):
    item = load(
        tmp_path, entry("misc", **MINIMAL, venue="NeurIPS", status="preprint", abstract="A.")
    ).entries["k"]
    shown = bibdownload.clean_bibtex(paper_record(item))
    assert "venue =" not in shown and "status =" not in shown
    assert "abstract = {A.}" in shown  # a standard field, shown as written


def test_json_ld_volume_and_issue_chain(tmp_path):
    item = load(
        tmp_path, entry("article", **MINIMAL, journal="J", volume="3", number="2", publisher="P")
    ).entries["k"]
    data = scholar.scholarly_work(
        paper_record(item, bibstyle.Person(OWNER)), "u", "https://x.org/#person"
    )
    assert data["isPartOf"] == {"@type": "PublicationIssue", "issueNumber": "2",
                                "isPartOf": {"@type": "PublicationVolume", "volumeNumber": "3",
                                             "isPartOf": {"@type": "Periodical", "name": "J"}}}  # fmt: skip
    assert data["publisher"] == {"@type": "Organization", "name": "P"}
    assert data["author"] == [
        {"@id": "https://x.org/#person", "@type": "Person", "name": "Ziqi Zhao"}
    ]


# -- Dates in order, and the CV's typesetting ------------------------------------------


def test_a_period_must_start_before_it_ends(tmp_path):
    from academic_portfolio.data import sources

    cv = (REPO / "_data" / "cv.yaml").read_text("utf-8")
    path = tmp_path / "cv.yaml"
    path.write_text(
        cv.replace("start: 2020-09\n    end: 2023-01", "start: 2023-09\n    end: 2023-01")
    )
    with pytest.raises(DataFileError) as caught:
        sources.load_cv(path)
    assert [p.message for p in caught.value.problems] == [
        "education[1]: 'start' comes after 'end': swap them."
    ]
    page = (REPO / "research" / "grafics.md").read_text("utf-8")
    front = datafiles.split_front_matter(page.replace("start: 2021-02", "start: 2023-02"))
    with pytest.raises(DataFileError, match=r"'start' comes after 'end': swap them\."):
        sources.parse_front_matter(tmp_path / "p.md", *front)


def test_equal_contribution_must_name_authors(tmp_path):
    found = problems(tmp_path, entry("misc", equal_contribution="Liu, Chen", **MINIMAL))
    assert found == [
        f"{tmp_path}/refs.bib:1: entry 'k': equal_contribution names 'Liu, Chen', who is not "
        "among the authors (write each name exactly as in 'author')."
    ]


def test_a_typst_failure_stops_the_build_with_its_diagnostic(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from academic_portfolio.cv import pdf as cvpdf

    broken = tmp_path / "cv.typ"
    broken.write_text("#let x = (\n")  # never closed
    monkeypatch.setattr(cvpdf, "TEMPLATE", broken)
    monkeypatch.setattr(cvpdf, "cv_document", lambda app: {})
    monkeypatch.setattr(cvpdf, "inputs_key", lambda app: "never set before")
    app = SimpleNamespace(
        builder=SimpleNamespace(format="html", parallel_ok=False), outdir=str(tmp_path / "out"),
        doctreedir=str(tmp_path / "doctrees"), config=SimpleNamespace(portfolio_cv_pdf="cv.pdf"),
    )  # fmt: skip
    cvpdf.start_pdf(app)  # set beside the build while the pages are written
    with pytest.raises(datafiles.BuildStopped) as caught:
        cvpdf.write_pdf(app, None)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{broken}: Typst could not set the CV:")
    assert caught.value.code == 2


def test_an_owner_named_cv_section_needs_a_title_of_its_own(tmp_path):
    cv = (REPO / "tests" / "fixtures" / "other-portfolio" / "_data" / "cv.yaml").read_text("utf-8")
    path = tmp_path / "cv.yaml"
    path.write_text(
        cv + "  - title: Science outreach\n    entries:\n      - title: Again\n"
        "  - title: teaching\n    entries:\n      - title: A course\n",
        "utf-8",
    )
    with pytest.raises(DataFileError) as caught:
        sources.load_cv(path)
    found = [str(p) for p in caught.value.problems]
    assert len(found) == 2, found
    assert "a second section titled 'Science outreach'" in found[0]
    assert "'teaching' is a section the engine has: write its entries under 'teaching'" in found[1]


# -- A DBLP export's venue ------------------------------------------------------------


def test_a_dblp_conference_paper_gets_its_venue_label():
    """DBLP writes the venue as "..., {IROS} 2021, Prague, ...": the pages said "Paper: 2021"."""
    bib = refsbib.load_bib(FIXTURES / "dblp-iros2021.bib")
    assert venue.venue_label(bib.entries["DBLP:conf/iros/WangZWDQM21"]) == "IROS 2021"


@pytest.mark.parametrize(
    ("key", "fields", "label"),
    [
        # The key alone names the venue (a known venue of DBLP's keys).
        ("DBLP:conf/nips/X22", {"booktitle": "Advances in Neural Information Processing Systems 35"},
         "NeurIPS 2024"),
        ("DBLP:journals/ral/X22", {"journal": "{IEEE} Robotics Autom. Lett."}, "RA-L 2024"),
        # A key DBLP gives but no table knows, and a braced acronym: the acronym.
        ("DBLP:conf/xyzw/X21", {"booktitle": "Some Conference, {XYZW} 2024, Somewhere"}, "XYZW 2024"),
        # Neither: no label (and a notice, below).
        ("DBLP:conf/xyzw/X20", {"booktitle": "Some Conference on Things"}, ""),
    ],
)  # fmt: skip
def test_a_venue_is_derived_where_the_data_says_it(tmp_path, key, fields, label):
    item = load(tmp_path, entry("inproceedings" if "booktitle" in fields else "article",
                                key, **MINIMAL, **fields)).entries[key]  # fmt: skip
    assert venue.venue_label(item) == label


def test_a_paper_without_a_venue_label_gets_a_notice_naming_it(tmp_path):
    from academic_portfolio.papers.pages import missing_venue_notice

    bib = load(tmp_path, entry("inproceedings", "nolabel2024", **MINIMAL,
                               booktitle="Proceedings of the Workshop on Things")
               + entry("inproceedings", "labelled2024", **MINIMAL, booktitle="Conf (ICML)")
               + entry("phdthesis", "thesis2024", **MINIMAL, school="EPFL"))  # fmt: skip
    notice = missing_venue_notice([paper_record(e) for e in bib.entries.values()])
    assert "nolabel2024" in notice and "labelled2024" not in notice and "thesis2024" not in notice
    assert "venue = {" in notice and "'booktitle'" in notice
    assert (
        missing_venue_notice(
            [
                paper_record(e)
                for e in load(tmp_path, entry("misc", "m", **MINIMAL)).entries.values()
            ]
        )
        == ""
    )


# -- What a newcomer's first mistakes are called ---------------------------------------


@pytest.mark.parametrize(
    "key_line", ["@article{zhao 2021 robust,", "@inproceedings{my key,", "  @misc{ a b ,"]
)
def test_a_key_with_a_space_is_named_as_such(tmp_path, key_line):
    """pybtex says only "'}' expected" or "'=' expected"."""
    found = problems(tmp_path, entry("article", "ok2024", **MINIMAL, journal="J")
                     + f"{key_line}\n  author = {{{OWNER}}},\n  title = {{T}},\n  year = {{2024}},\n}}\n")  # fmt: skip
    key = key_line.split("{", 1)[1].rstrip(",").strip()
    assert found == [
        f"{tmp_path}/refs.bib:7: the key '{key}' has a space: a key is one word, such as "
        f"{''.join(key.split())} (letters, digits, - _ :); change it here and where a page cites it."
    ]


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("person:\n  name: A\n   headline: B\n", 3),  # one space too many
        ("person:\n  name: A\n headline: B\n", 3),  # one too few
        ("education:\n  - institution: X\n  degree: Y\n", 3),  # not under its "-"
        ("education:\n  - institution: X\n   degree: Y\n", 3),
        ("person:\n  name: A\n  headline: B\n    extra: C\n", 4),
    ],
)
def test_a_yaml_indentation_error_says_indentation(tmp_path, text, line):
    (found,) = yaml_problems(text, {}, tmp_path)
    assert found.startswith(f"{tmp_path}/data.yaml:{line}: the indentation of this line does "
                            "not fit the lines above: line up its key"), found  # fmt: skip


def test_a_tab_and_a_colon_in_a_value_are_named(tmp_path):
    (tab,) = yaml_problems("person:\n\tname: A\n", {}, tmp_path)
    assert "a tab indents this line: YAML's indentation is spaces only" in tab
    (colon,) = yaml_problems("details:\n  - Thesis: A title: more\n", {}, tmp_path)
    assert "holds ': ', which YAML reads as a new key: write the value in quotes" in colon


# -- Project kinds ---------------------------------------------------------------------

PROJECT_PAGE = """---
title: A project
summary: Twenty characters or more of a summary of the project.
kind: KIND
institution: Example University
supervisor: Prof. Example
start: 2021-02
end: 2021-06
results:
  - value: "1"
    label: a result
---
"""


@pytest.mark.parametrize(
    "kind",
    ["Bachelor thesis", "PhD project", "Internship", "Course project", "Independent project"],
)
def test_a_project_may_be_of_the_kinds_a_student_has(tmp_path, kind):
    from academic_portfolio.papers.part import project_part

    page = PROJECT_PAGE.replace("KIND", kind)
    if kind == "Independent project":  # nobody supervised it
        page = page.replace("supervisor: Prof. Example\n", "")
    meta = sources.parse_front_matter(tmp_path / "p.md", *datafiles.split_front_matter(page))
    part = project_part(sources.project_record("research/p", tmp_path / "p.md", meta))
    assert part[0] == (
        kind if kind == "Independent project" else f"{kind} supervised by Prof. Example"
    )


def test_a_supervised_kind_still_needs_its_supervisor(tmp_path):
    page = PROJECT_PAGE.replace("KIND", "Research project").replace(
        "supervisor: Prof. Example\n", ""
    )
    with pytest.raises(DataFileError) as caught:
        sources.parse_front_matter(tmp_path / "p.md", *datafiles.split_front_matter(page))
    assert [p.message for p in caught.value.problems] == [
        "the required field 'supervisor' is missing: add it."
    ]
    with pytest.raises(DataFileError) as caught:
        sources.parse_front_matter(tmp_path / "p.md", *datafiles.split_front_matter(
            PROJECT_PAGE.replace("KIND", "PhD thesis")))  # fmt: skip
    assert "Independent project" in str(caught.value.problems[0])


@pytest.mark.parametrize(
    ("latex_text", "shown"),
    [
        (r"$O(n \log n)$", "O(n log n)"),
        (r"$\alpha + \beta$", "α + β"),
        (r"$\sin x$", "sin x"),
        (r"S{\"u}sstrunk \emph{and} x", "Süsstrunk and x"),
    ],
)
def test_math_keeps_the_spaces_of_its_operators(latex_text, shown):
    """Titles with math read "O(n logn)": LaTeX's rule for a space after a
    command word was applied inside math too."""
    assert latex.plain(latex_text) == shown


@pytest.mark.parametrize(
    "fields",
    [
        "journal = {arXiv preprint arXiv:2401.00001}",  # Google Scholar's export, an @article
        "journal = {arXiv e-prints}, eprint = {2401.00001}",
        "journal = {CoRR}, volume = {abs/2401.00001}",  # DBLP
    ],
)
def test_every_common_form_of_an_arxiv_preprint_is_labelled_one(fields):
    """Google Scholar's arXiv form got the label "arXiv preprint arXiv:2401.00001
    2024" and no "Preprint": only a @misc with archiveprefix counted."""
    from pybtex.database import parse_string

    from academic_portfolio.text.venue import labels

    bib = parse_string(
        "@article{k, author = {Doe, Jane}, title = {T}, year = {2024}, " + fields + "}", "bibtex"
    )
    assert labels(bib.entries["k"]) == [("venue", "arXiv 2024"), ("status", "Preprint")]
