"""A few idle connections kept for reuse, shared by threads: one per call, never two at once."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from typing import Any

__all__ = ["Pool"]

KEEP_IDLE = 5


class Pool:
    """Connections made by ``connect`` and handed out one call at a time.

    A connection that was in use when something failed is closed, not kept: whatever
    state the failure left it in goes with it.
    """

    def __init__(self, connect: Callable[[], Any], *, usable: Callable[[Any], bool]) -> None:
        self._connect = connect
        self._usable = usable
        self._idle: list[Any] = []
        self._lock = threading.Lock()
        self._closed = False

    @contextmanager
    def connection(self) -> Iterator[Any]:
        conn = None
        with self._lock:
            while self._idle and conn is None:
                candidate = self._idle.pop()
                if self._usable(candidate):
                    conn = candidate
                else:
                    _close(candidate)
        if conn is None:
            conn = self._connect()
        try:
            yield conn
        except BaseException:
            _close(conn)
            raise
        with self._lock:
            if self._closed or len(self._idle) >= KEEP_IDLE:
                _close(conn)
            else:
                self._idle.append(conn)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            idle, self._idle = self._idle, []
        for conn in idle:
            _close(conn)


def _close(conn: Any) -> None:
    with suppress(Exception):  # closing a broken connection may fail too; it is gone
        conn.close()
