"""How counts are said in what readers see: "1 paper", "2 papers", never "1 papers"."""

from __future__ import annotations

__all__ = ["plural"]


def plural(count: int, noun: str, plural_form: str | None = None) -> str:
    """``count`` and ``noun``, the noun in the plural unless the count is one.

    Args:
        count: how many.
        noun: the singular ("paper").
        plural_form: the plural when it is not the singular plus "s".

    Returns:
        "1 paper", "0 papers", "2 papers".
    """
    return f"{count} {noun if count == 1 else plural_form or noun + 's'}"
