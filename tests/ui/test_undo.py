"""The u key: undo star, status and note changes of this session, several steps back."""

from __future__ import annotations

from textual.widgets._toast import Toast

from readinglist.ui.screens.note_editor import NoteEditor
from tests.ui.conftest import burst, highlighted, listed, settle, status, wait_for

SIZE = (120, 36)


def toasts(app) -> list[str]:
    """The notifications on screen, as the reader sees them (the app runs with them)."""
    return [str(toast.render()) for toast in app.screen.query(Toast)]


async def test_u_undoes_a_star_and_says_so(make_app):
    app = make_app()
    service = app.service
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        first = highlighted(app)
        await pilot.press("s")
        await wait_for(pilot, lambda: service.get(first).starred)
        await pilot.press("u")
        await wait_for(pilot, lambda: "Undid: starred 1 paper" in toasts(app))
        assert not service.get(first).starred and not listed(app)[0].starred
        assert "Undid: starred 1 paper" in status(app)


async def test_u_goes_several_steps_back_then_says_there_is_nothing(make_app):
    app = make_app()
    service = app.service
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        marked = [row.id for row in listed(app)[:3]]
        await pilot.press("space", "space", "space", "s", "r")
        await wait_for(pilot, lambda: "Marked 3 papers as reading" in status(app))
        await pilot.press("escape", "j", "s")  # unmarked: the highlighted paper only
        single = highlighted(app)
        await wait_for(pilot, lambda: service.get(single).starred)
        await pilot.press("u")
        await wait_for(pilot, lambda: "Undid: starred 1 paper" in toasts(app))
        assert not service.get(single).starred
        assert all(service.get(pid).status == "reading" for pid in marked)
        await pilot.press("u")
        await wait_for(pilot, lambda: "Undid: marked 3 papers as reading" in toasts(app))
        assert all(service.get(pid).status == "unread" for pid in marked)
        assert all(service.get(pid).starred for pid in marked)
        await pilot.press("u")
        await wait_for(pilot, lambda: "Undid: starred 3 papers" in toasts(app))
        assert not any(service.get(pid).starred for pid in marked)
        await pilot.press("u")
        await wait_for(pilot, lambda: "Nothing to undo in this session." in toasts(app))


async def test_undo_puts_back_each_papers_own_star_and_status(make_app):
    app = make_app()
    service = app.service
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        ids = [row.id for row in listed(app)[:3]]
        service.star([ids[1]])
        service.set_status(ids[2], "read")
        await pilot.press("space", "space", "space", "s", "r")
        await wait_for(pilot, lambda: "Marked 3 papers as reading" in status(app))
        assert [service.get(pid).status for pid in ids] == ["reading"] * 3
        await pilot.press("u", "u")
        await wait_for(pilot, lambda: "Undid: starred 3 papers" in toasts(app))
        assert [service.get(pid).starred for pid in ids] == [False, True, False]
        assert [service.get(pid).status for pid in ids] == ["unread", "unread", "read"]


async def test_a_fast_s_then_u_undoes_that_star(make_app):
    app = make_app()
    service = app.service
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        first = highlighted(app)
        burst(app, "s", "u")
        await wait_for(pilot, lambda: "Undid: starred 1 paper" in toasts(app))
        await settle(app, pilot)
        assert not service.get(first).starred


async def test_undo_of_a_status_cycle(make_app):
    app = make_app()
    service = app.service
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        first = highlighted(app)
        await pilot.press("r", "r")
        await wait_for(pilot, lambda: service.get(first).status == "read")
        await pilot.press("u")
        await wait_for(pilot, lambda: "Undid: marked 1 paper as read" in toasts(app))
        assert service.get(first).status == "reading"
        assert listed(app)[0].status == "reading"


async def edit_note(app, pilot, *keys: str) -> None:
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
    await pilot.press(*keys, "ctrl+s")
    await wait_for(pilot, lambda: not isinstance(app.screen, NoteEditor))
    await settle(app, pilot)


async def test_undo_restores_the_previous_note_exactly(make_app):
    app = make_app()
    service = app.service
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        first = highlighted(app)
        previous = "First thoughts:\n  - [b]indented[/b] point\n\nlast line  "
        service.set_note(first, previous)
        await pilot.press("j", "k")  # the detail reads the note again
        await settle(app, pilot)
        await edit_note(app, pilot, "ctrl+a", "x")
        assert service.get(first).note != previous
        await pilot.press("u")
        await wait_for(pilot, lambda: any("Undid: edited the note of" in t for t in toasts(app)))
        assert service.get(first).note == previous
        assert app.screen.current.note == previous  # the detail pane shows it


async def test_undo_of_a_first_note_empties_it_again(make_app):
    app = make_app()
    service = app.service
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        first = highlighted(app)
        await edit_note(app, pilot, *"new note")
        assert service.get(first).note == "new note" and listed(app)[0].has_note
        await pilot.press("u")
        await wait_for(pilot, lambda: any("Undid: edited the note" in t for t in toasts(app)))
        assert service.get(first).note == "" and not listed(app)[0].has_note


async def test_undo_never_erases_a_note_another_reader_saved_since(make_app):
    app = make_app()
    service = app.service
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        first = highlighted(app)
        await edit_note(app, pilot, *"mine")
        service.set_note(first, "theirs, saved from another terminal")  # another process
        await pilot.press("u")
        await wait_for(pilot, lambda: any("Someone else saved this note" in t for t in toasts(app)))
        note = service.get(first).note
        assert "theirs, saved from another terminal" in note
        assert "mine" not in note  # our edit is undone; theirs is kept


async def test_undo_in_the_starred_view_brings_the_paper_back(make_app):
    app = make_app()
    service = app.service
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        first = highlighted(app)
        await pilot.press("s", "f")
        await settle(app, pilot)
        await pilot.press("s")  # unstarred: it leaves the starred view
        await wait_for(pilot, lambda: listed(app) == [])
        await pilot.press("u")
        await wait_for(pilot, lambda: [row.id for row in listed(app)] == [first])
        assert service.get(first).starred


async def test_a_read_only_library_offers_no_undo(make_app, monkeypatch):
    import os

    from readinglist.core.service import ReadingList
    from readinglist.core.settings import Settings
    from readinglist.ui.app import ReadingListApp

    app = make_app()
    db = app.service.db_path
    app.service.close()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: False if mode == os.W_OK else real_access(path, mode)
    )
    service = ReadingList(db)
    app = ReadingListApp(service, settings=Settings(db.with_suffix(".json")))
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            assert "u" not in app.screen.active_bindings
            await pilot.press("space", "u")  # marking still works: it writes nothing
            await settle(app, pilot)
            assert "1 marked" in status(app)
            assert not any("undo" in text.lower() for text in toasts(app))
    finally:
        service.close()
