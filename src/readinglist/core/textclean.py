"""Turning outside bytes into safe text: decoding, line endings and control characters.

Everything that comes from a saved page passes through here once, at import, so the
rest of the program can show titles and abstracts without re-checking them.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TypeVar

__all__ = [
    "DecodeError",
    "clean_line",
    "clean_text",
    "decode_page_bytes",
    "for_display",
    "for_display_all",
]

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/APC/PM/SOS strings (ended by
# BEL or ST), then any other two-byte ESC sequence. C1 equivalents (U+009B, U+009D) too.
_ESCAPE_SEQUENCE = re.compile(
    r"""
    (?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?          # CSI
    | (?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])  # OSC, DCS, SOS, PM, APC
      [^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?
    | \x1b[ -/]*[0-~]?                         # other ESC sequences, or a lone ESC
    """,
    re.VERBOSE,
)
# C0 controls except tab and newline, DEL, C1 controls, and bidirectional overrides,
# embeddings and isolates (the "Trojan Source" characters).
_CONTROL_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)
_BINARY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_LINE_ENDINGS = re.compile(r"\r\n?|[\u2028\u2029\x85]")
_OTHER_LINE_ENDINGS = ("\r", "\u2028", "\u2029", "\x85")


class DecodeError(ValueError):
    """The bytes are not a text page we can read."""


def clean_text(text: str) -> str:
    """Strip terminal escape sequences and control characters, keeping newlines and tabs.

    Markup-like text such as ``[bold]x[/]`` is kept literally: showing it safely is
    the display's job, and the reader may have meant it.
    """
    if any(ending in text for ending in _OTHER_LINE_ENDINGS):
        text = _LINE_ENDINGS.sub("\n", text)
    if _CONTROL_CHARS.search(text) is None:  # the common case: nothing to strip
        return text
    text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL_CHARS.sub("", text)


_SURROGATES = re.compile("[\ud800-\udfff]")  # undecodable bytes of a file name
_Shown = TypeVar("_Shown")


def for_display(text: str, *, one_line: bool = False) -> str:
    """Outside text made safe to show: the one function every output path calls.

    The CLI (plain and ``--json``), exports, the TUI's widgets and notifications all
    pass titles, abstracts, links, notes, file names and error texts through here, so
    rows another client wrote, or a file name, never reach the terminal raw.
    ``one_line`` folds newlines to spaces, for a title, a list cell or a status line.
    A file name's undecodable bytes (lone surrogates) are shown as U+FFFD: written out
    as they are, a byte like 0x9b is a terminal control again.
    """
    if not isinstance(text, str):  # a BLOB (or a number) another client put in a text column
        text = _as_text(text)
    if not text.isascii() and _SURROGATES.search(text) is not None:
        text = _SURROGATES.sub("\ufffd", text)
    return clean_line(text) if one_line else clean_text(text)


def for_display_all(value: _Shown) -> _Shown:
    """``for_display`` applied to every string in ``value``: a JSON-like value (dicts,
    lists, tuples) or a dataclass such as ``PaperRecord``, whatever fields it grows.

    What ``--json`` and the exports call, so no field or list item is forgotten. A
    value with nothing to clean (nearly all) is checked in one pass and returned as is.
    """
    if isinstance(value, str | bytes):
        return for_display(value)  # type: ignore[arg-type, return-value]
    joined = "\n".join(_strings_in(value, []))
    if for_display(joined) == joined:
        return value
    if isinstance(value, list):
        return [for_display_all(item) for item in value]  # type: ignore[return-value]
    if isinstance(value, tuple):
        items = [for_display_all(item) for item in value]
        return value._make(items) if hasattr(value, "_make") else tuple(items)  # type: ignore[return-value]
    if isinstance(value, dict):
        return {key: for_display_all(item) for key, item in value.items()}  # type: ignore[return-value]
    names = _dataclass_fields(type(value))
    changes = {name: for_display_all(getattr(value, name)) for name in names}
    return dataclasses.replace(value, **changes)  # type: ignore[type-var]


def _strings_in(value: object, found: list[str]) -> list[str]:
    if isinstance(value, str):
        found.append(value)
    elif isinstance(value, bytes):
        found.append("\x00")  # not text: a control character, so the cleaning walk runs
    elif isinstance(value, list | tuple):
        for item in value:
            _strings_in(item, found)
    elif isinstance(value, dict):
        for item in value.values():
            _strings_in(item, found)
    else:
        for name in _dataclass_fields(type(value)):
            item = getattr(value, name)
            if isinstance(item, str):  # most fields: no call
                found.append(item)
            elif isinstance(item, bytes):
                found.append("\x00")
            elif item is not None:
                _strings_in(item, found)
    return found


def _as_text(value: object) -> str:
    """A value SQLite handed back from a text column that is not text: a BLOB is read as
    UTF-8 (bad bytes replaced), anything else as ``str`` would write it."""
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).decode("utf-8", "replace")
    return str(value)


_FIELDS: dict[type, tuple[str, ...]] = {}


def _dataclass_fields(cls: type) -> tuple[str, ...]:
    """The field names of a dataclass type; none for any other type (numbers, None)."""
    names = _FIELDS.get(cls)
    if names is None:
        fields = dataclasses.fields(cls) if dataclasses.is_dataclass(cls) else ()
        names = _FIELDS[cls] = tuple(field.name for field in fields)
    return names


def clean_line(text: str) -> str:
    """Clean text meant for one line (a title, an organisation): newlines become spaces."""
    return " ".join(clean_text(text).split())


def decode_page_bytes(data: bytes) -> str:
    """Decode a saved page: UTF-8 (with or without BOM), UTF-16 with BOM, or legacy 8-bit.

    Raises:
        DecodeError: the file is empty, blank, or binary; the message says which.
    """
    if not data:
        raise DecodeError("empty file")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise DecodeError("binary file (broken UTF-16 text)") from error
    else:
        if b"\x00" in data[:65536]:
            raise DecodeError("binary file, not a text page")
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = _decode_legacy(data)
    if _looks_binary(text):
        raise DecodeError("binary file, not a text page")
    if not text.strip():
        raise DecodeError("blank file (only whitespace)")
    return text


def _decode_legacy(data: bytes) -> str:
    """Windows-1252 is what old browsers saved "plain text" as; Latin-1 maps every byte."""
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    controls = len(_BINARY_CONTROLS.findall(sample))
    return controls > max(8, len(sample) // 100)
