"""Typst, once per distinct input: the CV PDF, the social cards, the favicons.

The ``typst`` wheel carries the compiler and its fonts. A result is stored
under a hash of the template, its inputs, the output settings and the Typst
version, so an unchanged input is never typeset twice.
"""

from __future__ import annotations

import hashlib
import json
from importlib.metadata import version
from pathlib import Path
from typing import Literal

import typst

TEMPLATES = Path(__file__).parent.parent / "templates"

Format = Literal["pdf", "png", "svg"]  # what the engine asks Typst for


def typeset(
    template: Path,
    inputs: dict[str, str],
    cache: Path,
    fmt: Format = "pdf",
    ppi: float | None = None,
) -> Path:
    """The file Typst makes of *template* with *inputs*; raises typst.TypstError."""
    settings = [template.read_text("utf-8"), inputs, fmt, ppi, version("typst")]
    key = hashlib.sha256(json.dumps(settings).encode()).hexdigest()[:20]
    target = cache / f"{key}.{fmt}"
    if not target.exists():
        cache.mkdir(parents=True, exist_ok=True)
        # One file; a PNG of several pages is a list of them (Typst's stubs say bytes).
        result: bytes | list[bytes] = typst.compile(
            template, format=fmt, ppi=ppi, sys_inputs=inputs
        )
        target.write_bytes(result if isinstance(result, bytes) else result[0])
    return target
