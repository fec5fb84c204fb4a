"""Undo for this session: each change the reader makes is one ``Change``, undone newest first.

A ``Change`` knows what it did (``description``: "starred 3 papers") and how to put
things back (``revert``, which runs in a worker thread and returns the papers it
touched). Star, status, note, tag and delete steps are the kinds of change here;
another kind is one more ``Change`` subclass with those two members, pushed on the
same ``UndoStack``.

Reverting puts back what each paper had before the change, paper by paper: a star
change on papers that were partly starred already leaves exactly those starred. A
note is put back over the text this session saved (``set_note``'s ``base``), so a
note another reader saved since is kept beside it, never erased.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..core.textclean import for_display
from ..core.wording import plural

if TYPE_CHECKING:
    from ..core.service import ReadingList

UNDO_LIMIT = 100
"""Steps kept; older ones are forgotten."""
TITLE_SHOWN = 40
"""Characters of a title a note change's description shows."""


class CannotUndo(Exception):
    """The change cannot be put back; the message says why, to the reader."""


@dataclass(frozen=True)
class Reverted:
    """What an undo touched, and anything the reader should know about it."""

    paper_ids: tuple[int, ...]
    warning: str = ""


class Change(ABC):
    """One step of undo."""

    @property
    @abstractmethod
    def description(self) -> str:
        """What the change did, in the past tense, for "Undid: …"."""

    @property
    @abstractmethod
    def paper_ids(self) -> tuple[int, ...]:
        """The papers it changed."""

    @abstractmethod
    def revert(self, service: ReadingList) -> Reverted:
        """Put things back as they were before the change (in a worker thread).

        Raises:
            CannotUndo: the change cannot be put back (the reason is the message).
            LibraryError: the library refused (a paper deleted meanwhile, say).
        """


def papers(count: int) -> str:
    return plural(count, "paper", grouped=True)


@dataclass(frozen=True)
class StarChange(Change):
    """Papers were starred (or unstarred); ``before`` holds each one's star before."""

    before: Mapping[int, bool]
    starred: bool

    @property
    def description(self) -> str:
        return f"{'starred' if self.starred else 'unstarred'} {papers(len(self.before))}"

    @property
    def paper_ids(self) -> tuple[int, ...]:
        return tuple(self.before)

    def revert(self, service: ReadingList) -> Reverted:
        for value in (True, False):
            ids = [pid for pid, was in self.before.items() if was is value]
            if ids:
                service.star(ids, value)
        return Reverted(self.paper_ids)


@dataclass(frozen=True)
class StatusChange(Change):
    """Papers were given ``status``; ``before`` holds each one's status before."""

    before: Mapping[int, str]
    status: str

    @property
    def description(self) -> str:
        return f"marked {papers(len(self.before))} as {self.status}"

    @property
    def paper_ids(self) -> tuple[int, ...]:
        return tuple(self.before)

    def revert(self, service: ReadingList) -> Reverted:
        service.set_statuses(dict(self.before))
        return Reverted(self.paper_ids)


@dataclass(frozen=True)
class NoteChange(Change):
    """A paper's note went from ``before`` to ``after`` (the text stored by the save).

    ``before`` is None when the save found another reader's note and kept both: what
    was stored before is then not known exactly, so the change cannot be put back.
    """

    paper_id: int
    title: str
    before: str | None
    after: str

    @property
    def description(self) -> str:
        title = for_display(self.title, one_line=True)
        if len(title) > TITLE_SHOWN:
            title = title[: TITLE_SHOWN - 1] + "…"
        return f"edited the note of “{title}”"

    @property
    def paper_ids(self) -> tuple[int, ...]:
        return (self.paper_id,)

    def revert(self, service: ReadingList) -> Reverted:
        if self.before is None:
            raise CannotUndo(
                "this note edit was saved beside another reader's: both versions are in the "
                "note; edit it by hand"
            )
        saved = service.set_note(self.paper_id, self.before, base=self.after)
        warning = (
            "Someone else saved this note since: their version is kept below the restored one."
            if saved.merged
            else ""
        )
        return Reverted(self.paper_ids, warning)


def tag_list(tags: Sequence[str]) -> str:
    """Tags named in what the reader reads: “llm”, “rl”."""
    return ", ".join(f"“{for_display(tag, one_line=True)}”" for tag in tags)


@dataclass(frozen=True)
class TagChange(Change):
    """Tags were added to papers or taken off them.

    ``added`` maps each tag added to the papers that did not have it before (the only
    ones an undo takes it off again); ``removed`` each tag taken off to the papers that
    had it.
    """

    added: Mapping[str, tuple[int, ...]]
    removed: Mapping[str, tuple[int, ...]]

    @property
    def description(self) -> str:
        parts = []
        for verb, tags, preposition in (
            ("added", self.added, "to"),
            ("removed", self.removed, "from"),
        ):
            if tags:
                ids = {pid for changed in tags.values() for pid in changed}
                noun = "tag" if len(tags) == 1 else "tags"
                parts.append(
                    f"{verb} {noun} {tag_list(list(tags))} {preposition} {papers(len(ids))}"
                )
        return ", ".join(parts) or "changed no tags"

    @property
    def paper_ids(self) -> tuple[int, ...]:
        ids = {pid for tags in (self.added, self.removed) for ids in tags.values() for pid in ids}
        return tuple(sorted(ids))

    def revert(self, service: ReadingList) -> Reverted:
        for tags, tagged in ((self.added, False), (self.removed, True)):
            for tag, ids in tags.items():
                if ids:
                    service.tag(ids, tag, tagged)
        return Reverted(self.paper_ids)


@dataclass(frozen=True)
class DeleteChange(Change):
    """Papers were moved to the trash; undo brings them back with all they had."""

    deleted: tuple[int, ...]

    @property
    def description(self) -> str:
        return f"deleted {papers(len(self.deleted))}"

    @property
    def paper_ids(self) -> tuple[int, ...]:
        return self.deleted

    def revert(self, service: ReadingList) -> Reverted:
        service.undelete(self.deleted)
        return Reverted(self.paper_ids)


class UndoStack:
    """The session's changes, newest last; reverts run one at a time, in order."""

    def __init__(self, limit: int = UNDO_LIMIT) -> None:
        self._changes: list[Change] = []
        self._limit = limit
        self._reverting = threading.Lock()

    def __len__(self) -> int:
        return len(self._changes)

    def push(self, change: Change) -> None:
        self._changes.append(change)
        del self._changes[: -self._limit]

    def pop(self) -> Change | None:
        """The newest change, taken off the stack (None when there is none)."""
        return self._changes.pop() if self._changes else None

    def revert(self, change: Change, service: ReadingList) -> Reverted:
        """``change.revert``, after any revert already running (from a worker thread)."""
        with self._reverting:
            return change.revert(service)
