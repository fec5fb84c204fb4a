"""A saved page's DailyPapers listing read fast: only the fields ``hf_items`` reads.

The listing is mostly furniture never read (ids, avatars, media links, the submitter,
the same title and abstract twice). msgspec decodes it into plain dicts and lists
holding just the fields read, skipping the rest without making Python objects: a month's
listing decodes in about half the time ``json.loads`` takes. ``json.loads`` stays the
reference: a listing msgspec refuses (a raw control character, ``NaN``, a lone
surrogate escape, a field read of a shape not declared here, broken JSON) is read again
by ``hf_pages`` with ``json.loads``, so it reads exactly as before, errors included
(msgspec's messages are never shown). One difference, on purpose: an integer of more
than 4,300 digits in a field never read is skipped, where ``json.loads`` refuses the
whole page.

Every field is typed ``Any`` except the containers ``hf_items`` walks, so a value of
the wrong type reaches it as it would from ``json.loads`` and reads as missing there.
"""

from __future__ import annotations

from functools import cache
from typing import Any, TypedDict

import msgspec

__all__ = ["decode_listing"]


class _Author(TypedDict, total=False):
    name: Any


class _Paper(TypedDict, total=False):
    """The fields ``hf_items.paper_from_item`` reads of an item's paper."""

    id: Any
    title: Any
    summary: Any
    ai_summary: Any
    ai_keywords: Any
    authors: list[_Author] | None
    organization: Any
    submittedOnDailyAt: Any
    githubRepo: Any
    githubStars: Any
    projectPage: Any
    upvotes: Any
    withdrawnAt: Any


class _Item(_Paper, total=False):
    """An item: its paper, and the paper's fields for an item without one."""

    paper: _Paper | None


class _Listing(TypedDict, total=False):
    dateString: Any
    dailyPapers: list[_Item]


@cache
def _decoder() -> msgspec.json.Decoder[_Listing]:
    return msgspec.json.Decoder(_Listing)


def decode_listing(props: bytes | bytearray | str) -> dict[str, Any] | None:
    """The listing's JSON object with only the fields read, or None where msgspec
    refuses it (``json.loads`` then decides)."""
    try:
        listing: dict[str, Any] = _decoder().decode(props)  # type: ignore[assignment]
    except (msgspec.DecodeError, ValueError, RecursionError):
        return None
    return listing
