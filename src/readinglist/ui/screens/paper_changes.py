"""The reader's changes to papers: marks, star, status and note, and undo.

``PaperChanges`` is the part of the library screen that writes. Star and status act
on every marked paper while any is marked (``space`` marks and moves to the next
paper, ``escape`` clears the marks once the search is cleared), otherwise on the
highlighted paper. Each change is recorded as a ``Change`` on the session's
``UndoStack``, and ``u`` puts back the newest one (``ui.undo``).

Writes run in thread workers that post ``PapersChanged`` back. While one runs the
screen is not ready for keys (``writing``), so ``s`` then ``u`` typed fast undoes
the star, and ``r r`` on marked papers moves them twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual import on, work
from textual.worker import Worker, WorkerState

from ...core.models import STATUSES, PaperRecord
from ..marks import Marks
from ..messages import PapersChanged
from ..widgets.paper_detail import PaperDetail
from .paper_actions import PaperActions

if TYPE_CHECKING:
    from ...core.service import ReadingList
    from ..undo import Change, UndoStack  # loaded with the first change, not for the first frame

WRITE_GROUPS = ("write",)
"""Worker groups whose results the next key must wait for."""
WRITE_ACTIONS = frozenset(
    {"toggle_star", "cycle_status", "edit_note", "tag_papers", "delete_papers", "undo"}
)
"""Actions that write to the library, on the marked papers or the highlighted one (for a
read-only library's ``check_action``)."""


def next_status(statuses: Sequence[str]) -> str:
    """The status ``r`` gives papers now in ``statuses``: the one after the least advanced
    (so papers at mixed stages move together, and keep moving together)."""
    least = min(STATUSES.index(status) for status in statuses)
    return STATUSES[(least + 1) % len(STATUSES)]


class PaperChanges(PaperActions):
    """Marks, the writes on the highlighted or marked papers, and their undo."""

    def __init__(self, service: ReadingList) -> None:
        super().__init__(service)
        self.marks = Marks()
        """The papers marked with ``space`` (ids; the list draws them from here)."""
        self._undo_stack: UndoStack | None = None
        self._writes = 0

    @property
    def undo_stack(self) -> UndoStack:
        """This session's changes, newest last."""
        if self._undo_stack is None:
            from ..undo import UndoStack

            self._undo_stack = UndoStack()
        return self._undo_stack

    @property
    def writing(self) -> bool:
        """A change (or an undo) is being written and its result is not shown yet."""
        return self._writes > 0

    def check_change_action(self, action: str) -> bool:
        """``check_action`` for the actions of this class (True for any other); a
        read-only library's are left out by the screen (``WRITING_ACTIONS``)."""
        if action == "clear_marks":
            return bool(self.marks)
        return True

    # -- marks --------------------------------------------------------------------------------

    def action_toggle_mark(self) -> None:
        paper_list = self.paper_list
        paper_id = paper_list.highlighted_id
        if paper_id is None:
            return
        self.marks.toggle(paper_id)
        paper_list.refresh_line(paper_list.cursor)  # one row, however long the list
        # On to the next paper (not past the last), as in mc or mutt: space, space,
        # space marks a run of papers.
        paper_list.action_cursor_down()
        self._marks_changed()

    def action_clear_marks(self) -> None:
        if self.marks.clear():
            self.paper_list.refresh()  # the rows on screen
            self._marks_changed()
            self.status.set_message("Marks cleared")

    def _marks_changed(self) -> None:
        self.status.set_marked(len(self.marks))
        self.refresh_bindings()  # escape clears the marks only while there are some

    # -- star and status ----------------------------------------------------------------------

    def action_toggle_star(self) -> None:
        if self.marks:
            self._begin_write()
            self._star(self.marks.ids, None, self.paper_list.highlighted_id)
        else:
            self.when_current(self._star_highlighted)

    def _star_highlighted(self, record: PaperRecord) -> None:
        self._begin_write()
        self._star([record.id], not record.starred, record.id)

    @work(thread=True, group="write", exit_on_error=False)
    def _star(self, ids: list[int], starred: bool | None, highlighted: int | None) -> None:
        """Star ``ids`` (with ``starred`` None: all of them unless all are starred already:
        then unstar them all)."""
        from ..undo import StarChange, papers

        before = {row.id: row.starred for row in self.service.summaries(ids)}
        if not before:
            return
        if starred is None:
            starred = not all(before.values())
        self.service.star(list(before), starred)
        done = "Starred" if starred else "Unstarred"
        text = done if len(ids) == 1 else f"{done} {papers(len(before))}"
        self._report(list(before), highlighted, text, change=StarChange(before, starred))

    def action_cycle_status(self) -> None:
        if self.marks:
            self._begin_write()
            self._set_status(self.marks.ids, self.paper_list.highlighted_id)
        else:
            self.when_current(self._cycle_highlighted_status)

    def _cycle_highlighted_status(self, record: PaperRecord) -> None:
        self._begin_write()
        self._cycle_status(record.id)

    @work(thread=True, group="write", exit_on_error=False)
    def _cycle_status(self, paper_id: int) -> None:
        from ..undo import StatusChange

        status = self.service.cycle_status(paper_id)  # one statement: two presses move twice
        before = STATUSES[(STATUSES.index(status) - 1) % len(STATUSES)]
        change = StatusChange({paper_id: before}, status)
        self._report([paper_id], paper_id, f"Marked as {status}", change=change)

    @work(thread=True, group="write", exit_on_error=False)
    def _set_status(self, ids: list[int], highlighted: int | None) -> None:
        from ..undo import StatusChange, papers

        before = {row.id: row.status for row in self.service.summaries(ids)}
        if not before:
            return
        status = next_status(list(before.values()))
        self.service.set_statuses(dict.fromkeys(before, status))
        text = f"Marked {papers(len(before))} as {status}"
        self._report(list(before), highlighted, text, change=StatusChange(before, status))

    # -- note ---------------------------------------------------------------------------------

    def action_edit_note(self) -> None:
        self.when_current(self._edit_note)

    def _edit_note(self, record: PaperRecord) -> None:
        from .note_editor import NoteEditor  # its TextArea is not needed for the first frame

        def save(text: str | None) -> None:
            if text is not None and text != record.note:
                self._begin_write()
                self._save_note(record.id, record.title, text, record.note)

        self.app.push_screen(NoteEditor(record.title, record.note), save)

    @work(thread=True, group="write", exit_on_error=False)
    def _save_note(self, paper_id: int, title: str, text: str, base: str) -> None:
        """Save over ``base``, the note the editor opened with: a save someone else made
        meanwhile is kept beside this one, never overwritten."""
        from ..undo import NoteChange

        saved = self.service.set_note(paper_id, text, base=base)
        warning = (
            "Someone else saved this note while you edited it: both versions are kept."
            if saved.merged
            else ""
        )
        change = NoteChange(paper_id, title, None if saved.merged else base, saved.note)
        text = "Note saved" if text.strip() else "Note cleared"
        self._report([paper_id], paper_id, text, change=change, warning=warning)

    # -- undo ---------------------------------------------------------------------------------

    def action_undo(self) -> None:
        change = self.undo_stack.pop()
        if change is None:
            self.notify("Nothing to undo in this session.", markup=False)
            return
        self._begin_write()
        self._undo(change, self.paper_list.highlighted_id)

    @work(thread=True, group="write", exit_on_error=False)
    def _undo(self, change: Change, highlighted: int | None) -> None:
        from ..undo import CannotUndo

        try:
            reverted = self.undo_stack.revert(change, self.service)
        except CannotUndo as reason:
            self.post_message(PapersChanged([], None, "", warning=f"Could not undo: {reason}"))
            return
        text = f"Undid: {change.description}"
        self._report(
            list(reverted.paper_ids), highlighted, text, undone=change, warning=reverted.warning
        )

    # -- reporting back -----------------------------------------------------------------------

    def _begin_write(self) -> None:
        self._writes += 1

    def _report(
        self,
        ids: list[int],
        highlighted: int | None,
        text: str,
        *,
        change: Change | None = None,
        undone: Change | None = None,
        warning: str = "",
    ) -> None:
        """From a write's worker: the changed papers as they are now, to the UI (workers
        never notify: the message carries the warning)."""
        summaries = self.service.summaries(ids)
        record = self.service.get(highlighted) if highlighted in ids else None
        self.post_message(PapersChanged(summaries, record, text, change, undone, warning))

    @on(PapersChanged)
    def _papers_changed(self, message: PapersChanged) -> None:
        for summary in message.summaries:
            self.paper_list.update_row(summary)
        record = message.record
        if record is not None and record.id == self.paper_list.highlighted_id:
            self.current = record
            self.query_one(PaperDetail).show(record)
        if message.change is not None:
            self.undo_stack.push(message.change)
        if message.undone is not None:
            self.notify(message.text, markup=False)
        if message.warning:
            self.notify(message.warning, severity="warning", markup=False, timeout=8)
        if message.text:
            self.status.set_message(message.text)

    @on(Worker.StateChanged)
    def _write_finished(self, event: Worker.StateChanged) -> None:
        """A write is over (its ``PapersChanged``, posted before, has been handled)."""
        if event.worker.group in WRITE_GROUPS and event.state in (
            WorkerState.SUCCESS,
            WorkerState.ERROR,
            WorkerState.CANCELLED,
        ):
            self._writes = max(0, self._writes - 1)
