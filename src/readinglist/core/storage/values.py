"""What the generated records share: their ``--json`` form and the JSON arrays of columns.

Lists (a paper's links) are stored as JSON arrays in text columns (``ARRAY`` in
``tables.py``): ``encode_array`` writes them, ``decode_array`` reads them back,
whatever another client may have written there.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

__all__ = ["RecordMethods", "decode_array", "encode_array"]

_quoted = json.encoder.encode_basestring  # a string as JSON, letters as themselves


def encode_array(values: tuple[str, ...] | list[str]) -> str:
    """A list as its text column holds it: letters as themselves (not ``\\u`` escapes),
    so ``author:Müller`` and the full-text index read the names as written.

    Exactly what ``json.dumps(values, ensure_ascii=False)`` writes, made from the
    encoder's own string quoting: a quarter of the time, since ``dumps`` makes a new
    encoder for every call that is not its default.
    """
    if not values:
        return "[]"
    try:
        return "[" + ", ".join(map(_quoted, values)) + "]"
    except TypeError:  # not all strings: the encoder says what it makes of them
        return json.dumps(list(values), ensure_ascii=False)


def decode_array(raw: str | None) -> tuple[str, ...]:
    """A text column's JSON array of strings, read back.

    Another client may have written anything there: what is not JSON counts as empty,
    a single string as one item, and of a list only its non-empty strings are kept.
    """
    if not raw or raw == "[]":
        return ()
    try:
        value = json.loads(raw)
    except (ValueError, TypeError, RecursionError):
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, list):
        return tuple(item for item in value if isinstance(item, str) and item)
    return ()


class RecordMethods:
    """Methods of the generated ``PaperRecord``."""

    __slots__ = ()
    JSON_FIELDS: ClassVar[tuple[str, ...]] = ()

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` object: exactly ``JSON_FIELDS``, lists as lists."""
        return {
            name: list(value) if isinstance(value := getattr(self, name), tuple) else value
            for name in self.JSON_FIELDS
        }
