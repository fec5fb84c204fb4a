"""StatusLine: one line that describes the present.

It is built from parts that each say one thing, and a message never outlives what it
describes: the count and order follow the list, ``activity`` holds while something
runs (an import), and ``message`` is news about the last action, cleared by the next
one (``clear_message``).
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Static

from ...core.query import filter_problem
from ...core.textclean import for_display
from ...core.wording import plural
from ..messages import BEST_MATCH


def papers(count: int) -> str:
    """ "1 paper", "3,960 papers"."""
    return plural(count, "paper", grouped=True)


class StatusLine(Static):
    """Count · order · filter · marked · problems · activity · message."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.count: int | None = None
        self.complete = True
        self.order = "date"
        self.starred_only = False
        self.problems: list[str] = []
        self.marked = 0
        self.activity = ""
        self.message = ""

    def show_view(
        self,
        count: int | None,
        *,
        complete: bool,
        order: str,
        starred_only: bool,
        problems: list[str],
    ) -> None:
        """The list now shows ``count`` papers (at least, if not ``complete``)."""
        self.count = count
        self.complete = complete
        self.order = order
        self.starred_only = starred_only
        self.problems = problems
        self._draw()

    def set_marked(self, count: int) -> None:
        """``count`` papers are marked (star and status act on them)."""
        self.marked = count
        self._draw()

    def set_activity(self, text: str) -> None:
        """Something that goes on until it is replaced or cleared ("" ends it)."""
        self.activity = text
        self._draw()

    def set_message(self, text: str) -> None:
        """News about the last action; the next action clears it."""
        self.message = text
        self._draw()

    def clear_message(self) -> None:
        if self.message:
            self.message = ""
            self._draw()

    def _draw(self) -> None:
        parts = []
        if self.count is None:
            parts.append("Loading…")
        else:
            parts.append(papers(self.count) if self.complete else f"{self.count:,}+ papers…")
        parts.append("best match first" if self.order == BEST_MATCH else f"by {self.order}")
        if self.starred_only:
            parts.append("starred only")
        if self.marked:
            parts.append(f"{self.marked:,} marked")
        if self.problems:
            named = ", ".join(map(filter_problem, self.problems))
            parts.append(f"{named} ignored (? for help)")
        parts.extend(text for text in (self.activity, self.message) if text)
        # One line, the screen's width, whatever it says (library.tcss): no layout, which
        # would repaint the whole screen on every keystroke's count.
        self.update(Content(for_display(" · ".join(parts), one_line=True)), layout=False)
