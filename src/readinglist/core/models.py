"""The plain values the service hands out.

``PaperSummary`` (a list row) and ``PaperRecord`` (everything about one paper) and
the ``--json`` fields are generated from the library's tables
(``storage/tables.py`` → ``storage/columns.py``), so a new column reaches them without
being listed again. Callers never see a database row or a Session.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from .storage.columns import JSON_FIELDS, PaperRecord, PaperSummary

__all__ = [
    "JSON_FIELDS",
    "STATUSES",
    "ImportReport",
    "PaperRecord",
    "PaperSummary",
]

Status = Literal["unread", "reading", "read"]
STATUSES: tuple[Status, ...] = ("unread", "reading", "read")


@dataclass(frozen=True, slots=True)
class ImportReport:
    """The outcome of importing one file: counts, or the reason it was refused."""

    path: str
    papers: int = 0
    new: int = 0
    updated: int = 0
    warnings: tuple[str, ...] = ()
    error: str | None = None
    skipped_deleted: int = 0  # papers the file lists that are in the trash: left there

    @property
    def ok(self) -> bool:
        return self.error is None
