"""Messages that workers post back to the UI thread (workers never touch widgets)."""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from ..core.sorting import BEST_MATCH as BEST_MATCH  # a search's own order, for the screens

if TYPE_CHECKING:
    from ..core.models import ImportReport, PaperRecord, PaperSummary
    from .undo import Change


@dataclass(frozen=True)
class View:
    """What the list shows: the search box's text, the order, and the starred filter."""

    query: str
    order: str
    """A sort key, or ``BEST_MATCH`` for a search's own ranking."""
    starred_only: bool


@dataclass
class RowsLoaded(Message):
    """Every paper of a view, in order, with the rows around the cursor already read."""

    view: View
    ids: Sequence[int]
    rows: list[PaperSummary]
    keep_id: int | None
    change_token: int
    """The library's change token read before the ids: later writes are newer."""
    complete: bool = True
    """False for the first page of a long list; the whole list follows."""
    painted: threading.Event | None = None
    """Set once these rows are on screen (the rest of the list is read after that)."""


@dataclass
class RowsFetched(Message):
    """Rows the list asked for as the reader scrolled."""

    rows: list[PaperSummary]
    generation: int


@dataclass
class DetailLoaded(Message):
    record: PaperRecord | None


@dataclass
class PapersChanged(Message):
    """The reader changed papers (star, status, note), or undid a change: refresh them."""

    summaries: list[PaperSummary]
    """The changed papers' rows as they are now."""
    record: PaperRecord | None
    """The highlighted paper's record, if it was one of them."""
    text: str
    """News for the status line."""
    change: Change | None = None
    """The change made, for undo (None when this was an undo)."""
    undone: Change | None = None
    """The change undone, if this was an undo."""
    warning: str = ""
    """Something the reader must know about it, said in a notification."""


@dataclass
class LibraryChanged(Message):
    """Another instance (a script, a second terminal) wrote to the library."""

    change_token: int


@dataclass
class ImportProgress(Message):
    """An import moved on to its next file."""

    name: str
    done: int
    total: int


@dataclass
class ListingFetchProgress(Message):
    """A fetch of the Daily Papers listing has read another page (then posts PagesImported)."""

    pages: int
    papers: int


@dataclass
class PagesImported(Message):
    reports: list[ImportReport]


@dataclass
class StatusMessage(Message):
    """A worker's one-line news for the status line (it describes the present)."""

    text: str
    notice: str = ""
    """Also said in a notification, as a warning (a worker never notifies itself)."""


@dataclass
class ScreenshotSaved(Message):
    """The screenshot was written to ``path``, or (``error`` set) could not be."""

    path: str
    error: str = ""


@dataclass
class LinkCopied(Message):
    """A link was put on the system clipboard, or (``to_system`` false) could not be."""

    url: str
    to_system: bool
