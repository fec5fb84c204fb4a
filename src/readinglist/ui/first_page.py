"""The list's first page, read while the app starts (issue 20).

The app's first frame shows the first page of the list. Read by the library screen's
worker, that read began once the screen was mounted and shared the interpreter with the
painting of the frame, so the rows came a frame or two after it. ``run_app`` starts this
read on a thread of its own as soon as the library is open, for the view the screen will
open on (the remembered one), while the UI is still being imported; the screen shows the
page with its first frame when the page is read by then and is for its view, waits for it
in its worker when it is still being read, and reads its own when the view differs.

Nothing here imports Textual: the read starts before Textual is loaded.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from ..core.sorting import SORTS
from .view_memory import DEFAULT_SORT, ViewMemory

if TYPE_CHECKING:
    from ..core.search import Found
    from ..core.service import ReadingList
    from ..core.settings import Settings

__all__ = ["FIRST_PAGE", "FirstPage"]

FIRST_PAGE = 200
"""Rows shown before the whole list is read: a first frame must not wait for 100,000 ids."""


class FirstPage:
    """The first page of a list without a search, in ``order``, read on a thread of its own.

    A failed read is not raised: the screen reads the page again and reports what fails.
    """

    def __init__(self, service: ReadingList, order: str, starred_only: bool) -> None:
        self.order = order
        self.starred_only = starred_only
        self._service = service
        self._found: Found | None = None
        self._done = threading.Event()
        threading.Thread(target=self._read, name="readinglist-first-page", daemon=True).start()

    @classmethod
    def of_remembered_view(cls, service: ReadingList, settings: Settings) -> FirstPage:
        """The first page of the view the library screen opens on (``ViewMemory``)."""
        remembered = ViewMemory(settings, service.name).recall(SORTS, DEFAULT_SORT)
        return cls(service, remembered.sort, remembered.starred_only)

    def _read(self) -> None:
        try:
            self._found = self._service.search_rows(
                sort=self.order, starred_only=self.starred_only, limit=FIRST_PAGE, count=False
            )
        except Exception:  # the screen reads the page again, and says why that fails
            pass
        finally:
            self._done.set()

    def is_for(self, query: str, order: str, starred_only: bool) -> bool:
        """Whether this is the first page of that view (a search's never is)."""
        return not query and (order, starred_only) == (self.order, self.starred_only)

    @property
    def ready(self) -> bool:
        """The read has ended (``found`` says whether it succeeded)."""
        return self._done.is_set()

    def wait(self, seconds: float) -> bool:
        """In a worker's thread: wait at most ``seconds`` for the read to end."""
        return self._done.wait(seconds)

    @property
    def found(self) -> Found | None:
        """The page once read; None while it is being read or if the read failed."""
        return self._found
