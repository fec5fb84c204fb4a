"""Reading what the library screen's list shows, in a thread worker.

A view (search, order, starred filter) is read as its first page at once, then as
the ordered ids of every paper in it; rows are read only around the cursor, the rest
as the reader scrolls. A search waits while more keys are on their way, so a burst
of keystrokes costs one search, not one a key.
"""

from __future__ import annotations

import time
from dataclasses import replace
from typing import TYPE_CHECKING

from textual.worker import Worker, get_current_worker

from ...core.search import parse_query
from ..messages import BEST_MATCH, RowsLoaded, View

if TYPE_CHECKING:
    from ..keys import KeyQueue
    from .library import LibraryScreen

FIRST_PAGE = 200
"""Rows shown before the whole list is read: a first frame must not wait for 100,000 ids."""
AROUND_CURSOR = 100
"""Rows read with a list's ids, either side of the cursor."""
KEYSTROKE_PAUSE = 0.01
"""Seconds a search yields before it runs, so a burst of keys shows in the key queue."""
TYPING_PAUSE = 0.15
"""Seconds without a keystroke before a search reads every match (not just a page)."""
BURST_LIMIT = 1.0
"""A search waits no longer than this for a burst of keys to end."""


def load_view(
    screen: LibraryScreen, view: View, keep_id: int | None, keys: KeyQueue | None
) -> None:
    """The first page at once, then every id of the view (see ``FIRST_PAGE``).

    A search runs once the keys on their way have arrived, so a burst (a paste,
    tmux send-keys) costs one search, not one a key: a search running in a thread
    cannot be stopped. Reading every match waits for a pause in the typing.
    """
    worker = get_current_worker()
    parsed = parse_query(view.query)
    if parsed.text and not _still_wanted(worker, keys, KEYSTROKE_PAUSE):
        return
    token = screen.service.change_token()  # writes after this are newer than the rows
    if view.starred_only:
        parsed = replace(parsed, starred=True)
    sort = None if view.order == BEST_MATCH else view.order
    if parsed.text:
        first = [hit.id for hit in screen.service.search(parsed, limit=FIRST_PAGE)]
    else:
        rows = screen.service.list(sort=view.order, filters=parsed, limit=FIRST_PAGE)
        first = [row.id for row in rows]
    complete = len(first) < FIRST_PAGE
    if not complete and (sort is None or not parsed.text):  # a prefix of the whole list
        _post_rows(screen, view, tuple(first), keep_id, token, complete=False)
    if complete and (sort is None or not parsed.text):
        ids: tuple[int, ...] = tuple(first)
    elif parsed.text:
        if not _still_wanted(worker, keys, TYPING_PAUSE):
            return  # the next keystroke has asked for another list already
        ids = screen.service.search_ids(parsed, sort=sort)
    else:
        ids = screen.service.list_ids(sort=view.order, filters=parsed)
    _post_rows(screen, view, ids, keep_id, token)


def _post_rows(
    screen: LibraryScreen,
    view: View,
    ids: tuple[int, ...],
    keep_id: int | None,
    token: int,
    *,
    complete: bool = True,
) -> None:
    """From the rows worker: the ids, with the rows around where the cursor will be."""
    try:
        index = ids.index(keep_id) if keep_id is not None else 0
    except ValueError:
        index = 0
    rows = screen.service.summaries(ids[max(0, index - AROUND_CURSOR) : index + AROUND_CURSOR])
    if not get_current_worker().is_cancelled:
        screen.post_message(RowsLoaded(view, ids, rows, keep_id, token, complete))


def _still_wanted(worker: Worker[None], keys: KeyQueue | None, pause: float) -> bool:
    """In a worker's thread: wait ``pause`` seconds, and while more keys are on their
    way (up to ``BURST_LIMIT``); False if the worker was cancelled meanwhile."""
    if pause:
        deadline = time.monotonic() + BURST_LIMIT
        time.sleep(pause)
        while keys is not None and keys.busy and time.monotonic() < deadline:
            time.sleep(pause / 5)
    return not worker.is_cancelled
