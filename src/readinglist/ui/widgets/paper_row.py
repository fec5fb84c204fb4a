"""One paper's line in the list, built straight as segments.

A line is the star, the title (its matches highlighted, ``MARKED`` before it when
marked, its tags after it), then the note, link and status marks and the columns the
width allows. Building each line as a Rich ``Text`` and rendering it cost most of a
list's repaint, and a search repaints the whole list on every keystroke; the same
line is cut into segments here directly, with the same cells and styles (a test
compares the two ways).
"""

from __future__ import annotations

from itertools import pairwise
from typing import TYPE_CHECKING, NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from ...core.textclean import for_display

if TYPE_CHECKING:
    from ...core.models import PaperSummary

__all__ = ["MARKED", "STATUS_MARKS", "RowStyles", "row_strip"]

STATUS_MARKS = {"unread": " ", "reading": "◐", "read": "✓"}
MARKED = "● "
"""Drawn before a marked paper's title (a glyph, so it shows without colour too)."""
TAGS_SHARE = 3
"""A row's tags take at most this share (1/3) of the title's room."""
TAGS_MIN_WIDTH = 6
"""Narrower than this, a row's tags are left out (the detail pane shows them)."""
ELLIPSIS = "…"

Span = tuple[int, int, Style]


class RowStyles(NamedTuple):
    """The list's styles, worked out once a paint (each is a walk up the styles)."""

    base: Style
    """The widget's own, under every cell."""
    cursor: Style
    star: Style
    match: Style
    marked: Style
    tags: Style
    meta: Style


def row_strip(
    row: PaperSummary,
    width: int,
    styles: RowStyles,
    *,
    columns: frozenset[str],
    matches: list[tuple[int, int]],
    marked: bool,
    cursor: bool,
) -> Strip:
    """``row``'s line, ``width`` cells wide; ``matches`` are the query's in its title as
    ``for_display`` shows it, ``columns`` those the width shows (``shown_columns``)."""
    right = _right(row, columns)
    title_width = max(8, width - 2 - cell_len(right))
    title = for_display(row.title, one_line=True)
    title_spans: list[Span] = [(start, end, styles.match) for start, end in matches]
    if marked:
        title_spans = [(0, len(MARKED), styles.marked)] + [
            (start + len(MARKED), end + len(MARKED), style) for start, end, style in title_spans
        ]
        title = MARKED + title
    tags = _tags(row, title_width)
    if tags:
        title, title_spans = _cut(title, title_spans, title_width - cell_len(tags))
        title_spans.append((len(title), len(title) + len(tags), styles.tags))
        title += tags
    title, title_spans = _cut(title, title_spans, title_width)
    title += " " * (title_width - cell_len(title))
    star = "★ " if row.starred else "  "
    line = star + title + right
    spans: list[Span] = [(0, len(star), styles.star)] if row.starred else []
    spans += [(start + len(star), end + len(star), style) for start, end, style in title_spans]
    spans.append((len(line) - len(right), len(line), styles.meta))
    if cursor:
        line += " " * (width - cell_len(line))
        spans.append((0, len(line), styles.cursor))
    base = styles.base
    segments = [
        Segment(text, base + style if style else base) for text, style in _pieces(line, spans)
    ]
    return Strip(segments).adjust_cell_length(width, base)


def _right(row: PaperSummary, columns: frozenset[str]) -> str:
    """The marks and columns after the title."""
    marks = ("✎" if row.has_note else " ") + ("⌘" if row.link_count else " ")
    right = f" {marks} {STATUS_MARKS.get(row.status, ' ')}"
    if "date" in columns:
        right += f" {for_display(row.date or '', one_line=True)[:10]:10}"
    if "upvotes" in columns:
        right += f" {('▲' + str(row.upvotes)) if row.upvotes else '':>5}"
    if "org" in columns:
        org = for_display(row.org or "", one_line=True)
        right += f" {org[:16] + ('…' if len(org) > 16 else ''):17}"
    return right


def _tags(row: PaperSummary, title_width: int) -> str:
    """`` #tag #other`` after the title; it takes at most a third of the title's room,
    so a long title still shows."""
    shown = [name for tag in row.tags if (name := for_display(tag, one_line=True))]
    room = title_width // TAGS_SHARE
    if not shown or room < TAGS_MIN_WIDTH:
        return ""
    text, _spans = _cut(" " + " ".join(f"#{name}" for name in shown), [], room)
    return text


def _cut(text: str, spans: list[Span], width: int) -> tuple[str, list[Span]]:
    """``text`` cut to ``width`` cells with an ellipsis when longer, its spans cut with
    it (as Rich's ``Text.truncate`` does: the ellipsis takes the style of the span it
    ends)."""
    if cell_len(text) <= width:
        return text, spans
    text = set_cell_size(text, width - 1) + ELLIPSIS
    end = len(text)
    return text, [(start, min(stop, end), style) for start, stop, style in spans if start < end]


def _pieces(text: str, spans: list[Span]) -> list[tuple[str, Style | None]]:
    """``text`` cut wherever a span starts or ends, each piece with the styles of the
    spans over it combined in their order (None: none), as Rich renders a ``Text``:
    a style that is empty adds no span there, nor does an empty range."""
    spans = [span for span in spans if span[2] and span[0] < span[1]]
    if not spans:
        return [(text, None)] if text else []
    cuts = sorted({0, len(text), *(min(at, len(text)) for span in spans for at in span[:2])})
    pieces: list[tuple[str, Style | None]] = []
    for start, end in pairwise(cuts):
        over = [style for first, last, style in spans if first <= start and end <= last]
        pieces.append((text[start:end], Style.combine(over) if over else None))
    return pieces
