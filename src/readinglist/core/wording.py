"""How counts are said in what readers see: "1 paper", "2 papers", never "1 papers"."""

from __future__ import annotations

__all__ = ["plural"]


def plural(count: int, noun: str, plural_form: str | None = None, *, grouped: bool = False) -> str:
    """``count`` and ``noun``, the noun in the plural unless the count is one.

    Args:
        count: how many.
        noun: the singular ("paper").
        plural_form: the plural when it is not the singular plus "s".
        grouped: thousands separated, as the app shows counts ("3,960 papers").

    Returns:
        "1 paper", "0 papers", "2 papers".
    """
    number = f"{count:,}" if grouped else str(count)
    return f"{number} {noun if count == 1 else plural_form or noun + 's'}"
