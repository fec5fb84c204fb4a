"""ReadingListApp: wiring only. Screens own the behaviour; the service owns the data."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen

from ..core.settings import Settings
from ..core.textclean import for_display
from .collector import CHECK_EVERY, FullCollections
from .commands import PaperProvider
from .keys import KeyQueue
from .messages import ScreenshotSaved
from .screens.library import LibraryScreen
from .screens.library_keys import LIBRARY_BINDINGS

if TYPE_CHECKING:
    from ..core.service import ReadingList
    from .first_page import FirstPage

DEFAULT_THEME = "textual-dark"
PALETTE_ACTIONS = {
    "read",
    "toggle_star",
    "edit_note",
    "open_link(1)",
    "open_paper('abs')",
    "copy_link",
    "export",
    "import_page",
    "fetch_listing",
    "toggle_starred_only",
    "cycle_status",
    "cycle_sort",
    "tag_papers",
    "delete_papers",
    "undo",
}
"""The main screen's actions the command palette offers (searching has its own box)."""
PAPER_PAGE_COMMANDS = [
    ("Open PDF", "Open the paper's PDF on arXiv", "open_paper('pdf')"),
    ("Open on Hugging Face", "Open the paper's Hugging Face page", "open_paper('hf')"),
]
"""Palette-only commands: the paper's other pages (``p`` opens its arXiv page)."""
MORE_KEYS = [
    ("1-9", "Open link 1-9 of this paper"),
    ("↑↓ j k", "Move"),
    ("PgUp PgDn", "Page"),
    ("g G", "First / last paper"),
    ("ctrl+p", "Command palette"),
    ("ctrl+q", "Quit (from anywhere)"),
]


class ReadingListApp(App[None]):
    """A keyboard-driven reading list for research papers."""

    CSS_PATH = ["app.tcss", "screens/library.tcss"]
    """The library screen's styles too: a screen's own ``CSS_PATH`` is read as the
    screen is pushed, and Textual then parses every style sheet again, the widgets' own
    included (about 6 ms of the first frame's time from ``App.run``)."""
    TITLE = "readinglist"
    COMMANDS = App.COMMANDS | {PaperProvider}
    BINDINGS = [
        Binding("q", "quit", "Quit", tooltip="Quit readinglist", id="app.quit"),
        Binding("question_mark", "help", "Help", tooltip="Show every key", id="app.help"),
    ]

    def __init__(
        self,
        service: ReadingList,
        *,
        title: str | None = None,
        settings: Settings | None = None,
        first_page: FirstPage | None = None,
    ) -> None:
        """``first_page``: the list's first page, read as the app started (``ui.first_page``)."""
        super().__init__()
        self.service = service
        self._first_page = first_page
        if title:
            self.title = title
        if settings is None:
            from ..paths import config_file

            settings = Settings(config_file())
        self.settings = settings
        self.key_queue = KeyQueue(self, lambda event: App.on_event(self, event))
        self.full_collections = FullCollections()

    async def on_event(self, event: events.Event) -> None:
        """The terminal's keys go through the key queue: each lands where the ones before
        it sent the focus (see ``ui.keys``)."""
        if KeyQueue.takes(event):
            self.full_collections.key_pressed()
            await self.key_queue.put(event)
        else:
            await super().on_event(event)

    def get_default_screen(self) -> Screen:
        """The library screen is the first on the stack, not pushed over Textual's empty
        default one: a screen under the top one is drawn as its background, and the
        empty one's every layout (a resize, the one after start-up) drew the library
        screen whole again (13-18 ms of the first search key's time, on a busy machine)."""
        first_page, self._first_page = self._first_page, None
        return LibraryScreen(self.service, first_page=first_page)

    def on_mount(self) -> None:
        theme = self.settings.get("theme", DEFAULT_THEME)
        self.theme = theme if theme in self.available_themes else DEFAULT_THEME
        self.theme_changed_signal.subscribe(
            self, lambda theme: self.save_setting("theme", theme.name)
        )
        self.full_collections.hold()  # run when the keys pause (``ui.collector``)
        self.set_interval(CHECK_EVERY, self.full_collections.collect_if_due)

    def on_unmount(self) -> None:
        self.full_collections.release()

    def on_ready(self) -> None:
        """Textual's start-up (one batch, which draws nothing) is over: the library
        screen, composed and laid out in it, draws its first frame (``DrawnAfterStartUp``)."""
        for screen in self.screen_stack:
            if isinstance(screen, LibraryScreen):
                screen.start_drawing()

    def save_setting(self, key: str, value: object) -> None:
        """Remember a setting now; write the file in a worker (a slow disk must not
        stall the app)."""
        if self.settings.remember(key, value):
            self._save_settings()

    @work(thread=True, group="settings", exit_on_error=False)
    def _save_settings(self) -> None:
        self.settings.save()

    @property
    def library(self) -> LibraryScreen:
        return next(screen for screen in self.screen_stack if isinstance(screen, LibraryScreen))

    async def action_quit(self) -> None:
        """Quit; from the note editor, ask first if the note has unsaved changes."""
        from .screens.note_editor import NoteEditor  # loaded once a note is edited

        if isinstance(self.screen, NoteEditor):
            self.screen.confirm_quit()
        else:
            self.exit()

    def action_help(self) -> None:
        from .screens.help import HelpScreen  # loaded when first asked for, as each dialog is

        keys = [
            (
                ", ".join(self.get_key_display(Binding(key, "")) for key in binding.key.split(",")),
                binding.tooltip or binding.description,
            )
            for binding in [*LIBRARY_BINDINGS, *self.BINDINGS]
            if isinstance(binding, Binding) and not (binding.id or "").startswith("library.link")
        ]
        self.push_screen(HelpScreen(keys + MORE_KEYS))

    def jump_to_paper(self, paper_id: int) -> None:
        self.library.jump_to(paper_id)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title != "Screenshot":  # Textual's saves to a Downloads folder
                yield command
        yield SystemCommand(
            "Screenshot",
            "Save an SVG picture of the screen in readinglist's data folder",
            lambda: self.set_timer(0.1, self.action_save_screenshot),  # once the palette closes
        )
        library = self.library
        offered: set[str] = set()
        for binding in LIBRARY_BINDINGS:
            if not isinstance(binding, Binding) or binding.action not in PALETTE_ACTIONS:
                continue
            if binding.action in offered:
                continue  # `o` and `1` both open link 1: one command, the first binding's
            offered.add(binding.action)
            name = binding.action.partition("(")[0]
            if library.check_action(name, ()) is not False:
                yield SystemCommand(
                    binding.description,
                    binding.tooltip or binding.description,
                    lambda action=binding.action: self.run_action(action, library),
                )
        for title, help_text, action in PAPER_PAGE_COMMANDS:
            yield SystemCommand(
                title, help_text, lambda action=action: self.run_action(action, library)
            )
        yield SystemCommand("Help", "Show every key and the search syntax", self.action_help)

    def action_save_screenshot(self) -> None:
        self._write_screenshot(self.export_screenshot())

    @work(thread=True, group="screenshot", exit_on_error=False)
    def _write_screenshot(self, svg: str) -> None:
        from ..paths import data_dir

        folder = data_dir() / "screenshots"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = folder / f"readinglist-{datetime.now():%Y-%m-%d-%H%M%S}.svg"
            path.write_text(svg, encoding="utf-8")
        except OSError as error:
            self.post_message(ScreenshotSaved(str(folder), str(error.strerror or error)))
        else:
            self.post_message(ScreenshotSaved(str(path)))

    @on(ScreenshotSaved)
    def _screenshot_saved(self, message: ScreenshotSaved) -> None:
        if message.error:
            reason = for_display(message.error, one_line=True)
            self.notify(f"Could not save the screenshot: {reason}", severity="error", markup=False)
        else:
            shown = for_display(message.path)
            self.notify(f"Screenshot saved to {shown}", markup=False, timeout=8)
