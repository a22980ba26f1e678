"""Paper readers: the CV PDF and a printed project page, read page by page.

A printed link is invisible, so the CV writes each project's and paper's short
address as text; no entry is split by a page break; the header line ends with
more than one word. A project page printed by Chromium (A4) leaves the
navigation out, writes external links' URLs, and takes at most two pages.
"""

from __future__ import annotations

import io
import re
import shutil
from collections import defaultdict
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import NOT_ON_READ_THE_DOCS, OTHER_SOURCES, SITE_URL, Site, build, missing
from pypdf import PageObject, PdfReader

pytestmark = pytest.mark.build

SHORT = SITE_URL.removeprefix("https://")
PROJECT_SLUGS = ["quantized-6d-pose", "greek-ocr", "robust-binary-pruning", "grafics"]
PAPER_SLUGS = ["liu2022robust", "zhuo2022grafics", "tan2020iot"]


@pytest.fixture(scope="module")
def cv_pages(site) -> list[list[str]]:
    """The CV PDF's text lines, page by page."""
    reader = PdfReader(site.file("/cv.pdf"))
    return [page.extract_text().splitlines() for page in reader.pages]


def page_of(pages: list[list[str]], text: str) -> int:
    found = [i for i, lines in enumerate(pages) if any(text in line for line in lines)]
    assert len(found) == 1, f"{text!r} on pages {found}"
    return found[0]


@pytest.mark.parametrize("path", [f"research/{s}" for s in PROJECT_SLUGS]
                         + [f"publications/{s}" for s in PAPER_SLUGS])  # fmt: skip
def test_the_cv_writes_each_address_whole_on_one_line(cv_pages, path):
    page_of(cv_pages, SHORT + path)


def test_no_cv_entry_spans_two_pages(cv_pages):
    titles = {
        "quantized-6d-pose": "Quantized Neural Networks for 6D Pose Estimation",
        "greek-ocr": "Pushing the Limits of OCR on Complex Multilingual Documents",
        "robust-binary-pruning": "Network Pruning in Adversarial Training",
        "grafics": "GRAFICS: Floor Identification with Network Embedding",
    }
    for slug, title in titles.items():
        assert page_of(cv_pages, title) == page_of(cv_pages, SHORT + f"research/{slug}"), slug
    for number, slug in enumerate(PAPER_SLUGS, 1):
        start = page_of(cv_pages, f"[{number}] ")
        assert start == page_of(cv_pages, SHORT + f"publications/{slug}"), slug
    # The work experience, first line to last highlight (_data/cv.yaml).
    ketl = page_of(cv_pages, "Ketl.io, Machine Learning Internship")
    assert ketl == page_of(cv_pages, "Developed several web crawlers")
    assert ketl == page_of(cv_pages, "nearly 500k documents")


def test_the_cv_header_line_has_no_one_word_last_line(cv_pages):
    lines = cv_pages[0]
    start = next(
        i for i, line in enumerate(lines) if line.startswith("Machine-learning researcher")
    )
    end = next(i for i, line in enumerate(lines) if "@" in line)
    assert end > start
    last = lines[end - 1].split()
    assert len(last) >= 2, lines[start:end]


def test_other_cv_keeps_each_entry_on_one_page(other_site):
    """The made-up portfolio's CV: each paper's number and its address on one page."""
    pages = [p.extract_text().splitlines() for p in PdfReader(other_site.file("/cv.pdf")).pages]
    short = other_site.base_url.removeprefix("https://")
    # By kind: the preprint, the thesis, the patent, the talk.
    for number, slug in enumerate(["nunez2024reverb", "nunez2021runoff", "nunez2023gauge",
                                   "nunez2024talk"], 1):  # fmt: skip
        assert page_of(pages, f"[{number}] ") == page_of(pages, short + f"publications/{slug}")


@pytest.mark.browser
def test_the_other_project_page_with_a_figure_prints_without_navigation(browser, other_server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(other_server + "research/glacier-runoff/")
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    context.close()
    text = " ".join(" ".join(p.extract_text().split()) for p in reader.pages)
    assert len(reader.pages) <= 2, f"{len(reader.pages)} pages"
    text = text.replace("\ufb00", "ff")  # the "ff" ligature, as pypdf reads it
    assert "Runoff of a Made-up Glacier" in text and "Daily runoff below" in text
    for navigation in ("Skip to main content", "Curriculum vitae", "On this page"):
        assert navigation not in text, navigation


@pytest.mark.browser
def test_a_project_page_prints_on_two_pages_without_navigation(browser, server):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + "research/robust-binary-pruning/")  # returns on "load"
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    context.close()
    texts = [" ".join(p.extract_text().split()) for p in reader.pages]
    text = " ".join(texts)
    assert len(reader.pages) <= 2, f"{len(reader.pages)} pages"
    assert "Network Pruning in Adversarial Training" in texts[0]
    assert "https://github.com/IVRL/RobustBinarySubNet" in text.replace(" ", "")
    assert "https://openreview.net/forum?id=5g-h_DILemH" in text.replace(" ", "")
    for navigation in ("Skip to main content", "Curriculum vitae", "E-mail", "On this page"):
        assert navigation not in text, navigation


def printed(browser, url: str) -> list[str]:
    """The text of each page of *url* printed by Chromium (A4), spaces made single."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(url)
    page.emulate_media(media="print")
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    context.close()
    # The ligatures "ff", "fi" and "fl", as pypdf reads them.
    ligatures = str.maketrans({"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl"})
    return [" ".join(p.extract_text().split()).translate(ligatures) for p in reader.pages]


@pytest.mark.browser
@pytest.mark.parametrize("url", ["", "cv/", "publications/", "research/greek-ocr/"])
def test_every_printed_page_names_the_owner(browser, server, url):
    pages = printed(browser, server + url)
    for number, text in enumerate(pages, 1):
        assert text.startswith("Ziqi Zhao"), f"/{url} page {number}: {text[:80]!r}"


@pytest.mark.browser
def test_the_other_owner_heads_her_printed_pages(browser, other_server):
    for number, text in enumerate(printed(browser, other_server), 1):
        assert text.startswith("Zoë Ñúñez-Łukasiewicz"), f"page {number}: {text[:80]!r}"


@pytest.mark.browser
def test_a_printed_home_page_writes_every_address_legibly(browser, server):
    text = " ".join(printed(browser, server)).replace(" ", "")
    assert "ziqi.zhao@epfl.ch" in text
    assert "mailto:" not in text and "%40" not in text
    # The paper pages, the project cards and the full CV: absolute addresses of the site.
    for path in ("publications/liu2022robust/", "research/greek-ocr/", "cv/"):
        assert SITE_URL + path in text, path
    assert "https://github.com/RobertFlame" in text


PRINTED_BUTTONS = """() => [...document.querySelectorAll('.bd-article .sd-btn')].map(b => {
  const s = getComputedStyle(b);
  return [b.textContent.trim(), s.borderTopStyle, s.borderTopWidth, s.color, s.backgroundColor];
})"""


@pytest.mark.browser
@pytest.mark.parametrize("url", ["", "research/grafics/", "publications/liu2022robust/"])
def test_printed_buttons_are_black_text_without_a_border(browser, server, url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + url)
    page.emulate_media(media="print")
    buttons = page.evaluate(PRINTED_BUTTONS)
    context.close()
    assert buttons, "no button: this test checks nothing"
    for name, style, width, color, background in buttons:
        assert style == "none" or width == "0px", (name, style, width)
        assert color == "rgb(0, 0, 0)", (name, color)
        assert background in ("rgba(0, 0, 0, 0)", "transparent"), (name, background)


@pytest.mark.browser
def test_screen_reader_text_of_a_chart_is_hidden_on_screen(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(server + "research/greek-ocr/")
    hidden = page.locator(".project-chart figcaption span", has_text="Bar chart.")
    assert hidden.count() == 1
    box = hidden.bounding_box()
    context.close()
    assert box is None or (box["width"] <= 1 and box["height"] <= 1), box


# Each entry's first words, and its last: the address printed after its last
# link (print.css), or its last words.
ENTRIES = """() => [...document.querySelectorAll('.bd-article .cv-entry, .bd-article .paper-entry')]
  .map(e => { const text = e.innerText.replace(/\\s+/g, '');
    const links = e.querySelectorAll('a[data-print]');
    const last = links.length ? links[links.length - 1].dataset.print : text;
    return [text.slice(0, 24), last.slice(-16)]; })"""


@pytest.mark.browser
@pytest.mark.parametrize("url", ["cv/", "publications/"])
def test_no_printed_entry_is_split_across_pages(browser, server, url):
    """Each CV or publication entry's first and last words print on one page."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(server + url)
    page.emulate_media(media="print")
    entries = page.evaluate(ENTRIES)
    context.close()
    pages = [text.replace(" ", "") for text in printed(browser, server + url)]
    assert len(entries) >= 3, "no entries: this test checks nothing"
    for head, tail in entries:
        where = (
            [i for i, text in enumerate(pages) if head in text],
            [i for i, text in enumerate(pages) if tail in text],
        )
        assert where[0] and where[0] == where[1], f"{head!r} ... {tail!r} on pages {where}"


# -- No page of the CV PDF mostly empty ----------------------------------------

A4_HEIGHT = 841.89  # points
MARGIN = 1.4 / 2.54 * 72  # cv.typ's top and bottom margin (1.4 cm), in points
LONG_ENTRIES = 8  # made-up entries of 3 to 10 lines of two lines each: none half a page
VERY_LONG = 26  # the highlights of one entry longer than half a page


def page_fills(pdf: Path) -> list[float]:
    """How far down each page of *pdf* its text goes, 0 to 1 of the space between
    the margins: to the baseline of its lowest line (the footer below not counted)."""
    fills = []
    for page in PdfReader(pdf).pages:
        baselines: list[float] = []

        def visit(text, cm, tm, font, size, baselines=baselines):
            if text.strip():
                baselines.append(tm[5] * cm[3] + cm[5])

        page.extract_text(visitor_text=visit)
        lowest = min(y for y in baselines if y > MARGIN)
        fills.append((A4_HEIGHT - MARGIN - lowest) / (A4_HEIGHT - 2 * MARGIN))
    return fills


def highlight(entry: int, line: int) -> str:
    return (f"Highlight {line} of entry {entry:02}, measured a made-up quantity once more and "
            f"wrote down what it showed, in as many words as a long line of a CV takes.")  # fmt: skip


def long_experience() -> str:
    """cv.yaml's work experience of a CV with long entries, each entry's first
    words "Made-up Lab NN" and its last "End of entry NN."; one longer than half a page."""
    entries = [(n, 3 + n) for n in range(LONG_ENTRIES)] + [(LONG_ENTRIES, VERY_LONG)]
    lines = ["experience:"]
    for n, count in entries:
        lines += [f"  - organization: Made-up Lab {n:02}", "    role: Assistant",
                  "    place: Ciudad Ejemplo, Spain", "    start: 2020-06", "    end: 2020-09",
                  "    highlights:"]  # fmt: skip
        lines += [f"      - {highlight(n, line)}" for line in range(1, count)]
        lines.append(f"      - End of entry {n:02}.")
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def long_cv_site(tmp_path_factory) -> Site:
    """The made-up portfolio with long work experience entries in its CV."""
    work = tmp_path_factory.mktemp("long-cv")
    src, out = work / "src", work / "html"
    shutil.copytree(OTHER_SOURCES, src)
    cv = src / "_data" / "cv.yaml"
    text = cv.read_text("utf-8")
    start = text.index("experience:")
    end = text.index("skills:")
    cv.write_text(text[:start] + long_experience() + "\n" + text[end:], "utf-8")
    result = build(src, out, **NOT_ON_READ_THE_DOCS)
    assert result.returncode == 0, result.stdout + result.stderr
    return Site(out, result.stdout + result.stderr)


@pytest.mark.parametrize("which", ["site", "other_site", "long_cv_site"])
def test_no_page_of_the_cv_pdf_is_mostly_empty(request, which):
    """Every page at least half full, the last one of several too (the CV is set
    a little smaller or larger to drop or to fill it): no page looks unfinished."""
    fills = page_fills(request.getfixturevalue(which).file("/cv.pdf"))
    if len(fills) > 1:
        for number, fill in enumerate(fills, 1):
            assert fill >= 0.5, f"page {number} of {len(fills)} is {fill:.0%} full: {fills}"


def test_no_long_entry_of_a_cv_is_split_across_pages(long_cv_site):
    """Entries shorter than half a page stay whole; only a longer one may break."""
    pages = [p.extract_text().splitlines() for p in PdfReader(long_cv_site.file("/cv.pdf")).pages]
    assert len(pages) >= 2, "one page: this test checks nothing"
    for n in range(LONG_ENTRIES):
        assert page_of(pages, f"Made-up Lab {n:02}") == page_of(pages, f"End of entry {n:02}."), n


# -- Nothing clipped or faint on paper, every page headed by the owner --------

PRINT_WIDTH = 680  # px: A4's 21 cm less print.css's 1.5 cm margins, at 96 px an inch
OWNERS = {
    "server": "Ziqi Zhao",
    "other_server": "Zoë Ñúñez-Łukasiewicz",
    "stress_server": "Maximiliana Wolkenstein-Ramírez de Olivé",
}
PRINTED_PAGES = {
    "server": ["", "research/", "research/greek-ocr/", "publications/",
               "publications/liu2022robust/", "cv/", "404/"],
    "other_server": ["", "research/", "research/glacier-runoff/", "publications/",
                     "publications/nunez2024talk/", "cv/"],
    "stress_server": ["", "research/long-header/", "publications/", "cv/"],
}  # fmt: skip
PRINTED_CASES = [(which, url) for which, urls in PRINTED_PAGES.items() for url in urls]

# In print media, at the paper's width: every line of text (text nodes, and the
# addresses print.css writes after links, which are part of their link's boxes)
# inside the page and inside any box that hides what overflows it; each
# written address with its colour and size.
PRINT_FAULTS = """() => {
  const article = document.querySelector('.bd-article');
  const edge = article.getBoundingClientRect();
  const clips = e => { for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      const s = getComputedStyle(p);
      if (s.overflowX !== 'visible' || s.overflowY !== 'visible') return p; }
    return null; };
  const faults = [];
  const check = (rects, node, what) => {
    const clip = clips(node.nodeType === 1 ? node : node.parentElement);
    const box = clip && clip.getBoundingClientRect();
    for (const r of rects) {
      if (r.width === 0 || r.height === 0) continue;
      if (r.left < edge.left - 1 || r.right > edge.right + 1)
        faults.push(`${what} runs off the page (${Math.round(r.left)}-${Math.round(r.right)} px)`);
      else if (box && (r.left < box.left - 1 || r.right > box.right + 1
                       || r.top < box.top - 1 || r.bottom > box.bottom + 1))
        faults.push(`${what} is cut by a box that hides its overflow (${clip.className})`);
    }
  };
  const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
  let lines = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent.trim() || !node.parentElement.getClientRects().length) continue;
    const range = document.createRange();
    range.selectNodeContents(node);
    check([...range.getClientRects()], node, JSON.stringify(node.textContent.trim().slice(0, 40)));
    lines += 1;
  }
  const addresses = [...article.querySelectorAll('a[href]')].filter(a => a.getClientRects().length)
    .map(a => { const after = getComputedStyle(a, '::after');
      check([...a.getClientRects()], a, `the link to ${a.getAttribute('href')}`);
      return {href: a.getAttribute('href'), text: a.textContent.trim(), written: a.dataset.print || null,
              image: !a.textContent.trim() && !!a.querySelector('img'),
              content: after.content, color: after.color, linkColor: getComputedStyle(a).color,
              size: parseFloat(after.fontSize)}; });
  const headings = [...article.querySelectorAll('h2, h3, h4, .rubric')].map(h => h.innerText.replace(/#$/, '').trim());
  return {faults, addresses, lines, headings};
}"""


def luminance(css_colour: str) -> float:
    """The relative luminance (WCAG 2) of an rgb() or rgba() colour."""
    channels = [float(c) / 255 for c in css_colour[css_colour.index("(") + 1 : -1].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_on_paper(css_colour: str) -> float:
    return 1.05 / (luminance(css_colour) + 0.05)


def address_faults(link: dict) -> list[str]:
    """What keeps a reader of the paper from reading where *link* goes."""
    href, written = link["href"], link["written"]
    if href.startswith("#") or link["image"]:
        return []  # a mark on the page itself; a figure (its picture is on the paper)
    if written is None:  # a link whose text is its address
        shown = unquote(href.removeprefix("mailto:"))
        return [] if link["text"] in (href, shown) else [f"{href}: no address printed"]
    faults = []
    if link["content"] != '" <" attr(data-print) ">"' and written not in link["content"]:
        faults.append(f"{href}: print.css writes {link['content']!r}")
    if written.startswith("mailto:") or "%40" in written:
        faults.append(f"{href}: printed as {written!r}")
    for part, colour in (("address", link["color"]), ("link", link["linkColor"])):
        if contrast_on_paper(colour) < 7:
            faults.append(f"{href}: its {part} prints faint ({colour})")
    if link["size"] < 10:
        faults.append(f"{href}: its address prints at {link['size']} px")
    return faults


@pytest.mark.browser
@pytest.mark.parametrize(("which", "url"), PRINTED_CASES)
def test_a_printed_page_clips_nothing_and_writes_every_address_legibly(
    browser, request, which, url
):
    base = request.getfixturevalue(which)
    context = browser.new_context(viewport={"width": PRINT_WIDTH, "height": 1000})
    page = context.new_page()
    page.goto(base + url)
    page.emulate_media(media="print")
    found = page.evaluate(PRINT_FAULTS)
    reader = PdfReader(io.BytesIO(page.pdf(format="A4", print_background=True)))
    context.close()
    assert found["lines"] >= 3, "no text: this test checks nothing"
    faults = found["faults"] + [f for link in found["addresses"] for f in address_faults(link)]
    assert not faults, f"/{url}:\n" + "\n".join(faults[:30])
    text = "".join("".join(p.extract_text().split()) for p in reader.pages)
    assert "mailto:" not in text and "%40" not in text
    for number, page_text in enumerate(reader.pages, 1):
        head = " ".join(page_text.extract_text().split())
        assert head.startswith(OWNERS[which]), f"/{url} page {number}: {head[:60]!r}"
        assert lowest_line(page_text) not in found["headings"], (
            f"/{url}: a heading alone at the foot of page {number}"
        )


def lowest_line(page: PageObject) -> str:
    """A printed page's lowest line of text, its page number ("2 / 4") aside:
    read by height, as pypdf's text comes in the order Chromium drew it."""
    rows: dict[int, list[tuple[float, str]]] = defaultdict(list)

    def visit(text, cm, tm, font, size):
        if text.strip():
            rows[round(tm[5] * cm[3] + cm[5])].append((tm[4] * cm[0] + cm[4], text))

    page.extract_text(visitor_text=visit)
    lines = [" ".join(" ".join(text for _, text in sorted(rows[y])).split()) for y in sorted(rows)]
    return next(line for line in lines if not re.fullmatch(r"\d+ / \d+", line))


STRESS_PROFILES = {
    "GitHub": "github.com/example-max",
    "Google Scholar": "scholar.google.com/citations?user=EXAMPLE0000A",
    "Homepage": "example.org/~max",
    "Lab page": "lab.example.org/people/max",
    "ORCID": "orcid.example.org/0000-0000-0000-0000",
    "Blog": "blog.example.org/max",
}  # tests/fixtures/stress-portfolio/_data/cv.yaml


def test_the_cv_header_writes_each_address_and_handle_whole(stress_site):
    """Six profiles and a 40-character address over three lines: each profile's
    name with its handle on one line, the e-mail address and the site's whole,
    and no line starting with a separator."""
    first = PdfReader(stress_site.file("/cv.pdf")).pages[0].extract_text()
    lines = [" ".join(line.split()) for line in first.splitlines()[:8]]
    wanted = [f"{name}: {handle}" for name, handle in STRESS_PROFILES.items()]
    wanted += ["mx.wolkenstein-ramirez@oliva.example.org", "https://max.example.org/en/latest/"]
    for text in wanted:
        assert any(text in line for line in lines), (text, lines)
    assert not [line for line in lines if line.startswith("·")], lines


@pytest.mark.browser
def test_the_contact_sheet_photographs_the_cv_pdf(browser, other_site, tmp_path):
    """`nox -s shots` (tools/shots.py) loads and draws each page of a CV PDF: it
    imported a helper a merge had moved, and failed before taking a picture."""
    import shots

    if not shutil.which("pdftoppm"):
        missing("no pdftoppm: apt-get install poppler-utils")
    cells = shots.cv_pdf(other_site.root, tmp_path)["cv.pdf"]
    pages = len(PdfReader(other_site.file("/cv.pdf")).pages)
    assert len(cells) == pages and all(cell.stat().st_size > 0 for cell in cells)
    assert shots.sheet("other", {"cv.pdf": cells}, tmp_path).is_file()
