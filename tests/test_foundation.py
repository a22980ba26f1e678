"""The build pipeline: permanent URLs, canonical links, Read the Docs, bad input."""

from __future__ import annotations

import ast
import json
import os
import re
import tomllib
from importlib import resources

import jsonschema
import pytest
import yaml
from conftest import OTHER_SOURCES, REPO, SITE_URL, contract_urls, public_urls
from pythons import find_interpreter, lowest_python, rtd_python, suite_pythons

# Pure: a test whose fixtures build a site is marked build by conftest.py.
pytestmark = pytest.mark.pure


# Pages of the theme's machinery, not content: never linked from applications.
UTILITY_PAGES = {"/search/", "/404/"}


def built_page_urls(site) -> set[str]:
    urls = set()
    for path in site.html_files():
        relative = path.relative_to(site.root).as_posix()
        if relative.startswith("_"):
            continue
        urls.add("/" + relative.removesuffix("index.html"))
    return urls


def redirect_pages(site) -> dict[str, str]:
    """Built pages that only redirect: their URL and the URL they point to."""
    found = {}
    for url in built_page_urls(site):
        refresh = site.page(url).find("meta", attrs={"http-equiv": "refresh"})
        if refresh:
            found[url] = refresh["content"].split("url=", 1)[1]
    return found


def contract_of(site) -> list[str]:
    return public_urls() if site.base_url == SITE_URL else contract_urls(OTHER_SOURCES)


def test_every_contract_url_is_built(each_site):
    missing = [url for url in contract_of(each_site) if not each_site.file(url).is_file()]
    assert not missing, f"public URLs missing from the build: {missing}"


def test_every_built_page_is_in_the_contract(each_site):
    redirects = redirect_pages(each_site)
    pages = built_page_urls(each_site) - UTILITY_PAGES - set(redirects)
    unlisted = sorted(pages - set(contract_of(each_site)))
    assert not unlisted, f"public pages not listed in _data/public-urls.txt: {unlisted}"


# Public URLs that are files, not pages: the CV PDF, the BibTeX, RIS and CSL-JSON downloads.
FILE_SUFFIXES = (".pdf", ".bib", ".ris", ".json")


def test_contract_urls_are_short_and_lowercase():
    for url in public_urls():
        assert url == url.lower() and url.startswith("/"), url
        assert url.endswith(("/", *FILE_SUFFIXES)), url


def test_no_contract_page_is_a_redirect(site):
    for old_url in redirect_pages(site):
        assert old_url not in public_urls(), f"{old_url} redirects but is listed as a page"


def test_a_moved_page_keeps_its_old_url(broken_site):
    """A redirect of conf.py (sphinx-reredirects) is built as a page that
    leads to the new address (the owner's list of redirects is empty today:
    this builds one in the made-up portfolio to prove the mechanism)."""

    def edit(src):
        with (src / "conf.py").open("a") as conf:
            conf.write(
                '\nredirects = {"projects/glacier-runoff/index": "../../research/glacier-runoff/"}\n'
            )

    code, log, src = broken_site(edit)  # the made-up portfolio: the engine's mechanism
    assert code == 0, log
    old = src.parent / "html" / "projects" / "glacier-runoff" / "index.html"
    assert 'content="0; url=../../research/glacier-runoff/"' in old.read_text()
    assert (old.parent / "../../research/glacier-runoff/index.html").resolve().is_file()


def test_every_page_has_an_absolute_canonical_link(site):
    for url in public_urls():
        if url.endswith(FILE_SUFFIXES):
            continue
        link = site.page(url).find("link", rel="canonical")
        assert link and link["href"].startswith("https://"), url
        assert link["href"].endswith(url.lstrip("/")), (url, link["href"])


def test_read_the_docs_build_uses_the_given_canonical_url(rtd_site):
    link = rtd_site.page("/research/grafics/").find("link", rel="canonical")
    assert link["href"] == "https://example.readthedocs.io/en/latest/research/grafics/"


def readthedocs_schema() -> dict:
    """Read the Docs' own schema for .readthedocs.yaml, as check-jsonschema vendors it."""
    vendored = resources.files("check_jsonschema.builtin_schemas.vendor") / "readthedocs.json"
    return json.loads(vendored.read_text("utf-8"))


def schema_errors(config: dict) -> list[str]:
    validator = jsonschema.validators.validator_for(readthedocs_schema())(readthedocs_schema())
    return [
        f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in validator.iter_errors(config)
    ]


def test_readthedocs_yaml_passes_the_official_schema():
    config = yaml.safe_load((REPO / ".readthedocs.yaml").read_text())
    assert schema_errors(config) == []
    assert config["sphinx"]["builder"] == "dirhtml"
    assert config["sphinx"]["fail_on_warning"] is True
    assert config["build"]["os"] == "ubuntu-24.04"
    # The docs group names the engine; the path src/ provides it.
    assert "pip install -c constraints.txt --group docs ./src" in config["build"]["jobs"]["install"]


def test_the_official_schema_rejects_a_wrong_readthedocs_yaml():
    config = yaml.safe_load((REPO / ".readthedocs.yaml").read_text())
    config["sphinx"]["builder"] = "dirhtm"
    config["build"]["tools"]["python"] = "3.1"
    errors = schema_errors(config)
    assert any(e.startswith("sphinx.builder:") for e in errors), errors
    assert any(e.startswith("build.tools.python:") for e in errors), errors


def test_tests_run_on_the_read_the_docs_python_and_the_lowest_supported():
    """The noxfile's interpreters follow .readthedocs.yaml and requires-python."""
    config = yaml.safe_load((REPO / ".readthedocs.yaml").read_text())
    assert rtd_python(REPO) == config["build"]["tools"]["python"]
    requires = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]["requires-python"]
    assert requires == f">={lowest_python(requires)}"


def fake_python(folder, version: str, executable: bool = True):
    folder.mkdir(parents=True, exist_ok=True)
    program = folder / f"python{version}"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755 if executable else 0o644)
    return program


def test_suite_pythons_are_the_installed_ones(tmp_path):
    real, shims = tmp_path / "bin", tmp_path / "pyenv" / "shims"
    fake_python(real, "3.11")
    fake_python(shims, "3.13")  # a shim of a version pyenv has not activated
    fake_python(tmp_path / "broken", "3.13", executable=False)
    path = os.pathsep.join(map(str, (shims, tmp_path / "broken", real)))
    assert find_interpreter("3.13", path) is None
    assert find_interpreter("3.11", path) == real / "python3.11"
    assert suite_pythons(["3.13", "3.11"], path) == ["3.11"]
    fake_python(real, "3.13")
    assert suite_pythons(["3.13", "3.11"], path) == ["3.13", "3.11"]


def test_suite_runs_somewhere_without_either_and_fails_on_ci_without_one(tmp_path):
    empty = str(tmp_path)
    assert suite_pythons(["3.13", "3.11"], empty) == [None]  # the Python running nox
    assert suite_pythons(["3.13", "3.11"], empty, ci=True) == ["3.13", "3.11"]
    assert suite_pythons(["3.13", "3.13"], empty, ci=True) == ["3.13"]


def test_every_dependency_group_is_used_and_every_used_group_exists():
    """Each session installs a group of pyproject.toml; none is left unused."""
    groups = set(tomllib.loads((REPO / "pyproject.toml").read_text())["dependency-groups"])
    installed: set[str] = set()
    # This site's own sessions, and the engine's, which every site has.
    for noxfile in (REPO / "noxfile.py", REPO / "src" / "academic_portfolio" / "sessions.py"):
        installed |= {
            call.args[1].value
            for call in ast.walk(ast.parse(noxfile.read_text()))
            if isinstance(call, ast.Call)
            and getattr(call.func, "attr", None) == "install"
            and len(call.args) == 2
            and isinstance(call.args[1], ast.Constant)
        }
    rtd = " ".join(
        yaml.safe_load((REPO / ".readthedocs.yaml").read_text())["build"]["jobs"]["install"]
    )
    installed |= set(re.findall(r"--group (\w+)", rtd))
    assert installed == groups, f"unused: {groups - installed}, missing: {installed - groups}"


def test_page_titles_name_the_page_then_the_owner(site):
    assert site.page("/").title.string == "Ziqi Zhao"
    title = site.page("/research/greek-ocr/").title.string
    assert title == "Pushing the Limits of OCR on Complex Multilingual Documents — Ziqi Zhao"


def test_no_stray_file_becomes_a_page(site):
    pages = built_page_urls(site)
    assert not any(re.search(r"readme|tests|_ext|_data|\.ci", url, re.I) for url in pages)


def test_print_stylesheet_hides_navigation_and_writes_out_links(site):
    head = site.page("/research/grafics/").head
    link = head.find("link", href=re.compile(r"print\.css"))
    assert link is not None and link["media"] == "print"
    css = (site.root / "_static" / "print.css").read_text()
    # Each link's address, as academic_portfolio.metadata.printing wrote it in data-print.
    assert ".bd-header" in css and "attr(data-print)" in css and "size: A4" in css
