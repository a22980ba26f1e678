"""Text: LaTeX to plain and rich text, the pybtex style, venue labels, CSS text, Typst."""
