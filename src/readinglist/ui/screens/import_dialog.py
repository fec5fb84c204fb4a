"""Importing from the TUI: the dialog (a file tree or a typed path), the import in a
thread worker with progress, and the one summary the reader is told when it is done."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DirectoryTree, Footer, Input, Static
from textual.worker import get_current_worker

from ...core.files import PAGE_SUFFIXES, page_files
from ...core.models import ImportReport
from ...core.textclean import for_display
from ...core.wording import plural
from ..messages import ImportProgress, ListingFetchProgress, PagesImported
from .path_dialog import PathDialog

if TYPE_CHECKING:
    from .library import LibraryScreen

TITLE = "Import a saved page, or a folder of them"
HINT = "Enter imports · Tab moves to the files · Escape cancels"
PROBLEMS_LISTED = 6
"""Problems named in the summary's notification; the rest are counted."""


class PageTree(DirectoryTree):
    """A directory tree that shows folders and text files only."""

    def filter_paths(self, paths: Iterable[Path]) -> Iterable[Path]:
        return [
            path
            for path in paths
            if not path.name.startswith(".")
            and (path.is_dir() or path.suffix.lower() in PAGE_SUFFIXES)
        ]


class ImportDialog(PathDialog):
    """Dismisses with the chosen file (or folder of pages), or ``None``."""

    BINDINGS = [
        Binding(
            "enter",
            "submit",
            "Import",
            tooltip="Import the page, or every page in the folder",
            priority=True,
            id="import.submit",
        ),
    ]

    def __init__(self, start: Path) -> None:
        super().__init__()
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog", classes="dialog"):
            yield Static(
                Content("Import a saved page, or a folder of them"), classes="dialog-title"
            )
            yield Input(placeholder="Path to a page or folder, or pick one below", id="import-path")
            yield PageTree(self.start, id="import-tree")
            yield Static(
                Content("Enter imports · Tab moves to the files · Escape cancels"), classes="hint"
            )
        yield Footer()

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(event.path)


def import_files(screen: LibraryScreen, path: Path) -> None:
    """A thread worker: import a page, or every page in a folder, reporting progress.

    Parsed in this process, not a second one as the CLI does: a running Textual app
    holds ``sys.stderr``, and multiprocessing cannot start a process without it.
    Leaving the app stops it between batches of pages, never inside a file.
    """
    files = page_files([path])
    worker = get_current_worker()
    reports: list[ImportReport] = []
    if files:
        screen.post_message(ImportProgress(files[0].name, 0, len(files)))
    for report in screen.service.iter_imports(files):
        reports.append(report)
        if worker.is_cancelled:
            return
        if len(reports) < len(files):
            screen.post_message(ImportProgress(files[len(reports)].name, len(reports), len(files)))
    screen.post_message(PagesImported(reports))
    screen.service.prepare_search()  # the pages brought new words


def fetch_todays_listing(screen: LibraryScreen) -> None:
    """A thread worker: fetch today's Daily Papers listing and import it, with progress.

    A failure raises (``FetchError``, ``LibraryError``): the screen shows it in one line.
    """

    def progress(pages: int, papers: int) -> None:
        screen.post_message(ListingFetchProgress(pages, papers))

    report = screen.service.fetch(progress=progress)
    screen.post_message(PagesImported([report]))
    screen.service.prepare_search()  # the listing brought new words


def show_import_reports(screen: LibraryScreen, reports: Sequence[ImportReport]) -> None:
    """One summary in the status line, and one notification that names the problems."""
    summary = import_summary(reports)
    screen.status.set_message(summary)
    problems = import_problems(reports)
    failed = any(report.error for report in reports)
    shown = problems[:PROBLEMS_LISTED]
    if len(problems) > len(shown):
        shown.append(f"… and {len(problems) - len(shown)} more")
    screen.notify(
        "\n".join([summary, *shown]),
        severity="error" if failed or not reports else "warning" if problems else "information",
        timeout=12 if problems else 5,
        markup=False,
    )


def import_problems(reports: Sequence[ImportReport]) -> list[str]:
    """ "page.txt: reason" for every failed page and every warning, in file order."""
    problems = []
    for report in reports:
        name = for_display(Path(report.path).name, one_line=True)
        if report.error:
            problems.append(f"{name}: {for_display(report.error, one_line=True)}")
        problems.extend(
            f"{name}: {for_display(warning, one_line=True)}" for warning in report.warnings
        )
    return problems


def count(number: int, thing: str) -> str:
    return plural(number, thing, grouped=True)


def import_summary(reports: Sequence[ImportReport]) -> str:
    """One line: "Imported 3 pages: 41 new, 2 updated; 1 failed, 1 warning"."""
    landed = [report for report in reports if not report.error]
    failed = len(reports) - len(landed)
    warnings = sum(len(report.warnings) for report in landed)
    problems = ", ".join(
        part
        for part in (
            f"{failed:,} failed" if failed else "",
            count(warnings, "warning") if warnings else "",
        )
        if part
    )
    if not landed:
        return f"Nothing imported; {problems}" if problems else "No pages found there"
    name = for_display(Path(landed[0].path).name, one_line=True)
    what = name if len(reports) == 1 else count(len(landed), "page")
    new = sum(report.new for report in landed)
    updated = sum(report.updated for report in landed)
    summary = f"Imported {what}: {new:,} new, {updated:,} updated"
    return f"{summary}; {problems}" if problems else summary
