"""``nox -s refs``: refs.bib checked against the public records it cites.

For every entry of refs.bib (read by the site's strict reader,
:func:`academic_portfolio.data.refsbib.load_bib`) the check asks the records that identify
the paper: its DOI's Crossref record, its arXiv id's arXiv record and DBLP's
search by title; and it asks each link (url, pdf, code, openreview) whether
it has moved for good. It prints, per entry with its refs.bib line and key,
only what really differs: title, authors (order and spelling), year, venue,
pages, DOI; a preprint that has been published; a DOI the records know and
the entry lacks; a link that redirects permanently (301/308).

Before any field is compared, a record must be shown to be the entry's work
(title and authors agree well enough, or an arXiv relation says so); each
entry gets a verdict: agrees; differs (fields); points to another work;
published version exists; retracted / corrected; duplicate of KEY; could
not check (why). ``_data/refs-accepted.yaml`` holds the owner's decisions
(entries skipped, fields ignored, differences accepted).

It never edits refs.bib by itself: ``--write`` writes the proposed changes as
a patch (``_build/refs.patch``) for the owner to read and apply, ``--apply``
applies them, keeping a copy in ``refs.bib.bak``. The owner's private fields
(``pdf``, ``code``, ``openreview`` ...) are reported, never changed.

Exit status:

- 0: no difference (every entry agrees, or could not be checked: its verdict says why);
- 1: differences were found (and printed), retractions and corrections among them;
- 2: refs.bib or _data/cv.yaml cannot be read, or the arguments are wrong;
- 3: two or more services could not be asked (the network is down, typically);
- 4: Crossref could not be asked (unreachable, refusing with 429/5xx, or a
  malformed answer);
- 5: arXiv could not be asked (same reasons);
- 6: DBLP could not be asked (same reasons);
- 7: with ``--offline``, some answers were not in the cache: those entries
  were not checked against that service.

A service's failure wins over differences, and a cache miss too: the check
is incomplete, the differences found are printed all the same. A DOI of
another registration agency (DataCite) and a published preprint that already
has its DOI are notes, not differences. Answers are cached under
``_build/refs-cache/`` for a week (``--max-age``), so a rerun asks nothing;
``--offline`` answers from the cache only.
"""

from .cli import EXIT_CODES, main
from .http import Cache, Client, ServiceError
from .records import Name

__all__ = ["EXIT_CODES", "Cache", "Client", "Name", "ServiceError", "main"]
