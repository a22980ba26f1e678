"""The starter any researcher copies (``nox -s new -- DIR``), and cv.yaml's format version."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import REPO, SMALL_SOURCES, build
from pypdf import PdfReader

from academic_portfolio import __version__

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
    assert "https://zoe-nunez-lukasiewicz.readthedocs.io/" in (site / "conf.py").read_text("utf-8")


@pytest.mark.build
def test_the_starter_requires_the_engine_by_name_and_pins_this_release(starter):
    """Read the Docs installs the engine from the index: by name, this release's
    compatible range; the lock pins this very release."""
    site, _, _ = starter
    major_minor = ".".join(__version__.split(".")[:2])
    groups = tomllib.loads((site / "pyproject.toml").read_text())["dependency-groups"]
    assert groups["docs"] == [f"sphinx-academic-portfolio ~= {major_minor}"]
    assert f'"sphinx-academic-portfolio ~= {major_minor}"' in (site / "noxfile.py").read_text()
    lock = (site / "constraints.txt").read_text().splitlines()
    assert f"sphinx-academic-portfolio=={__version__}" in lock


def test_the_lock_of_a_clone_resolves_the_engine_from_its_source_at_its_version():
    """`nox -s lock` in the engine's repository resolves the starter's groups with
    the engine taken from src/, once, and pins the starter's lock at src/'s
    version; a site made from the starter names the engine by its release."""
    from academic_portfolio import sessions

    starter = ENGINE_SRC / "academic_portfolio" / "starter"
    from_clone = sessions.all_requirements(sessions.Site(starter, ENGINE_SRC))
    assert from_clone[0] == f"sphinx-academic-portfolio @ {ENGINE_SRC.as_uri()}"
    assert [sessions.requirement_name(r) for r in from_clone].count(
        "sphinx-academic-portfolio"
    ) == 1
    assert "sphinx-autobuild>=2025.8" in from_clone  # the live group's
    by_name = sessions.all_requirements(sessions.Site(starter))
    assert sessions.requirement_name(by_name[0]) == "sphinx-academic-portfolio"
    assert "~=" in by_name[0] and "@" not in by_name[0]
    assert sessions.engine_version(ENGINE_SRC) == __version__
    assert (
        sessions.requirement_name("Sphinx_Academic.Portfolio~=1.2") == "sphinx-academic-portfolio"
    )


def test_engine_gives_a_fork_or_a_local_copy_and_unpins_the_release(tmp_path):
    spec = "sphinx-academic-portfolio @ git+https://example.org/me/site.git@v1.0.0#subdirectory=src"
    assert new(str(tmp_path / "other"), "--engine", spec).returncode == 0
    site = tmp_path / "other"
    assert f'"{spec}"' in (site / "pyproject.toml").read_text()
    assert f'"{spec}"' in (site / "noxfile.py").read_text()  # nox installs it for the sessions
    lock = (site / "constraints.txt").read_text()
    assert "sphinx-academic-portfolio==" not in lock
    assert f"# sphinx-academic-portfolio: from {spec} (run nox -s lock to pin it)" in lock


@pytest.mark.parametrize(
    "spec", ["./src", "other-package ~= 1.0", 'sphinx-academic-portfolio @ file:///a"b']
)
def test_an_engine_that_is_not_a_requirement_of_the_engine_is_refused(tmp_path, spec):
    done = new(str(tmp_path / "site"), "--engine", spec)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert "give a requirement of sphinx-academic-portfolio in pip's syntax" in done.stderr
    assert not (tmp_path / "site").exists()


def test_the_starters_lock_agrees_with_this_sites(starter):
    """One resolution: the starter's pins are this site's (the engine's own pin aside)."""
    site, _, _ = starter
    ours = pins(REPO / "constraints.txt")
    theirs = pins(site / "constraints.txt")
    theirs.pop("sphinx-academic-portfolio")
    assert theirs and all(ours[name] == line for name, line in theirs.items()), (
        "the starter's constraints.txt is older than this site's: run nox -s lock"
    )


def pins(lock: Path) -> dict[str, str]:
    lines = [line for line in lock.read_text().splitlines() if line and not line.startswith("#")]
    return {line.split("==")[0]: line for line in lines}


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
    assert "pip install -c constraints.txt --group docs" in config["build"]["jobs"]["install"]


def test_new_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    result = new(str(tmp_path))
    assert result.returncode == 1
    assert f"{tmp_path} is not an empty folder" in result.stderr
    assert "nothing is ever overwritten" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]

    assert not (tmp_path / "site").exists()


# -- cv.yaml's format version -----------------------------------------------------

# The made-up small site's profiles (tests/fixtures/small-site), in each version.
V2_PROFILES = """  profiles:
    - name: GitHub
      url: https://github.com/example
    - name: Google Scholar
      url: https://scholar.google.com/citations?user=example"""
V1_PROFILES = """  github: https://github.com/example
  scholar: https://scholar.google.com/citations?user=example"""


def test_a_version_1_cv_says_what_to_change(broken_site):
    def to_version_1(src: Path) -> None:
        path = src / "_data" / "cv.yaml"
        text = path.read_text("utf-8")
        assert "version: 2\n" in text and V2_PROFILES in text
        path.write_text(text.replace("version: 2\n", "").replace(V2_PROFILES, V1_PROFILES))

    code, log, src = broken_site(to_version_1, SMALL_SOURCES)
    lines = (src / "_data" / "cv.yaml").read_text("utf-8").splitlines()
    github = lines.index(V1_PROFILES.splitlines()[0])  # where person.github now is
    assert code != 0 and "Traceback" not in log
    assert (
        "_data/cv.yaml:1: ERROR: this cv.yaml is in the format of version 1 (no 'version' line, "
        in log
    )
    assert "write version: 2 at the top of the file, and make the change below." in log
    assert (
        f"_data/cv.yaml:{github + 1}: ERROR: person.github and person.scholar: version 2 lists the owner's "
        in log
    )
    assert ("replace these lines with\n  profiles:\n    - name: GitHub\n"
            "      url: https://github.com/example\n    - name: Google Scholar\n") in log  # fmt: skip


def test_a_cv_for_a_newer_engine_says_upgrade(build_stops):
    build_stops("_data/cv.yaml", ("version: 2\n", "version: 3\n"),  # line 1 of the small site's
                r"_data/cv\.yaml:1: ERROR: version: 3: this file is written for a newer "
                r"sphinx-academic-portfolio .* reads cv\.yaml version 2: upgrade sphinx-academic-portfolio",
                SMALL_SOURCES)  # fmt: skip


def test_a_cv_with_a_wrong_version_says_the_right_one(build_stops):
    build_stops("_data/cv.yaml", ("version: 2\n", "version: two\n"),
                r"_data/cv\.yaml:1: ERROR: version: 'two' is not a format version of cv\.yaml: "
                r"write version: 2", SMALL_SOURCES)  # fmt: skip


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


def test_the_starters_noxfile_has_the_engines_sessions(tmp_path):
    """The starter had its own poorer sessions (no linkcheck, clean or live, a
    server at "/" while its 404 page linked to /en/latest/): it has the engine's."""
    site = tmp_path / "site"
    assert new(str(site)).returncode == 0
    noxfile = (site / "noxfile.py").read_text()
    assert "from academic_portfolio import sessions\n\nsessions.define(__file__)\n" in noxfile
    # NOX_SCRIPT_MODE=none: the engine is src/ here, not installed from the header.
    env = {**os.environ, "PYTHONPATH": str(ENGINE_SRC), "NOX_SCRIPT_MODE": "none"}
    listed = subprocess.run([sys.executable, "-m", "nox", "-l"], cwd=site, env=env,
                            capture_output=True, text=True, check=False)  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    names = re.findall(r"^[*-] (\w+) ->", listed.stdout, re.M)
    assert names == ["docs", "serve", "live", "linkcheck", "refs", "lock", "clean"]


# -- new --from: a CV written for JSON Resume or RenderCV ----------------------------

RESUMES = REPO / "tests" / "fixtures" / "resumes"
JSON_RESUME = RESUMES / "jsonresume-sample.resume.json"  # jsonresume/resume-schema's sample
RENDERCV = RESUMES / "rendercv-John_Doe_ClassicTheme_CV.yaml"  # rendercv's example
MONTH_OF_A_DATE = re.compile(r"^([0-9]{4}-[0-9]{2})-[0-9]{2}$")


def leaves(value, path=""):
    """Every (path, text) of a parsed JSON or YAML document."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, f"{path}[{index}]")
    elif value is not None and str(value).strip():
        yield path, " ".join(str(value).split())


def placed_or_reported(source: dict, site: Path, report: str, skip: tuple[str, ...]) -> list[str]:
    """The source's values found neither in the new cv.yaml nor in the printed report."""
    import yaml

    cv = yaml.safe_load((site / "_data" / "cv.yaml").read_text("utf-8"))
    haystack = " ".join(text for _, text in leaves(cv)) + " " + " ".join(report.split())
    missing = []
    for path, text in leaves(source):
        month = MONTH_OF_A_DATE.match(text)
        wanted = month.group(1) if month and path.endswith(("Date", "date")) else text[:40]
        if not path.startswith(skip) and wanted not in haystack:
            missing.append(f"{path}: {text}")
    return missing


def test_new_from_a_json_resume_places_each_value_or_reports_it(tmp_path):
    site = tmp_path / "site"
    done = new(str(site), "--from", str(JSON_RESUME))
    assert done.returncode == 0, done.stderr
    source = json.loads(JSON_RESUME.read_text("utf-8"))
    # Nothing silently dropped: each value is in cv.yaml or in the report.
    skip = (
        ".$schema",
        ".meta",
        ".basics.phone",
        ".basics.location",  # reported as fields
        ".publications",
        ".projects",
        ".references",
    )  # reported as entries, below
    assert placed_or_reported(source, site, done.stdout, skip) == []
    assert (
        "basics.phone: left out on purpose: the site never publishes a phone number" in done.stdout
    )
    assert "(912) 555-4321" not in (site / "_data" / "cv.yaml").read_text("utf-8")
    for reported in ("publications[1] (Video compression for 3d media): papers are refs.bib",
                     "projects[1] (Miss Direction): a research project is a page of its own",
                     "references[1] (Erlich Bachman): the site publishes no references",
                     "_data/cv.yaml education[1].place: the city"):  # fmt: skip
        assert reported in done.stdout, reported
    cv = (site / "_data" / "cv.yaml").read_text("utf-8")
    assert "Richard Hendriks" in (site / "conf.py").read_text("utf-8")
    assert "start: 2011-06" in cv and "level: Native speaker" in cv


def test_new_from_a_rendercv_file_builds_strictly_with_its_sections(tmp_path):
    import yaml
    from test_phone import ANY_PHONE

    site = tmp_path / "site"
    done = new(str(site), "--from", str(RENDERCV))
    assert done.returncode == 0, done.stderr
    source = yaml.safe_load(RENDERCV.read_text("utf-8"))
    skip = (
        ".design",
        ".locale",
        ".settings",
        ".cv.sections.publications",
        ".cv.sections.projects",
        ".cv.social_networks",
    )  # reported whole; networks as URLs
    assert placed_or_reported(source, site, done.stdout, skip) == []
    assert "cv.sections.publications (4 entries): papers are refs.bib entries" in done.stdout
    assert "_data/cv.yaml person.headline: a one-line headline" in done.stdout
    result = build(site, site / "_build" / "html")
    log = result.stdout + result.stderr
    assert result.returncode == 0, f"the imported site does not build strictly:\n{log}"
    html = site / "_build" / "html"
    page = " ".join(BeautifulSoup((html / "cv" / "index.html").read_text("utf-8"), "lxml")
                    .find("article").get_text(" ").split())  # fmt: skip
    pdf = " ".join(" ".join(p.extract_text() for p in PdfReader(html / "cv.pdf").pages).split())
    for text in (page, pdf):
        assert "Jun 2023 – present" in text  # RenderCV's open end
        assert "MIT Technology Review 35 Under 35 Innovators (2024)" in text  # its own section
        assert "https://github.com/rendercv" in (html / "index.html").read_text("utf-8")
        assert not ANY_PHONE.search(text)
    assert "SELECTED HONORS" in pdf


def test_a_rendercv_file_read_in_process_gives_its_profiles_and_never_its_phone(tmp_path):
    """What `new --from` writes, read in the test's own process (the tests above
    run `new` in a Python of its own): usernames become addresses, the phone is
    never written, and what cv.yaml requires but the file lacks is to fill in."""
    import yaml

    from academic_portfolio.data.resumes import (
        ResumeError,
        cv_page_sections,
        cv_yaml_text,
        read_resume,
    )

    source = tmp_path / "cv.yaml"  # the example, with a (made-up) phone number
    source.write_text(RENDERCV.read_text("utf-8").replace("  phone:", "  phone: +1 415 555 0100"))
    assert yaml.safe_load(source.read_text("utf-8"))["cv"]["phone"] == "+1 415 555 0100"
    imported = read_resume(source)
    written = cv_yaml_text(imported, source)
    assert yaml.safe_load(written) == imported.cv  # the file says what was read
    profiles = {p["name"]: p["url"] for p in imported.cv["person"]["profiles"]}
    assert profiles["GitHub"] == "https://github.com/rendercv"
    assert "555 0100" not in written and "phone" not in written
    assert "person.headline: a one-line headline" in imported.report()
    assert "## Experience\n\n```{cv-section} experience\n```" in cv_page_sections(imported.cv)
    neither = tmp_path / "resume.json"
    neither.write_text('{"name": "x"}', "utf-8")
    with pytest.raises(ResumeError, match="neither a JSON Resume"):
        read_resume(neither)


@pytest.mark.parametrize(
    ("content", "suffix", "expected"),
    [
        (
            '{"name": "x"}',
            ".json",
            "neither a JSON Resume (a 'basics' object at the top) nor a RenderCV file",
        ),
        ("cv:\n  name: [unclosed\n", ".yaml", "not valid YAML"),
    ],
)
def test_new_from_a_file_it_cannot_read_makes_no_site(tmp_path, content, suffix, expected):
    source = tmp_path / f"resume{suffix}"
    source.write_text(content, "utf-8")
    done = new(str(tmp_path / "site"), "--from", str(source))
    assert done.returncode == 2 and expected in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "site").exists()


def test_nox_without_uv_says_nothing_about_uv(tmp_path):
    """A newcomer's nox (pipx run nox, no uv) printed "uv binary not found." on every run."""
    import shutil

    site = tmp_path / "site"
    assert new(str(site)).returncode == 0
    path = os.pathsep.join([str(Path(sys.executable).parent), "/usr/bin", "/bin"])
    if shutil.which("uv", path=path):
        pytest.skip("uv is on the test's PATH: nox would find it and say nothing")
    done = subprocess.run(
        [sys.executable, "-m", "nox", "-s", "serve", "--", "--help"],  # no environment made
        cwd=site, capture_output=True, text=True, check=False, env={**os.environ, "PATH": path},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "nox > Running session serve" in done.stderr
    assert "uv binary not found" not in done.stderr


def test_the_starter_checks_its_public_addresses(tmp_path):
    """The starter's list said "never delete a line" while its example lines
    must go, and nothing checked it: the build does now, and says which line."""
    site = tmp_path / "site"
    assert new(str(site)).returncode == 0
    contract = site / "_data" / "public-urls.txt"
    assert "never delete a line then" in contract.read_text("utf-8")
    assert "the example lines go with the example" in contract.read_text("utf-8")
    page = (site / "research" / "example-project.md").read_text("utf-8")
    (site / "research" / "example-project.md").unlink()
    (site / "research" / "my-project.md").write_text(page.replace("An Example Project", "Mine"))
    result = build(site, site / "_build" / "html")
    log = result.stdout + result.stderr
    assert result.returncode != 0 and "Traceback" not in log
    assert re.search(r"_data/public-urls\.txt:\d+: WARNING: /research/example-project/ is "
                     r"listed, but the site no longer has it", log), log  # fmt: skip
    assert re.search(r"research/my-project\.md: WARNING: the page /research/my-project/ is not "
                     r"in _data/public-urls\.txt: add the line /research/my-project/", log), log  # fmt: skip
    contract.write_text(contract.read_text("utf-8").replace("/research/example-project/",
                                                             "/research/my-project/"))  # fmt: skip
    result = build(site, site / "_build" / "html")
    assert result.returncode == 0, result.stdout + result.stderr


def test_new_from_a_file_takes_the_name_given_over_the_files(tmp_path):
    import yaml

    done = new(str(tmp_path / "site"), "--from", str(JSON_RESUME), "--name", "Zoë Example")
    assert done.returncode == 0, done.stderr
    cv = yaml.safe_load((tmp_path / "site" / "_data" / "cv.yaml").read_text("utf-8"))
    assert cv["person"]["name"] == "Zoë Example"
    assert 'html_title = "Zoë Example"' in (tmp_path / "site" / "conf.py").read_text("utf-8")


def test_the_starters_read_the_docs_build_installs_the_fonts_of_every_script():
    """The site's .readthedocs.yaml installed Noto CJK and emoji for the CV PDF
    and the cards; the starter's did not, so a stranger's Chinese name stopped
    the strict build on Read the Docs."""
    import yaml

    site = yaml.safe_load((REPO / ".readthedocs.yaml").read_text("utf-8"))
    starter = yaml.safe_load(
        (ENGINE_SRC / "academic_portfolio" / "starter" / ".readthedocs.yaml").read_text("utf-8")
    )
    assert site["build"]["apt_packages"] == starter["build"]["apt_packages"]
