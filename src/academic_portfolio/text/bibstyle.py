"""The pybtex style of every citation on the site (:class:`PortfolioStyle`).

- One template per entry type refs.bib accepts; every text field is read by
  :mod:`academic_portfolio.text.latex` (accents, italics, bold, links, simple math).
- Titles keep the case written in refs.bib (no sentence-casing).
- The owner's name (``portfolio_owner`` in conf.py) is set in bold.
- Authors listed in an entry's ``equal_contribution`` field get a "*";
  "and others" reads "et al.".
- Links are left out of the text: pages show them as buttons instead.

The owner is given to each instance: :mod:`academic_portfolio.data.store` makes the site's.
sphinxcontrib-bibtex, chosen by ``bibtex_default_style = "portfolio"`` in
conf.py, gets :class:`ListOrderStyle` (registered with pybtex by that name,
with ``newest_first`` sorting and ``key`` labels): it orders the lists, and
:mod:`academic_portfolio.papers.render` sets each entry with the site's style.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

import pybtex.plugin
from pybtex.database import Entry, Person
from pybtex.richtext import Tag, Text
from pybtex.style import FormattedEntry
from pybtex.style.formatting import BaseStyle, toplevel
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.names import name_part
from pybtex.style.names.plain import NameStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import (
    FieldIsMissing,
    field,
    first_of,
    join,
    node,
    optional,
    sentence,
    tag,
    words,
)
from sphinx.application import Sphinx

from ..version import __version__
from .latex import plain, to_rich

EQUAL_CONTRIBUTION_FIELD = "equal_contribution"
EQUAL_CONTRIBUTION_MARK = "*"
ET_AL = "et al."


def same_person(a: Person, b: Person) -> bool:
    """The same name, however it is written: "{\\L}ukasiewicz" in refs.bib is
    "Łukasiewicz" in conf.py's portfolio_owner."""
    return name_key(a) == name_key(b)


def name_key(person: Person) -> tuple[str, str]:
    """Last and first names as text, in NFC: a name typed in decomposed
    Unicode (NFD, as some macOS tools write it) is the same name."""
    return (nfc_plain(" ".join(person.last_names)),
            nfc_plain(" ".join(person.first_names + person.middle_names)))  # fmt: skip


def nfc_plain(latex: str) -> str:
    return unicodedata.normalize("NFC", plain(latex))


def equal_contributors(entry) -> list[Person]:
    names = entry.fields.get(EQUAL_CONTRIBUTION_FIELD, "")
    return [Person(name.strip()) for name in names.split(" and ") if name.strip()]


def is_arxiv(entry) -> bool:
    """An entry whose eprint is on arXiv (archiveprefix = {arXiv})."""
    return entry.fields.get("archiveprefix", "").lower() == "arxiv"


def with_people(entry: Entry, role: str, people: list[Person]) -> Entry:
    """The entry with *people* as its *role* alone (a card sets its first names)."""
    return Entry(entry.type, fields=entry.fields, persons={role: people})


def is_others(person: Person) -> bool:
    """BibTeX's "and others": the authors not listed, never a person."""
    return str(person).strip().lower() == "others"


@node
def marked_names(children, context, role, **kwargs):
    """Like pybtex's ``names``, with the owner in bold, equal contributors
    marked, and "and others" written "et al."."""
    entry, style = context["entry"], context["style"]
    persons = entry.persons.get(role)
    if not persons:
        raise FieldIsMissing(role, entry)
    equal = equal_contributors(entry)
    formatted = []
    for person in persons:
        if is_others(person):
            formatted.append(Text(ET_AL))
            continue
        name = style.format_name(person, style.abbreviate_names).format_data(context)
        if any(same_person(person, other) for other in equal):
            name = Text(name, EQUAL_CONTRIBUTION_MARK)
        if style.owner is not None and same_person(person, style.owner):
            name = Tag("strong", name)
        formatted.append(name)
    if len(formatted) > 1 and str(formatted[-1]) == ET_AL:  # "A, B, et al.", not "A, B, and et al."
        return join(sep=", ")[formatted].format_data(context)
    return join(**kwargs)[formatted].format_data(context)


def text(name: str, **kwargs):
    """A field's LaTeX as rich text, read by academic_portfolio.text.latex (not pybtex's own
    reading, which leaves commands such as \\emph as backslash text)."""
    return field(name, raw=True, apply_func=to_rich, **kwargs)


# What separates a range of pages: "-", "--", "---", an en or em dash, a minus.
PAGE_DASH = re.compile(r"\s*(?:-{1,3}|[–—−])\s*")


def page_range(value: str) -> tuple[str, str]:
    """The first and last page of "1051--1061", "24-29" or "24–29" (the
    last is "" for one page)."""
    first, *rest = PAGE_DASH.split(value.strip(), maxsplit=1)
    return first.strip(), (rest[0].strip() if rest else "")


def dashed(value: str) -> Text:
    """Pages "1051--1061", "24-29" or "24–29" with an en dash."""
    first, last = page_range(value)
    return Text(first, "–", last) if last else Text(value.strip())


pages = field("pages", raw=True, apply_func=dashed)
date = words[optional[text("month")], field("year", raw=True)]


class LatexNames(NameStyle):
    """pybtex's "First von Last, Jr" with each name part read by
    academic_portfolio.text.latex, like every other field: pybtex's own reading
    set ``Garc{\\'{\\i}}a`` as "Garc\\'ıa"."""

    def format(self, person, abbr=False):
        def rich(parts: list[str]) -> list[Text]:
            return [to_rich(part) for part in parts]

        return join[
            name_part(tie=True, abbr=abbr)[rich(person.first_names + person.middle_names)],
            name_part(tie=True)[rich(person.prelast_names)],
            name_part[rich(person.last_names)],
            name_part(before=", ")[rich(person.lineage_names)],
        ]


class KeyLabels(BaseLabelStyle):
    """An entry's label is its key: unique across the per-year lists."""

    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            yield entry.key


class PortfolioStyle(BaseStyle):
    """Title. Authors. Where it appeared, year: the title first, where a reader
    scanning a list looks. One template per entry type
    that refs.bib accepts (academic_portfolio.data.refsbib.REQUIRED); every text field goes
    through academic_portfolio.text.latex."""

    def __init__(self, owner: Person | None = None, abbreviate_names: bool = False, **kwargs: Any):
        # BaseStyle.__init__ finds these three parts by name among every
        # installed package's entry points, milliseconds a lookup, for every
        # instance (sphinxcontrib-bibtex makes one per list, on every build).
        # Ours are these classes; the attributes are BaseStyle's.
        self.name_style, self.label_style, self.sorting_style = (
            LatexNames(),
            KeyLabels(),
            NewestFirst(),
        )
        self.format_name = self.name_style.format
        self.format_labels = self.label_style.format_labels
        self.sort = self.sorting_style.sort
        self.abbreviate_names = abbreviate_names
        self.min_crossrefs = 2
        self.owner = owner  # set in bold wherever the style names them

    def format_names(self, role, as_sentence=True):
        names = marked_names(role, sep=", ", sep2=" and ", last_sep=", and ")
        return sentence[names] if as_sentence else names

    def names_part(self):
        """The authors, or for an edited volume its editors."""
        editors = words[marked_names("editor", sep=", ", sep2=" and ", last_sep=", and "), "(eds.)"]
        return sentence[first_of[optional[self.format_names("author", False)], editors]]

    def title_part(self, emphasized: bool = False):
        return sentence[tag("em")[text("title")] if emphasized else text("title")]

    def note_part(self):
        return sentence[optional[text("note")]]

    def volume_issue_pages(self):
        return first_of[
            optional[join[field("volume", raw=True), optional["(", field("number", raw=True), ")"],
                          ":", pages]],
            optional[join[field("volume", raw=True), optional["(", field("number", raw=True), ")"]]],
            optional[words["pages", pages]],
        ]  # fmt: skip

    def get_article_template(self, e):
        return toplevel[
            self.title_part(), self.names_part(),
            sentence[tag("em")[text("journal")], optional[self.volume_issue_pages()], date],
            self.note_part(),
        ]  # fmt: skip

    def in_volume(self, title_field: str = "booktitle"):
        """ "In <book or proceedings>, volume, pages, publisher, year" """
        return words["In", sentence[
            tag("em")[text(title_field)],
            # "volume 125 of LNCS": the volume is the series', not the book's
            optional[words["volume", field("volume", raw=True), optional[words["of", text("series")]]]],
            optional[words["pages", pages]],
            optional[text("publisher")],
            date,
        ]]  # fmt: skip

    def get_inproceedings_template(self, e):
        return toplevel[self.title_part(), self.names_part(), self.in_volume(), self.note_part()]

    get_conference_template = get_inproceedings_template
    get_incollection_template = get_inproceedings_template

    def get_inbook_template(self, e):
        chapter = first_of[
            optional[words["chapter", text("chapter")]], optional[words["pages", pages]]
        ]
        return toplevel[
            self.title_part(emphasized=True), self.names_part(),
            sentence[chapter, text("publisher"), optional[text("address")], date],
            self.note_part(),
        ]  # fmt: skip

    def get_book_template(self, e):
        return toplevel[
            self.title_part(emphasized=True), self.names_part(),
            sentence[optional[text("publisher")], optional[text("address")], date],
            self.note_part(),
        ]  # fmt: skip

    def get_proceedings_template(self, e):
        return toplevel[
            self.title_part(emphasized=True), optional[self.names_part()],
            sentence[optional[text("organization")], optional[text("publisher")], date],
            self.note_part(),
        ]  # fmt: skip

    def thesis(self, kind: str):
        return toplevel[
            self.title_part(), self.names_part(),
            sentence[first_of[optional[text("type")], kind], text("school"),
                     optional[text("address")], date],
            self.note_part(),
        ]  # fmt: skip

    def get_phdthesis_template(self, e):
        return self.thesis("PhD thesis")

    def get_mastersthesis_template(self, e):
        return self.thesis("Master's thesis")

    def get_techreport_template(self, e):
        report = words[first_of[optional[text("type")], "Technical report"],
                       optional[field("number", raw=True)]]  # fmt: skip
        return toplevel[
            self.title_part(), self.names_part(),
            sentence[report, text("institution"), optional[text("address")], date],
            self.note_part(),
        ]  # fmt: skip

    def get_misc_template(self, e):
        arxiv = words["arXiv preprint", join["arXiv:", field("eprint", raw=True)]]
        preprint = arxiv if is_arxiv(e) else None
        return toplevel[
            optional[self.title_part()], optional[self.names_part()],
            sentence[optional[text("howpublished")], *([optional[preprint]] if preprint else []),
                     optional[date]],
            self.note_part(),
        ]  # fmt: skip

    def get_patent_template(self, e):
        """biblatex's @patent: "Patent <number>", its holder, the year."""
        return toplevel[
            self.title_part(), self.names_part(),
            sentence[words["Patent", field("number", raw=True)], optional[text("holder")], date],
            self.note_part(),
        ]  # fmt: skip

    def get_unpublished_template(self, e):
        return toplevel[
            self.title_part(), self.names_part(), sentence[text("note"), optional[date]],
        ]  # fmt: skip


class NewestFirst(BaseSortingStyle):
    """Newest year first; within a year, by title."""

    def sorting_key(self, entry):
        return (-int(entry.fields.get("year", 0)), entry.fields.get("title", ""))


class ListOrderStyle(PortfolioStyle):
    """The style sphinxcontrib-bibtex is given (``bibtex_default_style``): it
    sorts, labels and groups the lists with it, and it sets no entry's text.

    sphinxcontrib-bibtex formats every entry of every list on every build,
    whether a page is written or not (a third of a one-page rebuild at 300
    papers), and makes its style without arguments, so without the owner.
    Each entry's text is set by academic_portfolio.papers.render with the site's style, which
    knows the owner, when the list's page is written."""

    def format_entry(self, label: str, entry, bib_data=None) -> FormattedEntry:
        return FormattedEntry(entry.key, Text(entry.key), label)


def register_plugins() -> None:
    """Make the style known to pybtex (and so to sphinxcontrib-bibtex) by name."""
    pybtex.plugin.register_plugin("pybtex.style.formatting", "portfolio", ListOrderStyle)
    pybtex.plugin.register_plugin("pybtex.style.sorting", "newest_first", NewestFirst)
    pybtex.plugin.register_plugin("pybtex.style.labels", "key", KeyLabels)


def setup(app: Sphinx) -> dict[str, Any]:
    register_plugins()
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
