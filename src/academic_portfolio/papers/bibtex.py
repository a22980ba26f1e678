"""BibTeX as readers copy and download it: each entry's box and ``/refs.bib``;
beside it the same papers as RIS and CSL-JSON (:mod:`academic_portfolio.papers.exports`).

The BibTeX is the cleaned entries, as written in refs.bib (LaTeX kept): no
private field, no comment. The files are written after the build: every
paper in ``/refs.bib``, ``/refs.ris`` and ``/refs.json``, and each paper in
its page's folder, ``<slug>.bib``, ``<slug>.ris`` and ``<slug>.json``
(linked from its page: files, not inline blocks, keep the page light).
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from markupsafe import escape
from sphinx.application import Sphinx
from sphinx.util.osutil import relative_uri

from ..data.datafiles import CODE_VERSION
from ..data.outputs import output_file
from ..data.paper import Paper
from ..data.paperfiles import PAPERS_DIR
from ..data.store import PortfolioDomain, digest, portfolio
from .exports import csl_item, csl_of_items, ris_of_records, ris_record

BIB_DOWNLOAD = "refs.bib"  # written at the root of the site, with the two below
RIS_DOWNLOAD = "refs.ris"
CSL_DOWNLOAD = "refs.json"

# Each format: its suffix, its name on the page, the managers that import it
# best, the class of its links.
FORMATS = [
    (".bib", "BibTeX", "", "bib-download"),
    (".ris", "RIS", "EndNote, Mendeley, RefWorks", "ris-download"),
    (".json", "CSL-JSON", "citation.js, Pandoc", "csl-download"),
]


def clean_bibtex(paper: Paper) -> str:
    """The entry as BibTeX, as written in refs.bib (LaTeX kept): its people,
    then every field but the private ones (the record's
    :attr:`~academic_portfolio.data.paper.Paper.bibtex_fields`), in the
    entry's own order. The one place that shows the source as written."""
    entry = paper.entry
    lines = [f"@{entry.type}{{{entry.key},"]
    for role, people in entry.persons.items():
        lines.append(f"  {role.lower()} = {{{' and '.join(str(p) for p in people)}}},")
    for name, value in paper.bibtex_fields:
        lines.append(f"  {name.lower()} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines)


def bibliography_file(papers: list[Paper], store: PortfolioDomain) -> str:
    """The downloadable refs.bib: every entry, newest first, as the BibTeX
    boxes show it (no private field, no comment)."""
    return "\n\n".join(clean_bibtex(paper) for paper in store.newest_first(papers)) + "\n"


def download_line(env, intro: str, stem: str, extra_class: str = "") -> nodes.paragraph:
    """*intro*, then links to the files *stem*.bib, .ris and .json (relative to
    the site's root), which are written after the pages (so not {download})."""
    here = portfolio(env).page_uri(env.docname)
    line = nodes.paragraph("", intro + " ", classes=["bib-download-line"])
    for (suffix, name, readers, css), after in zip(FORMATS, (", ", " or ", "."), strict=True):
        uri = relative_uri(here, stem + suffix)
        line += nodes.reference("", name, refuri=uri, classes=[extra_class + css])
        line += nodes.Text(f" ({readers}){after}" if readers else after)
    return line


def download_link(env) -> nodes.paragraph:
    """Every paper: /refs.bib, /refs.ris, /refs.json."""
    return download_line(env, "Download all papers as", BIB_DOWNLOAD.removesuffix(".bib"))


def paper_download_line(env, paper: Paper) -> nodes.paragraph:
    """This paper alone, in its page's folder."""
    return download_line(env, "Save this paper as", download_stem(paper), "paper-")


def bibtex_block(paper: Paper) -> nodes.literal_block:
    text = clean_bibtex(paper)
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
    """Every paper's and each paper's BibTeX, RIS and CSL-JSON (HTML builds only)."""
    if exception is not None or app.builder.format != "html":
        return
    store = portfolio(app.env)
    papers = store.newest_first(store.all_papers)
    names = download_names(papers)
    stamp = Path(app.doctreedir) / DOWNLOADS_STAMP
    key = digest([store.source_hashes, str(store.owner), CODE_VERSION, names])
    if read_stamp(stamp) == key and all((Path(app.outdir) / name).is_file() for name in names):
        return  # what they are made of is what the last build wrote them from
    # Each paper's export once, for its own files and the whole list's: a
    # lab's 1,000 papers are read after every edit of any page.
    records = [ris_record(paper) for paper in papers]
    items = [csl_item(paper) for paper in papers]
    files = {
        BIB_DOWNLOAD: bibliography_file(papers, store),
        RIS_DOWNLOAD: ris_of_records(records),
        CSL_DOWNLOAD: csl_of_items(items),
    }
    for paper, record, item in zip(papers, records, items, strict=True):
        stem = download_stem(paper)
        files[stem + ".bib"] = clean_bibtex(paper) + "\n"
        files[stem + ".ris"] = ris_of_records([record])
        files[stem + ".json"] = csl_of_items([item])
    for name, text in files.items():
        write_if_changed(output_file(app, name, "a reference download"), text)
    remove_gone_paper_files(Path(app.outdir), {paper.slug for paper in papers})
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(key, "utf-8")


# The digest of what the downloads were last written from: refs.bib's entries
# and everything else the store reads, the owner (conf.py's portfolio_owner),
# and the engine's code. A one-page rebuild of a lab's 1,000 papers made all
# 3,003 files again, a quarter of its time.
DOWNLOADS_STAMP = "paper-downloads.sha256"


def download_stem(paper: Paper) -> str:
    """A paper's downloads, without their suffix: in its page's folder."""
    return f"{PAPERS_DIR}/{paper.slug}/{paper.slug}"


def download_names(papers: list[Paper]) -> list[str]:
    return [BIB_DOWNLOAD, RIS_DOWNLOAD, CSL_DOWNLOAD,
            *(download_stem(p) + suffix for p in papers for suffix in PAPER_FILE_SUFFIXES)]  # fmt: skip


def read_stamp(stamp: Path) -> str | None:
    try:
        return stamp.read_text("utf-8")
    except OSError:
        return None


PAPER_FILE_SUFFIXES = (".bib", ".ris", ".json")


def remove_gone_paper_files(outdir: Path, slugs: set[str]) -> None:
    """The downloads of a paper no longer in refs.bib, and its folder once
    empty: only files named as this module names them (``<slug>/<slug>.bib``
    and the like), so nothing else of the output is touched."""
    papers = outdir / PAPERS_DIR
    if not papers.is_dir() or papers.is_symlink():
        return
    for folder in papers.iterdir():
        if folder.name in slugs or not folder.is_dir() or folder.is_symlink():
            continue
        for suffix in PAPER_FILE_SUFFIXES:
            download = folder / f"{folder.name}{suffix}"
            if download.is_file() and not download.is_symlink():
                download.unlink()
        if not any(folder.iterdir()):
            folder.rmdir()


def write_if_changed(target: Path, text: str) -> None:
    """An unchanged file keeps its date (a server's caches and ETags stay valid)."""
    if not target.exists() or target.read_text("utf-8") != text:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
