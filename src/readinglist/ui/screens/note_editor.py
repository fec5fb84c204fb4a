"""The note editor: a text area in a dialog. Ctrl+S saves; Escape leaves without saving,
and asks first when the note was changed, as every dialog's Escape cancels. Empty text
never erases a note unasked: saving it over a note asks first (the CLI refuses it)."""

from __future__ import annotations

from collections.abc import Callable

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static, TextArea

from ...core.textclean import for_display
from .confirm import ConfirmDialog

HINT = "Ctrl+S saves and closes · Escape closes without saving (asks first if you changed it)"


class NoteEditor(ModalScreen[str | None]):
    """Edit one paper's note. Dismisses with the text (saved) or ``None`` (discarded)."""

    CSS_PATH = "dialogs.tcss"
    AUTO_FOCUS = "#note-text"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", tooltip="Save the note and close", id="note.save"),
        Binding(
            "escape",
            "discard",
            "Discard",
            tooltip="Close without saving (asks first if the note changed)",
            id="note.discard",
        ),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.paper_title = for_display(title, one_line=True)
        self.original = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-editor", classes="dialog"):
            yield Static(
                Content.assemble(("Note · ", "bold"), self.paper_title), classes="dialog-title"
            )
            yield TextArea(
                for_display(self.original), id="note-text", soft_wrap=True, show_line_numbers=False
            )
            yield Static(Content(HINT), classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.move_cursor(area.document.end)

    @property
    def changed(self) -> bool:
        """The text differs from the note the editor opened with."""
        return self.query_one(TextArea).text != for_display(self.original)

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        if text.strip() or not self.original.strip():
            self.dismiss(text)
            return
        self._ask_then(
            "The note is empty: erase this paper's note? (u undoes it)",
            "Erase",
            lambda: self.dismiss(text),
        )

    def action_discard(self) -> None:
        if not self.changed:
            self.dismiss(None)
            return
        self._ask_then("Discard your changes to this note?", "Discard", lambda: self.dismiss(None))

    def confirm_quit(self) -> None:
        """Ctrl+Q (quit the app) while editing: ask first if the note changed."""
        if not self.changed:
            self.app.exit()
            return
        self._ask_then(
            "Quit without saving your changes to this note?", "Quit", lambda: self.app.exit()
        )

    def _ask_then(self, question: str, yes: str, then: Callable[[], object]) -> None:
        """Ask ``question`` (``yes``, or Keep editing); ``then`` when the answer is yes."""

        def answered(agreed: bool | None) -> None:
            if agreed:
                then()

        self.app.push_screen(ConfirmDialog(question, yes, no="Keep editing"), answered)
