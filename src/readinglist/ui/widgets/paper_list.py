"""PaperList: a virtual list of papers on Textual's line API, loaded lazily.

The list holds the ordered ids of every paper in the view (a search's every match,
or the whole library) in an array: cheap, even at 100,000. Rows (``PaperSummary``) are kept only
for the part on screen and a screenful either side; the rest are asked for with
``RowsWanted`` as the reader scrolls, and arrive with ``add_rows``. A row not loaded
yet is drawn as a dim placeholder. Titles are plain text, cleaned for display, with
the current query's matches highlighted, and the paper's tags after them, dim. Marked
papers (``marks``, ids the screen holds) are drawn with a mark before the title.
After the title come the date, upvotes and organisation, as many as the width allows;
the one the list is sorted by stays longest (``shown_columns``). Each line is built
by ``paper_row``.
"""

from __future__ import annotations

from array import array
from collections.abc import Container, Iterable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.events import Click
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from ...core.search import match_spans
from ...core.textclean import for_display
from .paper_row import RowStyles, row_strip

if TYPE_CHECKING:
    from ...core.models import PaperSummary
    from ...core.query import ParsedQuery

COLUMNS_FROM: tuple[tuple[str, int], ...] = (("date", 60), ("upvotes", 72), ("org", 96))
"""The columns after the title, in their order, and the list width each needs to show:
narrower, the title keeps the room. The column the list is sorted by (``SORTED_COLUMN``)
shows first, at any width that leaves the title ``TITLE_MIN_WIDTH``: the others go
before it, so the reader sees what the list is ordered by."""
SORTED_COLUMN = {"date": "date", "upvotes": "upvotes"}
"""The column that shows each sort key (title is the title; added, stars and a search's
best match have none)."""
TITLE_MIN_WIDTH = 20
KEPT_ROWS = 3000
"""Rows kept in memory; beyond this, rows far from the screen are dropped (refetched
if the reader scrolls back)."""


class PaperList(ScrollView, can_focus=True):
    """The scrollable list of papers with a cursor."""

    COMPONENT_CLASSES = {
        "paper-list--cursor",
        "paper-list--match",
        "paper-list--star",
        "paper-list--meta",
        "paper-list--empty",
        "paper-list--loading",
        "paper-list--marked",
        "paper-list--tags",
    }
    DEFAULT_CSS = """
    PaperList { background: $surface; overflow-x: hidden; }
    PaperList > .paper-list--cursor { background: $block-cursor-blurred-background; }
    PaperList:focus > .paper-list--cursor {
        background: $block-cursor-background; color: $block-cursor-foreground;
    }
    /* NO_COLOR: shades alone do not tell the cursor row, nor whether the list has the focus */
    PaperList:nocolor > .paper-list--cursor { text-style: underline; }
    PaperList:nocolor:focus > .paper-list--cursor { text-style: reverse; }
    PaperList > .paper-list--match { color: $accent; text-style: bold underline; }
    PaperList > .paper-list--star { color: $warning; }
    PaperList > .paper-list--meta { color: $text-muted; }
    PaperList > .paper-list--empty { color: $text-muted; text-style: italic; }
    PaperList > .paper-list--loading { color: $text-disabled; }
    PaperList > .paper-list--marked { color: $accent; text-style: bold; }
    PaperList > .paper-list--tags { color: $text-muted; text-style: italic; }
    """
    BINDINGS = [
        Binding("down,j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page_down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page_up"),
        Binding("g,home", "first", "First", show=False, id="list.first"),
        Binding("G,end", "last", "Last", show=False, id="list.last"),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, init=False, repaint=False)
    """Index of the highlighted row (a move redraws the two rows it touches, not the list)."""

    class Highlighted(Message):
        """The highlighted paper changed (``None`` when the list is empty)."""

        def __init__(self, paper_list: PaperList, paper_id: int | None) -> None:
            super().__init__()  # not a dataclass: see ``ui.messages``
            self.paper_list = paper_list
            self.paper_id = paper_id

        @property
        def control(self) -> PaperList:
            return self.paper_list

    class RowsWanted(Message):
        """Rows about to be shown are not loaded: fetch them and call ``add_rows``."""

        def __init__(self, paper_list: PaperList, ids: list[int], generation: int) -> None:
            super().__init__()
            self.paper_list = paper_list
            self.ids = ids
            self.generation = generation
            """Which ``show`` asked; rows fetched for an older one may be out of date."""

        @property
        def control(self) -> PaperList:
            return self.paper_list

    def __init__(self, *, id: str | None = None, marks: Container[int] = ()) -> None:
        super().__init__(id=id)
        self.marks = marks
        """The marked papers' ids (the screen's: it refreshes the rows it marks)."""
        self.ids: Sequence[int] = ()
        self.match_query: ParsedQuery | None = None
        """The search whose words are highlighted, parsed once (not once a row)."""
        self.empty_message = "Loading…"
        self.generation = 0
        self._rows: dict[int, PaperSummary] = {}
        self._wanted: set[int] = set()
        self._spans: dict[int, list[tuple[int, int]]] = {}
        self._last_posted: int | None = -1
        self.order = ""
        """The sort key the list is in (``core.sorting``): its column stays when narrow."""
        self._painting_styles: RowStyles | None = None
        """The list's styles while ``render_lines`` paints (see there)."""

    # -- data ---------------------------------------------------------------------------------

    def show(
        self,
        ids: Sequence[int],
        rows: Iterable[PaperSummary] = (),
        *,
        query: ParsedQuery | None = None,
        keep_id: int | None = None,
        order: str = "",
    ) -> None:
        """Show the papers ``ids`` (in that order, sorted by ``order``), with the ``rows``
        already loaded, keeping the cursor on ``keep_id`` if it is still listed."""
        self.generation += 1
        self.order = order
        self.ids = array("q", ids)  # 8 bytes an id, not 36 (100,000 ids: 0.8 MB, not 3.6)
        self._rows = {row.id: row for row in rows}
        self._wanted.clear()
        self.match_query = query if query is not None and query.text else None
        self._spans.clear()
        self.virtual_size = Size(self.size.width, len(ids))
        index = 0
        if keep_id is not None:
            try:
                index = ids.index(keep_id)
            except ValueError:
                index = 0
        # force: coming from a short view, the scrollbar (and with it scrolling) is only
        # allowed after layout, and the scroll would be dropped (the palette's jump from
        # the starred view left the row off-screen)
        self.scroll_to(
            y=max(0, index - self.scrollable_content_region.height // 2),
            animate=False,
            immediate=True,
            force=True,
        )
        self.cursor = index
        self.refresh()
        # The scroll above is clamped to the old size until layout; settle it after.
        self.call_after_refresh(self.scroll_cursor_into_view, centre=True)
        self._want_rows()

    def add_rows(self, rows: Iterable[PaperSummary], generation: int) -> None:
        """Rows asked for with ``RowsWanted`` have arrived."""
        if generation != self.generation:
            return
        for row in rows:
            self._wanted.discard(row.id)
            self._rows[row.id] = row
        if len(self._rows) > KEPT_ROWS:
            self._forget_far_rows()
        self.refresh()
        if self.highlighted is not None and self._last_posted != self.highlighted.id:
            self._post_highlighted()

    def update_row(self, summary: PaperSummary) -> None:
        """A paper changed: redraw its row if it is listed."""
        if summary.id in self._rows or summary.id in self._wanted:
            self._rows[summary.id] = summary
            self._wanted.discard(summary.id)
            self.refresh()

    @property
    def total(self) -> int:
        return len(self.ids)

    @property
    def highlighted_id(self) -> int | None:
        return self.ids[self.cursor] if 0 <= self.cursor < len(self.ids) else None

    @property
    def highlighted(self) -> PaperSummary | None:
        """The highlighted row, once loaded."""
        paper_id = self.highlighted_id
        return None if paper_id is None else self._rows.get(paper_id)

    @property
    def fetching_highlighted(self) -> bool:
        """The highlighted row has been asked for and has not arrived yet."""
        return self.highlighted_id in self._wanted

    def _window(self) -> tuple[int, int]:
        """The rows on screen and a screenful either side."""
        height = max(1, self.scrollable_content_region.height)
        top = int(self.scroll_offset.y)
        return max(0, top - height), min(len(self.ids), top + 2 * height)

    def _want_rows(self) -> None:
        start, end = self._window()
        wanted = [
            pid for pid in self.ids[start:end] if pid not in self._rows and pid not in self._wanted
        ]
        if wanted:
            self._wanted.update(wanted)
            self.post_message(self.RowsWanted(self, wanted, self.generation))

    def _forget_far_rows(self) -> None:
        start, end = self._window()
        near = set(self.ids[max(0, start - KEPT_ROWS // 4) : end + KEPT_ROWS // 4])
        self._rows = {pid: row for pid, row in self._rows.items() if pid in near}

    # -- cursor ---------------------------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.ids) - 1))

    def watch_cursor(self, old: int, new: int) -> None:
        self.refresh_line(old)
        self.refresh_line(new)
        self.scroll_cursor_into_view()
        if self.highlighted_id != self._last_posted:
            self._post_highlighted()

    def _post_highlighted(self) -> None:
        self._last_posted = self.highlighted_id
        self.post_message(self.Highlighted(self, self.highlighted_id))

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self._want_rows()

    def scroll_cursor_into_view(self, *, centre: bool = False) -> None:
        """Scroll so the cursor row is on screen (in the middle, with ``centre``)."""
        height = self.scrollable_content_region.height
        top = int(self.scroll_offset.y)
        if centre and height and not top <= self.cursor < top + height:
            self.scroll_to(
                y=max(0, self.cursor - height // 2), animate=False, immediate=True, force=True
            )
        elif self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True, force=True)
        elif height and self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True, force=True)

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
        self.cursor = len(self.ids) - 1

    def on_click(self, event: Click) -> None:
        row = event.y + int(self.scroll_offset.y)
        if 0 <= row < len(self.ids):
            self.cursor = row

    def on_mount(self) -> None:
        # Textual styles a scrollbar when its widget's styles are next updated, and that
        # lays the screen out again: the first focus change ("/") did, and a search typed
        # as the app appeared waited for it. Styled now, it is laid out with the first frame.
        self.app.stylesheet.apply(self.vertical_scrollbar)

    def on_resize(self) -> None:
        self.virtual_size = Size(self.size.width, len(self.ids))
        # A smaller terminal must not leave the highlighted paper off screen.
        self.call_after_refresh(self.scroll_cursor_into_view, centre=True)
        self.call_after_refresh(self._want_rows)

    # -- rendering ---------------------------------------------------------------------------

    def render_lines(self, crop: Region) -> list[Strip]:
        """The lines in ``crop``, the styles worked out once for all of them: each is a
        walk up the styles of every ancestor (the widget's own was a fifth of the list's
        painting when it was worked out for each line)."""
        self._painting_styles = self._row_styles()
        try:
            return super().render_lines(crop)
        finally:
            self._painting_styles = None

    def _row_styles(self) -> RowStyles:
        component = self.get_component_rich_style
        return RowStyles(
            base=self.rich_style,
            cursor=component("paper-list--cursor"),
            star=component("paper-list--star"),
            match=component("paper-list--match"),
            marked=component("paper-list--marked"),
            tags=component("paper-list--tags"),
            meta=component("paper-list--meta"),
        )

    @property
    def _styles(self) -> RowStyles:
        """The list's styles (``RowStyles``), once a paint."""
        return self._row_styles() if self._painting_styles is None else self._painting_styles

    @property
    def _line_style(self) -> Style:
        """The widget's own style, under every line's text."""
        return self._styles.base

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        index = y + int(self.scroll_offset.y)
        if not self.ids:
            lines = self._empty_lines(width)
            if y < len(lines):
                return self._strip(lines[y], width)
            return Strip.blank(width, self._line_style)
        if index >= len(self.ids):
            return Strip.blank(width, self._line_style)
        row = self._rows.get(self.ids[index])
        if row is not None:
            return row_strip(
                row,
                width,
                self._styles,
                columns=shown_columns(width, self.order),
                matches=self._match_spans(row.id, row.title),
                marked=row.id in self.marks,
                cursor=index == self.cursor,
            )
        text = Text("  …", self.get_component_rich_style("paper-list--loading"), end="")
        if index == self.cursor:
            text.pad_right(width - text.cell_len)
            text.stylize(self._styles.cursor)
        return self._strip(text, width)

    def _empty_lines(self, width: int) -> list[Text]:
        """Why the list is empty, and what to do, wrapped to ``width`` (a narrow list
        must not cut off the key to press), each line after a space."""
        style = self.get_component_rich_style("paper-list--empty")
        text = Text(self.empty_message, style=style, end="")
        return [Text(" ", end="") + line for line in text.wrap(self.app.console, max(1, width - 1))]

    def _strip(self, text: Text, width: int) -> Strip:
        """One line of ``text`` on the widget's background, ``width`` cells wide.

        Every segment carries a style (the widget's, under the text's own): Textual's
        line filters, such as the monochrome one ``NO_COLOR`` turns on, expect one.
        """
        base = self._line_style
        segments = [
            Segment(segment.text, base + segment.style if segment.style else base)
            for segment in text.render(self.app.console)
        ]
        return Strip(segments).adjust_cell_length(width, base)

    def _match_spans(self, paper_id: int, title: str) -> list[tuple[int, int]]:
        """The query's matches in the title as shown (``for_display``)."""
        spans = self._spans.get(paper_id)
        if spans is None:
            query = self.match_query
            shown = for_display(title, one_line=True)
            spans = self._spans[paper_id] = [] if query is None else match_spans(query, shown)
        return spans


COLUMN_WIDTHS = {"date": 11, "upvotes": 6, "org": 18}
"""Cells each column takes, its leading space included."""
FIXED_WIDTH = 7
"""Cells every row spends besides the title and the columns: star, note, link, status."""


@lru_cache(maxsize=64)
def shown_columns(width: int, order: str) -> frozenset[str]:
    """The columns a list ``width`` cells wide, sorted by ``order``, shows: as many as
    ``COLUMNS_FROM`` allows, the sorted one first (kept even where none would show, if
    the title keeps ``TITLE_MIN_WIDTH``)."""
    names = [name for name, _ in COLUMNS_FROM]
    count = sum(width >= needs for _, needs in COLUMNS_FROM)
    if (sorted_by := SORTED_COLUMN.get(order)) is not None:
        names.remove(sorted_by)
        names.insert(0, sorted_by)
        if width - FIXED_WIDTH - COLUMN_WIDTHS[sorted_by] >= TITLE_MIN_WIDTH:
            count = max(count, 1)
    return frozenset(names[:count])
