"""Choice: a radio button whose glyph says whether it is chosen, ``●`` or ``○``.

Textual's ``RadioButton`` draws ``●`` for every option and tells the chosen one by
colour alone, so under ``NO_COLOR`` (or on a terminal of few colours) the reader could
not see which is chosen. The glyph differs here; under ``NO_COLOR`` both glyphs are
drawn in the text's own shade, not one that fades into the background, and the
option the keys are on is underlined while its set has the focus (Textual draws a
label's ``reverse`` as nothing).
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import RadioButton

CHOSEN = "●"
NOT_CHOSEN = "○"


class Choice(RadioButton):
    """One option of a ``RadioSet``: ``● chosen`` or ``○ not chosen``."""

    SCOPED_CSS = False  # the focus rule starts from the RadioSet
    DEFAULT_CSS = """
    RadioSet > Choice:nocolor > .toggle--button { color: $foreground; }
    RadioSet:focus > Choice.-selected:nocolor > .toggle--label { text-style: bold underline; }
    """

    def render(self) -> Content:
        self.BUTTON_INNER = CHOSEN if self.value else NOT_CHOSEN
        return super().render()
