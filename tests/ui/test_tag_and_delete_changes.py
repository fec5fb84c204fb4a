"""Tag and delete undo steps reverted through the service, on SQLite and PostgreSQL (no
app needed)."""

from __future__ import annotations

import pytest

from readinglist.core.service import ReadingList, UnknownPaperError
from readinglist.ui.undo import DeleteChange, TagChange


def first_ids(service: ReadingList, count: int) -> list[int]:
    return [row.id for row in service.papers(sort="title", limit=count)]


def tags(service: ReadingList, ids: list[int]) -> list[tuple[str, ...]]:
    found = service.tags_of(ids)
    return [found.get(pid, ()) for pid in ids]


def test_a_tag_change_takes_tags_off_only_where_it_added_them(loaded: ReadingList):
    ids = first_ids(loaded, 3)
    loaded.tag(ids[:1], "llm")
    loaded.tag(ids, "old")
    change = TagChange({"llm": tuple(ids[1:]), "rl": tuple(ids)}, {"old": tuple(ids)})
    loaded.tag(ids, "llm")
    loaded.tag(ids, "rl")
    loaded.tag(ids, "old", False)
    assert change.description == (
        "added tags “llm”, “rl” to 3 papers, removed tag “old” from 3 papers"
    )
    assert change.paper_ids == tuple(sorted(ids))
    change.revert(loaded)
    assert tags(loaded, ids) == [("llm", "old"), ("old",), ("old",)]


def test_a_delete_change_brings_papers_back_with_all_they_had(loaded: ReadingList):
    ids = first_ids(loaded, 2)
    loaded.star(ids[:1])
    loaded.tag(ids, "keep")
    loaded.set_note(ids[1], "mine")
    change = DeleteChange(tuple(ids))
    loaded.delete(ids)
    assert change.description == "deleted 2 papers"
    assert change.revert(loaded).paper_ids == tuple(ids)
    assert [loaded.get(pid).starred for pid in ids] == [True, False]
    assert tags(loaded, ids) == [("keep",), ("keep",)] and loaded.get(ids[1]).note == "mine"
    assert loaded.trash() == []


def test_undoing_a_delete_whose_papers_left_the_trash_is_an_error(loaded: ReadingList):
    ids = first_ids(loaded, 1)
    loaded.delete(ids)
    loaded.empty_trash()
    with pytest.raises(UnknownPaperError):
        DeleteChange(tuple(ids)).revert(loaded)
