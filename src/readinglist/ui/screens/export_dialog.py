"""The export dialog: asks where to write the starred list, and says in which format
(the path's extension chooses it: ``core.formats``).

The export itself runs in the library screen (``import_export.ImportExport``)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Input, Static

from ...core.formats import format_for
from ...core.wording import plural
from .path_dialog import PathDialog

DEFAULT_EXPORT_PATH = "~/reading-list.md"
FORMAT_NAMES = {"md": "Markdown", "json": "JSON", "csv": "CSV", "bibtex": "BibTeX", "ris": "RIS"}
HINT = (
    "The extension picks the format: .bib BibTeX, .ris RIS (Zotero, EndNote), .json, .csv,"
    " else Markdown · Enter writes · Escape cancels"
)


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
            yield Static(self._title(self.default), id="export-title", classes="dialog-title")
            yield Input(self.default, id="export-path")
            yield Static(Content(HINT), classes="hint")
        yield Footer()

    def _title(self, path: str) -> Content:
        papers = plural(self.count, "starred paper")
        return Content(f"Export {papers} to {FORMAT_NAMES[format_for(Path(path.strip()))]}")

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        self.query_one("#export-title", Static).update(self._title(event.value))
