"""Build the site once per test session, in a temporary copy, and read real HTML."""

from __future__ import annotations

import fcntl
import functools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree import ElementTree

import coverage
import pytest
from bs4 import BeautifulSoup

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tools"))

# The tests serve the site and read the URL contract as `nox -s bench` does;
# the test modules import SITE_PATH and public_urls from here.
from bench import SITE_PATH as SITE_PATH  # noqa: E402
from bench import public_urls as public_urls  # noqa: E402
from bench import read_the_docs, serve  # noqa: E402

# The tests read build logs and messages as plain text. A CI that forces colour
# (FORCE_COLOR) would make Sphinx put escape codes between the words they match.
os.environ.pop("FORCE_COLOR", None)
os.environ["NO_COLOR"] = "1"

STRICT = ["-b", "dirhtml", "-n", "-W", "--keep-going", "-q"]
NOT_ON_READ_THE_DOCS = {k: "" for k in ("READTHEDOCS", "READTHEDOCS_CANONICAL_URL")}
SITE_URL = "https://ziqi-zhao.readthedocs.io/en/latest/"  # SITE_URL in conf.py
NOT_SOURCES = shutil.ignore_patterns(
    "_build",
    ".nox",
    ".git",
    ".venv",
    "venv",
    "__pycache__",
    "tests",
    ".ci",
    "*.pyc",
    "node_modules",
    ".mypy_cache",  # tools' caches (nox -s lint), not sources: megabytes to copy and scan
    ".ruff_cache",
    ".import_linter_cache",
)


# -- Tiers: every test is pure, in-process, build or browser ---------------------

# Each test file names its tier (pytestmark); a test that asks for a built site
# is a build test, and one that asks for the browser a browser test, whatever
# its file says. `nox -s quick` runs what is neither (-m "not build and not browser"),
# and so does `nox -s tests` on the lowest Python (noxfile.py).
TIERS = ("pure", "inprocess", "build", "browser")
BUILT_SITES = {
    "site", "other_site", "each_site", "rtd_site", "root_site", "custom_domain_site",
    "broken_site", "build_stops", "stranger_site",
}  # fmt: skip


# -- Two processes: nox -s tests runs pytest -n auto --dist loadgroup ------------

# pytest-xdist gives each process its own session fixtures: a site asked for on
# both would be built twice. So a test is sent to the process that holds what it
# needs (its group): a test that uses a module's fixture with its module (the
# module's build, wheel or rebuilt copy stays in one process), one that reads a
# built site with the other readers of that site; the rest go wherever a process
# is free. A site that two groups ask for is still built once (build_once).
#
# xdist's own loadgroup reads xdist_group marks from a suffix it writes into each
# test's id, which pytest 9.2's structured ids no longer take: it silently stops
# grouping (pytest-dev/pytest-xdist#1386). So the processes write each test's
# group to a file, and --dist loadgroup gets a scheduler that reads it.
GROUPS_FILE = "PORTFOLIO_TEST_GROUPS"  # the environment variable that names it
SESSION_SITES = (
    "rtd_site", "root_site", "custom_domain_site", "other_site", "stress_site", "site",
)  # fmt: skip  # the rarer first: a test reading two goes with the rarer


def sites_used(item: pytest.Item) -> set[str]:
    """The session-built sites a test asks for, by name or through a parameter
    (each_site, test_site_address's `built` and the (site, paper) parameters of
    test_exports and test_zotero ask with getfixturevalue)."""
    names = set(getattr(item, "fixturenames", ()))
    callspec = getattr(item, "callspec", None)
    for value in callspec.params.values() if callspec is not None else ():
        values = value if isinstance(value, tuple) else (value,)
        names.update(name for name in values if isinstance(name, str))
    return names & set(SESSION_SITES)


def uses_a_module_fixture(item: pytest.Item) -> bool:
    info = getattr(item, "_fixtureinfo", None)
    if info is None:
        return False
    return any(definitions[-1].scope == "module" for definitions in info.name2fixturedefs.values())


def process_group(item: pytest.Item) -> str | None:
    """Where the test must run to share a build with others, or None: anywhere."""
    if uses_a_module_fixture(item):
        return item.path.name
    used = sites_used(item)
    return next((name for name in SESSION_SITES if name in used), None)


# `nox -s quick -- --coverage` runs the tier under `coverage run`, which measures
# the controlling process only: each -n worker measures itself, to a file of its
# own that `coverage combine` joins (the Pythons the tests start are not measured).
MEASURE_WORKERS = "PORTFOLIO_MEASURE_WORKERS"
WORKER_COVERAGE = pytest.StashKey[coverage.Coverage]()


def pytest_configure(config: pytest.Config) -> None:
    """In the controlling process of a -n run: where its workers write the groups."""
    if config.getoption("dist", "no") == "loadgroup" and not hasattr(config, "workerinput"):
        folder = Path(tempfile.mkdtemp(prefix="portfolio-test-groups-"))
        os.environ[GROUPS_FILE] = str(folder / "groups.json")  # workers inherit it
    if hasattr(config, "workerinput") and os.environ.get(MEASURE_WORKERS):
        measure = coverage.Coverage(data_suffix=True, config_file=str(REPO / "pyproject.toml"))
        measure.start()
        config.stash[WORKER_COVERAGE] = measure


def pytest_unconfigure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput") and GROUPS_FILE in os.environ:
        shutil.rmtree(Path(os.environ.pop(GROUPS_FILE)).parent, ignore_errors=True)
    if (measure := config.stash.get(WORKER_COVERAGE, None)) is not None:
        measure.stop()
        measure.save()


def write_groups(items: list[pytest.Item]) -> None:
    """Each grouped test's group, for the scheduler; every worker writes the same."""
    target = Path(os.environ[GROUPS_FILE])
    groups = {item.nodeid: group for item in items if (group := process_group(item))}
    partial = target.with_suffix(f".{os.getpid()}")
    partial.write_text(json.dumps(groups), "utf-8")
    partial.replace(target)  # whole or not at all, whichever worker is last


@pytest.hookimpl(optionalhook=True)  # a hook of pytest-xdist: unknown without it
def pytest_xdist_make_scheduler(config: pytest.Config, log):
    if config.getoption("dist") != "loadgroup":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class BuildGroupScheduling(LoadScopeScheduling):
        """A work unit per group (tests/conftest.py), and one per test outside them."""

        groups: dict[str, str] | None = None

        def _split_scope(self, nodeid: str) -> str:
            if self.groups is None:  # read when the workers have collected
                source = Path(os.environ.get(GROUPS_FILE, "/nonexistent"))
                self.groups = json.loads(source.read_text("utf-8")) if source.is_file() else {}
            return self.groups.get(nodeid, nodeid)

    return BuildGroupScheduling(config, log)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if "browser" in fixtures:
            item.add_marker(pytest.mark.browser)
        elif fixtures & BUILT_SITES or sites_used(item):  # a parameter may name the site
            item.add_marker(pytest.mark.build)
        if not any(mark.name in TIERS for mark in item.iter_markers()):
            raise pytest.UsageError(
                f"{item.nodeid} has no tier: give its file a pytestmark of "
                f"pytest.mark.{', .'.join(TIERS)} (see tests/conftest.py)"
            )
    if GROUPS_FILE in os.environ and "PYTEST_XDIST_WORKER" in os.environ:
        write_groups(items)


def build_once(tmp_path_factory, name: str, make: Callable[[Path], str]) -> tuple[Path, str]:
    """A folder in which *make* built something, and the log it returned.

    Alone, a session fixture runs once. Under pytest-xdist each process has its
    own: the first to ask builds in a folder both processes see, under a lock,
    and the other waits for it and reads the same build.
    """
    if "PYTEST_XDIST_WORKER" not in os.environ:
        work = tmp_path_factory.mktemp(name)
        return work, make(work)
    shared = tmp_path_factory.getbasetemp().parent / f"shared-{name}"
    done = shared / "build.log"
    with (shared.parent / f"shared-{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not done.is_file():  # the first, or one before it failed: build
            shutil.rmtree(shared, ignore_errors=True)
            shared.mkdir()
            log = make(shared)
            done.write_text(log, "utf-8")
        return shared, done.read_text("utf-8")


def copy_site(target: Path) -> Path:
    """A private copy of the site's sources, safe to edit and to build."""
    shutil.copytree(REPO, target, ignore=NOT_SOURCES)
    return target


def build(src: Path, out: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """Run the strict build the way `nox -s docs` does; never raises."""
    return subprocess.run(
        [sys.executable, "-m", "sphinx", *STRICT, "-d", str(out / ".doctrees"), str(src), str(out)],
        capture_output=True, text=True, env={**os.environ, **env}, check=False,
    )  # fmt: skip


class Site:
    """A built site: files by public URL, parsed pages, the address it was built for."""

    def __init__(self, root: Path, log: str, base_url: str = SITE_URL):
        self.root = root
        self.log = log
        self.base_url = base_url
        self.path = urlsplit(base_url).path
        self._pages: dict[str, BeautifulSoup] = {}

    def file(self, url: str) -> Path:
        path = self.root / url.lstrip("/")
        return path / "index.html" if url.endswith("/") else path

    def page(self, url: str) -> BeautifulSoup:
        if url not in self._pages:
            self._pages[url] = BeautifulSoup(self.file(url).read_text("utf-8"), "lxml")
        return self._pages[url]

    def html_files(self) -> list[Path]:
        return sorted(self.root.rglob("*.html"))

    def sitemap_urls(self) -> list[str]:
        tree = ElementTree.parse(self.root / "sitemap.xml")
        return [e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]


def built_site(
    tmp_path_factory, name: str, base_url: str = SITE_URL, site_url: str | None = None, **env: str
) -> Site:
    """Build a copy (with *site_url* as conf.py's SITE_URL, if given) for *base_url*."""

    def make(work: Path) -> str:
        src = copy_site(work / "src")
        if site_url is not None:
            replace_in(src / "conf.py", f'SITE_URL = "{SITE_URL}"', f'SITE_URL = "{site_url}"')
        result = build(src, work / "html", **env)
        log = result.stdout + result.stderr
        assert result.returncode == 0, f"the site does not build:\n{log}"
        return log

    work, log = build_once(tmp_path_factory, name, make)
    return Site(work / "html", log, base_url)


def built_fixture(tmp_path_factory, name: str, sources: Path, base_url: str) -> Site:
    """A made-up portfolio of tests/fixtures, built as a local build."""

    def make(work: Path) -> str:
        shutil.copytree(sources, work / "src")
        result = build(work / "src", work / "html", **NOT_ON_READ_THE_DOCS)
        log = result.stdout + result.stderr
        assert result.returncode == 0, f"the portfolio {sources.name} does not build:\n{log}"
        return log

    work, log = build_once(tmp_path_factory, name, make)
    return Site(work / "html", log, base_url)


@pytest.fixture(scope="session")
def distributions(tmp_path_factory) -> tuple[Path, Path]:
    """The engine's wheel and sdist, made once: test_distribution checks them and
    installs the wheel, test_stranger installs the same one as a stranger would."""
    from distribution import build_distributions, distributions_in

    folder, _ = build_once(tmp_path_factory, "dist", build_distributions)
    return distributions_in(folder)


@pytest.fixture(scope="session")
def installed(distributions, tmp_path_factory) -> tuple[Path, Path, dict[str, str]]:
    """The starter's files as the wheel carries them, and a clean environment
    made by its .readthedocs.yaml's install commands against a local index; once:
    test_distribution checks it, test_stranger builds the stranger's site with it."""
    from distribution import index_environment, install_the_starter

    wheel, _ = distributions
    work, _ = build_once(tmp_path_factory, "readthedocs", lambda w: install_the_starter(wheel, w))
    return work / "site", work / "env" / "bin", index_environment(work / "index" / "simple")


# A made-up second portfolio (other fields, entry types and CV sections, a
# name with diacritics): the gates run on it as on the real site.
OTHER_SOURCES = REPO / "tests" / "fixtures" / "other-portfolio"
OTHER_URL = "https://zoe.example.org/en/latest/"  # SITE_URL in its conf.py


def copy_portfolio(target: Path, sources: Path = OTHER_SOURCES) -> Path:
    """A private copy of a made-up portfolio, safe to edit and to build, for
    engine tests that add and remove pages: its list of public addresses is not
    checked (as the owner's conf.py leaves that check to the tests)."""
    shutil.copytree(sources, target)
    with (target / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write("\nportfolio_check_public_urls = False\n")
    return target


def other_site_with_entry(tmp_path_factory, name: str, entry: str, url: str) -> Site:
    """The made-up portfolio with one more refs.bib entry, whose page is *url*:
    a new page is a new public address, and every build checks the list."""
    work = tmp_path_factory.mktemp(name)
    src, out = work / "src", work / "html"
    shutil.copytree(OTHER_SOURCES, src)
    with (src / "refs.bib").open("a", encoding="utf-8") as bib:
        bib.write(entry)
    with (src / "_data" / "public-urls.txt").open("a", encoding="utf-8") as urls:
        urls.write(f"\n{url}\n")
    result = build(src, out, **NOT_ON_READ_THE_DOCS)
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"the portfolio with the entry of {url} does not build:\n{log}"
    return Site(out, log, OTHER_URL)


def contract_urls(source: Path) -> list[str]:
    """A site's public URLs (_data/public-urls.txt), as public_urls() reads the real one's."""
    lines = (
        line.strip() for line in (source / "_data" / "public-urls.txt").read_text().splitlines()
    )
    return [line for line in lines if line and not line.startswith("#")]


@pytest.fixture(scope="session")
def other_site(tmp_path_factory) -> Site:
    return built_fixture(tmp_path_factory, "other", OTHER_SOURCES, OTHER_URL)


# A made-up stress portfolio: the longest name, e-mail address and list of
# profiles the header has to hold (tests/test_layout.py).
STRESS_SOURCES = REPO / "tests" / "fixtures" / "stress-portfolio"


@pytest.fixture(scope="session")
def stress_site(tmp_path_factory) -> Site:
    return built_fixture(
        tmp_path_factory, "stress", STRESS_SOURCES, "https://max.example.org/en/latest/"
    )


@pytest.fixture(scope="session", params=["site", "other_site"])
def each_site(request) -> Site:
    """The real site, then the made-up one: for the gates both must pass."""
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Site:
    env = {k: "" for k in ("READTHEDOCS", "READTHEDOCS_CANONICAL_URL") if k in os.environ}
    return built_site(tmp_path_factory, "site", **env)


@pytest.fixture(scope="session")
def rtd_site(tmp_path_factory) -> Site:
    return built_site(
        tmp_path_factory, "rtd", "https://example.readthedocs.io/en/latest/",
        READTHEDOCS="True",
        READTHEDOCS_CANONICAL_URL="https://example.readthedocs.io/en/latest/",
    )  # fmt: skip


@pytest.fixture(scope="session")
def root_site(tmp_path_factory) -> Site:
    """Built by Read the Docs for its single-version URL scheme: served at /."""
    return built_site(
        tmp_path_factory, "root", "https://example.readthedocs.io/",
        READTHEDOCS="True", READTHEDOCS_CANONICAL_URL="https://example.readthedocs.io/",
    )  # fmt: skip


@pytest.fixture(scope="session")
def custom_domain_site(tmp_path_factory) -> Site:
    """Built locally for a custom domain, its SITE_URL typed without the final "/"."""
    return built_site(
        tmp_path_factory, "custom-domain", "https://ziqi.example.org/",
        site_url="https://ziqi.example.org", **NOT_ON_READ_THE_DOCS,
    )  # fmt: skip


# The smallest made-up portfolio (tests/test_data_layer.py builds it in process):
# two projects, two papers, a short CV and some of the engine's extensions.
SMALL_SOURCES = REPO / "tests" / "fixtures" / "small-site"


@pytest.fixture
def broken_site(tmp_path):
    """A fresh copy of a made-up portfolio to break (the other portfolio, or
    *sources*); call it with edits, get the build's output. Engine tests break
    these, not the owner's site, whose facts are not what they test."""

    def run(edit, sources: Path = OTHER_SOURCES) -> tuple[int, str, Path]:
        src = tmp_path / "src"
        shutil.copytree(sources, src)
        edit(src)
        result = build(src, tmp_path / "html", **NOT_ON_READ_THE_DOCS)
        return result.returncode, result.stdout + result.stderr, src

    return run


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} is not in {path}: the test no longer edits anything"
    path.write_text(text.replace(old, new), "utf-8")


@pytest.fixture
def build_stops(broken_site):
    """Edit one file of a copy; the build must fail with *expected*, no traceback."""

    def check(
        relative: str, change: tuple[str, str], expected: str, sources: Path = OTHER_SOURCES
    ) -> str:
        code, log, _ = broken_site(lambda src: replace_in(src / relative, *change), sources)
        assert code != 0, log
        assert re.search(expected, log), log
        assert "Traceback" not in log
        return log

    return check


# -- Serving the built site, and a real browser ----------------------------------

# Debian's Chromium; PORTFOLIO_CHROMIUM points elsewhere (or nowhere, to see the skip).
CHROMIUM = Path(os.environ.get("PORTFOLIO_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]  # fmt: skip


def missing(reason: str):
    """Skip loudly on a developer's machine; fail under CI, which must have it all."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI must install it: see .ci/run)")
    pytest.skip(f"NOT RUN: {reason}")


@pytest.fixture(scope="session")
def server(site):
    """The built site over HTTP at SITE_PATH (gzip, and its 404 page), as bench serves it."""
    httpd, base = serve(site.root)
    yield base
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def other_server(other_site):
    httpd, base = serve(other_site.root)
    yield base
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def stress_server(stress_site):
    httpd, base = serve(stress_site.root)
    yield base
    httpd.shutdown()


@pytest.fixture(scope="session")
def hosted_server(rtd_site):
    """The Read the Docs build as Read the Docs serves it: its addons script in
    every page, its Addons API answering as the checklist of src/docs/hosting.md leaves it."""
    httpd, base = serve(rtd_site.root, rtd_site.path, host=read_the_docs())
    yield base
    httpd.shutdown()
    httpd.server_close()


# axe-core's options as axe_playwright_python's Axe.run gives them.
AXE_RUN = f"axe.run({json.dumps({'resultTypes': ['violations']})})"


@functools.cache
def axe_source() -> str:
    from axe_playwright_python.sync_playwright import Axe

    return Axe().axe_script


def with_axe(context) -> None:
    """axe-core in every page the context opens: sent to the browser once, not
    its 550 kB with each page (Axe.run evaluates it anew in every page)."""
    context.add_init_script(axe_source())


def axe_violations(page, url: str) -> list[str]:
    """What axe-core finds on the page as it is now, one line per violation."""
    if not page.evaluate("typeof axe === 'object'"):  # a context without with_axe
        page.evaluate(axe_source())
    return [
        f"{url}: {v['id']} ({v['impact']}): {[node['target'] for node in v['nodes']][:3]}"
        for v in page.evaluate(AXE_RUN)["violations"]
    ]


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("Playwright is not installed")
    if not CHROMIUM.exists():
        missing(f"no browser at {CHROMIUM}: apt-get install chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
