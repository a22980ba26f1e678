"""Trim the theme's style sheets to the rules the built site can use.

pydata-sphinx-theme ships one style sheet for every component of every
documentation site (tables, API entries, admonitions, version switchers ...);
this site uses few of them. After the build, each rule is kept when every
class, id, attribute and element its selector needs exists somewhere in the
site: in a built page, or as a string in one of the site's scripts (classes
that scripts add, such as ``show``; attributes that they set, such as
``data-theme``). The check is conservative: ``:not()``, ``:is()`` and other
functional pseudo-classes are ignored, so a rule is only dropped when it cannot
match. Fonts and animations that no kept rule names go too. Last, every
page's ``?v=`` follows the bytes served (:func:`version_assets`).

A one-page rebuild must not cost time in proportion to the site: the names
each page uses and the versions its references carry are kept between builds
(:class:`PageCache`), so a build reads only the pages written since the last
one, and all of them only when a served file's checksum changed.
"""

from __future__ import annotations

import hashlib
import json
import re
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import tinycss2
from sphinx.application import Sphinx
from sphinx.util import logging

from ..data.outputs import output_file
from ..settings import declare
from ..text.csstext import split_selectors
from ..version import __version__
from .firstpaint import inline_critical_css

logger = logging.getLogger(__name__)
SCHEME = Path(__file__).read_text("utf-8")  # a change of these rules redoes the cache
SCHEME_KEY = hashlib.sha256(SCHEME.encode()).hexdigest()[:16]
GROUPING_AT_RULES = {"media", "supports", "layer", "container"}
FUNCTIONAL = re.compile(r":{1,2}[\w-]+\((?:[^()]|\([^()]*\))*\)")  # :not(...), :is(...), ...
PSEUDO = re.compile(r":{1,2}[\w-]+")
START_TAG = re.compile(r"<([a-zA-Z][\w-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>")
ATTRIBUTE = re.compile(r"([\w:-]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
PAGE_FIELDS = ("tags", "classes", "ids", "attributes")  # what a page gives; scripts give words


@dataclass
class SiteVocabulary:
    """Everything a selector may need: found in pages and scripts."""

    tags: set[str] = field(default_factory=set)
    classes: set[str] = field(default_factory=set)
    ids: set[str] = field(default_factory=set)
    attributes: set[str] = field(default_factory=set)
    words: set[str] = field(default_factory=set)  # string literals in the scripts

    def add_page(self, html: str) -> None:
        # A tokenizer's view is enough (and fast): names, not structure.
        for tag, attributes in START_TAG.findall(html):
            self.tags.add(tag.lower())
            for name, value in ATTRIBUTE.findall(attributes):
                self.attributes.add(name.lower())
                value = value.strip("\"'")
                if name == "class":
                    self.classes.update(value.split())
                elif name == "id":
                    self.ids.add(value)

    def fingerprint(self) -> str:
        names = [
            sorted(getattr(self, f)) for f in ("tags", "classes", "ids", "attributes", "words")
        ]
        return hashlib.sha256(json.dumps(names).encode()).hexdigest()

    def page_names(self) -> list[list[str]]:
        """What :meth:`add_page` found, as JSON can keep it."""
        return [sorted(getattr(self, f)) for f in PAGE_FIELDS]

    def add_names(self, names: list[list[str]]) -> None:
        for name, values in zip(PAGE_FIELDS, names, strict=True):
            getattr(self, name).update(values)

    def add_script(self, text: str) -> None:
        for literal in re.findall(r"[\"'`]([^\"'`\n]{1,200})[\"'`]", text):
            self.words.update(re.findall(r"[A-Za-z][\w-]*", literal))

    def has_class(self, name: str) -> bool:
        return name in self.classes or name in self.words

    def has_id(self, name: str) -> bool:
        return name in self.ids or name in self.words

    def has_attribute(self, name: str) -> bool:
        return name in self.attributes or name in self.words

    def has_tag(self, name: str) -> bool:
        return name in self.tags or name in self.words


def selector_can_match(selector: str, site: SiteVocabulary) -> bool:
    if "\\" in selector:  # escaped names: not worth the risk
        return True
    plain = PSEUDO.sub("", FUNCTIONAL.sub("", selector))
    plain = re.sub(
        r"\[[^\]]*\]",
        lambda m: "[" + re.split(r"[~|^$*]?=", m.group(0)[1:-1])[0].strip() + "]",
        plain,
    )
    if not all(site.has_class(c) for c in re.findall(r"\.([\w-]+)", plain)):
        return False
    if not all(site.has_id(i) for i in re.findall(r"#([\w-]+)", plain)):
        return False
    if not all(site.has_attribute(a) for a in re.findall(r"\[([\w-]+)\]", plain)):
        return False
    tags = re.findall(r"(?:^|[\s>+~(])([a-zA-Z][\w-]*)", plain)
    return all(site.has_tag(t.lower()) for t in tags)


def purge_rules(rules: list[Any], site: SiteVocabulary) -> list[Any]:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = split_selectors(rule.prelude)
            if any(selector_can_match(s, site) for s in selectors):
                kept.append(rule)
        elif rule.type == "at-rule" and rule.lower_at_keyword in GROUPING_AT_RULES and rule.content:
            inner = purge_rules(tinycss2.parse_rule_list(rule.content), site)
            if inner:
                kept.append((rule, inner))
        elif rule.type in ("at-rule",):
            kept.append(rule)
    return kept


def serialize(rules: list[Any]) -> str:
    out = []
    for rule in rules:
        if isinstance(rule, tuple):
            at_rule, inner = rule
            out.append(
                f"@{at_rule.at_keyword}{tinycss2.serialize(at_rule.prelude)}{{{serialize(inner)}}}"
            )
        else:
            out.append(tinycss2.serialize([rule]))
    return "".join(out)


def drop_unused_fonts_and_animations(css: str) -> str:
    """@font-face and @keyframes that no remaining declaration names."""
    sheet = tinycss2.parse_stylesheet(css)
    body = "".join(
        tinycss2.serialize([r])
        for r in sheet
        if r.type != "at-rule" or r.lower_at_keyword not in ("font-face", "keyframes")
    )
    kept = []
    for rule in sheet:
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face":
            family = re.search(
                r"font-family\s*:\s*([^;}]+)", tinycss2.serialize(rule.content or [])
            )
            name = family.group(1).strip().strip("\"'") if family else ""
            if name and re.search(r"font(-family)?\s*:[^;}]*" + re.escape(name), body):
                kept.append(rule)
        elif rule.type == "at-rule" and rule.lower_at_keyword == "keyframes":
            name = tinycss2.serialize(rule.prelude).strip()
            if re.search(r"animation(-name)?\s*:[^;}]*\b" + re.escape(name) + r"\b", body):
                kept.append(rule)
        else:
            kept.append(rule)
    return tinycss2.serialize(kept)


def purge(css: str, site: SiteVocabulary) -> str:
    rules = tinycss2.parse_stylesheet(css, skip_whitespace=True, skip_comments=True)
    return drop_unused_fonts_and_animations(serialize(purge_rules(rules, site)))


def site_pages(outdir: Path) -> list[Path]:
    """The built pages (not the theme's templates that sit in _static); the
    folders of files (_static, _images ...) are not even walked."""
    pages = [page for page in outdir.glob("*.html") if not page.name.startswith("_")]
    for folder in outdir.iterdir():
        if folder.is_dir() and not folder.is_symlink() and not folder.name.startswith("_"):
            pages += folder.rglob("*.html")
    # A page linked from elsewhere is not the build's to rewrite (data.outputs).
    return [page for page in pages if not page.is_symlink()]


def script_words(outdir: Path) -> SiteVocabulary:
    site = SiteVocabulary()
    for script in (outdir / "_static").rglob("*.js"):
        site.add_script(script.read_text("utf-8", errors="ignore"))
    return site


def stamp(path: Path) -> list[int]:
    """Size and modification time: a page written again has a new one."""
    status = path.stat()
    return [status.st_size, status.st_mtime_ns]


class PageCache:
    """Per built page, by path: its stamp when last read and the names it
    uses; and the checksum of every served file the pages reference, as the
    pages carry it. Stored in the doctree folder; this module's code is part
    of its key, so a change of these rules starts afresh."""

    def __init__(self, path: Path):
        self.path = path
        self.pages: dict[str, list] = {}  # page -> [stamp, a key in names per PAGE_FIELDS]
        self.names: dict[str, list[str]] = {}  # key -> sorted names (pages share most lists)
        self.versions: dict[str, str | None] = {}  # file under _static -> checksum
        try:
            data = json.loads(path.read_text("utf-8"))
            if data["scheme"] == SCHEME_KEY:
                self.pages, self.names, self.versions = (
                    data["pages"],
                    data["names"],
                    data["versions"],
                )
        except (OSError, ValueError, KeyError, TypeError):
            pass  # none yet, or unreadable: every page is read

    def names_of(self, page: str, current: list[int]) -> list[list[str]] | None:
        """The names of an unchanged page, or None when it must be read."""
        cached = self.pages.get(page)
        if not cached or cached[0] != current:
            return None
        return [self.names[key] for key in cached[1]]

    def remember(self, page: str, current: list[int], names: list[list[str]]) -> None:
        keys = [hashlib.sha256(json.dumps(field).encode()).hexdigest()[:16] for field in names]
        self.names.update(zip(keys, names, strict=True))
        self.pages[page] = [current, keys]

    def restamp(self, page: str, current: list[int]) -> None:
        """The page was written again with the same names (new ``?v=``)."""
        self.pages[page][0] = current

    def save(self, pages: set[str]) -> None:
        """Keep the pages that exist now, and the names they use."""
        self.pages = {page: value for page, value in self.pages.items() if page in pages}
        used = {key for _, keys in self.pages.values() for key in keys}
        self.names = {key: names for key, names in self.names.items() if key in used}
        data = {"scheme": SCHEME_KEY, "pages": self.pages, "names": self.names,
                "versions": self.versions}  # fmt: skip
        self.path.write_text(json.dumps(data), "utf-8")


def on_build_finished(app: Sphinx, exception: Exception | None) -> None:
    """Purge each style sheet for the names of every page, reading only the
    pages written since the last build; then version every page's assets and
    inline each page's critical CSS (:mod:`academic_portfolio.weight.firstpaint`)."""
    if exception is not None or app.builder.format != "html":
        return
    outdir, doctrees = Path(app.outdir), Path(app.doctreedir)
    doctrees.mkdir(parents=True, exist_ok=True)
    cache = PageCache(doctrees / "purgecss-pages.json")
    pages = {page.relative_to(outdir).as_posix(): page for page in site_pages(outdir)}
    site, read = script_words(outdir), {}  # read: the text of each page read, by name
    for name, page in pages.items():
        current = stamp(page)
        names = cache.names_of(name, current)
        if names is None:  # written since the last build: read it
            read[name] = page.read_text("utf-8")
            vocabulary = SiteVocabulary()
            vocabulary.add_page(read[name])
            names = vocabulary.page_names()
            cache.remember(name, current, names)
        site.add_names(names)

    purge_style_sheets(app, outdir, site, doctrees / "purged-css")
    fresh = set(read)  # version_assets reads more pages when a checksum changed
    version_assets(outdir, pages, read, cache)
    for name in inline_critical_css(outdir, pages, fresh, doctrees):
        cache.restamp(name, stamp(pages[name]))
    cache.save(set(pages))


def purge_style_sheets(app: Sphinx, outdir: Path, site: SiteVocabulary, cache: Path) -> None:
    """Each style sheet of ``portfolio_purge_css``, trimmed to what *site* uses
    (from *cache* when the sheet and the site's names are those of a past build)."""
    cache.mkdir(parents=True, exist_ok=True)
    for name in app.config.portfolio_purge_css:
        path = output_file(app, f"_static/{name}", "a trimmed style sheet", "portfolio_purge_css",
                           "basic.css")  # fmt: skip
        if not path.is_file():
            continue
        before = path.read_text("utf-8")
        key = hashlib.sha256((before + site.fingerprint() + SCHEME).encode()).hexdigest()[:20]
        cached = cache / f"{key}.css"
        if not cached.exists():
            cached.write_text(purge(before, site), "utf-8")
        after = cached.read_text("utf-8")
        if after != before:
            path.write_text(after, "utf-8")
        logger.info(f"purged {name}: {len(before) // 1024} KB -> {len(after) // 1024} KB")


# -- Cache busting from the bytes served ---------------------------------------------
# Sphinx versions a page's style sheets and scripts (?v=) by their bytes when it
# writes the page, before the trimming above rewrites some of them; the theme
# uses its own release hash (?digest=), and @import in a style sheet none. A
# returning reader's browser would keep a stale copy. So, after the build, every
# such reference gets the checksum of the file as served, Sphinx's way (crc32).

ASSET_REF = re.compile(r"""((?:href|src)="([^"?#]*_static/[^"?#]+))\?(?:v|digest)=[0-9a-f]+(")""")
CSS_IMPORT = re.compile(r"""(@import\s+(?:url\()?["'])([^"'?#)]+)(?:\?v=[0-9a-f]+)?(["'])""")


def checksum(path: Path) -> str:
    content = path.read_bytes().replace(b"\r", b"")  # as Sphinx does
    return f"{zlib.crc32(content):08x}"


def version_imports(static: Path) -> None:
    """``@import "../basic.css"`` -> ``@import "../basic.css?v=<checksum>"``."""
    for sheet in static.rglob("*.css"):
        if sheet.is_symlink():  # a file of elsewhere, not the build's to rewrite (data.outputs)
            continue
        text = sheet.read_text("utf-8")

        def versioned(match: re.Match, folder: Path = sheet.parent) -> str:
            target = (folder / match.group(2)).resolve()
            if not target.is_file():
                return match.group(0)
            return f"{match.group(1)}{match.group(2)}?v={checksum(target)}{match.group(3)}"

        new = CSS_IMPORT.sub(versioned, text)
        if new != text:
            sheet.write_text(new, "utf-8")


def version_assets(
    outdir: Path, pages: dict[str, Path], read: dict[str, str], cache: PageCache
) -> None:
    """Give every versioned reference of every page the checksum of the file
    served. Of *pages* (by name), those in *read* (their text) were written
    since the last build; the others carry the checksums in *cache*, so they
    are read only when one of those files changed."""
    version_imports(outdir / "_static")
    sums: dict[str, str | None] = {}  # by file name under _static

    def served(name: str) -> str | None:
        if name not in sums:
            target = outdir / "_static" / name
            sums[name] = checksum(target) if target.is_file() else None
        return sums[name]

    changed = [name for name, version in cache.versions.items() if served(name) != version]
    if changed:
        read.update(
            (name, page.read_text("utf-8")) for name, page in pages.items() if name not in read
        )
    referenced: set[str] = set()
    for name, text in read.items():

        def versioned(match: re.Match) -> str:
            # Relative, or absolute on the 404 page: the file is in outdir/_static.
            asset = match.group(2).split("_static/", 1)[1]
            referenced.add(asset)
            if served(asset) is None:
                return match.group(0)
            return f"{match.group(1)}?v={served(asset)}{match.group(3)}"

        new = ASSET_REF.sub(versioned, text)
        if new != text:
            pages[name].write_text(new, "utf-8")
            cache.restamp(name, stamp(pages[name]))
    # After reading every page, the files they reference now; else these too.
    kept = {} if changed or len(read) == len(pages) else cache.versions
    cache.versions = {**kept, **{asset: served(asset) for asset in referenced}}


def setup(app: Sphinx) -> dict[str, Any]:
    declare(app, ["portfolio_purge_css"])
    # Last: after the theme rewrites pygments.css (build-finished, 500).
    app.connect("build-finished", on_build_finished, priority=900)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
