# /// script
# dependencies = ["nox>=2025.5", "sphinx-academic-portfolio ~= 1.2"]
# ///
"""This site's sessions, from its engine, sphinx-academic-portfolio:
`nox -s docs` builds it strictly into _build/html; `serve` shows it at its own
address with its 404 page; `live` rebuilds it on every save; `linkcheck` checks
every external link; `refs` checks refs.bib against Crossref, arXiv and DBLP;
`lock` writes constraints.txt anew; `clean` removes _build.

The lines above tell nox to install the engine before it reads this file (the
sessions are the engine's code); each session then installs the pinned
versions of constraints.txt.
"""

from academic_portfolio import sessions

sessions.define(__file__)
