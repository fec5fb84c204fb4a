"""The d key: delete to the trash (the highlighted or the marked papers), and u to bring
them back; on SQLite and PostgreSQL (the ``loaded`` library runs on both)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette

from readinglist.core.service import ReadingList
from readinglist.core.settings import Settings
from readinglist.ui.app import ReadingListApp
from readinglist.ui.screens.tag_dialog import TagDialog
from readinglist.ui.widgets.paper_list import PaperList
from tests.ui.conftest import burst, highlighted, notices, settle, status, wait_for, wait_for_notice

SIZE = (120, 36)


def listed_ids(app) -> list[int]:
    return list(app.screen.query_one(PaperList).ids)


def palette_titles(app) -> set[str]:
    """The titles of the commands the open palette lists."""
    options = app.screen.query_one(CommandList)
    return {
        str(options.get_option_at_index(i).prompt).split("\n")[0]
        for i in range(options.option_count)
    }


def trash_ids(service: ReadingList) -> set[int]:
    return {record.id for record in service.trash()}


async def test_d_deletes_the_highlighted_paper_and_u_brings_it_back(app):
    service = app.service
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        before = listed_ids(app)
        await pilot.press("j")
        await settle(app, pilot)
        second = highlighted(app)
        service.star([second])
        await pilot.press("d")
        await wait_for_notice(pilot, "Deleted 1 paper — u to undo")
        await wait_for(pilot, lambda: second not in listed_ids(app))
        await settle(app, pilot)
        assert trash_ids(service) == {second}
        assert listed_ids(app) == [pid for pid in before if pid != second]
        assert highlighted(app) == before[2]  # the cursor is on the next paper
        assert f"{len(before) - 1:,} papers" in status(app)
        await pilot.press("u")
        await wait_for_notice(pilot, "Undid: deleted 1 paper")
        await wait_for(pilot, lambda: listed_ids(app) == before)
        await settle(app, pilot)
        assert highlighted(app) == second and trash_ids(service) == set()
        assert service.get(second).starred  # back with what it had


async def test_d_deletes_every_marked_paper_and_clears_their_marks(app):
    service = app.service
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        before = listed_ids(app)
        await pilot.press("space", "j", "space", "space")  # space moves down
        await wait_for(pilot, lambda: "3 marked" in status(app))
        marked = {before[0], before[2], before[3]}
        await pilot.press("d")
        await wait_for_notice(pilot, "Deleted 3 papers — u to undo")
        await wait_for(pilot, lambda: not marked & set(listed_ids(app)))
        await settle(app, pilot)
        assert trash_ids(service) == marked
        assert "marked" not in status(app)
        await pilot.press("u")
        await wait_for_notice(pilot, "Undid: deleted 3 papers")
        await wait_for(pilot, lambda: listed_ids(app) == before)
        assert trash_ids(service) == set()


async def test_u_undoes_a_delete_then_a_tag_then_a_star_newest_first(app):
    service = app.service
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        first = highlighted(app)
        await pilot.press("s")
        await wait_for(pilot, lambda: service.get(first).starred)
        await pilot.press("t")
        await wait_for(pilot, lambda: isinstance(app.screen, TagDialog))
        await settle(app, pilot)
        await pilot.press(*"later", "enter")
        await wait_for(pilot, lambda: service.tags_of([first]) == {first: ("later",)})
        await pilot.press("d")
        await wait_for(pilot, lambda: trash_ids(service) == {first})
        for undone in ("deleted 1 paper", "added tag “later” to 1 paper", "starred 1 paper"):
            await pilot.press("u")
            await wait_for_notice(pilot, f"Undid: {undone}")
        await settle(app, pilot)
        assert trash_ids(service) == set() and service.tags_of([first]) == {}
        assert not service.get(first).starred


async def test_a_delete_that_fails_changes_nothing_and_says_so(app):
    """A marked paper someone else deleted meanwhile: nothing is deleted, an error says why,
    and there is no step to undo."""
    service = app.service
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        ids = listed_ids(app)[:2]
        await pilot.press("space", "space")
        await wait_for(pilot, lambda: "2 marked" in status(app))
        service.delete(ids[1:])  # another terminal
        await pilot.press("d")
        await wait_for_notice(pilot, "nothing was deleted", severity="error")
        assert trash_ids(service) == {ids[1]}
        await pilot.press("u")
        await wait_for_notice(pilot, "Nothing to undo")


@pytest.mark.sqlite_only
async def test_a_read_only_library_offers_no_tags_or_delete(
    loaded: ReadingList, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    db = loaded.db_path
    assert db is not None
    loaded.close()
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: False if mode == os.W_OK else real_access(path, mode)
    )
    service = ReadingList(db)
    app = ReadingListApp(service, settings=Settings(tmp_path / "config.json"))
    try:
        async with app.run_test(size=SIZE, notifications=True) as pilot:
            await settle(app, pilot)
            before = listed_ids(app)
            assert not {"t", "d"} & set(app.screen.active_bindings)
            await pilot.press("t", "d")
            await settle(app, pilot)
            assert not isinstance(app.screen, TagDialog)
            assert listed_ids(app) == before and not notices(app)
            await pilot.press("ctrl+p")
            await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
            await wait_for(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
            commands = palette_titles(app)
            assert "Read" in commands and not {"Tags", "Delete"} & commands, commands
    finally:
        service.close()


async def test_the_palette_offers_tags_and_delete(app):
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await wait_for(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        commands = palette_titles(app)
        assert {"Tags", "Delete"} <= commands, commands


async def test_d_typed_fast_twice_deletes_two_papers_and_the_last_one_moves_the_cursor_up(app):
    service = app.service
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        before = listed_ids(app)
        burst(app, "d", "d")  # the second d waits for the list without the first paper
        await wait_for(pilot, lambda: trash_ids(service) == set(before[:2]))
        await wait_for(pilot, lambda: listed_ids(app) == before[2:])
        await settle(app, pilot)
        assert not notices(app, "error")
        await pilot.press("G", "d")
        await wait_for(pilot, lambda: listed_ids(app) == before[2:-1])
        await settle(app, pilot)
        assert highlighted(app) == before[-2]  # no next paper: the one before


async def test_the_highlighted_paper_deleted_elsewhere_leaves_the_list_without_an_error(app):
    """Another terminal deletes the paper under the cursor (or ``d`` here, seen by the
    change poll before the list is read again): no error, the list moves on."""
    service = app.service
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        before = listed_ids(app)
        service.delete([highlighted(app)])
        app.screen.check_for_changes()  # what the 2 s poll does
        await wait_for(pilot, lambda: listed_ids(app) == before[1:])
        await settle(app, pilot)
        assert not notices(app, "error")
