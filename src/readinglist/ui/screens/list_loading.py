"""Reading what the library screen's list shows, in a thread worker.

A view (search, order, starred filter) is read as its first page at once, then as
the ordered ids of every paper in it (``ReadingList.search_rows``); rows are read only
around the cursor, the rest as the reader scrolls. A search waits while more keys
are on their way, so a burst of keystrokes costs one search, not one a key; reading
every id stops part-way when a newer list is asked for.
"""

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Protocol

from textual.worker import Worker, get_current_worker

from ...core.database import ReadInterrupted
from ...core.search import parse_query
from ..chores import wait_unless_cancelled
from ..first_page import FIRST_PAGE
from ..messages import BEST_MATCH, RowsLoaded, View

if TYPE_CHECKING:
    from textual.message import Message

    from ...core.search import Found
    from ...core.service import ReadingList
    from ..first_page import FirstPage
    from ..keys import KeyQueue

AROUND_CURSOR = 100
"""Rows read with a list's ids, either side of the cursor."""
KEYSTROKE_PAUSE = 0.003
"""Seconds a search yields before it runs, so a burst of keys shows in the key queue (a
paste or tmux send-keys arrives in one read: its keys are queued at once). Each
millisecond here is one a typist waits for every key's list."""
LOOK_AGAIN = 0.01
"""Seconds between a waiting worker's looks at what it waits for."""
TYPING_PAUSE = 0.4
"""Seconds without a keystroke before a search reads every match (not just a page).

Reading every match of a broad prefix costs most of a second at 100,000 papers: begun
between two keys of a steady typist (a key every 0.15-0.3 s), it slowed the next key's
first page by as much (it now stops when the next key comes, but not at once)."""
PAINT_PATIENCE = 1.0
"""Seconds the rest of a list waits at most for its first page to be painted."""
BURST_LIMIT = 1.0
"""A search waits no longer than this for a burst of keys to end."""


class ListScreen(Protocol):
    """What reading a list needs of the screen it reads for (the library screen):
    described here rather than imported, since that screen imports this module."""

    @property
    def service(self) -> ReadingList: ...

    def post_message(self, message: Message) -> bool: ...


def load_view(
    screen: ListScreen,
    view: View,
    keep_id: int | None,
    keys: KeyQueue | None,
    *,
    first_page: FirstPage | None = None,
    shown: threading.Event | None = None,
) -> None:
    """The first page at once, then every id of the view (see ``FIRST_PAGE``).

    A search runs once the keys on their way have arrived, so a burst (a paste,
    tmux send-keys) costs one search, not one a key, and a search the next key replaces
    stops part-way. Reading every match waits for a pause in the typing. The query
    is parsed once, here, and each step is one question to the service.

    The view's first page may have been read as the app started (``ui.first_page``):
    ``shown`` when the screen has posted it already (set once it is painted),
    ``first_page`` when it is still being read (it is waited for, not read again).
    """
    worker = get_current_worker()
    parsed = parse_query(view.query)
    if parsed.text and not _still_wanted(worker, keys, KEYSTROKE_PAUSE):
        return
    service = screen.service
    sort = None if view.order == BEST_MATCH else view.order

    def stop() -> bool:  # the next keystroke's worker cancels this one
        return worker.is_cancelled

    try:
        if sort is None or not parsed.text:  # a first page is a prefix of the whole list
            painted = shown
            if painted is None:
                first = _read_already(worker, first_page) or service.search_rows(
                    parsed,
                    sort=sort,
                    starred_only=view.starred_only,
                    limit=FIRST_PAGE,
                    count=False,
                    stop=stop,
                )
                message = rows_message(view, first, keep_id, first=True)
                if not worker.is_cancelled:
                    screen.post_message(message)
                if message.painted is None:  # the whole list already
                    return
                painted = message.painted
            if parsed.text and not _still_wanted(worker, keys, TYPING_PAUSE):
                return  # the next keystroke has asked for another list already
            if not _until_painted(worker, painted):
                return
        found = service.search_rows(
            parsed,
            sort=sort,
            starred_only=view.starred_only,
            limit=2 * AROUND_CURSOR,
            around=keep_id,
            every_id=True,
            stop=stop,
        )
    except ReadInterrupted:
        return  # the newer list is on its way
    if not worker.is_cancelled:
        screen.post_message(rows_message(view, found, keep_id))


def rows_message(
    view: View, found: Found, keep_id: int | None, *, first: bool = False
) -> RowsLoaded:
    """The ids (a first page's are its rows'), with the rows around where the cursor
    will be. A ``first`` page that does not reach the end of the list is not complete:
    its message's ``painted`` is set once it is on screen, and the rest is read then."""
    ids = found.ids or tuple(row.id for row in found.rows)
    if not first or found.total is not None:
        return RowsLoaded(view, ids, found.rows, keep_id, found.change_token)
    painted = threading.Event()
    return RowsLoaded(view, ids, found.rows, keep_id, found.change_token, False, painted)


def _read_already(worker: Worker[None], first_page: FirstPage | None) -> Found | None:
    """The first page read as the app started, once its read ends (None: read it now)."""
    if first_page is None:
        return None
    while not first_page.wait(LOOK_AGAIN):
        if worker.is_cancelled:
            return None
    return first_page.found


def _until_painted(worker: Worker[None], painted: threading.Event) -> bool:
    """Wait until the first page is on screen (at most ``PAINT_PATIENCE``) before
    reading the rest: begun at once, the read shared the cores with the painting of
    the app's first frame. False if the worker was cancelled meanwhile."""
    deadline = time.monotonic() + PAINT_PATIENCE
    while not painted.is_set() and time.monotonic() < deadline:
        if not wait_unless_cancelled(worker, LOOK_AGAIN):
            return False
    return not worker.is_cancelled


def _still_wanted(worker: Worker[None], keys: KeyQueue | None, pause: float) -> bool:
    """In a worker's thread: wait ``pause`` seconds, and while more keys are on their
    way (up to ``BURST_LIMIT``); False as soon as the worker is cancelled: its thread is
    one of the few the workers share, and the next keystroke's search needs one."""
    if pause:
        deadline = time.monotonic() + BURST_LIMIT
        if not wait_unless_cancelled(worker, pause):
            return False
        while keys is not None and keys.busy and time.monotonic() < deadline:
            if not wait_unless_cancelled(worker, min(pause, LOOK_AGAIN)):
                return False
    return not worker.is_cancelled
