"""The export formats, and the one a file's name asks for: no imports, so the CLI can
offer the choices as it starts without loading the writers (core/export.py)."""

from __future__ import annotations

from pathlib import PurePath

__all__ = ["FORMATS", "FORMAT_BY_NAME", "FORMAT_BY_SUFFIX", "format_for"]

FORMATS = ("md", "json", "csv", "bibtex", "ris")
# The format a file's name asks for; any other name gets Markdown.
FORMAT_BY_SUFFIX = {
    ".md": "md",
    ".markdown": "md",
    ".json": "json",
    ".csv": "csv",
    ".bib": "bibtex",
    ".bibtex": "bibtex",
    ".ris": "ris",
}
FORMAT_BY_NAME = {suffix[1:]: name for suffix, name in FORMAT_BY_SUFFIX.items()}
"""``--format``'s values: a format is named as its files end (``markdown``, ``bib`` too)."""


def format_for(path: PurePath) -> str:
    """The export format a file name asks for by its extension (``FORMAT_BY_SUFFIX``);
    Markdown for any other."""
    return FORMAT_BY_SUFFIX.get(path.suffix.lower(), "md")
