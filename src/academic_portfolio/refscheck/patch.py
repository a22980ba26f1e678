"""Proposed changes as edits of refs.bib's own text, and as a unified diff.

Only the spans that change are touched: a field's value between its braces
or quotes, or one new line after the entry's last field, indented and aligned
like the lines above it. Comments, key order, spacing and every other field
stay byte for byte."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from pybtex.database import Person
from pybtex.database.input.bibtex import Parser
from pybtex.exceptions import PybtexError

from ..data.refsbib import entry_start
from .bibvalue import UnsafeValue, bibtex_value
from .compare import Change

# The characters of a field name, as BibTeX and pybtex read them (biblatex's
# "author+an" among them): anything but spaces and "#%'(),={}.
NAME = re.compile(r"[^\s\d\"#%'(),={}][^\s\"#%'(),={}]*")
BARE = re.compile(r"[^\s\"#%'(),={}]+")  # a number or a macro: never the entry's ")"
SPACE = re.compile(r"\s*")
AND = re.compile(r"\s+and\s+")


@dataclass(frozen=True)
class Field:
    name: str
    line_start: int  # offset of the line the name is on
    name_start: int
    equals: int  # offset of "="
    value_start: int
    value_end: int  # just after the closing brace, quote or bare word
    end: int  # just after the field's comma, or value_end when it has none


class PatchError(ValueError):
    """An entry whose text the editor cannot read (or that changed meanwhile)."""


def entry_fields(text: str, key: str) -> tuple[list[Field], int]:
    """The fields of the entry *key*, and where its closing brace or parenthesis is."""
    start = entry_start(key).search(text)
    if start is None:
        raise PatchError("it is not in refs.bib any more (run the check again)")
    closer = "}" if start[1] == "{" else ")"
    pos, fields = start.end(), list[Field]()
    while True:
        pos = after_space(text, pos)
        if pos >= len(text) or text[pos] == closer:
            return fields, pos
        fields.append(read_field(text, pos))
        pos = fields[-1].end


def read_field(text: str, pos: int) -> Field:
    name = NAME.match(text, pos)
    equals = after_space(text, name.end()) if name else pos
    if not name or text[equals : equals + 1] != "=":
        raise PatchError(unreadable(text, pos))
    value_start = after_space(text, equals + 1)
    value_end = value_span_end(text, value_start)
    after = after_space(text, value_end)
    end = after + 1 if text[after : after + 1] == "," else value_end
    line_start = text.rfind("\n", 0, pos) + 1
    return Field(name[0].lower(), line_start, pos, equals, value_start, value_end, end)


def after_space(text: str, pos: int) -> int:
    """Where the white space from *pos* ends (SPACE matches none, too)."""
    space = SPACE.match(text, pos)
    assert space is not None, "SPACE matches the empty string"
    return space.end()


def unreadable(text: str, pos: int, expected: str = "a field (a name, =, a value)") -> str:
    line = text.count("\n", 0, pos) + 1
    what = text[pos : pos + 30].split("\n")[0]
    return f"line {line} has {what!r} where the patch writer expects {expected}"


def value_span_end(text: str, pos: int) -> int:
    """The end of a value: {...}, "..." or a bare word, joined by # any number of times."""
    while True:
        if text[pos] == "{":
            pos = closing_brace(text, pos)
        elif text[pos] == '"':
            pos = closing_quote(text, pos)
        else:
            bare = BARE.match(text, pos)
            if bare is None:
                raise PatchError(unreadable(text, pos, "a value"))
            pos = bare.end()
        after = after_space(text, pos)
        if text[after : after + 1] != "#":
            return pos
        pos = after_space(text, after + 1)


def closing_brace(text: str, pos: int) -> int:
    depth = 0
    for index in range(pos, len(text)):
        depth += {"{": 1, "}": -1}.get(text[index], 0)
        if depth == 0:
            return index + 1
    raise PatchError("a brace is not closed")


def closing_quote(text: str, pos: int) -> int:
    depth = 0
    for index in range(pos + 1, len(text)):
        char = text[index]
        depth += {"{": 1, "}": -1}.get(char, 0)
        if char == '"' and depth == 0:
            return index + 1
    raise PatchError("a quote is not closed")


def checked_value(change: Change) -> str:
    """The value of *change* as it may be written in braces (:func:`.bibvalue.bibtex_value`), or PatchError."""
    try:
        return bibtex_value(change.field, change.value)
    except UnsafeValue as error:
        raise PatchError(str(error)) from None


def edits_for(text: str, key: str, changes: list[Change]) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for every change of one entry (values checked by checked_value)."""
    fields, _ = entry_fields(text, key)
    by_name = {f.name: f for f in fields}
    edits, new_lines = [], []
    for change in changes:
        existing = by_name.get(change.field)
        if existing is None:
            new_lines.append(change)
            continue
        value = change.value
        if change.field == "author" and text[existing.value_start] in '{"':
            value = merged_names(text[existing.value_start + 1 : existing.value_end - 1], value)
        edits.append((existing.value_start, existing.value_end, "{" + value + "}"))
    if new_lines:
        edits.append(insertion(text, fields, new_lines))
    return edits


def insertion(text: str, fields: list[Field], changes: list[Change]) -> tuple[int, int, str]:
    """New field lines after the last field, indented and aligned like it,
    ended as the file ends its lines (CRLF or LF)."""
    last = fields[-1]
    newline = "\r\n" if "\r\n" in text else "\n"
    indent = text[last.line_start : last.name_start]
    indent = indent if indent.strip() == "" else "  "
    name_width = last.equals - last.name_start  # the name and its padding up to "="
    gap = text[last.equals + 1 : last.value_start] or " "
    comma = text[last.value_end : last.end].strip() == ","
    lines = [
        f"{indent}{c.field.ljust(name_width - 1 if name_width > len(c.field) else len(c.field))} "
        f"={gap}{{{c.value}}}"
        for c in changes
    ]
    if comma:  # keep the file's habit: every field ends with a comma
        return last.end, last.end, "".join(f"{newline}{line}," for line in lines)
    return last.value_end, last.value_end, "," + ",".join(f"{newline}{line}" for line in lines)


def apply_changes(text: str, changes: list[Change]) -> tuple[str, dict[str, str], int]:
    """*text* with every change made that can be written; for each entry with
    changes left out, why; and how many changes were made. A value that is not
    BibTeX for its field leaves out only itself; an entry whose text cannot be
    edited, or whose edited text would not read back as proposed, all its own."""
    edits, skipped, made = [], {}, 0
    before = parsed(text)
    for key in dict.fromkeys(c.key for c in changes):
        good, problems = [], []
        for change in (c for c in changes if c.key == key):
            try:
                good.append(Change(change.key, change.field, checked_value(change)))
            except PatchError as error:
                problems.append(f"{error}: that change is left out")
        try:
            proposed = edits_for(text, key, good) if good else []
            verify(before, edited(text, proposed), key, good)
            edits += proposed
            made += len(good)
        except PatchError as error:
            problems.append(f"{error}; its {len(good)} change(s) "
                            f"({', '.join(c.field for c in good)}) are left out")  # fmt: skip
        if problems:
            skipped[key] = f"entry '{key}': {'; '.join(problems)}: make them by hand"
    return edited(text, edits), skipped, made


def edited(text: str, edits: list[tuple[int, int, str]]) -> str:
    """*text* with the edits made, from the end so that offsets stay right."""
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def parsed(text: str) -> dict[str, dict[str, str]]:
    """Every entry of *text* as BibTeX reads it: key -> field -> value (authors joined)."""
    try:
        data = Parser().parse_string(text)
    except PybtexError as error:
        raise PatchError(f"the file would not read as BibTeX ({error})") from None
    return {
        key.lower(): {
            **{name.lower(): value for name, value in entry.fields.items()},
            **{
                role.lower(): " and ".join(map(str, people))
                for role, people in entry.persons.items()
            },
        }
        for key, entry in data.entries.items()
    }


def verify(before: dict[str, dict[str, str]], text: str, key: str, changes: list[Change]) -> None:
    """The edited file read again: the same entries; *key* with exactly the
    fields it had plus the proposed ones; every other entry unchanged."""
    after = parsed(text)
    if set(after) != set(before):
        raise PatchError("the change would add or remove entries")
    wanted = set(before[key.lower()]) | {c.field for c in changes}
    if set(after[key.lower()]) != wanted:
        extra = sorted(set(after[key.lower()]) ^ wanted)
        raise PatchError(f"the change would alter the fields {', '.join(extra)}")
    for change in changes:
        value = after[key.lower()][change.field]
        if change.field != "author" and " ".join(value.split()) != " ".join(change.value.split()):
            raise PatchError(f"the {change.field} would not read back as proposed")
    for other, fields in before.items():
        if other != key.lower() and after[other] != fields:
            raise PatchError(f"the change would alter the entry '{other}'")


def merged_names(raw: str, proposed: str) -> str:
    """The proposed author list written in refs.bib's own way: a name that
    stays is kept as written, the others are written as the owner writes names
    ("Last, Given" or "Given Last"), and the separators (line breaks) stay."""
    lead, trail = raw[: len(raw) - len(raw.lstrip())], raw[len(raw.rstrip()) :]
    mine, separators = split_names(raw.strip())
    theirs, _ = split_names(proposed)
    commas = any("," in name for name in mine)
    names = [
        mine[i] if i < len(mine) and same_name(mine[i], name) else
        name if commas else given_first(name)
        for i, name in enumerate(theirs)
    ]  # fmt: skip
    separators += [separators[-1] if separators else " and "] * len(names)
    joined = "".join(s + n for s, n in zip(separators, names[1:], strict=False))
    return lead + names[0] + joined + trail


def split_names(value: str) -> tuple[list[str], list[str]]:
    """The names of an author list and the " and " between them (outside braces)."""
    cuts = [m for m in AND.finditer(value)
            if value.count("{", 0, m.start()) == value.count("}", 0, m.start())]  # fmt: skip
    bounds = [0, *(x for m in cuts for x in m.span()), len(value)]
    names = [value[a:b] for a, b in zip(bounds[::2], bounds[1::2], strict=True)]
    return names, [m[0] for m in cuts]


def name_parts(name: str) -> tuple[tuple[str, ...], ...] | None:
    try:
        person = Person(name)
    except PybtexError:
        return None
    return (tuple(person.first_names + person.middle_names),
            tuple(person.prelast_names + person.last_names), tuple(person.lineage_names))  # fmt: skip


def same_name(ours: str, theirs: str) -> bool:
    parts = name_parts(ours)
    return parts is not None and parts == name_parts(theirs)


def given_first(name: str) -> str:
    """ "Last, Given" as "Given Last" (a name with a "Jr" part keeps its commas)."""
    parts = name_parts(name)
    if parts is None or parts[2] or not parts[0]:
        return name
    return " ".join(parts[0] + parts[1])


def unified_diff(old: str, new: str, name: str) -> str:
    """A diff `git apply` and `patch -p1` accept, run from the site's folder."""
    lines = difflib.unified_diff(
        with_newline(old), with_newline(new), fromfile=f"a/{name}", tofile=f"b/{name}"
    )
    return "".join(lines)


def with_newline(text: str) -> list[str]:
    lines = text.splitlines(keepends=True)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n\\ No newline at end of file\n"
    return lines
