"""List rows carry their paper's tags, read once per page of rows (not once a row), on
SQLite and PostgreSQL, and stay current when a tag changes."""

from __future__ import annotations

import pytest

from readinglist.core.service import ReadingList
from tests.core.counting import CountingStore


def test_rows_carry_their_tags_in_every_read(loaded: ReadingList):
    ids = [row.id for row in loaded.papers(limit=5)]
    loaded.tag(ids[:3], "thesis")
    loaded.tag([ids[1]], "Bert")
    expected = {ids[0]: ("thesis",), ids[1]: ("bert", "thesis"), ids[2]: ("thesis",)}

    def tags(rows) -> dict[int, tuple[str, ...]]:
        return {row.id: row.tags for row in rows if row.tags}

    assert tags(loaded.papers(limit=5)) == expected  # a first page
    assert tags(loaded.summaries(ids[::-1])) == expected  # rows asked for by id
    whole = loaded.search_rows(limit=10, around=ids[1], every_id=True)
    assert tags(whole.rows) == expected
    assert tags(loaded.papers(filters=None, sort="title")) == expected
    assert {row.id for row in loaded.search_rows("tag:thesis", limit=None).rows} == set(ids[:3])
    loaded.tag([ids[1]], "thesis", tagged=False)
    assert loaded.summaries([ids[1]])[0].tags == ("bert",)  # not a stale cached row
    assert loaded.summaries([ids[4]])[0].tags == ()


def test_a_page_of_rows_reads_the_tags_once(
    counted: tuple[ReadingList, CountingStore], monkeypatch: pytest.MonkeyPatch
):
    library, store = counted
    every = [row.id for row in library.papers(limit=60)]
    library.tag(every[::2], "many")
    real = store._store
    asked: list[int] = []
    read_tags = real.tags_of

    def counting_tags_of(paper_ids):
        asked.append(len(paper_ids))
        return read_tags(paper_ids)

    monkeypatch.setattr(real, "tags_of", counting_tags_of)
    rows = library.papers(limit=60)
    assert len(asked) == 1 and sum(1 for row in rows if row.tags == ("many",)) == 30
    library.tag([every[1]], "other")
    asked.clear()
    fetched = library.summaries(every)
    assert len(asked) == 1 and asked[0] == len(every)
    assert fetched[1].tags == ("other",)
