"""The library screen's background chores, each once the reader pauses typing: the
footer, the keys a search changed, the search vocabulary and the daily backup.

Each waits for a pause (``_typing_pause``) on the app's loop, and the heavy ones run in
a thread at a lower priority (``ui.chores``): none of them may slow a keystroke's list.
"""

from __future__ import annotations

import asyncio
import time
from typing import TYPE_CHECKING

from textual import work

from ..chores import at_low_priority
from .first_frame import DrawnAfterStartUp

if TYPE_CHECKING:
    from ...core.service import ReadingList

__all__ = ["TYPING_PAUSE_BEFORE_CHORES", "TYPING_PAUSE_BEFORE_FOOTER", "LibraryChores"]

TYPING_PAUSE_BEFORE_CHORES = 1.0
"""Seconds without a keystroke before a background chore starts: loading the search
vocabulary and the daily backup each take a second or more at 100,000 papers, and would
slow every keystroke's search meanwhile."""
TYPING_PAUSE_BEFORE_FOOTER = 0.3
"""Seconds without a keystroke before the footer is mounted (see ``_mount_footer``), or
shows the keys a search changed (``_announce_keys_after_typing``)."""


class LibraryChores(DrawnAfterStartUp):
    """The chores, started once the first rows are painted (``_start_chores``)."""

    service: ReadingList

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self._chores_started = False
        self._last_typed = time.monotonic()  # a key's time: the chores wait for a pause

    def _start_chores(self) -> None:
        """Once the first rows are painted: chores that would slow the first frame down
        (they compete with the rows' worker and the painting for the interpreter)."""
        if not self._chores_started:
            self._chores_started = True
            self._mount_footer()
            self._first_chores()

    @work(group="footer")
    async def _mount_footer(self) -> None:
        """The footer, after the first frame and once the reader pauses typing: a key a
        binding, it cost the first frame 30-50 ms at 100,000 papers, and mounted while a
        search is typed at once (``/`` and a word), the first letter's list as much. Its
        line is kept meanwhile, so nothing moves (and its module, with Textual's widgets,
        10 ms or more, is imported then too, not as the first key of a search comes)."""
        await self._typing_pause(TYPING_PAUSE_BEFORE_FOOTER)
        from ..widgets.footer import SteadyFooter

        with self.app.batch_update():
            if not self.is_attached:  # the app is closing (q came first): nothing to mount
                return
            await self.query_one("#footer-space").remove()
            if not self.is_attached:
                return
            await self.mount(SteadyFooter())
        self.refresh_bindings()  # a footer shows its keys once the bindings are announced

    @work(exclusive=True, group="footer-keys")
    async def _announce_keys_after_typing(self) -> None:
        """Show the keys a search changed (Escape clears it) once the reader pauses:
        the footer built anew lays the screen out and paints the list again, and on a
        search's first letter that held back the letter's own list. (The keys work at
        once: only the footer waits.)"""
        await self._typing_pause(TYPING_PAUSE_BEFORE_FOOTER)
        self.refresh_bindings()

    @work(group="chores", exit_on_error=False)
    async def _first_chores(self) -> None:
        """The search vocabulary, then the daily backup, once the reader pauses."""
        await self._before_loading_vocabulary()
        await at_low_priority(self._vocabulary_then_backup)

    def _vocabulary_then_backup(self) -> None:
        """In a thread: one after the other (together, at 100,000 papers, they took the
        app's peak memory past its goal); the backup whatever the loading does."""
        try:
            self.service.prepare_search()
        finally:
            self.service.daily_backup()  # once a day: a checked copy beside the library

    @work(exclusive=True, group="search-index", exit_on_error=False)
    async def _prepare_search(self) -> None:
        """Load the search vocabulary again (new papers bring new words)."""
        await self._before_loading_vocabulary()
        await at_low_priority(self.service.prepare_search)

    async def _before_loading_vocabulary(self) -> None:
        """Wait for the reader to pause: reading 450,000 terms at 100,000 papers takes a
        second or more from the keystrokes' own searches, which meanwhile ask the index
        for their words. PostgreSQL's index cannot be asked so (a search would wait for
        the load): there it is loaded at once."""
        if not self.service.location.is_postgres:
            await self._typing_pause()

    async def _typing_pause(self, pause: float = TYPING_PAUSE_BEFORE_CHORES) -> None:
        """Wait for ``pause`` seconds without a keystroke, counted from now at the
        earliest (the first frame's chores: a search typed at once comes first), on the
        app's loop: a worker's thread waiting so would be one fewer for the keystrokes'
        searches (the pool has a few)."""
        asked = time.monotonic()
        while (wait := pause - (time.monotonic() - max(asked, self._last_typed))) > 0:
            await asyncio.sleep(wait)
