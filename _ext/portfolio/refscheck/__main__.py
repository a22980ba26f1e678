"""``python -m portfolio.refscheck``: what ``nox -s refs`` runs."""

import sys

from .cli import main

sys.exit(main())
