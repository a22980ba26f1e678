"""BibTeX as readers copy and download it: each entry's box and ``/refs.bib``.

Both are the same cleaned entries, as written in refs.bib (LaTeX kept): no
private field, no comment. ``/refs.bib`` is written after the build.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from markupsafe import escape
from pybtex.database import Entry
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from ..data.refsbib import is_private
from ..data.store import portfolio
from ..text.bibstyle import PortfolioStyle

BIB_DOWNLOAD = "refs.bib"  # written at the root of the site


def clean_bibtex(entry: Entry) -> str:
    """The entry as BibTeX, as written in refs.bib (LaTeX kept), every field
    but the private ones (:func:`~academic_portfolio.data.refsbib.is_private`),
    in the entry's own order."""
    lines = [f"@{entry.type}{{{entry.key},"]
    for role, people in entry.persons.items():
        lines.append(f"  {role.lower()} = {{{' and '.join(str(p) for p in people)}}},")
    for name, value in entry.fields.items():
        if not is_private(name):
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


def write_bibliography(app: Sphinx, exception: Exception | None) -> None:
    """/refs.bib, from the cleaned entries (HTML builds only)."""
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / BIB_DOWNLOAD
    store = portfolio(app.env)
    text = bibliography_file(store.bibliography.entries.values(), store.style)
    if not target.exists() or target.read_text("utf-8") != text:
        target.write_text(text, "utf-8")
