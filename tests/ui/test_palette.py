"""The command palette: "go to paper" finds papers with the same search as /, shows the
chosen one on screen whatever the view, and Screenshot saves where it says."""

from __future__ import annotations

from pathlib import Path

from textual.command import CommandPalette
from textual.widgets import OptionList

from readinglist.ui.widgets.paper_list import PaperList
from tests.ui.conftest import settle, status, wait_for, wait_for_notice

SIZE = (120, 36)


def palette_options(app) -> list[str]:
    options = app.screen.query_one(OptionList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def open_palette(app, pilot, text: str) -> None:
    await pilot.press("ctrl+p")
    await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
    await pilot.press(*text)


async def test_go_to_paper_ranks_like_the_search(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_palette(app, pilot, "megatron")
        await wait_for(pilot, lambda: any("Go to paper" in o for o in palette_options(app)))
        papers = [o for o in palette_options(app) if "Go to paper" in o]
        assert "Megatron-LM" in papers[0], papers
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.current.title.startswith("Megatron-LM")


async def test_go_to_paper_from_the_starred_view_shows_it_on_screen(make_app):
    app = make_app()
    target = app.service.papers()[150]  # far down the whole list
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s", "f", "u")
        await wait_for(pilot, lambda: "Undid" in status(app))  # news of the last key
        await open_palette(app, pilot, target.title)
        await wait_for(pilot, lambda: any(target.title in o for o in palette_options(app)))
        await pilot.press("enter")
        await settle(app, pilot)
        papers = app.screen.query_one(PaperList)
        assert app.screen.current.id == target.id
        assert "starred only" not in status(app) and "Undid" not in status(app)
        top = int(papers.scroll_offset.y)
        assert top <= papers.cursor < top + papers.scrollable_content_region.height
        assert papers.cursor > papers.scrollable_content_region.height  # it had to scroll


async def test_screenshot_saves_in_the_data_folder_and_says_where(make_app, isolated_home: Path):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await open_palette(app, pilot, "screenshot")
        await wait_for(pilot, lambda: any("Screenshot" in o for o in palette_options(app)))
        await pilot.press("enter")
        note = await wait_for_notice(pilot, "Screenshot saved")
        [svg] = (isolated_home / "screenshots").glob("*.svg")
        assert svg.read_text().startswith("<svg")
        assert str(svg) in note


async def test_each_command_is_offered_once(make_app):
    """`o` and `1` both open link 1: the palette lists "Open" once, not "Open link 1" too."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_palette(app, pilot, "open")
        await wait_for(pilot, lambda: any("Open PDF" in o for o in palette_options(app)))
        titles = [option.splitlines()[0] for option in palette_options(app)]
        assert not any("Open link 1" in title for title in titles), titles
        assert len(titles) == len(set(titles)), titles
