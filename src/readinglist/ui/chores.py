"""Background chores (the daily backup, loading the search vocabulary) run at a lower
CPU priority than the app's own thread, so the reader's keystrokes keep a core."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable

CHORE_NICENESS = 10
"""How much lower a chore's thread runs than the app's (``nice``)."""
LOWEST = 19  # the highest niceness, the lowest priority


def at_low_priority(chore: Callable[[], object]) -> None:
    """Run ``chore`` in a thread of its own at a lower CPU priority, and wait for it.

    On Linux a thread has its own niceness (elsewhere the chore runs at the usual
    priority). A thread worker's pool thread, which later runs the list's searches,
    could not be given its priority back without privileges: hence a thread of its own.
    What the chore raises is raised here, in the worker, which reports it.
    """
    failed: list[BaseException] = []

    def run() -> None:
        with contextlib.suppress(AttributeError, OSError):  # no setpriority (Windows)
            thread_id = threading.get_native_id()
            current = os.getpriority(os.PRIO_PROCESS, thread_id)
            os.setpriority(os.PRIO_PROCESS, thread_id, min(LOWEST, current + CHORE_NICENESS))
        try:
            chore()
        except BaseException as error:
            failed.append(error)

    thread = threading.Thread(target=run, name="readinglist-chore")
    thread.start()
    thread.join()
    if failed:
        raise failed[0]
