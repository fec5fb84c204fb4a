"""The list's first page read as the app starts (``ui.first_page``): shown when it is
the page of the view the screen opens on, waited for while it is being read, and read
again when it is another view's or its read failed."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from readinglist.core.database import LibraryError
from readinglist.core.service import ReadingList
from readinglist.core.settings import Settings
from readinglist.ui.app import ReadingListApp
from readinglist.ui.first_page import FIRST_PAGE, FirstPage
from tests.ui.conftest import listed, settle, status, wait_for, write_many_papers

SIZE = (120, 36)
MANY = 450  # more than a first page


class FirstPagesCounted:
    """The service, counting the reads of a list's first page; the first such read
    can be held until ``release`` or made to fail."""

    def __init__(self, service: ReadingList, *, hold: bool = False, fail: bool = False) -> None:
        self._service = service
        self.first_pages = 0
        self.release = threading.Event()
        if not hold:
            self.release.set()
        self._fail = fail

    def __getattr__(self, name: str) -> object:
        attribute = getattr(self._service, name)
        if name != "search_rows":
            return attribute

        def counted(*args: object, **options: object) -> object:
            if options.get("limit") == FIRST_PAGE and not options.get("every_id"):
                self.first_pages += 1
                if self.first_pages == 1:
                    self.release.wait(30)
                    if self._fail:
                        raise LibraryError("the disk went away")
            return attribute(*args, **options)

        return counted


@pytest.fixture
def library(make_app, tmp_path: Path) -> tuple[ReadingList, Settings]:
    """A library of more papers than a first page, and settings asking for titles A to Z."""
    app = make_app([write_many_papers(tmp_path / "many.txt", MANY)])
    app.settings.set("sort", "title")
    return app.service, app.settings


def titles_in_order(app: ReadingListApp) -> bool:
    titles = [row.title for row in listed(app)]
    return len(titles) == MANY and titles == sorted(titles)


async def shows_the_list_by_title(counted, settings, first_page: FirstPage) -> None:
    """The app, started with ``first_page``, shows the whole list in title order."""
    app = ReadingListApp(counted, settings=settings, first_page=first_page)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await wait_for(pilot, lambda: titles_in_order(app))
        assert f"{MANY} papers · by title" in status(app)


async def test_a_first_page_read_as_the_app_starts_is_shown_not_read_again(library):
    service, settings = library
    counted = FirstPagesCounted(service)
    first_page = FirstPage.of_remembered_view(counted, settings)  # type: ignore[arg-type]
    assert first_page.wait(30) and first_page.found is not None
    await shows_the_list_by_title(counted, settings, first_page)
    assert counted.first_pages == 1


async def test_a_first_page_still_being_read_is_waited_for(library):
    service, settings = library
    counted = FirstPagesCounted(service, hold=True)
    first_page = FirstPage.of_remembered_view(counted, settings)  # type: ignore[arg-type]
    app = ReadingListApp(counted, settings=settings, first_page=first_page)  # type: ignore[arg-type]
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert not first_page.ready
        counted.release.set()
        await settle(app, pilot)
        await wait_for(pilot, lambda: titles_in_order(app))
    assert counted.first_pages == 1


async def test_a_first_page_of_another_view_is_not_shown(library):
    service, settings = library
    counted = FirstPagesCounted(service)
    first_page = FirstPage(counted, "upvotes", starred_only=False)  # type: ignore[arg-type]
    assert first_page.wait(30)
    await shows_the_list_by_title(counted, settings, first_page)
    assert counted.first_pages == 2  # the screen read its own


async def test_a_first_page_whose_read_failed_is_read_again(library):
    service, settings = library
    counted = FirstPagesCounted(service, fail=True)
    first_page = FirstPage.of_remembered_view(counted, settings)  # type: ignore[arg-type]
    assert first_page.wait(30) and first_page.found is None
    await shows_the_list_by_title(counted, settings, first_page)
    assert counted.first_pages == 2
