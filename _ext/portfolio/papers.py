"""Papers from refs.bib: checks, one generated page per paper, links and metadata.

- At start-up refs.bib is read strictly (:mod:`portfolio.refsbib`) and a page
  ``publications/<key>.md`` is generated for every entry: adding an entry adds a
  page; a generated page whose entry is gone is removed.
- ``{paper} key`` renders a paper's page: citation, links, related projects,
  BibTeX. ``{paper-links} key`` renders just the link buttons.
- ``{publication-list}`` renders the whole list, grouped by year, through
  sphinxcontrib-bibtex; each entry gets its link buttons and BibTeX.
- ``{selected-papers}`` lists the papers marked ``selected = {true}``.
- Paper pages carry Google Scholar ``citation_*`` tags and schema.org
  ``ScholarlyArticle`` JSON-LD in their ``<head>``.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pybtex.plugin
from docutils import nodes
from markupsafe import escape
from pybtex.database import BibliographyData, Entry, Person
from pybtex.richtext import Text
from sphinx.application import Sphinx
from sphinx.transforms.post_transforms import SphinxPostTransform
from sphinx.util.docutils import SphinxDirective

from .bibstyle import EQUAL_CONTRIBUTION_FIELD
from .datafiles import DataFileError, checked_file_once, stop_build
from .refsbib import load_bib
from .site import add_to_head

PAPERS_DIR = "publications"
GENERATED_MARK = "% Generated from refs.bib by _ext/portfolio/papers.py: do not edit.\n"
# Fields readers get in the BibTeX we show; ours (selected, code, ...) stay private.
PUBLIC_FIELDS = ("title", "booktitle", "journal", "volume", "number", "pages", "year", "month", "publisher", "doi", "url", "eprint", "archiveprefix", "primaryclass")  # fmt: skip
EQUAL_CONTRIBUTION_LEGEND = "* Equal contribution."


# -- Reading refs.bib and generating one page per paper ----------------------


def on_builder_inited(app: Sphinx) -> None:
    bib_path = Path(app.confdir) / app.config.bibtex_bibfiles[0]
    try:  # parsed and checked again only when refs.bib changes
        app.env.portfolio_bib, pages = checked_file_once(
            app.env, bib_path, lambda: (bib := load_bib(bib_path), paper_pages(bib))
        )
    except DataFileError as error:
        stop_build(error.problems)
    app.env.portfolio_bib_path = bib_path
    write_paper_pages(Path(app.srcdir) / PAPERS_DIR, pages)


def paper_pages(bib: BibliographyData) -> dict[str, str]:
    """The Markdown source of each paper's page, by key."""
    return {
        key: f"{GENERATED_MARK}\n# {plain(entry.fields['title'])}\n\n```{{paper}} {key}\n```\n"
        for key, entry in bib.entries.items()
    }


def write_paper_pages(folder: Path, pages: dict[str, str]) -> None:
    """Write a page per entry (only when it changes), remove those of gone entries."""
    for key, text in pages.items():
        page = folder / f"{key}.md"
        if not page.exists() or page.read_text("utf-8") != text:
            page.write_text(text, "utf-8")
    for page in folder.glob("*.md"):
        if page.stem not in pages and page.read_text("utf-8").startswith(GENERATED_MARK):
            page.unlink()


# -- Formatting ---------------------------------------------------------------


def plain(latex: str) -> str:
    """BibTeX field text (braces, accents) as plain Unicode."""
    return Text.from_latex(latex).render_as("text")


def person_name(person: Person) -> str:
    """'Süsstrunk, Sabine' -> 'Sabine Süsstrunk'."""
    parts = person.first_names + person.middle_names + person.prelast_names + person.last_names
    return plain(" ".join(parts))


@functools.cache
def style():
    """The site's pybtex style (looked up once: pybtex scans entry points)."""
    return pybtex.plugin.find_plugin("pybtex.style.formatting", "portfolio")()


@functools.cache
def docutils_backend():
    return pybtex.plugin.find_plugin("pybtex.backends", "docutils")()


def formatted_entry(entry: Entry):
    return style().format_entry("", entry)


def citation_nodes(entry: Entry) -> list[nodes.Node]:
    return [docutils_backend().paragraph(formatted_entry(entry))]


def citation_text(entry: Entry) -> str:
    return formatted_entry(entry).text.render_as("text")


def arxiv_id(entry: Entry) -> str | None:
    fields = entry.fields
    return fields.get("eprint") if fields.get("archiveprefix", "").lower() == "arxiv" else None


def paper_links(entry: Entry) -> list[tuple[str, str]]:
    """The (label, url) buttons an entry's fields give, in a fixed order."""
    fields = entry.fields
    links = []
    if "url" in fields:
        links.append(("Paper", fields["url"]))
    if "pdf" in fields:
        links.append(("PDF", fields["pdf"]))
    if "doi" in fields:
        links.append(("DOI", f"https://doi.org/{fields['doi']}"))
    if arxiv_id(entry):
        links.append(("arXiv", f"https://arxiv.org/abs/{arxiv_id(entry)}"))
    if "openreview" in fields:
        links.append(("OpenReview", fields["openreview"]))
    if "code" in fields:
        links.append(("Code", fields["code"]))
    return links


def link_buttons(entry: Entry) -> nodes.paragraph:
    container = nodes.paragraph(classes=["paper-links"])
    for label, url in paper_links(entry):
        ref = nodes.reference("", "", internal=False, refuri=url,
                              classes=["sd-btn", "sd-btn-outline-primary", "paper-link"])  # fmt: skip
        ref += nodes.Text(label)
        container += ref
    return container


def clean_bibtex(entry: Entry) -> str:
    """The entry as BibTeX, without our private fields."""
    lines = [f"@{entry.type}{{{entry.key},"]
    authors = " and ".join(str(person) for person in entry.persons.get("author", []))
    lines.append(f"  author = {{{authors}}},")
    for name in PUBLIC_FIELDS:
        if name in entry.fields:
            lines.append(f"  {name} = {{{entry.fields[name]}}},")
    lines.append("}")
    return "\n".join(lines)


def bibtex_block(entry: Entry) -> nodes.literal_block:
    text = clean_bibtex(entry)
    block = nodes.literal_block(text, text, language="bibtex")
    block["classes"].append("bibtex")
    return block


class bibtex_details(nodes.General, nodes.Element):
    """A collapsed <details> box (the BibTeX of an entry in a list)."""


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
    def entry(self, key: str) -> Entry:
        self.env.note_dependency(str(self.env.portfolio_bib_path))
        try:
            return self.env.portfolio_bib.entries[key]
        except KeyError:
            raise self.error(f"no entry '{key}' in refs.bib: check the key.") from None


class PaperLinks(BibDirective):
    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        return [link_buttons(self.entry(self.arguments[0]))]


class PaperPage(BibDirective):
    """The body of a generated per-paper page."""

    required_arguments = 1

    def run(self) -> list[nodes.Node]:
        entry = self.entry(self.arguments[0])
        out: list[nodes.Node] = [
            nodes.container("", *citation_nodes(entry), classes=["paper-citation"])
        ]
        if has_equal_contribution([entry]):
            out.append(legend())
        out.append(link_buttons(entry))
        out += self.parse_text_to_nodes(self.related_text(entry.key))
        out += [nodes.rubric("", "BibTeX", ids=["bibtex"]), bibtex_block(entry)]
        out += self.parse_text_to_nodes(
            "{download}`Download all papers as refs.bib </refs.bib>` · "
            "[All publications](/publications/index.md)"
        )
        return out

    def related_text(self, key: str) -> str:
        projects = [p for p in self.env.portfolio_projects.values() if p.meta.get("paper") == key]
        return "".join(
            f"Related project: [{p.meta['title']}](/{p.docname}.md)\n\n" for p in projects
        )


class PublicationList(BibDirective):
    """All papers, newest year first, through sphinxcontrib-bibtex."""

    def run(self) -> list[nodes.Node]:
        self.env.note_dependency(str(self.env.portfolio_bib_path))
        entries = self.env.portfolio_bib.entries.values()
        years = sorted({entry.fields["year"] for entry in entries}, reverse=True)
        text = "".join(
            f"(publications-{year})=\n## {year}\n\n"
            f'```{{bibliography}}\n:filter: year == "{year}"\n```\n\n'
            for year in years
        )
        out = []
        if has_equal_contribution(entries):
            out.append(legend())
        return out + self.parse_text_to_nodes(text, allow_section_headings=True)


class SelectedPapers(BibDirective):
    """The papers marked ``selected = {true}``, newest first, linked to their pages."""

    def run(self) -> list[nodes.Node]:
        entries = self.env.portfolio_bib.entries.values()
        return publication_items(self, [e for e in entries if e.fields.get("selected") == "true"])


def publication_items(directive: SphinxDirective, entries) -> list[nodes.Node]:
    """A list of citations, newest first, each linked to its paper page."""
    directive.env.note_dependency(str(directive.env.portfolio_bib_path))
    items = nodes.bullet_list(classes=["paper-list"])
    for entry in style().sort(entries):
        item = nodes.list_item()
        item += citation_nodes(entry)
        item += directive.parse_text_to_nodes(f"[Paper page](/{PAPERS_DIR}/{entry.key}.md)")
        items += item
    return [items, legend()] if has_equal_contribution(entries) else [items]


# -- Decorating the bibliography lists ----------------------------------------


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
        for group in groups.values():
            entries = nodes.bullet_list(classes=["paper-list", "bibliography"])
            for citation in [c for c in group.children if isinstance(c, nodes.citation)]:
                entries += self.entry_item(citation)
            group.replace_self(entries)

    def entry_item(self, citation: nodes.citation) -> nodes.list_item:
        # sphinxcontrib-bibtex gives each entry the id "b<n>-<key>" (conf.py).
        key = re.sub(r"^b\d+-", "", citation["ids"][0])
        entry = self.env.portfolio_bib.entries[key]
        item = nodes.list_item("", ids=[key, *citation["ids"]], classes=["paper-entry"])
        item += [child for child in citation.children if not isinstance(child, nodes.label)]
        buttons = link_buttons(entry)
        buttons += nodes.reference(
            "", "Paper page", internal=True,
            refuri=self.app.builder.get_relative_uri(self.env.docname, f"{PAPERS_DIR}/{key}"),
            classes=["sd-btn", "sd-btn-outline-secondary", "paper-link"],
        )  # fmt: skip
        item += buttons
        details = bibtex_details(summary="BibTeX", classes=["bibtex-details"])
        details += bibtex_block(entry)
        item += details
        return item


def iter_authors(entry: Entry) -> Iterator[Person]:
    yield from entry.persons.get("author", [])


# -- <head> metadata of paper pages -------------------------------------------


def scholar_tags(entry: Entry) -> list[tuple[str, str]]:
    """Google Scholar's citation_* tags, only for fields the entry has."""
    fields = entry.fields
    tags = [("citation_title", plain(fields["title"]))]
    tags += [
        (
            "citation_author",
            plain(f"{' '.join(p.last_names)}, {' '.join(p.first_names + p.middle_names)}"),
        )
        for p in iter_authors(entry)
    ]
    tags.append(("citation_publication_date", fields["year"]))
    if entry.type == "article" and "journal" in fields:
        tags.append(("citation_journal_title", plain(fields["journal"])))
    if "booktitle" in fields:
        tags.append(("citation_conference_title", plain(fields["booktitle"])))
    if "publisher" in fields:
        tags.append(("citation_publisher", plain(fields["publisher"])))
    if "volume" in fields:
        tags.append(("citation_volume", fields["volume"]))
    if "number" in fields:
        tags.append(("citation_issue", fields["number"]))
    if "pages" in fields:
        first, _, last = fields["pages"].replace("--", "-").partition("-")
        tags.append(("citation_firstpage", first.strip()))
        if last:
            tags.append(("citation_lastpage", last.strip()))
    if "doi" in fields:
        tags.append(("citation_doi", fields["doi"]))
    if arxiv_id(entry):
        tags.append(("citation_arxiv_id", arxiv_id(entry)))
    if "pdf" in fields:
        tags.append(("citation_pdf_url", fields["pdf"]))
    return tags


def scholarly_article(entry: Entry, page_url: str) -> dict[str, Any]:
    fields = entry.fields
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ScholarlyArticle",
        "headline": plain(fields["title"]),
        "name": plain(fields["title"]),
        "author": [{"@type": "Person", "name": person_name(p)} for p in iter_authors(entry)],
        "datePublished": fields["year"],
        "url": page_url,
    }
    venue = fields.get("booktitle") or fields.get("journal")
    if venue:
        data["isPartOf"] = {
            "@type": "Periodical" if entry.type == "article" else "CreativeWorkSeries",
            "name": plain(venue),
        }
    if "pages" in fields:
        data["pagination"] = fields["pages"].replace("--", "–")
    if "doi" in fields:
        data["identifier"] = {"@type": "PropertyValue", "propertyID": "DOI", "value": fields["doi"]}
    same_as = [url for label, url in paper_links(entry) if label != "Code"]
    if same_as:
        data["sameAs"] = same_as
    return data


def json_ld_script(data: dict[str, Any]) -> str:
    """A JSON-LD <script>; "</" is escaped so no value can close the element."""
    text = json.dumps(data, ensure_ascii=False, indent=1).replace("</", "<\\/")
    return f'<script type="application/ld+json">{text}</script>'


def on_html_page_context(app, pagename, templatename, context, doctree) -> None:
    folder, _, key = pagename.partition("/")
    entry = app.env.portfolio_bib.entries.get(key) if folder == PAPERS_DIR else None
    if entry is None:
        return
    context["portfolio_description"] = citation_text(entry)
    page_url = app.config.html_baseurl.rstrip("/") + f"/{PAPERS_DIR}/{key}/"
    tags = [
        f'<meta name="{name}" content="{escape(value)}">' for name, value in scholar_tags(entry)
    ]
    tags.append(json_ld_script(scholarly_article(entry, page_url)))
    add_to_head(context, *tags)


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("sphinxcontrib.bibtex")
    app.add_node(bibtex_details, html=(visit_details, depart_details))
    app.add_directive("paper", PaperPage)
    app.add_directive("paper-links", PaperLinks)
    app.add_directive("publication-list", PublicationList)
    app.add_directive("selected-papers", SelectedPapers)
    app.add_post_transform(DecorateBibliography)
    # Before sphinxcontrib-bibtex reads refs.bib (500), so errors come from us.
    app.connect("builder-inited", on_builder_inited, priority=400)
    # Before portfolio.sharing (450) and the Open Graph tags (500) read it.
    app.connect("html-page-context", on_html_page_context, priority=400)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
