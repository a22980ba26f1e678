"""Zotero's "Embedded Metadata" translator, as far as a paper page exercises
it: our reading of its rules, in Python, so that CI can run it.

Its tables are read from the translator files themselves, vendored in
tests/fixtures/zotero/ (their SOURCE.md): Highwire's tag-to-field map and the
item type each ``citation_*`` tag implies (Embedded Metadata.js), the
Open Graph properties the RDF translator takes as the abstract and the URL
(RDF.js), and each item type's fields (Zotero's schema). The rules between
them follow Embedded Metadata.js's ``init()``, ``addHighwireMetadata()``,
``addLowQualityMetadata()`` and ``finalDataCleanup()`` and RDF.js's
``importItem()``, step by step. Whatever a page has that these rules do not
cover (Dublin Core, PRISM, an all-lowercase name ...) raises
:class:`NotModelled` rather than guessing.

tests/test_zotero.py checks this model against the real translator: items
recorded by running Zotero's translation server on the same pages, and on
heads that misled it, must equal what the model reads.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import urljoin

from bs4 import BeautifulSoup

FIXTURES = Path(__file__).parent / "fixtures" / "zotero"
EMBEDDED_METADATA = FIXTURES / "Embedded Metadata.js"
RDF = FIXTURES / "RDF.js"

# Open Graph properties the pages may carry that the RDF translator reads
# for nothing an item keeps here (images; og:type "article" is only a guess
# below the Highwire one; og:site_name names websites, blogs and newspapers).
OG_IGNORED = {"image", "image:width", "image:height", "image:alt", "locale"}
WEBSITE_TYPES = {"blogPost", "webpage", "newspaperArticle"}
# Fields the Zotero client or server fills in itself, not from the page's data.
ZOTERO_SUPPLIED = {"key", "version", "accessDate", "libraryCatalog", "language", "tags",
                   "attachments", "notes", "seeAlso", "shortTitle"}  # fmt: skip


class NotModelled(Exception):
    """The page uses a part of the translator this model does not cover."""


@cache
def translator_source(path: Path) -> str:
    return path.read_text("utf-8")


@cache
def highwire_mappings() -> dict[str, str]:
    """HIGHWIRE_MAPPINGS: citation_* tag -> Zotero field."""
    block = re.search(
        r"var HIGHWIRE_MAPPINGS = \{(.*?)\n/\*", translator_source(EMBEDDED_METADATA), re.S
    )
    return dict(re.findall(r'^\s*(citation_\w+):\s*"(\w+)"', block.group(1), re.M))


@cache
def highwire_types() -> tuple[dict[str, str], dict[str, str]]:
    """The item type each tag sets in init()'s switch: (hwType, hwTypeGuess)."""
    source = translator_source(EMBEDDED_METADATA)
    block = source[
        source.index("var shortTag = tag.slice") : source.index("// WordPress indicators")
    ]
    sure, guess, pending = {}, {}, []
    for line in block.splitlines():
        if case := re.search(r"case ['\"](citation_\w+)['\"]:", line):
            pending.append(case.group(1))
        elif found := re.search(r'hwType = "(\w+)"', line):
            sure.update(dict.fromkeys(pending, found.group(1)))
        elif found := re.search(r'hwTypeGuess = (?:hwTypeGuess \|\| )?"(\w+)"', line):
            soft = "hwTypeGuess ||" in line
            guess.update(dict.fromkeys(pending, ("soft:" if soft else "") + found.group(1)))
        elif "break;" in line:
            pending = []
    return sure, guess


@cache
def prefixes() -> dict[str, str]:
    block = re.search(r"var _prefixes = \{(.*?)\};", translator_source(EMBEDDED_METADATA), re.S)
    return dict(re.findall(r'^\s*(\w+):\s*"([^"]+)"', block.group(1), re.M))


def rdf_list(start: str) -> list[tuple[str, str]]:
    """The (namespace, property) list RDF.js reads after *start*, in order."""
    source = translator_source(RDF)
    at = source.index(start)
    block = source[at : source.index("]", at)]
    return re.findall(r'n\.(\w+) \+ "([\w:.]+)"', block)


@cache
def rdf_og_fields() -> dict[str, str]:
    """The Open Graph properties RDF.js takes for a field."""
    lists = {
        "abstractNote": rdf_list("newItem.abstractNote = getFirstResults(node, [n.eprints"),
        "url": rdf_list("var url = getFirstResults(node, [n.eprints"),
        "title": rdf_list('newItem.title = getFirstResults(node, [n.dc + "title"'),
        "date": rdf_list('newItem.date = getFirstResults(node, [n.eprints + "date"'),
    }
    return {prop: field for field, pairs in lists.items() for ns, prop in pairs if ns == "og"}


@cache
def schema() -> dict:
    return json.loads((FIXTURES / "item-types.json").read_text("utf-8"))


def type_field(item_type: str, field: str) -> str | None:
    """The field's name in this item type (a base field such as
    publicationTitle becomes proceedingsTitle), or None if it has none."""
    fields = schema()["fields"][item_type]
    if field in fields:
        return field
    return next((name for name, base in fields.items() if base == field), None)


# -- Zotero's utilities, as Embedded Metadata calls them ------------------------


def trim_internal(text: str) -> str:
    return re.sub(r"[\xa0\r\n\s]+", " ", text).strip()


INITIAL = re.compile(r"^-?[A-Z\u0400-\u042f]$")
ALL_CAPS = re.compile(r"^[A-Z\u0400-\u042f]+$")


def clean_author(author: str, role: str, use_comma: bool) -> dict[str, str]:
    """ZU.cleanAuthor (JavaScript's replace() changes the first match only)."""
    author = re.sub(r"^[\s\xa0.,/\[\]:]+", "", author)
    author = re.sub(r"[\s\xa0.,/\[\]:]+$", "", author)
    author = re.sub(r"[\s\xa0]+", " ", author, count=1)
    if not use_comma:
        raise NotModelled(f"an author without a comma: {author!r}")
    author = re.sub(r"\.([^ ])", r". \1", author, count=1)
    parts = re.split(r"[,\u060c] ?", author)
    last, first = parts[0], parts[1] if len(parts) > 1 else ""
    if (
        first
        and ALL_CAPS.match(first)
        and len(first) < 4
        and (len(first) == 1 or last.upper() != last)
    ):
        first = " ".join(f"{letter}." for letter in first)
    if first:
        first = re.sub(r"^[\s.]+", "", first)
        first = re.sub(r"[\s,]+$", "", first)
        first = re.sub(
            r"\s*([\u002d\u00ad\u2010-\u2015\u2212\u2e3a\u2e3b])\s*", "-", first, count=1
        )
        names = [n for n in re.split(r"(?:[\s.]+|(?=-))", first) if n]
        first = " ".join(n + ("." if INITIAL.match(n) else "") for n in names)
        first = first.replace(" -", "-").strip()
    return {"firstName": first, "lastName": last, "creatorType": role}


def fix_case(name: str) -> str:
    if name.upper() == name or name.lower() == name:
        raise NotModelled(f"{name!r} is all one case: Zotero recases it (ZU.capitalizeTitle)")
    return name


def clean_doi(text: str) -> str | None:
    found = re.search(r"10(?:\.[0-9]{4,})?/\S*[^\s.,]", text)
    return found.group(0) if found else None


# -- The translator ---------------------------------------------------------------


def meta_tags(page: BeautifulSoup) -> list[tuple[str, str]]:
    """Every <meta> with a name (or property) and content, in document order."""
    found = []
    for tag in page.find_all("meta"):
        name, value = tag.get("name") or tag.get("property"), tag.get("content")
        if name and value:
            found.append((name, value))
    return found


def read_tags(tags: list[tuple[str, str]]) -> tuple[str | None, str | None, dict, list]:
    """init(): the Highwire type (the last tag that sets one wins), the guess,
    and the RDF statements (og:, z:), in order."""
    sure, guess = highwire_types()
    known = prefixes()
    hw_type = hw_guess = None
    statements = []
    for names, value in tags:
        for tag in names.split():
            parts = re.split(r"[.:_]", tag)
            prefix, length = None, 0
            if len(parts) > 2:
                prefix, length = parts[1].lower(), len(parts[0]) + len(parts[1]) + 1
            if not prefix or prefix not in known:
                prefix, length = parts[0].lower(), len(parts[0])
            if prefix in known:
                if prefix not in ("og", "z"):
                    raise NotModelled(f"a {prefix}: tag ({tag}): the RDF translator reads it")
                prop = tag[length + 1 :]
                statements.append((prefix, prop[:1].lower() + prop[1:], value))
            elif tag.lower() == "generator":
                if any(word in value.lower() for word in ("blogger", "wordpress", "wooframework")):
                    raise NotModelled("a blog's generator tag")
            else:
                short = tag[tag.rfind("citation_") :] if "citation_" in tag else ""
                if short in sure:
                    hw_type = sure[short]
                elif short in guess:
                    value_type = guess[short]
                    if value_type.startswith("soft:"):
                        hw_guess = hw_guess or value_type[5:]
                    else:
                        hw_guess = value_type
    return hw_type, hw_guess, {}, statements


def rdf_item(statements: list, hw_type: str | None, hw_guess: str | None) -> dict:
    """RDF.js's importItem() for the page's og: and z: statements."""
    first: dict[tuple[str, str], str] = {}
    for prefix, prop, value in statements:
        first.setdefault((prefix, prop), value)
    z_type = first.get(("z", "itemType"))
    og_type = {"website": "webpage", "book": "book"}.get(first.get(("og", "type"), ""))
    if z_type and z_type not in schema()["fields"]:
        z_type = None  # detectType() ignores a type this Zotero does not have
    item_type = hw_type or z_type or og_type or hw_guess or "webpage"
    item: dict = {"itemType": item_type}
    for prop, field in rdf_og_fields().items():
        if ("og", prop) in first and not item.get(field):
            item[field] = first[("og", prop)]
    site = first.get(("og", "site_name"))
    if site and item_type in WEBSITE_TYPES:
        item["publicationTitle"] = site
    for prefix, prop, _ in statements:
        if (
            prefix == "og"
            and prop not in rdf_og_fields()
            and prop not in OG_IGNORED | {"type", "site_name"}
        ):
            raise NotModelled(f"og:{prop}")
    # "OTHER FIELDS": every z: property but path and itemType, last of all.
    for (prefix, prop), value in first.items():
        if prefix == "z" and prop not in ("path", "itemType"):
            item[prop] = value
    return item


def highwire_creators(page: BeautifulSoup, name: str, role: str) -> list[dict]:
    nodes = [m["content"] for m in page.find_all("meta") if (m.get("name") or "").endswith(name)
             and m.get("content") is not None]  # fmt: skip
    creators, last_seen = [], None
    for node in nodes:
        names = re.split(r"\s*;\s*", node)
        if len(names) == 1 and len(nodes) == 1:
            by_comma = re.split(r"\s*,\s*", names[0])
            if len(by_comma) > 1 and " " in by_comma[0] and " " in by_comma[1]:
                names = by_comma  # (not a Spanish name: the pages say lang="en")
        for creator in (n.strip() for n in names):
            if not creator or not re.search(r"[^\s,\-.;]", creator) or creator == last_seen:
                continue
            last_seen = creator
            person = clean_author(creator, role, "," in creator)
            if person["firstName"]:
                person["firstName"], person["lastName"] = (
                    fix_case(person["firstName"]), fix_case(person["lastName"]))  # fmt: skip
            creators.append(person)
    return creators


def content(page: BeautifulSoup, suffix: str) -> str:
    """getContentText(doc, name): the first <meta name> ending in *suffix*, in <head>."""
    for tag in page.head.find_all("meta"):
        if (tag.get("name") or "").endswith(suffix) and (tag.get("content") or tag.get("contents")):
            return tag.get("content") or tag.get("contents")
    return ""


def embedded_metadata(html: str, page_url: str) -> dict:
    """The item Zotero saves from this page, before its client or server
    adds what it supplies itself (ZOTERO_SUPPLIED)."""
    page = BeautifulSoup(html, "lxml")
    hw_type, hw_guess, _, statements = read_tags(meta_tags(page))
    item = rdf_item(statements, hw_type, hw_guess) if statements else {
        "itemType": hw_type or hw_guess or "webpage"}  # fmt: skip
    # addHighwireMetadata()
    for tag, field in highwire_mappings().items():
        all_values = field in ("ISSN", "ISBN")
        if all_values:
            value = ", ".join(m.get("content", "") for m in page.head.find_all("meta")
                              if (m.get("name") or "").endswith(tag))  # fmt: skip
        else:
            value = content(page, tag)
        if value and value.strip():
            item[field] = trim_internal(value)
    creators = highwire_creators(page, "citation_author", "author") or highwire_creators(
        page, "citation_authors", "author")  # fmt: skip
    editors = highwire_creators(page, "citation_editor", "editor") or highwire_creators(
        page, "citation_editors", "editor")  # fmt: skip
    item["creators"] = creators + editors
    first, last = content(page, "citation_firstpage"), content(page, "citation_lastpage")
    first, last = first.replace("\u2013", "-"), last.replace("\u2013", "-")
    if "-" in first:
        first, last = first.split("-")[0].strip(), last or first.split("-")[1].strip()
    if "-" in last:
        first, last = first or last.split("-")[0].strip(), last.split("-")[1].strip()
    if first.strip():
        item["pages"] = first.strip() + (f"-{last.strip()}" if last.strip() else "")
    if hw_type:
        item["itemType"] = hw_type
    if not item.get("date") and (
        content(page, "citation_online_date") or content(page, "citation_year")
    ):
        raise NotModelled("citation_online_date / citation_year")
    issn = content(page, "citation_issn") or content(page, "citation_eIssn")
    if issn:
        item["ISSN"] = issn
    if content(page, "citation_pmid"):
        raise NotModelled("citation_pmid")
    if not item.get("url"):
        url = content(page, "citation_abstract_html_url") or content(
            page, "citation_fulltext_html_url"
        )
        if url:
            item["url"] = url
    # addLowQualityMetadata()
    if not item.get("title"):
        item["title"] = page.title.get_text() if page.title else ""
    item["title"] = re.sub(r"\s+", " ", item["title"])
    if item.get("publicationTitle"):
        item["title"] = re.sub(r"\s*[-–—=_:|~#]\s*" + re.escape(item["publicationTitle"]) + r"\s*$",
                               "", item["title"], flags=re.I)  # fmt: skip
    if not item["creators"]:
        raise NotModelled("a page without citation_author (byline guessing)")
    if not item.get("abstractNote"):
        described = page.find("meta", attrs={"name": re.compile("^description$", re.I)})
        if described and described.get("content"):
            item["abstractNote"] = trim_internal(described["content"])
    if not item.get("url"):
        canonical = page.head.find("link", rel="canonical")
        item["url"] = canonical["href"] if canonical else page_url
    # finalDataCleanup()
    if item.get("DOI"):
        item["DOI"] = clean_doi(item["DOI"])
        if not type_field(item["itemType"], "DOI"):
            item["extra"] = (
                item["extra"] + "\n" if item.get("extra") else ""
            ) + f"DOI: {item['DOI']}"
            del item["DOI"]
    item["url"] = urljoin(page_url, item["url"])
    return saved(item)


def saved(item: dict) -> dict:
    """What the translation framework keeps: every field under its name for the
    item type, only fields the type has, strings trimmed, no empty value."""
    kept = {"itemType": item["itemType"], "creators": item["creators"]}
    for field, value in item.items():
        if field in ("itemType", "creators") or not isinstance(value, str) or not value.strip():
            continue
        name = type_field(item["itemType"], field)
        if name and name not in kept:
            kept[name] = value.strip()
    return kept


def comparable(item: dict) -> dict:
    """An item without what Zotero supplies itself (its key, the date it was
    saved, the site it was saved from, a short title cut at the colon)."""
    return {k: v for k, v in item.items() if k not in ZOTERO_SUPPLIED}
