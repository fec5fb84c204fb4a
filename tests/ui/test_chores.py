"""Background chores run in a thread of their own, at a lower CPU priority on Linux."""

from __future__ import annotations

import asyncio
import os
import sys
import threading
import time
from types import SimpleNamespace

import pytest

from readinglist.ui.chores import CHORE_NICENESS, at_low_priority, wait_unless_cancelled


def niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_a_chore_runs_elsewhere_and_its_error_reaches_the_caller():
    seen = []
    asyncio.run(
        at_low_priority(
            lambda: seen.append(threading.current_thread() is not threading.main_thread())
        )
    )
    assert seen == [True]
    with pytest.raises(ValueError, match="broken"):
        asyncio.run(at_low_priority(lambda: (_ for _ in ()).throw(ValueError("broken"))))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread niceness is Linux's")
def test_a_chore_runs_at_lower_priority_and_the_caller_keeps_its_own():
    before = niceness()
    inside: list[int] = []
    asyncio.run(at_low_priority(lambda: inside.append(niceness())))
    assert inside == [min(19, before + CHORE_NICENESS)]
    assert niceness() == before


def test_a_waiting_worker_stops_waiting_once_cancelled():
    worker = SimpleNamespace(is_cancelled=False)
    assert wait_unless_cancelled(worker, 0.02)  # waited its time: still wanted
    threading.Timer(0.05, lambda: setattr(worker, "is_cancelled", True)).start()
    started = time.monotonic()
    assert not wait_unless_cancelled(worker, 600)  # not ten minutes: as soon as cancelled
    assert time.monotonic() - started < 300
    assert not wait_unless_cancelled(worker, 0)
