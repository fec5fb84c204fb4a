"""The export dialog: asks where to write the starred list.

The export itself runs in the library screen (``import_export.ImportExport``)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Input, Static

from ...core.wording import plural
from .path_dialog import PathDialog

DEFAULT_EXPORT_PATH = "~/reading-list.md"


class ExportDialog(PathDialog):
    """Asks where to write the starred list; dismisses with the expanded path."""

    BINDINGS = [
        Binding(
            "enter",
            "submit",
            "Export",
            tooltip="Write the starred papers to this file",
            priority=True,
            id="export.submit",
        ),
    ]

    def __init__(self, default: str, count: int) -> None:
        super().__init__()
        self.default = default
        self.count = count

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            papers = plural(self.count, "starred paper")
            yield Static(Content(f"Export {papers} to Markdown"), classes="dialog-title")
            yield Input(self.default, id="export-path")
            yield Static(
                Content("Enter writes (.json and .csv paths change the format) · Escape cancels"),
                classes="hint",
            )
        yield Footer()
