"""Marks: the papers the reader picked with ``space`` to act on together.

Marks are paper ids, not rows or positions, so they hold through scrolling, searching
and re-sorting (the list itself holds ids and reads rows lazily). While any paper is
marked, star and status act on every marked paper; otherwise on the highlighted one.
"""

from __future__ import annotations

from collections.abc import Iterator


class Marks:
    """The marked paper ids, in the order they were marked."""

    def __init__(self) -> None:
        self._ids: dict[int, None] = {}

    def toggle(self, paper_id: int) -> bool:
        """Mark ``paper_id``, or unmark it if it was marked; returns whether it is now."""
        if paper_id in self._ids:
            del self._ids[paper_id]
            return False
        self._ids[paper_id] = None
        return True

    def clear(self) -> int:
        """Unmark every paper; returns how many were marked."""
        count = len(self._ids)
        self._ids.clear()
        return count

    @property
    def ids(self) -> list[int]:
        return list(self._ids)

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self._ids

    def __len__(self) -> int:
        return len(self._ids)

    def __iter__(self) -> Iterator[int]:
        return iter(self._ids)
