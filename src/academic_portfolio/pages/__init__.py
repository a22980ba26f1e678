"""Site-wide page features: front-matter titles, print styles, "Last updated"."""
