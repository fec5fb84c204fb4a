"""The orders papers are shown in: the one statement of the sort keys.

The CLI's ``--sort`` choices, the app's sort cycle and the store's ORDER BY all read
these names; a new order is added here first.
"""

from __future__ import annotations

__all__ = ["BEST_MATCH", "SORTS", "SORT_HELP", "SORT_KEYS", "STARRED"]

SORTS: tuple[str, ...] = ("date", "upvotes", "title", "added", "stars")
"""The orders a reader picks for a list, in the order the app cycles through them."""

STARRED = "starred"
"""Most recently starred first (``export --sort starred``)."""

SORT_KEYS: tuple[str, ...] = (*SORTS, STARRED)
"""Every order the store knows."""

BEST_MATCH = "best"
"""A search's own ranking, best match first (search only; not a store order)."""

SORT_HELP: dict[str, str] = {
    "date": "newest listing first",
    "upvotes": "most upvoted first",
    "title": "by title, A to Z",
    "added": "most recently imported first",
    "stars": "most code stars first",
    STARRED: "most recently starred first",
    BEST_MATCH: "best match first",
}
"""What each order means, in a few words, for help texts."""
