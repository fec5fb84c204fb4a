"""The highlighted paper and what the reader does with it: read it, open and copy links.

``PaperActions`` is the part of the library screen that follows the list's cursor:
it loads the highlighted paper's record for the detail pane, and runs the actions on
it. An action that needs the record waits for it (``when_current``), and the screen
tells the key queue it is not ready meanwhile, so a key never acts on a paper the
reader cannot see yet. The browser and the clipboard run in thread workers that post a
message back. Changes (star, status, note) and their undo live in ``PaperChanges``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual import on, work
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import get_current_worker

from ...core.clipboard import copy_to_system_clipboard
from ...core.links import is_web_link
from ...core.service import UnknownPaperError
from ...core.textclean import for_display
from ...core.wording import plural
from ..chores import wait_unless_cancelled
from ..messages import DetailLoaded, LinkCopied, StatusMessage
from ..widgets.paper_detail import PaperDetail
from ..widgets.paper_list import PaperList
from ..widgets.status_line import StatusLine

if TYPE_CHECKING:
    from ...core.models import PaperRecord
    from ...core.service import ReadingList

DETAIL_PAUSE_WHILE_TYPING = 0.25
"""Seconds without a keystroke before the detail pane shows a search's best match:
painting each keystroke's (a layout of the pane) would take the app's thread from the
next keystroke's list. Counted from the last key, not from the list's: a key that
leaves the list as it was must put the pane off too."""
DETAIL_PAUSE_AFTER_FIRST_ROWS = 0.1
"""Seconds the first paper's detail waits after the first rows: a search typed as the
list appears (its "/" comes within this) is drawn first, and then holds the pane off."""
MERGED_NOTE = "Someone else saved this note while you edited it: both versions are kept."


class PaperActions(Screen[None]):
    """A screen with a ``PaperList``, a ``PaperDetail`` and a ``StatusLine``, and the
    actions on the highlighted paper."""

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """Textual's, without its repaint of the whole screen: the widgets the focus leaves
    and reaches restyle and repaint themselves. Drawing every widget again cost the first
    key of a search typed with "/" (18 ms on a busy machine)."""

    def __init__(self, service: ReadingList) -> None:
        super().__init__()
        self.service = service
        self.current: PaperRecord | None = None
        """The highlighted paper's record, once loaded."""
        self.chosen_link = 1
        self._pending: tuple[int, Callable[[PaperRecord], object]] | None = None

    @property
    def paper_list(self) -> PaperList:
        return self.query_one(PaperList)

    @property
    def status(self) -> StatusLine:
        return self.query_one(StatusLine)

    # -- the highlighted paper ----------------------------------------------------------------

    @on(PaperList.Highlighted)
    def _highlight_changed(self, event: PaperList.Highlighted) -> None:
        self.chosen_link = 1
        if self._pending is not None and self._pending[0] != event.paper_id:
            self._pending = None  # the reader moved on (a click) before the paper came
        self._load_detail(event.paper_id, after_typing=True)

    @property
    def detail_not_before(self) -> float | None:
        """The ``time.monotonic`` before which the detail pane is not drawn, the screen
        having more urgent work (a search being typed, the first rows); None: at once
        (a screen with a search box or a first page says so)."""
        return None

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _load_detail(self, paper_id: int | None, *, after_typing: bool = False) -> None:
        worker = get_current_worker()
        while after_typing and (not_before := self.detail_not_before) is not None:
            left = not_before - time.monotonic()
            if left <= 0:
                break
            if not wait_unless_cancelled(worker, left):
                return  # the next keystroke's best match is on its way
        try:
            record = self.service.get(paper_id) if paper_id is not None else None
        except UnknownPaperError:  # deleted (here or elsewhere) before the list says so:
            record = None  # the list is read again, and its cursor moves to a paper there
        if not get_current_worker().is_cancelled:
            self.post_message(DetailLoaded(record))

    @on(DetailLoaded)
    def _show_detail(self, message: DetailLoaded) -> None:
        record = message.record
        if record is not None and record.id != self.paper_list.highlighted_id:
            return  # the cursor has moved on since
        self.current = record
        self.query_one(PaperDetail).show(record)
        if record is not None and self._pending is not None and self._pending[0] == record.id:
            act = self._pending[1]
            self._pending = None
            act(record)

    def when_current(self, act: Callable[[PaperRecord], object]) -> None:
        """Run ``act`` on the highlighted paper's record, now or as soon as it is loaded."""
        paper_id = self.paper_list.highlighted_id
        if paper_id is None:
            return
        if self.current is not None and self.current.id == paper_id:
            act(self.current)
        else:
            self._pending = (paper_id, act)

    @property
    def waiting_for_paper(self) -> bool:
        """An action waits for the highlighted paper's record."""
        return self._pending is not None

    def forget_pending(self) -> None:
        """The record will not come (its worker failed): drop the action waiting for it."""
        self._pending = None

    @on(StatusMessage)
    def _status_message(self, message: StatusMessage) -> None:
        self.status.set_message(message.text)
        if message.notice:
            self.notify(message.notice, severity="warning", markup=False)

    # -- reading ------------------------------------------------------------------------------

    def action_read(self) -> None:
        from .reader import ReaderScreen  # the reader, like each dialog, loads when first used

        self.when_current(lambda record: self.app.push_screen(ReaderScreen(record)))

    def action_scroll_detail(self, lines: int) -> None:
        detail = self.query_one(PaperDetail)
        if detail.display:
            detail.scroll_relative(y=lines * max(1, detail.size.height - 2), animate=False)
        else:
            self.action_read()  # no pane at this width: read full screen instead

    # -- links --------------------------------------------------------------------------------

    def _link(self, record: PaperRecord, number: int, *, opening: bool = False) -> str | None:
        """The paper's link ``number`` (from 1), or None, the reader told why;
        ``opening``: for a key that opens it, which p can do instead."""
        if not record.links:
            arxiv = " (p opens its arXiv page)" if opening and record.arxiv_id else ""
            self.notify(f"This paper has no links{arxiv}.", severity="warning", markup=False)
            return None
        if number > len(record.links):
            count = len(record.links)
            self.notify(
                f"This paper has only {plural(count, 'link')}.",
                severity="warning",
                markup=False,
            )
            return None
        url = for_display(record.links[number - 1], one_line=True)
        if not is_web_link(url):
            self.notify("Only http(s) links are opened.", severity="warning", markup=False)
            return None
        return url

    def action_open_link(self, number: int = 1) -> None:
        def open_link(record: PaperRecord) -> None:
            if (url := self._link(record, number, opening=True)) is not None:
                self.chosen_link = number
                self._open_in_browser(url)

        self.when_current(open_link)

    def action_open_paper(self, page: str = "abs") -> None:
        """Open the paper's arXiv page, its PDF ("pdf") or its Hugging Face page ("hf")."""
        from ...core.paper_pages import PAGE_NAMES, paper_page

        def open_page(record: PaperRecord) -> None:
            url = paper_page(record.arxiv_id, page)
            if url is None:
                self.notify(
                    f"No arXiv id is known for this paper, so it has no {PAGE_NAMES[page]}"
                    " (import it from a saved page or the API, or fetch, to learn it).",
                    severity="warning",
                    markup=False,
                )
            else:
                self._open_in_browser(url)

        self.when_current(open_page)

    @work(thread=True, group="browser", exit_on_error=False)
    def _open_in_browser(self, url: str) -> None:
        import webbrowser

        try:
            opened = webbrowser.open(url, new=2)
        except webbrowser.Error:
            opened = False
        if opened:
            self.post_message(StatusMessage(f"Opened {url}"))
        else:
            failed = f"No browser could be started. Link: {url}"
            self.post_message(StatusMessage(failed, notice=failed))

    def action_copy_link(self) -> None:
        def copy(record: PaperRecord) -> None:
            if (url := self._link(record, self.chosen_link)) is not None:
                self._copy(url)

        self.when_current(copy)

    @work(thread=True, group="clipboard", exit_on_error=False)
    def _copy(self, url: str) -> None:
        self.post_message(LinkCopied(url, copy_to_system_clipboard(url)))

    @on(LinkCopied)
    def _link_copied(self, message: LinkCopied) -> None:
        if message.to_system:
            self.status.set_message(f"Copied {message.url}")
            return
        self.app.copy_to_clipboard(message.url)
        self.status.set_message(f"Copied {message.url} with the terminal's clipboard (OSC 52)")
        self.notify(
            "No system clipboard here; sent the link to the terminal's clipboard (OSC 52).",
            markup=False,
        )
