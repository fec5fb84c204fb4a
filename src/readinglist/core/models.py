"""The plain values the service hands out.

``PaperSummary`` (a list row) and ``PaperRecord`` (everything about one paper) and
the ``--json`` fields are generated from the library's tables
(``storage/tables.py`` → ``storage/columns.py``), so a new column reaches them without
being listed again. Callers never see a database row or a Session.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from .parsed import NOT_A_PAGE
from .storage.columns import JSON_FIELDS, PaperRecord, PaperSummary
from .wording import plural

__all__ = [
    "JSON_FIELDS",
    "STATUSES",
    "ImportReport",
    "PaperRecord",
    "PaperSummary",
    "no_listings_in_folder",
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
    skipped: str | None = None  # found in a folder and no listing: why it was left out

    @property
    def ok(self) -> bool:
        return self.error is None

    def found_in_folder(self) -> ImportReport:
        """This report for a file found in a folder: one that is no listing (a README or
        notes beside the pages) is left out with a warning (``skipped``), not failed. A
        file named alone is refused instead."""
        if self.error is not None and self.error.startswith(NOT_A_PAGE):
            return replace(self, error=None, skipped=self.error)
        return self


def no_listings_in_folder(folder: str, reports: Sequence[ImportReport]) -> ImportReport | None:
    """The failure of a folder whose every file was skipped (none is a listing), given
    its files' reports (``found_in_folder``); None when one of them is a listing."""
    if not reports or not all(report.skipped for report in reports):
        return None
    files = plural(len(reports), "file")
    return ImportReport(folder, error=f"no Daily Papers listings in this folder ({files} skipped)")
