"""The library's footer (``SteadyFooter``): ``? Help`` first, every other key as
Textual's own footer lays it out, binding groups included."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer

from readinglist.ui.widgets.footer import SteadyFooter
from tests.ui.conftest import wait_for

MOVE = Binding.Group("Move")
LIBRARY_STYLES = Path(__file__).parents[2] / "src/readinglist/ui/screens/library.tcss"


class KeysApp(App[None]):
    """Grouped keys, Help last among the app's keys as in ReadingListApp."""

    CSS_PATH = LIBRARY_STYLES

    BINDINGS = [
        Binding("left", "step('left')", "Left", group=MOVE),
        Binding("right", "step('right')", "Right", group=MOVE),
        Binding("x", "step('x')", "Ex"),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(self, footer: type[Footer]) -> None:
        super().__init__()
        self.footer = footer

    def compose(self) -> ComposeResult:
        yield self.footer()

    def action_step(self, _where: str) -> None:
        pass

    def action_help(self) -> None:
        pass


def layout(app: App[None]) -> list[tuple[str, tuple[str, ...]]]:
    """Each of the footer's children: its type, and the keys in it (or its own key)."""
    footer = app.screen.query_one(Footer)
    return [
        (
            type(child).__name__,
            tuple(key.key for key in child.query("FooterKey")) or (getattr(child, "key", ""),),
        )
        for child in footer.children
    ]


def keys_left_to_right(app: App[None]) -> list[str]:
    keys = sorted(app.screen.query("FooterKey"), key=lambda key: key.region.x)
    return [key.key for key in keys]


async def test_help_comes_first_and_groups_keep_their_keys():
    textual_app, our_app = KeysApp(Footer), KeysApp(SteadyFooter)
    async with textual_app.run_test(size=(80, 5)) as pilot:
        await wait_for(pilot, lambda: len(layout(textual_app)) == 5)
        textual, textual_order = layout(textual_app), keys_left_to_right(textual_app)
    async with our_app.run_test(size=(80, 5)) as pilot:
        await wait_for(pilot, lambda: len(layout(our_app)) == 5)
        await wait_for(pilot, lambda: keys_left_to_right(our_app)[0] == "question_mark")
        ours, our_order = layout(our_app), keys_left_to_right(our_app)
    assert ("KeyGroup", ("left", "right")) in textual
    assert ours == textual  # the same widgets, groups whole
    assert textual_order == ["left", "right", "x", "question_mark", "ctrl+p"]
    assert our_order == ["question_mark", "left", "right", "x", "ctrl+p"]
