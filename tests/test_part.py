"""'My part' on every project page, its paper's page and its card: facts from
refs.bib and front matter only, then the owner's own words if written."""

from __future__ import annotations

import pytest
from conftest import public_urls

pytestmark = pytest.mark.build

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
    from conftest import replace_in

    role = "Wrote the <b>test</b> role."
    code, log, src = broken_site(lambda s: replace_in(
        s / "research/greek-ocr.md", "kind: Semester project\n",
        f"kind: Semester project\nrole: {role}\n"))  # fmt: skip
    assert code == 0, log
    html = (src.parent / "html" / "research/greek-ocr/index.html").read_text("utf-8")
    dd = BeautifulSoup(html, "lxml").select_one(".project-facts dd")
    assert " ".join(dd.get_text(" ").split()).endswith(f"Jun 2022 · {role}")
