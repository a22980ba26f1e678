"""More input nobody here wrote (issue 31): six files from JabRef's repository
(tests/fixtures/bib/jabref-*.bib, each with its SOURCE.md), fed to the readers
and to a starter site, and the leftovers of the first pass: a site without a
research project, a name's letters in the site's address, where notices send
the owner, and no unverified fact about the owner in the README.

Every outcome is a site that shows each value as written, or a message that
names the file, the line and the entry and says what to write."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, build

from academic_portfolio.__main__ import slug
from academic_portfolio.data import refsbib
from academic_portfolio.data.datafiles import DataFileError
from academic_portfolio.data.paper import paper_record
from academic_portfolio.papers import render as paperformat
from academic_portfolio.papers import scholar
from academic_portfolio.text import bibstyle, latex

pytestmark = pytest.mark.pure

bibstyle.register_plugins()
FIXTURES = Path(__file__).parent / "fixtures" / "bib"
STYLE = bibstyle.PortfolioStyle()


def problems_of(path: Path) -> list[str]:
    with pytest.raises(DataFileError) as caught:
        refsbib.load_bib(path)
    return [str(problem) for problem in caught.value.problems]


def new_site(target: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(REPO / "src")}
    return subprocess.run([sys.executable, "-m", "academic_portfolio", "new", str(target), *args],
                          capture_output=True, text=True, env=env, check=False)  # fmt: skip


# -- Each file: the outcome it has ---------------------------------------------------------


def test_a_keyless_pubmed_import_says_to_write_a_key():
    """JabRef's import of a PubMed record, "@Article{,": pybtex said only
    "entry key expected"."""
    path = FIXTURES / "jabref-medline-mathml.bib"
    assert problems_of(path) == [
        f"{path}:1: the @Article that starts here has no key: write one between the brace and "
        "the comma, one word such as @Article{name2020, (letters, digits, - _ :); pages cite "
        "the entry by it and its page address is made from it."
    ]


def test_a_keyless_pubmed_import_with_a_key_shows_its_math_as_meant(tmp_path):
    """Given the key the message asks for (and without MEDLINE's own 'status',
    which the site reads as the paper's), its abstract of math reads as written:
    pylatexenc made a cube root a square root and a+1/b of (a+1)/b."""
    text = (FIXTURES / "jabref-medline-mathml.bib").read_text("utf-8")
    keyed = tmp_path / "refs.bib"
    keyed.write_text(text.replace("@Article{,", "@Article{clerx2020,")
                     .replace("  status                = {MEDLINE},\n", ""), "utf-8")  # fmt: skip
    (item,) = refsbib.load_bib(keyed).entries.values()
    abstract = dict(scholar.scholar_tags(paper_record(item)))["citation_abstract"]
    assert "y=∛(x^2)" in abstract
    assert "(a+1)/b" in abstract
    assert "∑ _i=1^n(a_i)" in abstract and "17+29i∈ℂ" in abstract


@pytest.mark.parametrize(
    ("latex_text", "shown"),
    [
        (r"$\sqrt[3]{x}$", "∛(x)"), (r"$\sqrt[4]{x}$", "∜(x)"), (r"$\sqrt[n]{x}$", "n√(x)"),
        (r"$\sqrt{x}$", "√(x)"), (r"$\frac{a+1}{b}$", "(a+1)/b"), (r"$\frac{1}{2}$", "1/2"),
        (r"$\dfrac{x}{y+z}$", "x/(y+z)"), (r"$\tfrac12$", "1/2"), (r"$\frac{(a+b)}{c}$", "(a+b)/c"),
        (r"$\frac{(a)+(b)}{c}$", "((a)+(b))/c"), (r"$\sqrt{\frac{a}{b+1}}$", "√(a/(b+1))"),
    ],
)  # fmt: skip
def test_roots_and_fractions_keep_their_meaning(latex_text, shown):
    assert latex.plain(latex_text) == shown


def test_a_dblp_homonym_number_in_a_name_is_named():
    """'Stefan Kolb 0001' (the Collection of Computer Science Bibliographies
    keeps DBLP's numbers) was read as the family name '0001' and shown on the
    page's BibTeX as '0001, Stefan Kolb'."""
    path = FIXTURES / "jabref-csbib-dblp.bib"
    assert problems_of(path) == [
        f"{path}:6: entry 'conf/zeus/SimonDDK19': the editor '{name} {number}' has '{number}', "
        "DBLP's number that tells apart people of one name; the site would show it as part of "
        f"the name (and not know the person): write the name alone ({name})."
        for name, number in (("Stefan Kolb", "0001"), ("Christian Sturm", "0002"))
    ]


@pytest.mark.parametrize("name", ["Kolb 0001, Stefan", "Kolb, Stefan 0001"])
def test_a_homonym_number_is_named_in_either_order(tmp_path, name):
    path = tmp_path / "refs.bib"
    path.write_text(
        f"@misc{{k,\n  author = {{{name}}},\n  title = {{T}},\n  year = {{2024}},\n}}\n"
    )
    (found,) = problems_of(path)
    assert "DBLP's number that tells apart people of one name" in found
    assert found.endswith("write the name alone (Kolb, Stefan).")


@pytest.mark.parametrize("name", ["{Team 2020}", "Jean 2020 Dupont", "Li, Wei"])
def test_a_number_that_is_not_dblps_is_left_alone(tmp_path, name):
    path = tmp_path / "refs.bib"
    path.write_text(
        f"@misc{{k,\n  author = {{{name}}},\n  title = {{T}},\n  year = {{2024}},\n}}\n"
    )
    assert list(refsbib.load_bib(path).entries) == ["k"]


def test_a_volume_of_a_series_names_the_series():
    """'In Business Process Model and Notation, volume 125': the volume is
    LNCS's, which the entry says (series = {LNCS}) and the list left out."""
    bib = refsbib.load_bib(FIXTURES / "jabref-ieee-paper.bib")
    shown = paperformat.formatted_entry(
        paper_record(bib.entries["Kopp2012"]), STYLE
    ).text.render_as("text")
    assert "In Business Process Model and Notation, volume 125 of LNCS, Springer, 2012." in shown


@pytest.mark.parametrize(
    ("name", "outcome"),
    [
        ("jabref-ieee-paper.bib", ["Alver2007", "Alver2007a", "Kopp2018", "Kopp2012", "Koenig2023"]),
        ("jabref-utf8-bom.bib", [":16: entry 'Hsu1993': the entry type '@collection' is not supported"]),
        ("jabref-windows-1252.bib", [":4: byte 0xb0 is not UTF-8 text: save the file as UTF-8"]),
        ("jabref-biblatex-software.bib",
         [":1: entry 'delebecque:hal-02090402-condensed': the entry type '@softwareversion' is not "
          "supported (use one of @article,", *[""] * 8]),
    ],
)  # fmt: skip
def test_each_jabref_file_loads_whole_or_is_named_line_by_line(name, outcome):
    path = FIXTURES / name
    try:
        assert list(refsbib.load_bib(path).entries) == outcome
    except DataFileError as error:
        found = [str(problem) for problem in error.problems]
        assert len(found) == len(outcome), found
        for message, expected in zip(found, outcome, strict=True):
            assert message.startswith(f"{path}:") and expected in message


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-16-le"])
def test_a_utf16_export_is_named_as_such(tmp_path, encoding):
    """JabRef reads files that Windows tools save as UTF-16 (its tests have
    tiny-LE-withBOM.bib and tiny-BE-noBOM.bib): the site said "byte 0xff is
    not UTF-8 ... retype that character", or, without a BOM, whose NUL bytes
    are valid UTF-8, "BibTeX syntax error ... a valid name expected"."""
    path = tmp_path / "refs.bib"
    path.write_bytes((FIXTURES / "jabref-ieee-paper.bib").read_text("utf-8").encode(encoding))
    assert problems_of(path) == [
        f"{path}:1: this file holds NUL bytes (0x00): it is UTF-16 text, as some Windows tools "
        'save it. Save it as UTF-8 in your editor ("Save with encoding"), or export it again as '
        "UTF-8."
    ]


def test_a_utf8_file_with_a_byte_order_mark_loads(tmp_path):
    path = tmp_path / "refs.bib"
    path.write_bytes(b"\xef\xbb\xbf" + (FIXTURES / "jabref-ieee-paper.bib").read_bytes())
    assert len(refsbib.load_bib(path).entries) == 5


@pytest.mark.parametrize(
    ("kind", "instead"),
    [("software", "@misc"), ("softwareversion", "@misc"), ("online", "@misc"),
     ("collection", "@book (an edited one with its editor)"), ("report", "@techreport"),
     ("thesis", "@phdthesis or @mastersthesis"), ("suppcollection", "@incollection")],
)  # fmt: skip
def test_a_biblatex_type_says_which_bibtex_type_holds_it(tmp_path, kind, instead):
    """biblatex-software's and JabRef's @software, @collection: the list of
    types said what is read, not which one to write."""
    path = tmp_path / "refs.bib"
    path.write_text(
        f"@{kind}{{k,\n  author = {{A, B}},\n  title = {{T}},\n  year = {{2024}},\n}}\n"
    )
    (found,) = problems_of(path)
    assert found.endswith(f"@unpublished): biblatex's @{kind} is BibTeX's {instead}.")


def test_several_marked_names_get_one_equal_contribution_field():
    """An al-folio list marks equal contribution with '*' on three names of one
    entry; each message advised its own equal_contribution field, and the
    three fields written as advised were a field written three times."""
    path = FIXTURES / "alfolio-42shawn-papers.bib"
    found = problems_of(path)
    assert len(found) == 7
    three = "equal_contribution = {Yuan, Zhihang and Shang, Yuzhang and Zhou, Yang}, and the " \
            "site marks the names."  # fmt: skip
    survey = [m for m in found if "'Shang_2024_Survey_LLMinference'" in m]
    assert len(survey) == 3 and all(
        m.startswith(f"{path}:195: ") and m.endswith(three) for m in survey
    )
    assert f"{path}:184: entry 'Yuan_2024_ECAR': the author 'Yuan*, Zhihang' has a mark beside " \
           "the name, which the site would show as part of the name (and not know the person): " \
           "write the name alone (Yuan, Zhihang); for equal contribution add equal_contribution = " \
           "{Yuan, Zhihang and Shang, Yuzhang}, and the site marks the names." in found  # fmt: skip


def test_the_al_folio_list_written_as_advised_shows_the_marks_and_the_owner(tmp_path):
    text = (FIXTURES / "alfolio-42shawn-papers.bib").read_text("utf-8")
    fixed = text.replace(
        "    author    = {Yuan*, Zhihang and Shang*, Yuzhang and Zhou*, Yang and",
        "    equal_contribution = {Yuan, Zhihang and Shang, Yuzhang and Zhou, Yang},\n"
        "    author    = {Yuan, Zhihang and Shang, Yuzhang and Zhou, Yang and",
    ).replace(
        "    author    = {Yuan*, Zhihang and Shang*, Yuzhang and",
        "    equal_contribution = {Yuan, Zhihang and Shang, Yuzhang},\n"
        "    author    = {Yuan, Zhihang and Shang, Yuzhang and",
    )  # fmt: skip
    path = tmp_path / "refs.bib"
    path.write_text(fixed, "utf-8")
    bib = refsbib.load_bib(path)
    assert len(bib.entries) == 33
    style = bibstyle.PortfolioStyle(owner=bibstyle.Person("Shang, Yuzhang"))
    survey = bib.entries["Shang_2024_Survey_LLMinference"]
    shown = paperformat.formatted_entry(paper_record(survey), style).text.render_as("html")
    assert shown.startswith("LLM Inference Unveiled: Survey and Roofline Model Insights.\n"
                            "Zhihang Yuan*, <strong>Yuzhang Shang*</strong>, Yang Zhou*, Zhen Dong,")  # fmt: skip
    authors = [v for k, v in scholar.scholar_tags(paper_record(survey)) if k == "citation_author"]
    assert authors[:3] == ["Yuan, Zhihang", "Shang, Yuzhang", "Zhou, Yang"]


# -- A starter site fed a real export ----------------------------------------------------


def starter_with(tmp_path: Path, bib: str) -> Path:
    """A starter site under git, its refs.bib with *bib* after the example entry."""
    site = tmp_path / "site"
    assert new_site(site, "--name", "Łukasz Żółć").returncode == 0
    with (site / "refs.bib").open("a", encoding="utf-8") as refs:
        refs.write("\n" + (FIXTURES / bib).read_text("utf-8"))
    git = ["git", "-C", str(site), "-c", "user.name=t", "-c", "user.email=t@t"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "-A"], check=True)
    subprocess.run([*git, "commit", "-qm", "start"], check=True)
    return site


def changed_files(site: Path) -> str:
    return subprocess.run(["git", "-C", str(site), "status", "--porcelain"],
                          capture_output=True, text=True, check=True).stdout  # fmt: skip


@pytest.mark.build
def test_a_jabref_export_builds_in_a_starter_site_with_every_name_as_written(tmp_path):
    """The new pages are first named as missing from the public list, in that
    file (not in the build's doctree folder, a path the owner never wrote);
    once listed, every name reaches the pages as written."""
    site = starter_with(tmp_path, "jabref-ieee-paper.bib")
    result = build(site, site / "_build" / "html")
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in log
    contract = site / "_data" / "public-urls.txt"
    missing = re.findall(rf"^{re.escape(str(contract))}:\d+: WARNING: the page (\S+) is not in "
                         r"_data/public-urls\.txt: add the line \1 ", log, re.M)  # fmt: skip
    assert sorted(missing) == [f"/publications/{k}/" for k in
                               ("alver2007", "alver2007a", "koenig2023", "kopp2012", "kopp2018")]  # fmt: skip
    assert ".doctrees" not in log and "portfolio-pages" not in log
    assert changed_files(site) == ""
    contract.write_text(contract.read_text("utf-8") + "".join(f"{u}\n" for u in missing))
    result = build(site, site / "_build" / "html")
    assert result.returncode == 0, result.stdout + result.stderr
    html = site / "_build" / "html" / "publications"
    page = BeautifulSoup((html / "alver2007" / "index.html").read_text("utf-8"), "html.parser")
    authors = [m["content"] for m in page.find_all("meta", attrs={"name": "citation_author"})]
    assert authors == [
        "Alver, Morten Omholt",
        "Tennøy, Torodd",
        "Alfredsen, Jo Arve",
        "Øie, Gunvor",
    ]
    koenig = (html / "koenig2023" / "index.html").read_text("utf-8")
    assert "Simone König, et al." in BeautifulSoup(koenig, "html.parser").get_text(" ")
    kopp = BeautifulSoup((html / "kopp2012" / "index.html").read_text("utf-8"), "html.parser")
    assert "volume 125 of LNCS" in kopp.get_text(" ")
    assert changed_files(site) == " M _data/public-urls.txt\n"


# -- A site without a research project -------------------------------------------------


@pytest.mark.build
def test_a_site_without_a_research_project_builds_and_says_what_to_add(tmp_path):
    """Deleting the example project gave docutils' 'Content block expected for
    the "grid" directive' on the home page and the research page, and Sphinx's
    warning of a toctree glob that matched nothing."""
    site = tmp_path / "site"
    assert new_site(site).returncode == 0
    (site / "research" / "example-project.md").unlink()
    contract = site / "_data" / "public-urls.txt"
    contract.write_text(contract.read_text("utf-8").replace("/research/example-project/\n", ""))
    out = site / "_build" / "html"
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "dirhtml", "-n", "-W", "--keep-going",
         "-d", str(out / ".doctrees"), str(site), str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    log = result.stdout + result.stderr
    assert result.returncode == 0, log
    assert "grid" not in log and "glob" not in log and "Traceback" not in log
    for page, line in (("index.md", 19), ("research/index.md", 11)):
        assert f"{site / page}:{line}: no research project yet, so no project cards here: a " \
               "project is a page research/<short-name>.md" in log  # fmt: skip
    home = BeautifulSoup((out / "index.html").read_text("utf-8"), "html.parser")
    assert "An Example Paper About an Example Method" in home.get_text(" ")  # the rest is there
    assert not home.select(".project-cards")


# -- The site's address from the name ------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "address"),
    [
        ("Łukasz Żółć", "lukasz-zolc"), ("Søren Kierkegaard", "soren-kierkegaard"),
        ("Jörg Straße", "jorg-strasse"), ("Æsa Œuvre", "aesa-oeuvre"),
        ("Đorđe Þór Ðan", "dorde-thor-dan"), ("İsmail Kılıç", "ismail-kilic"),
        ("Zoë Ñúñez-Łukasiewicz", "zoe-nunez-lukasiewicz"), ("Ħana Ŋoma", "hana-ngoma"),
    ],
)  # fmt: skip
def test_every_latin_letter_reaches_the_sites_address(name, address):
    """NFKD strips accents only: Ł, ø, ß, æ, đ, þ have none and were dropped
    ("Łukasz" gave "ukasz")."""
    assert slug(name) == address


def test_a_name_without_latin_letters_is_told_to_write_the_address(tmp_path):
    made = new_site(tmp_path / "site", "--name", "Иван Петров")
    assert made.returncode == 0, made.stderr
    assert "note: the letters of 'Иван Петров' with no ASCII form (ИванПетров) are not in the " \
           "site's address, https://ada-example.readthedocs.io/: write the address Read the " \
           "Docs gives you as SITE_URL in conf.py." in made.stdout  # fmt: skip
    assert new_site(tmp_path / "latin", "--name", "Łukasz Żółć").stdout.count("note:") == 0


# -- Facts about the owner -----------------------------------------------------------------


def test_no_page_of_documentation_gives_the_owner_a_dblp_number():
    """The README gave "Ziqi Zhao 0002" as DBLP's form of the owner's name: an
    unverified fact about a real person. Examples of DBLP's numbers are made up."""
    documents = [
        REPO / "README.md",
        REPO / "src" / "README.md",
        *(REPO / "src" / "docs").glob("*.md"),
    ]
    for document in documents:
        assert not re.search(r"Zhao,? Ziqi \d{4}|Ziqi,? Zhao \d{4}", document.read_text("utf-8")), (
            document
        )
