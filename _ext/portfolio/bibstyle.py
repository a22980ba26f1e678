"""The pybtex style of every publication list on the site.

Registered through pybtex's plugin mechanism as ``portfolio`` (formatting) and
``newest_first`` (sorting), and chosen by ``bibtex_default_style`` in conf.py.

- Titles keep the case written in refs.bib (no sentence-casing).
- The owner's name (``portfolio_owner`` in conf.py) is set in bold.
- Authors listed in an entry's ``equal_contribution`` field get a "*".
- Links are left out of the text: pages show them as buttons instead.

It also makes pybtex's plugin lookups cheap (see ``scan_plugins_once``).
"""

from __future__ import annotations

import importlib.metadata
from typing import Any

import pybtex.plugin
from pybtex.database import Person
from pybtex.richtext import Tag, Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import FieldIsMissing, field, join, node, sentence
from sphinx.application import Sphinx

EQUAL_CONTRIBUTION_FIELD = "equal_contribution"
EQUAL_CONTRIBUTION_MARK = "*"


def same_person(a: Person, b: Person) -> bool:
    return (a.last_names, a.first_names + a.middle_names) == (
        b.last_names, b.first_names + b.middle_names,
    )  # fmt: skip


def equal_contributors(entry) -> list[Person]:
    names = entry.fields.get(EQUAL_CONTRIBUTION_FIELD, "")
    return [Person(name.strip()) for name in names.split(" and ") if name.strip()]


@node
def marked_names(children, context, role, **kwargs):
    """Like pybtex's ``names``, with the owner in bold and equal contributors marked."""
    entry, style = context["entry"], context["style"]
    try:
        persons = entry.persons[role]
    except KeyError:
        raise FieldIsMissing(role, entry) from None
    equal = equal_contributors(entry)
    formatted = []
    for person in persons:
        name = style.format_name(person, style.abbreviate_names).format_data(context)
        if any(same_person(person, other) for other in equal):
            name = Text(name, EQUAL_CONTRIBUTION_MARK)
        if style.owner is not None and same_person(person, style.owner):
            name = Tag("strong", name)
        formatted.append(name)
    return join(**kwargs)[formatted].format_data(context)


class KeyLabels(BaseLabelStyle):
    """An entry's label is its key: unique across the per-year lists."""

    def format_labels(self, sorted_entries):
        for entry in sorted_entries:
            yield entry.key


class PortfolioStyle(UnsrtStyle):
    default_sorting_style = "newest_first"
    default_label_style = "key"
    owner: Person | None = None  # set from conf.py by setup()

    def format_names(self, role, as_sentence=True):
        names = marked_names(role, sep=", ", sep2=" and ", last_sep=", and ")
        return sentence[names] if as_sentence else names

    def format_title(self, e, which_field, as_sentence=True):
        title = field(which_field)
        return sentence[title] if as_sentence else title

    def format_web_refs(self, e):
        return Text()


class NewestFirst(BaseSortingStyle):
    """Newest year first; within a year, by title."""

    def sorting_key(self, entry):
        return (-int(entry.fields.get("year", 0)), entry.fields.get("title", ""))


def set_owner(app: Sphinx, config) -> None:
    PortfolioStyle.owner = Person(config.portfolio_owner) if config.portfolio_owner else None


def scan_plugins_once() -> None:
    """Read the installed packages' entry points once per build, not per lookup.

    pybtex asks importlib.metadata on every plugin lookup (about twenty in a
    build), and each ask reads the metadata of every installed package: about
    5 ms each here, a tenth of a one-page rebuild. Packages are not installed
    during a build, so one reading serves them all (Pygments caches its entry
    points the same way). pybtex's own registry and its plugins are unchanged.
    """
    if hasattr(pybtex.plugin, "entry_points"):  # where pybtex looks them up
        pybtex.plugin.entry_points = importlib.metadata.entry_points().select


def register_plugins() -> None:
    """Make the style known to pybtex (and so to sphinxcontrib-bibtex) by name."""
    pybtex.plugin.register_plugin("pybtex.style.formatting", "portfolio", PortfolioStyle)
    pybtex.plugin.register_plugin("pybtex.style.sorting", "newest_first", NewestFirst)
    pybtex.plugin.register_plugin("pybtex.style.labels", "key", KeyLabels)


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("portfolio_owner", "", "env", types=[str])
    scan_plugins_once()
    register_plugins()
    app.connect("config-inited", set_owner)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
