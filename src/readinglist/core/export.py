"""Rendering papers as Markdown, JSON, CSV, BibTeX or RIS for leaving the reading list.

Titles and abstracts come from outside, so in Markdown every ASCII punctuation
character in them is backslash-escaped: CommonMark then shows them exactly as written,
with no emphasis, HTML or tables. Notes are the reader's own Markdown and go in as
written. In CSV, a text cell a spreadsheet would run as a formula starts with a ``'``.
Every format is rendered from records cleaned by ``for_display``: a file opened in a
terminal or an editor carries no terminal controls, whoever wrote the rows. BibTeX and
RIS (core/bibtex.py, core/ris.py) are written from ``Citation`` values made by
``citations.citation_for``, which Markdown also reads for author names and the arXiv link.
The formats and the file suffixes that ask for them are in core/formats.py.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import date

from .citations import Citation, citation_for
from .formats import FORMAT_BY_SUFFIX, FORMATS, format_for
from .links import is_web_link
from .models import JSON_FIELDS, PaperRecord
from .textclean import for_display_all
from .wording import plural

__all__ = [
    "FORMATS",
    "FORMAT_BY_SUFFIX",
    "escape_markdown",
    "format_for",
    "in_list_order",
    "render",
    "spreadsheet_safe",
]

# OWASP's CSV injection guidance: a cell starting with = + - @ (or their full-width
# forms), even after spaces, or with a tab or carriage return, is read as a formula.
_FORMULA_START = re.compile(r"[\t\r]|\s*[=+\-@\uff1d\uff0b\uff0d\uff20]")
# Characters that start inline constructs anywhere (emphasis, code, links, HTML, entities,
# tables, strikethrough, headings), and those that start blocks at the start of a line.
_INLINE_SPECIAL = re.compile(r"([\\`*_\[\]<>&|~#!])")
_BLOCK_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))", re.MULTILINE)
# What ends or escapes a ``<…>`` link destination, and whitespace (a line break ends it).
_NOT_IN_DESTINATION = re.compile(r"[\s<>\\]")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})", re.MULTILINE)


def escape_markdown(text: str) -> str:
    """Backslash-escape what CommonMark (and GFM tables) would read as syntax, nothing else.

    Escaping fewer characters than every punctuation mark keeps the file readable as
    plain text; each remaining character is literal in CommonMark wherever it stands.
    """
    text = _INLINE_SPECIAL.sub(r"\\\1", text)
    return _BLOCK_START.sub(_escape_block_start, text)


def _escape_block_start(match: re.Match[str]) -> str:
    indent, marker = match.group(1), match.group(2)
    if marker.isdigit():
        return f"{indent}{marker}\\"  # "1984." → "1984\." so it is not a list item
    return f"{indent}\\{marker}"


def in_list_order(ids: Sequence[int], listed: Sequence[int]) -> tuple[int, ...]:
    """``ids`` (the papers a reader marked) in the order the list shows them: those in
    ``listed`` as it orders them, then any others as given. An export writes what the
    reader chose in the order they saw it."""
    chosen = dict.fromkeys(ids)
    shown = tuple(paper_id for paper_id in listed if paper_id in chosen)
    seen = set(shown)
    return shown + tuple(paper_id for paper_id in chosen if paper_id not in seen)


def spreadsheet_safe(cell: str) -> str:
    """A CSV cell no spreadsheet runs as a formula: prefixed with ``'`` where it would."""
    return "'" + cell if _FORMULA_START.match(cell) else cell


def render(
    records: Sequence[PaperRecord],
    fmt: str,
    *,
    title: str = "Reading list",
    today: date | None = None,
    include_abstract: bool = True,
) -> str:
    records = for_display_all(list(records))  # the one place every format is cleaned
    title = for_display_all(title)
    if fmt == "md":
        return render_markdown(records, title=title, today=today, include_abstract=include_abstract)
    if fmt == "json":
        return (
            json.dumps([record.to_json() for record in records], ensure_ascii=False, indent=2)
            + "\n"
        )
    if fmt == "csv":
        return render_csv(records)
    if fmt == "bibtex":
        from .bibtex import render_bibtex  # pylatexenc, loaded only for BibTeX

        return render_bibtex([citation_for(record) for record in records])
    if fmt == "ris":
        from .ris import render_ris

        return render_ris([citation_for(record) for record in records])
    raise ValueError(f"unknown format {fmt!r}; choose from {', '.join(FORMATS)}")


def render_markdown(
    records: Sequence[PaperRecord], *, title: str, today: date | None, include_abstract: bool
) -> str:
    day = (today or date.today()).isoformat()
    count = plural(len(records), "paper")
    parts = [f"# {escape_markdown(title)} ({day})", "", f"{count}.", ""]
    for record in records:
        citation = citation_for(record)
        parts += [f"## {escape_markdown(record.title)}", ""]
        if citation.author_names:
            names = ", ".join(" ".join(name.split()) for name in citation.author_names)
            parts += [escape_markdown(names), ""]
        meta = _metadata(record)
        if meta:
            parts += [escape_markdown(meta), ""]
        # One line, whatever a tag another client wrote holds; a blank one is no tag.
        tags = ", ".join(filter(None, (" ".join(tag.split()) for tag in record.tags)))
        if tags:
            parts += [escape_markdown(f"Tags: {tags}"), ""]
        if citation.arxiv_id or record.links:
            parts += [f"- {link}" for link in _paper_links(citation)]
            parts += [f"- {_markdown_link(link)}" for link in record.links]
            parts.append("")
        if record.note.strip():
            parts += [_closed_fences(record.note.strip()), ""]
        if include_abstract and record.abstract:
            quoted = [
                f"> {escape_markdown(line)}" if line else ">"
                for line in record.abstract.splitlines()
            ]
            parts += [*quoted, ""]
    return "\n".join(parts).rstrip() + "\n"


def _paper_links(citation: Citation) -> list[str]:
    """The paper's own arXiv page, as ``arXiv:ID``, before the links its abstract holds."""
    if not citation.arxiv_id:
        return []
    return [f"[{escape_markdown('arXiv:' + citation.arxiv_id)}](<{citation.url}>)"]


def _markdown_link(link: str) -> str:
    """A link as Markdown: an http(s) link that fits in ``<…>`` as a link, anything else
    (another client's ``javascript:``, a newline, ``>``, spaces) as escaped plain text."""
    if is_web_link(link) and not _NOT_IN_DESTINATION.search(link):
        return f"[{escape_markdown(link)}](<{link}>)"
    return escape_markdown(" ".join(link.split()))


def render_csv(records: Sequence[PaperRecord]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(JSON_FIELDS)
    for record in records:
        row = record.to_json()
        row["links"] = " ".join(record.links)
        row["starred"] = "true" if record.starred else "false"
        writer.writerow([_csv_cell(row[name]) for name in JSON_FIELDS])
    return buffer.getvalue()


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, list):  # author names, keywords
        value = "; ".join(value)
    return spreadsheet_safe(value) if isinstance(value, str) else value


def _metadata(record: PaperRecord) -> str:
    items = [
        record.date or "",
        plural(record.authors, "author") if record.authors is not None else "",
        record.org or "",
        plural(record.upvotes, "upvote") if record.upvotes is not None else "",
    ]
    return " · ".join(item for item in items if item)


def _closed_fences(note: str) -> str:
    """A note that opens a code fence and never closes it would swallow the rest of the file."""
    fences = _FENCE.findall(note)
    return note + ("\n" + fences[-1] if len(fences) % 2 else "")
