"""The library's footer: Textual's, composed again only when its keys change, with
``? Help`` first."""

from __future__ import annotations

from collections.abc import Hashable

from textual.app import ComposeResult
from textual.widgets import Footer

__all__ = ["SteadyFooter"]


class SteadyFooter(Footer):
    """A ``Footer`` that builds its keys again only when the keys it shows change.

    Textual's footer removes and mounts every key whenever the screen announces its
    bindings (a focus change, ``refresh_bindings``), even when they are the keys it
    shows already: ``/`` and a search's first letter built it three times, twice for
    nothing, each costing the app's thread 15-20 ms while that letter's list came.
    """

    _built_for: Hashable = None
    FIRST_ACTION = "help"
    """The app's ``?``: shown first, where an 80-column terminal still shows it (the
    keys run past the right edge there, and the app's own come last)."""

    async def recompose(self) -> None:
        shown = self._keys_shown()
        if shown == self._built_for and self.children:
            return
        self._built_for = shown
        await super().recompose()

    def compose(self) -> ComposeResult:
        # Passed on as they come, so a group's keys still go into their group; the
        # first key is docked at the left edge by its class (library.tcss).
        for widget in super().compose():
            if getattr(widget, "action", None) == self.FIRST_ACTION:
                widget.add_class("-first")
            yield widget

    def _keys_shown(self) -> Hashable:
        """Everything ``Footer.compose`` reads: the shown bindings, whether each is
        enabled and its tooltip, the command palette's key, and the footer's style."""
        active = self.screen.active_bindings
        keys = tuple(
            (binding, enabled, tooltip)
            for _node, binding, enabled, tooltip in active.values()
            if binding.show
        )
        palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        return (
            keys,
            palette[1:] if palette else None,
            self.compact,
            self.show_command_palette,
            self.combine_groups,
        )
