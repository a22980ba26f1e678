"""The data layer: refs.bib, cv.yaml and front matter read once, checked, and recorded per page."""
