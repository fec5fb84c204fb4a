"""Keys in order: every key lands where the keys before it sent the focus.

A terminal hands over a paste or a fast typist's burst (``/bert``, or Enter then
``s``) all at once, but a key's effect lands a few messages later: focus moves on the
next turn of the app's queue, a dialog is focused once it has mounted, and a search's
list arrives from a worker. Textual gives each key to whatever has focus when the key
*arrives*, so ``b`` would go to the list ``/`` was about to leave, and ``s`` would star
the paper highlighted before the search.

So the app passes the terminal's keys on one at a time (``KeyQueue``): the next key
is handed over only when the one before has been handled the whole way (by the
focused widget, then up the DOM to the bindings, then the focus change its action
asked for), and when the screen is ready for it: mounted, with its focus set, and,
for a screen that says so with ``ready_for(key)``, not waiting for the rows or the
paper that key would act on. A key never waits longer than ``HOLD_LIMIT``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Awaitable, Callable
from time import monotonic
from typing import TYPE_CHECKING, Any

from textual import events
from textual.app import ScreenStackError

if TYPE_CHECKING:
    from textual.app import App
    from textual.dom import DOMNode

HOLD_LIMIT = 5.0
"""Seconds a key waits for a screen that never says it is ready; then it goes anyway."""
RETRY_SECONDS = 0.01
"""How often a waiting key looks again whether the screen is ready."""


class KeyQueue:
    """The terminal's keys and pastes, handed to the app in order, one at a time."""

    def __init__(self, app: App[Any], deliver: Callable[[events.Event], Awaitable[None]]) -> None:
        """
        Args:
            app: The app the keys are for.
            deliver: Hands one event to Textual (the App's own ``on_event``).
        """
        self._app = app
        self._deliver = deliver
        self._waiting: deque[events.Event] = deque()
        self._in_flight = 0
        """The serial number of the key being handled; 0 when none is."""
        self._serial = 0
        self._since = 0.0
        """When the key at the head of the queue (or in flight) started waiting."""
        self._retrying = False

    @property
    def busy(self) -> bool:
        """Keys are waiting or being handled: more input is on its way to the screen.

        Safe to read from a worker's thread (a worker about to start a costly search
        waits while this holds, as the next key may ask for another)."""
        return bool(self._waiting) or bool(self._in_flight)

    @staticmethod
    def takes(event: events.Event) -> bool:
        """A key or paste straight from the terminal (not one Textual passes on)."""
        return isinstance(event, events.Key | events.Paste) and not event.is_forwarded

    async def put(self, event: events.Event) -> None:
        """Queue a key from the terminal; it is handed on as soon as its turn comes."""
        if not self._waiting and not self._in_flight:
            self._since = monotonic()
        self._waiting.append(event)
        if self._in_flight and monotonic() - self._since > HOLD_LIMIT:
            self._in_flight = 0  # its last step was lost (a widget closed): go on
        await self._pump()

    def _ready(self) -> bool:
        try:
            screen = self._app.screen
        except ScreenStackError:
            return True  # shutting down: Textual drops the key
        if not screen.is_mounted:
            return False  # not drawn yet (the library screen is the app's first screen)
        if screen.focused is None and screen.focus_chain:
            return False  # a new screen that has not focused its first widget yet
        ready_for = getattr(screen, "ready_for", None)
        return True if ready_for is None else bool(ready_for(self._waiting[0]))

    async def _pump(self) -> None:
        while self._waiting and not self._in_flight:
            if not self._ready() and monotonic() - self._since < HOLD_LIMIT:
                self._retry_later()
                return
            event = self._waiting.popleft()
            self._serial += 1
            serial = self._in_flight = self._serial
            self._since = monotonic()
            if isinstance(event, events.Key):
                self._app.app_focus = True  # as Textual does for a key: auto-focus needs it
            try:
                target: DOMNode = self._app.focused or self._app.screen
            except ScreenStackError:  # the app is closing: no screen to take the keys
                self._waiting.clear()
                self._in_flight = 0
                return
            await self._deliver(event)
            self._follow(list(target.ancestors_with_self), serial)

    def _retry_later(self) -> None:
        if not self._retrying:
            self._retrying = True
            self._app.set_timer(RETRY_SECONDS, self._retry)

    async def _retry(self) -> None:
        self._retrying = False
        await self._pump()

    def _follow(self, nodes: list[DOMNode], serial: int) -> None:
        """Call ``_landed`` once each node (the key's target, then its parents up to the
        app) has handled everything queued for it now, the way the key bubbles, and the
        app has had one more turn for what the key's action scheduled (a focus change)."""
        while nodes:
            node, rest = nodes[0], nodes[1:]
            if node.call_later(self._follow, rest, serial):
                return
            nodes = rest  # a node that has closed: go on from its parent
        self._app.call_later(self._landed, serial)

    async def _landed(self, serial: int) -> None:
        if serial != self._in_flight:
            return
        self._in_flight = 0
        self._since = monotonic()
        await self._pump()
