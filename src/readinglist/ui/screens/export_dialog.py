"""The export dialog: asks which papers to export (the marked ones, the list on screen,
or the starred ones) and where to write them, and says in which format (the path's
extension chooses it: ``core.formats``).

The export itself runs in the library screen (``import_export.ImportExport``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Footer, Input, RadioSet, Static

from ...core.formats import format_for
from ...core.wording import plural
from ..widgets.choice import Choice
from .path_dialog import PathDialog

DEFAULT_EXPORT_PATH = "~/reading-list.md"
FORMAT_NAMES = {"md": "Markdown", "json": "JSON", "csv": "CSV", "bibtex": "BibTeX", "ris": "RIS"}
HINT = (
    "The extension picks the format: .bib BibTeX, .ris RIS (Zotero, EndNote), .json, .csv,"
    " else Markdown · Tab, ↑↓, Space: which papers · Enter writes · Escape cancels"
)


@dataclass(frozen=True, slots=True)
class ExportChoice:
    """One set of papers the dialog offers to export."""

    key: str
    """``marked``, ``results`` or ``starred``: the radio button's id is ``export-KEY``."""
    label: str
    """What the option says ("Marked papers"); its count follows."""
    noun: str
    """One of them ("marked paper"), for "Export 3 marked papers" (plural: + "s")."""
    ids: tuple[int, ...]
    """The papers, in the order they are written."""
    title: str
    """The exported file's heading."""

    def count_text(self) -> str:
        return plural(len(self.ids), self.noun, grouped=True)


class ExportDialog(PathDialog):
    """Asks which papers and where; dismisses with the expanded path, leaving the
    papers chosen in ``chosen``."""

    BINDINGS = [
        Binding(
            "enter",
            "submit",
            "Export",
            tooltip="Write the chosen papers to this file",
            priority=True,
            id="export.submit",
        ),
    ]

    def __init__(self, default: str, choices: list[ExportChoice], chosen: ExportChoice) -> None:
        super().__init__()
        self.default = default
        self.choices = choices
        self.chosen = chosen
        """The papers to export: the default, until the reader picks others."""

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="dialog"):
            yield Static(self._title(self.default), id="export-title", classes="dialog-title")
            with RadioSet(id="export-what"):
                for choice in self.choices:
                    yield Choice(
                        Content(f"{choice.label} ({len(choice.ids):,})"),
                        value=choice is self.chosen,
                        disabled=not choice.ids,
                        id=f"export-{choice.key}",
                    )
            yield Input(self.default, id="export-path")
            yield Static(Content(HINT), classes="hint")
        yield Footer()

    def _title(self, path: str) -> Content:
        name = FORMAT_NAMES[format_for(Path(path.strip()))]
        return Content(f"Export {self.chosen.count_text()} to {name}")

    def _update_title(self) -> None:
        path = self.query_one("#export-path", Input).value
        self.query_one("#export-title", Static).update(self._title(path))

    @on(Input.Changed, "#export-path")
    def _path_changed(self) -> None:
        self._update_title()

    @on(RadioSet.Changed, "#export-what")
    def _choice_changed(self, event: RadioSet.Changed) -> None:
        key = (event.pressed.id or "").removeprefix("export-")
        self.chosen = next(choice for choice in self.choices if choice.key == key)
        self._update_title()

    def submits_from_focus(self, field: Input) -> bool:
        """Enter writes from the path box and from the choice of papers."""
        return self.focused in (field, self.query_one("#export-what", RadioSet))
