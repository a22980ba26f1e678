"""The CV as a PDF at ``/cv.pdf``, typeset by Typst from the same data as /cv/.

Data: ``_data/cv.yaml``, the project pages' front matter and refs.bib (from
:mod:`academic_portfolio.data.store`), passed to ``templates/cv.typ`` as JSON. The ``typst``
wheel carries the compiler and its fonts, so this works offline and on Read
the Docs with PyPI packages only. The PDF has no creation date, so the same
input gives the same bytes.

Formatting every paper costs time in proportion to refs.bib, so a build first
computes a cheap key of everything the PDF shows (:func:`inputs_key`) and sets
the PDF again only when the key differs from the last one, or the PDF differs
from the one it wrote.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import typst
from sphinx.application import Sphinx
from sphinx.util import logging

from ..data.cvrecord import as_data
from ..data.datafiles import CODE_VERSION, stop_build
from ..data.outputs import output_file
from ..data.paper import Paper, by_kind
from ..data.sources import newest_first
from ..data.store import digest, portfolio
from ..pages.freshness import cv_timestamp, month_year
from ..papers.render import EQUAL_CONTRIBUTION_LEGEND, formatted_entry, has_equal_contribution
from ..text.typeset import (
    BACKGROUND,
    TEMPLATES,
    may_run_beside,
    query,
    segments,
    typeset,
    warn_unprintable,
)
from ..version import __version__

logger = logging.getLogger(__name__)
TEMPLATE = TEMPLATES / "cv.typ"
# A page less than half full looks unfinished: the CV is set a little smaller
# (to drop its last page) or larger (to fill it), 9.2 to 11.2 pt text at most.
FULL_ENOUGH = 0.5
SMALLEST, LARGEST, STEP = 0.92, 1.12, 0.02


def publication(paper: Paper, url: str, style) -> dict[str, Any]:
    """A paper of the CV: its kind, its venue and status labels, its citation, its page."""
    return {
        "kind": paper.kind,
        "labels": [text for _, text in paper.labels],
        "runs": segments(formatted_entry(paper, style).text),
        "url": url,
    }


def cv_document(app: Sphinx) -> dict[str, Any]:
    env = app.env
    site = app.config.html_baseurl.rstrip("/") + "/"
    store = portfolio(env)  # the whole site's data: the PDF is written after the pages
    # Papers, preprints, theses, patents, talks: each kind together, newest first.
    papers = [p for _, group in by_kind(store.newest_first(store.all_papers)) for p in group]
    return {
        "site": site,
        "updated": month_year(cv_timestamp(env)),  # "" where git cannot say
        **as_data(store.cv_data),
        "projects": [
            {
                "title": p.title,
                "kind": p.kind,
                "place": p.place,
                "supervisor": p.supervisor,  # "" for an independent project
                "grade": p.grade,
                "period": p.period,
                "url": f"{site}{p.docname}/",
                "summary": p.summary,
            }
            for p in newest_first(list(store.all_projects.values()))
        ],
        "publications": [
            publication(p, f"{site}publications/{p.slug}/", store.style) for p in papers
        ],
        "legend": EQUAL_CONTRIBUTION_LEGEND if has_equal_contribution(papers) else "",
    }


def text_end(inputs: dict[str, str], scale: float) -> tuple[int, float]:
    """The CV's number of pages at *scale*, and how full its last page is (0 to 1)."""
    (end,) = query(TEMPLATE, {**inputs, "scale": f"{scale:.2f}"}, "cv-end")
    return end["page"], (end["y"] - end["top"]) / end["height"]


def fitted_scale(inputs: dict[str, str]) -> float:
    """The scale nearest 1 at which no page is mostly empty: the last one of a
    CV of several pages included. Entries move only whole (cv.typ), so the
    length a scale gives is measured, not computed; 1 where none does."""
    pages, fill = text_end(inputs, 1.0)
    if pages == 1 or fill >= FULL_ENOUGH:
        return 1.0
    # A scale s sets about s² as much text: those between the scale that just
    # drops a page and the one that just fills the last are not tried.
    length = pages - 1 + fill  # in pages
    shrink = math.sqrt((pages - 1) / length) + 0.005
    grow = math.sqrt((pages - 1 + FULL_ENOUGH) / length) - 0.005
    steps = (round(SMALLEST + n * STEP, 2) for n in range(round((LARGEST - SMALLEST) / STEP) + 1))
    for scale in sorted((s for s in steps if s <= shrink or s >= grow), key=lambda s: abs(s - 1)):
        now_pages, now_fill = text_end(inputs, scale)
        if now_pages <= pages and (now_pages == 1 or now_fill >= FULL_ENOUGH):
            return scale
    return 1.0


def inputs_key(app: Sphinx) -> str:
    """A hash of what the PDF shows, read without formatting a single paper:
    the data (academic_portfolio.data.store's hash of each source), the date, the settings,
    the code (ours, the template, pybtex's and Typst's versions)."""
    parts = [
        CODE_VERSION, TEMPLATE.read_text("utf-8"), version("pybtex"), version("typst"),
        app.config.portfolio_owner, month_year(cv_timestamp(app.env)),
        portfolio(app.env).source_hashes,  # html_baseurl among them
    ]  # fmt: skip
    return digest(parts)


def checksum(pdf: bytes) -> str:
    return hashlib.sha256(pdf).hexdigest()


@dataclass
class PendingPdf:
    """The CV PDF being set (beside the build where it can), and what its stamp records."""

    target: Path
    stamp: Path
    key: str
    boxes: bool
    pdf: Callable[[], bytes]  # waits for it, or sets it


PENDING: dict[int, PendingPdf] = {}  # by the build (id of its app): one at a time


def start_pdf(app: Sphinx, builder: Any = None) -> None:
    """Set the CV PDF while the pages are written (Typst works beside the
    build: academic_portfolio.text.typeset): most of its time, at 1,000 papers,
    is Typst laying out the CV again at each scale :func:`fitted_scale` tries."""
    PENDING.pop(id(app), None)
    if app.builder.format != "html":
        return
    target = output_file(
        app, app.config.portfolio_cv_pdf, "the CV PDF", "portfolio_cv_pdf", "cv.pdf"
    )
    # The key of the last PDF's inputs, and a digest of the bytes it wrote.
    stamp = Path(app.doctreedir) / "cv-pdf" / "last-inputs.txt"
    key = inputs_key(app)
    last = stamp.read_text("utf-8").split() if stamp.is_file() else []
    if target.is_file() and last == [key, checksum(target.read_bytes())]:
        logger.info(f"CV PDF: nothing it shows changed; kept {target}")
        return
    document = cv_document(app)
    # Not marked as done while a character prints as an empty box: warned again next build.
    boxes = warn_unprintable(f"the CV PDF ({app.config.portfolio_cv_pdf})", document,
                             Path(app.doctreedir) / "fonts")  # fmt: skip
    inputs = {"cv": json.dumps(document, ensure_ascii=False)}
    cache = Path(app.doctreedir) / "cv-pdf"

    def set_pdf() -> bytes:
        inputs["scale"] = f"{fitted_scale(inputs):.2f}"
        return typeset(TEMPLATE, inputs, cache).read_bytes()

    pdf = set_pdf  # set at the end of the build, as before, where no thread may
    if may_run_beside(app.builder.parallel_ok):
        pdf = functools.partial(BACKGROUND.result, BACKGROUND.start(set_pdf))
    PENDING[id(app)] = PendingPdf(target, stamp, key, boxes, pdf)


def typst_problem(error: typst.TypstError) -> str:
    return f"{TEMPLATE}: Typst could not set the CV: {error.message}\n{error.diagnostic}"


def write_pdf(app: Sphinx, exception: Exception | None) -> None:
    pending = PENDING.pop(id(app), None)
    if exception is not None or pending is None:
        return
    try:
        pdf = pending.pdf()
    except typst.TypstError as error:
        stop_build([typst_problem(error)])
    target = pending.target
    if not target.exists() or target.read_bytes() != pdf:
        target.write_bytes(pdf)
    pending.stamp.parent.mkdir(parents=True, exist_ok=True)
    pending.stamp.write_text("" if pending.boxes else f"{pending.key}\n{checksum(pdf)}\n", "utf-8")
    logger.info(f"CV PDF written to {target}")


def setup(app: Sphinx) -> dict[str, Any]:
    app.setup_extension("academic_portfolio.cv.sections")
    app.setup_extension("academic_portfolio.papers")
    app.connect("write-started", start_pdf)
    app.connect("build-finished", write_pdf)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
