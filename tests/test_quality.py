"""Quality gates on every built page: valid HTML, links that resolve, no third parties."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from conftest import REPO, missing

# Pure: a test whose fixtures build a site is marked build by conftest.py.
pytestmark = pytest.mark.pure


VNU = REPO / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# Elements and attributes through which a page loads something.
LOADED = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src", "video": "src", "embed": "src", "object": "data"}  # fmt: skip
LOADED_LINKS = {
    "stylesheet",
    "preload",
    "modulepreload",
    "icon",
    "apple-touch-icon",
    "manifest",
    "prefetch",
}


def pages(site) -> list[Path]:
    return [p for p in site.html_files() if not p.relative_to(site.root).parts[0].startswith("_")]


def test_every_page_is_valid_html(each_site):
    """The W3C Nu HTML checker finds no error on any page (no exceptions filtered)."""
    site = each_site
    java = shutil.which("java")
    if java is None:
        missing("no Java runtime for the Nu HTML checker")
    if not VNU.exists():
        missing(f"the Nu HTML checker is not installed at {VNU}: run `npm ci`")
    files = [str(p) for p in pages(site)]
    result = subprocess.run([java, "-jar", str(VNU), "--errors-only", "--format", "json", *files],
                            capture_output=True, text=True, check=False)  # fmt: skip
    messages = json.loads(result.stderr or result.stdout)["messages"]
    errors = [
        f"{m['url'].split('/html/')[-1]}:{m.get('lastLine')}: {m['message']}" for m in messages
    ]
    assert not errors, "\n".join(errors)
    assert len(files) >= 10


def local_target(site, page: Path, ref: str) -> tuple[Path, str] | None:
    """The build file that a reference points to, and its #fragment: relative,
    site-absolute (under the path the site was built for) or absolute (under the
    site's own address). None for another site; a path outside the site's is
    returned as a file that cannot exist."""
    parts = urlsplit(ref)
    if (parts.scheme or parts.netloc) and not ref.startswith(site.base_url):
        return None
    path = unquote(parts.path)
    if path.startswith("/"):
        inside = path.startswith(site.path)
        target = (
            site.root / path[len(site.path) :] if inside else site.root / "NOT-UNDER-THE-SITE-PATH"
        )
    elif path:
        target = (page.parent / path).resolve()
    else:
        target = page
    if target.is_dir() or path.endswith("/"):
        target = target / "index.html"
    return target, parts.fragment


def ids_of(site, path: Path) -> set[str]:
    return {
        tag["id"]
        for tag in site.page("/" + path.relative_to(site.root).as_posix()).find_all(id=True)
    }


def broken_references(site) -> tuple[list[str], int]:
    """Every link, asset and absolute URL of every page (404 included) that
    does not reach a file of the build; and how many were checked."""
    broken, checked = [], 0
    for page in pages(site):
        soup = site.page("/" + page.relative_to(site.root).as_posix())
        for tag in soup.find_all(["a", "link", "script", "img", "source", "iframe", "meta"]):
            ref = tag.get("href") or tag.get("src") or absolute_content(tag)
            if not ref or ref.startswith(("mailto:", "data:", "javascript:")):
                continue
            found = local_target(site, page, ref)
            if found is None:
                continue
            target, fragment = found
            checked += 1
            where = f"{page.relative_to(site.root)}: {ref}"
            if not target.is_file():
                broken.append(f"{where} (no file {target.relative_to(site.root)})")
            elif fragment and target.suffix == ".html" and fragment not in ids_of(site, target):
                broken.append(f"{where} (no id '{fragment}')")
    return broken, checked


def absolute_content(tag) -> str | None:
    """The URL of an Open Graph tag (og:url, og:image)."""
    content = tag.get("content", "")
    return content if tag.name == "meta" and content.startswith(("http://", "https://")) else None


def test_every_internal_link_and_asset_resolves(each_site):
    broken, checked = broken_references(each_site)
    assert not broken, "\n".join(broken)
    assert checked > 200, f"only {checked} links checked: is the parser still finding them?"


def third_party_loads(soup, where: str) -> list[str]:
    """What a page loads from another origin: scripts, styles, fonts, images, frames."""
    outside = []
    for name, attribute in LOADED.items():
        outside += [
            f"{where}: <{name}> {t[attribute]}"
            for t in soup.find_all(name)
            if urlsplit(t.get(attribute, "")).netloc
        ]
    for link in soup.find_all("link", href=True):
        if LOADED_LINKS & set(link.get("rel", [])) and urlsplit(link["href"]).netloc:
            outside.append(f"{where}: <link> {link['href']}")
    for style in soup.find_all(style=True):
        if re.search(r"url\(\s*['\"]?(https?:)?//", style["style"]):
            outside.append(f"{where}: inline style {style['style']}")
    return outside


def test_no_page_loads_anything_from_another_origin(each_site):
    """Scripts, styles, fonts, images, frames: all served by the site itself."""
    site = each_site
    outside = []
    for page in pages(site):
        url = "/" + page.relative_to(site.root).as_posix()
        outside += third_party_loads(site.page(url), url)
    for css in (site.root / "_static").rglob("*.css"):
        for match in re.finditer(
            r"(?:url\(\s*['\"]?|@import\s+['\"])((?:https?:)?//[^'\")]+)",
            css.read_text("utf-8", "ignore"),
        ):
            outside.append(f"{css.relative_to(site.root)}: {match.group(1)}")
    assert not outside, "\n".join(outside)


def test_the_privacy_check_sees_a_third_party():
    """The check above must be able to fail: it finds each way a page loads
    from elsewhere (and not a plain link to another site)."""
    from bs4 import BeautifulSoup

    html = """<link rel="stylesheet" href="https://fonts.googleapis.com/css2?family=Inter">
    <script src="//cdn.example.org/x.js"></script><img src="https://img.example.org/a.png">
    <div style="background: url('https://t.example.org/p.gif')"></div>
    <a href="https://github.com/RobertFlame">GitHub</a><script src="_static/copy.js"></script>"""
    found = third_party_loads(BeautifulSoup(html, "lxml"), "page")
    assert len(found) == 4 and not any("github" in f or "copy.js" in f for f in found), found
