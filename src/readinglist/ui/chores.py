"""Work in threads that must not get in the keystrokes' way: background chores (the
daily backup, loading the search vocabulary) run at a lower CPU priority than the app's
own thread, and a worker that waits gives its thread back as soon as it is cancelled.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.worker import Worker

CANCEL_CHECK_SECONDS = 0.01
"""How often a waiting worker looks whether it was cancelled."""
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


def wait_unless_cancelled(worker: Worker[Any], seconds: float) -> bool:
    """In a worker's thread: wait ``seconds``; False as soon as ``worker`` is cancelled.

    Thread workers share a few threads (the event loop's default executor): one asleep
    after its worker was cancelled (the next keystroke's search replaced it) leaves the
    next search waiting for a thread.
    """
    deadline = time.monotonic() + seconds
    while not worker.is_cancelled:
        left = deadline - time.monotonic()
        if left <= 0:
            return True
        time.sleep(min(left, CANCEL_CHECK_SECONDS))
    return False
