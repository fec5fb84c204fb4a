"""The library screen's first frame: drawn once, when Textual's start-up is over (issue 20).

Textual's start-up is one batch, and a frame drawn inside a batch is thrown away
(``App._display`` writes nothing then). The library screen, the app's first screen, is
composed inside that batch, so that a test's pilot (handed over as start-up ends)
finds it there; it was therefore laid out and drawn in the batch for nothing (15-20 ms at
100,000 papers), then drawn again for the frame that is written. The callbacks waiting for
a refresh ran after the frame thrown away, as though the reader had seen it: the read of
the whole list's ids and the chores began before the first frame was written, and slowed it.
And whether the batch ended before or after the screen was mounted was a race: when
before, a first frame without the list was drawn, then another with it.

``DrawnAfterStartUp`` lets the screen be laid out meanwhile (its widgets learn their sizes)
but draws it only once both have happened: the app says start-up is over
(``start_drawing``, from its ``Ready`` event, which Textual handles after the batch) and
the screen says it holds what its first frame shows (``first_frame_ready``). What waits
for the first frame (``after_frame``) is held until that frame is drawn.

Later frames are drawn at Textual's update timer's ticks, 1/60 s apart; a widget whose
change a reader waits for (a keystroke's list) is drawn as soon as it asks to be
(``draw_when_updated``), which took 6 ms off the median keystroke at 100,000 papers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import messages
from textual.screen import Screen
from textual.widget import Widget

__all__ = ["DrawnAfterStartUp"]


class DrawnAfterStartUp(Screen[None]):
    """A screen whose first frame is drawn after Textual's start-up, once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._start_up_over = False
        self._first_frame_ready = False
        self._drawing = False
        self._waiting_for_first_frame: list[Callable[[], object]] | None = []
        self._draw_at_once: set[Widget] = set()

    def start_drawing(self) -> None:
        """Textual's start-up is over (the app's ``Ready``)."""
        self._start_up_over = True
        self._draw_when_ready()

    def first_frame_ready(self) -> None:
        """The screen holds what its first frame shows (or has waited long enough)."""
        self._first_frame_ready = True
        self._draw_when_ready()

    def _draw_when_ready(self) -> None:
        if self._start_up_over and self._first_frame_ready and not self._drawing:
            self._drawing = True
            self.refresh()  # the whole screen, at the next update
            if self.size:  # laid out already: update now, not at the update timer's first
                self._on_timer_update()  # tick, which comes 1/60 s after it is resumed

    def draw_when_updated(self, widget: Widget) -> None:
        """Draw ``widget`` as soon as it asks to be drawn again, not at the screen's
        next update, up to 1/60 s later: a keystroke's list is waited for."""
        self._draw_at_once.add(widget)

    async def _on_update(self, message: messages.Update) -> None:
        """Textual's handler of a widget's ``Update``, which marks the widget to be drawn
        at the next update; for one ``draw_when_updated`` names, the update runs now."""
        await super()._on_update(message)
        if message.widget in self._draw_at_once:
            self._draw_at_once.discard(message.widget)
            if self._drawing and self.size and self.is_current:
                self._on_timer_update()

    def after_frame(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` once the screen's next frame is drawn (the first frame: once
        it is drawn after start-up)."""
        if self._waiting_for_first_frame is None:
            self.call_after_refresh(callback)
        else:
            self._waiting_for_first_frame.append(callback)

    def _compositor_refresh(self) -> None:
        """Textual's step that draws the screen's changes and hands them to the terminal:
        skipped until the first frame may be drawn (the changes stay marked, and
        ``_draw_when_ready`` asks for the whole screen anyway)."""
        if not self._drawing:
            return
        super()._compositor_refresh()
        if self._waiting_for_first_frame is not None:
            waiting, self._waiting_for_first_frame = self._waiting_for_first_frame, None
            for callback in waiting:
                self.call_after_refresh(callback)
