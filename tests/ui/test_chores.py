"""Background chores run in a thread of their own, at a lower CPU priority on Linux."""

from __future__ import annotations

import os
import sys
import threading

import pytest

from readinglist.ui.chores import CHORE_NICENESS, at_low_priority


def niceness() -> int:
    return os.getpriority(os.PRIO_PROCESS, threading.get_native_id())


def test_a_chore_runs_elsewhere_and_its_error_reaches_the_caller():
    seen = []
    at_low_priority(lambda: seen.append(threading.current_thread() is not threading.main_thread()))
    assert seen == [True]
    with pytest.raises(ValueError, match="broken"):
        at_low_priority(lambda: (_ for _ in ()).throw(ValueError("broken")))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread niceness is Linux's")
def test_a_chore_runs_at_lower_priority_and_the_caller_keeps_its_own():
    before = niceness()
    inside: list[int] = []
    at_low_priority(lambda: inside.append(niceness()))
    assert inside == [min(19, before + CHORE_NICENESS)]
    assert niceness() == before
