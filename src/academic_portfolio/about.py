"""The engine's name and where its documentation is: every notice points there.

One constant for the documentation's address, so that moving the documentation
(to a site of its own, say) changes one line.
"""

from __future__ import annotations

DISTRIBUTION = "sphinx-academic-portfolio"
# The engine's README, as its page on the package index shows it.
DOCUMENTATION = f"https://pypi.org/project/{DISTRIBUTION}/"


def see(section: str) -> str:
    """Where a notice sends the reader: a section of the engine's documentation."""
    return f'see "{section}" in the {DISTRIBUTION} documentation, {DOCUMENTATION}'
