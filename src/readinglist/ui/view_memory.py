"""What the app remembers between runs: the sort, the starred-only view, and the paper
last highlighted in each library, kept in the settings file.

The sort and the filter are written when they change (rarely); the highlighted paper
by the screen's two-second poll, if it moved, and when the screen closes, so moving
through the list never writes a file a key. What the settings file holds is
checked before use: a value of the wrong kind is ignored, never fatal.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from ..core.settings import Settings

DEFAULT_SORT = "date"
"""The list's order when none is remembered: newest listing first."""
SORT_KEY = "sort"
STARRED_ONLY_KEY = "starred_only"
LAST_PAPER_KEY = "last_paper"
"""The last highlighted paper's id, by library (ids mean nothing in another library)."""


class RememberedView(NamedTuple):  # not a frozen dataclass: a tenth of its import cost
    sort: str
    starred_only: bool
    paper_id: int | None


class ViewMemory:
    """The remembered view of one library, read from and written to ``settings``."""

    def __init__(
        self,
        settings: Settings | None,
        library: str,
        save: Callable[[str, Any], None] | None = None,
    ) -> None:
        """
        Args:
            settings: The app's settings (None: remember nothing, as in some tests).
            library: The library's name, which keys the last highlighted paper.
            save: Writes one setting: the app's ``save_setting``, which writes the file
                in a worker, off the event loop (by default ``settings.set``, which
                writes it at once: for tests without an app).
        """
        self._settings = settings
        self._library = library
        self._save = save or (settings.set if settings is not None else None)
        self._paper_id: int | None = None

    def recall(self, sorts: Sequence[str], default_sort: str) -> RememberedView:
        """The view as it was left (the defaults for anything not remembered)."""
        settings = self._settings
        if settings is None:
            return RememberedView(default_sort, False, None)
        sort = settings.get(SORT_KEY)
        starred_only = settings.get(STARRED_ONLY_KEY)
        paper_id = self._last_papers().get(self._library)
        return RememberedView(
            sort if sort in sorts else default_sort,
            starred_only if isinstance(starred_only, bool) else False,
            paper_id if isinstance(paper_id, int) and not isinstance(paper_id, bool) else None,
        )

    def remember_view(self, sort: str, starred_only: bool) -> None:
        if self._save is not None:
            self._save(SORT_KEY, sort)
            self._save(STARRED_ONLY_KEY, starred_only)

    def highlighted(self, paper_id: int | None) -> None:
        """The list's cursor is on ``paper_id`` (None, an empty view, changes nothing)."""
        if paper_id is not None:
            self._paper_id = paper_id

    def save_paper(self, *, now: bool = False) -> None:
        """Write the highlighted paper, if it is not the one written already (``now``:
        in this thread, as the app closes, not in a worker that may not run)."""
        if self._settings is None or self._save is None or self._paper_id is None:
            return
        papers = self._last_papers()
        if papers.get(self._library) != self._paper_id:
            save = self._settings.set if now else self._save
            save(LAST_PAPER_KEY, {**papers, self._library: self._paper_id})

    def _last_papers(self) -> dict[str, Any]:
        assert self._settings is not None
        papers = self._settings.get(LAST_PAPER_KEY)
        return papers if isinstance(papers, dict) else {}
