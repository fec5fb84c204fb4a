"""Changing several papers at once through the service (the app's marked papers)."""

from __future__ import annotations

import pytest

from readinglist.core.service import ReadingList, UnknownPaperError


def test_set_statuses_gives_each_paper_its_own(loaded: ReadingList):
    ids = [row.id for row in loaded.papers(sort="title", limit=3)]
    loaded.set_statuses({ids[0]: "read", ids[1]: "reading", ids[2]: "unread"})
    assert [loaded.get(pid).status for pid in ids] == ["read", "reading", "unread"]


def test_set_statuses_with_an_unknown_id_or_status_changes_nothing(loaded: ReadingList):
    ids = [row.id for row in loaded.papers(sort="title", limit=2)]
    with pytest.raises(UnknownPaperError, match="424242"):
        loaded.set_statuses({ids[0]: "read", 424242: "read"})
    with pytest.raises(ValueError, match="finished"):
        loaded.set_statuses({ids[0]: "read", ids[1]: "finished"})
    assert [loaded.get(pid).status for pid in ids] == ["unread", "unread"]
