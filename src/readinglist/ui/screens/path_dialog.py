"""A dialog that asks for a file path: Enter gives the expanded path, Escape gives None."""

from __future__ import annotations

from pathlib import Path

from textual.actions import SkipAction
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Input


class PathDialog(ModalScreen[Path | None]):
    """Base for the import and export dialogs. A subclass composes one ``Input`` and
    binds Enter to ``submit`` with the name of what it does ("Import", "Export")."""

    CSS_PATH = "dialogs.tcss"
    AUTO_FOCUS = "Input"
    BINDINGS = [
        Binding(
            "escape", "cancel", "Cancel", tooltip="Close without doing anything", id="path.cancel"
        ),
    ]

    def action_submit(self) -> None:
        """Enter in the path box (elsewhere, such as a file tree, Enter is its own)."""
        field = self.query_one(Input)
        if not self.submits_from_focus(field):
            raise SkipAction()
        text = field.value.strip()
        if text:
            self.dismiss(self.typed_path(Path(text).expanduser()))

    def typed_path(self, path: Path) -> Path:
        """The path the reader typed (``~`` expanded); a subclass may read a relative one
        from the folder it shows."""
        return path

    def submits_from_focus(self, field: Input) -> bool:
        """Whether Enter writes from where the focus is: the path box (a subclass may
        add its own widgets)."""
        return self.focused is field

    def action_cancel(self) -> None:
        self.dismiss(None)
