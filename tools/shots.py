"""A contact sheet of the portfolios for a person to look at: ``nox -s shots``.

Builds the real site, the made-up second portfolio and the stress portfolio
(``tests/fixtures/other-portfolio``, ``tests/fixtures/stress-portfolio``),
serves each, and photographs every page type in Debian's Chromium at the
widths a committee member's devices have (390, 768, 1024, 1280, 1440 px), in
light and dark mode (the first screen of the page, 800 px high), and printed
(the first two A4 pages of the page's PDF), and every page of its CV PDF. Each
site's photographs are laid out on one sheet, a row per page type, written as
HTML and as one PNG:
``_build/shots/<site>.png``.

The geometric browser tests (``tests/test_layout.py``) check what the sheet
shows; the sheet is for the eye: a page that passes them and looks wrong is
wrong.

Usage: ``python tools/shots.py [--out DIR] [--sites site,other,stress] [--html NAME=DIR]``;
``--html`` takes an existing build instead of building.
"""

from __future__ import annotations

import argparse
import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import ROOT, serve

from academic_portfolio.serve import site_path_of

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
WIDTHS = [390, 768, 1024, 1280, 1440]
MODES = ["light", "dark"]
SCREEN_HEIGHT = 800
SOURCES = {
    "site": ROOT,
    "other": ROOT / "tests" / "fixtures" / "other-portfolio",
    "stress": ROOT / "tests" / "fixtures" / "stress-portfolio",
}
NOT_SOURCES = shutil.ignore_patterns("_build", ".nox", ".git", "tests", "node_modules")
PRINT_PAGES = 2  # the first pages of a printed page: where a header or a break goes wrong


def build(name: str, work: Path) -> Path:
    """A strict build of the site *name* in a private copy; the HTML folder."""
    src, out = work / f"{name}-src", work / f"{name}-html"
    shutil.copytree(SOURCES[name], src, ignore=NOT_SOURCES)
    command = [sys.executable, "-m", "sphinx", "-b", "dirhtml", "-n", "-W", "--keep-going", "-q"]
    subprocess.run([*command, "-d", str(work / f"{name}-doctrees"), str(src), str(out)], check=True)
    return out


def page_types(root: Path) -> list[str]:
    """One URL of each page type the build has: home, lists, a project, a paper, CV, 404."""
    urls = ["", "research/", "publications/", "cv/", "404/"]
    projects = sorted(p.parent.name for p in (root / "research").glob("*/index.html"))
    papers = sorted(p.parent.name for p in (root / "publications").glob("*/index.html"))
    urls[2:2] = [f"research/{s}/" for s in projects[:1]]
    urls[4:4] = [f"publications/{s}/" for s in papers[:1]]
    return urls


def photograph(browser, base: str, urls: list[str], out: Path) -> dict[str, list[Path]]:
    """Every URL at every width and mode, then printed; the PNGs by URL."""
    shots: dict[str, list[Path]] = {url: [] for url in urls}
    for mode in MODES:
        for width in WIDTHS:
            context = browser.new_context(
                viewport={"width": width, "height": SCREEN_HEIGHT}, color_scheme=mode
            )
            page = context.new_page()
            for url in urls:
                page.goto(base + url)
                page.wait_for_load_state("load")
                path = out / f"{slug(url)}-{width}-{mode}.png"
                page.screenshot(path=str(path))
                shots[url].append(path)
            context.close()
    context = browser.new_context()
    page = context.new_page()
    for url in urls:
        page.goto(base + url)
        page.wait_for_load_state("load")
        page.emulate_media(media="print")
        shots[url] += printed(page.pdf(format="A4", print_background=True), out / slug(url))
    context.close()
    return shots


def printed(pdf: bytes, stem: Path, pages: int = PRINT_PAGES) -> list[Path]:
    """The first *pages* of a PDF as PNGs (poppler's pdftoppm), or none without it."""
    if not shutil.which("pdftoppm"):
        return []
    source = stem.with_suffix(".pdf")
    source.write_bytes(pdf)
    prefix = stem.parent / f"{stem.name}-print"
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-l", str(pages), str(source), str(prefix)],
        check=True,
    )
    return sorted(stem.parent.glob(f"{stem.name}-print*.png"))


def cv_pdf(root: Path, out: Path) -> dict[str, list[Path]]:
    """Every page of the site's CV PDF (its first 10), under the row "cv.pdf"."""
    pdf = root / "cv.pdf"
    return {"cv.pdf": printed(pdf.read_bytes(), out / "cv-pdf", pages=10)} if pdf.is_file() else {}


def slug(url: str) -> str:
    return url.strip("/").replace("/", "-") or "home"


def sheet(name: str, shots: dict[str, list[Path]], out: Path) -> Path:
    """One HTML page: a row per page type, a photograph per width, mode and printed page."""
    heads = [f"{w} {m}" for m in MODES for w in WIDTHS] + [
        f"print p{n}" for n in range(1, PRINT_PAGES + 1)
    ]
    rows = []
    for url, paths in shots.items():
        cells = "".join(f'<td><img src="{html.escape(p.name)}" alt=""></td>' for p in paths)
        rows.append(f"<tr><th>/{html.escape(url)}</th>{cells}</tr>")
    header = "".join(f"<th>{html.escape(h)}</th>" for h in heads)
    document = f"""<!doctype html><meta charset="utf-8"><title>{name}</title>
<style>
body {{ margin: 8px; font: 12px sans-serif; background: #888; }}
td, th {{ vertical-align: top; padding: 3px; }}
th {{ text-align: left; color: #fff; }}
img {{ height: 260px; width: auto; border: 1px solid #333; background: #fff; }}
</style>
<h1 style="color:#fff">{html.escape(name)}</h1>
<table><tr><th></th>{header}</tr>{"".join(rows)}</table>"""
    path = out / f"{name}.html"
    path.write_text(document, "utf-8")
    return path


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Contact sheets of the portfolios.")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "shots")
    parser.add_argument("--sites", default="site,other,stress")
    parser.add_argument("--html", action="append", default=[], metavar="NAME=DIR")
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    built = dict(item.split("=", 1) for item in args.html)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for name in args.sites.split(","):
            root = Path(built[name]) if name in built else build(name, Path(tmp))
            httpd, base = serve(root, site_path_of(root))
            folder = args.out / name
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            try:
                shots = photograph(browser, base, page_types(root), folder)
                document = sheet(name, shots | cv_pdf(root, folder), folder)
            finally:
                httpd.shutdown()
            page = browser.new_page(viewport={"width": 1600, "height": 800})
            page.goto(document.as_uri())
            page.screenshot(path=str(args.out / f"{name}.png"), full_page=True)
            page.close()
            print(f"{name}: {args.out / f'{name}.png'} (and {document})")
        browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
