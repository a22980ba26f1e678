"""What the data layer keeps of each page for the writing phase.

:class:`PageRecord` is one page's record in :mod:`academic_portfolio.data.store`,
made while the page is read and cleared when it is read again: the data it
shows, its first figure, and its :class:`PageMeta`, what its ``<head>`` and
social card say, which :mod:`academic_portfolio.metadata.head` assembles.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

PageKind = Literal["home", "project", "paper", "listing"]


@dataclass
class PageMeta:
    """What a page's head and card say, read from the data with the page."""

    kind: PageKind
    title: str
    description: str
    card: dict[str, Any]
    scholar_tags: list[tuple[str, str]] = field(default_factory=list)
    zotero_tags: list[tuple[str, str]] = field(default_factory=list)
    # A paper without an abstract: its description (the citation) goes only to
    # twitter:description, which Zotero does not read (it would save
    # description or og:description as the paper's abstract).
    description_for_previews_only: bool = False
    json_ld: list[dict[str, Any]] = field(default_factory=list)  # without "image"


@dataclass
class PageRecord:
    """What the writing phase needs of a page, collected while it is read."""

    sources: set[str] = field(default_factory=set)  # the data its content shows (dates it)
    furniture: set[str] = field(default_factory=set)  # the data of its header, card, head tags
    first_figure: tuple[str, str] | None = None  # (path, alt text)
    has_header: bool = False  # a project page that shows its facts
    meta: PageMeta | None = None  # its head and card (academic_portfolio.metadata.head)
