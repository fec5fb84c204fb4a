"""Exporting the starred list from the TUI: ask for the path, confirm overwrites, write."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Input, Static

from ...core.export import format_for
from .confirm import ConfirmDialog
from .path_dialog import PathDialog

if TYPE_CHECKING:
    from .library import LibraryScreen

DEFAULT_EXPORT_PATH = "~/reading-list.md"


class ExportDialog(PathDialog):
    """Asks where to write the starred list; dismisses with the expanded path."""

    def __init__(self, default: str, count: int) -> None:
        super().__init__()
        self.default = default
        self.count = count

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            papers = f"{self.count} starred paper{'s' if self.count != 1 else ''}"
            yield Static(Content(f"Export {papers} to Markdown"), classes="dialog-title")
            yield Input(self.default, id="export-path")
            yield Static(
                Content("Enter writes (.json and .csv paths change the format) · Escape cancels"),
                classes="hint",
            )


async def run_export(screen: LibraryScreen) -> None:
    """The whole conversation: nothing starred, path, overwrite, then the write.

    Runs as an async worker; library and file work go to a thread with ``to_thread``.
    """
    app = screen.app
    service = screen.service
    ids = await asyncio.to_thread(service.select, scope="starred")
    if not ids:
        app.notify(
            "Nothing is starred yet: star papers with s, then export.",
            severity="warning",
            markup=False,
        )
        return
    default = app.settings.get("export_path", DEFAULT_EXPORT_PATH)  # type: ignore[attr-defined]
    path = await app.push_screen_wait(ExportDialog(default, len(ids)))
    if path is None:
        return
    if path.is_dir():
        app.notify(f"{path} is a folder; give a file name.", severity="error", markup=False)
        return
    if path.exists() and not await app.push_screen_wait(
        ConfirmDialog(f"{path} exists. Overwrite it?", "Overwrite")
    ):
        return
    fmt = format_for(path)
    try:
        count = await asyncio.to_thread(
            service.export_to_file, ids, path, fmt, title="Starred papers"
        )
    except OSError as error:
        app.notify(
            f"Could not write {path}: {error.strerror or error}", severity="error", markup=False
        )
        return
    app.settings.set("export_path", str(path))  # type: ignore[attr-defined]
    message = f"Exported {count} starred paper{'s' if count != 1 else ''} to {path}"
    screen.set_status(message)
    app.notify(message, markup=False)
