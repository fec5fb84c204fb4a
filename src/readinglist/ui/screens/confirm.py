"""A yes/no question: y (or its button) answers yes; n, Escape or the other button, no."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Footer, Static

from ...core.textclean import for_display


class ConfirmDialog(ModalScreen[bool]):
    """Dismisses with True for yes; Escape or n is no (the safe answer, focused first)."""

    CSS_PATH = "dialogs.tcss"
    AUTO_FOCUS = "#no"
    BINDINGS = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str, yes: str = "Yes", *, no: str = "Cancel") -> None:
        super().__init__()
        self.question = for_display(question)
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm", classes="dialog"):
            yield Static(Content(self.question))
            with Horizontal(id="confirm-buttons"):
                yield Button(Content(f"{self.yes} (y)"), variant="warning", id="yes")
                yield Button(Content(f"{self.no} (n)"), id="no")
            yield Static(
                Content(f"y: {self.yes.lower()} · n or Escape: {self.no.lower()}"), classes="hint"
            )
        yield Footer()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
