"""The engine writes only inside the build's output folder, whatever a setting says.

Each test builds a private copy of the made-up portfolio (tests/fixtures/
other-portfolio: the rules are the engine's, not the owner's site's) with one
path-like setting made
to point out of the output folder (by ``..``, by an absolute path, through a
symbolic link left in the output folder) and checks that no file outside the
output folder changed: not the sources (``portfolio_cv_pdf =
"../src/_data/cv.yaml"`` once overwrote the CV data with PDF bytes), not a
file elsewhere on the disk. A setting that would write outside stops the
build with a message naming it; a setting the engine only reads from may
point anywhere, but still writes nothing outside.
"""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import NOT_ON_READ_THE_DOCS, OTHER_SOURCES, build

pytestmark = pytest.mark.build

Edit = Callable[[Path, Path, Path], None]  # (sources, output folder, a folder outside)


def snapshot(work: Path, out: Path) -> dict[str, str]:
    """Every file under *work* but the output folder, by path: a hash of its bytes."""
    return {
        path.relative_to(work).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(work.rglob("*"))
        if path.is_file() and not path.is_symlink() and out not in path.parents
    }


def set_in_conf(src: Path, line: str) -> None:
    with (src / "conf.py").open("a", encoding="utf-8") as conf:
        conf.write(f"\n{line}\n")


def build_with(tmp_path: Path, edit: Edit) -> tuple[int, str, dict[str, str], dict[str, str]]:
    """Build a copy edited by *edit*; the exit code, the log and the files
    outside the output folder before and after."""
    src, out, outside = tmp_path / "src", tmp_path / "html", tmp_path / "outside"
    shutil.copytree(OTHER_SOURCES, src)
    outside.mkdir()
    for name in ("victim.txt", "victim.css", "cv.pdf", "sitemap.xml", "refs.bib"):
        (outside / name).write_text(f"a file of someone else's: {name}\n", "utf-8")
    out.mkdir()
    edit(src, out, outside)
    before = snapshot(tmp_path, out)
    result = build(src, out, **NOT_ON_READ_THE_DOCS)
    return result.returncode, result.stdout + result.stderr, before, snapshot(tmp_path, out)


def expect_refused(tmp_path: Path, edit: Edit, setting: str, what: str) -> str:
    code, log, before, after = build_with(tmp_path, edit)
    assert after == before, "a file outside the output folder changed"
    assert code != 0, log
    assert "Traceback" not in log, log
    assert re.search(rf"'{setting}' = .* would write {re.escape(what)}.* outside the build's "
                     r"output folder \(.+\): write a path inside the site", log), log  # fmt: skip
    return log


def expect_link_refused(tmp_path: Path, edit: Edit, name: str) -> str:
    """The build stops where it would write through a symbolic link, naming the file."""
    code, log, before, after = build_with(tmp_path, edit)
    assert after == before, "a file outside the output folder changed"
    assert code != 0 and "Traceback" not in log, log
    assert re.search(rf"ERROR: \S+/html/{re.escape(name)}: the build would write .+ there, "
                     r"but it leads to \S+, outside the output folder \S+ through a symbolic "
                     "link: remove the link", log), log  # fmt: skip
    return log


# -- Settings that say where a file of the site is written --------------------------

ESCAPES = [
    pytest.param(lambda outside: "../src/_data/cv.yaml", "climbs out of the site", id="dotdot"),
    pytest.param(lambda outside: "../../_data/cv.yaml", "climbs out of the site", id="dotdot2"),
    pytest.param(lambda outside: str(outside / "victim.txt"), "absolute path", id="absolute"),
    pytest.param(lambda outside: "", "names no file", id="empty"),
]


@pytest.mark.parametrize(("value", "why"), ESCAPES)
def test_a_cv_pdf_path_out_of_the_output_folder_stops_the_build(tmp_path, value, why):
    def edit(src: Path, out: Path, outside: Path) -> None:
        set_in_conf(src, f"portfolio_cv_pdf = {value(outside)!r}")

    log = expect_refused(tmp_path, edit, "portfolio_cv_pdf", "the CV PDF")
    assert why in log
    assert re.search(r"conf\.py:\d+: ERROR: 'portfolio_cv_pdf'", log), log


@pytest.mark.parametrize(("value", "why"), ESCAPES[:3])
def test_a_purged_style_sheet_out_of_the_output_folder_stops_the_build(tmp_path, value, why):
    def edit(src: Path, out: Path, outside: Path) -> None:
        set_in_conf(src, f"portfolio_purge_css = ['basic.css', {value(outside)!r}]")

    log = expect_refused(tmp_path, edit, "portfolio_purge_css", "a trimmed style sheet")
    assert why in log


def test_a_cv_pdf_path_through_a_symbolic_link_stops_the_build(tmp_path):
    def edit(src: Path, out: Path, outside: Path) -> None:
        (out / "files").symlink_to(outside, target_is_directory=True)
        set_in_conf(src, 'portfolio_cv_pdf = "files/victim.txt"')

    log = expect_link_refused(tmp_path, edit, "files/victim.txt")
    assert "the CV PDF (from 'portfolio_cv_pdf')" in log


def test_a_purged_style_sheet_through_a_symbolic_link_stops_the_build(tmp_path):
    def edit(src: Path, out: Path, outside: Path) -> None:
        (out / "_static").mkdir()
        (out / "_static" / "theirs").symlink_to(outside, target_is_directory=True)
        set_in_conf(src, "portfolio_purge_css = ['basic.css', 'theirs/victim.css']")

    log = expect_link_refused(tmp_path, edit, "_static/theirs/victim.css")
    assert "a trimmed style sheet (from 'portfolio_purge_css')" in log


@pytest.mark.parametrize("name", ["cv.pdf", "sitemap.xml", "refs.bib"])
def test_a_file_of_the_site_linked_out_of_the_output_folder_is_not_written(tmp_path, name):
    """A symbolic link left in the output folder where the engine writes a file
    (from an earlier, hand-made or copied build): the build stops, naming it."""

    def edit(src: Path, out: Path, outside: Path) -> None:
        (out / name).symlink_to(outside / name)

    expect_link_refused(tmp_path, edit, name)


def test_pages_and_sheets_linked_out_of_the_output_folder_are_not_rewritten(tmp_path):
    """The style-sheet trimming rewrites every page and style sheet it finds:
    not those that a symbolic link brings into the output folder."""

    def edit(src: Path, out: Path, outside: Path) -> None:
        (outside / "page.html").write_text(
            '<link rel="stylesheet" href="_static/basic.css?v=12345678">\n', "utf-8"
        )
        (outside / "victim.css").write_text('@import "basic.css";\n', "utf-8")
        (out / "mirror").symlink_to(outside, target_is_directory=True)
        (out / "_static").mkdir()
        (out / "_static" / "theirs.css").symlink_to(outside / "victim.css")

    code, log, before, after = build_with(tmp_path, edit)
    assert code == 0, log
    assert after == before, "a file outside the output folder changed"


# -- Settings the engine reads from: they may point anywhere, nothing is written there --

READ_SETTINGS = [
    pytest.param(lambda outside: 'portfolio_cv_data = "../outside/cv.yaml"', id="cv-data-dotdot"),
    pytest.param(lambda outside: f'portfolio_cv_data = "{outside}/cv.yaml"', id="cv-data-abs"),
    pytest.param(lambda outside: 'portfolio_projects_dir = "../outside"', id="projects-dotdot"),
    pytest.param(lambda outside: f'portfolio_projects_dir = "{outside}"', id="projects-abs"),
    pytest.param(
        lambda outside: 'portfolio_sitemap_files = ["../outside/victim.txt"]',
        id="sitemap-files-dotdot",
    ),
    pytest.param(
        lambda outside: f'portfolio_sitemap_files = ["{outside}/victim.txt"]',
        id="sitemap-files-abs",
    ),
    pytest.param(lambda outside: f'bibtex_bibfiles = ["{outside}/refs.bib"]', id="bibfiles-abs"),
]


@pytest.mark.parametrize("setting", READ_SETTINGS)
def test_settings_read_from_outside_write_nothing_there(tmp_path, setting):
    def edit(src: Path, out: Path, outside: Path) -> None:
        (outside / "cv.yaml").write_bytes((src / "_data" / "cv.yaml").read_bytes())
        (outside / "refs.bib").write_bytes((src / "refs.bib").read_bytes())
        set_in_conf(src, setting(outside))

    _, log, before, after = build_with(tmp_path, edit)
    assert after == before, "a file outside the output folder changed"
    assert "Traceback" not in log, log
