"""Page weight: first paint, trimmed style sheets, inline icons, only the scripts a page uses."""
