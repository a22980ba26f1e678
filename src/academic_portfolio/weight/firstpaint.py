"""First paint in one round trip: each page carries the CSS it shows with.

A phone on a slow link gets about 14 KB in the first round trip. The style
sheets (trimmed by :mod:`portfolio.purgecss`) weigh more than that on their
own, and a browser paints nothing until every blocking one has arrived. So,
after the trimming, every page gets:

- its *critical* CSS inline (``<style data-first-paint>``): every rule of its
  screen style sheets, in their order, that can match an element the page
  shows when it loads, with the custom properties those rules use; light and
  dark colours both (the colour-mode script in ``layout.html`` picks one
  before the first paint);
- the same style sheets, whole, loaded without blocking (``media="print"``
  until they arrive, then ``all``; ``<noscript>`` links without scripts).

Being every rule that matches the page as loaded (in the same order), the
critical part already gives every element its box, colours and fonts: the
full sheets, when they arrive, add only rules for what is not there yet —
hover and focus states, an open menu or dialog, the content of a closed
``<details>``, print — so nothing moves or changes colour. What is "shown
when it loads" is computed from the built page: everything but closed
dialogs, closed ``<details>`` (their summary excepted), ``<template>``,
``<noscript>`` and ``hidden`` elements. Classes the page's scripts set (the
table of contents' ``active``, the copy button) count as present anywhere.

Nothing here is a list kept by hand: each build computes it from the built
page and the served style sheets, so a new page, a new class or a theme
upgrade is followed; ``tests/test_first_paint.py`` checks the 14 KB budget on
every page and, in Chromium, that nothing shifts when the full sheets apply.
"""

from __future__ import annotations

import hashlib
import json
import re
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from multiprocessing import get_context
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import soupsieve
import tinycss2
from bs4 import BeautifulSoup

from ..text.csstext import split_selectors
from ..text.typeset import usable_cores, write_whole

SCHEME = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
STYLE = re.compile(r"<style data-first-paint>.*?</style>", re.S)
LINK = re.compile(r"<link\b(?:[^>\"']|\"[^\"]*\"|'[^']*')*>")
ATTRIBUTE = re.compile(r"([\w:-]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
DEFERRED = 'media="print" onload="this.media=\'all\'"'  # the marker of a sheet loaded late
IMPORT = re.compile(r"""@import\s+(?:url\()?["']([^"']+)["']\)?[^;]*;""")
URL = re.compile(r"""url\(\s*(["']?)([^"')]+)\1\s*\)""")
VAR = re.compile(r"var\(\s*(--[\w-]+)")
# Set on <html> by the colour-mode script in layout.html before the first paint,
# to a value the build cannot know (the reader's choice or system setting).
COLOUR_MODE = ("data-theme", "data-mode")
COLOUR_VALUE = re.compile(r"\[\s*(data-theme|data-mode)\s*[~|^$*]?=[^\]]*\]")
# Pseudo-elements style a part of an element that matches: match the element.
PSEUDO_ELEMENT = re.compile(r"::?(?:before|after|marker|placeholder|selection|backdrop|first-line|first-letter|file-selector-button|-(?:webkit|moz|ms)-[\w-]+)(?![\w-])")  # fmt: skip
# :has() may look at elements the parser has not reached at the first paint
# (a sidebar after the article): a rule with it counts as matching without it.
HAS = re.compile(r":has\((?:[^()]|\([^()]*\))*\)")
NOT_SHOWN = "dialog:not([open]), template, noscript, [hidden], details:not([open]) > :not(summary)"
# How our scripts and the theme's put a class on an element of the page, or on
# one they make. (The theme's version switcher and banner, which this site does
# not have, set theirs with setAttribute and classList=: not counted.)
SET_CLASS = re.compile(
    r"""classList\.(?:add|toggle|replace)\(([^)]*)\)|className\s*=\s*(["'][^"']*["'])"""
)
COMBINATORS = {">", "+", "~"}
# What only animates a change, never the first paint (the whole sheets bring it
# before anything changes; the Nu checker does not know @starting-style):
ANIMATION_ONLY = {"charset", "import", "starting-style"}
TRANSITION = re.compile(r"transition(?:-[\w-]+)?")
GROUPING = {"media", "supports", "layer", "container"}


@dataclass
class Rule:
    """A style rule of a sheet: its selectors and declarations, parsed once."""

    selectors: list[str]
    declarations: list[Any]


@dataclass
class Group:
    """An at-rule holding rules (@media ...), or one kept whole (``raw``)."""

    prelude: str
    children: list[Rule | Group] = field(default_factory=list)
    raw: str = ""


def parse_rules(rules: list[Any]) -> list[Rule | Group]:
    parsed: list[Rule | Group] = []
    for rule in rules:
        if rule.type == "qualified-rule":
            selectors = split_selectors(rule.prelude)
            declarations = [
                d
                for d in tinycss2.parse_declaration_list(rule.content, True, True)
                if d.type == "declaration"
            ]
            parsed.append(Rule(selectors, declarations))
        elif rule.type == "at-rule" and rule.lower_at_keyword in GROUPING and rule.content:
            inner = tinycss2.parse_rule_list(rule.content, True, True)
            prelude = f"@{rule.at_keyword}{tinycss2.serialize(rule.prelude)}"
            parsed.append(Group(prelude, parse_rules(inner)))
        elif rule.type == "at-rule" and rule.lower_at_keyword == "property":
            name = tinycss2.serialize(rule.prelude).strip()
            parsed.append(Group(f"@property {name}", raw=tinycss2.serialize([rule])))
        elif rule.type == "at-rule" and rule.lower_at_keyword not in ANIMATION_ONLY:
            parsed.append(Group("", raw=tinycss2.serialize([rule])))  # @keyframes, @font-face ...
    return parsed


def print_only(prelude: str) -> bool:
    return re.fullmatch(r"@media\s*(?:only\s+)?print\s*", prelude, re.I) is not None


def shown_when_loaded(html: str) -> BeautifulSoup:
    """The page as it is drawn before any click: hidden parts removed; the
    colour-mode attributes present (their value is the reader's)."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.select(NOT_SHOWN):
        element.decompose()
    if soup.html is not None:
        for name in COLOUR_MODE:
            soup.html[name] = ""
    return soup


def script_classes(scripts: list[str]) -> set[str]:
    """Classes the scripts put on elements (``classList.add("active")``,
    ``className = "copy-button"``): any element may have them at load."""
    found: set[str] = set()
    for text in scripts:
        for groups in SET_CLASS.findall(text):
            for literal in re.findall(r"[\"']([^\"']+)[\"']", "".join(groups)):
                found.update(literal.split())
    return found


COMPILED: dict[str, Any] = {}  # selectors compiled once for every page of a build
REQUIRED: dict[str, list[tuple[str, str]] | None] = {}  # and read once

# What is inside [...], (...) and strings says nothing of which element a
# compound names; its pseudo-classes only narrow it further.
ARGUMENTS = re.compile(r"\[[^\]]*\]|\((?:[^()]|\([^()]*\))*\)|\"[^\"]*\"|'[^']*'")
PSEUDO_CLASS = re.compile(r"::?[\w-]+")
COMPOUNDS = re.compile(r"\s*[>+~]\s*|\s+")
SIMPLE = re.compile(r"([.#]?)([\w-]+)")


ATTRIBUTE_NAME = re.compile(r"\[\s*([\w-]+)")


def required_names(selector: str) -> list[tuple[str, str]] | None:
    """Every type, class, id and attribute name that some compound of the
    selector needs, outside functional pseudo-classes (whose arguments may
    negate): an element of the page must have each, or nothing matches. None
    where the selector is one this reading does not cover."""
    if any(mark in selector for mark in ("\\", "|")):
        return None
    attributes = [
        ("attribute", name.lower())
        for name in ATTRIBUTE_NAME.findall(re.sub(r"\((?:[^()]|\([^()]*\))*\)", "", selector))
    ]
    names: list[tuple[str, str]] = list(attributes)
    for compound in COMPOUNDS.split(ARGUMENTS.sub("", selector).strip()):
        names += compound_keys(compound)
    return names


def compound_keys(compound: str) -> list[tuple[str, str]]:
    kinds = {"": "tag", ".": "class", "#": "id"}
    keys = [(kinds[mark], name) for mark, name in SIMPLE.findall(PSEUDO_CLASS.sub(" ", compound))]
    keys = [(kind, name.lower() if kind == "tag" else name) for kind, name in keys]
    return [key for key in keys if key != ("tag", "*")]


def subject_keys(selector: str) -> list[tuple[str, str]] | None:
    """The type, classes and id of a selector's last compound (the element it
    styles), as ("tag" | "class" | "id", name); None where a selector is one
    this reading does not cover (escapes, namespaces, :scope), or names none."""
    if any(mark in selector for mark in ("\\", "|", ":scope")):
        return None
    compound = COMPOUNDS.split(ARGUMENTS.sub("", selector).strip())[-1]
    return compound_keys(compound) or None


class ElementIndex:
    """The page's elements by type, class and id.

    A selector can only match an element that has its last compound's type,
    classes and id: testing those elements alone (``match``) gives the answer
    of ``select_one`` on the whole page, without walking every element for
    each of the thousand rules that match nothing (most of a build's time,
    before: every rule against every page's whole tree)."""

    def __init__(self, soup: BeautifulSoup):
        self.tags: dict[str, list[Any]] = {}
        self.classes: dict[str, list[Any]] = {}
        self.ids: dict[str, list[Any]] = {}
        self.attributes: set[str] = set()
        for element in soup.find_all(True):
            self.tags.setdefault(element.name, []).append(element)
            self.attributes.update(name.lower() for name in element.attrs)
            for name in element.get_attribute_list("class"):
                if name:
                    self.classes.setdefault(str(name), []).append(element)
            if identifier := element.get("id"):
                self.ids.setdefault(str(identifier), []).append(element)

    def lacks_a_name_of(self, selector: str) -> bool:
        """Whether the page lacks a type, class, id or attribute the selector needs."""
        if selector not in REQUIRED:
            REQUIRED[selector] = required_names(selector)
        tables = {"tag": self.tags, "class": self.classes, "id": self.ids}
        return any(
            name not in (self.attributes if kind == "attribute" else tables[kind])
            for kind, name in REQUIRED[selector] or ()
        )

    def candidates(self, selector: str) -> list[Any] | None:
        keys = subject_keys(selector)
        if keys is None:
            return None
        tables = {"tag": self.tags, "class": self.classes, "id": self.ids}
        lists = [tables[kind].get(name, []) for kind, name in keys]
        return min(lists, key=len)


class Matcher:
    """Whether a selector can match the page as loaded."""

    def __init__(self, soup: BeautifulSoup, classes: set[str]):
        self.soup = soup
        self.index = ElementIndex(soup)
        self.names = set(self.index.tags)
        self.classes = set(self.index.classes)
        self.script_class = re.compile(
            r"\.(?:" + "|".join(map(re.escape, sorted(classes))) + r")(?![\w-])"
            if classes
            else r"(?!)"
        )

    def selector_for_load(self, selector: str) -> str:
        return for_load(selector, self.script_class)

    def matches(self, selector: str) -> bool:
        plain = self.selector_for_load(selector)
        selector_compiled = compiled(plain)
        if selector_compiled is None:
            return True
        if self.index.lacks_a_name_of(plain):
            return False
        candidates = self.index.candidates(plain)
        if candidates is None:  # nothing to narrow by: look at every element
            return selector_compiled.select_one(self.soup) is not None
        return any(selector_compiled.match(element) for element in candidates)


NO_SCRIPT_CLASS = re.compile(r"(?!)")


def for_load(selector: str, script_class: re.Pattern[str]) -> str:
    """*selector* as it is tested against the page as loaded: without
    pseudo-elements, :has(), the colour mode's value and the classes the
    page's scripts set (*script_class*)."""
    plain = PSEUDO_ELEMENT.sub("", COLOUR_VALUE.sub(r"[\1]", selector))
    plain = HAS.sub("", plain).replace(":not()", "")
    plain = script_class.sub("", plain)
    # A compound left empty (".copy-button" of an element a script adds): any element.
    tokens = re.sub(r"\s*([>+~])\s*", r" \1 ", plain).split()
    out: list[str] = []
    for token in tokens:
        if token in COMBINATORS and (not out or out[-1] in COMBINATORS):
            out.append("*")
        out.append(token)
    if not out or out[-1] in COMBINATORS:
        out.append("*")
    return " ".join(out)


def compiled(plain: str) -> Any:
    """The soupsieve selector, compiled once a build; None for one soupsieve
    does not know (a vendor's pseudo-class, ``:valid``): its rule is kept."""
    if plain not in COMPILED:
        try:
            COMPILED[plain] = soupsieve.compile(plain)
        except Exception:
            COMPILED[plain] = None
    return COMPILED[plain]


def critical_rules(rules: list[Rule | Group], matcher: Matcher) -> list[Rule | Group]:
    kept: list[Rule | Group] = []
    for rule in rules:
        if isinstance(rule, Rule):
            selectors = [s for s in rule.selectors if matcher.matches(s)]
            if selectors:
                kept.append(Rule(selectors, rule.declarations))
        elif rule.raw:
            kept.append(rule)
        elif not print_only(rule.prelude):
            children = critical_rules(rule.children, matcher)
            if children:
                kept.append(Group(rule.prelude, children))
    return kept


def declarations(rules: list[Rule | Group]):
    for rule in rules:
        if isinstance(rule, Rule):
            yield from rule.declarations
        else:
            yield from declarations(rule.children)


def used_properties(rules: list[Rule | Group]) -> set[str]:
    """Custom properties that the rules' declarations use, through others too."""
    values: dict[str, list[str]] = {}
    todo: list[str] = []
    for declaration in declarations(rules):
        value = tinycss2.serialize(declaration.value)
        if declaration.name.startswith("--"):
            values.setdefault(declaration.name, []).append(value)
        else:
            todo += VAR.findall(value)
    used: set[str] = set()
    while todo:
        name = todo.pop()
        if name not in used:
            used.add(name)
            for value in values.get(name, []):
                todo += VAR.findall(value)
    return used


def serialize(rules: list[Rule | Group], used: set[str], base: str, untyped: set[str]) -> str:
    """The rules as CSS, without unused custom properties nor transitions;
    ``url()`` made relative to the page (the sheet was at *base*). An
    ``@property`` stays only for a property used and never set (*untyped*):
    one that is set only gets a type for animation from it."""
    out = []
    for rule in rules:
        if isinstance(rule, Group) and rule.prelude.startswith("@property "):
            out.append(rule.raw if rule.prelude.split()[1] in untyped else "")
        elif isinstance(rule, Group):
            inner = rule.raw or serialize(rule.children, used, base, untyped)
            out.append(inner if rule.raw or not inner else f"{rule.prelude}{{{inner}}}")
        else:
            body = ";".join(
                f"{d.name}:{tinycss2.serialize(d.value).strip()}{'!important' if d.important else ''}"
                for d in rule.declarations
                if (not d.name.startswith("--") or d.name in used)
                and not TRANSITION.fullmatch(d.lower_name)
            )
            out.append(f"{','.join(rule.selectors)}{{{body}}}" if body else "")
    return URL.sub(lambda m: rebased(m, base), "".join(out))


def rebased(match: re.Match, base: str) -> str:
    target = match.group(2)
    if target.startswith(("data:", "#")) or re.match(r"[a-z]+:|/", target):
        return match.group(0)
    return f'url("{urljoin(base, target)}")'


# -- Pages -------------------------------------------------------------------------


def attributes(tag: str) -> dict[str, str]:
    return {n.lower(): v.strip("\"'") for n, v in ATTRIBUTE.findall(tag[5:].rstrip("/>"))}


def screen_sheets(head: str) -> list[tuple[str, str]]:
    """The ``<link>`` tags of the screen's style sheets, and their hrefs, in
    order: blocking ones, or ones this module already deferred."""
    head = re.sub(r"<noscript>.*?</noscript>", "", head, flags=re.S)
    sheets = []
    for tag in LINK.findall(head):
        found = attributes(tag)
        if "stylesheet" not in found.get("rel", "").split():
            continue
        if DEFERRED in tag or found.get("media", "all").strip().lower() != "print":
            sheets.append((tag, found["href"]))
    return sheets


class Sheets:
    """The served style sheets, parsed once per build, with their imports."""

    def __init__(self, static: Path):
        self.static = static
        self.parsed: dict[Path, list[Rule | Group]] = {}

    def file(self, href: str) -> Path:
        return self.static / href.split("?")[0].split("_static/", 1)[1]

    def rules(self, href: str) -> list[tuple[str, list[Rule | Group]]]:
        """The sheet at *href* and those it imports, each with its own href."""
        path = self.file(href)
        text = path.read_text("utf-8")
        found = []
        for imported in IMPORT.findall(text):
            found += self.rules(urljoin(href, imported))
        if path not in self.parsed:
            self.parsed[path] = parse_rules(tinycss2.parse_stylesheet(text, True, True))
        return [*found, (href, self.parsed[path])]


@dataclass
class Shapes:
    """The critical CSS of the pages done in this build, by their shape
    (:func:`page_shape`), which decides it; the sheets' reading by their hrefs."""

    css: dict[str, str] = field(default_factory=dict)
    readings: dict[tuple[str, ...], ShapeReading | None] = field(default_factory=dict)

    def reading(self, sheets: Sheets, hrefs: list[str]) -> ShapeReading | None:
        if tuple(hrefs) not in self.readings:
            selectors = [
                s for h in hrefs for _, rules in sheets.rules(h) for s in selectors_of(rules)
            ]
            self.readings[tuple(hrefs)] = shape_reading(selectors)
        return self.readings[tuple(hrefs)]


def critical_css(html: str, sheets: Sheets, hrefs: list[str], shapes: Shapes | None = None) -> str:
    """The page's critical CSS; once per shape of page with *shapes*."""
    html = without_critical_css(html)
    reading = shapes.reading(sheets, hrefs) if shapes is not None else None
    if shapes is None or reading is None:
        return css_of_page(html, sheets, hrefs)
    shape = page_shape(html, reading, hrefs)
    if shape not in shapes.css:
        shapes.css[shape] = css_of_page(html, sheets, hrefs)
    return shapes.css[shape]


def css_of_page(html: str, sheets: Sheets, hrefs: list[str]) -> str:
    soup = shown_when_loaded(html)
    sources = [str(s["src"]) for s in soup.find_all("script", src=True) if "_static/" in s["src"]]
    return css_for(soup, sheets, hrefs, sources)


def css_for(soup: BeautifulSoup, sheets: Sheets, hrefs: list[str], sources: list[str]) -> str:
    scripts = [sheets.file(src).read_text("utf-8") for src in sources]
    matcher = Matcher(soup, script_classes(scripts))
    parts = [
        (base, critical_rules(rules, matcher)) for h in hrefs for base, rules in sheets.rules(h)
    ]
    kept = [rule for _, rules in parts for rule in rules]
    used = used_properties(kept)
    untyped = used - {d.name for d in declarations(kept) if d.name.startswith("--")}
    return "".join(serialize(rules, used, base, untyped) for base, rules in parts)


# -- Pages of one shape -------------------------------------------------------------
#
# A lab's 1,000 papers give 1,000 pages that differ in their words, links and
# anchors, not in the elements a selector can tell apart. A page's *shape* is
# everything a selector of its sheets can see: its elements in order, their
# names, every attribute's value (but an ``id`` no selector names, and of a
# VALUE_BLIND attribute only the answers of the selectors' tests of it), and,
# for each text, only whether it is blank (``:empty`` and ``:root`` look at
# that). Pages of one shape get the same critical CSS: computed once per shape.

# Pseudo-classes whose answer comes from what the shape keeps (names,
# attributes, order, blank or not), or that never match a built page.
SHAPE_PSEUDO_CLASSES = {
    "not", "is", "where", "has", "hover", "focus", "focus-visible", "focus-within",
    "active", "visited", "target", "host", "disabled", "enabled", "checked",
    "empty", "root", "first-child", "last-child", "only-child", "first-of-type",
    "last-of-type", "only-of-type", "nth-child", "nth-last-child", "nth-of-type",
    "nth-last-of-type", "link", "any-link", "indeterminate",
}  # fmt: skip
# Attributes that no pseudo-class above reads the value of: only the answers
# of the selectors' own tests of them ([href^="http"]) are kept. So are those
# of every data-* attribute (a paper's data-print address).
VALUE_BLIND = {"href", "src", "srcset", "title", "alt", "content", "datetime", "aria-label",
               "aria-labelledby", "aria-describedby", "aria-controls", "for", "style"}  # fmt: skip
PSEUDO_CLASS_NAME = re.compile(r"(?<!:):(?!:)([\w-]+)")
ID_NAME = re.compile(r"#([\w-]+)")
ATTRIBUTE_TEST = re.compile(r"\[\s*([\w-]+)\s*(?:([~|^$*]?=)\s*(\"[^\"]*\"|'[^']*'|[\w-]+)\s*)?\]")
CSS_SPACE = re.compile(r"[ \t\r\n\f]+")
Test = tuple[str, str]  # an attribute selector's operator and value


def selectors_of(rules: list[Rule | Group]) -> list[str]:
    found: list[str] = []
    for rule in rules:
        if isinstance(rule, Rule):
            found += rule.selectors
        else:
            found += selectors_of(rule.children)
    return found


@dataclass
class ShapeReading:
    """What the sheets' selectors look at: the attributes' tests by name, the ids named."""

    tests: dict[str, set[Test]] = field(default_factory=dict)
    ids: set[str] = field(default_factory=set)


def shape_reading(selectors: list[str]) -> ShapeReading | None:
    """None when a selector is one this reading does not cover: an escape, an
    attribute test with a flag or one not read here, a pseudo-class that
    reads text or a value the shape drops (such as ``:lang``)."""
    reading = ShapeReading()
    for selector in selectors:
        if "\\" in selector:
            return None
        if compiled(for_load(selector, NO_SCRIPT_CLASS)) is None:
            continue  # soupsieve cannot read it (:valid): kept on every page alike
        names = PSEUDO_CLASS_NAME.findall(PSEUDO_ELEMENT.sub("", ARGUMENTS.sub("", selector)))
        if any(name.lower() not in SHAPE_PSEUDO_CLASSES for name in names):
            return None
        tests = ATTRIBUTE_TEST.findall(selector)
        if len(tests) != selector.count("["):
            return None
        for name, operator, written in tests:
            value = written[1:-1] if written[:1] in ("'", '"') else written
            if operator == "~=" and (not value or CSS_SPACE.search(value)):
                return None  # never matches in CSS: left to soupsieve's own reading
            reading.tests.setdefault(name.lower(), set()).add((operator, value))
        reading.ids.update(ID_NAME.findall(selector))
    return reading


def page_shape(html: str, reading: ShapeReading, hrefs: list[str]) -> str:
    """What the page's critical CSS depends on, as a key (see above), read
    from the page's tags and texts as the parser meets them, without building
    its tree (which cost a quarter of a cold build at 1,000 papers). The same
    tags, attributes and blank or non-blank texts in the same order make the
    same tree: the key tells apart at least the pages the tree would."""
    reader = ShapeReader(reading)
    reader.feed(html)
    reader.close()
    parts = [json.dumps([hrefs, reader.sources]), *reader.parts]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


class ShapeReader(HTMLParser):
    """A page's shape (:func:`page_shape`): its tokens, each attribute's value
    as :func:`shown_value` keeps it, each text as blank or not; and the
    scripts of _static/ it loads (whose classes count as present)."""

    def __init__(self, reading: ShapeReading):
        super().__init__(convert_charrefs=True)
        self.reading = reading
        self.parts: list[str] = []
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # A value-less attribute (<details open>) is the empty text, as in the tree.
        self.parts.append("<" + tag + "".join(
            f" {name}={shown_value(name, value or '', self.reading)!r}" for name, value in attrs
        ))  # fmt: skip
        source = dict(attrs).get("src") if tag == "script" else None
        if source and "_static/" in source:
            self.sources.append(source)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.parts.append("/>")

    def handle_endtag(self, tag: str) -> None:
        self.parts.append("</" + tag)

    def handle_data(self, data: str) -> None:
        self.parts.append("t" if CSS_SPACE.sub("", data) else "b")

    def handle_comment(self, data: str) -> None:
        self.parts.append("<!--")

    def handle_decl(self, decl: str) -> None:
        self.parts.append("<!" + decl)

    def handle_pi(self, data: str) -> None:
        self.parts.append("<?" + data)

    def unknown_decl(self, data: str) -> None:
        self.parts.append("<![" + data)


def shown_value(name: str, value: Any, reading: ShapeReading) -> Any:
    if name == "id" and "id" not in reading.tests:
        return value if value in reading.ids else ""
    if name not in VALUE_BLIND and not name.startswith("data-"):
        return value
    text = " ".join(value) if isinstance(value, list) else str(value)
    return [passes(text, test) for test in sorted(reading.tests.get(name, ()))]


def passes(value: str, test: Test) -> bool:
    """Whether *value* passes an attribute selector's test, case and all."""
    operator, wanted = test
    return {
        "": True,
        "=": value == wanted,
        "~=": wanted in CSS_SPACE.split(value),
        "|=": value == wanted or value.startswith(wanted + "-"),
        "^=": value.startswith(wanted),
        "$=": value.endswith(wanted),
        "*=": wanted in value,
    }[operator]


def with_critical_css(html: str, css: str, sheets: list[tuple[str, str]]) -> str:
    """The page with *css* inline and its *sheets* deferred (once: a page
    done before only gets its new CSS)."""
    style = f"<style data-first-paint>{css}</style>"
    if STYLE.search(html):
        return STYLE.sub(lambda _: style, html, count=1)
    first, last = sheets[0][0], sheets[-1][0]
    fallback = "<noscript>" + "".join(tag for tag, _ in sheets) + "</noscript>"
    for tag, _ in sheets:
        late = tag.replace("<link ", f"<link {DEFERRED} ", 1)
        late = (style if tag == first else "") + late + (fallback if tag == last else "")
        html = html.replace(tag, late, 1)
    return html


def without_critical_css(html: str) -> str:
    return STYLE.sub("<style data-first-paint></style>", html, count=1)


class CriticalCache:
    """Each page's critical CSS, by the page's text and the style sheets'
    checksums; kept in the doctree folder between builds."""

    def __init__(self, folder: Path, sheets_key: str):
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.sheets_key = sheets_key
        self.state = folder / "state.json"
        try:
            self.previous = json.loads(self.state.read_text("utf-8"))["sheets"]
        except (OSError, ValueError, KeyError):
            self.previous = None

    @property
    def sheets_changed(self) -> bool:
        return self.previous != self.sheets_key

    def get(self, html: str, compute) -> str:
        key = hashlib.sha256((without_critical_css(html) + self.sheets_key).encode()).hexdigest()
        cached = self.folder / f"{key[:24]}.css"
        if not cached.exists():
            # Two processes of the first paint may have two pages of the same text.
            write_whole(cached, compute().encode("utf-8"))
        return cached.read_text("utf-8")

    def save(self) -> None:
        self.state.write_text(json.dumps({"sheets": self.sheets_key}), "utf-8")


def sheets_key(static: Path) -> str:
    digest = hashlib.sha256(SCHEME.encode())
    for sheet in sorted(static.rglob("*.css")):
        digest.update(sheet.relative_to(static).as_posix().encode() + sheet.read_bytes())
    return digest.hexdigest()[:24]


def inline_critical_css(
    outdir: Path,
    pages: dict[str, Path],
    fresh: set[str],
    doctrees: Path,
    processes: int | None = None,
) -> list[str]:
    """Give each page written since the last build (every page, when a style
    sheet or this module changed) its critical CSS; the names of the pages
    written. On *processes* processes (by default one per core for a site of
    many pages, :func:`process_count`): each page's CSS is its own, so the
    pages come out the same however they are shared."""
    static = outdir / "_static"
    cache = CriticalCache(doctrees / "first-paint", sheets_key(static))
    todo = sorted(set(pages) if cache.sheets_changed else fresh & set(pages))
    shares = shared_out(
        [(name, pages[name]) for name in todo], processes or process_count(len(todo))
    )
    if len(shares) > 1:
        # Forked: the workers start with the sheets and selectors read so far.
        with ProcessPoolExecutor(len(shares), mp_context=get_context("fork")) as pool:
            done = [name for names in pool.map(inline_pages, [static] * len(shares),
                                                [cache] * len(shares), shares)
                    for name in names]  # fmt: skip
    else:
        done = [name for share in shares for name in inline_pages(static, cache, share)]
    cache.save()
    written = set(done)
    return [name for name in todo if name in written]


# A process for fewer pages costs more than it saves (a fork, and the shapes
# each process finds again): the owner's dozen pages and a one-page rebuild
# are done in the build's process.
PAGES_PER_PROCESS = 100


def process_count(pages: int) -> int:
    return max(1, min(usable_cores(), pages // PAGES_PER_PROCESS))


def shared_out(pages: list[tuple[str, Path]], processes: int) -> list[list[tuple[str, Path]]]:
    """*pages* in *processes* shares of about the same size in bytes, the
    largest pages first (a CV of 1,000 papers weighs as much as hundreds of
    paper pages); empty shares left out."""
    shares: list[list[tuple[str, Path]]] = [[] for _ in range(max(1, processes))]
    sizes = [0] * len(shares)
    for name, path in sorted(pages, key=lambda page: -page[1].stat().st_size):
        lightest = sizes.index(min(sizes))
        shares[lightest].append((name, path))
        sizes[lightest] += path.stat().st_size
    return [sorted(share) for share in shares if share]


def inline_pages(static: Path, cache: CriticalCache, pages: list[tuple[str, Path]]) -> list[str]:
    """Inline the critical CSS of *pages*; the names of those written."""
    sheets, written, shapes = Sheets(static), [], Shapes()
    for name, path in pages:
        html = path.read_text("utf-8")
        found = screen_sheets(html[: html.find("</head>")])
        if not found:
            continue
        hrefs = [href for _, href in found]
        css = cache.get(html, lambda: critical_css(html, sheets, hrefs, shapes))  # noqa: B023
        new = with_critical_css(html, css, found)
        if new != html:
            path.write_text(new, "utf-8")
            written.append(name)
    return written
