"""The engine's version: one place, read by the package build (src/pyproject.toml)."""

__version__ = "1.2.0"
