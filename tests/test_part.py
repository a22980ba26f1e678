"""'My part' on every project page, its paper's page and its card: facts from
refs.bib and front matter only, then the owner's own words if written."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import public_urls
from pybtex.database import Person, parse_string

from academic_portfolio.data.paper import paper_record
from academic_portfolio.data.sources import Project, project_record
from academic_portfolio.papers.part import ordinal, part_line

# The line's rules are pure functions (the tests at the end); the pages that show
# it are build tests by their `site` fixture (tests/conftest.py, "Tiers").
pytestmark = pytest.mark.pure

PROJECTS = [u for u in public_urls() if u.startswith("/research/") and u != "/research/"]
NEURIPS = "Co-first author (equal contribution), 2nd of 4 authors, NeurIPS 2022"


def part(site, url: str) -> str:
    facts = site.page(url).select_one(".project-facts dl")
    names = [dt.get_text(strip=True) for dt in facts.find_all("dt")]
    assert names[0] == "My part", names
    return " ".join(facts.find_all("dd")[0].get_text(" ").split())


@pytest.mark.parametrize("url", PROJECTS)
def test_every_project_page_states_the_owners_part(site, url):
    line = part(site, url)
    assert " supervised by " in line and " – " in line, line


def test_the_neurips_project_says_co_first_author(site):
    line = part(site, "/research/robust-binary-pruning/")
    assert line == (f"{NEURIPS} · Semester project supervised by Prof. Sabine Süsstrunk"
                    " · Feb 2021 – Oct 2022")  # fmt: skip


def test_a_project_without_a_paper_claims_no_authorship(site):
    line = part(site, "/research/greek-ocr/")
    assert line == "Semester project supervised by Prof. Frédéric Kaplan · Feb 2022 – Jun 2022"
    assert "author" not in part(site, "/research/quantized-6d-pose/")


def test_the_paper_page_and_the_card_repeat_the_line(site):
    line = part(site, "/research/robust-binary-pruning/")
    paper = site.page("/publications/liu2022robust/").select_one(".paper-part").get_text()
    assert " ".join(paper.split()) == f"My part: {line}"
    cards = [" ".join(c.get_text(" ").split()) for c in site.page("/").select(".project-card-part")]
    assert f"My part: {line}" in cards
    assert len(cards) == len(PROJECTS)


def test_a_paper_without_a_project_states_authorship_and_venue(site):
    paper = site.page("/publications/tan2020iot/").select_one(".paper-part").get_text()
    assert (
        " ".join(paper.split())
        == "My part: 4th of 6 authors, IEEE Internet of Things Magazine 2020"
    )


def test_the_role_is_empty_unless_the_owner_writes_it(site):
    from conftest import REPO

    for url in PROJECTS:
        assert "\nrole:" not in (REPO / f"{url.strip('/')}.md").read_text("utf-8")
        assert part(site, url).count(" · ") == (2 if "author" in part(site, url) else 1)


def test_the_role_follows_the_facts(broken_site):
    from bs4 import BeautifulSoup
    from conftest import SMALL_SOURCES, replace_in

    role = "Wrote the <b>test</b> role."
    code, log, src = broken_site(lambda s: replace_in(  # a made-up project without a paper
        s / "research/beta.md", "kind: Semester project\n",
        f"kind: Semester project\nrole: {role}\n"), SMALL_SOURCES)  # fmt: skip
    assert code == 0, log
    html = (src.parent / "html" / "research/beta/index.html").read_text("utf-8")
    dd = BeautifulSoup(html, "lxml").select_one(".project-facts dd")
    assert " ".join(dd.get_text(" ").split()).endswith(f"Jun 2020 · {role}")


# -- The line's rules, on made-up entries and projects (no build) ---------------------

OWNER = Person("Roe, Max")


def paper(authors: str, **fields: str):
    """A @article by *authors*, in a journal the venue table does not shorten."""
    fields = {"title": "T", "journal": "Journal of Tests", "year": "2024", **fields}
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields.items())
    return parse_string(f"@article{{k,\n  author = {{{authors}}},\n{body}}}", "bibtex").entries["k"]


def line_of(project, entry, owner) -> str:
    """The line for *project* and *entry* as the owner *owner* reads it (the record's owner)."""
    return part_line(project, None if entry is None else paper_record(entry, owner))


def project(**meta: str) -> Project:
    meta = {"title": "P", "summary": "A project of the tests, made up.", "institution": "U",
            "results": [{"value": "1", "label": "a result"}],
            "kind": "Semester project", "start": "2021-02", "end": "2022-10", **meta}  # fmt: skip
    return project_record("research/p", Path("research/p.md"), meta)


@pytest.mark.parametrize(
    ("number", "written"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (10, "10th"), (11, "11th"), (12, "12th"),
     (13, "13th"), (21, "21st"), (22, "22nd"), (23, "23rd"), (101, "101st"), (111, "111th"),
     (112, "112th"), (113, "113th")],
)  # fmt: skip
def test_ordinals_are_english(number, written):
    assert ordinal(number) == written


@pytest.mark.parametrize(
    ("authors", "equal", "line"),
    [
        ("Roe, Max", "", "Sole author, Journal of Tests 2024"),
        ("Roe, Max and others", "", "1st author, Journal of Tests 2024"),
        ("Doe, Jane and Roe, Max and others", "", "2nd author, Journal of Tests 2024"),
        ("Doe, Jane and Roe, Max and Poe, Ed", "", "2nd of 3 authors, Journal of Tests 2024"),
        ("Doe, Jane and Roe, Max", "Doe, Jane and Roe, Max",
         "Co-first author (equal contribution), 2nd of 2 authors, Journal of Tests 2024"),
        ("Roe, Max and Doe, Jane", "Roe, Max and Doe, Jane",
         "Equal contribution, 1st of 2 authors, Journal of Tests 2024"),
        ("Doe, Jane and Roe, Max and Poe, Ed", "Roe, Max and Poe, Ed",
         "Equal contribution, 2nd of 3 authors, Journal of Tests 2024"),
        ("Doe, Jane and Roe, Max and Poe, Ed", "Doe, Jane and Poe, Ed",
         "2nd of 3 authors, Journal of Tests 2024"),
    ],
)  # fmt: skip
def test_the_owners_place_among_the_authors(authors, equal, line):
    fields = {"equal_contribution": equal} if equal else {}
    assert line_of(None, paper(authors, **fields), OWNER) == line


def test_an_entry_without_a_venue_gives_its_year():
    entry = paper("Roe, Max and Doe, Jane", journal="")
    assert line_of(None, entry, OWNER) == "1st of 2 authors, 2024"


def test_a_paper_that_does_not_name_the_owner_claims_nothing():
    entry = paper("Doe, Jane and Poe, Ed")
    assert line_of(None, entry, OWNER) == ""
    assert line_of(None, entry, None) == ""
    assert line_of(project(), entry, OWNER) == "Semester project · Feb 2021 – Oct 2022"


def test_an_edited_book_claims_no_authorship():
    text = "@book{k, editor = {Roe, Max}, title = {T}, publisher = {P}, year = {2024}}"
    book = parse_string(text, "bibtex").entries["k"]
    assert line_of(None, book, OWNER) == ""


def test_a_project_states_its_kind_supervisor_and_period():
    supervised = project(kind="master thesis", supervisor="Dr. A. Supervisor")
    assert line_of(supervised, None, OWNER) == (
        "Master thesis supervised by Dr. A. Supervisor · Feb 2021 – Oct 2022"
    )
    assert line_of(project(), None, OWNER) == "Semester project · Feb 2021 – Oct 2022"
    assert line_of(None, None, OWNER) == ""


def test_the_paper_comes_first_and_the_owners_words_last():
    entry = paper("Doe, Jane and Roe, Max")
    line = line_of(project(role="Wrote the decoder."), entry, OWNER)
    assert line == (
        "2nd of 2 authors, Journal of Tests 2024 · Semester project · Feb 2021 – Oct 2022"
        " · Wrote the decoder."
    )
