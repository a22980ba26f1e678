"""The engine's documentation (src/docs/) builds strictly and says what the package does.

Its reference pages are made from the package when they are built: every
setting, directive and data field of the engine is on them, and the upgrade
notes are the changelog.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
import sys
from operator import attrgetter

import pytest
from bs4 import BeautifulSoup
from conftest import OTHER_SOURCES, REPO
from sphinx.testing.util import SphinxTestApp

from academic_portfolio import __version__
from academic_portfolio.settings import SETTINGS

pytestmark = pytest.mark.build

DOCS = REPO / "src" / "docs"
PACKAGE = REPO / "src" / "academic_portfolio"
sys.path.insert(0, str(DOCS / "_ext"))
import engine_reference  # noqa: E402  (the documentation's tables, as its conf.py loads them)


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    out = tmp_path_factory.mktemp("engine-docs")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "html", "-n", "-W", "--keep-going", "-q",
         "-d", str(out / ".doctrees"), str(DOCS), str(out)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return lambda page: BeautifulSoup((out / f"{page}.html").read_text("utf-8"), "lxml")


def test_every_setting_is_in_the_settings_table(docs):
    cells = {code.get_text() for code in docs("settings").select("table td:first-child code")}
    assert set(SETTINGS) <= cells


def test_every_directive_the_package_registers_is_on_the_directives_page(docs):
    registered = set()
    for path in PACKAGE.rglob("*.py"):
        registered |= set(re.findall(r'add_directive\("([\w-]+)"', path.read_text("utf-8")))
    assert registered, "the scan finds the package's directives"
    shown = {
        code.get_text().strip("{}") for code in docs("directives").select("td:first-child code")
    }
    assert registered == shown


def test_every_field_of_the_schemas_is_on_the_data_formats_page(docs):
    text = docs("data-formats").get_text()
    for name in ("cv.schema.json", "project.schema.json"):
        schema = json.loads((PACKAGE / "schemas" / name).read_text("utf-8"))
        for field in schema["properties"]:
            assert field in text, (name, field)


def test_the_upgrade_notes_are_the_changelog(docs):
    assert f"{__version__}" in docs("upgrade").get_text()


def test_every_handler_is_in_the_event_table(docs):
    table = docs("architecture").get_text()
    for handler in ("academic_portfolio.data.store.on_builder_inited",
                    "academic_portfolio.weight.purgecss.on_build_finished"):  # fmt: skip
        assert handler in table


def test_the_event_table_is_every_handler_sphinx_calls_in_its_order(tmp_path):
    """The table is made by running each module's setup() against a stand-in;
    a module that another one sets up (data.generated, by papers) was missing
    from it. Compared with the handlers a real Sphinx holds, event by event, in
    the order it calls them: by priority, then as connected."""
    shutil.copytree(OTHER_SOURCES, tmp_path / "src")
    app = SphinxTestApp("dirhtml", srcdir=tmp_path / "src", builddir=tmp_path / "build",
                        status=io.StringIO(), warning=io.StringIO())  # fmt: skip
    try:
        called = [
            (event, listener.priority, engine_reference.qualified(listener.handler))
            for event in engine_reference.EVENT_ORDER
            for listener in sorted(app.events.listeners.get(event, []), key=attrgetter("priority"))
            if listener.handler.__module__.startswith("academic_portfolio")
        ]
        engine_events = {
            event
            for event, listeners in app.events.listeners.items()
            if any(li.handler.__module__.startswith("academic_portfolio") for li in listeners)
        }
    finally:
        app.cleanup()
    assert engine_events <= set(engine_reference.EVENT_ORDER), "an event the table cannot place"
    rows = re.findall(r"^\| `([\w-]+)` \| (\d+) \| `([\w.]+)` \|$",
                      engine_reference.events_table(), re.MULTILINE)  # fmt: skip
    assert [(event, int(priority), handler) for event, priority, handler in rows] == called
