"""A library opened through a wrapper that counts the store calls the service makes.

Each store call is at least one database round trip, so a test can say how many a
question costs through the service's own boundary (``ReadingList(store=...)``),
without reaching into the service.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from readinglist.core.location import LibraryLocation
from readinglist.core.service import ReadingList
from readinglist.core.storage import open_store
from readinglist.core.storage.store import Store
from tests.conftest import TODAY

NOT_ROUND_TRIPS = frozenset({"interruptible"})  # sets how this thread's reads go, no more


class CountingStore:
    """Passes every call on to ``store``, and remembers the name of each that reads or
    writes."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._store, name)
        if not callable(value) or name in NOT_ROUND_TRIPS:
            return value

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls.append(name)
            return value(*args, **kwargs)

        return counted

    def during(self, action: Callable[[], object]) -> Counter[str]:
        """The calls ``action`` made, by name."""
        self.calls.clear()
        action()
        return Counter(self.calls)


def counted_library(location: str) -> tuple[ReadingList, CountingStore]:
    """The library at ``location``, opened again, its store calls counted."""
    parsed = LibraryLocation.parse(location)
    store = CountingStore(open_store(parsed))
    return ReadingList(parsed, today=TODAY, store=store), store  # type: ignore[arg-type]
