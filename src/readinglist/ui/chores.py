"""Work in threads that must not get in the keystrokes' way: background chores (the
daily backup, loading the search vocabulary) run at a lower CPU priority than the app's
own thread, and a worker that waits gives its thread back as soon as it is cancelled.
"""

from __future__ import annotations

import asyncio
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


async def at_low_priority(chore: Callable[[], object]) -> None:
    """Run ``chore`` in a thread of its own at a lower CPU priority, and wait for it on
    the app's loop: no worker's pool thread waits meanwhile (the keystrokes' searches
    need them; a backup takes seconds at 100,000 papers).

    On Linux a thread has its own niceness (elsewhere the chore runs at the usual
    priority); a pool thread could not be given its priority back without privileges.
    What the chore raises is raised here, in the worker, which reports it.
    """
    loop = asyncio.get_running_loop()
    done: asyncio.Future[None] = loop.create_future()

    def settle(error: BaseException | None) -> None:  # on the loop
        if done.done():  # the worker was cancelled (the app closing): nobody waits
            return
        if error is None:
            done.set_result(None)
        else:
            done.set_exception(error)

    def run() -> None:
        with contextlib.suppress(AttributeError, OSError):  # no setpriority (Windows)
            thread_id = threading.get_native_id()
            current = os.getpriority(os.PRIO_PROCESS, thread_id)
            os.setpriority(os.PRIO_PROCESS, thread_id, min(LOWEST, current + CHORE_NICENESS))
        failed: BaseException | None = None
        try:
            chore()
        except BaseException as error:
            failed = error
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody waits
            loop.call_soon_threadsafe(settle, failed)

    threading.Thread(target=run, name="readinglist-chore").start()
    await done


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
