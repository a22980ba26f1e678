"""Pages made at build time (one per paper), whose sources stay out of the source tree.

Sphinx reads every page from a file. A generated page's file is written under
the doctree folder (``<doctreedir>/portfolio-pages/<docname>.md``), a folder
only the build writes, and Sphinx is told that the document ``<docname>``
(``publications/doe2024robust``, so the URL ``/publications/doe2024robust/``)
is read from there. So a build leaves ``git status`` clean, no bib key can
overwrite a file of the owner's, and ``.gitignore`` hides nothing the owner
writes.

How: :class:`GeneratedProject`, a :class:`sphinx.project.Project` (Sphinx's
list of documents and their files) that adds the generated documents to those
it finds in the source folder; it replaces Sphinx's at ``builder-inited``,
before Sphinx looks for documents to read.

- A file is written only when its text changes: its date is what Sphinx
  compares to decide whether to read the page again.
- A page whose source is gone (an entry removed from refs.bib) loses its
  source, and its HTML in the output folder, which Sphinx would leave behind.
- For links, the search index and the source suffix, the page is where its
  URL says: its path relative to the source folder is ``<docname>.md``
  (MyST resolves ``[x](index.md)`` from ``publications/``, as for a page
  written there). A Markdown link to a generated page, which MyST would not
  find among the source files, is made a link to its document.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.project import Project
from sphinx.util import logging

from ..version import __version__

logger = logging.getLogger(__name__)
FOLDER = "portfolio-pages"  # in the doctree folder, beside Sphinx's own files
SUFFIX = ".md"


class GeneratedProject(Project):
    """Sphinx's documents: those of the source folder and the generated ones,
    whose files are ``generated[docname]``."""

    def __init__(self, srcdir: str | os.PathLike[str], source_suffix: Iterable[str],
                 generated: dict[str, Path]) -> None:  # fmt: skip
        super().__init__(srcdir, source_suffix)
        self.generated = generated
        self.generated_docnames = {path: docname for docname, path in generated.items()}

    def discover(
        self, exclude_paths: Iterable[str] = (), include_paths: Iterable[str] = ("**",)
    ) -> set[str]:
        """The source folder's documents, then the generated ones (a page of the
        owner's wins; refsbib already refuses a key that would take its name)."""
        docnames = super().discover([*exclude_paths, *self.inside_srcdir()], include_paths)
        docnames.update(self.generated)
        return docnames

    def inside_srcdir(self) -> list[str]:
        """The generated folder, as a pattern to exclude, when the doctree folder
        is inside the source folder (``sphinx-build -d``): read once, not twice."""
        folders = {path.parent for path in self.generated.values()}
        patterns = []
        for folder in folders:
            try:
                patterns.append(folder.relative_to(self.srcdir).as_posix() + "/**")
            except ValueError:
                continue
        return patterns

    def path2doc(self, filename: str | os.PathLike[str]) -> str | None:
        return self.generated_docnames.get(Path(filename)) or super().path2doc(filename)

    # Sphinx annotates its own private path type (sphinx.util._pathlib._StrPath),
    # which srcdir / source is.
    def doc2path(self, docname: str, absolute: bool) -> Path:  # type: ignore[override]
        source = self.generated.get(docname)
        if source is None or not absolute:
            # Relative: "<docname>.md", where Sphinx places a document it has no file for.
            return super().doc2path(docname, absolute)
        # In Sphinx's own path type, which callers treat as text too: srcdir is
        # one, and joining an absolute path to it gives that path.
        return self.srcdir / source


def is_generated(env: Any, docname: str) -> bool:
    """Whether the page's source is one the build generated (not the owner's)."""
    project = env.project
    return isinstance(project, GeneratedProject) and docname in project.generated


def link_generated_pages(app: Sphinx, doctree: nodes.document) -> None:
    """``[the paper](/publications/doe2024robust.md)`` on a page: MyST makes a
    link to a page only when that file is in the source folder, so it would
    warn "target not found". Such a link is made a link to the document."""
    project = app.env.project
    if not isinstance(project, GeneratedProject):
        return
    for node in doctree.findall(addnodes.pending_xref):
        if node.get("reftype") != "myst" or node.get("refdomain"):
            continue
        path, _, anchor = node["reftarget"].partition("#")
        relative, _ = app.env.relfn2path(path, node.get("refdoc"))
        docname = relative.removesuffix(SUFFIX)
        if relative.endswith(SUFFIX) and docname in project.generated:
            node["refdomain"], node["reftarget"] = "doc", docname
            node["reftargetid"] = anchor or None


def generated_folder(app: Sphinx) -> Path:
    return Path(app.doctreedir) / FOLDER


def publish(app: Sphinx, pages: dict[str, str]) -> None:
    """Make each ``docname: Markdown text`` a page of this build (the whole set:
    a page generated before and absent now is removed)."""
    folder = generated_folder(app)
    gone = write_pages(folder, pages)
    remove_output(app, gone)
    project = GeneratedProject(app.srcdir, app.config.source_suffix, {
        docname: folder / f"{docname}{SUFFIX}" for docname in pages
    })  # fmt: skip
    project.restore(app.project)  # the documents of the last build, for the environment's checks
    app.project = app.env.project = project


def write_pages(folder: Path, pages: dict[str, str]) -> list[str]:
    """Write each page whose text changed (an unchanged file keeps its date, so
    Sphinx does not read it again); remove the files of pages no longer made.
    Returns the docnames removed."""
    for docname, text in pages.items():
        path = folder / f"{docname}{SUFFIX}"
        if folder.resolve() not in path.resolve().parents:
            raise ValueError(f"not a page name: {docname!r}")  # refsbib checks every slug
        if not path.is_file() or path.read_text("utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, "utf-8")
    gone = []
    for path in sorted(folder.rglob(f"*{SUFFIX}")):
        docname = path.relative_to(folder).with_suffix("").as_posix()
        if docname not in pages:
            path.unlink()
            gone.append(docname)
    return gone


def remove_output(app: Sphinx, docnames: list[str]) -> None:
    """The HTML of pages no longer generated: Sphinx forgets a removed document
    but leaves its output, which a local preview would still serve."""
    outfile = getattr(app.builder, "get_outfilename", None)
    if outfile is None or not docnames:
        return
    for docname in docnames:
        path = Path(outfile(docname))
        path.unlink(missing_ok=True)
        if path.name == "index.html" and path.parent != Path(app.outdir):
            with contextlib.suppress(OSError):  # dirhtml's folder of the page, if empty
                path.parent.rmdir()
    logger.info("generated pages removed: %s", ", ".join(docnames))


def remove_old_pages(folder: Path, text_of: Callable[[str], str]) -> None:
    """Earlier builds wrote the generated pages into the source folder: remove
    the files that are exactly what they wrote (*text_of* the page's name),
    which would now stand in for the generated pages. A file with any other
    text, an edited one included, is the owner's: it is kept, and its name is
    then taken (refsbib says so if a key wants it)."""
    old = [page for page in sorted(folder.glob(f"*{SUFFIX}"))
           if page.read_bytes() == text_of(page.stem).encode()]  # fmt: skip
    for page in old:
        page.unlink()
    if old:
        logger.info(
            "%s: removed %d page(s) an older build generated there (generated pages are now "
            "written under the build folder): %s",
            folder.name, len(old), ", ".join(page.name for page in old),
        )  # fmt: skip


def setup(app: Sphinx) -> dict[str, Any]:
    app.connect("doctree-read", link_generated_pages)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
