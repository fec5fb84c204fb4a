"""Messages that workers post back to the UI thread (workers never touch widgets).

Each message class sets its fields in its own ``__init__`` rather than through
``@dataclass``: generating a dataclass's methods costs about half a millisecond a
class as the module loads, and the app's first frame loaded a dozen of them.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

from ..core.sorting import BEST_MATCH as BEST_MATCH  # a search's own order, for the screens

if TYPE_CHECKING:
    from pathlib import Path

    from ..core.models import ImportReport, PaperRecord, PaperSummary
    from .undo import Change


@dataclass(frozen=True)
class View:
    """What the list shows: the search box's text, the order, and the starred filter."""

    query: str
    order: str
    """A sort key, or ``BEST_MATCH`` for a search's own ranking."""
    starred_only: bool


class RowsLoaded(Message):
    """Every paper of a view, in order, with the rows around the cursor already read."""

    def __init__(
        self,
        view: View,
        ids: Sequence[int],
        rows: list[PaperSummary],
        keep_id: int | None,
        change_token: int,
        complete: bool = True,
        painted: threading.Event | None = None,
    ) -> None:
        super().__init__()
        self.view = view
        self.ids = ids
        self.rows = rows
        self.keep_id = keep_id
        self.change_token = change_token
        """The library's change token read before the ids: later writes are newer."""
        self.complete = complete
        """False for the first page of a long list; the whole list follows."""
        self.painted = painted
        """Set once these rows are on screen (the rest of the list is read after that)."""


class RowsFetched(Message):
    """Rows the list asked for as the reader scrolled."""

    def __init__(self, rows: list[PaperSummary], generation: int) -> None:
        super().__init__()
        self.rows = rows
        self.generation = generation


class DetailLoaded(Message):
    def __init__(self, record: PaperRecord | None) -> None:
        super().__init__()
        self.record = record


class PapersChanged(Message):
    """The reader changed papers (star, status, note), or undid a change: refresh them."""

    def __init__(
        self,
        summaries: list[PaperSummary],
        record: PaperRecord | None,
        text: str,
        change: Change | None = None,
        undone: Change | None = None,
        warning: str = "",
    ) -> None:
        super().__init__()
        self.summaries = summaries
        """The changed papers' rows as they are now."""
        self.record = record
        """The highlighted paper's record, if it was one of them."""
        self.text = text
        """News for the status line."""
        self.change = change
        """The change made, for undo (None when this was an undo)."""
        self.undone = undone
        """The change undone, if this was an undo."""
        self.warning = warning
        """Something the reader must know about it, said in a notification."""


class LibraryChanged(Message):
    """Another instance (a script, a second terminal) wrote to the library."""

    def __init__(self, change_token: int) -> None:
        super().__init__()
        self.change_token = change_token


class ImportProgress(Message):
    """An import moved on to its next file."""

    def __init__(self, name: str, done: int, total: int) -> None:
        super().__init__()
        self.name = name
        self.done = done
        self.total = total


class ListingFetchProgress(Message):
    """A fetch of the Daily Papers listing has read another page (then posts PagesImported)."""

    def __init__(self, pages: int, papers: int) -> None:
        super().__init__()
        self.pages = pages
        self.papers = papers


class PagesImported(Message):
    """An import (or a fetch) is over; ``folder``: where a page of the reader's landed
    (the import dialog opens there next time), None for a fetch or when none did."""

    def __init__(self, reports: list[ImportReport], folder: Path | None = None) -> None:
        super().__init__()
        self.reports = reports
        self.folder = folder


class StatusMessage(Message):
    """A worker's one-line news for the status line (it describes the present)."""

    def __init__(self, text: str, notice: str = "") -> None:
        super().__init__()
        self.text = text
        self.notice = notice
        """Also said in a notification, as a warning (a worker never notifies itself)."""


class ScreenshotSaved(Message):
    """The screenshot was written to ``path``, or (``error`` set) could not be."""

    def __init__(self, path: str, error: str = "") -> None:
        super().__init__()
        self.path = path
        self.error = error


class LinkCopied(Message):
    """A link was put on the system clipboard, or (``to_system`` false) could not be."""

    def __init__(self, url: str, to_system: bool) -> None:
        super().__init__()
        self.url = url
        self.to_system = to_system
