"""A list line built as segments (``paper_row``) is the line a Rich ``Text`` makes.

The oracle below is how the list drew a line before: a ``Text`` styled span by span,
truncated and rendered by Rich. Both must give the same segments, text and styles,
for any title (wide characters, emoji, controls), tags, marks, width and query.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from rich.console import Console
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.strip import Strip

from readinglist.core.models import PaperSummary
from readinglist.core.query import match_spans, parse_query
from readinglist.core.textclean import for_display
from readinglist.ui.widgets.paper_list import shown_columns
from readinglist.ui.widgets.paper_row import (
    MARKED,
    STATUS_MARKS,
    TAGS_MIN_WIDTH,
    TAGS_SHARE,
    RowStyles,
    row_strip,
)

CONSOLE = Console()
COLOURED = RowStyles(
    base=Style(bgcolor="grey11"),
    cursor=Style(bgcolor="blue", color="white"),
    star=Style(color="yellow"),
    match=Style(color="magenta", bold=True, underline=True),
    marked=Style(color="magenta", bold=True),
    tags=Style(dim=True, italic=True),
    meta=Style(color="grey50"),
)
MONOCHROME = RowStyles(  # NO_COLOR: some styles are empty, and add no span
    base=Style(),
    cursor=Style(reverse=True),
    star=Style(),
    match=Style(bold=True, underline=True),
    marked=Style(bold=True),
    tags=Style(),
    meta=Style(),
)


def oracle(row, width, styles, *, columns, query, marked, cursor) -> Strip:
    """The line as ``PaperList`` built it with Rich ``Text`` (before ``paper_row``)."""
    star = ("★ ", styles.star) if row.starred else ("  ", Style())
    marks = ("✎" if row.has_note else " ") + ("⌘" if row.link_count else " ")
    right = f" {marks} {STATUS_MARKS.get(row.status, ' ')}"
    if "date" in columns:
        right += f" {for_display(row.date or '', one_line=True)[:10]:10}"
    if "upvotes" in columns:
        right += f" {('▲' + str(row.upvotes)) if row.upvotes else '':>5}"
    if "org" in columns:
        org = for_display(row.org or "", one_line=True)
        right += f" {org[:16] + ('…' if len(org) > 16 else ''):17}"
    title_width = max(8, width - 2 - cell_len(right))
    title = Text(for_display(row.title, one_line=True), no_wrap=True, end="")
    if query is not None:
        for start, end in match_spans(query, title.plain):
            title.stylize(styles.match, start, end)
    if marked:
        title = Text.assemble((MARKED, styles.marked), title, no_wrap=True, end="")
    shown = [name for tag in row.tags if (name := for_display(tag, one_line=True))]
    room = title_width // TAGS_SHARE
    tags = Text("", end="")
    if shown and room >= TAGS_MIN_WIDTH:
        tags = Text(" " + " ".join(f"#{name}" for name in shown), styles.tags, end="")
        if tags.cell_len > room:
            tags.truncate(room, overflow="ellipsis")
    if tags.plain:
        title.truncate(title_width - tags.cell_len, overflow="ellipsis")
        title.append_text(tags)
    title.truncate(title_width, overflow="ellipsis", pad=True)
    line = Text(no_wrap=True, end="")
    line.append(*star)
    line.append_text(title)
    line.append(right, styles.meta)
    if cursor:
        line.pad_right(width - line.cell_len)
        line.stylize(styles.cursor)
    base = styles.base
    segments = [
        Segment(segment.text, base + segment.style if segment.style else base)
        for segment in line.render(CONSOLE)
    ]
    return Strip(segments).adjust_cell_length(width, base)


texts = st.lists(
    st.characters(codec="utf-8", exclude_categories=("Cs",))
    | st.sampled_from(["中", "文", "😀", "é", "\u0301", "\t", "\x1b[31m", " ", "a", "tr", "Trans"]),
    max_size=60,
).map("".join)
words = st.sampled_from(
    ["Transformer", "attention", "Attn", "中文", "is", "All", "trans", "x" * 30]
)
titles = texts | st.lists(words | texts, max_size=12).map(" ".join)  # matches, cut mid-word
rows = st.builds(
    PaperSummary,
    id=st.integers(1, 10),
    title=titles,
    org=st.none() | texts,
    date=st.none() | st.sampled_from(["2026-03-06", "2025-12-31", "x" * 12]),
    upvotes=st.none() | st.integers(0, 99999),
    link_count=st.integers(0, 3),
    starred=st.booleans(),
    has_note=st.booleans(),
    status=st.sampled_from(["unread", "reading", "read", "other"]),
    added_at=st.just("2026-03-06T00:00:00"),
    tags=st.lists(texts, max_size=4).map(tuple),
)


@settings(max_examples=500, deadline=None)
@given(
    row=rows,
    width=st.integers(10, 200),
    order=st.sampled_from(["", "date", "upvotes", "title"]),
    query=st.none() | st.sampled_from(["t", "tr", "transformer att", "中", "attention is", "xq"]),
    marked=st.booleans(),
    cursor=st.booleans(),
    styles=st.sampled_from([COLOURED, MONOCHROME]),
)
def test_a_line_is_the_one_rich_text_makes(row, width, order, query, marked, cursor, styles):
    columns = shown_columns(width, order)
    parsed = parse_query(query) if query is not None else None
    shown = for_display(row.title, one_line=True)
    matches = [] if parsed is None else match_spans(parsed, shown)
    built = row_strip(
        row, width, styles, columns=columns, matches=matches, marked=marked, cursor=cursor
    )
    expected = oracle(
        row, width, styles, columns=columns, query=parsed, marked=marked, cursor=cursor
    )
    assert list(built) == list(expected)
    assert built.cell_length == width


def test_a_search_highlights_its_words_and_the_cursor_row_is_styled_whole():
    row = PaperSummary(
        id=1,
        title="Attention Is All You Need",
        org="Google",
        date="2017-06-12",
        upvotes=99,
        link_count=1,
        starred=True,
        has_note=True,
        status="read",
        added_at="2026-03-06T00:00:00",
        tags=("nlp",),
    )
    matches = match_spans(parse_query("attention"), row.title)
    strip = row_strip(
        row,
        100,
        COLOURED,
        columns=shown_columns(100, ""),
        matches=matches,
        marked=True,
        cursor=True,
    )
    assert strip.text.startswith("★ ● Attention Is All You Need #nlp")
    assert "✎⌘ ✓ 2017-06-12" in strip.text
    highlighted = [seg.text for seg in strip if seg.style and seg.style.underline]
    assert highlighted == ["Attention"]
    assert all(seg.style.bgcolor == COLOURED.cursor.bgcolor for seg in strip)
