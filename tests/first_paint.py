"""What a browser must fetch before it paints a page: its HTML and every
render-blocking style sheet, gzipped as the site is served.

A phone on a slow link gets about 14 KB in the first round trip (TCP's initial
window of ten segments); a page whose HTML and blocking CSS fit in it paints
after one round trip. The sizes are those of the real files, so they are
stable: no timing.

Run it on a build to see the table: ``python tests/first_paint.py _build/html``.
"""

from __future__ import annotations

import gzip
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

BUDGET = 14 * 1024  # bytes, gzipped: HTML plus render-blocking CSS
GZIP_LEVEL = 6  # what the test server and most hosts send
IMPORT = re.compile(r"""@import\s+(?:url\()?["']?([^"')\s;]+)""")
NOT_BLOCKING_MEDIA = {"print", "speech"}  # a sheet for these never delays a screen's paint


@dataclass
class FirstPaint:
    """The bytes of one page's first paint, gzipped."""

    html: int
    css: int
    sheets: list[str]

    @property
    def total(self) -> int:
        return self.html + self.css


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, GZIP_LEVEL, mtime=0))


def blocks_rendering(link) -> bool:
    """A ``<link rel=stylesheet>`` the browser waits for before painting: not
    for print only, not a preload, not written inside ``<noscript>`` (a
    browser with scripts on never parses it)."""
    if "stylesheet" not in link.get("rel", []) or link.find_parent("noscript"):
        return False
    media = {m.strip().lower() for m in link.get("media", "all").split(",")}
    return not media <= NOT_BLOCKING_MEDIA


def local_file(page: Path, href: str) -> Path:
    path = urlsplit(href).path
    assert not urlsplit(href).netloc, f"{page}: a style sheet from elsewhere: {href}"
    return (page.parent / path).resolve()


def sheet_and_imports(sheet: Path, seen: set[Path]) -> list[Path]:
    """The sheet and every sheet it imports (which block rendering too)."""
    if sheet in seen:
        return []
    seen.add(sheet)
    found = [sheet]
    for href in IMPORT.findall(sheet.read_text("utf-8")):
        found += sheet_and_imports(local_file(sheet, href), seen)
    return found


def first_paint(page: Path) -> FirstPaint:
    """What *page* (a built ``index.html``) makes a browser fetch before painting."""
    html = page.read_bytes()
    soup = BeautifulSoup(html, "html.parser")
    seen: set[Path] = set()
    sheets = []
    for link in soup.find_all("link", href=True):
        if blocks_rendering(link):
            sheets += sheet_and_imports(local_file(page, link["href"]), seen)
    css = sum(gzipped(sheet.read_bytes()) for sheet in sheets)
    names = [sheet.name for sheet in sheets]
    return FirstPaint(gzipped(html), css, names)


def page_file(root: Path, url: str) -> Path:
    return root / url.lstrip("/") / "index.html"


def table(root: Path, urls: list[str]) -> str:
    rows = ["| page | HTML gz | blocking CSS gz | total | sheets |", "|---|---|---|---|---|"]
    for url in urls:
        paint = first_paint(page_file(root, url))
        over = " **over**" if paint.total > BUDGET else ""
        rows.append(
            f"| {url} | {paint.html} | {paint.css} | {paint.total}{over} | {' '.join(paint.sheets)} |"
        )
    return "\n".join(rows)


def main(root: str) -> None:
    contract = Path(__file__).resolve().parents[1] / "_data" / "public-urls.txt"
    lines = contract.read_text("utf-8").splitlines()
    urls = [line for line in lines if line.startswith("/") and line.endswith("/")]
    print(f"Budget: {BUDGET} bytes (HTML gz + render-blocking CSS gz)\n")
    print(table(Path(root), urls))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "_build/html")
