"""The engine's documentation (src/docs/) builds strictly and says what the package does.

Its reference pages are made from the package when they are built: every
setting, directive and data field of the engine is on them, and the upgrade
notes are the changelog.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from conftest import REPO

from academic_portfolio import __version__
from academic_portfolio.settings import SETTINGS

pytestmark = pytest.mark.build

DOCS = REPO / "src" / "docs"
PACKAGE = REPO / "src" / "academic_portfolio"


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
