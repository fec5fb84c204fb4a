"""What a listing's dates mean: month names, and the year of a date written without one.

A listing writes a paper's date without a year ("Jul 7") when it is in the year the
page was shown, and heads the page with its own listing date ("Dec 9"). So a page's
listing date (without a year: the latest such day up to the import) anchors its
papers' dates: each is the latest such day up to that listing date, give or take a
margin, and never after the import.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

__all__ = [
    "LISTING_DATE_MARGIN",
    "is_month",
    "latest_paper_date",
    "long_date",
    "resolve_date",
    "shown_date",
]

# A paper's date may fall this long after the page's listing date: a week's listing is
# headed by its first day, and a day's listing by its date in one time zone.
LISTING_DATE_MARGIN = timedelta(days=7)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for name in names
}


_ABBREVIATIONS = (
    *("Jan", "Feb", "Mar", "Apr", "May", "Jun"),
    *("Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
)


def is_month(name: str) -> bool:
    return name.lower().rstrip(".") in _MONTHS


def resolve_date(month_name: str, day: int, year: int | None, not_after: date) -> date | None:
    """The date a listing means; without a year, the latest such day up to ``not_after``.

    ``not_after`` is the import's day for a page's own listing date, and for a paper's
    date what ``latest_paper_date`` gives.
    """
    month = _MONTHS.get(month_name.lower().rstrip("."))
    if month is None:
        return None
    if year is not None:
        try:
            return date(year, month, day)
        except ValueError:
            return None
    for candidate_year in range(not_after.year, not_after.year - 9, -1):
        try:
            candidate = date(candidate_year, month, day)
        except ValueError:
            continue  # 29 February in a common year, or 31 April
        if candidate <= not_after:
            return candidate
    return None


def latest_paper_date(listing_date: str | None, today: date) -> date:
    """The latest day a paper on a page can be from: its listing date plus the margin
    (never after the import), or the import's day on a page that states none."""
    if listing_date is None:
        return today
    return min(date.fromisoformat(listing_date) + LISTING_DATE_MARGIN, today)


@lru_cache(maxsize=512)  # a listing's papers share a few days
def long_date(day: str) -> str | None:
    """ "Mar 6, 2026" for the day "2026-03-06"; None for anything else (another client
    may have written any value there)."""
    try:
        parsed = date.fromisoformat(day)
    except (ValueError, TypeError):
        return None
    return f"{_ABBREVIATIONS[parsed.month - 1]} {parsed.day}, {parsed.year}"


def shown_date(day: object, written: object) -> str:
    """A paper's date as the reader is shown it: its day with the year ("Oct 28, 2025"),
    not a text page's "Oct 28", which reads as this year's. A day that is not one (a
    value another client wrote) gives way to what the page wrote, else is shown as it
    is; a value that is not text is not shown."""
    if isinstance(day, str) and (whole := long_date(day)):
        return whole
    return next((value for value in (written, day) if isinstance(value, str) and value), "")
