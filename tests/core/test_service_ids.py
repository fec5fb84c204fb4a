"""The id lists the TUI scrolls through: every paper of a view, in its order, cheaply."""

from __future__ import annotations

from readinglist.core.search import parse_query
from readinglist.core.service import ReadingList


def test_list_ids_are_the_list_in_its_order(loaded: ReadingList):
    for sort in ("date", "upvotes", "title", "added"):
        assert loaded.list_ids(sort=sort) == tuple(row.id for row in loaded.list(sort=sort))
    filters = parse_query("has:code")
    assert loaded.list_ids(filters=filters) == tuple(row.id for row in loaded.list(filters=filters))


def test_search_ids_are_every_match_best_first_or_sorted(loaded: ReadingList):
    every = [hit.id for hit in loaded.search("language model", limit=None)]
    assert len(every) > 20
    assert loaded.search_ids("language model") == tuple(every)
    by_date = loaded.search_ids("language model", sort="date")
    assert sorted(by_date) == sorted(every)
    assert by_date == tuple(row.id for row in loaded.list(sort="date") if row.id in set(every))
    assert loaded.search_ids("is:starred language") == ()
    assert loaded.search_ids("zzzqqq") == ()
