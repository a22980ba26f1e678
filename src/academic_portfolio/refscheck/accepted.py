"""The owner's decisions, ``_data/refs-accepted.yaml``: what the check leaves alone.

::

    skip:                 # entries not checked at all
      - key1
    ignore:               # fields never reported nor changed, per entry
      key2: [venue, pages]
    accept:               # differences read and accepted: the record's value
      key3:               #   as the report printed it; reported again when
        title: "..."      #   the record comes to say something else

A retraction or correction notice is always reported. Field names are those the report prints (title, authors, year, venue, pages,
doi, published, url ...); ``author``, ``booktitle`` and ``journal`` are read
as ``authors`` and ``venue``. A missing file is an empty one; a malformed one
is an error naming the file and line (exit status 2).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..data.datafiles import DataFileError, DataProblem, load_yaml, read_text
from .compare import Finding

PATH = Path("_data") / "refs-accepted.yaml"
SECTIONS = ("skip", "ignore", "accept")
FIELD_NAMES = {"author": "authors", "booktitle": "venue", "journal": "venue"}


@dataclass
class Accepted:
    skip: set[str] = field(default_factory=set)
    ignore: dict[str, set[str]] = field(default_factory=dict)
    accept: dict[str, dict[str, str]] = field(default_factory=dict)

    def covers(self, key: str, finding: Finding) -> bool:
        """Whether the owner has decided this finding: an ignored field, or
        an accepted difference whose record value is still the same."""
        if finding.kind == "notice":
            return False  # a retraction or correction is always reported
        what = FIELD_NAMES.get(finding.what, finding.what)
        if what in self.ignore.get(key, set()):
            return True
        accepted = self.accept.get(key, {}).get(what)
        return accepted is not None and " ".join(accepted.split()) == " ".join(
            finding.theirs.split()
        )

    def unknown_keys(self, keys: set[str]) -> list[str]:
        named = self.skip | set(self.ignore) | set(self.accept)
        return sorted(named - keys)


def load_accepted(root: Path) -> Accepted:
    """The owner's file, or an empty one when there is none; DataFileError when malformed."""
    path = root / PATH
    if not path.is_file():
        return Accepted()
    data, node = load_yaml(read_text(path), path)
    data = data or {}

    def problem(message: str, line_of: Any = None) -> DataFileError:
        line = line_of.start_mark.line + 1 if line_of is not None else None
        return DataFileError([DataProblem(path, line, message)])

    if not isinstance(data, dict):
        raise problem(f"write a mapping with the sections {', '.join(SECTIONS)}.", node)
    for name, _ in getattr(node, "value", []):
        if name.value not in SECTIONS:
            raise problem(f"'{name.value}' is not a section: write {', '.join(SECTIONS)}.", name)
    skip = data.get("skip") or []
    if not isinstance(skip, list) or not all(isinstance(k, str) for k in skip):
        raise problem("skip: write a list of refs.bib keys.", section(node, "skip"))
    ignore = data.get("ignore") or {}
    if not isinstance(ignore, dict) or not all(
        isinstance(v, list) and all(isinstance(f, str) for f in v) for v in ignore.values()
    ):
        raise problem("ignore: write each key with a list of fields, such as "
                      "key: [venue, pages].", section(node, "ignore"))  # fmt: skip
    accept = data.get("accept") or {}
    if not isinstance(accept, dict) or not all(
        isinstance(v, dict) and all(isinstance(x, str) for x in v.values()) for v in accept.values()
    ):
        raise problem("accept: write each key with its fields and the record's values as "
                      'text, such as key: {title: "..."}.', section(node, "accept"))  # fmt: skip
    return Accepted(
        set(skip),
        {str(k): {FIELD_NAMES.get(f, f) for f in v} for k, v in ignore.items()},
        {str(k): {FIELD_NAMES.get(f, f): x for f, x in v.items()} for k, v in accept.items()},
    )


def section(node: Any, name: str) -> Any:
    return next((k for k, _ in getattr(node, "value", []) if k.value == name), None)
