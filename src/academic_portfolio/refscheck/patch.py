"""Proposed changes as edits of refs.bib's own text, and as a unified diff.

Only the spans that change are touched: a field's value between its braces
or quotes, or one new line after the entry's last field, indented and aligned
like the lines above it. Comments, key order, spacing and every other field
stay byte for byte."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from .compare import Change

NAME = re.compile(r"[A-Za-z][\w\-:.]*")
SPACE = re.compile(r"\s*")


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
    """refs.bib's text is not where the parser says (it changed meanwhile)."""


def entry_fields(text: str, key: str) -> tuple[list[Field], int]:
    """The fields of the entry *key*, and where its closing brace is."""
    start = re.search(r"@\w+\s*[{(]\s*" + re.escape(key) + r"\s*,", text)
    if start is None:
        raise PatchError(f"the entry '{key}' is not in refs.bib any more")
    pos, fields = start.end(), []
    while True:
        pos = SPACE.match(text, pos).end()
        if pos >= len(text) or text[pos] in "})":
            return fields, pos
        name = NAME.match(text, pos)
        equals = SPACE.match(text, name.end()).end() if name else pos
        if not name or text[equals : equals + 1] != "=":
            raise PatchError(f"the entry '{key}' cannot be read at offset {pos}")
        value_start = SPACE.match(text, equals + 1).end()
        value_end = value_span_end(text, value_start)
        after = SPACE.match(text, value_end).end()
        end = after + 1 if text[after : after + 1] == "," else value_end
        line_start = text.rfind("\n", 0, pos) + 1
        fields.append(Field(name[0].lower(), line_start, pos, equals, value_start, value_end, end))
        pos = end


def value_span_end(text: str, pos: int) -> int:
    """The end of a value: {...}, "..." or a bare word, joined by # any number of times."""
    while True:
        if text[pos] == "{":
            pos = closing_brace(text, pos)
        elif text[pos] == '"':
            pos = closing_quote(text, pos)
        else:
            pos = re.compile(r"[^\s,#}]+").match(text, pos).end()
        after = SPACE.match(text, pos).end()
        if text[after : after + 1] != "#":
            return pos
        pos = SPACE.match(text, after + 1).end()


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


def edits_for(text: str, key: str, changes: list[Change]) -> list[tuple[int, int, str]]:
    """(start, end, replacement) for every change of one entry."""
    fields, _ = entry_fields(text, key)
    by_name = {f.name: f for f in fields}
    edits, new_lines = [], []
    for change in changes:
        existing = by_name.get(change.field)
        if existing is not None:
            edits.append((existing.value_start, existing.value_end, "{" + change.value + "}"))
        else:
            new_lines.append(change)
    if new_lines:
        edits.append(insertion(text, fields, new_lines))
    return edits


def insertion(text: str, fields: list[Field], changes: list[Change]) -> tuple[int, int, str]:
    """New field lines after the last field, indented and aligned like it."""
    last = fields[-1]
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
        return last.end, last.end, "".join(f"\n{line}," for line in lines)
    return last.value_end, last.value_end, "," + ",".join(f"\n{line}" for line in lines)


def apply_changes(text: str, changes: list[Change]) -> str:
    """*text* with every change made, from the end so offsets stay right."""
    keys = list(dict.fromkeys(c.key for c in changes))
    edits = [e for key in keys for e in edits_for(text, key, [c for c in changes if c.key == key])]
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


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
