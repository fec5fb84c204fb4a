"""Counts are said as a person would: "1 paper", "2 papers"."""

from __future__ import annotations

from readinglist.core.wording import plural


def test_plural():
    assert [plural(n, "paper") for n in (0, 1, 2)] == ["0 papers", "1 paper", "2 papers"]
    assert plural(1, "match", "matches") == "1 match"
    assert plural(3, "match", "matches") == "3 matches"


def test_the_app_groups_thousands():
    assert plural(3960, "paper", grouped=True) == "3,960 papers"
    assert plural(1, "starred paper", grouped=True) == "1 starred paper"
    assert plural(3960, "paper") == "3960 papers"  # the CLI's lines stay plain numbers


def test_papers_not_there_or_in_the_trash():
    from readinglist.core.wording import in_trash, no_such_paper, not_in_trash

    assert no_such_paper([7]) == "no paper with id 7"
    assert no_such_paper([7, 8]) == "no papers with ids 7, 8"
    assert in_trash([5]) == "paper 5 is in the trash (readinglist undelete 5)"
    assert in_trash([5, 6]) == "papers 5, 6 are in the trash (readinglist undelete 5 6)"
    assert in_trash([5], already=True) == "paper 5 is in the trash already"
    assert not_in_trash([5, 6]) == "papers 5, 6 are not in the trash"
