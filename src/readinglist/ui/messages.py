"""Messages that workers post back to the UI thread (workers never touch widgets)."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from ..core.models import ImportReport, PaperRecord, PaperSummary


@dataclass
class RowsLoaded(Message):
    """A list or search result, tagged with the view state it was computed for."""

    query: str
    sort: str
    starred_only: bool
    rows: list[PaperSummary]
    keep_id: int | None = None
    partial: bool = False
    """The first screenful of a long list; the whole list follows."""


@dataclass
class DetailLoaded(Message):
    record: PaperRecord | None


@dataclass
class PaperChanged(Message):
    """The reader changed a paper (star, note, status): refresh its row and detail."""

    summary: PaperSummary
    record: PaperRecord
    message: str = ""


@dataclass
class PagesImported(Message):
    reports: list[ImportReport]
