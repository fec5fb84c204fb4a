"""The reading view: one paper full screen, scrolled from the keyboard.

At any terminal size this is where a whole abstract can be read: the detail pane is
narrow beside the list, and hidden on a narrow terminal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Footer

from ..widgets.paper_detail import PaperDetail

if TYPE_CHECKING:
    from ...core.models import PaperRecord


class ReaderScreen(ModalScreen[None]):
    """Title, metadata, links, note and abstract, full screen."""

    CSS_PATH = "dialogs.tcss"
    AUTO_FOCUS = "#reader"
    BINDINGS = [
        Binding("escape,q,v", "dismiss", "Close", tooltip="Back to the list", id="reader.close"),
        Binding("down,j", "scroll_lines(1)", "Down", show=False, id="reader.down"),
        Binding("up,k", "scroll_lines(-1)", "Up", show=False, id="reader.up"),
        Binding("space,pagedown", "page(1)", "Page down", id="reader.page_down"),
        Binding("b,pageup", "page(-1)", "Page up", id="reader.page_up"),
        Binding("g,home", "top", "Top", show=False, id="reader.top"),
        Binding("G,end", "bottom", "Bottom", show=False, id="reader.bottom"),
    ]

    def __init__(self, record: PaperRecord) -> None:
        super().__init__()
        self.record = record

    def compose(self) -> ComposeResult:
        detail = PaperDetail(id="reader")
        detail.can_focus = True
        yield detail
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(PaperDetail).show(self.record)

    @property
    def _detail(self) -> PaperDetail:
        return self.query_one(PaperDetail)

    def action_scroll_lines(self, lines: int) -> None:
        self._detail.scroll_relative(y=lines, animate=False)

    def action_page(self, pages: int) -> None:
        detail = self._detail
        detail.scroll_relative(y=pages * max(1, detail.size.height - 1), animate=False)

    def action_top(self) -> None:
        self._detail.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self._detail.scroll_end(animate=False)
