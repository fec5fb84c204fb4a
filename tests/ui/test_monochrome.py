"""NO_COLOR: the app starts, draws every screen and stays usable in monochrome."""

from __future__ import annotations

import sys

import pytest

from readinglist.ui.widgets.paper_list import PaperList
from tests.ui.conftest import settle

SIZE = (100, 30)


@pytest.fixture(autouse=True)
def no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


async def test_the_list_draws_in_monochrome_while_loading_and_loaded(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        assert app.no_color
        await settle(app, pilot)
        await pilot.press("j", "s", "slash", *"bert", "enter")
        await settle(app, pilot)
        assert app.is_running
        assert app.screen.query_one(PaperList).highlighted is not None


async def test_an_empty_library_draws_in_monochrome(make_app):
    app = make_app([])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await settle(app, pilot)
        assert app.is_running


def test_a_crash_exits_non_zero(tmp_path, monkeypatch: pytest.MonkeyPatch):
    """Whatever the cause, a crashed app leaves a non-zero exit status for the shell."""
    from functools import partialmethod

    from readinglist.cli.context import run_tui
    from readinglist.core.service import ReadingList
    from readinglist.ui.app import ReadingListApp

    def crash(self) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(ReadingListApp, "on_mount", crash)
    monkeypatch.setattr(ReadingListApp, "run", partialmethod(ReadingListApp.run, headless=True))
    monkeypatch.setattr(sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True, raising=False)
    with ReadingList(tmp_path / "lib.db") as service, pytest.raises(SystemExit) as exit_info:
        run_tui(service)
    assert exit_info.value.code == 1


async def test_an_empty_library_says_which_key_imports_even_when_narrow(make_app):
    app = make_app([])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        paper_list = app.screen.query_one(PaperList)
        shown = " ".join(paper_list.render_line(y).text.strip() for y in range(4))
        assert "The reading list is empty. Press i to import a saved page." in shown, shown
