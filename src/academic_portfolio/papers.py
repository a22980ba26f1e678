"""Papers from refs.bib: one generated page per paper, the lists, links and metadata.

- refs.bib is read once, strictly, by :mod:`academic_portfolio.store`; every entry
  read here goes through it (so each page records the papers it shows). A page
  ``publications/<slug>`` is generated for every entry (the slug comes from
  the key, :func:`academic_portfolio.refsbib.paper_slug`), its source under the build
  folder (:mod:`academic_portfolio.generated`): adding an entry adds a page; a page
  whose entry is gone is removed; a page written by hand is never touched.
- ``{paper} slug`` renders a paper's page: title, citation, links, related
  projects, BibTeX. ``{paper-links} key`` renders just the link buttons.
- ``{publication-list}`` renders the whole list, grouped by year, through
  sphinxcontrib-bibtex (which sorts and groups it); each entry is set in the
  site's style (the owner in bold) and gets its link buttons and BibTeX.
- ``{selected-papers}`` lists the papers marked ``selected = {true}``.
- Every entry shows its venue and status labels (:mod:`academic_portfolio.venue`) and,
  when refs.bib gives one, its abstract (in full on its page, collapsed in
  the list); the build names the papers that have none.
- Google Scholar's ``citation_*`` tags and schema.org JSON-LD of a paper
  (``ScholarlyArticle``, ``Chapter``, ``Thesis`` ... by entry type), whose
  owner-author is the home page's ``Person`` (one ``@id``): made here, put
  in the page by :mod:`academic_portfolio.metadata`.
- ``/refs.bib``, the download, is written after the build from the same
  cleaned entries as the BibTeX boxes: no private field, no comment.

Data never becomes markup: field text is turned into document nodes
(:func:`rich_nodes`), which Sphinx escapes, never into Markdown source.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

from docutils import nodes
from markupsafe import escape
from pybtex.database import Entry, Person
from pybtex_docutils import Backend as DocutilsBackend
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective
from sphinx.util.osutil import relative_uri

from .bibstyle import EQUAL_CONTRIBUTION_FIELD, PortfolioStyle, is_others, same_person
from .generated import publish
from .latex import plain, text_backend, to_rich
from .refsbib import PRIVATE_FIELDS, Bibliography, arxiv_id
from .store import PortfolioDomain, portfolio
from .venue import labels, work_type

logger = logging.getLogger(__name__)
PAPERS_DIR = "publications"
BIB_DOWNLOAD = "refs.bib"  # written at the root of the site
PERSON_ID = "#person"  # the home page's Person, the owner-author of every paper
GENERATED_MARK = "% Generated from refs.bib by _ext/portfolio/papers.py: do not edit.\n"
EQUAL_CONTRIBUTION_LEGEND = "* Equal contribution."


# -- Reading refs.bib and generating one page per paper ----------------------


def on_builder_inited(app: Sphinx) -> None:
    """After academic_portfolio.store read refs.bib: a page per entry, generated."""
    bib = portfolio(app.env).bibliography
    publish(app, {f"{PAPERS_DIR}/{slug}": text for slug, text in paper_pages(bib).items()})
    if notice := missing_abstracts_notice(bib):
        logger.info(notice)


def missing_abstracts_notice(bib: Bibliography) -> str:
    """One line naming the papers without an abstract (a notice: the owner
    adds abstracts, the build never invents one)."""
    keys = [
        key for key, entry in bib.entries.items() if not entry.fields.get("abstract", "").strip()
    ]
    if not keys:
        return ""
    return (f"refs.bib: {len(keys)} paper(s) without an abstract, which Google Scholar needs to "
            f"index a paper's page (README, \"Add a paper\"): {', '.join(keys)}")  # fmt: skip


def paper_pages(bib: Bibliography) -> dict[str, str]:
    """The Markdown source of each paper's page, by slug. The page holds no
    data, only the slug (lowercase letters, digits, dashes): the directive
    renders the entry as document nodes, so no title can become markup."""
    return {slug: paper_page(slug) for slug in bib.slugs.values()}


def paper_page(slug: str) -> str:
    return f"{GENERATED_MARK}\n```{{paper}} {slug}\n```\n"


# -- Formatting ---------------------------------------------------------------


def person_name(person: Person) -> str:
    """'Süsstrunk, Sabine' -> 'Sabine Süsstrunk'."""
    parts = person.first_names + person.middle_names + person.prelast_names + person.last_names
    return plain(" ".join(parts))


def persons(entry: Entry, role: str = "author") -> list[Person]:
    """The people of a role, without BibTeX's "others" (never a person)."""
    return [p for p in entry.persons.get(role, []) if not is_others(p)]


def rich_nodes(latex: str) -> list[nodes.Node]:
    """A LaTeX field as document nodes (text, emphasis, links): never markup."""
    return to_rich(latex).render(docutils_backend())


@functools.cache
def docutils_backend() -> DocutilsBackend:
    return DocutilsBackend()


def formatted_entry(entry: Entry, style: PortfolioStyle):
    return style.format_entry("", entry)


def citation_nodes(entry: Entry, style: PortfolioStyle) -> list[nodes.Node]:
    return [docutils_backend().paragraph(formatted_entry(entry, style))]


def citation_text(entry: Entry, style: PortfolioStyle) -> str:
    return formatted_entry(entry, style).text.render(text_backend())  # not render_as: see there


def paper_links(entry: Entry) -> list[tuple[str, str]]:
    """The (label, url) buttons an entry's fields give, in a fixed order."""
    fields = entry.fields
    links = []
    if "url" in fields:
        links.append(("Paper", fields["url"]))
    if "pdf" in fields:
        links.append(("PDF", fields["pdf"]))
    if "doi" in fields:
        links.append(("DOI", doi_url(fields["doi"])))
    if arxiv_id(entry):
        links.append(("arXiv", f"https://arxiv.org/abs/{arxiv_id(entry)}"))
    if "openreview" in fields:
        links.append(("OpenReview", fields["openreview"]))
    if "code" in fields:
        links.append(("Code", fields["code"]))
    return links


def doi_url(doi: str) -> str:
    return "https://doi.org/" + quote(doi, safe="/:;()._-")


def link_buttons(entry: Entry) -> nodes.paragraph:
    """The entry's link buttons (refsbib accepts only https, http and mailto)."""
    container = nodes.paragraph(classes=["paper-links"])
    for label, url in paper_links(entry):
        ref = nodes.reference("", "", internal=False, refuri=url,
                              classes=["sd-btn", "sd-btn-outline-primary", "paper-link"])  # fmt: skip
        ref += nodes.Text(label)
        container += ref
    return container


def clean_bibtex(entry: Entry) -> str:
    """The entry as BibTeX, as written in refs.bib (LaTeX kept), every field
    but our private ones, in the entry's own order."""
    lines = [f"@{entry.type}{{{entry.key},"]
    for role, people in entry.persons.items():
        lines.append(f"  {role.lower()} = {{{' and '.join(str(p) for p in people)}}},")
    for name, value in entry.fields.items():
        if name.lower() not in PRIVATE_FIELDS:
            lines.append(f"  {name.lower()} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines)


def bibliography_file(entries, style: PortfolioStyle) -> str:
    """The downloadable refs.bib: every entry, newest first, as the BibTeX
    boxes show it (no private field, no comment)."""
    return "\n\n".join(clean_bibtex(entry) for entry in style.sort(entries)) + "\n"


def download_link(env, label: str) -> nodes.paragraph:
    """A link to /refs.bib, which is written after the pages (so not a {download})."""
    uri = relative_uri(env.app.builder.get_target_uri(env.docname), BIB_DOWNLOAD)
    link = nodes.reference("", label, refuri=uri, classes=["bib-download"])
    return nodes.paragraph("", "", link, classes=["bib-download-line"])


def label_nodes(entry: Entry) -> list[nodes.Node]:
    """The venue and status labels ("NeurIPS 2022", "Preprint"), as text."""
    found = labels(entry)
    if not found:
        return []
    line = nodes.container(classes=["paper-labels"])  # a <div>: the first <p> is the citation
    for kind, text in found:
        line += nodes.inline("", text, classes=["paper-label", f"paper-label-{kind}"])
        line += nodes.Text(" ")
    return [line]


def abstract_nodes(entry: Entry) -> list[nodes.paragraph]:
    """The abstract's paragraphs (blank lines part them), as text."""
    text = entry.fields.get("abstract", "")
    return [nodes.paragraph("", "", *rich_nodes(part.strip()))
            for part in re.split(r"\n\s*\n", text) if part.strip()]  # fmt: skip


def bibtex_block(entry: Entry) -> nodes.literal_block:
    text = clean_bibtex(entry)
    block = nodes.literal_block(text, text, language="bibtex")
    block["classes"].append("bibtex")
    return block


class bibtex_details(nodes.General, nodes.Element):
    """A collapsed <details> box (an entry's BibTeX or abstract, in a list)."""


def visit_details(self, node) -> None:
    self.body.append(
        f'<details class="{" ".join(node["classes"])}"><summary>{escape(node["summary"])}</summary>'
    )


def depart_details(self, node) -> None:
    self.body.append("</details>")


def has_equal_contribution(entries) -> bool:
    return any(EQUAL_CONTRIBUTION_FIELD in entry.fields for entry in entries)


def legend() -> nodes.paragraph:
    return nodes.paragraph("", EQUAL_CONTRIBUTION_LEGEND, classes=["equal-contribution-legend"])


# -- Directives ---------------------------------------------------------------


class BibDirective(SphinxDirective):
    @property
    def store(self) -> PortfolioDomain:
        return portfolio(self.env)

    def entry(self, key: str) -> Entry:
        entry = self.store.entry(self.env.docname, key)
        if entry is None:
            raise self.error(f"no entry '{key}' in refs.bib: check the key.")
        return entry


def paper_page_link(env, entry: Entry, *content: nodes.Node) -> addnodes.pending_xref:
    """A link to the entry's own page."""
    slug = portfolio(env).slug(env.docname, entry.key)
    return doc_link(env.docname, f"{PAPERS_DIR}/{slug}", *content)


def doc_link(from_doc: str, docname: str, *content: nodes.Node) -> addnodes.pending_xref:
    """A link to a page, resolved like {doc} (its title is not used)."""
    return addnodes.pending_xref(
        "", *content, refdomain="std", reftype="doc", reftarget=f"/{docname}",
        refexplicit=True, refdoc=from_doc,
    )  # fmt: skip


class PaperLinks(BibDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        buttons = link_buttons(self.entry(self.arguments[0]))
        return [buttons] if buttons.children else []


class PaperPage(BibDirective):
    """A generated per-paper page, ``{paper} <slug>``: its title and body, as
    nodes made from the entry (the page's source holds no data)."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        entry = self.store.entry_by_slug(self.env.docname, self.arguments[0])
        if entry is None:
            raise self.error(f"no entry of refs.bib has the page '{self.arguments[0]}'.")
        title = entry.fields["title"]
        section = nodes.section("", nodes.title("", "", *rich_nodes(title)),
                                ids=[nodes.make_id(plain(title)) or "paper"])  # fmt: skip
        self.state.document.note_implicit_target(section, section)
        section += label_nodes(entry)
        section += nodes.container("", *citation_nodes(entry, self.store.style),
                                   classes=["paper-citation"])  # fmt: skip
        if has_equal_contribution([entry]):
            section += legend()
        section += self.part(entry)
        buttons = link_buttons(entry)
        if buttons.children:
            section += buttons
        section += self.related_projects(entry.key)
        if abstract := abstract_nodes(entry):
            section += [nodes.rubric("", "Abstract", ids=["abstract"]),
                        nodes.container("", *abstract, classes=["paper-abstract"])]  # fmt: skip
        section += [nodes.rubric("", "BibTeX", ids=["bibtex"]), bibtex_block(entry)]
        section += download_link(self.env, "Download all papers as BibTeX (refs.bib)")
        section += self.parse_text_to_nodes("[All publications](/publications/index.md)")
        return [section]

    def part(self, entry: Entry) -> list[nodes.Node]:
        """The owner's part (academic_portfolio.part), with the newest project of the paper, if any."""
        from .part import LABEL, part_line

        projects = self.store.projects_citing(self.env.docname, entry.key)
        line = part_line(projects[0] if projects else None, entry, self.store.owner)
        return [nodes.paragraph("", f"{LABEL}: {line}", classes=["paper-part"])] if line else []

    def related_projects(self, key: str) -> list[nodes.Node]:
        return [
            nodes.paragraph("", "Related project: ",
                            doc_link(self.env.docname, p.docname, nodes.inline("", p.meta["title"])))
            for p in self.store.projects_citing(self.env.docname, key)
        ]  # fmt: skip


class PublicationList(BibDirective):
    """All papers, newest year first, through sphinxcontrib-bibtex; the paper
    pages in a hidden toctree below the page that holds the list."""

    def run(self) -> list[nodes.Node]:
        entries = self.store.entries(self.env.docname)
        if not entries:
            return [nodes.paragraph("", "No publications yet.", classes=["no-publications"])]
        years = sorted({entry.fields["year"] for entry in entries}, reverse=True)
        text = "".join(  # years are four digits (refsbib): no data reaches the markup
            f"(publications-{year})=\n## {year}\n\n"
            f'```{{bibliography}}\n:filter: year == "{year}"\n```\n\n'
            for year in years
        )
        # Each paper's page hangs below this list; slugs are lowercase letters,
        # digits and dashes (refsbib), so the toctree holds no data.
        pages = "\n".join(self.store.slug(self.env.docname, e.key)
                          for e in self.store.style.sort(entries))  # fmt: skip
        text += f"```{{toctree}}\n:hidden:\n\n{pages}\n```\n"
        out = [download_link(self.env, "Download all papers as BibTeX (refs.bib)")]
        if has_equal_contribution(entries):
            out.append(legend())
        return out + self.parse_text_to_nodes(text, allow_section_headings=True)


class SelectedPapers(BibDirective):
    """The papers marked ``selected = {true}``, newest first, linked to their pages."""

    def run(self) -> list[nodes.Node]:
        return publication_items(self, self.store.selected(self.env.docname))


def publication_items(directive: SphinxDirective, entries) -> list[nodes.Node]:
    """A list of citations, newest first, each linked to its paper page."""
    if not entries:
        return []
    style = portfolio(directive.env).style
    items = nodes.bullet_list(classes=["paper-list"])
    for entry in style.sort(entries):
        item = nodes.list_item()
        item += label_nodes(entry)
        item += citation_nodes(entry, style)
        item += nodes.paragraph(
            "", "", paper_page_link(directive.env, entry, nodes.inline("", "Paper page"))
        )
        items += item
    return [items, legend()] if has_equal_contribution(entries) else [items]


# -- Decorating the bibliography lists ----------------------------------------


def citation_keys(env) -> dict[str, str]:
    """Which entry each of sphinxcontrib-bibtex's citation ids stands for."""
    return {c.citation_id: c.key for c in env.get_domain("cite").citations}


class DecorateBibliography(SphinxPostTransform):
    """Turn sphinxcontrib-bibtex's citations into a plain list of paper entries.

    Runs after sphinxcontrib-bibtex builds them (priority 5). Each entry keeps
    its ids (so ``{cite}`` links still land on it), gains its key as a stable
    anchor, its link buttons, a link to its page and its BibTeX. A list, not
    ``doc-biblioentry`` citations: that ARIA role is deprecated, and the lists
    are grouped by year, so labels such as "[LZSS22]" would only be noise.
    """

    default_priority = 6

    def run(self, **kwargs: Any) -> None:
        groups = {id(c.parent): c.parent for c in self.document.findall(nodes.citation)}
        # sphinxcontrib-bibtex knows which entry each citation id stands for.
        self.keys = citation_keys(self.env)
        for group in groups.values():
            entries = nodes.bullet_list(classes=["paper-list", "bibliography"])
            for citation in [c for c in group.children if isinstance(c, nodes.citation)]:
                entries += self.entry_item(citation)
            group.replace_self(entries)

    def entry_item(self, citation: nodes.citation) -> nodes.list_item:
        """The entry, set by the site's style (the owner in bold): the page read
        every entry it lists through academic_portfolio.store when it was read."""
        store = portfolio(self.env)
        key = self.keys[citation["ids"][0]]
        entry, slug = store.bibliography.entries[key], store.bibliography.slugs[key]
        item = nodes.list_item("", ids=[slug, *citation["ids"]], classes=["paper-entry"])
        item += label_nodes(entry)
        item += citation_nodes(entry, store.style)
        buttons = link_buttons(entry)
        buttons += nodes.reference(
            "", "Paper page", internal=True,
            refuri=self.app.builder.get_relative_uri(self.env.docname, f"{PAPERS_DIR}/{slug}"),
            classes=["sd-btn", "sd-btn-outline-secondary", "paper-link"],
        )  # fmt: skip
        item += buttons
        if abstract := abstract_nodes(entry):
            item += bibtex_details("", *abstract, summary="Abstract", classes=["abstract-details"])
        details = bibtex_details(summary="BibTeX", classes=["bibtex-details"])
        details += bibtex_block(entry)
        item += details
        return item


class LinkCitationsToPaperPages(SphinxPostTransform):
    """A citation in a page's text (``{cite:p}`key```) links to the paper's own
    page, ``/publications/<slug>/``: a permanent address, where its place in
    the list (``#b1-key``) shifts when a paper of a new year is added."""

    default_priority = 20  # after sphinxcontrib-bibtex resolved it (Sphinx's resolver: 10)

    def run(self, **kwargs: Any) -> None:
        bib = portfolio(self.env).bibliography  # the page recorded each key it cites
        keys = citation_keys(self.env)
        for group in self.document.findall(nodes.inline):
            if "bibtex-citation" not in group["classes"]:
                continue
            for ref in group.findall(nodes.reference):
                key = keys.get(ref.get("refuri", "").partition("#")[2])
                if key in bib.slugs:
                    page = f"{PAPERS_DIR}/{bib.slugs[key]}"
                    ref["refuri"] = self.app.builder.get_relative_uri(self.env.docname, page)


# -- <head> metadata of paper pages -------------------------------------------

# Google Scholar's tag for the work an entry is part of, by entry type.
CONTAINER_TAGS = {
    "article": ("citation_journal_title", "journal"),
    "inproceedings": ("citation_conference_title", "booktitle"),
    "conference": ("citation_conference_title", "booktitle"),
    "incollection": ("citation_inbook_title", "booktitle"),
    "phdthesis": ("citation_dissertation_institution", "school"),
    "mastersthesis": ("citation_dissertation_institution", "school"),
    "techreport": ("citation_technical_report_institution", "institution"),
}
# The schema.org type of each entry type.
SCHEMA_TYPES = {
    "article": "ScholarlyArticle", "inproceedings": "ScholarlyArticle",
    "conference": "ScholarlyArticle", "misc": "ScholarlyArticle",
    "unpublished": "ScholarlyArticle", "incollection": "Chapter", "inbook": "Chapter",
    "book": "Book", "proceedings": "Book", "phdthesis": "Thesis", "mastersthesis": "Thesis",
    "techreport": "Report", "patent": "CreativeWork",  # schema.org has no Patent type
}  # fmt: skip


def page_range(entry: Entry) -> tuple[str, str]:
    first, _, last = entry.fields.get("pages", "").replace("--", "-").partition("-")
    return first.strip(), last.strip()


def scholar_tags(entry: Entry) -> list[tuple[str, str]]:
    """Google Scholar's citation_* tags, by its own names for each entry type,
    only for fields the entry has."""
    fields = entry.fields
    tags = [("citation_title", plain(fields["title"]))]
    tags += [
        ("citation_author",
         plain(f"{' '.join(p.last_names)}, {' '.join(p.first_names + p.middle_names)}"))
        for p in persons(entry)
    ]  # fmt: skip
    tags.append(("citation_publication_date", fields["year"]))
    if entry.type in CONTAINER_TAGS and CONTAINER_TAGS[entry.type][1] in fields:
        name, field_name = CONTAINER_TAGS[entry.type]
        tags.append((name, plain(fields[field_name])))
    if entry.type == "techreport" and "number" in fields:
        tags.append(("citation_technical_report_number", plain(fields["number"])))
    if "publisher" in fields:
        tags.append(("citation_publisher", plain(fields["publisher"])))
    if "volume" in fields:
        tags.append(("citation_volume", plain(fields["volume"])))
    if entry.type == "article" and "number" in fields:
        tags.append(("citation_issue", plain(fields["number"])))
    first, last = page_range(entry)
    if first:
        tags.append(("citation_firstpage", first))
    if last:
        tags.append(("citation_lastpage", last))
    for name in ("isbn", "issn", "doi"):
        if name in fields:
            tags.append((f"citation_{name}", fields[name]))
    if arxiv_id(entry):
        tags.append(("citation_arxiv_id", arxiv_id(entry)))
    if "pdf" in fields:
        tags.append(("citation_pdf_url", fields["pdf"]))
    if fields.get("abstract", "").strip():
        tags.append(("citation_abstract", " ".join(plain(fields["abstract"]).split())))
    return tags


def person_id(base_url: str) -> str:
    """The @id of the home page's Person (the owner), shared by every paper."""
    return base_url.rstrip("/") + "/" + PERSON_ID


def json_ld_person(person: Person, owner: Person | None, owner_id: str) -> dict[str, Any]:
    data = {"@type": "Person", "name": person_name(person)}
    if owner is not None and same_person(person, owner):
        data = {"@id": owner_id, **data}
    return data


def json_ld_container(entry: Entry) -> dict[str, Any] | None:
    """Where the work appeared: the journal or proceedings, inside it the volume,
    inside that the issue (schema.org's PublicationVolume/PublicationIssue
    chain, read from the innermost part out)."""
    fields = entry.fields
    name = fields.get("journal") or fields.get("booktitle")
    if not name:
        return None
    kind = {"article": "Periodical", "incollection": "Book"}.get(entry.type, "CreativeWorkSeries")
    part: dict[str, Any] = {"@type": kind, "name": plain(name)}
    if fields.get("volume"):
        part = {
            "@type": "PublicationVolume",
            "volumeNumber": plain(fields["volume"]),
            "isPartOf": part,
        }
    if entry.type == "article" and fields.get("number"):
        part = {
            "@type": "PublicationIssue",
            "issueNumber": plain(fields["number"]),
            "isPartOf": part,
        }
    return part


def scholarly_work(
    entry: Entry, page_url: str, owner: Person | None, owner_id: str
) -> dict[str, Any]:
    """schema.org JSON-LD of the entry, typed by its entry type; the *owner*
    among its people carries *owner_id*, the home page Person's @id."""
    fields = entry.fields
    kind = "CreativeWork" if work_type(entry) else SCHEMA_TYPES[entry.type]  # a talk, a poster
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": kind,
        "headline": plain(fields["title"]),
        "name": plain(fields["title"]),
        "author": [json_ld_person(p, owner, owner_id) for p in persons(entry)],
        "datePublished": fields["year"],
        "url": page_url,
    }
    if persons(entry, "editor"):
        data["editor"] = [json_ld_person(p, owner, owner_id) for p in persons(entry, "editor")]
    if fields.get("abstract", "").strip():
        data["abstract"] = " ".join(plain(fields["abstract"]).split())
    container = json_ld_container(entry)
    if container:
        data["isPartOf"] = container
    if fields.get("publisher"):
        data["publisher"] = {"@type": "Organization", "name": plain(fields["publisher"])}
    institution = fields.get("school") or fields.get("institution")
    if institution:
        data["sourceOrganization"] = {"@type": "Organization", "name": plain(institution)}
    if kind == "Thesis":
        data["inSupportOf"] = "PhD" if entry.type == "phdthesis" else "Master's degree"
    if kind == "Report" and "number" in fields:
        data["reportNumber"] = plain(fields["number"])
    if "pages" in fields:
        data["pagination"] = "–".join(filter(None, page_range(entry)))
    if "doi" in fields:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": fields["doi"]}
    same_as = [url for label, url in paper_links(entry) if label != "Code"]
    if same_as:
        data["sameAs"] = same_as
    return data


def json_ld_script(data: dict[str, Any]) -> str:
    """A JSON-LD <script> whose text no value can end or turn into markup:
    <, > and & are written as JSON escapes (\\u003c ...), which every JSON
    parser reads back as the characters themselves."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    for char in "<>&":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return f'<script type="application/ld+json">{text}</script>'


def paper_description(entry: Entry, style: PortfolioStyle) -> str:
    """The citation, and what its "*" means where it has one."""
    text = citation_text(entry, style)
    return f"{text} {EQUAL_CONTRIBUTION_LEGEND}" if has_equal_contribution([entry]) else text


def note_citations(app: Sphinx, doctree: nodes.document) -> None:
    """A page that cites a paper (``{cite:p}`key```) shows its authors and year,
    which sphinxcontrib-bibtex writes in when the page is written: it reads the
    entry, and is read again when the entry changes."""
    from sphinxcontrib.bibtex.citation_target import parse_citation_targets

    store, docname = portfolio(app.env), app.env.docname
    for ref in doctree.findall(addnodes.pending_xref):
        if ref.get("refdomain") == "cite":
            for target in parse_citation_targets(ref["reftarget"]):
                store.entry(docname, target.key)


def write_bibliography(app: Sphinx, exception: Exception | None) -> None:
    """/refs.bib, from the cleaned entries (HTML builds only)."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / BIB_DOWNLOAD
    store = portfolio(app.env)
    text = bibliography_file(store.bibliography.entries.values(), store.style)
    if not target.exists() or target.read_text("utf-8") != text:
        target.write_text(text, "utf-8")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("academic_portfolio.store")
    app.setup_extension("academic_portfolio.generated")
    app.add_node(bibtex_details, html=(visit_details, depart_details))
    app.add_directive("paper", PaperPage)
    app.add_directive("paper-links", PaperLinks)
    app.add_directive("publication-list", PublicationList)
    app.add_directive("selected-papers", SelectedPapers)
    app.add_post_transform(DecorateBibliography)
    app.add_post_transform(LinkCitationsToPaperPages)
    # After academic_portfolio.store (300) read refs.bib.
    app.connect("builder-inited", on_builder_inited, priority=400)
    app.connect("doctree-read", note_citations)
    app.connect("build-finished", write_bibliography)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
