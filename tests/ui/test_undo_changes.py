"""Undo steps reverted through the service, on SQLite and PostgreSQL (no app needed)."""

from __future__ import annotations

import pytest

from readinglist.core.service import ReadingList
from readinglist.ui.undo import CannotUndo, NoteChange, StarChange, StatusChange, UndoStack


def first_ids(service: ReadingList, count: int) -> list[int]:
    return [row.id for row in service.papers(sort="title", limit=count)]


def test_star_change_puts_back_each_papers_star(loaded: ReadingList):
    ids = first_ids(loaded, 3)
    loaded.star([ids[0]])
    change = StarChange({pid: loaded.get(pid).starred for pid in ids}, starred=True)
    loaded.star(ids)
    assert change.description == "starred 3 papers"
    change.revert(loaded)
    assert [loaded.get(pid).starred for pid in ids] == [True, False, False]


def test_status_change_puts_back_each_papers_status(loaded: ReadingList):
    ids = first_ids(loaded, 2)
    loaded.set_status(ids[1], "read")
    change = StatusChange({pid: loaded.get(pid).status for pid in ids}, "reading")
    loaded.set_statuses(dict.fromkeys(ids, "reading"))
    assert change.description == "marked 2 papers as reading"
    change.revert(loaded)
    assert [loaded.get(pid).status for pid in ids] == ["unread", "read"]


def test_note_change_restores_over_the_saved_text_only(loaded: ReadingList):
    [paper_id] = first_ids(loaded, 1)
    loaded.set_note(paper_id, "before\n  kept as is")
    saved = loaded.set_note(paper_id, "after", base="before\n  kept as is")
    change = NoteChange(paper_id, "[b]A title[/b]", "before\n  kept as is", saved.note)
    assert change.revert(loaded).warning == ""
    assert loaded.get(paper_id).note == "before\n  kept as is"
    loaded.set_note(paper_id, "after again", base="before\n  kept as is")
    again = NoteChange(paper_id, "t", "before\n  kept as is", "after again")
    loaded.set_note(paper_id, "another reader's")  # saved since
    reverted = again.revert(loaded)
    assert reverted.warning and "another reader's" in loaded.get(paper_id).note


def test_a_merged_note_save_cannot_be_undone(loaded: ReadingList):
    [paper_id] = first_ids(loaded, 1)
    with pytest.raises(CannotUndo, match="both versions"):
        NoteChange(paper_id, "t", None, "merged").revert(loaded)


def test_a_note_change_names_its_paper_shortened_and_as_plain_text():
    change = NoteChange(1, "\x1b]52;c;aGk=\x07" + "x" * 80, "", "n")
    assert "\x1b" not in change.description and "\x07" not in change.description
    assert len(change.description) < 70 and change.description.endswith("…”")


def test_undo_stack_is_newest_first_and_bounded():
    stack = UndoStack(limit=2)
    for n in range(3):
        stack.push(StarChange({n: False}, True))
    assert len(stack) == 2
    popped = [stack.pop(), stack.pop(), stack.pop()]
    assert [change.paper_ids if change else None for change in popped] == [(2,), (1,), None]
