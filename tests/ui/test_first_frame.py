"""The library screen's first frame is drawn once Textual's start-up is over
(``ui.screens.first_frame``): what waits for it waits for that frame, not for the one
Textual's start-up batch would draw and throw away."""

from __future__ import annotations

from textual.app import App

from readinglist.ui.screens.first_frame import DrawnAfterStartUp
from tests.ui.conftest import wait_for


class Probe(DrawnAfterStartUp):
    """A screen that notes when what waits for its first frame runs."""

    def __init__(self, happened: list[str]) -> None:
        super().__init__()
        self.happened = happened

    def on_mount(self) -> None:
        self.after_frame(lambda: self.happened.append("after the first frame"))
        self.first_frame_ready()


class ProbeApp(App[None]):
    """Pushes the screen in ``on_mount``, inside Textual's start-up batch, whose frame
    is thrown away (the reading list's app composes its library screen there too)."""

    def __init__(self) -> None:
        super().__init__()
        self.happened: list[str] = []

    def on_mount(self) -> None:
        self.push_screen(Probe(self.happened))

    def on_ready(self) -> None:
        self.happened.append("start-up over")
        assert isinstance(self.screen, Probe)
        self.screen.start_drawing()


async def test_what_waits_for_the_first_frame_runs_after_start_up():
    app = ProbeApp()
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: "after the first frame" in app.happened)
        await pilot.pause()
    assert app.happened == ["start-up over", "after the first frame"]
