"""The starter any researcher copies (``nox -s new -- DIR``), and cv.yaml's format version."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import REPO, build

# Pure: a test whose fixtures build a site is marked build by conftest.py.
pytestmark = pytest.mark.pure


ENGINE_SRC = REPO / "src"


def new(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ENGINE_SRC)}
    return subprocess.run([sys.executable, "-m", "academic_portfolio", "new", *args],
                          capture_output=True, text=True, env=env, check=False)  # fmt: skip


@pytest.fixture(scope="module")
def starter(tmp_path_factory) -> tuple[Path, Path, str]:
    """A new site from the starter, with a name the placeholders do not have, built strictly."""
    site = tmp_path_factory.mktemp("starter") / "my-site"
    made = new(str(site), "--name", "Zoë Ñúñez-Łukasiewicz")
    assert made.returncode == 0, made.stderr
    result = build(site, site / "_build" / "html")
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"the starter does not build strictly:\n{log}"
    return site, site / "_build" / "html", log


@pytest.mark.build
def test_the_starter_builds_strictly_with_every_public_page(starter):
    site, html, _ = starter
    urls = [line for line in (site / "_data" / "public-urls.txt").read_text().splitlines()
            if line and not line.startswith("#")]  # fmt: skip
    assert "/research/example-project/" in urls
    for url in urls:
        path = html / url.lstrip("/")
        assert (path / "index.html" if url.endswith("/") else path).is_file(), url


@pytest.mark.build
def test_the_name_fills_every_placeholder(starter):
    site, html, _ = starter
    home = (html / "index.html").read_text("utf-8")
    assert "<h1>Zoë Ñúñez-Łukasiewicz" in home
    assert "Ada Example" not in home
    assert "Ñúñez-Łukasiewicz, Zoë" in (site / "conf.py").read_text("utf-8")
    assert "https://zoe-nunez-ukasiewicz.readthedocs.io/" in (site / "conf.py").read_text("utf-8")


@pytest.mark.build
def test_the_engine_requirement_points_at_this_checkout_or_the_given_one(starter, tmp_path):
    site, _, _ = starter
    assert (
        f"sphinx-academic-portfolio @ {ENGINE_SRC.as_uri()}"
        in (site / "pyproject.toml").read_text()
    )
    spec = "sphinx-academic-portfolio @ git+https://example.org/me/site.git@v1.0.0#subdirectory=src"
    assert new(str(tmp_path / "other"), "--engine", spec).returncode == 0
    assert f'"{spec}"' in (tmp_path / "other" / "pyproject.toml").read_text()


def test_a_placeholder_is_never_a_real_address():
    """Every address of the starter is example.org's or example.com's (or Read the Docs' placeholder)."""
    import re

    for path in (ENGINE_SRC / "academic_portfolio" / "starter").rglob("*"):
        if path.is_file():
            for url in re.findall(r"https?://[^\s\"'<>)]+", path.read_text("utf-8")):
                host = url.split("/")[2]
                assert host.endswith(("example.org", "example.com", "127.0.0.1:8000",
                                      "ada-example.readthedocs.io", "app.readthedocs.org",
                                      "github.com", "www.w3.org")), (path, url)  # fmt: skip
                assert host != "github.com" or "/OWNER/REPO" in url, (path, url)


def test_the_starters_readthedocs_yaml_passes_the_official_schema():
    import yaml
    from test_foundation import schema_errors

    starter = ENGINE_SRC / "academic_portfolio" / "starter"
    config = yaml.safe_load((starter / ".readthedocs.yaml").read_text())
    assert schema_errors(config) == []
    assert "pip install --group docs" in config["build"]["jobs"]["install"]


def test_new_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = new(str(tmp_path))
    assert result.returncode == 1
    assert f"{tmp_path} is not an empty folder" in result.stderr
    assert "nothing is ever overwritten" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]

    assert not (tmp_path / "site").exists()


# -- cv.yaml's format version -----------------------------------------------------

V2_PROFILES = """  profiles:
    - name: GitHub
      url: https://github.com/RobertFlame
    - name: Google Scholar
      url: https://scholar.google.com/citations?user=cLDqm1AAAAAJ"""
V1_PROFILES = """  github: https://github.com/RobertFlame
  scholar: https://scholar.google.com/citations?user=cLDqm1AAAAAJ"""


def test_a_version_1_cv_says_what_to_change(broken_site):
    def to_version_1(src: Path) -> None:
        path = src / "_data" / "cv.yaml"
        text = path.read_text("utf-8")
        assert "version: 2\n" in text and V2_PROFILES in text
        path.write_text(text.replace("version: 2\n", "").replace(V2_PROFILES, V1_PROFILES))

    code, log, _ = broken_site(to_version_1)
    assert code != 0 and "Traceback" not in log
    assert (
        "_data/cv.yaml:1: ERROR: this cv.yaml is in the format of version 1 (no 'version' line, "
        in log
    )
    assert "write version: 2 at the top of the file, and make the change below." in log
    assert (
        "_data/cv.yaml:16: ERROR: person.github and person.scholar: version 2 lists the owner's "
        in log
    )
    assert ("replace these lines with\n  profiles:\n    - name: GitHub\n"
            "      url: https://github.com/RobertFlame\n    - name: Google Scholar\n") in log  # fmt: skip


def test_a_cv_for_a_newer_engine_says_upgrade(build_stops):
    build_stops("_data/cv.yaml", ("version: 2\n", "version: 3\n"),
                r"_data/cv\.yaml:8: ERROR: version: 3: this file is written for a newer "
                r"sphinx-academic-portfolio .* reads cv\.yaml version 2: upgrade sphinx-academic-portfolio")  # fmt: skip


def test_a_cv_with_a_wrong_version_says_the_right_one(build_stops):
    build_stops("_data/cv.yaml", ("version: 2\n", "version: two\n"),
                r"_data/cv\.yaml:8: ERROR: version: 'two' is not a format version of cv\.yaml: "
                r"write version: 2")  # fmt: skip


def test_new_runs_before_anything_is_installed(tmp_path):
    """The README's first step runs on a bare Python: importing the package
    imported Sphinx, which a new user does not have yet."""
    site = tmp_path / "bare"
    done = subprocess.run(
        [sys.executable, "-S", "-m", "academic_portfolio", "new", str(site)],  # -S: no site-packages
        capture_output=True, text=True, check=False,
        env={"PYTHONPATH": str(ENGINE_SRC), "PATH": os.environ.get("PATH", "")},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert (site / "conf.py").is_file()


@pytest.mark.parametrize("name", ["Ann: Lee", "*Ann Lee", "Ann Lee #1", 'Ann "A" Lee', "Ann {Lee}"])
def test_a_name_that_would_change_the_files_meaning_is_refused(tmp_path, name):
    """A colon, a "#" or a "*" written into cv.yaml made a site that did not
    build, or silently shortened the name."""
    done = new(str(tmp_path / "site"), "--name", name)
    assert done.returncode == 2
    assert "write the name in letters, spaces, hyphens, apostrophes and full stops" in done.stderr
    assert not (tmp_path / "site").exists()
