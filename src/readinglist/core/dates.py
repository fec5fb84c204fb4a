"""What a listing's dates mean: month names, and the year of a date written without one.

A listing writes a paper's date without a year ("Jul 7") when it is in the year the
page was shown, and heads the page with its own listing date ("Dec 9"). So a page's
listing date (without a year: the latest such day up to the import) anchors its
papers' dates: each is the latest such day up to that listing date, give or take a
margin, and never after the import.
"""

from __future__ import annotations

from datetime import date, timedelta

__all__ = ["LISTING_DATE_MARGIN", "is_month", "latest_paper_date", "resolve_date"]

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
