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
