"""The owner's phone number is published nowhere: not in the built site, not in the PDF.

The number itself is not in the repository either: tests/phone.py holds a
salted hash of it. The matcher is tested on a made-up number hashed here.
"""

from __future__ import annotations

import re
import secrets

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, copy_site
from phone import DIGEST, DIGITS, SALT, contains_number, digest

# Pure: a test whose fixtures build a site is marked build by conftest.py.
pytestmark = pytest.mark.pure


# Any international phone number: "+" then at least 9 digits, spaces allowed.
ANY_PHONE = re.compile(r"\+\s?\d(?:[\s.-]?\d){8,}")
TEXT_FILES = {".html", ".xml", ".json", ".js", ".bib", ".txt"}
# A made-up Swiss landline (country code 41, national number 21 555 01 47).
FAKE = "215550147"
# The icons as SVG path data, quoted: in the theme's scripts (fontawesome.js),
# in the pages' <path d="..."> and in the style sheets' data: URLs (weight/icons.py,
# static/icons.css). A drawing (path commands and numbers only), not text: its
# thousands of numbers (1,100 distinct nine-digit windows in a build, against
# 150 in all the rest) would each be hashed, 0.04 s each: 45 s.
DRAWING = re.compile(r"""(["'])[Mm][-.\d][-\d. ,MmLlHhVvCcSsQqTtAaZz]*\1""")


@pytest.fixture(scope="module")
def fake() -> dict:
    salt = secrets.token_hex(16)
    return {"salt": salt, "expected": digest(FAKE, salt), "length": len(FAKE)}


@pytest.mark.parametrize(
    "written",
    [
        "call +41 21 555 01 47 today",
        "+41215550147",
        "0041 21 555 01 47",
        "+41 (0)21 555 01 47",
        "021 555 01 47",
        "021/555.01.47",
        "21-555-01-47",
        "+41\u00a021\u202f555\u200901\u00a047",  # the spaces typesetting puts in
        '<a href="tel:+41215550147">phone</a>',
        "+41&#160;21&#160;555&#160;01&#160;47",  # as HTML writes a no-break space
        "Phone: +41 21 555\n01 47",  # a line break of a PDF's text
    ],
)
def test_matcher_finds_the_number_however_written(fake, written):
    assert contains_number(written, **fake)


@pytest.mark.parametrize(
    "written", ["+41 21 555 01 48", "21 555 01", "2155 Lausanne, 50147", "tel:+41 21 555 ab 01 47"]
)
def test_matcher_ignores_other_digits(fake, written):
    assert not contains_number(written, **fake)


def test_the_stored_hash_is_of_a_national_number():
    assert re.fullmatch(r"[0-9a-f]{32}", SALT) and re.fullmatch(r"[0-9a-f]{64}", DIGEST)
    assert DIGITS == 9  # a Swiss national number; a change here means a new hash


def built_texts(root) -> list[tuple[str, str]]:
    """Each text file of a build, as written and, for HTML, as read on screen."""
    texts = []
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.suffix in TEXT_FILES:
            raw = path.read_text("utf-8", errors="ignore")
            texts.append((str(path.relative_to(root)), raw))
            if path.suffix == ".html":
                shown = BeautifulSoup(raw, "lxml").get_text(" ")
                texts.append((f"{path.relative_to(root)} (text)", shown))
    return texts


def test_no_phone_number_anywhere_in_the_build(site):
    texts = built_texts(site.root)
    assert len(texts) > 20, "the build has no text files: this test checks nothing"
    for name, text in texts:
        assert not ANY_PHONE.search(text), f"a phone number in {name}"
        assert not contains_number(DRAWING.sub("", text)), f"the owner's phone number in {name}"


def test_no_phone_number_in_the_sources(tmp_path):
    """Nothing of the repository holds it either (code, data, comments)."""
    sources = copy_site(tmp_path / "src")
    files = [p for p in sources.rglob("*") if p.is_file()]
    files += [p for p in (REPO / "tests").rglob("*.py")] + [REPO / ".ci" / "run"]
    assert len(files) > 20
    for path in files:
        text = DRAWING.sub("", path.read_text("utf-8", errors="ignore"))
        assert not contains_number(text), f"the owner's phone number in {path.name}"


def test_only_drawings_are_left_out_of_the_scan():
    drawings = [
        '        "M288-32c8.4 0 16.3 4.4 20.6 11.7L364.1 72.3",\n',  # a script's icon
        '<path d="M214.6 9.4c-12.5-12.5-32.8-12.5-45.3 0l-160 160z"/>',  # a page's icon
        "url(\"data:image/svg+xml,%3Cpath d='M311.1 233.4c12.5 12.5 12.5 32.8 0 45.3z'/%3E\")",
        '[0,"M0 96C0 78.3 14.3 64 32 64l384 0c17.7 0 32 14.3 32 32z"],',  # minified
    ]
    for drawing in drawings:
        digits_left = re.sub(r"\D", "", DRAWING.sub("", drawing))  # %3C, %3E: 3 and 3
        assert len(digits_left) < DIGITS, drawing
    for text in (
        '        "Mobile 021 555 01 47",\n',
        '"Mobile: +41 21 555 01 47"',
        '<a title="M: 021 555 01 47">',
        "<text x='0'>021 555 01 47</text>",
        '<p>M021 555 01 47 "</p>',
    ):
        assert DRAWING.sub("", text) == text
