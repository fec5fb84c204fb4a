"""Outside text written straight into the library (another client, a restored copy)
never reaches the terminal raw: every widget and notification shows it cleaned."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from textual.command import CommandPalette
from textual.geometry import Region

from readinglist.ui.screens.reader import ReaderScreen
from tests.ui.conftest import import_through_dialog, settle, wait_for, wait_for_notice

SIZE = (120, 36)
NASTY = "\x1b]52;c;aGVsbG8=\x07 \x1b[31mred\x1b[0m \x9b31m \x9d0;x\x9c \u202egnp.exe \x1b[2J"
RAW = ("\x1b", "\x07", "\x9b", "\x9c", "\x9d", "\u202e")


def shown_text(app) -> str:
    """Every character the current screen draws, widget by widget."""
    lines = []
    for widget in app.screen.query("*"):
        if widget.display and widget.size.area:
            region = Region(0, 0, widget.size.width, widget.size.height)
            lines.extend(strip.text for strip in widget.render_lines(region))
    return "\n".join(lines)


def assert_clean(text: str) -> None:
    found = [repr(char) for char in RAW if char in text]
    assert not found, found


@pytest.fixture
def tainted_app(make_app):
    """A library in which another client wrote control sequences into one paper."""
    app = make_app()
    paper = app.service.papers()[0]
    with sqlite3.connect(app.service.db_path) as db:
        db.execute(
            "UPDATE paper SET title = ?, abstract = ?, org = ?, note = ?, links = ? WHERE id = ?",
            (
                f"Evil title {NASTY}",
                f"An abstract {NASTY} ends here.",
                f"Org {NASTY}",
                f"A note {NASTY}",
                json.dumps([f"https://ok.example/{NASTY}", "https://fine.example/code"]),
                paper.id,
            ),
        )
    app.tainted_id = paper.id
    return app


async def test_list_detail_reader_and_palette_show_no_control_characters(tainted_app):
    app = tainted_app
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.screen.current.id == app.tainted_id
        text = shown_text(app)
        assert "Evil title" in text and "An abstract" in text and "A note" in text
        assert_clean(text)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        await settle(app, pilot)
        assert "ends here" in shown_text(app)
        assert_clean(shown_text(app))
        await pilot.press("escape", "ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await pilot.press(*"evil title")
        await wait_for(pilot, lambda: "Go to paper: Evil title" in shown_text(app))
        assert_clean(shown_text(app))


async def test_a_file_name_with_control_characters_is_shown_cleaned(make_app, tmp_path: Path):
    page = tmp_path / "page\x1b]52;c;eA==\x07\u202e.txt"
    page.write_text("just a shopping list\n")
    app = make_app([])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await import_through_dialog(app, pilot, page)
        toast = await wait_for_notice(pilot, ".txt")
        assert "page" in toast
        assert_clean(toast)
        assert_clean(shown_text(app))


async def test_the_import_dialog_shows_file_names_cleaned(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    import os

    folder = tmp_path / "pages"
    folder.mkdir()
    (folder / "page\x1b]52;c;eA==\x07\u202e.txt").write_text("Daily Papers\n")
    (folder / "[b]bold[\\b] \x1b[2J.txt").write_text("Daily Papers\n")
    with open(os.path.join(os.fsencode(folder), b"caf\xe9 \x9b31m.txt"), "w") as undecodable:
        undecodable.write("Daily Papers\n")
    monkeypatch.chdir(folder)
    app = make_app([])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await wait_for(pilot, lambda: "[b]bold[\\b]" in shown_text(app))  # not markup
        shown = shown_text(app)
        assert "page" in shown and "caf\ufffd" in shown
        assert_clean(shown)


async def test_a_date_another_client_wrote_as_a_blob_does_not_stop_the_app(make_app):
    app = make_app()
    paper = app.service.papers()[0]
    with sqlite3.connect(app.service.db_path) as db:
        db.execute(
            "UPDATE paper SET date = X'32303235', date_text = 'Oct 28' WHERE id = ?", (paper.id,)
        )
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *paper.title[:30], "enter")
        await wait_for(pilot, lambda: "Oct 28 · " in shown_text(app))
        assert app.is_running
