"""Exporting the starred list from the TUI: ask for the path, confirm overwrites, write."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Input, Static

from ...core.export import format_for
from ...core.textclean import for_display
from ...core.wording import plural
from .confirm import ConfirmDialog
from .path_dialog import PathDialog

if TYPE_CHECKING:
    from .library import LibraryScreen

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


async def run_export(screen: LibraryScreen) -> None:
    """The whole conversation: nothing starred, path, overwrite, then the write.

    Runs as an async worker; library and file work go to a thread with ``to_thread``.
    """
    app = screen.app
    service = screen.service
    ids = await asyncio.to_thread(service.select, scope="starred")
    if not ids:
        screen.export_started()
        app.notify(
            "Nothing is starred yet: star papers with s, then export.",
            severity="warning",
            markup=False,
        )
        return
    default = app.settings.get("export_path", DEFAULT_EXPORT_PATH)  # type: ignore[attr-defined]
    answer = app.push_screen(ExportDialog(default, len(ids)), wait_for_dismiss=True)
    screen.export_started()  # the dialog is up: keys typed meanwhile go to it
    path = await answer
    if path is None:
        return
    shown = for_display(str(path), one_line=True)
    if path.is_dir():
        app.notify(f"{shown} is a folder; give a file name.", severity="error", markup=False)
        return
    if path.exists() and not await app.push_screen_wait(
        ConfirmDialog(f"{shown} exists. Overwrite it?", "Overwrite")
    ):
        return
    fmt = format_for(path)
    try:
        count = await asyncio.to_thread(
            service.export_to_file, ids, path, fmt, title="Starred papers"
        )
    except OSError as error:
        reason = for_display(str(error.strerror or error), one_line=True)
        app.notify(f"Could not write {shown}: {reason}", severity="error", markup=False)
        return
    app.settings.set("export_path", str(path))  # type: ignore[attr-defined]
    message = f"Exported {plural(count, 'starred paper')} to {shown}"
    screen.status.set_message(message)
    app.notify(message, markup=False)
