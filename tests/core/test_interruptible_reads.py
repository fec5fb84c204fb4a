"""A list's reading stops part-way once whoever asked no longer wants it (SQLite)."""

from __future__ import annotations

import pytest

from readinglist.core.database import ReadInterrupted
from readinglist.core.service import ReadingList


@pytest.fixture
def sqlite_loaded(loaded: ReadingList) -> ReadingList:
    if loaded.location.is_postgres:
        pytest.skip("a server's reads run to their end")
    return loaded


def test_a_read_stops_once_its_asker_says_so(sqlite_loaded: ReadingList):
    with pytest.raises(ReadInterrupted):
        sqlite_loaded.search_rows("", every_id=True, stop=lambda: True)
    with pytest.raises(ReadInterrupted):
        sqlite_loaded.search_rows("model", every_id=True, stop=lambda: True)


def test_an_unstopped_read_answers_as_without_a_stop(sqlite_loaded: ReadingList):
    for query in ("", "model", "is:starred", "lang"):
        plain = sqlite_loaded.search_rows(query, every_id=True, limit=50)
        watched = sqlite_loaded.search_rows(query, every_id=True, limit=50, stop=lambda: False)
        assert watched.ids == plain.ids and watched.rows == plain.rows


def test_after_a_stopped_read_the_library_reads_as_before(sqlite_loaded: ReadingList):
    before = sqlite_loaded.search_rows("model", every_id=True)
    for _ in range(3):  # each stopped connection goes back to the pool, and is used again
        with pytest.raises(ReadInterrupted):
            sqlite_loaded.search_rows("model", every_id=True, stop=lambda: True)
    assert sqlite_loaded.search_rows("model", every_id=True).ids == before.ids
    assert len(sqlite_loaded.search_rows("", every_id=True).ids) == len(sqlite_loaded.papers())
