"""The import dialog: pick saved pages from a file tree or type a path."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import DirectoryTree, Input, Static

from .path_dialog import PathDialog


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
