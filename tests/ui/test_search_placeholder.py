"""The search box's placeholder and the help list the filters the parser takes, read
from the one statement of them (``core.query.FILTERS``)."""

from __future__ import annotations

from textual.widgets import Input, Static

from readinglist.core.query import FILTERS, filter_examples, parse_query
from readinglist.ui.screens.help import HelpScreen
from tests.ui.conftest import settle, wait_for

SIZE = (120, 36)


def test_every_filter_listed_is_one_the_parser_takes():
    for example in filter_examples():
        parsed = parse_query(example.replace("NAME", "someone"))
        assert parsed.has_filters and not parsed.problems and not parsed.text, example


def test_the_list_names_the_new_filters():
    examples = filter_examples()
    for wanted in ("is:unread", "is:reading", "is:read", "has:arxiv", "author:NAME", "tag:NAME"):
        assert wanted in examples


async def test_the_placeholder_and_the_help_name_every_filter(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        placeholder = app.screen.query_one("#search", Input).placeholder
        for name, values in FILTERS:
            assert f"{name}:{values[0]}" in placeholder, placeholder
        for value in ("unread", "reading", "read", "arxiv"):
            assert value in placeholder
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        shown = "\n".join(str(static.render()) for static in app.screen.query(Static))
        for example in filter_examples():
            assert example in shown, example


async def test_a_query_longer_than_the_box_keeps_its_end_and_the_cursor_in_view(make_app):
    """The box repaints as it scrolls with the typing, without a layout of the screen."""
    app = make_app()
    query = "transformers attention " * 5 + "zzlast"
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        first, *rest = query.split(" ")
        await pilot.press("slash", *first)
        for word in rest:
            await pilot.press("space", *word)
        box = app.screen.query_one("#search", Input)
        await wait_for(pilot, lambda: box.value == query)
        await pilot.pause()
        assert box.scroll_x > 0
        assert "zzlast" in box.render_line(0).text
        await pilot.press("home")
        await wait_for(pilot, lambda: box.scroll_x == 0)
        assert box.render_line(0).text.strip().startswith("transformers attention")
