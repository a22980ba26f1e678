"""The CV: its sections on pages, and the PDF."""
