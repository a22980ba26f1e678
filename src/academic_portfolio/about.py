"""The engine's name and where its documentation is: every notice points there.

The documentation is the engine's README. A notice names the copy the owner
has on disk, wherever the engine came from: the wheel carries it in the
package (``academic_portfolio/README.md``), a clone or a fork has it beside
the package (``src/README.md``). A web address would have to exist first.
"""

from __future__ import annotations

from pathlib import Path

DISTRIBUTION = "sphinx-academic-portfolio"
PACKAGE = Path(__file__).resolve().parent


def documentation() -> Path:
    """The engine's README as installed, or as the clone holds it."""
    shipped = PACKAGE / "README.md"
    return shipped if shipped.is_file() else PACKAGE.parent / "README.md"


def see(section: str) -> str:
    """Where a notice sends the reader: a section of the engine's README, on this disk."""
    return f'see "{section}" in the {DISTRIBUTION} README, {documentation()}'
