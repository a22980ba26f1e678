"""Every setting declared once, every extension honest about its version and parallel safety.

academic_portfolio.settings is the one place a setting's default, rebuild
scope, type and meaning are written: the feature modules declare their
``portfolio_*`` settings from it and the defaults module applies the others.
A parallel build (``-j 2``) writes the same site as a serial one, byte for byte.
"""

from __future__ import annotations

import filecmp
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NOT_ON_READ_THE_DOCS, OTHER_SOURCES, REPO
from sphinx.testing.util import SphinxTestApp

from academic_portfolio import __version__
from academic_portfolio.papers.bibtex import BIB_DOWNLOAD, CSL_DOWNLOAD, RIS_DOWNLOAD
from academic_portfolio.settings import (
    ADDED_TO,
    ENGINE,
    ENGINE_SETTINGS,
    OTHER_SETTINGS,
    SETTINGS,
    settings_table,
)

# Small made-up sites, built in this process.
pytestmark = pytest.mark.inprocess

PACKAGE = REPO / "src" / "academic_portfolio"


@pytest.fixture(scope="module")
def app(tmp_path_factory) -> SphinxTestApp:
    """The made-up portfolio's app (the whole engine), set up, not built."""
    root = tmp_path_factory.mktemp("settings")
    shutil.copytree(OTHER_SOURCES, root / "src")
    app = SphinxTestApp("dirhtml", srcdir=root / "src", builddir=root / "build",
                        status=io.StringIO(), warning=io.StringIO())  # fmt: skip
    yield app
    app.cleanup()


def test_only_the_settings_module_declares_settings():
    """A default or a rebuild scope written in a second place drifts (it did: two did)."""
    declaring = sorted(
        path.relative_to(PACKAGE).as_posix()
        for path in PACKAGE.rglob("*.py")
        if "add_config_value(" in path.read_text("utf-8")
    )
    assert declaring == ["settings.py"]


def test_every_setting_the_engine_sets_is_in_the_declaration():
    """pages.freshness set sphinx-last-updated-by-git's time zone in its setup():
    a value written nowhere in the declaration, and one conf.py could not change."""
    assigned = {
        (path.relative_to(PACKAGE).as_posix(), name)
        for path in PACKAGE.rglob("*.py")
        for name in re.findall(r"\bconfig\.(\w+) = ", path.read_text("utf-8"))
    }
    assert assigned, "the scan finds the settings the defaults module adds to"
    assert {(path, name) for path, name in assigned if name not in {*SETTINGS, *ADDED_TO}} == set()


def test_a_setting_of_another_package_the_site_writes_wins_over_the_engines(tmp_path):
    shutil.copytree(OTHER_SOURCES, tmp_path / "src")
    app = SphinxTestApp("dirhtml", srcdir=tmp_path / "src", builddir=tmp_path / "build",
                        confoverrides={"git_last_updated_timezone": "Europe/Zurich"},
                        status=io.StringIO(), warning=io.StringIO())  # fmt: skip
    try:
        # The package reads the name into a time zone object at config-inited.
        assert str(app.config.git_last_updated_timezone) == "Europe/Zurich"
    finally:
        app.cleanup()


def test_every_portfolio_setting_is_declared_as_written_in_the_settings_module(app):
    declared = {name for name in app.config.values if name.startswith("portfolio_")}
    assert declared == {s.name for s in ENGINE_SETTINGS}
    for setting in ENGINE_SETTINGS:
        option = app.config.values[setting.name]
        assert option.default is setting.default, setting.name
        assert option.rebuild == setting.rebuild, setting.name
        assert tuple(option.valid_types) == setting.types, setting.name
        assert option.description == setting.doc, setting.name


def test_another_packages_setting_has_its_rebuild_scope_as_declared_by_it(app):
    """The table says when a change rebuilds; the package that declares it decides."""
    wrong = {
        s.name: (s.rebuild, app.config.values[s.name].rebuild)
        for s in OTHER_SETTINGS
        if app.config.values[s.name].rebuild != s.rebuild
    }
    assert wrong == {}, "written here, declared by the package"


def test_the_engine_gives_its_defaults_to_a_site_that_does_not_write_them(app):
    """The made-up portfolio writes none of these: each has the declared value."""
    conf = (OTHER_SOURCES / "conf.py").read_text("utf-8")
    for setting in [*ENGINE_SETTINGS, *OTHER_SETTINGS]:
        if re.search(rf"^{setting.name}\s*=", conf, re.MULTILINE):
            continue
        value, default = app.config[setting.name], setting.value(app.config)
        if isinstance(value, tuple):  # a list setting may come back from Sphinx as a tuple
            value = list(value)
        if isinstance(default, str) and not isinstance(value, str):  # a package read it:
            value = str(value)  # sphinx-last-updated-by-git makes its time zone an object
        assert value == default, setting.name


def test_the_sitemap_lists_the_files_the_engine_writes_by_default(app):
    assert app.config.portfolio_sitemap_files == [
        app.config.portfolio_cv_pdf,
        BIB_DOWNLOAD,
        RIS_DOWNLOAD,
        CSL_DOWNLOAD,
    ]


def test_each_setting_has_one_sentence_and_a_known_declaring_package():
    for setting in SETTINGS.values():
        assert setting.doc.endswith(".") and setting.doc[0].isupper(), setting.name
        assert setting.declared_by in {ENGINE, "sphinx", "myst-parser", "sphinxcontrib-bibtex",
                                       "sphinxext-opengraph", "sphinx-notfound-page",
                                       "sphinx-last-updated-by-git"}  # fmt: skip


def test_the_settings_table_has_a_row_per_setting_with_its_default():
    table = settings_table(ENGINE_SETTINGS)
    for setting in ENGINE_SETTINGS:
        row = next(line for line in table.splitlines() if line.startswith(f"| `{setting.name}`"))
        assert setting.default_text().replace("|", "\\|") in row
        assert setting.doc in row


def test_every_extension_of_the_engine_gives_the_packages_version(app):
    ours = {name: ext for name, ext in app.extensions.items() if name.startswith("academic_")}
    assert len(ours) > 10
    assert {name: ext.version for name, ext in ours.items()} == dict.fromkeys(ours, __version__)
    for name, ext in ours.items():
        assert ext.parallel_read_safe is True, name
        assert ext.parallel_write_safe is True, name


def strict_build(src: Path, out: Path, jobs: int) -> str:
    """Build; the log (not quiet: Sphinx names the chunks of pages its workers take)."""
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-b", "dirhtml", "-n", "-W", "--keep-going",
         "-j", str(jobs), "-d", str(out.parent / f"doctrees-{jobs}"), str(src), str(out)],
        capture_output=True, text=True, check=False,
        # Python's warnings shown: a deprecated API the engine uses would be named here.
        env={**os.environ, **NOT_ON_READ_THE_DOCS, "PYTHONWARNINGS": "default"},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def differing_files(left: Path, right: Path) -> list[str]:
    """Files that are in one tree only, or whose bytes differ (.buildinfo aside)."""
    names = {p.relative_to(left).as_posix() for p in left.rglob("*") if p.is_file()}
    names |= {p.relative_to(right).as_posix() for p in right.rglob("*") if p.is_file()}
    names.discard(".buildinfo")
    return sorted(
        name
        for name in names
        if not (left / name).is_file()
        or not (right / name).is_file()
        or not filecmp.cmp(left / name, right / name, shallow=False)
    )


@pytest.mark.build
def test_a_second_build_with_no_change_sees_the_same_settings_and_reads_no_page(tmp_path):
    """The theme and sphinx-design add a folder each to templates_path and
    html_static_path after Sphinx has compared the settings with the last
    build's: every rebuild said the configuration had changed."""
    src = tmp_path / "src"
    shutil.copytree(OTHER_SOURCES, src)
    strict_build(src, tmp_path / "html", jobs=1)
    log = strict_build(src, tmp_path / "html", jobs=1)
    assert "configuration has changed" not in log, log
    assert "updating environment: 0 added, 0 changed, 0 removed" in log, log
    assert "no targets are out of date" in log, log


@pytest.mark.build  # two sphinx-build runs of the whole made-up portfolio
def test_a_parallel_build_writes_the_same_site_as_a_serial_one(tmp_path):
    """The extensions say they are safe to read and write in parallel: shown,
    on the made-up portfolio (more than the five pages Sphinx reads in parallel).
    The serial build, of every module, uses no API Python warns about."""
    src = tmp_path / "src"
    shutil.copytree(OTHER_SOURCES, src)
    serial = strict_build(src, tmp_path / "serial", jobs=1)
    deprecated = [line for line in serial.splitlines() if "Warning:" in line]
    assert not [line for line in deprecated if "/academic_portfolio/" in line], deprecated
    log = strict_build(src, tmp_path / "parallel", jobs=2)
    for step in ("reading sources", "writing output"):  # "[ 50%] cv .. publications/x"
        assert re.search(rf"{step}\.\.\. \[ *\d+%\] \S+ \.\. ", log), f"no parallel {step}"
    assert differing_files(tmp_path / "serial", tmp_path / "parallel") == []
