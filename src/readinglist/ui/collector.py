"""Python's full garbage collections, held back while the reader types (issue 20).

CPython collects its oldest generation after every tenth collection of the middle one.
At 100,000 papers that full collection goes over some 40,000 objects (most of them
Textual's cached lines of the screen) and took 20-35 ms on a slow machine, about every
second and a half while a search was typed: each time on one keystroke's list. Here the
automatic full collection is held back and run instead once no key has come for a moment
and as many middle collections as CPython waits for have run; should keys never pause,
it runs anyway after ten times as many. The young generations are collected as always.
(CPython also skips a due full collection while few objects have lived long since the
last; a pause is when one costs the reader nothing, so none is skipped here.)
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable

__all__ = ["FullCollections"]

PAUSE = 1.0
"""Seconds without a key before a full collection that is due runs."""
CHECK_EVERY = 0.5
"""Seconds between looks at whether one is due (``collect_if_due``)."""
OVERDUE = 10
"""Times as many middle collections as CPython waits for, after which one runs anyway."""
HELD = 1 << 30
"""The oldest generation's threshold while held: CPython never reaches it."""


class FullCollections:
    """Holds the automatic full collection from ``hold()`` to ``release()``; the app
    tells it of each key (``key_pressed``) and calls ``collect_if_due`` now and then."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._released: tuple[int, int, int] | None = None
        self._last_key = clock()

    def hold(self) -> None:
        """Hold the full collection back (not on Python 3.14 and later, whose collector
        does the oldest generation's work a little at a time, with no long pause)."""
        if self._released is None and sys.version_info < (3, 14):
            self._released = gc.get_threshold()
            young, middle, _oldest = self._released
            gc.set_threshold(young, middle, HELD)

    def release(self) -> None:
        """Collect as CPython did before ``hold()``; a threshold someone else set since
        is left as it is."""
        if self._released is not None:
            if gc.get_threshold()[2] == HELD:
                gc.set_threshold(*self._released)
            self._released = None

    def key_pressed(self) -> None:
        self._last_key = self._clock()

    def collect_if_due(self) -> bool:
        """Run the full collection now if it is due and the keys have paused (or it is
        long overdue); whether it ran."""
        if self._released is None or not gc.isenabled():
            return False
        due_after = self._released[2]
        middle_collections = gc.get_count()[2]  # since the last full collection
        if middle_collections <= due_after:  # as CPython counts
            return False
        paused = self._clock() - self._last_key >= PAUSE
        if not paused and middle_collections <= OVERDUE * due_after:
            return False
        gc.collect()
        return True
