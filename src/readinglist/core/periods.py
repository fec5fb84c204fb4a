"""Which Daily Papers listing: a day, an ISO week or a month (``readinglist fetch``'s
``--date``, ``--week`` and ``--month``), checked as the reader typed it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

__all__ = ["Period"]

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_WEEK = re.compile(r"(\d{4})-W(\d{2})")
_MONTH = re.compile(r"(\d{4})-(\d{2})")


@dataclass(frozen=True, slots=True)
class Period:
    """Which listing: a day (``date``), an ISO week (``week``) or a month (``month``)."""

    kind: str
    value: str

    @classmethod
    def day(cls, day: date) -> Period:
        return cls("date", day.isoformat())

    @classmethod
    def parse(cls, kind: str, value: str) -> Period:
        """The period ``--date``, ``--week`` or ``--month`` names.

        Raises:
            ValueError: the value is not one (the message shows what one looks like).
        """
        if kind == "date" and _DATE.fullmatch(value) and _is_day(value):
            return cls(kind, value)
        if kind == "week" and (week := _WEEK.fullmatch(value)) and _is_week(*week.groups()):
            return cls(kind, value)
        if kind == "month" and (month := _MONTH.fullmatch(value)) and 1 <= int(month[2]) <= 12:
            return cls(kind, value)
        example = {"date": "YYYY-MM-DD, e.g. 2026-03-06", "week": "YYYY-Www, e.g. 2026-W10"}
        shape = example.get(kind, "YYYY-MM, e.g. 2026-03")
        raise ValueError(f"{value!r} is not a {kind} ({shape})")

    def describe(self) -> str:
        return self.value if self.kind == "date" else f"the {self.kind} {self.value}"


def _is_day(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_week(year: str, week: str) -> bool:
    try:
        date.fromisocalendar(int(year), int(week), 1)
    except ValueError:
        return False
    return True
