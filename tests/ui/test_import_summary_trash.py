"""The app's import summary: papers left in the trash, files of a folder left out."""

from __future__ import annotations

from readinglist.core.models import ImportReport, no_listings_in_folder
from readinglist.ui.screens.import_dialog import import_problems, import_summary


def test_the_summary_counts_papers_skipped_as_deleted():
    reports = [
        ImportReport("/p/a.txt", 26, 0, 1, skipped_deleted=2),
        ImportReport("/p/b.txt", 10, 3, 0),
    ]
    assert import_summary(reports) == "Imported 2 pages: 3 new, 1 updated, 2 skipped as deleted"
    assert import_summary(reports[1:]) == "Imported b.txt: 3 new, 0 updated"


def test_a_folder_file_that_is_no_listing_is_skipped_not_failed():
    refused = ImportReport("/p/README.md", error="not a Daily Papers page: no papers found")
    reports = [ImportReport("/p/a.txt", 26, 26, 0), refused.found_in_folder()]
    assert reports[1].ok and reports[1].skipped == refused.error
    assert import_summary(reports) == "Imported 1 page: 26 new, 0 updated; 1 file skipped"
    assert import_problems(reports) == [
        "README.md: skipped, not a Daily Papers page: no papers found"
    ]
    other = ImportReport("/p/b.txt", error="permission denied")
    assert other.found_in_folder() is other  # any other failure stays one
    assert no_listings_in_folder("/p", reports) is None  # a.txt is a listing
    skipped = [refused.found_in_folder()]
    failed = no_listings_in_folder("/p", skipped)
    assert (
        failed is not None
        and failed.error == "no Daily Papers listings in this folder (1 file skipped)"
    )
    nothing = [*skipped, failed]
    assert import_summary(nothing) == "Nothing imported; 1 failed, 1 file skipped"
