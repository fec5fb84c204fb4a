"""The main screen: search box, paper list, detail pane and status line.

This module owns what the list shows (the search, its order, the starred filter) and
loading it; the actions on the highlighted paper live in ``PaperActions``, importing
and exporting beside their dialogs. Handlers stay on the UI thread and only update
widgets; anything that touches the library runs in a thread worker that posts a
message back, and results computed for an older view are dropped on arrival.
"""

from __future__ import annotations

import time
from functools import partial
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.events import DescendantFocus, Event, Key, Resize
from textual.reactive import reactive
from textual.widgets import Input, Static
from textual.worker import Worker, WorkerState

from ...core.query import filter_summary
from ...core.search import parse_query
from ...core.sorting import SORTS
from ...core.textclean import for_display
from ..keys import KeyQueue
from ..messages import (
    BEST_MATCH,
    LibraryChanged,
    PapersChanged,
    RowsFetched,
    RowsLoaded,
    View,
)
from ..view_memory import DEFAULT_SORT, ViewMemory
from ..widgets.paper_detail import PaperDetail
from ..widgets.paper_list import PaperList
from ..widgets.search_box import SearchBox
from ..widgets.status_line import StatusLine
from .import_export import ImportExport
from .library_chores import LibraryChores
from .library_keys import LIBRARY_BINDINGS, WRITING_ACTIONS
from .list_loading import load_view, rows_message
from .paper_actions import DETAIL_PAUSE_AFTER_FIRST_ROWS, DETAIL_PAUSE_WHILE_TYPING

if TYPE_CHECKING:
    from ...core.service import ReadingList
    from ..first_page import FirstPage

CHANGE_POLL_SECONDS = 2.0
FIRST_ROWS_PATIENCE = 0.2
"""Seconds the first frame waits for the list's first rows (``first_frame_ready``): drawn
without them, it is drawn again with them a moment later, and that took longer."""
NARROW_WIDTH = 70
KEYS_NEEDING_NO_LIST = frozenset(
    key.strip()
    for binding in LIBRARY_BINDINGS
    if isinstance(binding, Binding) and binding.action == "focus_search"
    for key in binding.key.split(",")
)
"""Keys that act on no paper or row (they focus the search box): never held for the list."""


class LibraryScreen(LibraryChores, ImportExport):
    """Browse, search and annotate the reading list."""

    # Its styles (library.tcss) are the app's: ``ReadingListApp.CSS_PATH`` says why.
    AUTO_FOCUS = "#papers"
    BINDINGS = LIBRARY_BINDINGS

    # The view's parts: each change reads the list again (its watcher); the screen draws
    # none of them itself, so none repaints it (every widget on it, once a keystroke).
    search_text: reactive[str] = reactive("", init=False, repaint=False)
    """The search box's text: free words plus field filters."""
    sort: reactive[str] = reactive(DEFAULT_SORT, init=False, repaint=False)
    """Order of the list when there is no free-text search."""
    search_sort: reactive[str] = reactive(BEST_MATCH, init=False, repaint=False)
    """Order of a search's matches: best match first, or a sort key."""
    starred_only: reactive[bool] = reactive(False, init=False, repaint=False)
    """Show only starred papers."""

    def __init__(self, service: ReadingList, *, first_page: FirstPage | None = None) -> None:
        """``first_page``: the list's first page, read as the app started (``ui.first_page``)."""
        super().__init__(service)
        self._first_page = first_page
        self._loading: View | None = None
        """The view being read; keys for the list wait until it is shown."""
        self._first_page_of: View | None = None
        """The view whose first page is shown while the rest is read."""
        self._list_put_off = False
        """The rest of the list was not read (``/`` came first): read it when it is back."""
        self._known_token: int | None = None
        self._first_rows_at: float | None = None  # when the first rows came
        self._memory = ViewMemory(None, service.name)

    def compose(self) -> ComposeResult:
        yield SearchBox(placeholder=f"Search (/) · {filter_summary()} · typos welcome", id="search")
        if self.service.read_only:
            name = for_display(self.service.name, one_line=True)
            text = f"Read-only library ({name}): browsing works; changes cannot be saved."
            yield Static(Content(text), id="banner")
        with Horizontal(id="main"):
            yield PaperList(id="papers", marks=self.marks)
            yield PaperDetail(id="detail")
        yield StatusLine(id="status")
        yield Static(id="footer-space")  # the footer's line, until it is mounted

    def on_mount(self) -> None:
        settings = getattr(self.app, "settings", None)
        save = getattr(self.app, "save_setting", None)  # writes in the app's worker
        self._memory = ViewMemory(settings, self.service.name, save=save)
        remembered = self._memory.recall(SORTS, default_sort=self.sort)
        self.set_reactive(LibraryScreen.sort, remembered.sort)
        self.set_reactive(LibraryScreen.starred_only, remembered.starred_only)
        self.reload(keep_id=remembered.paper_id)
        self.set_interval(CHANGE_POLL_SECONDS, self._poll_for_changes)
        self.set_timer(FIRST_ROWS_PATIENCE, self.first_frame_ready)  # else with its rows

    @property
    def _keys(self) -> KeyQueue | None:
        """The app's key queue, if it has one (read by the rows worker)."""
        return getattr(self.app, "key_queue", None)

    @property
    def search_box(self) -> Input:
        return self.query_one("#search", Input)

    @property
    def detail_not_before(self) -> float | None:
        waits = []
        if self.focused is self.search_box:
            waits.append(self._last_typed + DETAIL_PAUSE_WHILE_TYPING)
        if self._first_rows_at is not None:
            waits.append(self._first_rows_at + DETAIL_PAUSE_AFTER_FIRST_ROWS)
        return max(waits, default=None)

    def ready_for(self, key: Event) -> bool:
        """False while ``key`` would act on a list or paper not on screen yet (``ui.keys``).

        A key that only moves to the search box (``/``) never waits: at 100,000 papers
        the whole list's ids arrive a third of a second after its first page, and a
        reader starts typing a search at once."""
        if self.focused is not self.paper_list:
            return True  # the search box takes keys as they come
        if isinstance(key, Key) and key.key in KEYS_NEEDING_NO_LIST:
            return True
        return (
            not (self._loading or self.paper_list.fetching_highlighted or self.waiting_for_paper)
            and not self._export_starting
            and not self.writing
        )

    def on_key(self, event: Key) -> None:
        """A key reached the screen: news about the last action is no longer news."""
        self._last_typed = time.monotonic()
        self.status.clear_message()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    def _poll_for_changes(self) -> None:
        self._memory.save_paper()  # if the cursor moved
        if self.app.screen is self:  # not while a dialog is open
            self.check_for_changes()

    def on_unmount(self) -> None:
        self._memory.save_paper(now=True)

    @on(PaperList.Highlighted)
    def _remember_highlighted(self, event: PaperList.Highlighted) -> None:
        self._memory.highlighted(event.paper_id)

    def check_for_changes(self) -> None:
        """Look now whether another instance wrote (the screen looks every 2 s)."""
        if self._known_token is not None:
            self._check_for_changes(self._known_token)

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def _check_for_changes(self, known: int) -> None:
        """Another instance (a script, a second terminal) changed the library: show it."""
        token = self.service.change_token()
        if token != known:
            self.post_message(LibraryChanged(token))

    @on(LibraryChanged)
    def _library_changed(self, message: LibraryChanged) -> None:
        self._known_token = message.change_token
        self.action_refresh()
        self._prepare_search()  # new papers bring new words

    def action_refresh(self) -> None:
        self.reload()
        self._load_detail(self.paper_list.highlighted_id)

    # -- what the list shows ------------------------------------------------------------------

    @property
    def view(self) -> View:
        searching = bool(parse_query(self.search_text).text)
        order = self.search_sort if searching else self.sort
        return View(self.search_text, order, self.starred_only)

    def reload(self, keep_id: int | None = None, *, from_top: bool = False) -> None:
        """Read the list for the current view again, in a worker, keeping the cursor on
        ``keep_id`` (by default the highlighted paper) or, ``from_top``, on the first."""
        self._list_put_off = False
        if keep_id is None and not from_top:
            keep_id = self.paper_list.highlighted_id
        self._loading = self.view
        self._load_rows(self._loading, keep_id)

    def _load_rows(self, view: View, keep_id: int | None) -> None:
        first_page, self._first_page = self._first_page, None  # for the first list only
        if first_page and not first_page.is_for(view.query, view.order, view.starred_only):
            first_page = None  # another view: read its own
        shown = None
        if first_page and first_page.ready and first_page.found is not None:
            message = rows_message(view, first_page.found, keep_id, first=True)
            self._show_rows(message)  # now, not posted: in the first frame whatever else runs
            if message.painted is None:  # the whole list
                return
            shown, first_page = message.painted, None
        self.run_worker(
            partial(load_view, self, view, keep_id, self._keys, first_page=first_page, shown=shown),
            thread=True,
            exclusive=True,
            group="rows",
            exit_on_error=False,
        )

    @on(RowsLoaded)
    def _show_rows(self, message: RowsLoaded) -> None:
        if message.view != self.view:
            return  # a newer keystroke or filter has already asked for another list
        paper_list = self.paper_list
        paper_list.empty_message = self._empty_message()
        keep_id = message.keep_id
        if self._first_page_of == message.view and (
            paper_list.cursor or keep_id in paper_list.ids  # else: beyond the first page
        ):
            keep_id = paper_list.highlighted_id  # the reader may have moved meanwhile
        self._first_page_of = None if message.complete else message.view
        if self._first_rows_at is None:
            self._first_rows_at = time.monotonic()
        query = parse_query(message.view.query)  # once, not once a highlighted row
        order = message.view.order  # its column stays on a narrow list
        paper_list.show(message.ids, message.rows, query=query, keep_id=keep_id, order=order)
        self.draw_when_updated(paper_list)
        if message.complete:
            self._loading = None
            self._known_token = message.change_token
        self._update_status(complete=message.complete)
        self.first_frame_ready()  # if these are the first rows: the first frame may show them
        if message.painted is not None:
            self.after_frame(message.painted.set)  # the rest of the list is read now
        if not self._chores_started:
            self.after_frame(self._start_chores)  # once these rows are painted

    def _empty_message(self) -> str:
        if self.search_text.strip():
            return "No papers match this search. Escape clears it."
        if self.starred_only:
            return "No starred papers yet. Press f to show all, s to star one."
        return "The reading list is empty. Press i to import a saved page."

    def watch_search_text(self, old: str, new: str) -> None:
        self._last_typed = time.monotonic()
        if bool(old) != bool(new):  # Escape clears a search only when there is one
            self._announce_keys_after_typing()
        if not parse_query(new).text:
            self.set_reactive(LibraryScreen.search_sort, BEST_MATCH)  # the next search too
        self.status.clear_message()
        self.reload(from_top=parse_query(old).text != parse_query(new).text)

    def watch_sort(self) -> None:
        self._memory.remember_view(self.sort, self.starred_only)
        self.reload()

    def watch_search_sort(self) -> None:
        if parse_query(self.search_text).text:
            self.reload()

    def watch_starred_only(self) -> None:
        self._memory.remember_view(self.sort, self.starred_only)
        self.reload()

    @on(PaperList.RowsWanted)
    def _rows_wanted(self, message: PaperList.RowsWanted) -> None:
        self._fetch_rows(message.ids, message.generation)

    @work(thread=True, group="fetch", exit_on_error=False)
    def _fetch_rows(self, ids: list[int], generation: int) -> None:
        self.post_message(RowsFetched(self.service.summaries(ids), generation))

    @on(RowsFetched)
    def _rows_fetched(self, message: RowsFetched) -> None:
        self.paper_list.add_rows(message.rows, message.generation)

    @on(PapersChanged)
    def _left_the_filter(self, message: PapersChanged) -> None:
        if not self.starred_only:
            return
        listed = set(self.paper_list.ids)
        if any(summary.starred != (summary.id in listed) for summary in message.summaries):
            self.reload()  # some no longer belong in this view, or (an undo) belong again

    def _update_status(self, *, complete: bool = True) -> None:
        parsed = parse_query(self.search_text)
        self.status.show_view(
            self.paper_list.total,
            complete=complete,
            order=self.view.order,
            starred_only=self.starred_only,
            problems=list(parsed.problems),
        )

    # -- search box, sort and filter ----------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in WRITING_ACTIONS and self.service.read_only:
            return False
        searching = self.focused is self.search_box
        if action in ("finish_search", "focus_search"):
            return searching == (action == "finish_search")  # "/" is typed in the box
        if action == "clear_search":
            return searching or bool(self.search_text)
        if action in ("read", "toggle_mark"):
            return not searching
        if action == "clear_marks" and self.check_action("clear_search", parameters):
            return False  # escape clears the search first, then the marks
        return self.check_change_action(action)

    def action_focus_search(self) -> None:
        if self._first_page_of is not None and not parse_query(self.search_text).text:
            # The whole list's ids are being read (a third of a second at 100,000 papers)
            # for a list a search is about to replace: stop, and read it when it is back.
            self.workers.cancel_group(self, "rows")
            self._list_put_off = True
        self.set_focus(self.search_box)  # now, not next turn: the next key is for the box

    @on(DescendantFocus)
    def _list_wanted_again(self, event: DescendantFocus) -> None:
        """The focus left the search box with no search typed: the list read put off
        by ``/`` is read now (a search typed meanwhile has read its own)."""
        if self._list_put_off and event.widget is not self.search_box:
            self._list_put_off = False
            self.reload()

    def action_finish_search(self) -> None:
        """Enter in the search box: the list, at the best match."""
        self.search_text = self.search_box.value  # the box's latest, before its message comes
        self.set_focus(self.paper_list)
        self.paper_list.cursor = 0

    def action_clear_search(self) -> None:
        self.search_box.value = ""
        self.search_text = ""
        self.set_focus(self.paper_list)

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search_text = event.value

    def action_toggle_starred_only(self) -> None:
        self.starred_only = not self.starred_only

    def action_cycle_sort(self) -> None:
        if parse_query(self.search_text).text:
            orders = (BEST_MATCH, *SORTS)
            self.search_sort = orders[(orders.index(self.search_sort) + 1) % len(orders)]
        else:
            self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]

    def jump_to(self, paper_id: int) -> None:
        """Show ``paper_id`` in the list, clearing the search and filter if they hide it
        (and the news of the last action: the palette's keys never reached this screen)."""
        self.status.clear_message()
        self.search_box.value = ""
        self.set_reactive(LibraryScreen.search_text, "")
        self.set_reactive(LibraryScreen.search_sort, BEST_MATCH)
        self.set_reactive(LibraryScreen.starred_only, False)
        self._memory.remember_view(self.sort, self.starred_only)
        self.set_focus(self.paper_list)
        self.reload(keep_id=paper_id)

    # -- errors -------------------------------------------------------------------------------

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state != WorkerState.ERROR or event.worker.error is None:
            return
        group = event.worker.group
        if group == "rows":
            self._loading = None  # keys must not wait for a list that will not come
            paper_list = self.query_one(PaperList)  # else an empty list says "Loading…"
            error = for_display(str(event.worker.error), one_line=True)
            paper_list.empty_message = f"Could not load the list: {error}"
            paper_list.refresh()
            self.first_frame_ready()
            self._start_chores()
        elif group == "detail":
            self.forget_pending()
        elif group == "export":
            self.export_started()
        elif group == "import":
            self.import_failed()
        self.notify(
            for_display(str(event.worker.error)),
            title="Error",
            severity="error",
            markup=False,
            timeout=10,
        )
