"""Measure the site as a committee member's phone meets it; print a table.

Usage: ``python tools/bench.py [--runs N] [--pages /,/cv/] [--skip-build-times]``
(what ``nox -s bench -- ...`` runs), or ``--scale`` for the scale section alone
(``--scale --sizes 1000`` for one size). It

1. clones the repository's HEAD into a temporary folder and times a cold
   ``nox -s docs`` there (environment included), then a rebuild after one page
   changes (not with ``--skip-build-times``, which only builds);
2. builds it again as Read the Docs does, and serves with gzip on 127.0.0.1,
   under the Read the Docs path, three sites: the bare build; the Read the Docs
   build as Read the Docs serves it (its addons script injected, its Addons API
   answering; see ``tests/fixtures/readthedocs/``); a blank page with the same
   script, the host's floor;
3. runs Lighthouse (npm, mobile, Debian's Chromium) ``--runs`` times (5) per
   page and site, interleaved round after round (floor, hosted page, bare page,
   floor, next hosted page, ...) so that a change of the machine's load hits
   all three alike, recording the load and speed of the machine around them;
4. prints per page the median scores, the transfer by type and the largest
   files, the medians and spreads of performance, LCP, TBT and CLS, bare and
   hosted, each hosted page's median minus the floor's and a verdict, or "too
   noisy to judge" when the spreads or the load say the runs cannot tell
   (``RULES``); writes the tables to ``_build/bench.md``; exits 1 when a
   target of the bare site is missed or a hosted page is judged more than 0.02
   below the floor.

Benchmarks are not tests: nothing here runs under ``nox -s tests``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from http.server import ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
# `nox -s bench` runs this file with nox's own Python: the engine is src/.
sys.path.insert(0, str(ROOT / "src"))

from academic_portfolio.serve import SiteHandler  # noqa: E402
from academic_portfolio.serve import serve as serve_site  # noqa: E402

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
    return timed_cpu(command, cwd, env)[0]


def timed_cpu(command: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float]:
    """Wall seconds and CPU seconds (user + system, the command's processes):
    on a shared machine the wall time follows the load, the CPU time much less."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def machine_speed() -> float:
    """Seconds for a fixed pure-Python loop (median of 3): shared build machines
    change speed from minute to minute, and every timing here scales with it."""
    runs = []
    for _ in range(3):
        start = time.perf_counter()
        sum(range(30_000_000))
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def cold_build(work: Path) -> tuple[Path, float]:
    """A fresh clone of HEAD and the seconds of its cold ``nox -s docs`` (environment included)."""
    clone = work / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    nox = [sys.executable, "-m", "nox", "-s", "docs"]
    return clone, timed(nox, clone, caching_env())


def caching_env() -> dict[str, str]:
    # As on the owner's machine, Python caches compiled modules (some sandboxes
    # turn that off, which adds seconds to every run).
    return {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def rebuild_times(clone: Path) -> dict[str, float]:
    """The median rebuild after a one-page edit: by sphinx-build (the build itself,
    what ``nox -s live`` runs on each save) and by ``nox -s docs``, as the owner may type it."""
    env = caching_env()
    sphinx = next((clone / ".nox" / "docs").glob("bin/sphinx-build"))
    commands = {
        "nox -s docs": [sys.executable, "-m", "nox", "-s", "docs"],
        "sphinx-build": [str(sphinx), "-b", "dirhtml", "-n", "-W", "--keep-going", "-q",
                         "-d", "_build/doctrees", ".", "_build/html"],
    }  # fmt: skip
    page = clone / "research" / "grafics.md"
    times: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(REBUILDS):  # the median of several, alternating: one run is noisy
        for name, command in commands.items():
            page.write_text(page.read_text() + "\n")
            times[name].append(timed(command, clone, env))
    return {name: statistics.median(t) for name, t in times.items()}


# -- Scale: the same site with many papers -----------------------------------------

SCALE_SIZES = (10, 300, 1000)  # a small site, a full CV, a lab's shared .bib
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


def scale_times(clone: Path, work: Path, sizes: Sequence[int] = SCALE_SIZES) -> list[dict]:
    """Per size: cold build, one-page rebuild (median), each in wall and CPU
    seconds, and how many pages a one-page edit and a new paper rewrite (the
    search and 404 pages included, which Sphinx always writes)."""
    sphinx = next((clone / ".nox" / "docs").glob("bin/sphinx-build"))
    env = caching_env()
    command = [str(sphinx), "-b", "dirhtml", "-n", "-W", "--keep-going", "-q",
               "-d", "_build/doctrees", ".", "_build/html"]  # fmt: skip
    rows = []
    for count in sizes:
        src = work / f"scale-{count}"
        shutil.copytree(clone, src, ignore=shutil.ignore_patterns("_build", ".nox", ".git"))
        with (src / "refs.bib").open("a") as bib:
            bib.write(synthetic_entries(count))
        html, page = src / "_build" / "html", src / "research" / "grafics.md"
        cold, cold_cpu = timed_cpu(command, src, env)
        times, cpu_times, pages_per_edit = [], [], 0
        for _ in range(SCALE_REBUILDS):
            before = page_stamps(html)
            page.write_text(page.read_text() + "\n")
            wall, cpu = timed_cpu(command, src, env)
            times.append(wall)
            cpu_times.append(cpu)
            pages_per_edit = rewritten(html, before)
        before = page_stamps(html)
        with (src / "refs.bib").open("a") as bib:
            bib.write(synthetic_entries(1).replace("bench0000", "benchnew"))
        timed(command, src, env)
        rows.append({"entries": count, "cold": cold, "cold_cpu": cold_cpu,
                     "rebuild": statistics.median(times), "rebuild_cpu": statistics.median(cpu_times),
                     "edit_pages": pages_per_edit, "paper_pages": rewritten(html, before),
                     "pages": len(page_stamps(html))})  # fmt: skip
        shutil.rmtree(src)
    return rows


def scale_table(rows: list[dict]) -> str:
    lines = ["| entries | pages | cold build s (CPU s) | one-page rebuild s (CPU s) | pages rewritten by a one-page edit | by a new paper |",
             "|---|---|---|---|---|---|"]  # fmt: skip
    lines += [
        f"| {r['entries']} | {r['pages']} | {r['cold']:.1f} ({r['cold_cpu']:.1f}) "
        f"| {r['rebuild']:.2f} ({r['rebuild_cpu']:.2f}) | {r['edit_pages']} | {r['paper_pages']} |"
        for r in rows
    ]
    if len(rows) > 1:
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


class HostedSiteHandler(SiteHandler):
    """The engine's server (``nox -s serve``), and with a ``host``, also Read the
    Docs' script, meta tags and API, at the root of the domain."""

    host: ReadTheDocsHost | None = None

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if self.host is not None and path.startswith("/_/"):
            self.answer_as_host(path, query)
        else:
            super().do_GET()

    do_HEAD = do_GET

    def page_body(self, body: bytes, relative: str, status: int, path: Path) -> bytes:
        if self.host is not None and path.suffix == ".html":
            return self.host.inject(body, resolver_filename(relative), status)
        return body

    def answer_as_host(self, path: str, query: str) -> None:
        if path == ADDONS_SCRIPT:
            self.send(200, self.host.script.read_bytes(), "application/javascript", ".js")
        elif path == ADDONS_API:
            self.send(200, self.host.api_answer(query), "application/json", ".json")
        elif path == ANALYTICS_API:
            self.send(200, b"", "application/json", ".json")
        else:
            self.send_error(404)


def serve(
    root: Path, path: str = SITE_PATH, host: ReadTheDocsHost | None = None, port: int = 0
) -> tuple[ThreadingHTTPServer, str]:
    """Serve *root* with gzip at *path* (its 404 page for unknown URLs), and as
    Read the Docs does when *host* is given; the server and the site's address
    (stop it with ``shutdown()``)."""
    handler = type("Handler", (HostedSiteHandler,), {"host": host})
    return serve_site(root, path, port=port, handler=handler)


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
    audits = report["audits"]
    metrics = {
        "performance": scores["performance"],
        "lcp": seconds(audits["largest-contentful-paint"].get("numericValue")),
        "tbt": audits["total-blocking-time"].get("numericValue"),  # milliseconds
        "cls": audits["cumulative-layout-shift"].get("numericValue"),
    }
    return {"scores": scores, "metrics": metrics, "by_type": dict(by_type),
            "total": sum(by_type.values()), "largest": sorted(files, reverse=True)[:3],
            "blocking_scripts": blocking}  # fmt: skip


def seconds(milliseconds: float | None) -> float | None:
    return None if milliseconds is None else milliseconds / 1000


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


def kb(size: int) -> str:
    return f"{size / 1024:.1f}"


# -- Repeated runs: medians, spreads, verdicts ---------------------------------------

RUNS = 5  # Lighthouse runs per page and per site, by default
MIN_RUNS_TO_JUDGE = 5  # fewer, and one slow run can move a median
MAX_SPREAD = 0.05  # the widest performance IQR (page's or floor's) a verdict is given on
FLOOR_TOLERANCE = 0.02  # target: every hosted page at or above the floor minus this
# The bench's own Chromium and Lighthouse keep about one core busy: above this
# load per core, other work competes with the runs.
MAX_LOAD_PER_CORE = 1.5
FLOOR, HOSTED, BARE = "floor", "hosted", "bare"
METRICS = ("performance", "lcp", "tbt", "cls")


@dataclass(frozen=True)
class Spread:
    """One measure over repeated runs: median, extremes, quartiles."""

    median: float
    low: float
    high: float
    q1: float
    q3: float
    runs: int

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1


def spread(values: Sequence[float]) -> Spread:
    """Quartiles by the inclusive method: of five runs, the 2nd and 4th values, so
    one outlying run moves neither the median nor the IQR (min–max shows it)."""
    data = sorted(values)
    if not data:
        raise ValueError("no run gave this measure")
    q1, _, q3 = statistics.quantiles(data, n=4, method="inclusive") if len(data) > 1 else data * 3
    return Spread(statistics.median(data), data[0], data[-1], q1, q3, len(data))


def schedule(pages: Sequence[str], runs: int) -> list[tuple[str, str]]:
    """The order of the Lighthouse runs, as (site, page): round after round, each
    page's hosted run right after a floor run and its bare twin right after it. A
    change of the machine's load then hits floor, hosted and bare alike, and every
    page's runs span the whole bench instead of one stretch of it."""
    return [
        run
        for _ in range(runs)
        for page in pages
        for run in ((FLOOR, "/"), (HOSTED, page), (BARE, page))
    ]


def noise(page: Spread, floor: Spread, max_load: float, cores: int) -> list[str]:
    """Why a page cannot be compared with the floor (none: it can)."""
    reasons = []
    # Rounded: scores are hundredths, and 0.93 - 0.88 is not 0.05 in floating point.
    if round(page.iqr, 3) > MAX_SPREAD:
        reasons.append(f"its IQR {page.iqr:.2f} > {MAX_SPREAD}")
    if round(floor.iqr, 3) > MAX_SPREAD:
        reasons.append(f"the floor's IQR {floor.iqr:.2f} > {MAX_SPREAD}")
    if max_load > MAX_LOAD_PER_CORE * cores:
        reasons.append(f"load {max_load:.1f} > {MAX_LOAD_PER_CORE * cores:g} ({cores} cores)")
    return reasons


@dataclass(frozen=True)
class Verdict:
    difference: float  # the page's median performance minus the floor's
    judged: bool
    below: bool  # judged, and more than FLOOR_TOLERANCE below the floor
    text: str


def verdict(page: Spread, floor: Spread, max_load: float, cores: int) -> Verdict:
    """The hosted page against the floor, or why the runs cannot tell."""
    difference = round(page.median - floor.median, 3)
    runs = min(page.runs, floor.runs)
    if runs < MIN_RUNS_TO_JUDGE:
        return Verdict(
            difference, False, False, f"not judged: {runs} runs, fewer than {MIN_RUNS_TO_JUDGE}"
        )
    reasons = noise(page, floor, max_load, cores)
    if reasons:
        return Verdict(difference, False, False, "too noisy to judge: " + "; ".join(reasons))
    below = difference < -FLOOR_TOLERANCE
    where = "below" if below else "at or above"
    return Verdict(difference, True, below, f"{where} the floor − {FLOOR_TOLERANCE}")


def collapse(runs: list[dict]) -> dict:
    """A page's runs as one summary: median scores and the spread of each metric;
    weights and files from the first run (every run fetches the same bytes)."""
    scores = {key: median_of([r["scores"][key] for r in runs]) for key in TARGETS}
    spreads = {
        name: spread([r["metrics"][name] for r in runs if r["metrics"][name] is not None])
        for name in METRICS
    }
    return {**runs[0], "scores": scores, "spreads": spreads, "runs": len(runs)}


def median_of(values: list[float | None]) -> float | None:
    """The median of the runs that gave a value (Lighthouse gives none on an error)."""
    present = [v for v in values if v is not None]
    return statistics.median(present) if present else None


# -- The machine -------------------------------------------------------------------


@dataclass(frozen=True)
class Machine:
    """The machine during the Lighthouse runs: what tells load from a regression."""

    cores: int
    loads: tuple[float, ...]  # 1-minute load average before the first run and after each
    speed_start: float  # machine_speed() before the first run and after the last
    speed_end: float


def core_count() -> int:
    # The cores this process may use, which a container can make fewer than the host's.
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def machine_lines(machine: Machine) -> str:
    loads = machine.loads
    return (
        f"Machine during the Lighthouse runs ({machine.cores} cores): 1-minute load average "
        f"{loads[0]:.2f} at the start, {loads[-1]:.2f} at the end, {max(loads):.2f} at most; "
        f"the bench's Python loop took {machine.speed_start:.2f} s at the start and "
        f"{machine.speed_end:.2f} s at the end (slower at the end: the machine got busier)."
    )


# -- Running Lighthouse ----------------------------------------------------------------


Runs = dict[str, dict[str, list[dict]]]  # site → page → one summary per Lighthouse run


def measure(
    bases: dict[str, str], pages: Sequence[str], runs: int, out: Path
) -> tuple[Runs, Machine]:
    """Every Lighthouse run in schedule order: per site, per page, the list of run
    summaries; and the machine's load and speed around them."""
    results: dict[str, dict[str, list[dict]]] = {site: defaultdict(list) for site in bases}
    loads = [os.getloadavg()[0]]  # before the speed loop, which adds to it
    speed_start = machine_speed()
    order = schedule(pages, runs)
    for number, (site, page) in enumerate(order, 1):
        summary = summarise(lighthouse(bases[site] + page.lstrip("/"), out))
        results[site][page].append(summary)
        loads.append(os.getloadavg()[0])
        print(f"[{number}/{len(order)}] {site} {page}: performance "
              f"{summary['scores']['performance']}, load {loads[-1]:.2f}", file=sys.stderr)  # fmt: skip
    machine = Machine(core_count(), tuple(loads), speed_start, machine_speed())
    return {site: dict(by_page) for site, by_page in results.items()}, machine


# -- Tables --------------------------------------------------------------------------


def cell(values: Spread, fmt: str) -> str:
    """Median (min–max)."""
    return f"{values.median:{fmt}} ({values.low:{fmt}}–{values.high:{fmt}})"


def perf_cells(r: dict) -> str:
    p = r["spreads"]["performance"]
    return f"{r['runs']} | {p.median:.2f} | {p.low:.2f}–{p.high:.2f} | {p.iqr:.2f}"


def metric_cells(r: dict) -> str:
    s = r["spreads"]
    return f"{cell(s['lcp'], '.2f')} | {cell(s['tbt'], '.0f')} | {cell(s['cls'], '.3f')}"


def spread_table(bare: dict[str, dict]) -> str:
    """The bare site's performance over its runs, with the three metrics behind it."""
    lines = ["| page | runs | perf median | perf min–max | perf IQR | LCP s | TBT ms | CLS |",
             "|---|---|---|---|---|---|---|---|"]  # fmt: skip
    lines += [f"| {page} | {perf_cells(r)} | {metric_cells(r)} |" for page, r in bare.items()]
    return "\n".join(lines)


def hosted_table(hosted: dict[str, dict], floor: dict, verdicts: dict[str, Verdict]) -> str:
    """The floor, then per hosted page: spreads, its distance to the floor and a verdict."""
    lines = [
        "| page | runs | perf median | perf min–max | perf IQR | median − floor | LCP s "
        "| TBT ms | CLS | KB | KB above the floor | a11y | best pr. | SEO | verdict |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    rows = [
        ("floor (blank page + script)", floor, None),
        *((p, h, verdicts[p]) for p, h in hosted.items()),
    ]
    for page, r, judged in rows:
        s = r["scores"]
        if judged is None:
            difference, above, text = "—", "—", "—"
        else:
            above, text = kb(r["total"] - floor["total"]), judged.text
            # Not judged: no figure, only why ("too noisy to judge" or "not judged").
            difference = f"{judged.difference:+.2f}" if judged.judged else text.split(":")[0]
        lines.append(
            f"| {page} | {perf_cells(r)} | {difference} | {metric_cells(r)} | {kb(r['total'])} "
            f"| {above} | {score(s['accessibility'])} | {score(s['best-practices'])} "
            f"| {score(s['seo'])} | {text} |"
        )
    return "\n".join(lines)


def score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def table(results: dict[str, dict]) -> tuple[str, list[str]]:
    """The bare site's scores (medians), weights and largest files; missed targets."""
    missed = []
    lines = ["| page | perf | a11y | best pr. | SEO | HTML KB | CSS KB | JS KB | fonts KB | img KB | total KB | render-blocking JS |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]  # fmt: skip
    for page, r in results.items():
        t, s = r["by_type"], r["scores"]
        lines.append(
            f"| {page} | {score(s['performance'])} | {score(s['accessibility'])} | {score(s['best-practices'])} | {score(s['seo'])} "
            f"| {kb(t.get('Document', 0))} | {kb(t.get('Stylesheet', 0))} | {kb(t.get('Script', 0))} "
            f"| {kb(t.get('Font', 0))} | {kb(t.get('Image', 0))} | **{kb(r['total'])}** | {len(r['blocking_scripts'])} |"
        )  # fmt: skip
        missed += [
            f"{page}: {k} {score(s[k])} < {v}" for k, v in TARGETS.items() if (s[k] or 0) < v
        ]
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
    return "\n".join(lines), missed


def build_lines(cold: float, warm: dict[str, float], speed: float) -> tuple[str, list[str]]:
    """The build times against their targets; missed targets."""
    lines = [f"Cold `nox -s docs` in a fresh clone (environment included): {cold:.1f} s "
             f"(target < {COLD_BUILD_BUDGET:.0f} s)",
             f"Rebuild after editing one page (median of {REBUILDS}): "
             f"{warm['sphinx-build']:.2f} s (target < {REBUILD_BUDGET:.0f} s); "
             f"through `nox -s docs`, which starts nox first, {warm['nox -s docs']:.2f} s",
             f"Machine speed: a fixed Python loop took {speed:.2f} s "
             f"(about 0.6 s when this 2-core machine is quiet; timings scale with it)"]  # fmt: skip
    missed = []
    if cold > COLD_BUILD_BUDGET:
        missed.append(f"cold build {cold:.1f} s")
    if warm["sphinx-build"] > REBUILD_BUDGET:
        missed.append(f"rebuild {warm['sphinx-build']:.2f} s")
    return "\n".join(lines), missed


RULES = (
    f"Target: every hosted page's median performance at or above the floor's median minus "
    f'{FLOOR_TOLERANCE}. A page is not judged, and reads "too noisy to judge", when its '
    f"hosted performance or the floor's spreads more than {MAX_SPREAD} between the quartiles "
    f"(IQR), or when the 1-minute load average exceeded {MAX_LOAD_PER_CORE} per core at the start, after any "
    f"run or at the end; nor with fewer than {MIN_RUNS_TO_JUDGE} runs."
)


# -- Command line --------------------------------------------------------------------


def parse_pages(text: str, known: Sequence[str]) -> list[str]:
    """``/,/cv/`` as a list of public pages, in the order given; an unknown one is an error."""
    pages = [page.strip() for page in text.split(",") if page.strip()]
    unknown = [page for page in pages if page not in known]
    if unknown or not pages:
        raise argparse.ArgumentTypeError(
            f"not a public page: {', '.join(unknown) or 'none given'} (see _data/public-urls.txt)"
        )
    return pages


def parse_sizes(text: str) -> tuple[int, ...]:
    """``300,1000`` as the sizes of the scale section."""
    try:
        sizes = tuple(int(size) for size in text.split(",") if size.strip())
    except ValueError:
        sizes = ()
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError(f"not a list of entry counts: {text!r} (e.g. 10,1000)")
    return sizes


def arguments(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="nox -s bench --", description="Time the build and run Lighthouse, bare and hosted."
    )
    parser.add_argument("--runs", type=int, default=RUNS,
                        help=f"Lighthouse runs per page and site (default {RUNS}; "
                             f"fewer than {MIN_RUNS_TO_JUDGE} give no hosted verdict)")  # fmt: skip
    parser.add_argument("--pages", type=lambda text: parse_pages(text, public_pages()),
                        default=None, help="comma-separated pages, e.g. /,/cv/ (default: all)")  # fmt: skip
    parser.add_argument("--skip-build-times", action="store_true",
                        help="build once, untimed: no rebuild times, no scale section")  # fmt: skip
    parser.add_argument("--scale", action="store_true",
                        help="the scale section alone, without Lighthouse")  # fmt: skip
    parser.add_argument("--sizes", type=parse_sizes, default=SCALE_SIZES,
                        help="entries added per scale run, e.g. 1000 (default: 10,300,1000)")  # fmt: skip
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    args.pages = args.pages or public_pages()
    return args


def lighthouse_report(runs: Runs, machine: Machine) -> tuple[str, list[str], list[str]]:
    """The bare and hosted sections; the bare targets missed and the hosted pages below the floor."""
    bare = {page: collapse(r) for page, r in runs[BARE].items()}
    hosted = {page: collapse(r) for page, r in runs[HOSTED].items()}
    floor = collapse(runs[FLOOR]["/"])
    verdicts = {
        page: verdict(h["spreads"]["performance"], floor["spreads"]["performance"],
                      max(machine.loads), machine.cores)
        for page, h in hosted.items()
    }  # fmt: skip
    below = [
        f"{page}: {v.difference:+.2f} against the floor" for page, v in verdicts.items() if v.below
    ]
    scores, missed = table(bare)
    count = min(len(r) for r in runs[BARE].values())
    text = (
        f"{machine_lines(machine)}\n\n"
        f"## The site as built (bare), medians of {count} runs per page\n\n{scores}\n\n"
        f"Performance over the runs:\n\n{spread_table(bare)}\n\n"
        "## On Read the Docs\n\nThe Read the Docs build, served as Read the Docs serves it: "
        "its real readthedocs-addons.js in every page, its Addons API set as the README's "
        "checklist says (tests/fixtures/readthedocs/); the floor is a blank page with the same "
        "script. EthicalAds' own script (media.ethicalads.io) cannot be reached from the bench: "
        "the ad itself is not counted.\n\n"
        f"{hosted_table(hosted, floor, verdicts)}\n\n{RULES}\n"
    )
    return text, missed, below


def main(argv: Sequence[str] | None = None) -> int:
    args = arguments(argv)
    if args.scale:  # the scale section alone, without Lighthouse
        with tempfile.TemporaryDirectory() as tmp:
            clone, _ = cold_build(Path(tmp))
            print(scale_table(scale_times(clone, Path(tmp), args.sizes)))
        return 0
    if not shutil.which("npx") or not Path("/usr/bin/chromium").exists():
        print("nox -s bench needs npm (npx) and Debian's Chromium at /usr/bin/chromium.")
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        speed = machine_speed()
        clone, cold = cold_build(work)
        warm = None if args.skip_build_times else rebuild_times(clone)
        roots = {
            FLOOR: blank_site(work),
            HOSTED: hosted_build(clone),
            BARE: clone / "_build" / "html",
        }
        servers = {site: serve(root, SITE_PATH, host=None if site == BARE else read_the_docs())
                   for site, root in roots.items()}  # fmt: skip
        try:
            runs, machine = measure(
                {site: base for site, (_, base) in servers.items()},
                args.pages,
                args.runs,
                work / "lh.json",
            )
        finally:
            for httpd, _ in servers.values():
                httpd.shutdown()
        scale = None if args.skip_build_times else scale_table(scale_times(clone, work))
    text, missed, below = lighthouse_report(runs, machine)
    report = (
        f"# Benchmark\n\nLighthouse 13 (mobile), gzip from localhost; {args.runs} runs per page "
        "and site, interleaved: floor, hosted page, bare page, then the next page, round after "
        f"round.\n\n{text}\n## Build times\n\n"
    )
    if warm is None:
        report += "Not measured (`--skip-build-times`).\n"
    else:
        times, build_missed = build_lines(cold, warm, speed)
        report += f"{times}\n"
        missed += build_missed
    if scale is not None:
        report += f"\n## Scale\n\nThe same site with made-up papers added to refs.bib (4 projects).\n\n{scale}\n"
    if missed:
        report += "\nMissed targets:\n\n" + "".join(f"- {m}\n" for m in missed)
    if below:
        report += "\nHosted pages below the floor − 0.02:\n\n" + "".join(f"- {b}\n" for b in below)
    out = ROOT / "_build" / "bench.md"
    out.parent.mkdir(exist_ok=True)
    out.write_text(report)
    print(report)
    print(f"Written to {out}")
    return 1 if missed or below else 0


if __name__ == "__main__":
    sys.exit(main())
