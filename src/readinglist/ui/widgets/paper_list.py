"""PaperList: a virtual list of papers on Textual's line API.

Only the rows on screen are rendered, so 100,000 papers cost no more to draw than
100. Rows are plain ``PaperSummary`` values; titles are rendered as plain text, with
the current query's matches highlighted.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.models import PaperSummary
from ...core.search import match_spans

STATUS_MARKS = {"unread": " ", "reading": "◐", "read": "✓"}


class PaperList(ScrollView, can_focus=True):
    """The scrollable list of papers with a cursor."""

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--match",
        "paper-list--star",
        "paper-list--meta",
        "paper-list--empty",
    }
    DEFAULT_CSS = """
    PaperList { background: $surface; overflow-x: hidden; }
    PaperList > .paper-list--cursor { background: $block-cursor-blurred-background; }
    PaperList:focus > .paper-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    PaperList > .paper-list--match { color: $accent; text-style: bold underline; }
    PaperList > .paper-list--star { color: $warning; }
    PaperList > .paper-list--meta { color: $text-muted; }
    PaperList > .paper-list--empty { color: $text-muted; text-style: italic; }
    """
    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False),
        Binding("up,k", "cursor_up", "Up", show=False),
        Binding("pagedown", "page_down", "Page down", show=False),
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("g,home", "first", "First", show=False),
        Binding("G,end", "last", "Last", show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False)
    """Index of the highlighted row."""

    @dataclass
    class Highlighted(Message):
        """The highlighted paper changed (``None`` when the list is empty)."""

        paper_list: PaperList
        paper_id: int | None

        @property
        def control(self) -> PaperList:
            return self.paper_list

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[PaperSummary] = []
        self.match_query = ""
        self.empty_message = "Loading…"
        self._spans: dict[int, list[tuple[int, int]]] = {}
        self._last_posted: int | None = -1

    # -- data ---------------------------------------------------------------------------------

    def set_rows(
        self, rows: list[PaperSummary], *, query: str = "", keep_id: int | None = None
    ) -> None:
        """Show ``rows``, keeping the cursor on ``keep_id`` if it is still listed."""
        self.rows = rows
        self.match_query = query
        self._spans.clear()
        self.virtual_size = Size(self.size.width, len(rows))
        index = next((i for i, row in enumerate(rows) if row.id == keep_id), 0) if keep_id else 0
        self.scroll_to(y=max(0, index - self.scrollable_content_region.height // 2), animate=False)
        self.cursor = index
        self.refresh()

    def update_row(self, summary: PaperSummary) -> None:
        for index, row in enumerate(self.rows):
            if row.id == summary.id:
                self.rows[index] = summary
                self.refresh_line(index)
                return

    @property
    def highlighted(self) -> PaperSummary | None:
        return self.rows[self.cursor] if 0 <= self.cursor < len(self.rows) else None

    # -- cursor ---------------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self._scroll_cursor_into_view()
        current = self.highlighted.id if self.highlighted else None
        if current != self._last_posted:
            self._last_posted = current
            self.post_message(self.Highlighted(self, current))

    def refresh_line(self, index: int) -> None:
        self.refresh_lines(index - int(self.scroll_offset.y), 1)

    def _scroll_cursor_into_view(self) -> None:
        height = self.scrollable_content_region.height
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif height and self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False)

    def action_cursor_down(self) -> None:
        self.cursor += 1

    def action_cursor_up(self) -> None:
        self.cursor -= 1

    def action_page_down(self) -> None:
        self.cursor += max(1, self.scrollable_content_region.height - 1)

    def action_page_up(self) -> None:
        self.cursor -= max(1, self.scrollable_content_region.height - 1)

    def action_first(self) -> None:
        self.cursor = 0

    def action_last(self) -> None:
        self.cursor = len(self.rows) - 1

    def on_click(self, event: Click) -> None:
        row = event.y + int(self.scroll_offset.y)
        if 0 <= row < len(self.rows):
            self.cursor = row

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.rows))

    # -- rendering ---------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + int(self.scroll_offset.y)
        if not self.rows:
            if y == 0:
                style = self.get_component_rich_style("paper-list--empty")
                return self._strip(Text(f" {self.empty_message}", style=style, end=""), width)
            return Strip.blank(width, self.rich_style)
        if index >= len(self.rows):
            return Strip.blank(width, self.rich_style)
        text = self._row_text(self.rows[index], width)
        if index == self.cursor:
            text.stylize(self.get_component_rich_style("paper-list--cursor"))
        return self._strip(text, width)

    def _strip(self, text: Text, width: int) -> Strip:
        """One line of ``text`` on the widget's background, ``width`` cells wide.

        Every segment carries a style (the widget's, under the text's own): Textual's
        line filters, such as the monochrome one ``NO_COLOR`` turns on, expect one.
        """
        base = self.rich_style
        segments = [
            Segment(segment.text, base + segment.style if segment.style else base)
            for segment in text.render(self.app.console)
        ]
        return Strip(segments).adjust_cell_length(width, base)

    def _row_text(self, row: PaperSummary, width: int) -> Text:
        meta_style = self.get_component_rich_style("paper-list--meta")
        star = (
            ("★ ", self.get_component_rich_style("paper-list--star"))
            if row.starred
            else ("  ", Style())
        )
        marks = ("✎" if row.has_note else " ") + ("⌘" if row.link_count else " ")
        right = f" {marks} {STATUS_MARKS.get(row.status, ' ')}"
        if width >= 60:
            right += f" {(row.date or ''):10}"
        if width >= 72:
            right += f" {('▲' + str(row.upvotes)) if row.upvotes else '':>5}"
        if width >= 96:
            org = row.org or ""
            right += f" {org[:16] + ('…' if len(org) > 16 else ''):17}"
        title_width = max(8, width - 2 - cell_len(right))
        title = Text(row.title, no_wrap=True, end="")
        if self.match_query:
            match_style = self.get_component_rich_style("paper-list--match")
            for start, end in self._match_spans(row):
                title.stylize(match_style, start, end)
        title.truncate(title_width, overflow="ellipsis", pad=True)
        line = Text(no_wrap=True, end="")
        line.append(*star)
        line.append_text(title)
        line.append(right, meta_style)
        return line

    def _match_spans(self, row: PaperSummary) -> list[tuple[int, int]]:
        spans = self._spans.get(row.id)
        if spans is None:
            spans = self._spans[row.id] = match_spans(self.match_query, row.title)
        return spans
