"""The typo vocabulary leaves out words only papers in the trash hold: such a word is
neither taken as found nor offered as a correction (SQLite and PostgreSQL; asked of the
index as a command does, and loaded whole as the app does)."""

from __future__ import annotations

import pytest

from readinglist.core.service import ReadingList
from tests.conftest import TODAY


def _noted(service: ReadingList) -> tuple[int, int]:
    """A paper that stays, and one that goes to the trash: each with its own words."""
    kept, gone = (row.id for row in service.papers(sort="title", limit=2))
    service.set_note(kept, "quokka counts near the zebrafish tank")
    service.set_note(gone, "quokkas and one zebrafishe")
    return kept, gone


def _found(service: ReadingList, query: str) -> list[int]:
    return [hit.id for hit in service.search(query, limit=None)]


@pytest.fixture
def noted(loaded: ReadingList) -> tuple[int, int]:
    return _noted(loaded)


@pytest.fixture(params=["asked", "loaded"])
def searching(request: pytest.FixtureRequest, loaded: ReadingList, noted) -> ReadingList:
    """The library with its notes, searched as a command does (fresh) or as the app does
    (every term loaded first; the deletes come after)."""
    with ReadingList(loaded.location, today=TODAY) as fresh:
        if request.param == "loaded":
            fresh.prepare_search()
        yield fresh


def test_a_word_only_a_deleted_paper_holds_is_corrected(loaded: ReadingList, noted, searching):
    kept, gone = noted
    assert _found(searching, "quokkas") == [gone]
    loaded.delete([gone])
    assert _found(searching, "quokkas") == [kept]  # "quokkas" is no word of the library now
    loaded.undelete([gone])
    assert _found(searching, "quokkas") == [gone]


def test_a_word_only_a_deleted_paper_holds_is_no_correction(loaded: ReadingList, noted, searching):
    kept, gone = noted
    loaded.delete([gone])
    assert _found(searching, "zebrafishes") == [kept]  # not "zebrafishe", one edit closer


def test_words_of_papers_deleted_for_good_leave_the_loaded_vocabulary(
    loaded: ReadingList, noted, searching
):
    kept, gone = noted
    loaded.delete([gone])
    assert _found(searching, "quokkas") == [kept]
    assert loaded.empty_trash() == 1
    assert _found(searching, "quokkas") == [kept]
    assert _found(searching, "zebrafishes") == [kept]
