"""The CV: one data file renders /cv/ and /cv.pdf, which must agree."""

from __future__ import annotations

import io
import json
import re
import shutil

import pytest
from bs4 import BeautifulSoup
from conftest import OTHER_SOURCES, build, replace_in
from phone import contains_number
from pypdf import PdfReader

pytestmark = pytest.mark.build

FACTS = [
    "MSc in Computer Science", "5.54/6", "Specialization in Data Analytics", "5.58/6",
    "3.62/4.3", "3.79/4.3", "3.61/4.3", "First Class Honor", "Ketl.io", "Machine Learning Internship",
    "102/120", "324/340", "Reaching Out Award", "Dean's List in Engineering School",
    "École polytechnique fédérale de Lausanne", "Süsstrunk", "Frédéric Kaplan",
    "Sep 2020 – Jan 2023", "Jul 2021 – Sep 2021", "LaTeX (Overleaf)",
]  # fmt: skip
PROJECT_SLUGS = ["quantized-6d-pose", "greek-ocr", "robust-binary-pruning", "grafics"]


@pytest.fixture(scope="module")
def pdf(site) -> PdfReader:
    return PdfReader(site.file("/cv.pdf"))


@pytest.fixture(scope="module")
def pdf_text(pdf) -> str:
    return " ".join(" ".join(page.extract_text() for page in pdf.pages).split())


def page_text(site) -> str:
    return " ".join(site.page("/cv/").find("article").get_text(" ").split())


@pytest.mark.parametrize("fact", FACTS)
def test_page_and_pdf_state_the_same_facts(site, pdf_text, fact):
    assert fact in page_text(site).replace("’", "'")
    assert fact in pdf_text.replace("’", "'")


def test_page_links_every_project_and_the_pdf(site):
    hrefs = [a["href"] for a in site.page("/cv/").select("article a")]
    for slug in PROJECT_SLUGS:
        assert f"../research/{slug}/" in hrefs
    download = site.page("/cv/").select_one("a.cv-download")
    assert download["href"] == "../cv.pdf"


def test_pdf_is_one_or_two_a4_pages(pdf):
    assert 1 <= len(pdf.pages) <= 2
    width, height = (float(v) for v in pdf.pages[0].mediabox.upper_right)
    assert (round(width), round(height)) == (595, 842)


def test_pdf_links_projects_and_papers(pdf):
    uris = {
        annotation.get_object()["/A"].get("/URI")
        for page in pdf.pages
        for annotation in page.get("/Annots", [])
    }
    for slug in PROJECT_SLUGS:
        assert any(uri and uri.endswith(f"/research/{slug}/") for uri in uris), slug
    assert "mailto:ziqi.zhao@epfl.ch" in uris
    assert "https://scholar.google.com/citations?user=cLDqm1AAAAAJ" in uris


def test_pdf_publications_mark_the_owner_and_equal_contribution(pdf_text):
    assert "Chen Liu*, Ziqi Zhao*" in pdf_text
    assert "* Equal contribution." in pdf_text
    assert "IoT Geofencing for COVID-19 Home Quarantine Enforcement" in pdf_text


def test_pdf_fonts_are_embedded(pdf):
    fonts = []
    for page in pdf.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = (
                font.get("/FontDescriptor")
                or font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            )
            descriptor = descriptor.get_object()
            fonts.append(font["/BaseFont"])
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), font[
                "/BaseFont"
            ]
    assert any("Bold" in str(name) for name in fonts), "the owner's name is set in bold"


def test_pdf_has_no_phone_number_and_no_transcript_links(pdf_text):
    assert not re.search(r"\+\s?\d(?:[\s.-]?\d){8,}", pdf_text)
    assert not contains_number(pdf_text), "the owner's phone number is in the CV PDF"
    assert "Transcript" not in pdf_text


def test_pdf_is_reproducible(other_site, tmp_path):
    """The same input gives the same bytes: no build date in the PDF. On the
    made-up portfolio, built again: the PDF is the engine's."""
    from conftest import NOT_ON_READ_THE_DOCS

    shutil.copytree(OTHER_SOURCES, tmp_path / "src")
    result = build(tmp_path / "src", tmp_path / "html", **NOT_ON_READ_THE_DOCS)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "html" / "cv.pdf").read_bytes() == other_site.file("/cv.pdf").read_bytes()


# -- The made-up second portfolio's CV: other sections, other glyphs ---------------


def test_other_cv_shows_every_glyph_and_leaves_absent_sections_out(other_site):
    pdf = PdfReader(other_site.file("/cv.pdf"))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    for fact in ("Zoë Ñúñez-Łukasiewicz", "Łódź-Przykład", "Prof. Íñigo Ejemplo", "Homepage",
                 "Invited talk", "Patent EX 0000001", "Master's thesis", "Preprint"):  # fmt: skip
        assert fact in text, fact
    for absent in ("ENGLISH PROFICIENCY", "AWARDS", "GitHub", "Google Scholar"):
        assert absent not in text, absent
    page = " ".join(other_site.page("/cv/").find("article").get_text(" ").split())
    assert "Zoë Ñúñez-Łukasiewicz" in other_site.page("/").find("h1").get_text()
    assert "Łódź-Przykład" in page and "Awards" not in page
    test_pdf_fonts_are_embedded(pdf)


# -- Any script: printed, or named -----------------------------------------------------

# Chinese, Japanese, Korean, polytonic Greek (ἀλήθεια), an emoji; and a character
# no font the engine asks for has (LINEAR A SIGN AB001). They printed as empty boxes.
WORLD = "机器学习 · 機械学習 · 기계 학습 · ἀλήθεια"
EMOJI = "🎓"
NO_FONT = "\U00010600"
FONT_PACKAGES = {
    "Noto Serif CJK SC": "fonts-noto-cjk",
    "Noto Color Emoji": "fonts-noto-color-emoji",
}


def test_every_script_prints_in_the_cv_pdf_and_cards_or_is_named(tmp_path):
    """Each character either prints (a font has it: .readthedocs.yaml and .ci/run
    install Debian's Noto CJK and Noto Color Emoji) or the build names it; it
    never becomes an empty box without a word. On the made-up portfolio: the
    fonts and the message are the engine's."""
    import typst
    from conftest import NOT_ON_READ_THE_DOCS

    from academic_portfolio.text.typeset import unprintable

    families = set(typst.Fonts().families())
    src = tmp_path / "src"
    shutil.copytree(OTHER_SOURCES, src)
    headline = f"Glaciologist · {WORLD} {EMOJI} {NO_FONT}"
    replace_in(src / "_data" / "cv.yaml", "  headline: Glaciologist and acoustician\n",
               f'  headline: "{headline}"\n')  # fmt: skip
    result = build(src, tmp_path / "html", **NOT_ON_READ_THE_DOCS)
    log = result.stdout + result.stderr
    assert "Traceback" not in log, log
    assert result.returncode != 0, "a character no font has was not named"
    for what in (r"the CV PDF \(cv\.pdf\)", r"\S*index\.md: WARNING: the social card of index"):
        assert re.search(f"{what}: no font on this machine has '{NO_FONT}' "
                         r"\(U\+10600 LINEAR A SIGN AB001\), in '.*': it would print as an "
                         "empty box. Install a font that has it", log), (what, log)  # fmt: skip
    cannot = set(unprintable(WORLD + EMOJI))
    for char in (WORLD + EMOJI).replace(" ", "").replace("·", ""):
        named = f"U+{ord(char):04X} " in log
        assert named == (char in cannot), (char, log)
    pdf = PdfReader(tmp_path / "html" / "cv.pdf")
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert WORLD in text
    fonts = " ".join(str(f.get_object().get("/BaseFont", "")) for page in pdf.pages
                     for f in page["/Resources"]["/Font"].values())  # fmt: skip
    if "Noto Serif CJK SC" in families:
        assert "NotoSerifCJK" in fonts and not cannot & set(WORLD), fonts


def test_the_fonts_read_the_docs_installs_are_here():
    """CI has the fonts .readthedocs.yaml installs, so that the test above sees
    them print; elsewhere their characters are only checked to be named."""
    import typst
    from conftest import missing

    families = set(typst.Fonts().families())
    lacking = [package for family, package in FONT_PACKAGES.items() if family not in families]
    if lacking:
        missing(f"{' and '.join(lacking)} not installed (apt install {' '.join(lacking)})")


# The sections a stranger's CV has besides (the made-up portfolio has each),
# as (text on the page, text in the PDF): every value reaches both as text.
OTHER_SECTIONS = {
    "teaching": ("Glacier Hydrology <GEO 301> & *field* days", "TEACHING"),
    "talks": ("Example Workshop on Cryosphere Acoustics", "TALKS"),
    "service": ("Journal of Made-up Glaciology", "SERVICE AND REVIEWING"),
    "grants": ("Example Polar Foundation", "GRANTS AND FUNDING"),
    "supervision": ("Jan Przykładowski", "SUPERVISION"),
    "patents": ("EX 0000002", "PATENTS"),
    "languages": ("Fluent (C1)", "LANGUAGES"),
    "own-section": ("Built a table-top meltwater model [with #hash and $dollar].",
                    "SCIENCE OUTREACH"),
}  # fmt: skip


@pytest.mark.parametrize("section", sorted(OTHER_SECTIONS))
def test_a_strangers_cv_sections_show_on_the_page_and_in_the_pdf(other_site, section):
    value, pdf_heading = OTHER_SECTIONS[section]
    shown = other_site.page("/cv/").select_one(f".cv-{section}")
    assert shown is not None, f"no {section} section on /cv/"
    assert value in " ".join(shown.get_text("").split())
    pdf = PdfReader(other_site.file("/cv.pdf"))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    assert pdf_heading in text and value in text


def test_markup_in_cv_values_is_text_on_the_page(other_site):
    article = other_site.page("/cv/").find("article")
    assert article.find("geo") is None and article.find("em", string="field") is None
    talk = other_site.page("/cv/").select_one(".cv-talks a")
    assert talk["href"] == "https://example.org/~zoe/talks/glacier/"


def test_an_unknown_section_title_names_the_owners_sections(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(OTHER_SOURCES, src)
    replace_in(src / "cv.md", "{cv-section} Science outreach", "{cv-section} Outreach")
    result = build(src, tmp_path / "html")
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in log
    assert "unknown CV section 'Outreach'" in log and "Science outreach" in log, log


def test_an_independent_project_shows_without_a_supervisor(other_site):
    page = " ".join(
        other_site.page("/research/hall-acoustics/").find("article").get_text(" ").split()
    )
    pdf = PdfReader(other_site.file("/cv.pdf"))
    text = " ".join(" ".join(p.extract_text() for p in pdf.pages).split())
    cv = " ".join(other_site.page("/cv/").find("article").get_text(" ").split())
    for shown in (page, text, cv):
        assert "Independent project" in shown
    assert "Supervisor: ." not in text and "supervised by" not in page


def test_the_now_line_shows_only_when_the_owner_writes_it(site, other_site):
    """cv.yaml's optional person.now: the made-up owner wrote one, the real one has none."""
    lines = [p.get_text() for p in other_site.page("/").select(".bd-article .cv-now")]
    assert lines == [
        "Measuring a made-up glacier again this summer; looking for a made-up postdoc in acoustics."
    ]
    assert not site.page("/").select(".cv-now")


def test_the_pdf_header_writes_the_sites_address_and_each_profiles(pdf_text):
    """On paper a link is read: "GitHub" alone says nothing of the handle."""
    text = "".join(pdf_text.split())
    assert "https://ziqi-zhao.readthedocs.io/en/latest/" in text
    assert "GitHub:github.com/RobertFlame" in text
    assert "GoogleScholar:scholar.google.com/citations?user=cLDqm1AAAAAJ" in text


# A value with a "%", Markdown, HTML and a LaTeX escape: cv.yaml's values are
# text, read once into the CV record (academic_portfolio.data.cvrecord).
MARKED_UP = "Runoff up 5% (*not* emphasis, <b>not bold</b>, `no code`, \\% as typed)"


def test_a_cv_value_reads_the_same_on_the_page_in_the_pdf_and_in_the_json_ld(tmp_path):
    """Every output renders the one record: the value, written once with a
    "%" and markup, is the same text in /cv/, in /cv.pdf and in the JSON-LD."""
    src = tmp_path / "src"
    shutil.copytree(OTHER_SOURCES, src)
    quoted = '"' + MARKED_UP.replace("\\", "\\\\") + '"'
    replace_in(src / "_data" / "cv.yaml", "- Meltwater runoff of alpine glaciers", f"- {quoted}")
    replace_in(src / "_data" / "cv.yaml", "institution: Universidad de Ejemplo",
               f"institution: {quoted}")  # fmt: skip
    result = build(src, tmp_path / "html", READTHEDOCS="", READTHEDOCS_CANONICAL_URL="")
    assert result.returncode == 0, result.stdout + result.stderr
    html = tmp_path / "html"
    page = BeautifulSoup((html / "cv" / "index.html").read_text("utf-8"), "lxml")
    interests = [" ".join(li.get_text().split()) for li in page.select(".cv-interests li")]
    schools = [" ".join(p.get_text(" ").split()) for p in page.select(".cv-education .cv-entry")]
    pdf = PdfReader(html / "cv.pdf")
    pdf_text = " ".join(" ".join(p.extract_text() for p in pdf.pages).replace("\xa0", " ").split())
    home = BeautifulSoup((html / "index.html").read_text("utf-8"), "lxml")
    (person,) = [data for script in home.select('script[type="application/ld+json"]')
                 if (data := json.loads(script.string))["@type"] == "Person"]  # fmt: skip
    assert interests[0] == MARKED_UP
    assert any(MARKED_UP in school for school in schools), schools
    assert pdf_text.count(MARKED_UP) == 2, pdf_text  # the header's interests, the education
    assert person["knowsAbout"][0] == MARKED_UP
    assert person["alumniOf"][0]["name"] == MARKED_UP


def test_a_change_to_how_cv_yaml_is_read_is_made_in_one_place(tmp_path, monkeypatch):
    """A change to how cv.yaml's texts are read, made in data/cvrecord.py alone
    (here: a mark after each research interest), reaches the CV page, the CV
    PDF and the JSON-LD: none of them reads cv.yaml on its own."""
    from sphinx.testing.util import SphinxTestApp

    from academic_portfolio.data import cvrecord

    read = cvrecord.texts
    monkeypatch.setattr(
        cvrecord,
        "texts",
        lambda data, name: tuple(f"{text} (read once)" for text in read(data, name)),
    )
    monkeypatch.setenv("READTHEDOCS", "")
    monkeypatch.setenv("READTHEDOCS_CANONICAL_URL", "")
    src = tmp_path / "src"
    shutil.copytree(OTHER_SOURCES, src)
    app = SphinxTestApp("html", srcdir=src, builddir=tmp_path / "build", freshenv=True,
                        status=io.StringIO(), warning=io.StringIO())  # fmt: skip
    try:
        app.build()
    finally:
        app.cleanup()
    html = tmp_path / "build" / "html"
    page = BeautifulSoup((html / "cv.html").read_text("utf-8"), "lxml")
    interests = [" ".join(li.get_text().split()) for li in page.select(".cv-interests li")]
    pdf = PdfReader(html / "cv.pdf")
    pdf_text = " ".join(" ".join(p.extract_text() for p in pdf.pages).replace("\xa0", " ").split())
    home = BeautifulSoup((html / "index.html").read_text("utf-8"), "lxml")
    (person,) = [data for script in home.select('script[type="application/ld+json"]')
                 if (data := json.loads(script.string))["@type"] == "Person"]  # fmt: skip
    marked = "Meltwater runoff of alpine glaciers (read once)"
    assert interests[0] == marked
    assert marked in pdf_text
    assert person["knowsAbout"][0] == marked
