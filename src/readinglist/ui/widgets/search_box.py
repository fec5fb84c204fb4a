"""The library's search box: an ``Input`` whose typing repaints it, not the whole screen."""

from __future__ import annotations

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input

__all__ = ["SearchBox"]


class SearchBox(Input):
    """An ``Input`` whose changing text never lays the screen out again.

    Textual's ``Input`` sets its virtual size (its text's width) on every change, and a
    widget's virtual size asks for a layout when it changes: each keystroke of a search
    laid out the whole screen and drew every widget on it again (footer, detail pane,
    status line), on the app's thread, while the keystroke's search ran. The box's own
    size never follows its text (its CSS fixes both), and its scrolling reads the
    virtual size itself, so a repaint of the box is all a keystroke needs.
    """

    virtual_size: Reactive[Size] = Reactive(Size(0, 0), layout=False, repaint=True)
