"""What the typo vocabulary leaves out: the terms only papers in the trash hold.

The full-text index keeps a paper in the trash (it comes back whole), so the terms it
reports count such papers too. Their terms are read apart, from the trash alone (a few
papers, one index range), and taken off the index's counts (``Vocabulary.leave_out``);
they are read again only when the trash changed, never the whole vocabulary.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .storage.store import Store

__all__ = ["TrashTerms"]


class TrashTerms:
    """The terms papers in the trash hold, with how many hold each. Thread-safe."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._token: int | None = None  # the change token the trash was last checked at
        self._signature: tuple[Any, ...] | None = None
        self._ids: list[int] = []
        self._terms: dict[str, int] = {}

    def terms(self, token: int, *, gone_for_good: Callable[[], None]) -> dict[str, int]:
        """The terms as of change token ``token``: checked once a token, read again only
        when the trash changed (``Store.trash_signature``). The same dict until then.

        ``gone_for_good`` is called when papers that were in the trash are deleted for
        good: terms loaded before then still count them, and must be read again.
        """
        with self._lock:
            if token == self._token:
                return self._terms
            signature = self._store.trash_signature()
            if signature != self._signature:
                ids, self._terms = self._store.trash_words() if signature[0] else ([], {})
                gone = sorted(set(self._ids) - set(ids))
                if gone and len(self._store.titles(gone)) < len(gone):
                    gone_for_good()
                self._ids, self._signature = ids, signature
            self._token = token
            return self._terms
