"""``python -m academic_portfolio.refscheck``: what ``nox -s refs`` runs."""

import sys

from .cli import main

sys.exit(main())
