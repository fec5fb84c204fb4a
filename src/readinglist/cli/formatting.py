"""Plain-text rendering of papers for the command line: aligned columns for a terminal,
tab-separated whole fields for a pipe, and detail views.

Every string from the library goes through ``for_display`` here (one line for a cell
or a title), because rows another client wrote never passed through our import.
"""

from __future__ import annotations

import json
import shutil
import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from ..core.dates import shown_date
from ..core.models import PaperRecord, PaperSummary
from ..core.textclean import for_display, for_display_all
from ..core.wording import plural

__all__ = [
    "format_record",
    "format_tab_separated",
    "format_table",
    "format_trash",
    "format_trash_table",
    "to_json",
]


def to_json(value: Any) -> str:
    """``--json`` output: every string in ``value``, list items included, cleaned."""
    return json.dumps(for_display_all(value), ensure_ascii=False, indent=2)


def _line(text: str | None) -> str:
    return for_display(text or "", one_line=True)


def terminal_width() -> int:
    return max(40, shutil.get_terminal_size((100, 24)).columns)


def format_table(
    rows: Sequence[PaperSummary],
    width: int | None = None,
    tags: Mapping[int, Sequence[str]] | None = None,
) -> str:
    """Aligned columns that fit ``width``: the title, then its ``#tags``, take what the
    others leave."""
    width = width or terminal_width()
    tags = tags or {}
    if not rows:
        return ""
    id_width = max(len(str(row.id)) for row in rows)
    org_width = min(18, max((len(_line(row.org)) for row in rows), default=0))
    up_width = max(2, max(len(str(row.upvotes or "")) for row in rows))
    status_width = max(len(_line(row.status)) for row in rows)
    lines = []
    for row in rows:
        marks = ("★" if row.starred else " ") + ("✎" if row.has_note else " ")
        marks += "⌘" if row.link_count else " "
        fixed = [
            str(row.id).rjust(id_width),
            marks,
            _line(row.status).ljust(status_width),
            _line(row.date).ljust(10),
            str(row.upvotes if row.upvotes is not None else "").rjust(up_width),
        ]
        if org_width:
            fixed.append(_fit(_line(row.org), org_width).ljust(org_width))
        prefix = "  ".join(fixed) + "  "
        room = max(10, width - len(prefix))
        labels = " ".join(f"#{_line(tag)}" for tag in tags.get(row.id, ()))
        if labels:
            title = _fit(_line(row.title), max(10, room - len(labels) - 2))
            lines.append(prefix + _fit(f"{title}  {labels}", room))
        else:
            lines.append(prefix + _fit(_line(row.title), room))
    return "\n".join(lines)


def format_tab_separated(
    rows: Sequence[PaperSummary], tags: Mapping[int, Sequence[str]] | None = None
) -> str:
    """One paper a line, for ``grep`` and ``cut``: id, marks, date, upvotes, org, title,
    status, tags (separated by commas).

    Fields are whole and unpadded, separated by tabs; the text ones are cleaned to one
    line, so they hold no tab or newline. A field a paper lacks is empty.
    """
    tags = tags or {}
    lines = []
    for row in rows:
        marks = ("★" if row.starred else "") + ("✎" if row.has_note else "")
        marks += "⌘" if row.link_count else ""
        fields = [
            str(row.id),
            marks,
            _line(row.date),
            "" if row.upvotes is None else str(row.upvotes),
            _line(row.org),
            _line(row.title),
            _line(row.status),
            _line(",".join(tags.get(row.id, ()))),
        ]
        lines.append("\t".join(fields))
    return "\n".join(lines)


def format_trash_table(papers: Sequence[PaperRecord], width: int | None = None) -> str:
    """The trash on a terminal: ids aligned, the day each paper was deleted, and its
    title fitted to ``width``."""
    width = width or terminal_width()
    id_width = max((len(str(paper.id)) for paper in papers), default=0)
    lines = []
    for paper in papers:
        prefix = f"{str(paper.id).rjust(id_width)}  {_line(paper.deleted_at)[:10]:10}  "
        lines.append(prefix + _fit(_line(paper.title), max(10, width - len(prefix))))
    return "\n".join(lines)


def format_trash(papers: Sequence[PaperRecord]) -> str:
    """The trash for a pipe: id, day deleted, title, tab-separated; one line a paper,
    whatever a title another client wrote holds (a newline, a tab)."""
    return "\n".join(
        f"{paper.id}\t{_line(paper.deleted_at)[:10]}\t{_line(paper.title)}" for paper in papers
    )


def format_record(
    record: PaperRecord, sources: Sequence[tuple[str, str]] = (), width: int | None = None
) -> str:
    width = min(100, width or terminal_width())
    meta = [
        f"id {record.id}",
        _line(shown_date(record.date, record.date_text)),
        plural(record.authors, "author") if record.authors is not None else "",
        _line(record.org),
        plural(record.upvotes, "upvote") if record.upvotes is not None else "",
        _line(record.status),
        "★ starred" if record.starred else "",
        " ".join(f"#{_line(tag)}" for tag in record.tags),
    ]
    parts = [_line(record.title), " · ".join(item for item in meta if item)]
    identity = [
        f"arXiv {_line(record.arxiv_id)}" if record.arxiv_id else "",
        plural(record.github_stars, "GitHub star") if record.github_stars is not None else "",
    ]
    if any(identity):
        parts.append(" · ".join(item for item in identity if item))
    if record.author_names:
        names = ", ".join(_line(name) for name in record.author_names)
        parts.append(
            textwrap.fill(
                f"Authors: {names}", width, subsequent_indent="  ", break_on_hyphens=False
            )
        )
    if record.keywords:
        keywords = ", ".join(_line(keyword) for keyword in record.keywords)
        parts.append(
            textwrap.fill(
                f"Keywords: {keywords}", width, subsequent_indent="  ", break_on_hyphens=False
            )
        )
    parts.append("")
    for number, link in enumerate(record.links, start=1):
        parts.append(f"[{number}] {_line(link)}")
    if record.links:
        parts.append("")
    for paragraph in for_display(record.abstract).split("\n\n"):
        parts.append(textwrap.fill(paragraph, width) if paragraph else "")
        parts.append("")
    if record.ai_summary:
        parts.append("AI summary:")
        parts.append(
            textwrap.fill(
                for_display(record.ai_summary),
                width,
                initial_indent="  ",
                subsequent_indent="  ",
                break_on_hyphens=False,
            )
        )
        parts.append("")
    if record.note:
        parts.append("Note:")
        parts.extend("  " + line for line in for_display(record.note).splitlines())
        parts.append("")
    for path, seen in sources:
        parts.append(f"Seen in {_line(path)} ({_line(seen)})")
    return "\n".join(parts).rstrip() + "\n"


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: max(0, width - 1)] + "…"
