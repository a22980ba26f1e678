"""The build pipeline: permanent URLs, canonical links, Read the Docs, bad input."""

from __future__ import annotations

import json
import os
import re
import tomllib

import jsonschema
import pytest
import yaml
from conftest import REPO, public_urls

SHARED = REPO.parent / "shared"
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


def test_every_contract_url_is_built(site):
    missing = [url for url in public_urls() if not site.file(url).is_file()]
    assert not missing, f"public URLs missing from the build: {missing}"


def test_every_built_page_is_in_the_contract(site):
    redirects = redirect_pages(site)
    pages = built_page_urls(site) - UTILITY_PAGES - set(redirects)
    unlisted = sorted(pages - set(public_urls()))
    assert not unlisted, f"public pages not listed in _data/public-urls.txt: {unlisted}"


# Public URLs that are files, not pages: the CV PDF, the BibTeX download.
FILE_SUFFIXES = (".pdf", ".bib")


def test_contract_urls_are_short_and_lowercase():
    for url in public_urls():
        assert url == url.lower() and url.startswith("/"), url
        assert url.endswith(("/", *FILE_SUFFIXES)), url


def test_redirects_lead_to_contract_pages(site):
    """A moved page keeps its old URL: each redirect of conf.py is built and
    lands on a page of the contract."""
    namespace: dict = {"__file__": str(REPO / "conf.py")}
    exec(compile((REPO / "conf.py").read_text(), "conf.py", "exec"), namespace)
    for old, new in namespace["redirects"].items():
        target = site.file(f"/{old}/")
        assert target.is_file(), f"redirect page for {old} is missing"
        assert new in target.read_text()
    for old_url in redirect_pages(site):
        assert old_url not in public_urls(), f"{old_url} redirects but is listed as a page"


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


def test_readthedocs_yaml_passes_the_official_schema():
    schema_path = SHARED / "readthedocs" / "config-schema-v2.json"
    if not schema_path.exists():
        reason = f"Read the Docs' schema not found at {schema_path} (shared/ beside the clone)"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    config = yaml.safe_load((REPO / ".readthedocs.yaml").read_text())
    jsonschema.validate(config, json.loads(schema_path.read_text()))
    assert config["sphinx"]["builder"] == "dirhtml"
    assert config["sphinx"]["fail_on_warning"] is True
    assert config["build"]["os"] == "ubuntu-24.04"
    assert "pip install --group docs" in config["build"]["jobs"]["install"]


def test_dependency_groups_feed_every_session():
    groups = tomllib.loads((REPO / "pyproject.toml").read_text())["dependency-groups"]
    assert {"docs", "test", "lint"} <= set(groups)
    assert {"include-group": "docs"} in groups["test"]
    noxfile = (REPO / "noxfile.py").read_text()
    assert "dependency_groups(PYPROJECT, group)" in noxfile


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
    assert ".bd-header" in css and "attr(href)" in css and "size: A4" in css
