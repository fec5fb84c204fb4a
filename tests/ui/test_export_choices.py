"""`e` exports the marked papers, the list on screen (a search's results) or the starred
papers: the dialog offers the three with their counts, and picks the marked papers when
any are marked, else the list. On SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

from textual.widgets import RadioSet, Static

from readinglist.core.service import ReadingList
from readinglist.ui.screens.export_dialog import ExportDialog
from readinglist.ui.widgets.paper_list import PaperList
from tests.ui.conftest import app_on, settle, status, wait_for, wait_for_notice

SIZE = (120, 36)


def title(app) -> str:
    return str(app.screen.query_one("#export-title", Static).render())


def chosen(app) -> str | None:
    pressed = app.screen.query_one(RadioSet).pressed_button
    return None if pressed is None else pressed.id


async def export_to(app, pilot, target: Path) -> list[int]:
    """Type the path, Enter, wait for the write; the ids the JSON file holds, in order."""
    app.screen.query_one("#export-path").value = str(target)
    await pilot.press("enter")
    await wait_for(pilot, lambda: not any(w.group == "export" for w in app.workers))
    await settle(app, pilot)
    return [paper["id"] for paper in json.loads(target.read_text(encoding="utf-8"))]


async def open_export(app, pilot) -> None:
    await pilot.press("e")
    await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))


async def test_without_marks_the_list_on_screen_is_exported(loaded: ReadingList, tmp_path):
    app = app_on(loaded, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_export(app, pilot)
        everything = loaded.count()
        assert chosen(app) == "export-results"
        assert title(app).startswith(f"Export {everything} listed papers to")
        assert app.screen.query_one("#export-starred").disabled  # nothing starred yet
        ids = await export_to(app, pilot, tmp_path / "all.json")
        assert ids == list(app.screen.query_one(PaperList).ids)  # in the list's order
        assert f"Exported {everything} listed papers to" in status(app)


async def test_a_search_exports_its_results_in_their_order(loaded: ReadingList, tmp_path):
    app = app_on(loaded, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"language is:unread", "enter")
        await settle(app, pilot)
        listed = list(app.screen.query_one(PaperList).ids)
        assert 1 < len(listed) < loaded.count()
        await open_export(app, pilot)
        assert title(app).startswith(f"Export {len(listed)} search results to")
        ids = await export_to(app, pilot, tmp_path / "found.json")
        assert ids == listed


async def test_marked_papers_are_the_default_once_any_are_marked(loaded: ReadingList, tmp_path):
    app = app_on(loaded, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        papers = app.screen.query_one(PaperList)
        await pilot.press("space", "j", "space")  # space moves down
        await settle(app, pilot)
        marked = [papers.ids[0], papers.ids[2]]
        await open_export(app, pilot)
        assert chosen(app) == "export-marked"
        assert title(app).startswith("Export 2 marked papers to")
        assert await export_to(app, pilot, tmp_path / "marked.json") == marked
        assert "Exported 2 marked papers to" in status(app)


async def test_the_starred_papers_are_picked_from_the_keyboard(loaded: ReadingList, tmp_path):
    app = app_on(loaded, tmp_path)
    target = tmp_path / "starred.json"
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "s")
        await settle(app, pilot)
        starred = app.screen.query_one(PaperList).highlighted_id
        await open_export(app, pilot)
        app.screen.query_one("#export-path").value = str(target)
        await pilot.press("shift+tab")  # from the path box back to the choice of papers
        await wait_for(pilot, lambda: isinstance(app.screen.focused, RadioSet))
        await pilot.press("down", "space")
        await wait_for(pilot, lambda: chosen(app) == "export-starred")
        assert title(app) == "Export 1 starred paper to JSON"
        await pilot.press("enter")  # writes from the choice too
        await wait_for(pilot, lambda: not any(w.group == "export" for w in app.workers))
        await settle(app, pilot)
        assert [paper["id"] for paper in json.loads(target.read_text())] == [starred]
        assert "Exported 1 starred paper to" in status(app)


async def test_nothing_to_export_says_so(make_app, tmp_path: Path):
    app = make_app([])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await wait_for_notice(pilot, "Nothing to export")
        assert not isinstance(app.screen, ExportDialog)
