"""How counts are said in what readers see: "1 paper", "2 papers", never "1 papers";
and how a paper that is not there, or is in the trash, is named.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = ["in_trash", "no_such_paper", "not_in_trash", "plural"]


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


def no_such_paper(ids: Sequence[int]) -> str:
    """ "no paper with id 7", "no papers with ids 7, 8"."""
    if len(ids) == 1:
        return f"no paper with id {ids[0]}"
    return f"no papers with ids {', '.join(map(str, ids))}"


def in_trash(ids: Sequence[int], *, already: bool = False) -> str:
    """What acting on papers in the trash is told, with the way back:
    "paper 5 is in the trash (readinglist undelete 5)"; ``already`` (deleting them
    again): "paper 5 is in the trash already"."""
    listed = ", ".join(map(str, ids))
    said = f"paper {listed} is" if len(ids) == 1 else f"papers {listed} are"
    if already:
        return f"{said} in the trash already"
    return f"{said} in the trash (readinglist undelete {' '.join(map(str, ids))})"


def not_in_trash(ids: Sequence[int]) -> str:
    """What undeleting papers that are in the library is told: "paper 5 is not in the trash"."""
    listed = ", ".join(map(str, ids))
    return (
        f"paper {listed} is not in the trash"
        if len(ids) == 1
        else (f"papers {listed} are not in the trash")
    )
