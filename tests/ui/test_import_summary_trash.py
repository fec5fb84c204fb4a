"""The app's import summary says how many listed papers were left in the trash."""

from __future__ import annotations

from readinglist.core.models import ImportReport
from readinglist.ui.screens.import_dialog import import_summary


def test_the_summary_counts_papers_skipped_as_deleted():
    reports = [
        ImportReport("/p/a.txt", 26, 0, 1, skipped_deleted=2),
        ImportReport("/p/b.txt", 10, 3, 0),
    ]
    assert import_summary(reports) == "Imported 2 pages: 3 new, 1 updated, 2 skipped as deleted"
    assert import_summary(reports[1:]) == "Imported b.txt: 3 new, 0 updated"
