"""Tags show in the list rows (dim, after the title) and in the detail pane, as plain
text, on SQLite and PostgreSQL; a tag another instance adds shows on the next look."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from readinglist.core.service import ReadingList
from readinglist.ui.widgets.paper_list import PaperList
from tests.conftest import TODAY
from tests.ui.conftest import app_on, settle, shown_rows, wait_for

SIZE = (120, 36)


def detail_tags(app) -> str:
    widget = app.screen.query_one("#detail-tags", Static)
    return str(widget.render()) if widget.display else ""


async def test_tags_show_in_the_rows_and_the_detail_pane(loaded: ReadingList, tmp_path: Path):
    first, second, third = (row.id for row in loaded.papers(limit=3))
    loaded.tag([first, second], "thesis")
    loaded.tag([first], "[b]x[/]")  # a legal tag name that looks like markup
    app = app_on(loaded, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        rows = shown_rows(app)
        assert "#[b]x[/] #thesis" in rows[0], rows[0]
        assert "#thesis" in rows[1] and "#" not in rows[2], rows[:3]
        title = loaded.get(first).title
        assert rows[0].index(title[:10]) < rows[0].index("#thesis")  # after the title
        await wait_for(pilot, lambda: detail_tags(app) == "Tags #[b]x[/] #thesis")
        await pilot.press("j", "j")
        await settle(app, pilot)
        await wait_for(pilot, lambda: app.screen.current and app.screen.current.id == third)
        assert detail_tags(app) == ""  # no tags: no line


async def test_a_tag_added_elsewhere_shows_on_the_next_look(
    loaded: ReadingList, library_location: str, tmp_path: Path
):
    app = app_on(loaded, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert not any("#later" in row for row in shown_rows(app))
        first = app.screen.query_one(PaperList).highlighted_id
        with ReadingList(library_location, today=TODAY) as other:
            other.tag([first], "later")
        app.screen.check_for_changes()
        await wait_for(pilot, lambda: "#later" in shown_rows(app)[0])
        await wait_for(pilot, lambda: detail_tags(app) == "Tags #later")


async def test_a_long_title_leaves_room_for_its_tags(loaded: ReadingList, tmp_path: Path):
    longest = max(loaded.papers(), key=lambda row: len(row.title))
    loaded.tag([longest.id], "project-alpha")
    app = app_on(loaded, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.jump_to_paper(longest.id)
        await settle(app, pilot)
        paper_list = app.screen.query_one(PaperList)
        line = paper_list.render_line(paper_list.cursor - int(paper_list.scroll_offset.y)).text
        assert "…" in line and "#projec" in line, line  # the tag, if cut short


def test_snapshot_tags_in_the_rows_and_the_detail_pane(snap_compare, make_app):
    """Three tagged papers: the tags dim after each title, and on their own line in the
    detail pane of the highlighted one."""
    from tests.ui.test_snapshots import SIZE as SNAPSHOT_SIZE
    from tests.ui.test_snapshots import _ready

    app = make_app()
    first, second, third = (row.id for row in app.service.papers(limit=3))
    app.service.tag([first, second], "thesis")
    app.service.tag([first, third], "to-read")
    assert snap_compare(app, terminal_size=SNAPSHOT_SIZE, run_before=_ready)
