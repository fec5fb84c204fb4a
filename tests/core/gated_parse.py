"""A parse function for the import's worker process that waits for a gate file first.

Module-level, so a spawned worker can import it: a test holds the worker on a page
until it has seen what it needs, instead of hoping the worker is slow enough.
"""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

from readinglist.core.merge import KeyedPage, read_keyed_or_error

GATE_TIMEOUT = 120.0  # seconds; only reached if the test failed to open the gate


def parse_after_gate(path: Path, today: date, gate: Path) -> KeyedPage | str:
    deadline = time.monotonic() + GATE_TIMEOUT
    while not gate.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    return read_keyed_or_error(path, today)
