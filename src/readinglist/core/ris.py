"""Citations as RIS, the tagged format Zotero, EndNote and Mendeley import.

One record per paper: ``TY`` (``UNPB``, an unpublished work, for an arXiv preprint;
``GEN`` otherwise), ``ID`` (the citation key BibTeX uses), ``TI``, an ``AU`` per author,
``PY``, ``DB`` (``arXiv``), ``UR``, then ``ER``. RIS is read line by line and a tag
counts only at the start of a line, so every value is cleaned by ``for_display`` and
folded to one line: no title can end its record or start another. Lines end in CR LF,
as the format's specification asks.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .citations import Citation, citation_keys
from .textclean import for_display_all

__all__ = ["render_ris"]

_NEWLINE = "\r\n"


def render_ris(citations: Sequence[Citation]) -> str:
    """A ``.ris`` file with a record per citation."""
    citations = for_display_all(list(citations))  # every field, whoever made the values
    lines: list[str] = []
    for citation, key in zip(citations, citation_keys(citations), strict=True):
        lines += _record(citation, key)
    return "".join(line + _NEWLINE for line in lines)


def _record(citation: Citation, key: str) -> Iterator[str]:
    fields = [
        ("TY", "UNPB" if citation.arxiv_id else "GEN"),
        ("ID", key),
        ("TI", citation.title),
        *(("AU", name) for name in citation.author_names),
        ("PY", citation.year),
        ("DB", "arXiv" if citation.arxiv_id else None),
        ("UR", citation.url),
    ]
    for tag, value in fields:
        line = " ".join(value.split()) if value else ""
        if line:
            yield f"{tag}  - {line}"
    yield "ER  - "
