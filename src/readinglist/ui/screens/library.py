"""The main screen: search box, paper list, detail pane, and every reading action.

Handlers stay on the UI thread and only update widgets; anything that touches the
library, the clipboard, the browser or a file runs in a thread worker that posts a
message back. Results computed for an older query are dropped on arrival.
"""

from __future__ import annotations

import webbrowser
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.content import Content
from textual.events import Resize
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.worker import Worker, WorkerState, get_current_worker

from ...core.clipboard import copy_to_system_clipboard
from ...core.links import is_web_link
from ...core.models import PaperRecord
from ...core.search import parse_query
from ...core.textclean import for_display
from ..messages import DetailLoaded, PagesImported, PaperChanged, RowsLoaded
from ..widgets.paper_detail import PaperDetail
from ..widgets.paper_list import PaperList
from .export_dialog import run_export
from .import_dialog import ImportDialog, import_files, show_import_reports
from .note_editor import NoteEditor

if TYPE_CHECKING:
    from ...core.service import ReadingList

SORTS = ("date", "upvotes", "title", "added")
SEARCH_RESULT_LIMIT = 1000
FIRST_PAGE = 200
CHANGE_POLL_SECONDS = 2.0
NARROW_WIDTH = 70


class LibraryScreen(Screen[None]):
    """Browse, search and annotate the reading list."""

    CSS_PATH = "library.tcss"
    BINDINGS = [
        Binding(
            "slash", "focus_search", "Search", tooltip="Search as you type", id="library.search"
        ),
        Binding("escape", "clear_search", "Clear search", show=False, id="library.clear_search"),
        Binding("s", "toggle_star", "Star", tooltip="Star or unstar this paper", id="library.star"),
        Binding("n", "edit_note", "Note", tooltip="Edit this paper's note", id="library.note"),
        Binding(
            "o",
            "open_link(1)",
            "Open link",
            tooltip="Open the first link in the browser",
            id="library.open",
        ),
        Binding(
            "c",
            "copy_link",
            "Copy link",
            tooltip="Copy the link to the clipboard",
            id="library.copy",
        ),
        Binding(
            "e",
            "export",
            "Export",
            tooltip="Export the starred list to Markdown",
            id="library.export",
        ),
        Binding("i", "import_page", "Import", tooltip="Import a saved page", id="library.import"),
        Binding(
            "f",
            "toggle_starred_only",
            "Starred only",
            tooltip="Show only starred papers",
            id="library.filter",
        ),
        Binding(
            "r", "cycle_status", "Status", tooltip="Unread → reading → read", id="library.status"
        ),
        Binding(
            "S",
            "cycle_sort",
            "Sort",
            tooltip="Sort by date, upvotes, title or added",
            id="library.sort",
        ),
        *(Binding(str(n), f"open_link({n})", f"Open link {n}", show=False) for n in range(1, 10)),
    ]

    search_text: reactive[str] = reactive("", init=False)
    """The search box's text: free words plus field filters."""
    sort: reactive[str] = reactive("date", init=False)
    """Order of the list when there is no free-text search."""
    starred_only: reactive[bool] = reactive(False, init=False)
    """Show only starred papers."""

    def __init__(self, service: ReadingList) -> None:
        super().__init__()
        self.service = service
        self.current: PaperRecord | None = None
        self.chosen_link = 1
        self.status_message = ""
        self._partial_shown = False
        self._known_token: int | None = None

    def compose(self) -> ComposeResult:
        yield Input(
            placeholder="Search (/) · typos welcome · is:starred has:code has:note org:NAME year:2024",  # noqa: E501
            id="search",
        )
        if self.service.read_only:
            text = (
                f"Read-only library ({self.service.name}): browsing works; changes cannot be saved."
            )
            yield Static(Content(text), id="banner")
        with Horizontal(id="main"):
            yield PaperList(id="papers")
            yield PaperDetail(id="detail")
        yield Static(id="status")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(PaperList).focus()
        self.reload()
        self._daily_backup()
        self._prepare_search()
        self.set_interval(CHANGE_POLL_SECONDS, self._poll_for_changes)

    @work(thread=True, exclusive=True, group="search-index", exit_on_error=False)
    def _prepare_search(self) -> None:
        """Load the search vocabulary (0.3 s at 100,000 papers) before the first keystroke."""
        self.service.prepare_search()

    def _poll_for_changes(self) -> None:
        if not self.app.screen_stack or self.app.screen is not self:
            return  # not while a dialog is open
        self._check_for_changes()

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def _check_for_changes(self) -> None:
        """Another instance (a script, a second terminal) changed the library: show it."""
        token = self.service.change_token()
        if self._known_token is not None and token != self._known_token:
            self.app.call_from_thread(self.action_refresh)
            self.app.call_from_thread(self._prepare_search)  # new papers bring new words
        self._known_token = token

    def action_refresh(self) -> None:
        self.reload()
        paper = self.query_one(PaperList).highlighted
        self._load_detail(paper.id if paper else None)

    @work(thread=True, group="backup", exit_on_error=False)
    def _daily_backup(self) -> None:
        """Once a day, a checked copy of the library beside it (after the first frame)."""
        self.service.daily_backup()

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < NARROW_WIDTH, "-narrow")

    # -- loading the list ---------------------------------------------------------------------

    def reload(self, keep_id: int | None = None) -> None:
        """Recompute the list for the current query, sort and filter, in a worker."""
        if keep_id is None and (paper := self.query_one(PaperList).highlighted):
            keep_id = paper.id
        self._load_rows(self.search_text, self.sort, self.starred_only, keep_id)

    @work(thread=True, exclusive=True, group="rows", exit_on_error=False)
    def _load_rows(self, query: str, sort: str, starred_only: bool, keep_id: int | None) -> None:
        # Whatever another instance writes after this point is newer than these rows.
        self._known_token = self.service.change_token()
        parsed = parse_query(query)
        if starred_only:
            parsed = replace(parsed, starred=True)
        if parsed.text:
            hits = self.service.search(parsed, limit=SEARCH_RESULT_LIMIT)
            rows = self.service.summaries([hit.id for hit in hits])
        else:
            # A screenful first: reading 100,000 rows takes longer than a first frame should.
            first = self.service.list(sort=sort, filters=parsed, limit=FIRST_PAGE)
            if len(first) < FIRST_PAGE:
                rows = first
            else:
                if not get_current_worker().is_cancelled:
                    self.post_message(RowsLoaded(query, sort, starred_only, first, keep_id, True))
                rows = self.service.list(sort=sort, filters=parsed)
        if not get_current_worker().is_cancelled:
            self.post_message(RowsLoaded(query, sort, starred_only, rows, keep_id))

    @on(RowsLoaded)
    def _show_rows(self, message: RowsLoaded) -> None:
        if (message.query, message.sort, message.starred_only) != (
            self.search_text,
            self.sort,
            self.starred_only,
        ):
            return  # a newer keystroke or filter has already asked for another list
        paper_list = self.query_one(PaperList)
        paper_list.empty_message = self._empty_message()
        keep_id = message.keep_id
        if self._partial_shown and not message.partial and paper_list.highlighted:
            keep_id = paper_list.highlighted.id  # the reader may have moved meanwhile
        self._partial_shown = message.partial
        paper_list.set_rows(message.rows, query=parse_query(message.query).text, keep_id=keep_id)
        self._update_status()

    def _empty_message(self) -> str:
        if self.search_text.strip():
            return "No papers match this search. Escape clears it."
        if self.starred_only:
            return "No starred papers yet. Press f to show all, s to star one."
        return "The reading list is empty. Press i to import a saved page."

    def watch_search_text(self) -> None:
        self.reload()

    def watch_sort(self) -> None:
        self.reload()

    def watch_starred_only(self) -> None:
        self.reload()

    # -- the highlighted paper ----------------------------------------------------------------

    @on(PaperList.Highlighted)
    def _highlight_changed(self, event: PaperList.Highlighted) -> None:
        self.chosen_link = 1
        self._load_detail(event.paper_id)

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _load_detail(self, paper_id: int | None) -> None:
        record = self.service.get(paper_id) if paper_id is not None else None
        if not get_current_worker().is_cancelled:
            self.post_message(DetailLoaded(record))

    @on(DetailLoaded)
    def _show_detail(self, message: DetailLoaded) -> None:
        highlighted = self.query_one(PaperList).highlighted
        if message.record is not None and (
            highlighted is None or highlighted.id != message.record.id
        ):
            return
        self.current = message.record
        self.query_one(PaperDetail).show(message.record)

    @on(PaperChanged)
    def _paper_changed(self, message: PaperChanged) -> None:
        self.query_one(PaperList).update_row(message.summary)
        if self.current and self.current.id == message.record.id:
            self.current = message.record
            self.query_one(PaperDetail).show(message.record)
        if message.message:
            self.set_status(message.message)
        if self.starred_only and not message.summary.starred:
            self.reload(keep_id=message.summary.id)

    def _publish_change(self, paper_id: int, text: str) -> None:
        """From a worker: send the paper's fresh row and record to the UI."""
        [summary] = self.service.summaries([paper_id])
        self.post_message(PaperChanged(summary, self.service.get(paper_id), text))

    # -- search box ---------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_clear_search(self) -> None:
        search = self.query_one("#search", Input)
        search.value = ""
        self.query_one(PaperList).focus()

    @on(Input.Changed, "#search")
    def _search_changed(self, event: Input.Changed) -> None:
        self.search_text = event.value

    @on(Input.Submitted, "#search")
    def _search_submitted(self) -> None:
        paper_list = self.query_one(PaperList)
        paper_list.focus()
        paper_list.cursor = 0

    # -- reading actions ----------------------------------------------------------------------

    def _highlighted_id(self) -> int | None:
        paper = self.query_one(PaperList).highlighted
        if paper is None:
            self.notify("No paper selected.", severity="warning", markup=False)
            return None
        return paper.id

    def action_toggle_star(self) -> None:
        paper = self.query_one(PaperList).highlighted
        if paper is not None:
            self._set_star(paper.id, not paper.starred)

    @work(thread=True, group="write", exit_on_error=False)
    def _set_star(self, paper_id: int, starred: bool) -> None:
        self.service.star([paper_id], starred)
        self._publish_change(paper_id, "Starred" if starred else "Unstarred")

    def action_cycle_status(self) -> None:
        if (paper_id := self._highlighted_id()) is not None:
            self._cycle_status(paper_id)

    @work(thread=True, group="write", exit_on_error=False)
    def _cycle_status(self, paper_id: int) -> None:
        status = self.service.cycle_status(paper_id)
        self._publish_change(paper_id, f"Marked as {status}")

    def action_edit_note(self) -> None:
        record = self.current
        paper = self.query_one(PaperList).highlighted
        if paper is None or record is None or record.id != paper.id:
            return
        paper_id = record.id

        def save(text: str | None) -> None:
            if text is not None and text != record.note:
                self._save_note(paper_id, text, record.note)

        self.app.push_screen(NoteEditor(record.title, record.note), save)

    @work(thread=True, group="write", exit_on_error=False)
    def _save_note(self, paper_id: int, text: str, base: str) -> None:
        """Save over ``base``, the note the editor opened with: a save someone else made
        meanwhile is kept beside this one, never overwritten."""
        if self.service.set_note(paper_id, text, base=base).merged:
            self.app.call_from_thread(
                self.notify,
                "Someone else saved this note while you edited it: both versions are kept.",
                severity="warning",
                markup=False,
                timeout=8,
            )
        self._publish_change(paper_id, "Note saved" if text.strip() else "Note cleared")

    def _link(self, number: int) -> str | None:
        record = self.current
        if record is None:
            return None
        if not record.links:
            self.notify("This paper has no links.", severity="warning", markup=False)
            return None
        if number > len(record.links):
            self.notify(
                f"This paper has only {len(record.links)} link(s).",
                severity="warning",
                markup=False,
            )
            return None
        url = record.links[number - 1]
        if not is_web_link(url):
            self.notify("Only http(s) links are opened.", severity="warning", markup=False)
            return None
        return url

    def action_open_link(self, number: int = 1) -> None:
        if (url := self._link(number)) is not None:
            self.chosen_link = number
            self._open_in_browser(url)

    @work(thread=True, group="browser", exit_on_error=False)
    def _open_in_browser(self, url: str) -> None:
        try:
            opened = webbrowser.open(url, new=2)
        except webbrowser.Error:
            opened = False
        if opened:
            self.app.call_from_thread(self.set_status, f"Opened {url}")
        else:
            self.app.call_from_thread(self.set_status, f"No browser could be started. Link: {url}")
            self.notify(
                f"No browser could be started. Link: {url}", severity="warning", markup=False
            )

    def action_copy_link(self) -> None:
        if (url := self._link(self.chosen_link)) is not None:
            self._copy(url)

    @work(thread=True, group="clipboard", exit_on_error=False)
    def _copy(self, url: str) -> None:
        if copy_to_system_clipboard(url):
            self.app.call_from_thread(self.set_status, f"Copied {url}")
            return
        self.app.call_from_thread(self.app.copy_to_clipboard, url)
        self.app.call_from_thread(
            self.set_status, f"Copied {url} with the terminal's clipboard (OSC 52)"
        )
        self.notify(
            "No system clipboard here; sent the link to the terminal's clipboard (OSC 52).",
            markup=False,
        )

    def action_toggle_starred_only(self) -> None:
        self.starred_only = not self.starred_only

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self.set_status(f"Sorted by {self.sort}")

    def action_export(self) -> None:
        self.run_worker(run_export(self), exclusive=True, group="export", exit_on_error=False)

    def action_import_page(self) -> None:
        def chosen(path: Path | None) -> None:
            if path is not None:
                self.set_status(f"Importing {path}…")
                # Not exclusive: a second import must not cut the first short. Each
                # batch of pages is one transaction, so two imports queue for the lock.
                self.run_worker(
                    partial(import_files, self, path),
                    thread=True,
                    group="import",
                    exit_on_error=False,
                )

        self.app.push_screen(ImportDialog(Path.cwd()), chosen)

    @on(PagesImported)
    def _imported(self, message: PagesImported) -> None:
        show_import_reports(self, message.reports)
        self.reload()

    def jump_to(self, paper_id: int) -> None:
        """Show ``paper_id`` in the list, clearing the search and filter if they hide it."""
        self.query_one("#search", Input).value = ""
        self.set_reactive(LibraryScreen.search_text, "")
        self.set_reactive(LibraryScreen.starred_only, False)
        self.query_one(PaperList).focus()
        self._load_rows("", self.sort, False, paper_id)

    # -- status line and errors -----------------------------------------------------------------

    def set_status(self, message: str) -> None:
        self.status_message = message
        self._update_status()

    def _update_status(self) -> None:
        shown = len(self.query_one(PaperList).rows)
        parts = [f"{shown} paper{'s' if shown != 1 else ''}"]
        parts.append(
            "best match first" if parse_query(self.search_text).text else f"by {self.sort}"
        )
        if self.starred_only:
            parts.append("starred only")
        unknown = parse_query(self.search_text).problems
        if unknown:
            parts.append(f"unknown filter {', '.join(unknown)} ignored (? for help)")
        if self.status_message:
            parts.append(self.status_message)
        self.query_one("#status", Static).update(Content(" · ".join(parts)))

    @on(Worker.StateChanged)
    def _worker_failed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR and event.worker.error is not None:
            self.notify(
                str(event.worker.error), title="Error", severity="error", markup=False, timeout=10
            )
            if event.worker.group == "rows":  # else an empty list says "Loading…" for ever
                paper_list = self.query_one(PaperList)
                error = for_display(str(event.worker.error), one_line=True)
                paper_list.empty_message = f"Could not load the list: {error}"
                paper_list.refresh()
