"""The import dialog (a file tree or a typed path), and the wording of an import's outcome.

The import itself runs in the library screen (``import_export.ImportExport``)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DirectoryTree, Footer, Input, Static

from ...core.files import PAGE_SUFFIXES
from ...core.textclean import for_display
from ...core.wording import plural
from .path_dialog import PathDialog

if TYPE_CHECKING:
    from ...core.models import ImportReport

TITLE = "Import a saved page, or a folder of them"
HINT = "Enter imports · Tab moves to the files · Escape cancels"


class PageTree(DirectoryTree):
    """A directory tree that shows folders and pages only, their names made safe to show."""

    def process_label(self, label: str | Text) -> Text:
        """A file name is outside text: shown cleaned (``for_display``), never as markup."""
        plain = label.plain if isinstance(label, Text) else label
        return super().process_label(Text(for_display(plain, one_line=True)))

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

    def __init__(self, start: Path | None = None) -> None:
        """``start``: the folder the file tree shows (the last import's), once it is
        found to be one; until then, and if it is not, the current folder."""
        super().__init__()
        self.start = start

    def compose(self) -> ComposeResult:
        with Vertical(id="import-dialog", classes="dialog"):
            yield Static(Content(TITLE), classes="dialog-title")
            yield Input(placeholder="Path to a page or folder, or pick one below", id="import-path")
            yield PageTree(Path.cwd(), id="import-tree")
            yield Static(Content(HINT), classes="hint")
        yield Footer()

    def on_mount(self) -> None:
        if self.start is not None:
            self.run_worker(self._show_start(self.start), exit_on_error=False)

    async def _show_start(self, start: Path) -> None:
        """The tree shows ``start`` if it is still a folder. Never a path that is not:
        ``DirectoryTree`` selects such a root as a file, which would import it. Asked in
        a thread, so a slow or gone disk never stalls the dialog."""
        try:
            usable = await asyncio.to_thread(start.is_dir)
        except OSError:
            usable = False
        if usable:
            self.query_one(PageTree).path = start

    def typed_path(self, path: Path) -> Path:
        """A relative path is read from the folder the file tree shows."""
        return Path(self.query_one(PageTree).path) / path

    def on_directory_tree_file_selected(self, event: DirectoryTree.FileSelected) -> None:
        self.dismiss(event.path)


def import_problems(reports: Sequence[ImportReport]) -> list[str]:
    """ "page.txt: reason" for every failed page and every warning, in file order."""
    problems = []
    for report in reports:
        name = for_display(Path(report.path).name, one_line=True)
        if report.error:
            problems.append(f"{name}: {for_display(report.error, one_line=True)}")
        if report.skipped:
            problems.append(f"{name}: skipped, {for_display(report.skipped, one_line=True)}")
        problems.extend(
            f"{name}: {for_display(warning, one_line=True)}" for warning in report.warnings
        )
    return problems


def count(number: int, thing: str) -> str:
    return plural(number, thing, grouped=True)


def import_summary(reports: Sequence[ImportReport]) -> str:
    """One line: "Imported 3 pages: 41 new, 2 updated; 1 failed, 1 file skipped, 1 warning"
    (skipped: found in a folder, and no listing)."""
    landed = [report for report in reports if report.ok and not report.skipped]
    failed = sum(1 for report in reports if report.error)
    skipped = sum(1 for report in reports if report.skipped)
    warnings = sum(len(report.warnings) for report in landed)
    problems = ", ".join(
        part
        for part in (
            f"{failed:,} failed" if failed else "",
            count(skipped, "file") + " skipped" if skipped else "",
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
    in_trash = sum(report.skipped_deleted for report in landed)
    if in_trash:  # an import never brings them back
        summary += f", {in_trash:,} skipped as deleted"
    return f"{summary}; {problems}" if problems else summary
