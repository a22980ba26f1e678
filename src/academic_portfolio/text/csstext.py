"""Style sheets as text: what the trimming and the first-paint split both read of a rule."""

from __future__ import annotations

from typing import Any

import tinycss2


def split_selectors(prelude: list[Any]) -> list[str]:
    """Top-level comma-separated selectors of a rule's prelude."""
    parts: list[list[Any]] = []
    current: list[Any] = []
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append(current)
            current = []
        else:
            current.append(token)
    parts.append(current)
    return [tinycss2.serialize(p).strip() for p in parts]
