"""Project pages: the facts header, cards, charts, figures and videos."""
