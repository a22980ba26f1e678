"""schema.org JSON-LD, as a search engine reads it: expanded with PyLD against
the vendored schema.org context (offline), every type and property checked
against the vendored vocabulary (tests/fixtures/schemaorg/README.md), and the
papers' owner-author tied to the home page's Person by one @id."""

from __future__ import annotations

import gzip
import json
from functools import cache
from pathlib import Path

import pytest
from conftest import OTHER_SOURCES, OTHER_URL, SITE_URL, contract_urls, public_urls

# Pure: a test whose fixtures build a site is marked build by conftest.py.
pytestmark = pytest.mark.pure


SCHEMA_ORG = Path(__file__).parent / "fixtures" / "schemaorg"
SDO = "http://schema.org/"  # the context's @vocab
CONTEXT_URLS = {
    "https://schema.org",
    "https://schema.org/",
    "http://schema.org",
    "http://schema.org/",
}
PAPERS = [
    url for url in public_urls() if url.startswith("/publications/") and url != "/publications/"
]
OTHER_PAPERS = [  # the made-up portfolio's: a thesis, a patent, a talk, a preprint
    url
    for url in contract_urls(OTHER_SOURCES)
    if url.startswith("/publications/") and url != "/publications/"
]
DATA_TYPES = {"Text", "URL", "Number", "Integer", "Float", "Date", "DateTime", "Time", "Boolean"}


def read_gzip_json(name: str):
    return json.loads(gzip.decompress((SCHEMA_ORG / name).read_bytes()))


def document_loader(url: str, options=None):
    """Serve schema.org's context from the fixture; any other URL is an error
    (the test never reaches the network)."""
    if url not in CONTEXT_URLS:
        raise ValueError(f"the test loads no document from {url}")
    return {"contextUrl": None, "documentUrl": url,
            "document": read_gzip_json("schemaorgcontext.jsonld.gz")}  # fmt: skip


@cache
def vocabulary() -> tuple[dict[str, set[str]], dict[str, dict[str, set[str]]]]:
    """schema.org's classes (name -> superclasses, itself included) and its
    properties (name -> {"domain": ..., "range": ...})."""
    graph = read_gzip_json("schemaorg-current-http.jsonld.gz")["@graph"]

    def names(value) -> set[str]:
        items = value if isinstance(value, list) else [value] if value else []
        return {item["@id"].removeprefix("schema:") for item in items}

    parents = {n["@id"].removeprefix("schema:"): names(n.get("rdfs:subClassOf"))
               for n in graph if "rdfs:Class" in (n["@type"] if isinstance(n["@type"], list) else [n["@type"]])}  # fmt: skip
    properties = {n["@id"].removeprefix("schema:"):
                  {"domain": names(n.get("schema:domainIncludes")), "range": names(n.get("schema:rangeIncludes"))}
                  for n in graph if n["@type"] == "rdf:Property"}  # fmt: skip

    def ancestors(name: str) -> set[str]:
        found = {name}
        for parent in parents.get(name, ()):
            found |= ancestors(parent)
        return found

    return {name: ancestors(name) for name in parents}, properties


def term(iri: str) -> str:
    assert iri.startswith(SDO), (
        f"{iri} is not a schema.org term (a misspelled property expands to nothing or elsewhere)"
    )
    return iri.removeprefix(SDO)


def problems_of(node: dict, where: str) -> list[str]:
    """Every type and property of an expanded node (and of the nodes in it)
    exists, and each property is allowed on its node's type and holds a value
    of a type its range allows."""
    classes, properties = vocabulary()
    found = []
    types = [term(t) for t in node.get("@type", [])]
    unknown = [t for t in types if t not in classes]
    found += [f"{where}: type {t} is not in schema.org" for t in unknown]
    kinds = set().union(*(classes.get(t, {t}) for t in types)) if types else {"Thing"}
    for key, values in node.items():
        if key.startswith("@"):
            continue
        name = term(key)
        if name not in properties:
            found.append(f"{where}: property {name} is not in schema.org")
            continue
        if not properties[name]["domain"] & kinds:
            found.append(f"{where}: {name} is not a property of {types}")
        for value in values:
            if "@value" in value:
                if not properties[name]["range"] & (DATA_TYPES | {"Text"}):
                    found.append(f"{where}: {name} takes a {properties[name]['range']}, not text")
                continue
            inner = {term(t) for t in value.get("@type", [])}
            inner_kinds = set().union(*(classes.get(t, {t}) for t in inner)) if inner else {"Thing"}
            if "@type" in value and not properties[name]["range"] & inner_kinds:
                found.append(f"{where}: {name} takes a {properties[name]['range']}, not {inner}")
            found += problems_of(value, f"{where} > {name}")
    return found


def blocks(site, url: str) -> list[dict]:
    return [
        json.loads(s.string) for s in site.page(url).find_all("script", type="application/ld+json")
    ]


def expanded(data: dict) -> list[dict]:
    from pyld import jsonld

    return jsonld.expand(data, {"documentLoader": document_loader})


@pytest.mark.parametrize(
    ("which", "url"),
    [("site", url) for url in ["/", *PAPERS]]
    + [("other_site", url) for url in ["/", *OTHER_PAPERS]],
)
@pytest.mark.build
def test_json_ld_expands_to_schema_org_terms_only(request, which, url):
    site = request.getfixturevalue(which)
    found, nodes = [], 0
    for data in blocks(site, url):
        for node in expanded(data):
            nodes += 1
            found += problems_of(node, url)
    assert nodes >= 1
    assert not found, "\n".join(found)


def test_the_check_sees_a_misspelled_or_misplaced_term():
    """The check above can fail: a made-up property, a property of another type."""
    bad = {"@context": "https://schema.org", "@type": "ScholarlyArticle",
           "volumeNumber": "3", "autor": {"@type": "Person", "name": "X"}}  # fmt: skip
    found = problems_of(expanded(bad)[0], "bad")
    assert any("volumeNumber is not a property of ['ScholarlyArticle']" in f for f in found), found
    assert any("autor" in f for f in found), found


def owner_ids(data: dict) -> list[str]:
    return [a["@id"] for a in data.get("author", []) if a.get("name") == "Ziqi Zhao"]


def test_owner_author_is_the_home_page_person(site):
    person = next(d for d in blocks(site, "/") if d["@type"] == "Person")
    assert person["@id"] == SITE_URL + "#person"
    for url in PAPERS:
        (paper,) = blocks(site, url)
        assert owner_ids(paper) == [person["@id"]], url
        others = [a for a in paper["author"] if a["name"] != "Ziqi Zhao"]
        assert others and not any("@id" in a for a in others)


def test_other_owner_author_is_the_home_page_person_and_works_have_their_types(other_site):
    person = next(d for d in blocks(other_site, "/") if d["@type"] == "Person")
    assert person["@id"] == OTHER_URL + "#person"
    assert person["name"] == "Zoë Ñúñez-Łukasiewicz"
    assert person["sameAs"] == ["https://example.org/~zoe/"]  # its one profile
    types = {}
    for url in OTHER_PAPERS:
        (work,) = blocks(other_site, url)
        assert [a["@id"] for a in work["author"] if "@id" in a] == [person["@id"]], url
        types[url] = work["@type"]
    assert types == {
        "/publications/nunez2021runoff/": "Thesis",
        "/publications/nunez2023gauge/": "CreativeWork",  # schema.org has no Patent
        "/publications/nunez2024talk/": "CreativeWork",
        "/publications/nunez2024reverb/": "ScholarlyArticle",
    }


@pytest.mark.parametrize("url", PAPERS)
def test_paper_json_ld_has_its_card_as_image(site, url):
    (paper,) = blocks(site, url)
    og_image = site.page(url).head.find("meta", property="og:image")["content"]
    assert paper["image"] == og_image and og_image.startswith(SITE_URL)


def test_paper_json_ld_has_publisher_volume_issue_and_same_as(site):
    (grafics,) = blocks(site, "/publications/zhuo2022grafics/")
    assert grafics["publisher"] == {"@type": "Organization", "name": "IEEE"}
    assert "https://doi.org/10.1109/ICDCS54860.2022.00105" in grafics["sameAs"]
    assert "https://arxiv.org/abs/2210.07895" in grafics["sameAs"]
    (iot,) = blocks(site, "/publications/tan2020iot/")
    assert iot["isPartOf"] == {
        "@type": "PublicationIssue", "issueNumber": "3",
        "isPartOf": {"@type": "PublicationVolume", "volumeNumber": "3",
                     "isPartOf": {"@type": "Periodical", "name": "IEEE Internet of Things Magazine"}},
    }  # fmt: skip
    assert "publisher" not in iot  # refs.bib names none: nothing is guessed
    (neurips,) = blocks(site, "/publications/liu2022robust/")
    assert neurips["isPartOf"]["@type"] == "PublicationVolume"
    assert neurips["isPartOf"]["volumeNumber"] == "35"
    assert "https://arxiv.org/abs/2202.01341" in neurips["sameAs"]
