"""``search_rows``: the one question the CLI and the TUI ask of a list or a search.

A window of rows in the view's order, the true count, and (for a front end holding a
whole view) every id in order; the rounds trips a keystroke costs are counted through
the service's store boundary.
"""

from __future__ import annotations

import pytest

from readinglist.core.query import parse_query
from readinglist.core.service import ReadingList
from tests.core.counting import CountingStore


def ids_of(rows) -> list[int]:
    return [row.id for row in rows]


def test_a_list_is_a_window_of_its_rows_with_the_true_count(loaded: ReadingList):
    for sort in ("date", "upvotes", "title", "added"):
        whole = loaded.search_rows(sort=sort, every_id=True)
        assert whole.total == loaded.count() == len(whole.ids) == len(whole.rows)
        assert ids_of(whole.rows) == list(whole.ids) == ids_of(loaded.papers(sort=sort))
        page = loaded.search_rows(sort=sort, limit=20, offset=30)
        assert ids_of(page.rows) == list(whole.ids[30:50])
        assert page.total == loaded.count() and page.offset == 30
    coded = loaded.search_rows("has:code", sort="upvotes", limit=5)
    assert coded.total == loaded.count("has:code") and len(coded.rows) == 5
    assert all(row.link_count for row in coded.rows)
    starred = loaded.search_rows(starred_only=True)
    assert starred.rows == [] and starred.total == 0


def test_a_search_is_its_best_matches_with_the_count_of_every_match(loaded: ReadingList):
    every = [hit.id for hit in loaded.search("language model", limit=None)]
    assert len(every) > 20
    found = loaded.search_rows("language model", limit=20)
    assert ids_of(found.rows) == every[:20] and found.total == len(every)
    assert loaded.search_rows("language model", every_id=True, limit=0).ids == tuple(every)
    by_date = loaded.search_rows("language model", sort="date", every_id=True, limit=3)
    assert sorted(by_date.ids) == sorted(every)
    in_date_order = [pid for pid in loaded.search_rows(sort="date", every_id=True).ids]
    assert list(by_date.ids) == [pid for pid in in_date_order if pid in set(every)]
    assert ids_of(by_date.rows) == list(by_date.ids[:3])
    assert loaded.search_rows("is:starred language").total == 0
    assert loaded.search_rows("zzzqqq").rows == []


@pytest.mark.parametrize(
    "query",
    [
        "language",
        "language model",
        "langauge modle",  # typos: titles starting as meant count too
        "lan",  # short words: title prefixes and whole words anywhere
        "la mo",
        "vit",
        "attention is all you need",  # titles starting with the query
        "bert pre training",
        "zzzq language",  # no paper has both: any word
        "is:unstarred language",
        "l",
    ],
)
def test_the_count_is_every_match_counted_not_read(loaded: ReadingList, query: str):
    """The CLI's search counts its matches in the index instead of reading each one."""
    every = loaded.search(query, limit=None)
    found = loaded.search_rows(query, limit=3)
    assert found.total == len(every), query
    assert ids_of(found.rows) == [hit.id for hit in every[:3]]


def test_a_first_page_counts_only_when_it_reaches_the_end(loaded: ReadingList):
    """The TUI's first page at once: counting every match would cost the whole search."""
    page = loaded.search_rows("language", limit=5, count=False)
    assert len(page.rows) == 5 and page.total is None
    whole = loaded.search_rows("language", limit=1000, count=False)
    assert whole.total == len(whole.rows) > 5
    assert ids_of(whole.rows)[:5] == ids_of(page.rows)  # a prefix of the whole answer
    listed = loaded.search_rows(limit=5, count=False)
    assert len(listed.rows) == 5 and listed.total is None


def test_the_window_comes_around_the_paper_asked_for(loaded: ReadingList):
    ids = loaded.search_rows(sort="title", every_id=True, limit=0).ids
    found = loaded.search_rows(sort="title", limit=10, around=ids[100], every_id=True)
    assert ids_of(found.rows) == list(ids[95:105]) and found.offset == 95
    gone = loaded.search_rows(sort="title", limit=10, around=999_999)
    assert ids_of(gone.rows) == list(ids[:10])  # not in the view: from the top


# On PostgreSQL the change token counts every commit on the server's channel: on a
# shared test server, other tests' writes would empty the row cache at random.
@pytest.mark.sqlite_only
def test_a_keystroke_costs_a_few_round_trips(counted: tuple[ReadingList, CountingStore]):
    """The TUI's keystroke: the first page, then every id with the rows around the
    cursor; the CLI's search: one page and the count. Each is one service call, and
    a handful of store calls (it was up to seven, then six more; a short word, one
    more: ``search._also_anywhere``)."""
    library, store = counted
    library.prepare_search()  # as the app does, in the background
    for typed in ("l", "la", "lan", "language", "language mod", "langauge", "handwriten docs"):
        parsed = parse_query(typed)
        first = store.during(lambda p=parsed: library.search_rows(p, limit=200, count=False))
        every = store.during(lambda p=parsed: library.search_rows(p, limit=200, every_id=True))
        assert first["change_token"] == every["change_token"] == 1, typed
        # a short word whose titles do not fill a page asks once more: its start anywhere
        most = 6 if len(typed) < 5 else 5
        assert first.total() <= most and every.total() <= most, (typed, first, every)
        assert "vocabulary" not in first + every
    listed = store.during(lambda: library.search_rows(sort="date", limit=20))
    assert listed == {"change_token": 1, "summaries": 1, "count": 1}
    searched = store.during(lambda: library.search_rows("language", limit=20))
    assert searched["count_matches"] and searched.total() <= 7, searched  # counted, not read


@pytest.mark.sqlite_only
def test_rows_are_kept_between_keystrokes_until_anyone_writes(
    counted: tuple[ReadingList, CountingStore], library_location: str
):
    library, store = counted
    found = library.search_rows("language", limit=10)
    ids = ids_of(found.rows)
    assert store.during(lambda: library.summaries(ids[::-1])) == {"change_token": 1}
    library.star([ids[0]])
    assert library.summaries(ids)[0].starred  # our own write
    with ReadingList(library_location) as other:
        other.set_note(ids[1], "from another instance")
    assert library.summaries(ids)[1].has_note  # another instance's
    assert library.summaries([ids[3], 999_999]) == [found.rows[3]]  # unknown ids are skipped
