"""Acting on a paper in the trash says so, with the way back, and changes nothing
(SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest

from readinglist.core.service import PaperInTrashError, ReadingList, UnknownPaperError


def _deleted(service: ReadingList) -> tuple[int, int]:
    """A paper moved to the trash, and one left in the library."""
    gone, kept = (row.id for row in service.papers(sort="title", limit=2))
    service.delete([gone])
    return gone, kept


def test_every_change_to_a_paper_in_the_trash_names_the_trash(loaded: ReadingList):
    gone, kept = _deleted(loaded)
    said = rf"^paper {gone} is in the trash \(readinglist undelete {gone}\)$"
    for change in (
        lambda: loaded.get(gone),
        lambda: loaded.star([gone]),
        lambda: loaded.star([gone], False),
        lambda: loaded.set_note(gone, "x"),
        lambda: loaded.set_status(gone, "read"),
        lambda: loaded.cycle_status(gone),
        lambda: loaded.set_statuses({gone: "read", kept: "read"}),
        lambda: loaded.tag([kept, gone], "thesis"),
        lambda: loaded.tag([gone], "thesis", False),
    ):
        with pytest.raises(PaperInTrashError, match=said):
            change()
    assert loaded.get(kept).status == "unread"
    assert loaded.tag_counts() == []
    loaded.undelete([gone])
    [record] = loaded.records([gone])
    assert (record.starred, record.note, record.status, record.tags) == (False, "", "unread", ())


def test_tags_and_status_never_reach_a_paper_in_the_trash(loaded: ReadingList):
    gone, _kept = _deleted(loaded)
    with pytest.raises(UnknownPaperError):
        loaded.tag([gone], "later")
    with pytest.raises(UnknownPaperError):
        loaded.set_statuses({gone: "reading"})
    loaded.undelete([gone])
    assert loaded.get(gone).tags == () and loaded.get(gone).status == "unread"
    assert loaded.search_rows("tag:later").total == 0


def test_unknown_and_trashed_ids_are_told_apart(loaded: ReadingList):
    gone, kept = _deleted(loaded)
    with pytest.raises(UnknownPaperError) as caught:
        loaded.star([kept, gone, 424242, 424243])
    assert not isinstance(caught.value, PaperInTrashError)
    assert str(caught.value) == (
        f"no papers with ids 424242, 424243; paper {gone} is in the trash "
        f"(readinglist undelete {gone})"
    )


def test_deleting_or_restoring_twice_says_where_the_paper_is(loaded: ReadingList):
    gone, kept = _deleted(loaded)
    with pytest.raises(PaperInTrashError) as caught:
        loaded.delete([gone, kept])
    assert str(caught.value) == f"paper {gone} is in the trash already; nothing was deleted"
    assert loaded.get(kept).id == kept
    with pytest.raises(UnknownPaperError) as restoring:
        loaded.undelete([gone, kept, 424242])
    assert str(restoring.value) == (
        f"no paper with id 424242; paper {kept} is not in the trash; nothing was restored"
    )
    assert [paper.id for paper in loaded.trash()] == [gone]
