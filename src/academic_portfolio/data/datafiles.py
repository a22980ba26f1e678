"""Load YAML data (files and front matter) and check it against a JSON Schema.

Errors name the file, the line, the entry and the field, and say what to do:
the owner edits these files by hand and must never meet a traceback.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from docutils import nodes
from sphinx.util import logging

from ..text.latex import is_safe_link

logger = logging.getLogger(__name__)

PACKAGE = Path(__file__).parent.parent  # academic_portfolio/
SCHEMA_DIR = PACKAGE / "schemas"


if TYPE_CHECKING:
    SafeLoader = yaml.SafeLoader
else:  # libyaml's loader when the wheel has it: the same reading, faster
    SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class TextLoader(SafeLoader):
    """YAML as the owner writes it: a date such as 2020-09-01 stays the text it
    is (the schema then says how to write a month), never a Python date."""


TextLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
LOADER = TextLoader


@dataclass(frozen=True)
class DataProblem:
    """One thing wrong in a data file, placed as precisely as we can."""

    path: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class BuildStopped(SystemExit):
    """The build stopped on bad data; every problem has been reported.

    A SystemExit, not a SphinxError: sphinx-build prints a SphinxError with
    a traceback and a bug-report request (Sphinx 9), and the owner must see
    only the "file:line: ERROR: ..." lines. In-process builds (the tests)
    catch it and read ``problems``."""

    def __init__(self, problems: list[DataProblem | str]):
        super().__init__(2)  # sphinx-build's exit status for errors
        self.problems = problems


def stop_build(problems: Iterable[DataProblem | str], advice: str = "") -> None:
    """Report every problem as "file:line: ERROR: ..." and end the build.

    The owner sees only these lines, never a traceback; sphinx-build exits 2.
    """
    problems = list(problems)
    for problem in problems:
        if isinstance(problem, DataProblem):
            if problem.line:
                logger.error(problem.message, location=f"{problem.path}:{problem.line}")
            else:  # Sphinx would read a location without ":" as a page name
                logger.error(f"{problem.path}: {problem.message}")
        else:
            logger.error(problem)
    if advice:
        print(advice, file=sys.stderr)  # shown even with -q; it is not an error
    raise BuildStopped(problems)


class DataFileError(Exception):
    """A data file that cannot be used; carries every problem found in it."""

    def __init__(self, problems: list[DataProblem]):
        self.problems = problems
        super().__init__("\n".join(map(str, problems)))


def load_schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text("utf-8"))


def read_text(path: Path) -> str:
    """A data file's text, or a DataFileError naming the line of a byte that is not UTF-8."""
    raw = path.read_bytes()
    if b"\x00" in raw:  # valid UTF-8 (U+0000), but no text has it: UTF-16 has one a letter
        wide = raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw.count(b"\x00") * 3 > len(raw)
        what = "UTF-16 text, as some Windows tools save it" if wide else "not text"
        message = (f"this file holds NUL bytes (0x00): it is {what}. Save it as UTF-8 in your "
                   "editor (\"Save with encoding\"), or export it again as UTF-8.")  # fmt: skip
        raise DataFileError(
            [DataProblem(path, raw.count(b"\n", 0, raw.index(b"\x00")) + 1, message)]
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        message = (f"byte 0x{raw[error.start]:02x} is not UTF-8 text: save the file as "
                   "UTF-8 in your editor (\"Save with encoding\"), or retype that character.")  # fmt: skip
        raise DataFileError([DataProblem(path, line, message)]) from None


def duplicate_keys(node: yaml.Node | None) -> list[tuple[int, str]]:
    """(0-based line, key) of every key written twice in one mapping: YAML would
    silently keep the last value."""
    found = []
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key, value in node.value:
            if key.value in seen:
                found.append((key.start_mark.line, key.value))
            seen.add(key.value)
            found += duplicate_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += duplicate_keys(item)
    return found


# Bounds on what a data file may expand to. YAML's aliases (*name) repeat an
# anchored value (&name) without copying it; nine levels of aliases to ten
# aliases each (a "billion laughs") are a few lines that every reader of the
# data (the checks, the schema, the pages) walks a billion times: 45 s at nine
# levels, a hang at ten. A CV holds a few hundred values.
MAX_VALUES = 10_000  # scalars, lists and mappings, counted with aliases expanded
MAX_DEPTH = 50  # lists and mappings inside each other


class TooLarge(Exception):
    """The node tree goes past MAX_VALUES or MAX_DEPTH, or contains itself."""

    def __init__(self, node: yaml.Node, message: str):
        super().__init__(message)
        self.node, self.message = node, message


def expanded_size(node: yaml.Node, sizes: dict[int, int], open_nodes: set[int],
                  depth: int = 0) -> int:  # fmt: skip
    """How many values *node* holds with every alias expanded (each shared node
    counted once per use, computed once); raises TooLarge past the bounds."""
    if id(node) in sizes:
        return sizes[id(node)]
    if id(node) in open_nodes:
        raise TooLarge(node, "an alias (*name) here stands for a list or mapping that holds "
                       "the alias itself, which never ends: write the values out instead.")  # fmt: skip
    if depth > MAX_DEPTH:
        raise TooLarge(node, f"lists and mappings are nested more than {MAX_DEPTH} deep here: "
                       "a data file of this site needs a few levels; flatten it.")  # fmt: skip
    children: list[yaml.Node] = []
    if isinstance(node, yaml.MappingNode):
        children = [part for pair in node.value for part in pair]
    elif isinstance(node, yaml.SequenceNode):
        children = list(node.value)
    open_nodes.add(id(node))
    size = 1
    for child in children:
        size += expanded_size(child, sizes, open_nodes, depth + 1)
        if size > MAX_VALUES:
            raise TooLarge(node, f"this expands to more than {MAX_VALUES} values (its aliases, "
                           "*name, repeat anchored values, &name, again and again: a 'billion "
                           "laughs'): write the values out where they are used, with fewer "
                           "aliases.")  # fmt: skip
    open_nodes.discard(id(node))
    sizes[id(node)] = size
    return size


def size_problem(node: yaml.Node | None, path: Path, first_line: int) -> DataProblem | None:
    """A file too large or too deep to read (aliases expanded), before anything walks it."""
    if node is None:
        return None
    try:
        expanded_size(node, {}, set())
    except TooLarge as error:
        return DataProblem(path, error.node.start_mark.line + first_line, error.message)
    return None


TEXT_TAG = "tag:yaml.org,2002:str"
MERGE_TAG = "tag:yaml.org,2002:merge"
KEY_KINDS = {"tag:yaml.org,2002:int": "a number", "tag:yaml.org,2002:float": "a number",
             "tag:yaml.org,2002:bool": "true or false", "tag:yaml.org,2002:null": "empty"}  # fmt: skip


def non_text_keys(node: yaml.Node | None) -> list[tuple[int, str]]:
    """(0-based line, what YAML reads) of every key that is not text: ``0:``,
    ``yes:``, a bare ``?`` or a list as a key. Field names are words; a number
    or an empty key would reach the checks and the pages as something else."""
    found = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if not isinstance(key, yaml.ScalarNode):
                found.append((key.start_mark.line, "a list or a mapping"))
            elif key.tag not in (TEXT_TAG, MERGE_TAG):  # "<<: *base" merges a mapping
                kind = KEY_KINDS.get(key.tag, f"a value of type {key.tag.rsplit(':', 1)[-1]}")
                found.append((key.start_mark.line, f"{key.value!r}, {kind}"))
            found += non_text_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found += non_text_keys(item)
    return found


def key_problems(node: yaml.Node | None, path: Path, first_line: int) -> list[DataProblem]:
    """Keys that are not text, then keys written twice in one mapping."""
    not_text = non_text_keys(node)
    if not_text:
        return [DataProblem(path, line + first_line, f"YAML reads this key as {what}, not a "
                            "field name: write the field's name, a word, before the ':' (in "
                            "quotes if it is a number or yes/no).")
                for line, what in not_text]  # fmt: skip
    return [DataProblem(path, line + first_line, f"'{key}' is written twice here: "
                        "keep one (YAML would silently use the last).")
            for line, key in duplicate_keys(node)]  # fmt: skip


def load_yaml(text: str, path: Path, first_line: int = 1) -> tuple[Any, yaml.Node | None]:
    """Parse YAML, keeping the node tree so that errors can name their line."""
    loader = LOADER(text)
    try:  # one parse: the node tree (for line numbers), then the data from it
        node = loader.get_single_node()
        too_large = size_problem(node, path, first_line)
        if too_large is not None:
            raise DataFileError([too_large])
        problems = key_problems(node, path, first_line)
        if problems:
            raise DataFileError(problems)
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + first_line if mark else None
        raise DataFileError([DataProblem(path, line, yaml_error_text(exc, text))]) from None
    finally:
        loader.dispose()
    return data, node


# What PyYAML says when a line's indentation does not fit the lines above it.
# (libyaml's words, then PyYAML's.)
MISINDENTED = ("mapping values are not allowed", "did not find expected key",
               "did not find expected '-' indicator", "expected <block end>")  # fmt: skip


def yaml_error_text(exc: yaml.YAMLError, text: str) -> str:
    """What is wrong, in the words of someone editing the file: PyYAML's
    "expected <block end>, but found '?'" never says "indentation"."""
    problem = getattr(exc, "problem", None) or str(exc)
    mark = getattr(exc, "problem_mark", None)
    line = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
    if "'\\t'" in problem or "\t" in line[: len(line) - len(line.lstrip())]:
        return ("a tab indents this line: YAML's indentation is spaces only; replace the tab "
                "with spaces.")  # fmt: skip
    if mark and problem.startswith(MISINDENTED[0]) and ": " in line[: mark.column].strip():
        return ("a value on this line holds ': ', which YAML reads as a new key: write the "
                'value in quotes, such as title: "Thesis: A Title".')  # fmt: skip
    if problem.startswith(MISINDENTED):
        return ("the indentation of this line does not fit the lines above: line up its key "
                "with the other keys of its entry (a nested level is indented 2 spaces more "
                "than its parent, and YAML reads the structure from the indentation).")  # fmt: skip
    return f"this is not valid YAML ({problem})."


def validate(
    data: Any, node: yaml.Node | None, schema: dict[str, Any], path: Path,
    first_line: int = 1,
) -> None:  # fmt: skip
    """Raise DataFileError listing every schema violation, with lines and hints."""
    import jsonschema  # here, not at start-up: unchanged files are not checked again

    checker = jsonschema.FormatChecker()
    checker.checks("link")(is_safe_link)
    validator = jsonschema.Draft202012Validator(schema, format_checker=checker)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path)))
    if errors:
        raise DataFileError([_problem(error, node, path, first_line, schema) for error in errors])


def _problem(error, node, path, first_line, schema) -> DataProblem:
    import jsonschema

    if error.context:  # a "oneOf": explain the branch the data came closest to
        error = jsonschema.exceptions.best_match(closest_branch(error))
    location = list(error.absolute_path)
    line = _line_of(node, location + _unknown_keys(error)[:1])
    where = _entry_name(location)
    message = f"{where}: {_explain(error)}" if where else _explain(error)
    return DataProblem(path, line + first_line if line is not None else None, message)


def closest_branch(error) -> list:
    """The errors of the "oneOf" branch whose fields the data uses most (a
    result with 'before' is a before/after result, whatever else is wrong)."""
    branches: dict[int, list] = {}
    for sub in error.context:
        branches.setdefault(sub.schema_path[0], []).append(sub)
    keys = set(error.instance) if isinstance(error.instance, dict) else set()

    def fit(index: int) -> tuple[int, int]:
        known = set(error.validator_value[index].get("properties", {}))
        return (-len(keys & known), len(branches[index]))

    return branches[min(branches, key=fit)]


def _unknown_keys(error) -> list[str]:
    if error.validator != "additionalProperties":
        return []
    return sorted(set(error.instance) - set(error.schema.get("properties", {})))


def _entry_name(location: Iterable[Any]) -> str:
    parts = []
    for key in location:
        parts.append(f"[{key + 1}]" if isinstance(key, int) else f".{key}")
    return "".join(parts).lstrip(".")


def _explain(error) -> str:
    """Turn a schema error into a sentence that says what to do."""
    kind = error.validator
    if kind == "required":
        missing = error.message.split("'")[1]
        return f"the required field '{missing}' is missing: add it."
    if kind == "additionalProperties":
        allowed = ", ".join(sorted(error.schema.get("properties", {})))
        unknown = ", ".join(_unknown_keys(error))
        return f"unknown field '{unknown}': fix its spelling or remove it (known: {allowed})."
    if kind == "pattern" and error.schema.get("format-hint"):
        return f"{error.instance!r} is malformed: write {error.schema['format-hint']}."
    if kind == "type":
        return _explain_type(error.instance, error.validator_value)
    if kind == "format" and error.validator_value == "link":
        return (f"{error.instance!r} is not a link the site shows: write a full "
                "https://, http:// or mailto: address, with no spaces, quotes or <>.")  # fmt: skip
    if kind in ("minLength", "maxLength"):
        bound = "at least" if kind == "minLength" else "at most"
        return (f"{error.instance!r} has {len(error.instance)} characters: write "
                f"{bound} {error.validator_value}.")  # fmt: skip
    if kind in ("minItems", "maxItems"):
        bound = "at least" if kind == "minItems" else "at most"
        return f"this list has {len(error.instance)} items: give {bound} {error.validator_value}."
    if kind == "enum":
        choices = ", ".join(map(repr, error.validator_value))
        return f"{error.instance!r} is not one of {choices}."
    return error.message + "."


TYPE_NAMES = {"string": "text", "array": "a list", "object": "a set of fields (key: value lines)",
              "number": "a number", "integer": "a whole number", "boolean": "true or false"}  # fmt: skip


def _explain_type(value: Any, expected: str) -> str:
    wanted = TYPE_NAMES.get(expected, expected)
    if expected == "string" and isinstance(value, (int, float, bool)):
        kind = "true/false value" if isinstance(value, bool) else "number"
        return (f"YAML reads {value!r} as a {kind}; this field takes text: "
                f"write it in quotes, \"{value}\".")  # fmt: skip
    if value is None:
        return f"this field is empty: write {wanted} here, or remove the field."
    return f"{value!r} is not {wanted}: write {wanted} here."


def _line_of(node: yaml.Node | None, location: list[Any]) -> int | None:
    """The 0-based line of the value at *location*, or of its nearest parent."""
    line = node.start_mark.line if node is not None else None
    for key in location:
        if isinstance(node, yaml.MappingNode):
            match = next((v for k, v in node.value if k.value == key), None)
            key_node = next((k for k, _ in node.value if k.value == key), None)
            if key_node is not None:
                line = key_node.start_mark.line
            node = match
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int):
            node = node.value[key] if key < len(node.value) else None
            if node is not None:
                line = node.start_mark.line
        else:
            break
    return line


# The end of an ongoing position or degree in cv.yaml (a month sorts before it).
PRESENT = "present"


def month_name(month: str) -> str:
    """A data file's month as readers see it: '2022-08' -> 'Aug 2022'; 'present' stays."""
    if month == PRESENT:
        return month
    year, number = map(int, month.split("-"))
    return date(year, number, 1).strftime("%b %Y")


def period(entry: Mapping[str, Any]) -> str:
    """An entry's dates as readers see them, such as 'Aug 2022 to Jan 2023' with an en dash."""
    return f"{month_name(entry['start'])} – {month_name(entry['end'])}"


class Slots:
    """Data values kept out of the MyST a directive generates.

    A directive writes its structure as MyST (sphinx-design grids, cards,
    definition lists) and each data value as a slot, a token of letters and
    digits that MyST leaves alone. After parsing, :meth:`fill` puts every value
    in its token's place as a text node (or as a node built for it, such as a
    link), which Sphinx escapes: no value is ever read as Markdown or HTML.
    """

    TOKEN = re.compile(r"PORTFOLIOSLOT(\d+)Z")

    def __init__(self) -> None:
        self.values: list[str | nodes.Node] = []

    def __call__(self, value: str | nodes.Node) -> str:
        self.values.append(value)
        return f"PORTFOLIOSLOT{len(self.values) - 1}Z"

    def fill(self, tree: list[nodes.Node]) -> list[nodes.Node]:
        for root in tree:
            for text in list(root.findall(nodes.Text)):
                parts = self.TOKEN.split(str(text))
                if len(parts) > 1:
                    text.parent.replace(text, [self._node(i, part) for i, part in enumerate(parts)
                                               if part or i % 2])  # fmt: skip
        leftover = [n for root in tree for n in root.findall(nodes.Text) if self.TOKEN.search(n)]
        if leftover:  # a slot in a place MyST does not keep as text: a bug of ours
            raise ValueError(f"unfilled data slot in {leftover[0]!r}")
        return tree

    def _node(self, index: int, part: str) -> nodes.Node:
        if index % 2 == 0:
            return nodes.Text(part)
        value = self.values[int(part)]
        return value.deepcopy() if isinstance(value, nodes.Node) else nodes.Text(value)


def _code_version() -> str:
    """A hash of the extension's code and schemas: a change to them must check
    every file and read every page again (academic_portfolio.data.store's env_version).
    Every subpackage counts, each file with its path, so that a move counts too."""
    files = sorted([*PACKAGE.rglob("*.py"), *SCHEMA_DIR.glob("*.json")])
    digest = hashlib.sha256()
    for file in files:
        digest.update(file.relative_to(PACKAGE).as_posix().encode() + b"\0" + file.read_bytes())
    return digest.hexdigest()


CODE_VERSION = _code_version()


def front_matter_text(path: Path) -> tuple[str, int] | None:
    """The YAML front matter of a page file and its first line, if it has any."""
    return split_front_matter(read_text(path))


def split_front_matter(text: str) -> tuple[str, int] | None:
    """Return the YAML front matter of a Markdown page and its first line (1-based)."""
    lines = text.splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    for index, line in enumerate(lines[1:], start=1):
        if line.strip() == "---":
            return "\n".join(lines[1:index]), 2
    return None
