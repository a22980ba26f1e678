"""RIS and CSL-JSON beside BibTeX: each read back with a maintained parser.

Every paper of both portfolios, in its own files (linked from its page) and
in /refs.ris and /refs.json: rispy reads the RIS, the CSL-JSON is valid
against CSL's own schema (tests/fixtures/csl/SOURCE.md) and citeproc-py
reads and formats it; what they read is the entry, field by field.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest
import rispy
from citeproc import Citation, CitationItem, CitationStylesBibliography, CitationStylesStyle
from citeproc import formatter as citeproc_formatter
from citeproc.source.json import CiteProcJSON
from jsonschema import Draft7Validator
from pybtex.database import Entry, Person
from test_zotero import PAPERS, entries, one_line, slug_urls

from academic_portfolio.data.paper import paper_record
from academic_portfolio.papers.exports import csl_item, ris_record

pytestmark = pytest.mark.pure

CSL_SCHEMA = Path(__file__).parent / "fixtures" / "csl" / "csl-data.json"

RIS_TYPES = {"article": "JOUR", "inproceedings": "CONF", "conference": "CONF",
             "incollection": "CHAP", "inbook": "CHAP", "book": "BOOK", "proceedings": "BOOK",
             "phdthesis": "THES", "mastersthesis": "THES", "techreport": "RPRT", "patent": "PAT",
             "unpublished": "UNPB", "misc": "GEN"}  # fmt: skip
CSL_TYPES = {"article": "article-journal", "inproceedings": "paper-conference",
             "conference": "paper-conference", "incollection": "chapter", "inbook": "chapter",
             "book": "book", "proceedings": "book", "phdthesis": "thesis",
             "mastersthesis": "thesis", "techreport": "report", "patent": "patent",
             "unpublished": "manuscript", "misc": "document"}  # fmt: skip


def family_given(person: Person) -> tuple[str, str]:
    return (one_line(" ".join(person.prelast_names + person.last_names)),
            one_line(" ".join(person.first_names + person.middle_names)))  # fmt: skip


def arxiv(entry: Entry) -> str:
    fields = entry.fields
    return fields.get("eprint", "") if fields.get("archiveprefix", "").lower() == "arxiv" else ""


def typed(entry: Entry) -> bool:
    """A talk or a poster: a @misc or @unpublished with a type (README)."""
    return entry.type in ("misc", "unpublished") and bool(entry.fields.get("type"))


def pages(entry: Entry) -> list[str]:
    return [p.strip() for p in re.split(r"-+", entry.fields.get("pages", "")) if p.strip()]


def publisher(entry: Entry) -> str:
    """The publisher, or a thesis's school, a report's institution."""
    fields = entry.fields
    return one_line(
        fields.get("publisher") or fields.get("school") or fields.get("institution", "")
    )


def genre(entry: Entry) -> str:
    """A master's thesis's type, as Zotero has it, or a talk's own word."""
    if entry.type == "mastersthesis":
        return "Master's Thesis"
    return one_line(entry.fields["type"]) if typed(entry) else ""


def number(entry: Entry, *types: str) -> str:
    return one_line(entry.fields.get("number", "")) if entry.type in types else ""


def expected_ris(entry: Entry) -> dict:
    """rispy's record of the entry (rispy's names for RIS's tags)."""
    fields = entry.fields
    first_last = [*pages(entry), "", ""]
    record = {
        "type_of_reference": "SLIDE" if typed(entry) else RIS_TYPES[entry.type],
        "authors": [", ".join(filter(None, family_given(p))) for p in entry.persons["author"]],
        "title": one_line(fields["title"]),
        "secondary_title": one_line(fields.get("journal") or fields.get("booktitle", "")),
        "year": fields["year"],
        "volume": fields.get("volume", ""),
        "number": number(entry, "article"),
        "start_page": first_last[0],
        "end_page": first_last[1],
        "custom3": one_line(fields.get("booktitle", "")) if RIS_TYPES[entry.type] == "CONF" else "",
        "publisher": publisher(entry) or one_line(fields.get("holder", "")),
        "type_of_work": genre(entry),
        "doi": fields.get("doi", ""),
        "issn": number(entry, "techreport", "patent")
        or fields.get("isbn")
        or fields.get("issn", ""),
        "urls": [fields["url"]] if "url" in fields else [],
        "abstract": one_line(fields.get("abstract", "")),
        "notes": [f"arXiv: {arxiv(entry)}"] if arxiv(entry) else [],
    }
    return {key: value for key, value in record.items() if value}


def csl_type(entry: Entry) -> str:
    if typed(entry):
        return "speech"
    return "article" if arxiv(entry) and entry.type == "misc" else CSL_TYPES[entry.type]


def expected_csl(entry: Entry) -> dict:
    fields = entry.fields
    authors = [family_given(p) for p in entry.persons["author"]]
    item = {
        "id": entry.key,
        "type": csl_type(entry),
        "title": one_line(fields["title"]),
        "author": [{"family": family, "given": given} for family, given in authors],
        "issued": {"date-parts": [[int(fields["year"])]]},
        "container-title": one_line(fields.get("journal") or fields.get("booktitle", "")),
        "volume": fields.get("volume", ""),
        "issue": number(entry, "article"),
        "number": number(entry, "techreport", "patent"),
        "page": "-".join(pages(entry)),
        "publisher": publisher(entry),
        "genre": genre(entry),
        "DOI": fields.get("doi", ""),
        "ISBN": fields.get("isbn", ""),
        "ISSN": fields.get("issn", ""),
        "URL": fields.get("url", ""),
        "abstract": one_line(fields.get("abstract", "")),
        "note": f"arXiv: {arxiv(entry)}" if arxiv(entry) else "",
    }
    return {key: value for key, value in item.items() if value}


@pytest.fixture(params=PAPERS, ids=[f"{n}-{k}" for n, k in PAPERS])
def paper(request):
    name, key = request.param
    site = request.getfixturevalue(name)
    return name, key, site, slug_urls(name)[key]


def linked_file(site, url: str, css: str) -> Path:
    """The file a link of the page's class *css* points to."""
    links = site.page(url).select(f"article a.{css}")
    assert len(links) == 1, (url, css)
    target = (site.file(url).parent / links[0]["href"]).resolve()
    assert target.is_file(), target
    return target


# -- RIS ---------------------------------------------------------------------------


def test_each_papers_ris_reads_back_as_its_entry(paper):
    name, key, site, url = paper
    records = rispy.loads(linked_file(site, url, "paper-ris-download").read_text("utf-8"))
    assert len(records) == 1
    assert records[0] == expected_ris(entries(name)[key])


def canonical(record: dict) -> str:
    return json.dumps(record, sort_keys=True)


def test_refs_ris_holds_every_paper(each_site):
    name = "site" if each_site.base_url.startswith("https://ziqi") else "other_site"
    url = "/publications/"
    records = rispy.loads(linked_file(each_site, url, "ris-download").read_text("utf-8"))
    want = {key: expected_ris(entry) for key, entry in entries(name).items()}
    assert sorted(map(canonical, records)) == sorted(map(canonical, want.values()))


def test_a_value_cannot_break_a_ris_record():
    """Every value is one line of text: a line break, LaTeX or a tag-like
    text inside a field never ends the record or starts a tag."""
    entry = Entry("misc", fields={"title": "One\n\nER  - {\\\"u}ber \\& more\nTY  - JOUR",
                                  "year": "2024"},
                  persons={"author": [Person("M{\\\"u}ller, Anna")]})  # fmt: skip
    entry.key = "k"
    text = ris_record(paper_record(entry))
    assert text.count("\nER  - ") + text.startswith("ER  - ") == 1 and text.endswith("ER  - \n")
    (record,) = rispy.loads(text)
    assert record["title"] == "One ER - über & more TY - JOUR"
    assert record["authors"] == ["Müller, Anna"] and record["type_of_reference"] == "GEN"


# -- CSL-JSON ----------------------------------------------------------------------


@cache
def csl_validator() -> Draft7Validator:
    return Draft7Validator(json.loads(CSL_SCHEMA.read_text("utf-8")))


def schema_errors(data) -> list[str]:
    return [f"{list(e.path)}: {e.message}" for e in csl_validator().iter_errors(data)]


def test_each_papers_csl_json_is_valid_and_reads_back_as_its_entry(paper):
    name, key, site, url = paper
    data = json.loads(linked_file(site, url, "paper-csl-download").read_text("utf-8"))
    assert not schema_errors(data), schema_errors(data)
    assert data == [expected_csl(entries(name)[key])]
    source = CiteProcJSON(data)  # citeproc-py's reader
    reference = source[key.lower()]
    assert str(reference["title"]) == data[0]["title"]
    assert [str(a["family"]) for a in reference["author"]] == [
        a["family"] for a in data[0]["author"]
    ]
    assert reference["issued"]["year"] == data[0]["issued"]["date-parts"][0][0]


def test_refs_json_formats_every_paper_with_citeproc(each_site):
    name = "site" if each_site.base_url.startswith("https://ziqi") else "other_site"
    data = json.loads(linked_file(each_site, "/publications/", "csl-download").read_text("utf-8"))
    assert not schema_errors(data), schema_errors(data)
    assert sorted(item["id"] for item in data) == sorted(entries(name))
    bibliography = CitationStylesBibliography(
        CitationStylesStyle("harvard-cite-them-right", validate=False),
        CiteProcJSON(data),
        citeproc_formatter.plain,
    )
    for item in data:
        bibliography.register(Citation([CitationItem(item["id"])]))
    rendered = [str(line) for line in bibliography.bibliography()]
    assert len(rendered) == len(data)
    for item in data:
        assert any(item["title"] in line for line in rendered), item["title"]


def test_a_value_cannot_break_csl_json():
    entry = Entry("article", fields={"title": 'A "quoted" \\& back\\textbackslash{}slash',
                                     "journal": "J </script>", "year": "2024"},
                  persons={"author": [Person("Doe, Jane")]})  # fmt: skip
    entry.key = "k"
    item = csl_item(paper_record(entry))
    assert not schema_errors([item])
    assert json.loads(json.dumps([item]))[0]["title"].startswith('A "quoted" & back')


# -- The page: links, not blocks -----------------------------------------------------


def test_paper_pages_link_the_files_instead_of_showing_them(site):
    page = site.page("/publications/zhuo2022grafics/")
    article = page.select_one("article").get_text()
    assert "TY  - " not in article and '"date-parts"' not in article
    box = page.select_one("div.bibtex pre").get_text()
    bib = linked_file(site, "/publications/zhuo2022grafics/", "paper-bib-download")
    assert bib.read_text("utf-8") == box.rstrip("\n") + "\n"  # the box, as a file
    for css in ("paper-bib-download", "paper-ris-download", "paper-csl-download"):
        assert linked_file(site, "/publications/zhuo2022grafics/", css).parent == site.file(
            "/publications/zhuo2022grafics/").parent  # fmt: skip


def test_a_removed_papers_downloads_leave_the_site(tmp_path):
    """A paper taken out of refs.bib kept its .bib, .ris and .json (and so its
    folder) in the built site; the owner's other files stay."""
    from academic_portfolio.papers.bibtex import remove_gone_paper_files

    papers = tmp_path / "publications"
    for slug in ("kept", "gone"):
        (papers / slug).mkdir(parents=True)
        for suffix in (".bib", ".ris", ".json"):
            (papers / slug / f"{slug}{suffix}").write_text("x")
    (papers / "index.html").write_text("the list")
    (papers / "notes").mkdir()
    (papers / "notes" / "mine.txt").write_text("not the engine's")
    remove_gone_paper_files(tmp_path, {"kept"})
    assert sorted(p.name for p in (papers / "kept").iterdir()) == [
        "kept.bib",
        "kept.json",
        "kept.ris",
    ]
    assert not (papers / "gone").exists()
    assert (papers / "notes" / "mine.txt").is_file() and (papers / "index.html").is_file()
