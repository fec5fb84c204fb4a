"""What a tag name is: the one rule, and its one error wording.

A tag is stored as ``tag_name`` spells it: trimmed and case-folded, so ``LLM``,
`` llm `` and ``Llm`` are one tag. Pure: no database access.
"""

from __future__ import annotations

from .database import LibraryError

__all__ = ["MAX_TAG_LENGTH", "BadTagError", "tag_name", "tag_or_none"]

MAX_TAG_LENGTH = 40


class BadTagError(LibraryError):
    """A tag name that breaks the rule of ``tag_name``."""


def tag_or_none(raw: str) -> str | None:
    """``raw`` as a tag is stored, or None when it cannot be one."""
    name = raw.strip().casefold()
    if not 0 < len(name) <= MAX_TAG_LENGTH:
        return None
    if any(char.isspace() or not char.isprintable() or char in "\"'," for char in name):
        return None
    return name


def tag_name(raw: str) -> str:
    """``raw`` as a tag is stored: trimmed, case-folded.

    Raises:
        BadTagError: ``raw`` is empty, longer than ``MAX_TAG_LENGTH``, or holds a space,
            a quote, a comma or a control character.
    """
    name = tag_or_none(raw)
    if name is None:
        raise BadTagError(
            f"bad tag name {raw.strip()!r}: a tag is 1 to {MAX_TAG_LENGTH} characters, "
            "without spaces, quotes, commas or control characters"
        )
    return name
