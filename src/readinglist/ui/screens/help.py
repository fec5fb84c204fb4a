"""The help screen: every key of the main screen, read from its bindings."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Grid, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

from ...core.query import filter_examples

# One line a point, no break inside one: the dialog's width wraps them.
SEARCH_HELP = (
    "Search as you type: typos are fine; titles weigh most, then organisation, authors, "
    "keywords, notes and abstracts.\n"
    f"Filters: {'  '.join(filter_examples())}\n"
    "Enter moves to the list at the best match; Escape clears the search.\n"
    "S during a search: best match first, then by date, upvotes, title, added or stars."
)
DIALOG_HELP = (
    "In every dialog Escape cancels: it closes without changing anything.\n"
    "Enter confirms; in the note editor, where Enter starts a new line, Ctrl+S saves, and "
    "Escape asks before dropping changes.\n"
    "Ctrl+Q quits from anywhere (asking first if a note has unsaved changes)."
)


class HelpScreen(ModalScreen[None]):
    """Keys and search syntax."""

    CSS_PATH = "dialogs.tcss"
    AUTO_FOCUS = "#help"
    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("space", "scroll_help('page')", "Scroll", id="help.page"),
        Binding("j", "scroll_help('down')", "Down", show=False, id="help.down"),
        Binding("k", "scroll_help('up')", "Up", show=False, id="help.up"),
        Binding("g", "scroll_help('top')", "Top", show=False, id="help.top"),
        Binding("G", "scroll_help('bottom')", "Bottom", show=False, id="help.bottom"),
    ]

    def __init__(self, keys: list[tuple[str, str]]) -> None:
        super().__init__()
        self.keys = keys

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Static(Content("readinglist keys"), classes="dialog-title")
            # two columns: a description too long for the width wraps under itself
            with Grid(id="help-keys") as keys:
                keys.styles.grid_columns = f"{max(len(key) for key, _ in self.keys) + 2} 1fr"
                for key, description in self.keys:
                    yield Static(Content.styled(key, "bold $accent"))
                    yield Static(Content(description))
            yield Static(Content(SEARCH_HELP), classes="help-section")
            yield Static(Content(DIALOG_HELP), classes="help-section")
            yield Static(
                Content("Ctrl+P opens the command palette: every action, and a jump to any paper."),
                classes="hint",
            )
        yield Footer()

    def action_scroll_help(self, where: str) -> None:
        """The list's keys scroll the help too (arrows and page keys already do)."""
        scroll = self.query_one("#help", VerticalScroll)
        moves = {
            "page": scroll.scroll_page_down,
            "down": scroll.scroll_down,
            "up": scroll.scroll_up,
            "top": scroll.scroll_home,
            "bottom": scroll.scroll_end,
        }
        moves[where]()
