"""The list shows the true count of a view and scrolls through every paper of it,
reading rows for the part on screen only; S during a search orders the matches."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from readinglist.core.models import PaperSummary
from readinglist.core.service import ReadingList
from readinglist.ui.widgets.paper_list import PaperList
from tests.ui.conftest import listed, settle, shown_rows, status, wait_for, write_many_papers

SIZE = (120, 36)
MANY = 1500  # more than the 1,000 matches the app used to stop at


class RowCounter:
    """The app's service, counting the rows each call from the app's workers returns
    (whatever the call's name): the list must read them a window at a time."""

    def __init__(self, service: ReadingList) -> None:
        self._service = service
        self.sizes: list[int] = []

    def __getattr__(self, name: str) -> object:
        attribute = getattr(self._service, name)
        if not callable(attribute):
            return attribute

        def counted(*args: object, **options: object) -> object:
            result = attribute(*args, **options)
            found = getattr(result, "rows", result)  # search_rows answers with a Found
            rows = isinstance(found, list) and found and isinstance(found[0], PaperSummary)
            if rows and threading.current_thread() is not threading.main_thread():
                self.sizes.append(len(found))
            return result

        return counted


@pytest.fixture
def many_app(make_app, tmp_path: Path):
    app = make_app([write_many_papers(tmp_path / "many.txt", MANY)])
    app.service = RowCounter(app.service)
    return app


async def test_a_search_counts_and_scrolls_through_every_match(many_app):
    app = many_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"lattice", "enter")
        await settle(app, pilot)
        assert f"{MANY:,} papers · best match first" in status(app)
        await pilot.press("G")
        await settle(app, pilot)
        papers = app.screen.query_one(PaperList)
        assert papers.cursor == MANY - 1
        last = listed(app)[-1]
        await wait_for(pilot, lambda: app.screen.current and app.screen.current.id == last.id)
        assert any(last.title in line for line in shown_rows(app))  # drawn, not a placeholder
        assert max(app.service.sizes) < 1000  # rows are read a window at a time


async def test_the_whole_list_scrolls_without_reading_every_row(many_app):
    app = many_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert f"{MANY:,} papers · by date" in status(app)
        for _ in range(3):
            await pilot.press("pagedown")
        await settle(app, pilot)
        rows = shown_rows(app)
        assert all("…" not in line[:4] for line in rows), rows  # every visible row loaded
        await pilot.press("end")
        await settle(app, pilot)
        assert any(listed(app)[-1].title in line for line in shown_rows(app))
        assert max(app.service.sizes) < 1000


async def test_sort_during_a_search_orders_the_matches(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"language model", "enter")
        await settle(app, pilot)
        best_first = [paper.id for paper in listed(app)]
        assert "best match first" in status(app)
        await pilot.press("S")
        await settle(app, pilot)
        assert "by date" in status(app) and "Sorted" not in status(app)
        dates = [paper.date for paper in listed(app) if paper.date]
        assert dates == sorted(dates, reverse=True)
        assert sorted(paper.id for paper in listed(app)) == sorted(best_first)  # same matches
        await pilot.press("S")
        await settle(app, pilot)
        upvotes = [paper.upvotes or 0 for paper in listed(app)]
        assert "by upvotes" in status(app) and upvotes == sorted(upvotes, reverse=True)
        await pilot.press("S", "S", "S")  # title, added, stars
        await settle(app, pilot)
        assert "by stars" in status(app)
        await pilot.press("S")  # then back to best match
        await settle(app, pilot)
        assert "best match first" in status(app)
        assert [paper.id for paper in listed(app)] == best_first
        await pilot.press("S", "escape", "slash", *"bert")  # a new search starts best first
        await settle(app, pilot)
        assert "best match first" in status(app)
        assert app.screen.sort == "date"  # the list's own order was not touched


class WholeListHeld:
    """The app's service, holding every read of a whole list's ids until ``release``:
    the first page is on screen, the rest not yet read. A read whose reader gives it up
    meanwhile (the ``stop`` it passes comes true) goes on, and ``given_up`` is set."""

    def __init__(self, service: ReadingList) -> None:
        self._service = service
        self.release = threading.Event()
        self.holding = threading.Event()  # a read of every id has begun, and waits
        self.given_up = threading.Event()

    def __getattr__(self, name: str) -> object:
        attribute = getattr(self._service, name)
        if name != "search_rows":
            return attribute

        def held(*args: object, **options: object) -> object:
            stop = options.get("stop")
            if options.get("every_id"):
                self.holding.set()
                while not self.release.wait(0.01):
                    if callable(stop) and stop():
                        self.given_up.set()
                        break
            return attribute(*args, **options)

        return held


@pytest.fixture
def held_app(make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """An app on many papers whose whole list's ids are held (``WholeListHeld``)."""
    import readinglist.ui.keys

    monkeypatch.setattr(readinglist.ui.keys, "HOLD_LIMIT", 120.0)  # no key goes by timeout
    app = make_app([write_many_papers(tmp_path / "many.txt", MANY)])
    service = app.service = WholeListHeld(app.service)
    yield app, service
    service.release.set()


async def first_page_shown(app, pilot) -> None:
    papers = app.screen.query_one(PaperList)
    await wait_for(pilot, lambda: "papers…" in status(app) and papers.has_focus)


async def test_slash_and_typing_need_not_wait_for_the_whole_list(held_app):
    """At 100,000 papers the list's ids arrive a third of a second after its first page:
    the search box takes `/` and the typing at once (the list's own keys still wait)."""
    app, service = held_app
    async with app.run_test(size=SIZE) as pilot:
        await first_page_shown(app, pilot)
        await pilot.press("slash", *"lat")
        await wait_for(pilot, lambda: app.screen.search_box.value == "lat", timeout=20)
        assert app.screen.search_box.has_focus
        assert not service.release.is_set()
        service.release.set()
        await settle(app, pilot)
        assert "papers · best match first" in status(app)


async def test_slash_puts_off_reading_the_whole_list_until_the_list_is_back(held_app):
    """A search is coming: `/` stops the read of every id (a third of a second at 100,000
    papers, shared with the first keystrokes), and going back to the list reads it."""
    app, service = held_app
    async with app.run_test(size=SIZE) as pilot:
        await first_page_shown(app, pilot)
        await wait_for(pilot, service.holding.is_set)  # the rest of the list is being read
        await pilot.press("slash")
        await wait_for(pilot, service.given_up.is_set, timeout=20)
        service.release.set()
        await pilot.press("enter")  # back to the list, nothing typed
        await settle(app, pilot)
        assert f"{MANY:,} papers · by date" in status(app)
        assert len(listed(app)) == MANY
        await pilot.press("slash", "escape")  # the whole list is read: nothing to put off
        await settle(app, pilot)
        assert f"{MANY:,} papers · by date" in status(app)
