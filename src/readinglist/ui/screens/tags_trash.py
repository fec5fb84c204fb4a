"""Tags and the trash, from the library screen: ``t`` tags, ``d`` deletes.

Both act on every marked paper while any is marked, otherwise on the highlighted one,
and each is one step of the session's undo (``TagChange``, ``DeleteChange``): ``u``
takes the tags back off (only from the papers that did not have them) or puts them
back, and brings deleted papers back from the trash with all they had.

``t`` reads the papers' tags and the library's in a worker, then opens the
``TagDialog``; what it returns is written in another. ``d`` moves the papers to the
trash at once (undo is the way back, so there is no question first) and says so in a
notification; the list is read again with the cursor on the next paper.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message

from ...core.search import parse_query
from ...core.wording import plural
from ..messages import PapersChanged
from .paper_changes import PaperChanges

if TYPE_CHECKING:
    from .tag_dialog import TagEdit  # the dialog is imported when it is first opened


class TagsRead(Message):
    """The tags ``t`` needs, read in a worker: the dialog can open."""

    def __init__(
        self,
        ids: list[int],
        heading: str,
        tags_of: Mapping[int, Sequence[str]],
        tag_counts: list[tuple[str, int]],
    ) -> None:
        super().__init__()  # not a dataclass: see ``ui.messages``
        self.ids = ids
        self.heading = heading
        self.tags_of = tags_of
        self.tag_counts = tag_counts


class TagsAndTrash(PaperChanges):
    """``t`` and ``d`` on the marked papers or the highlighted one, with their undo."""

    search_text: str
    """The search box's text (the library screen's reactive)."""

    def reload(self, keep_id: int | None = None, *, from_top: bool = False) -> None:
        """Read the list again (the library screen's own)."""

    def _acted_on(self) -> list[int]:
        """The marked papers, or else the highlighted one (none in an empty list)."""
        if self.marks:
            return self.marks.ids
        paper_id = self.paper_list.highlighted_id
        return [] if paper_id is None else [paper_id]

    # -- tags ---------------------------------------------------------------------------------

    def action_tag_papers(self) -> None:
        ids = self._acted_on()
        if ids:
            self._begin_write()  # keys wait for the dialog: they are meant for it
            self._read_tags(ids)

    @work(thread=True, group="write", exit_on_error=False)
    def _read_tags(self, ids: list[int]) -> None:
        if len(ids) > 1:
            heading = plural(len(ids), "marked paper", grouped=True)
        else:
            rows = self.service.summaries(ids)
            heading = rows[0].title if rows else ""
        tags_of = self.service.tags_of(ids)
        self.post_message(TagsRead(ids, heading, tags_of, self.service.tag_counts()))

    @on(TagsRead)
    def _ask_for_tags(self, message: TagsRead) -> None:
        from .tag_dialog import TagDialog

        ids = message.ids

        def chosen(edit: TagEdit | None) -> None:
            if edit is not None:
                self._begin_write()
                self._tag(ids, edit, self.paper_list.highlighted_id)

        dialog = TagDialog(message.heading, message.tags_of, len(ids), message.tag_counts)
        self.app.push_screen(dialog, chosen)

    @work(thread=True, group="write", exit_on_error=False)
    def _tag(self, ids: list[int], edit: TagEdit, highlighted: int | None) -> None:
        """Write ``edit``; the undo step records only the papers each tag changed."""
        from ..undo import TagChange

        before = self.service.tags_of(ids)
        added = {tag: tuple(p for p in ids if tag not in before.get(p, ())) for tag in edit.add}
        removed = {tag: tuple(p for p in ids if tag in before.get(p, ())) for tag in edit.remove}
        for tag in edit.add:
            self.service.tag(ids, tag, True)
        for tag in edit.remove:
            self.service.tag(ids, tag, False)
        change = TagChange(
            {tag: done for tag, done in added.items() if done},
            {tag: done for tag, done in removed.items() if done},
        )
        if not change.paper_ids:
            self._report(ids, highlighted, "No tags changed: the papers had them so already")
            return
        text = change.description[0].upper() + change.description[1:]
        self._report(ids, highlighted, text, change=change)

    # -- the trash ----------------------------------------------------------------------------

    def action_delete_papers(self) -> None:
        ids = self._acted_on()
        if ids:
            self._begin_write()
            self._delete(ids)

    @work(thread=True, group="write", exit_on_error=False)
    def _delete(self, ids: list[int]) -> None:
        from ..undo import DeleteChange, papers

        self.service.delete(ids)  # all or nothing: a paper gone meanwhile is an error
        change = DeleteChange(tuple(ids))
        self._report([], None, f"Deleted {papers(len(ids))} — u to undo", change=change)

    def _next_listed(self, gone: set[int]) -> int | None:
        """The paper the cursor moves to once ``gone`` leave the list: the next one still
        listed, else the one before."""
        ids = self.paper_list.ids
        cursor = self.paper_list.cursor
        after = (pid for pid in ids[cursor:] if pid not in gone)
        before = (pid for pid in reversed(ids[:cursor]) if pid not in gone)
        return next(after, next(before, None))

    @on(PapersChanged)
    def _list_changed(self, message: PapersChanged) -> None:
        """Papers left the list (a delete), came back (its undo), or, with the list
        filtered by a tag, gained or lost it: read the list again."""
        if message.change is None and message.undone is None:
            return  # no change was made (``ui.undo`` may not be loaded yet)
        from ..undo import DeleteChange, TagChange

        if isinstance(message.change, DeleteChange):
            gone = set(message.change.deleted)
            for paper_id in gone & set(self.marks):
                self.marks.toggle(paper_id)
            self._marks_changed()
            self.notify(message.text, markup=False)
            self.reload(keep_id=self._next_listed(gone))
        elif isinstance(message.undone, DeleteChange):
            self.reload(keep_id=message.undone.deleted[0])
        elif TagChange in (type(message.change), type(message.undone)) and (
            parse_query(self.search_text).tags
        ):
            self.reload()
