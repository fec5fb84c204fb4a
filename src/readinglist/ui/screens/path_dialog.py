"""A dialog that asks for a file path: Enter gives the expanded path, Escape gives None."""

from __future__ import annotations

from pathlib import Path

from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input


class PathDialog(ModalScreen[Path | None]):
    """Base for the import and export dialogs; subclasses compose an ``Input``."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        text = event.value.strip()
        if text:
            self.dismiss(Path(text).expanduser())

    def action_cancel(self) -> None:
        self.dismiss(None)
