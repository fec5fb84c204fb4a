"""Importing from the TUI: the dialog (a file tree or a typed path), the import in a
thread worker with progress, and what the reader is told when it is done."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DirectoryTree, Input, Static
from textual.worker import get_current_worker

from ...core.files import page_files
from ...core.models import ImportReport
from ..messages import PagesImported
from .path_dialog import PathDialog

if TYPE_CHECKING:
    from .library import LibraryScreen


class PageTree(DirectoryTree):
    """A directory tree that shows folders and text files only."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            path
            for path in paths
            if not path.name.startswith(".")
            and (path.is_dir() or path.suffix.lower() in {".txt", ".text", ".md"})
        ]


class ImportDialog(PathDialog):
    """Dismisses with the chosen file (or folder of pages), or ``None``."""

    def __init__(self, start: Path) -> None:
        super().__init__()
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog", classes="dialog"):
            yield Static(Content("Import a saved page"), classes="dialog-title")
            yield Input(placeholder="Path to a page, or pick one below", id="import-path")
            yield PageTree(self.start, id="import-tree")
            yield Static(Content("Enter imports · Escape cancels"), classes="hint")

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(event.path)


def import_files(screen: LibraryScreen, path: Path) -> None:
    """A thread worker: import a page, or every page in a folder, showing progress.

    Parsed in this process, not a second one as the CLI does: a running Textual app
    holds ``sys.stderr``, and multiprocessing cannot start a process without it.
    Leaving the app stops it between batches of pages, never inside a file.
    """
    files = page_files([path])
    worker = get_current_worker()

    def show_progress(done: int) -> None:
        status = f"Importing {files[done].name} ({done + 1}/{len(files)})…"
        screen.app.call_from_thread(screen.set_status, status)

    reports: list[ImportReport] = []
    if files:
        show_progress(0)
    for report in screen.service.iter_imports(files):
        reports.append(report)
        if worker.is_cancelled:
            return
        if len(reports) < len(files):
            show_progress(len(reports))
    screen.post_message(PagesImported(reports))
    screen.service.prepare_search()  # the pages brought new words


def show_import_reports(screen: LibraryScreen, reports: Sequence[ImportReport]) -> None:
    """A notification per page (errors and warnings stay longer) and a summary line."""
    for report in reports:
        name = Path(report.path).name
        if report.error:
            screen.notify(
                f"{report.path}: {report.error}", severity="error", markup=False, timeout=8
            )
            continue
        text = f"{name}: {report.papers} papers, {report.new} new, {report.updated} updated"
        screen.notify(text, markup=False)
        for warning in report.warnings:
            screen.notify(f"{name}: {warning}", severity="warning", markup=False)
    if not reports:
        screen.notify("No pages found there.", severity="warning", markup=False)
    screen.set_status(import_summary(reports))


def import_summary(reports: Sequence[ImportReport]) -> str:
    """One line for the status bar: "Imported 3 pages: 41 new, 2 updated; 1 failed"."""
    landed = [report for report in reports if not report.error]
    failed = len(reports) - len(landed)
    if not landed:
        return f"Nothing imported; {failed} failed" if failed else "No pages found"
    what = Path(landed[0].path).name if len(landed) == 1 else f"{len(landed)} pages"
    new = sum(report.new for report in landed)
    updated = sum(report.updated for report in landed)
    summary = f"Imported {what}: {new} new, {updated} updated"
    return f"{summary}; {failed} failed" if failed else summary
