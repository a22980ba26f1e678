"""How refs.bib's text is read into entries: what a researcher meant, or a problem.

pybtex parses BibTeX; this is the one place where its reading of an entry is
made to keep what was meant, so that every page feature (lists, paper pages,
tags, JSON-LD, cards, CV PDF, the shown BibTeX) gets the same values:

- text is Unicode NFC: a name typed in decomposed form (NFD, as some macOS
  tools write it) is the same name as in conf.py;
- a blank line in an abstract starts a paragraph (pybtex makes every run of
  whitespace one space);
- a field written twice is named (pybtex stops with a message that speaks of
  a duplicate *key*);
- names are checked one by one (:func:`name_problems`): commas or ``;``
  between authors, a trailing ``and``, LaTeX a name cannot hold, marks such
  as ``\\textsuperscript{*}``;
- a line inside a value that starts with ``%`` (:func:`percent_lines`):
  BibTeX keeps it as text and LaTeX would read it as a comment; the site
  cannot know which was meant, so it asks.

A ``%`` anywhere else in a value is a percent sign (BibTeX has no comments
inside an entry): :mod:`academic_portfolio.text.latex` reads it so.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from pybtex.database import Entry, Person
from pybtex.database.input.bibtex import Parser, split_name_list
from pybtex.exceptions import PybtexError
from pybtex.textutils import normalize_whitespace

from ..text.latex import UnknownCommand, to_rich

# Fields whose blank lines part paragraphs (the engine's documentation, "Abstracts").
PARAGRAPH_FIELDS = {"abstract"}
PARAGRAPH_BREAK = re.compile(r"\n[ \t\r]*\n\s*")  # CRLF files too (JabRef on Windows)
# Marks researchers add to a name for a note (equal contribution, the
# corresponding author): the site has its own field for the first.
# (A backslash before "^" is the circumflex accent, as in {\\^o}: not a mark.)
NAME_MARKS = re.compile(
    r"\\text(super|sub)script|(?<!\\)\^|\*|\\dag|\\ddag|\\textdagger|\\ast|[†‡]"
)
# DBLP tells apart people of one name by a four-digit number after it
# ("Wei Li 0002"): its API and the bibliographies built from it carry it.
HOMONYM_NUMBER = re.compile(r"(?<![^\s,])[0-9]{4}(?=\s*(?:,|$))")
MARKED_PARTS = re.compile(r"\\text(super|sub)script\s*\{[^{}]*\}|\$[^$]*\$")
PERCENT_LINE = re.compile(r"^[ \t]*%", re.MULTILINE)
# What changes the reading of an entry, walking it: braces, quotes, "=", its
# closing ")", and a new line that starts with "%".
VALUE_TOKEN = re.compile(r'\n[ \t]*%|[{}"=)]')
ENTRY_HEAD = re.compile(r"^[ \t]*@\s*(\w+)\s*([{(])\s*([^\s,]*)", re.MULTILINE)


@dataclass(frozen=True)
class ReadProblem:
    """A problem of one entry (its key), found while reading it."""

    key: str
    field: str
    message: str


class SiteParser(Parser):
    """pybtex's BibTeX parser, reading each entry as described above and
    collecting each entry's problems in :attr:`problems` instead of stopping
    at the first one."""

    def __init__(self) -> None:
        super().__init__(encoding="utf-8")
        self.problems: list[ReadProblem] = []

    def process_entry(self, entry_type: str, key: str, fields) -> None:
        entry, seen = Entry(entry_type), set()
        for name, parts in fields:
            if name.lower() in seen:
                self.problems.append(ReadProblem(key, name.lower(), (
                    f"it has the field '{name.lower()}' twice: keep one "
                    "(BibTeX would silently use the first)."
                )))  # fmt: skip
                continue
            seen.add(name.lower())
            value = field_value(name, self.flatten_value_list(parts))
            if name in self.person_fields:
                self.add_people(entry, key, name.lower(), value)
            else:
                entry.fields[name] = value
        self.data.add_entry(key, entry)

    def add_people(self, entry: Entry, key: str, role: str, value: str) -> None:
        problems = list_problems(role, value)
        names = split_name_list(value) if not problems else []
        # One field names every author of equal contribution: "A and B".
        marked = " and ".join(unmarked(n) for n in names if NAME_MARKS.search(n))
        for name in names:
            try:
                person = Person(name)
            except PybtexError:
                problems.append(too_many_commas(role, name))
                continue
            problems += name_problems(role, name, marked)
            entry.add_person(person, role)
        self.problems += [ReadProblem(key, role, message) for message in problems]


def field_value(name: str, raw: str) -> str:
    """The value as pybtex gives it (whitespace made single spaces), in NFC;
    an abstract keeps its paragraphs."""
    raw = unicodedata.normalize("NFC", raw)
    if name.lower() not in PARAGRAPH_FIELDS:
        return normalize_whitespace(raw)
    paragraphs = (normalize_whitespace(part) for part in PARAGRAPH_BREAK.split(raw))
    return "\n\n".join(part for part in paragraphs if part)


def top_level(value: str) -> str:
    """*value* with the text inside braces masked ("_"), same length: what
    BibTeX reads as separators is only ever outside braces."""
    out, depth = [], 0
    for char in value:
        if char == "{":
            depth += 1
        out.append(char if depth == 0 or char == "{" else "_")
        if char == "}" and depth:
            depth -= 1
    return "".join(out)


def list_problems(role: str, value: str) -> list[str]:
    """Separators that would mangle the list: ';' or a dangling 'and'."""
    masked = top_level(value)
    if ";" in masked:
        fixed = " and ".join(part.strip() for part in _split_at(value, masked, ";"))
        return [f"the {role} list '{value}' separates names with ';': BibTeX separates them "
                f"with 'and': write {role} = {{{fixed}}}."]  # fmt: skip
    if re.search(r"(^|\s)and\s*$|^\s*and(\s|$)|\sand\s+and\s", masked, re.IGNORECASE):
        return [f"the {role} list '{value}' has an 'and' with no name on one side: "
                "remove it, or write the missing name."]  # fmt: skip
    return []


def _split_at(value: str, masked: str, separator: str) -> list[str]:
    cuts = [i for i, char in enumerate(masked) if char == separator]
    bounds = zip([-1, *cuts], [*cuts, len(value)], strict=True)
    return [value[a + 1 : b] for a, b in bounds if value[a + 1 : b].strip()]


def too_many_commas(role: str, name: str) -> str:
    """A name with more than two commas: most often names separated by commas."""
    parts = [part.strip() for part in _split_at(name, top_level(name), ",")]
    hint = ""
    if all(len(part.split()) > 1 for part in parts):  # "Wei Li, San Zhang": whole names
        hint = f": write {role} = {{{' and '.join(parts)}}}"
    elif len(parts) % 2 == 0:  # "Li, Wei, Zhang, San": last and first names
        pairs = [f"{parts[i]}, {parts[i + 1]}" for i in range(0, len(parts), 2)]
        hint = f": write {role} = {{{' and '.join(pairs)}}}"
    return (f"the {role} '{name}' has {name.count(',')} commas, and a name has at most two "
            f"(Last, Jr, First): BibTeX separates names with 'and'{hint}.")  # fmt: skip


def unmarked(name: str) -> str:
    """The name without the marks beside it: "Yuan*, Zhihang" -> "Yuan, Zhihang"."""
    return " ".join(NAME_MARKS.sub("", MARKED_PARTS.sub("", name)).replace("{}", "").split())


def name_problems(role: str, name: str, marked: str = "") -> list[str]:
    """LaTeX a name cannot show, a mark on it, or DBLP's homonym number.

    *marked*: every marked name of the list, unmarked and joined by "and", for
    the one equal_contribution field a list of several marks needs."""
    if not name.lstrip().startswith("{") and (number := HOMONYM_NUMBER.search(name)):
        bare = re.sub(r" ,", ",", " ".join(HOMONYM_NUMBER.sub(" ", name).split())).strip(" ,")
        return [f"the {role} '{name}' has '{number.group().strip(' ,')}', DBLP's number that "
                f"tells apart people of one name; the site would show it as part of the name "
                f"(and not know the person): write the name alone ({bare})."]  # fmt: skip
    if NAME_MARKS.search(name):
        bare = unmarked(name)
        return [f"the {role} '{name}' has a mark beside the name, which the site would show as "
                f"part of the name (and not know the person): write the name alone ({bare}); for "
                f"equal contribution add equal_contribution = {{{marked or bare}}}, and the site "
                f"marks the {'names' if ' and ' in marked else 'name'}."]  # fmt: skip
    try:
        to_rich(name)
    except UnknownCommand as error:
        return [f"the {role} '{name}' uses the LaTeX command \\{error}, which the site cannot "
                "show: write the name without it."]  # fmt: skip
    except ValueError as error:
        return [f"the {role} '{name}': {error}."]
    return []


def percent_lines(text: str) -> list[tuple[int, str, str]]:
    """(line, key, field) of each line inside a field's value that starts with
    '%': LaTeX would read that line as a comment, BibTeX keeps it as text.
    Only the entries around such lines are walked (most files have none)."""
    lines = [m.start() for m in PERCENT_LINE.finditer(text)]
    heads = [h for h in ENTRY_HEAD.finditer(text) if h.group(1).lower() != "comment"]
    found = []
    followers = [*heads[1:], None] if heads else []  # a file of comments has no entry
    for head, following in zip(heads, followers, strict=True):
        end = following.start() if following else len(text)
        first = bisect.bisect_left(lines, head.end())
        if first < len(lines) and lines[first] < end:
            found += _percent_lines_of(text, head, head.group(3))
    return found


def _percent_lines_of(text: str, head: re.Match[str], key: str) -> list[tuple[int, str, str]]:
    """Walk one entry, from its opening delimiter until it closes."""
    found, depth, quoted, field = [], 1, False, ""
    closing = ")" if head.group(2) == "(" else "}"
    for token in VALUE_TOKEN.finditer(text, head.end(2)):
        char = token.group()
        if char.startswith("\n"):  # a line that starts with "%"
            if depth > 1 or quoted:
                found.append((text.count("\n", 0, token.start()) + 2, key, field))
        elif char == "{":
            depth += 1
        elif char == closing and depth == 1 and not quoted:
            break
        elif char == "}":
            depth -= 1
        elif char == '"' and depth == 1:
            quoted = not quoted
        elif char == "=" and depth == 1 and not quoted:
            field = re.split(r"[\s,]+", text[head.end(2) : token.start()].strip())[-1].lower()
    return found
