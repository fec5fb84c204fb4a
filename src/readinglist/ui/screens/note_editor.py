"""The note editor: a text area in a dialog; closing it with Escape or Ctrl+S saves."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea


class NoteEditor(ModalScreen[str | None]):
    """Edit one paper's note. Dismisses with the text (saved) or ``None`` (discarded)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [
        Binding("escape", "save", "Save and close", priority=True),
        Binding("ctrl+s", "save", "Save and close", priority=True),
        Binding("ctrl+q", "discard", "Discard changes"),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.paper_title = title
        self.original = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-editor", classes="dialog"):
            yield Static(
                Content.assemble(("Note · ", "bold"), self.paper_title), classes="dialog-title"
            )
            yield TextArea(self.original, id="note-text", soft_wrap=True, show_line_numbers=False)
            yield Static(
                Content("Escape or Ctrl+S saves and closes · Ctrl+Q discards"), classes="hint"
            )

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.focus()
        area.move_cursor(area.document.end)

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text)

    def action_discard(self) -> None:
        self.dismiss(None)
