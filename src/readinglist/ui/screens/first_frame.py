"""The library screen's first frame: drawn once, when Textual's start-up is over (issue 20).

Textual's start-up is one batch, and a frame drawn inside a batch is thrown away
(``App._display`` writes nothing then). The library screen is pushed from the app's
``on_mount``, inside that batch, so that a test's pilot (handed over as start-up ends)
finds it there; it was therefore laid out and drawn in the batch for nothing (15-20 ms at
100,000 papers), then drawn again for the frame that is written. The callbacks waiting for
a refresh ran after the frame thrown away, as though the reader had seen it: the read of
the whole list's ids and the chores began before the first frame was written, and slowed it.

``DrawnAfterStartUp`` lets the screen be laid out in the batch (its widgets learn their
sizes) but draws it only once the app says start-up is over (``start_drawing``, from its
``Ready`` event, which Textual handles after the batch), and holds what waits for the first
frame (``after_frame``) until that frame is drawn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen

__all__ = ["DrawnAfterStartUp"]


class DrawnAfterStartUp(Screen[None]):
    """A screen whose first frame is drawn after Textual's start-up, once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._drawing = False
        self._waiting_for_first_frame: list[Callable[[], object]] | None = []

    def start_drawing(self) -> None:
        """Textual's start-up is over: draw the whole screen now, and from now on."""
        if not self._drawing:
            self._drawing = True
            self.refresh()

    def after_frame(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` once the screen's next frame is drawn (the first frame: once
        it is drawn after start-up)."""
        if self._waiting_for_first_frame is None:
            self.call_after_refresh(callback)
        else:
            self._waiting_for_first_frame.append(callback)

    def _compositor_refresh(self) -> None:
        """Textual's step that draws the screen's changes and hands them to the terminal:
        skipped in the start-up batch, whose frame would be thrown away (the changes stay
        marked, and ``start_drawing`` asks for the whole screen anyway)."""
        if not self._drawing and self.app._batch_count:
            return
        super()._compositor_refresh()
        if self._waiting_for_first_frame is not None:
            waiting, self._waiting_for_first_frame = self._waiting_for_first_frame, None
            for callback in waiting:
                self.call_after_refresh(callback)
