"""ReadingListApp: wiring only. Screens own the behaviour; the service owns the data."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ..core.settings import Settings
from .commands import PaperProvider
from .screens.help import HelpScreen
from .screens.library import LibraryScreen

if TYPE_CHECKING:
    from ..core.service import ReadingList

DEFAULT_THEME = "textual-dark"


class ReadingListApp(App[None]):
    """A keyboard-driven reading list for research papers."""

    CSS_PATH = "app.tcss"
    TITLE = "readinglist"
    COMMANDS = App.COMMANDS | {PaperProvider}
    BINDINGS = [
        Binding("q", "quit", "Quit", tooltip="Quit readinglist", id="app.quit"),
        Binding("question_mark", "help", "Help", tooltip="Show every key", id="app.help"),
    ]

    def __init__(
        self, service: ReadingList, *, title: str | None = None, settings: Settings | None = None
    ) -> None:
        super().__init__()
        self.service = service
        if title:
            self.title = title
        if settings is None:
            from ..paths import config_file

            settings = Settings(config_file())
        self.settings = settings

    def on_mount(self) -> None:
        theme = self.settings.get("theme", DEFAULT_THEME)
        self.theme = theme if theme in self.available_themes else DEFAULT_THEME
        self.theme_changed_signal.subscribe(
            self, lambda theme: self.settings.set("theme", theme.name)
        )
        self.push_screen(LibraryScreen(self.service))

    @property
    def library(self) -> LibraryScreen:
        return next(screen for screen in self.screen_stack if isinstance(screen, LibraryScreen))

    def action_help(self) -> None:
        keys = []
        for binding in [*self.library.BINDINGS, *self.BINDINGS]:
            if isinstance(binding, Binding) and (binding.show or binding.key == "escape"):
                keys.append((self.get_key_display(binding), binding.tooltip or binding.description))
        keys += [
            ("1-9", "Open link 1-9 of this paper"),
            ("↑↓ j k", "Move"),
            ("PgUp PgDn", "Page"),
            ("g G", "First / last paper"),
            ("ctrl+p", "Command palette"),
        ]
        self.push_screen(HelpScreen(keys))

    def jump_to_paper(self, paper_id: int) -> None:
        self.library.jump_to(paper_id)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        library = self.library
        for binding in library.BINDINGS:
            if isinstance(binding, Binding) and binding.show and binding.action != "focus_search":
                yield SystemCommand(
                    binding.description,
                    binding.tooltip or binding.description,
                    lambda action=binding.action: self.run_action(action, library),
                )
        yield SystemCommand("Help", "Show every key and the search syntax", self.action_help)
