"""The app reopens as it was left: the sort, the starred-only view, the highlighted paper."""

from __future__ import annotations

import json
import threading
from pathlib import Path

from readinglist.core.service import ReadingList
from readinglist.core.settings import Settings
from readinglist.ui.app import ReadingListApp
from readinglist.ui.widgets.paper_list import PaperList
from tests.conftest import TODAY
from tests.ui.conftest import listed, settle, status, wait_for

SIZE = (120, 36)


def reopen(app: ReadingListApp) -> ReadingListApp:
    """The same library and settings file, in a new app (a new run)."""
    assert app.service.db_path is not None
    return ReadingListApp(
        ReadingList(app.service.db_path, today=TODAY), settings=Settings(app.settings.path)
    )


def highlighted(app) -> int | None:
    return app.screen.query_one(PaperList).highlighted_id


async def test_sort_starred_view_and_paper_are_there_after_a_restart(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s", "j", "s", "j", "j", "s", "f", "S")
        await settle(app, pilot)
        await pilot.press("j")
        await settle(app, pilot)
        chosen = highlighted(app)
        order = [row.id for row in listed(app)]
        assert "by upvotes · starred only" in status(app) and len(order) == 3
    again = reopen(app)
    try:
        async with again.run_test(size=SIZE) as pilot:
            await settle(again, pilot)
            await wait_for(pilot, lambda: highlighted(again) == chosen)
            assert "by upvotes · starred only" in status(again)
            assert [row.id for row in listed(again)] == order
            assert again.screen.current is not None and again.screen.current.id == chosen
    finally:
        again.service.close()


async def test_the_highlighted_paper_is_remembered_while_the_app_runs(make_app):
    """Not only at a clean exit: a closed terminal kills the app without one."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j", "j")
        await settle(app, pilot)
        chosen = highlighted(app)
        saved = lambda: json.loads(app.settings.path.read_text(encoding="utf-8"))  # noqa: E731
        await wait_for(
            pilot,
            lambda: app.settings.path.exists() and chosen in saved().get("last_paper", {}).values(),
        )


async def test_a_remembered_paper_not_in_the_view_starts_at_the_top(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("G")
        await settle(app, pilot)
    app.service.star([listed_first_id(app)])
    again = reopen(app)
    again.settings.set("starred_only", True)
    try:
        async with again.run_test(size=SIZE) as pilot:
            await settle(again, pilot)
            assert [row.id for row in listed(again)] == [listed_first_id(app)]
            assert highlighted(again) == listed_first_id(app)
    finally:
        again.service.close()


def listed_first_id(app) -> int:
    return app.service.papers(limit=1)[0].id


async def test_a_damaged_settings_file_gives_the_default_view(make_app, tmp_path: Path):
    app = make_app()
    app.settings.path.write_text(
        json.dumps({"sort": "nonsense", "starred_only": "yes", "last_paper": [1, 2]}),
        encoding="utf-8",
    )
    app = ReadingListApp(app.service, settings=Settings(app.settings.path))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "182 papers · by date" in status(app) and "starred" not in status(app)
        assert app.screen.query_one(PaperList).cursor == 0


async def test_the_last_paper_is_remembered_for_each_library(make_app):
    first = make_app()
    async with first.run_test(size=SIZE) as pilot:
        await settle(first, pilot)
        await pilot.press("j", "j")
        await settle(first, pilot)
        chosen = highlighted(first)
    second = make_app()  # another library, the same settings file
    async with second.run_test(size=SIZE) as pilot:
        await settle(second, pilot)
        assert second.screen.query_one(PaperList).cursor == 0
        await pilot.press("j")
        await settle(second, pilot)
    again = reopen(first)
    try:
        async with again.run_test(size=SIZE) as pilot:
            await settle(again, pilot)
            await wait_for(pilot, lambda: highlighted(again) == chosen)
    finally:
        again.service.close()


async def test_a_paper_beyond_the_first_page_is_found_again(make_app, tmp_path: Path):
    """The list shows its first page before the rest: a remembered paper further down
    is still the one highlighted once the whole list is read."""
    from tests.ui.conftest import write_many_papers

    app = make_app([write_many_papers(tmp_path / "many.txt", 450)])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("G", "k")
        await settle(app, pilot)
        chosen = highlighted(app)
        assert app.screen.query_one(PaperList).cursor == 448
    again = reopen(app)
    try:
        async with again.run_test(size=SIZE) as pilot:
            await settle(again, pilot)
            await wait_for(pilot, lambda: len(listed(again)) == 450)
            assert highlighted(again) == chosen
            assert again.screen.current is not None and again.screen.current.id == chosen
    finally:
        again.service.close()


class ThreadRecordingSettings(Settings):
    """Settings that note which thread writes the file."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.writers: list[str] = []

    def save(self) -> None:
        self.writers.append(threading.current_thread().name)
        super().save()


async def test_the_view_is_written_off_the_event_loop(make_app):
    """A slow disk must not stall the keys: changing the sort or the starred view, and
    moving the cursor, write the settings file in the app's worker, not on the loop."""
    app = make_app()
    settings = ThreadRecordingSettings(app.settings.path)
    app = ReadingListApp(app.service, settings=settings)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s", "f", "j", "j")
        await settle(app, pilot)
        saved = lambda: json.loads(settings.path.read_text(encoding="utf-8"))  # noqa: E731
        await wait_for(
            pilot,
            lambda: (
                settings.path.exists()
                and saved().get("starred_only") is True
                and highlighted(app) in saved().get("last_paper", {}).values()
            ),
        )
        writers = list(settings.writers)
    assert writers and threading.main_thread().name not in writers
