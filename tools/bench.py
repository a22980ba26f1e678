"""Measure the site as a committee member's phone meets it; print a table.

Usage: ``python tools/bench.py`` (what ``nox -s bench`` runs). It

1. clones the repository's HEAD into a temporary folder and times a cold
   ``nox -s docs`` there (environment included), then a rebuild after one page
   changes;
2. serves that build with gzip on 127.0.0.1, under the Read the Docs path;
3. runs Lighthouse (npm, mobile, Debian's Chromium) on every public page;
4. builds it again as Read the Docs does and runs Lighthouse on every page
   served as Read the Docs serves it (its addons script injected, its Addons
   API answering; see ``tests/fixtures/readthedocs/``), and on a blank page with
   the same script: the host's floor;
5. prints per page the four scores, the transfer by type and the largest files,
   the hosted scores and weights and their distance to the floor, writes the
   tables to ``_build/bench.md``, and exits 1 when a target of the bare site is
   missed (the host's script is not ours to budget).

Benchmarks are not tests: nothing here runs under ``nox -s tests``.
"""

from __future__ import annotations

import functools
import gzip
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
SITE_PATH = "/en/latest/"
READTHEDOCS_FIXTURES = ROOT / "tests" / "fixtures" / "readthedocs"
# Where Read the Docs serves its script and APIs: the root of every project domain.
ADDONS_SCRIPT = "/_/static/javascript/readthedocs-addons.js"
ADDONS_API = "/_/addons/"
ANALYTICS_API = "/_/api/v2/analytics/"
HOSTED_URL = "https://ziqi-zhao.readthedocs.io/en/latest/"  # SITE_URL in conf.py
LIGHTHOUSE = "lighthouse@13.5.0"
CHROME_FLAGS = ("--headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                "--disable-background-networking --disable-component-update --disable-sync")  # fmt: skip
COMPRESSED = {".html", ".css", ".js", ".svg", ".json", ".xml", ".txt", ".bib"}
TARGETS = {"performance": 0.98, "accessibility": 1.0, "best-practices": 1.0, "seo": 1.0}
PROJECT_PAGE_BUDGET = 60 * 1024  # bytes transferred, gzipped
COLD_BUILD_BUDGET, REBUILD_BUDGET = 60.0, 2.0  # seconds
REBUILDS = 7


def public_urls() -> list[str]:
    """The permanent URLs of the contract file, in order (the tests read it here too)."""
    lines = (line.strip() for line in (ROOT / "_data" / "public-urls.txt").read_text().splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def public_pages() -> list[str]:
    return [url for url in public_urls() if url.endswith("/")]


# -- Build times ----------------------------------------------------------------


def timed(command: list[str], cwd: Path, env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, env=env, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def machine_speed() -> float:
    """Seconds for a fixed pure-Python loop (median of 3): shared build machines
    change speed from minute to minute, and every timing here scales with it."""
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        sum(range(30_000_000))
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def build_times(work: Path) -> tuple[Path, float, dict[str, float]]:
    """Cold ``nox -s docs`` in a fresh clone, then the median rebuild after a
    one-page edit: by sphinx-build (the build itself, what ``nox -s live``
    runs on each save) and by ``nox -s docs``, as the owner may type it."""
    clone = work / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    # As on the owner's machine, Python caches compiled modules (some sandboxes
    # turn that off, which adds seconds to every run).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    nox = [sys.executable, "-m", "nox", "-s", "docs"]
    cold = timed(nox, clone, env)
    sphinx = next((clone / ".nox" / "docs").glob("bin/sphinx-build"))
    commands = {
        "nox -s docs": nox,
        "sphinx-build": [str(sphinx), "-b", "dirhtml", "-n", "-W", "--keep-going", "-q",
                         "-d", "_build/doctrees", ".", "_build/html"],
    }  # fmt: skip
    page = clone / "research" / "grafics.md"
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(REBUILDS):  # the median of several, alternating: one run is noisy
        for name, command in commands.items():
            page.write_text(page.read_text() + "\n")
            times[name].append(timed(command, clone, env))
    return clone / "_build" / "html", cold, {n: statistics.median(t) for n, t in times.items()}


# -- Scale: the same site with many papers -----------------------------------------

SCALE_SIZES = (10, 50, 150, 300)
SCALE_REBUILDS = 3


def synthetic_entries(count: int) -> str:
    """*count* made-up entries, the bench's own input (never published)."""
    return "".join(
        f"\n@inproceedings{{bench{i:04d},\n  author = {{Zhao, Ziqi and Doe, Jane}},\n"
        f"  title = {{A Benchmark Entry, Number {i}, with a Title of Ordinary Length}},\n"
        f"  booktitle = {{Proceedings of the Benchmark Conference}},\n"
        f"  year = {{{2000 + i % 25}}},\n}}\n"
        for i in range(count)
    )


def page_stamps(html: Path) -> dict[Path, int]:
    return {page: page.stat().st_mtime_ns for page in html.rglob("index.html")}


def rewritten(html: Path, before: dict[Path, int]) -> int:
    return sum(1 for page, stamp in page_stamps(html).items() if before.get(page) != stamp)


def scale_times(clone: Path, work: Path) -> list[dict]:
    """Per size: cold build, one-page rebuild (median), and how many pages a
    one-page edit and a new paper rewrite (the search and 404 pages included,
    which Sphinx always writes)."""
    sphinx = next((clone / ".nox" / "docs").glob("bin/sphinx-build"))
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    command = [str(sphinx), "-b", "dirhtml", "-n", "-W", "--keep-going", "-q",
               "-d", "_build/doctrees", ".", "_build/html"]  # fmt: skip
    rows = []
    for count in SCALE_SIZES:
        src = work / f"scale-{count}"
        shutil.copytree(clone, src, ignore=shutil.ignore_patterns("_build", ".nox", ".git"))
        with (src / "refs.bib").open("a") as bib:
            bib.write(synthetic_entries(count))
        html, page = src / "_build" / "html", src / "research" / "grafics.md"
        cold = timed(command, src, env)
        times, pages_per_edit = [], 0
        for _ in range(SCALE_REBUILDS):
            before = page_stamps(html)
            page.write_text(page.read_text() + "\n")
            times.append(timed(command, src, env))
            pages_per_edit = rewritten(html, before)
        before = page_stamps(html)
        with (src / "refs.bib").open("a") as bib:
            bib.write(synthetic_entries(1).replace("bench0000", "benchnew"))
        timed(command, src, env)
        rows.append({"entries": count, "cold": cold, "rebuild": statistics.median(times),
                     "edit_pages": pages_per_edit, "paper_pages": rewritten(html, before),
                     "pages": len(page_stamps(html))})  # fmt: skip
        shutil.rmtree(src)
    return rows


def scale_table(rows: list[dict]) -> str:
    lines = ["| entries | pages | cold build s | one-page rebuild s | pages rewritten by a one-page edit | by a new paper |",
             "|---|---|---|---|---|---|"]  # fmt: skip
    lines += [
        f"| {r['entries']} | {r['pages']} | {r['cold']:.1f} | {r['rebuild']:.2f} "
        f"| {r['edit_pages']} | {r['paper_pages']} |"
        for r in rows
    ]
    growth = rows[-1]["rebuild"] / rows[0]["rebuild"] - 1
    lines += ["", f"One-page rebuild at {rows[-1]['entries']} entries against {rows[0]['entries']}: "
              f"{growth:+.0%} (target: within 20 %)."]  # fmt: skip
    return "\n".join(lines)


# -- Serving, with gzip, and as Read the Docs does ---------------------------------


@dataclass(frozen=True)
class ReadTheDocsHost:
    """What Read the Docs adds to the pages it serves (tests/fixtures/readthedocs/):
    its addons script, injected at the end of every page's ``<head>`` with the
    meta tags its edge worker writes, and the Addons API answer it reads."""

    project: str = "ziqi-zhao"
    version: str = "latest"
    script: Path = READTHEDOCS_FIXTURES / "readthedocs-addons.js"
    addons: Path = READTHEDOCS_FIXTURES / "addons.json"

    def head_tags(self, resolver_filename: str, status: int) -> bytes:
        """Exactly what the worker appends to ``<head>`` (see the fixtures' README)."""
        return (
            f'<script async type="text/javascript" src="{ADDONS_SCRIPT}"></script>'
            f'<meta name="readthedocs-project-slug" content="{self.project}" />'
            f'<meta name="readthedocs-version-slug" content="{self.version}" />'
            f'<meta name="readthedocs-resolver-filename" content="{resolver_filename}" />'
            f'<meta name="readthedocs-http-status" content="{status}" />'
        ).encode()

    def inject(self, html: bytes, resolver_filename: str, status: int) -> bytes:
        end = html.rindex(b"</head>")
        return html[:end] + self.head_tags(resolver_filename, status) + html[end:]

    def api_answer(self, query: str) -> bytes:
        """The Addons API's JSON; ``readthedocs.resolver.filename`` follows ``url=``."""
        data = json.loads(self.addons.read_text("utf-8"))
        url = parse_qs(query).get("url", [""])[0]
        if url:
            data["readthedocs"]["resolver"]["filename"] = resolver_filename(urlsplit(url).path)
        return json.dumps(data).encode()


def read_the_docs() -> ReadTheDocsHost:
    """The host as the README's checklist leaves it (tests/fixtures/readthedocs/addons.json)."""
    return ReadTheDocsHost()


def resolver_filename(relative: str) -> str:
    """Read the Docs' name for a requested file: a directory URL ends in index.html."""
    name = "/" + relative.lstrip("/")
    return name + "index.html" if name.endswith("/") else name


class SiteHandler(SimpleHTTPRequestHandler):
    """The built site at ``site_path`` with gzip and its 404 page; with a ``host``,
    also Read the Docs' script, meta tags and API, at the root of the domain."""

    site_path = SITE_PATH
    host: ReadTheDocsHost | None = None

    def log_message(self, *args):
        pass

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if self.host is not None and path.startswith("/_/"):
            self.answer_as_host(path, query)
        elif path == "/" and self.site_path != "/":  # as Read the Docs redirects its root
            self.send_response(302)
            self.send_header("Location", self.site_path)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif not path.startswith(self.site_path):
            self.send_error(404)
        else:
            self.answer_from_site(path[len(self.site_path) :].split("#")[0])

    def answer_from_site(self, relative: str) -> None:
        path, status = Path(self.directory) / unquote(relative), 200
        if path.is_dir():
            path = path / "index.html"
        if not path.is_file():
            path, status = Path(self.directory) / "404" / "index.html", 404
        body = path.read_bytes()
        if self.host is not None and path.suffix == ".html":
            body = self.host.inject(body, resolver_filename(relative), status)
        self.send(status, body, self.guess_type(str(path)), path.suffix)

    def answer_as_host(self, path: str, query: str) -> None:
        if path == ADDONS_SCRIPT:
            self.send(200, self.host.script.read_bytes(), "application/javascript", ".js")
        elif path == ADDONS_API:
            self.send(200, self.host.api_answer(query), "application/json", ".json")
        elif path == ANALYTICS_API:
            self.send(200, b"", "application/json", ".json")
        else:
            self.send_error(404)

    def send(self, status: int, body: bytes, content_type: str, suffix: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        if suffix in COMPRESSED and "gzip" in self.headers.get("Accept-Encoding", ""):
            body = gzip.compress(body, 6)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_HEAD = do_GET  # the same answer, without its body (not a directory listing)


def serve(
    root: Path, path: str = SITE_PATH, host: ReadTheDocsHost | None = None, port: int = 0
) -> tuple[ThreadingHTTPServer, str]:
    """Serve *root* with gzip at *path* (its 404 page for unknown URLs), and as
    Read the Docs does when *host* is given; the server and the site's address
    (stop it with ``shutdown()``)."""
    handler = type("Handler", (SiteHandler,), {"site_path": path, "host": host})
    httpd = ThreadingHTTPServer(
        ("127.0.0.1", port), functools.partial(handler, directory=str(root))
    )
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, f"http://127.0.0.1:{httpd.server_address[1]}{path}"


def site_path_of(root: Path) -> str:
    """The path a build expects to be served at: that of its home page's canonical URL."""
    match = re.search(
        r'<link rel="canonical" href="([^"]+)"', (root / "index.html").read_text("utf-8")
    )
    return urlsplit(match.group(1)).path if match else "/"


# -- Lighthouse -------------------------------------------------------------------


def lighthouse(url: str, out: Path) -> dict:
    subprocess.run(
        ["npx", "--yes", LIGHTHOUSE, url, "--quiet", "--form-factor=mobile",
         "--output=json", f"--output-path={out}", f"--chrome-flags={CHROME_FLAGS}"],
        check=True, env={**os.environ, "CHROME_PATH": "/usr/bin/chromium"},
    )  # fmt: skip
    return json.loads(out.read_text())


def summarise(report: dict) -> dict:
    scores = {key: report["categories"][key]["score"] for key in TARGETS}
    by_type, files = defaultdict(int), []
    for item in report["audits"]["network-requests"]["details"]["items"]:
        size = item.get("transferSize", 0)
        by_type[item.get("resourceType", "Other")] += size
        files.append((size, item["url"].split(SITE_PATH, 1)[-1] or "/"))
    blocking = [
        item["url"] for item in (report["audits"].get("render-blocking-insight", {}).get("details") or {}).get("items", [])
        if item.get("url", "").split("?")[0].endswith(".js")
    ]  # fmt: skip
    return {"scores": scores, "by_type": dict(by_type), "total": sum(by_type.values()),
            "largest": sorted(files, reverse=True)[:3], "blocking_scripts": blocking}  # fmt: skip


# -- Read the Docs: the same pages with the host's script, and its floor ------------

BLANK_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="description" content="A blank page: what Read the Docs' script costs alone.">
<title>Blank</title></head><body><main><p>Blank.</p></main></body></html>
"""


def hosted_build(clone: Path) -> Path:
    """The clone built as Read the Docs builds it (READTHEDOCS=True, its canonical URL)."""
    sphinx = next((clone / ".nox" / "docs").glob("bin/sphinx-build"))
    out = clone / "_build" / "rtd"
    env = {**os.environ, "READTHEDOCS": "True", "READTHEDOCS_CANONICAL_URL": HOSTED_URL}
    subprocess.run(
        [str(sphinx), "-b", "dirhtml", "-n", "-W", "--keep-going", "-q",
         "-d", str(clone / "_build" / "doctrees-rtd"), str(clone), str(out)],
        check=True, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return out


def blank_site(work: Path) -> Path:
    """A blank page, served with Read the Docs' script: the host's floor."""
    folder = work / "blank"
    folder.mkdir()
    (folder / "index.html").write_text(BLANK_PAGE, "utf-8")
    return folder


def run_lighthouse(root: Path, pages: list[str], out: Path, host=None) -> dict[str, dict]:
    httpd, base = serve(root, SITE_PATH, host=host)
    try:
        return {page: summarise(lighthouse(base + page.lstrip("/"), out)) for page in pages}
    finally:
        httpd.shutdown()


def hosted_table(bare: dict[str, dict], hosted: dict[str, dict], floor: dict) -> str:
    """Per page: bare and hosted performance and weight, and the distance to the floor."""
    f_perf, f_total = floor["scores"]["performance"], floor["total"]
    lines = [
        f"Read the Docs' floor (a blank page with its script): performance {f_perf:.2f}, "
        f"{kb(f_total)} KB.",
        "",
        "| page | bare perf | hosted perf | perf below the floor | bare KB | hosted KB "
        "| KB above the floor | hosted a11y | hosted best pr. | hosted SEO |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for page, h in hosted.items():
        s, b = h["scores"], bare[page]
        lines.append(
            f"| {page} | {b['scores']['performance']:.2f} | {s['performance']:.2f} "
            f"| {f_perf - s['performance']:.2f} | {kb(b['total'])} | {kb(h['total'])} "
            f"| {kb(h['total'] - f_total)} | {s['accessibility']:.2f} "
            f"| {s['best-practices']:.2f} | {s['seo']:.2f} |"
        )
    return "\n".join(lines)


def kb(size: int) -> str:
    return f"{size / 1024:.1f}"


def table(
    results: dict[str, dict], cold: float, warm: dict[str, float], speed: float
) -> tuple[str, list[str]]:
    missed = []
    lines = ["| page | perf | a11y | best pr. | SEO | HTML KB | CSS KB | JS KB | fonts KB | img KB | total KB | render-blocking JS |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for page, r in results.items():
        t, s = r["by_type"], r["scores"]
        lines.append(
            f"| {page} | {s['performance']:.2f} | {s['accessibility']:.2f} | {s['best-practices']:.2f} | {s['seo']:.2f} "
            f"| {kb(t.get('Document', 0))} | {kb(t.get('Stylesheet', 0))} | {kb(t.get('Script', 0))} "
            f"| {kb(t.get('Font', 0))} | {kb(t.get('Image', 0))} | **{kb(r['total'])}** | {len(r['blocking_scripts'])} |"
        )  # fmt: skip
        missed += [f"{page}: {k} {s[k]:.2f} < {v}" for k, v in TARGETS.items() if (s[k] or 0) < v]
        if (
            page.startswith("/research/")
            and page != "/research/"
            and r["total"] > PROJECT_PAGE_BUDGET
        ):
            missed.append(f"{page}: {kb(r['total'])} KB > {kb(PROJECT_PAGE_BUDGET)} KB")
        missed += [f"{page}: render-blocking script {u}" for u in r["blocking_scripts"]]
    lines += ["", "Largest files (gzipped KB), per page:", ""]
    lines += [
        f"- {page}: " + ", ".join(f"{name} {kb(size)}" for size, name in r["largest"])
        for page, r in results.items()
    ]
    lines += ["", f"Cold `nox -s docs` in a fresh clone (environment included): {cold:.1f} s "
              f"(target < {COLD_BUILD_BUDGET:.0f} s)",
              f"Rebuild after editing one page (median of {REBUILDS}): "
              f"{warm['sphinx-build']:.2f} s (target < {REBUILD_BUDGET:.0f} s); "
              f"through `nox -s docs`, which starts nox first, {warm['nox -s docs']:.2f} s",
              f"Machine speed: a fixed Python loop took {speed:.2f} s "
              f"(about 0.6 s when this 2-core machine is quiet; timings scale with it)"]  # fmt: skip
    if cold > COLD_BUILD_BUDGET:
        missed.append(f"cold build {cold:.1f} s")
    if warm["sphinx-build"] > REBUILD_BUDGET:
        missed.append(f"rebuild {warm['sphinx-build']:.2f} s")
    return "\n".join(lines), missed


def main() -> int:
    if "--scale" in sys.argv:  # the scale section alone, without Lighthouse
        with tempfile.TemporaryDirectory() as tmp:
            build_times(Path(tmp))
            print(scale_table(scale_times(Path(tmp) / "clone", Path(tmp))))
        return 0
    if not shutil.which("npx") or not Path("/usr/bin/chromium").exists():
        print("nox -s bench needs npm (npx) and Debian's Chromium at /usr/bin/chromium.")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        speed = machine_speed()
        site, cold, warm = build_times(work)
        report_file = work / "lh.json"
        results = run_lighthouse(site, public_pages(), report_file)
        host = read_the_docs()
        hosted = run_lighthouse(hosted_build(work / "clone"), public_pages(), report_file, host)
        floor = run_lighthouse(blank_site(work), ["/"], report_file, host)["/"]
        scale = scale_table(scale_times(work / "clone", work))
    text, missed = table(results, cold, warm, speed)
    report = (
        f"# Benchmark\n\nLighthouse 13 (mobile), gzip from localhost.\n\n{text}\n\n"
        "## On Read the Docs\n\nThe Read the Docs build, served as Read the Docs serves it: "
        "its real readthedocs-addons.js in every page, its Addons API set as the README's "
        "checklist says (tests/fixtures/readthedocs/). EthicalAds' own script "
        "(media.ethicalads.io) cannot be reached from the bench: the ad itself is not "
        "counted.\n\n"
        f"{hosted_table(results, hosted, floor)}\n\n"
        "## Scale\n\nThe same site with made-up papers added to refs.bib (4 projects).\n\n"
        f"{scale}\n"
    )
    if missed:
        report += "\nMissed targets:\n\n" + "".join(f"- {m}\n" for m in missed)
    out = ROOT / "_build" / "bench.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report)
    print(report)
    print(f"Written to {out}")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
