"""Without colour (NO_COLOR) every state still shows: the list's cursor row, whether the
list has the focus, marked and starred rows, and which export choice is chosen and
which one the keys are on. Shades of grey alone do not count."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from textual.color import Color
from textual.widgets import RadioSet

from readinglist.ui.screens.export_dialog import ExportDialog
from readinglist.ui.widgets.choice import CHOSEN, NOT_CHOSEN, Choice
from readinglist.ui.widgets.paper_list import PaperList
from readinglist.ui.widgets.paper_row import MARKED
from tests.ui.conftest import settle, status, wait_for

SIZE = (80, 24)


def paper_list(app) -> PaperList:
    return app.screen.query_one(PaperList)


def row_segments(app, index: int) -> list[Segment]:
    """The drawn segments of the list's row ``index`` (on screen)."""
    papers = paper_list(app)
    return list(papers.render_line(index - int(papers.scroll_offset.y)))


def styled(segments: list[Segment], attribute: str) -> bool:
    """Whether the row's text (not only its padding) carries ``attribute``."""
    return any(
        segment.text.strip() and segment.style and getattr(segment.style, attribute)
        for segment in segments
    )


def glyphs(app) -> dict[str, str]:
    """Each export choice's id and the glyph its button shows."""
    return {
        button.id or "": str(button.render()).strip()[1]  # "▐●▌ Label": the inner glyph
        for button in app.screen.query(Choice)
    }


def readable(segment: Segment) -> bool:
    """The glyph stands out from its background (not a near shade of it)."""
    assert segment.style and segment.style.color and segment.style.bgcolor
    fore = Color.from_rich_color(segment.style.color).brightness
    back = Color.from_rich_color(segment.style.bgcolor).brightness
    return abs(fore - back) > 0.3


@pytest.fixture
def no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.mark.usefixtures("no_color")
async def test_the_cursor_row_is_reversed_with_the_focus_and_underlined_without(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert app.no_color
        await pilot.press("j")
        await settle(app, pilot)
        cursor, other = row_segments(app, 1), row_segments(app, 2)
        assert styled(cursor, "reverse") and not styled(other, "reverse")
        await pilot.press("slash")  # the search box takes the focus
        await wait_for(pilot, lambda: not paper_list(app).has_focus)
        await pilot.pause()
        cursor, other = row_segments(app, 1), row_segments(app, 2)
        assert not styled(cursor, "reverse")
        assert styled(cursor, "underline") and not styled(other, "underline")


@pytest.mark.usefixtures("no_color")
async def test_marked_and_starred_rows_carry_glyphs(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: "Starred" in status(app))
        await pilot.press("space", "g")
        await wait_for(pilot, lambda: "1 marked" in status(app))
        await settle(app, pilot)
        first, second = ("".join(segment.text for segment in row_segments(app, i)) for i in (0, 1))
        assert first.startswith("★ " + MARKED)
        assert "★" not in second and MARKED.strip() not in second


@pytest.mark.parametrize("monochrome", [True, False])
async def test_the_chosen_export_choice_shows_a_filled_glyph_the_others_a_hollow_one(
    make_app, monkeypatch: pytest.MonkeyPatch, monochrome: bool
):
    if monochrome:
        monkeypatch.setenv("NO_COLOR", "1")
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await wait_for(pilot, lambda: "Starred" in status(app))
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        await settle(app, pilot)
        assert glyphs(app) == {
            "export-marked": NOT_CHOSEN,
            "export-results": CHOSEN,
            "export-starred": NOT_CHOSEN,
        }
        await pilot.press("shift+tab")  # from the path to the choices
        await wait_for(pilot, lambda: isinstance(app.screen.focused, RadioSet))
        await pilot.press("down", "space")
        await wait_for(pilot, lambda: glyphs(app)["export-starred"] == CHOSEN)
        assert glyphs(app)["export-results"] == NOT_CHOSEN
        if monochrome:  # both glyphs readable, and the option the keys are on underlined
            for button in app.screen.query(Choice):
                glyph = list(button.render_line(0))[1]
                assert glyph.text in (CHOSEN, NOT_CHOSEN) and readable(glyph)
            starred = app.screen.query_one("#export-starred", Choice)
            label = [segment for segment in starred.render_line(0) if "Starred" in segment.text]
            assert label and label[0].style and label[0].style.underline


@pytest.mark.usefixtures("no_color")
async def test_the_import_dialogs_file_cursor_shows_without_colour(make_app):
    from textual.widgets import DirectoryTree

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await wait_for(pilot, lambda: bool(app.screen.query(DirectoryTree)))
        tree = app.screen.query_one(DirectoryTree)
        await wait_for(pilot, lambda: tree.cursor_line >= 0 and tree.last_line >= 1)

        def line(index: int) -> list[Segment]:
            return list(tree.render_line(index - int(tree.scroll_offset.y)))

        assert styled(line(tree.cursor_line), "underline")  # the path box has the focus
        await pilot.press("tab", "down")
        await wait_for(pilot, lambda: tree.has_focus and tree.cursor_line == 1)
        await pilot.pause()
        assert styled(line(1), "reverse") and not styled(line(2), "reverse")
