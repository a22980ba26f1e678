"""Reference tables of the engine's documentation, made from the engine itself.

Each directive writes a Markdown table from the installed package, so the
documentation cannot drift from the code: the settings from
:mod:`academic_portfolio.settings`, the data formats from the JSON Schemas,
and the directives, event handlers and transforms from what each module's
``setup()`` registers (run against a recorder, not Sphinx), the sessions from
the starter's ``noxfile.py``.
"""

from __future__ import annotations

import ast
import importlib
import itertools
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

import academic_portfolio
from academic_portfolio import settings

PACKAGE = Path(academic_portfolio.__file__).parent

# Sphinx's core events in the order a build emits them (Sphinx's "Core events overview").
EVENT_ORDER = [
    "config-inited", "builder-inited", "env-get-outdated", "env-before-read-docs",
    "source-read", "doctree-read", "env-merge-info", "env-updated", "env-get-updated",
    "env-check-consistency", "write-started", "doctree-resolved", "html-collect-pages",
    "html-page-context",
    "build-finished",
]  # fmt: skip


# -- What each module registers -----------------------------------------------------


@dataclass
class Registered:
    """What one module's ``setup()`` asked of Sphinx."""

    module: str
    directives: list[tuple[str, type]] = field(default_factory=list)
    settings: list[str] = field(default_factory=list)
    # (event, priority, the order it was connected in, handler)
    handlers: list[tuple[str, int, int, Callable[..., Any]]] = field(default_factory=list)
    transforms: list[tuple[str, type]] = field(default_factory=list)


class EmptyConfig:
    """A config in which every list a ``setup()`` extends starts empty."""

    def __getattr__(self, name: str) -> list[Any]:
        return []


class Recorder:
    """Stands in for Sphinx while a module's ``setup()`` runs, and notes what it registers.

    A module that sets up another engine module (``app.setup_extension``) has
    it set up then, once, as Sphinx does: its handlers come in Sphinx's order.
    """

    def __init__(self, module: str, set_up: Callable[[str], None], order: Iterator[int]) -> None:
        self.registered = Registered(module)
        self.config = EmptyConfig()
        self.set_up = set_up
        self.order = order  # shared by every module: the order handlers are connected in

    def setup_extension(self, name: str) -> None:
        if name.startswith("academic_portfolio."):
            self.set_up(name)

    def add_directive(self, name: str, cls: type, override: bool = False) -> None:
        self.registered.directives.append((name, cls))

    def add_config_value(self, name: str, *args: Any, **kwargs: Any) -> None:
        self.registered.settings.append(name)

    def connect(self, event: str, callback: Callable[..., Any], priority: int = 500) -> int:
        self.registered.handlers.append((event, priority, next(self.order), callback))
        return 0

    def add_transform(self, cls: type) -> None:
        self.registered.transforms.append(("transform (while reading)", cls))

    def add_post_transform(self, cls: type) -> None:
        self.registered.transforms.append(("post-transform (while writing)", cls))

    def __getattr__(self, name: str) -> Callable[..., None]:
        # setup_extension, add_domain, add_node, add_css_file...: not part of these tables.
        return lambda *args, **kwargs: None


def engine_modules() -> list[str]:
    """The engine's extension modules in the order the package sets them up, then its defaults."""
    return [f"academic_portfolio.{name}" for name in academic_portfolio.MODULES] + [
        "academic_portfolio.defaults"
    ]


def registrations() -> list[Registered]:
    """What each engine module registers, every module the package sets up
    included (``academic_portfolio.data.generated`` is set up by ``papers``)."""
    found: dict[str, Registered] = {}
    order = itertools.count()

    def set_up(name: str) -> None:
        if name in found:
            return
        recorder = Recorder(name, set_up, order)
        found[name] = recorder.registered
        importlib.import_module(name).setup(recorder)

    for name in engine_modules():
        set_up(name)
    return list(found.values())


def qualified(thing: Any) -> str:
    return f"{thing.__module__}.{thing.__qualname__}"


def first_sentence(thing: Any) -> str:
    doc = " ".join((thing.__doc__ or "").split())
    return doc.split(". ")[0].rstrip(".") + "." if doc else ""


def cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


# -- Tables --------------------------------------------------------------------------


def directives_table() -> str:
    rows = [
        "| directive | implemented in | registered by | what it does |",
        "| --- | --- | --- | --- |",
    ]
    for found in registrations():
        for name, cls in found.directives:
            rows.append(
                f"| `{{{name}}}` | `{qualified(cls)}` | `{found.module}` | {cell(first_sentence(cls))} |"
            )
    return "\n".join(rows) + "\n"


def events_table() -> str:
    rows = ["| event | priority | handler |", "| --- | --- | --- |"]
    handlers = [h for found in registrations() for h in found.handlers]
    order = {event: n for n, event in enumerate(EVENT_ORDER)}
    unplaced = sorted({h[0] for h in handlers} - set(order))
    if unplaced:
        raise ValueError(f"events not in EVENT_ORDER: {unplaced}; add each where Sphinx emits it")
    # Sphinx calls an event's handlers by priority, then in the order they were connected.
    for event, priority, _, callback in sorted(handlers, key=lambda h: (order[h[0]], h[1], h[2])):
        rows.append(f"| `{event}` | {priority} | `{qualified(callback)}` |")
    return "\n".join(rows) + "\n"


def transforms_table() -> str:
    rows = ["| kind | priority | transform | what it does |", "| --- | --- | --- | --- |"]
    for found in registrations():
        for kind, cls in found.transforms:
            priority = getattr(cls, "default_priority", "")
            rows.append(
                f"| {kind} | {priority} | `{qualified(cls)}` | {cell(first_sentence(cls))} |"
            )
    return "\n".join(rows) + "\n"


def setting_modules_table() -> str:
    rows = ["| setting | declared by | read by |", "| --- | --- | --- |"]
    declared = {name: found.module for found in registrations() for name in found.settings}
    for setting in settings.ENGINE_SETTINGS:
        readers = ", ".join(f"`{m}`" for m in modules_reading(setting.name)) or "none"
        rows.append(f"| `{setting.name}` | `{declared.get(setting.name, '?')}` | {readers} |")
    return "\n".join(rows) + "\n"


def modules_reading(name: str) -> list[str]:
    """The engine's modules whose code names the setting (besides the declaration)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if path.name == "settings.py" or "starter" in path.parts:
            continue
        if name in path.read_text("utf-8"):
            parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
            found.append(".".join(p for p in parts if p != "__init__"))
    return found


def settings_tables(which: str) -> str:
    """``engine``: the engine's own settings; ``others``: other packages' settings with
    the engine's default; ``added``: the settings the engine adds to."""
    if which == "added":
        return "\n".join(f"- `{name}`: {what}." for name, what in settings.ADDED_TO.items()) + "\n"
    chosen = {"engine": settings.ENGINE_SETTINGS, "others": settings.OTHER_SETTINGS}[which]
    return settings.settings_table(chosen)


# -- Data formats, from the JSON Schemas --------------------------------------------


def schema_table(name: str) -> str:
    schema = json.loads((PACKAGE / "schemas" / name).read_text("utf-8"))
    rows = [
        f"{schema.get('title', name)} (`academic_portfolio/schemas/{name}`).\n",
        "| field | required | value | meaning |",
        "| --- | --- | --- | --- |",
    ]
    for path, required, node in fields(schema, schema):
        rows.append(f"| `{path}` | {'yes' if required else 'no'} | {cell(value_of(node, schema))} "
                    f"| {cell(node.get('description', ''))} |")  # fmt: skip
    return "\n".join(rows) + "\n"


def resolved(node: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    """The node with its ``$ref`` followed (the definition's keys under the node's own)."""
    ref = node.get("$ref")
    if not ref:
        return node
    target = schema
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return {**resolved(target, schema), **{k: v for k, v in node.items() if k != "$ref"}}


def fields(
    node: dict[str, Any], schema: dict[str, Any], prefix: str = ""
) -> Iterator[tuple[str, bool, dict[str, Any]]]:
    """Every field below *node*: its path (``a.b[].c``), whether it is required, its schema."""
    node = resolved(node, schema)
    required = set(node.get("required", ()))
    for name, child in node.get("properties", {}).items():
        path = f"{prefix}{name}"
        child = resolved(child, schema)
        yield path, name in required, child
        yield from nested(child, schema, path)


def nested(
    node: dict[str, Any], schema: dict[str, Any], path: str
) -> Iterator[tuple[str, bool, dict[str, Any]]]:
    if "properties" in node:
        yield from fields(node, schema, f"{path}.")
    items = resolved(node.get("items", {}), schema)
    if "properties" in items:
        yield from fields(items, schema, f"{path}[].")
    for n, choice in enumerate(items.get("oneOf", ()), 1):
        yield from fields(choice, schema, f"{path}[] (form {n}).")


def value_of(node: dict[str, Any], schema: dict[str, Any]) -> str:
    """The value a field takes, in words."""
    if "const" in node:
        return f"`{node['const']}`"
    if "enum" in node:
        return "one of " + ", ".join(f"`{v}`" for v in node["enum"])
    kind = node.get("type", "")
    if kind == "array":
        items = resolved(node.get("items", {}), schema)
        inner = "forms below" if "oneOf" in items else value_of(items, schema)
        least = node.get("minItems")
        return f"a list ({f'at least {least}, ' if least else ''}each {inner})"
    words = {"string": "text", "object": "fields below", "integer": "a whole number",
             "number": "a number", "boolean": "true or false"}.get(kind, kind)  # fmt: skip
    hint = node.get("format-hint")
    if hint:
        words += f": {hint}"
    if "maxLength" in node:
        words += f", at most {node['maxLength']} characters"
    return words


# -- refs.bib, from the data layer's own lists ----------------------------------------

# What the engine does with each of its own fields (data.refsbib.PRIVATE_FIELDS).
OWN_FIELDS = {
    "slug": "the paper page's address, /publications/<slug>/ (else made from the key)",
    "selected": "{true}: the paper is in {selected-papers}, on the home page",
    "equal_contribution": "the authors who contributed equally, marked with *",
    "venue": "the venue's short name for the label, without the year",
    "pdf": "a link button",
    "code": "a link button",
    "openreview": "a link button",
}


def bib_format() -> str:
    from academic_portfolio.data import refsbib
    from academic_portfolio.text.venue import STATUSES

    rows = ["| entry type | needs |", "| --- | --- |"]
    for kind, needed in refsbib.REQUIRED.items():
        fields_needed = dict.fromkeys([*refsbib.SITE_REQUIRED, *needed])
        shown = ", ".join(f"`{f.replace('|', ' or ')}`" for f in fields_needed)
        rows.append(f"| `@{kind}` | {shown} |")
    own = ["", "| field | what the engine does with it |", "| --- | --- |"]
    for name in sorted(refsbib.PRIVATE_FIELDS):
        meaning = OWN_FIELDS.get(name, "")
        if name == "status":
            meaning = "the status label, one of " + ", ".join(f"`{s}`" for s in STATUSES)
        own.append(f"| `{name}` | {cell(meaning)} |")
    links = ", ".join(f"`{f}`" for f in refsbib.LINK_FIELDS)
    return ("\n".join(rows) + "\n\nThe engine's own fields, left out of the BibTeX shown to "
            f"readers and of the downloadable `/refs.bib`; the link fields ({links}) accept "
            "only `https`, `http` and `mailto` addresses.\n" + "\n".join(own) + "\n")  # fmt: skip


# -- Sessions, from the starter's noxfile ---------------------------------------------


def sessions_table(noxfile: Path) -> str:
    rows = ["| session | what it does |", "| --- | --- |"]
    for function in ast.parse(noxfile.read_text("utf-8")).body:
        if isinstance(function, ast.FunctionDef) and any(
            "session" in ast.unparse(d) for d in function.decorator_list
        ):
            doc = (ast.get_docstring(function) or "").split("\n\n")[0]
            rows.append(f"| `nox -s {function.name}` | {cell(' '.join(doc.split()))} |")
    return "\n".join(rows) + "\n"


# -- The directives of these pages ---------------------------------------------------


class GeneratedTable(SphinxDirective):
    """Parse the Markdown a table function makes, as if written in the page."""

    optional_arguments = 1
    make: Callable[..., str]

    def run(self) -> list[nodes.Node]:
        text = type(self).make(*self.arguments)
        return list(self.parse_text_to_nodes(text))


def table_directive(make: Callable[..., str]) -> type[GeneratedTable]:
    return type(f"{make.__name__}_directive", (GeneratedTable,), {"make": staticmethod(make)})


def setup(app: Sphinx) -> dict[str, Any]:
    starter_noxfile = PACKAGE / "starter" / "noxfile.py"
    tables: dict[str, Callable[..., str]] = {
        "engine-settings": settings_tables,
        "engine-setting-modules": setting_modules_table,
        "engine-directives": directives_table,
        "engine-events": events_table,
        "engine-transforms": transforms_table,
        "engine-schema": schema_table,
        "engine-bib-format": bib_format,
        "starter-sessions": lambda: sessions_table(starter_noxfile),
    }
    for name, make in tables.items():
        app.add_directive(name, table_directive(make))
    return {"version": academic_portfolio.__version__, "parallel_read_safe": True,
            "parallel_write_safe": True}  # fmt: skip
