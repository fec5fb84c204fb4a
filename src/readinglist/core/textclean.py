"""Turning outside bytes into safe text: decoding, line endings and control characters.

Everything that comes from a saved page passes through here once, at import, so the
rest of the program can show titles and abstracts without re-checking them.
"""

from __future__ import annotations

import codecs
import dataclasses
import re
import unicodedata
from typing import NamedTuple, TypeVar

__all__ = [
    "LONGEST_MARK_RUN",
    "DecodeError",
    "DecodedPage",
    "author_search_key",
    "clean_line",
    "clean_text",
    "decode_page_bytes",
    "for_display",
    "for_display_all",
    "is_clean_utf8_page",
    "is_printable",
    "limit_mark_runs",
]

# Escape sequences, each removed whole: a CSI (ESC [ parameters, intermediates, final), or
# an OSC, DCS, SOS, PM or APC string (ESC ] P X ^ _) ended by BEL or ST on its own line.
# An unfinished one loses only its two-character introducer, and any other ESC goes alone
# (or with the \\ of an ST). Every part is bounded and none crosses a line, so no byte can
# take the text after it. A C1 control (U+0080-U+009F) always goes alone: in text it is
# nearly always mojibake (U+009D ends the misreading of a closing quote, "â€" + U+009D).
_ESCAPE_SEQUENCE = re.compile(
    r"""
    \x1b\[(?:[0-?]{0,64}[ -/]{0,16}[@-~])?                       # CSI, or ESC [ alone
    | \x1b[\]PX^_][^\x07\x1b\x9c\n]{0,4096}(?:\x07|\x1b\\|\x9c)  # OSC, DCS, SOS, PM, APC
    | \x1b[\]PX^_\\]?                                           # anything else: ESC alone
    """,
    re.VERBOSE,
)
# C0 controls except tab and newline, DEL, C1 controls, bidirectional overrides, embeddings
# and isolates (the "Trojan Source" characters), and lone surrogates (no terminal can
# print them).
_CONTROL_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"
)
_BINARY_CONTROLS = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f]")
_UNICODE_LINE_BREAKS = ("\x85", "\u2028", "\u2029")  # NEL, LS, PS
LONGEST_MARK_RUN = 30  # UAX #15's stream-safe text format: at most 30 non-starters in a row
# Runs of characters that may be combining marks (every non-starter is U+0300 or above);
# only such a run can hold more marks in a row than that. Each set is written as what it
# leaves out: a range up to U+10FFFF takes the regex compiler 15 ms, its complement 0.3.
_POSSIBLE_MARK_RUN = re.compile(f"[^\x00-\u02ff][^\x00-\u02ff]{{{LONGEST_MARK_RUN},}}")
# Too many marks in a row, in a run's canonical combining classes (one byte each, 0 a starter)
_MARK_RUN = re.compile(b"[^\x00]{%d,}" % (LONGEST_MARK_RUN + 1))
# Bytes that are not valid UTF-8, as "surrogateescape" decoding leaves them.
_ESCAPED_BYTES = re.compile("[\udc80-\udcff]+")


class DecodeError(ValueError):
    """The bytes are not a text page we can read."""


class DecodedPage(NamedTuple):
    """A page's text, and what decoding had to repair (said as import warnings)."""

    text: str
    warnings: tuple[str, ...] = ()


def clean_text(text: str) -> str:
    """Strip terminal escape sequences and control characters, keeping newlines and tabs.

    Only each sequence itself goes, never the text after it: an unterminated or stray
    introducer loses its own characters and no more. Markup-like text such as
    ``[bold]x[/]`` is kept literally: showing it safely is the display's job, and the
    reader may have meant it.
    """
    text = _normalise_line_breaks(text)
    if _CONTROL_CHARS.search(text) is None:  # the common case: nothing to strip
        return text
    if "\x1b" in text:
        text = _ESCAPE_SEQUENCE.sub("", text)
    return _CONTROL_CHARS.sub("", text)


_SURROGATES = re.compile("[\ud800-\udfff]")  # undecodable bytes of a file name
_Shown = TypeVar("_Shown")


def for_display(text: object, *, one_line: bool = False) -> str:
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
        return for_display(value)  # type: ignore[return-value]
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


# Every byte as itself, but a C0 control or DEL as another byte: the table leaves
# printable ASCII unchanged, and changes any other; and one that leaves "\n" too.
_ASCII_UNPRINTABLE_CHANGED = bytes(
    byte + 1 if byte < 0x20 or byte == 0x7F else byte for byte in range(256)
)
_ASCII_UNPRINTABLE_BUT_LINE_FEED_CHANGED = bytes(
    byte if byte == ord("\n") else changed
    for byte, changed in enumerate(_ASCII_UNPRINTABLE_CHANGED)
)


def is_printable(text: str, *, but_line_breaks: bool = False) -> bool:
    """``str.isprintable``, a few times faster on ASCII text (nearly all text is); with
    ``but_line_breaks``, of the text with its "\\n" read as spaces.

    An ASCII string is printable when it holds no C0 control and no DEL; its bytes are
    checked by one ``bytes.translate`` instead of a Unicode lookup per character (with
    a table and nothing to delete: its fastest loop, a quarter fewer instructions).
    """
    if text.isascii():
        encoded = text.encode("ascii")
        if but_line_breaks:
            return encoded.translate(_ASCII_UNPRINTABLE_BUT_LINE_FEED_CHANGED) == encoded
        return encoded.translate(_ASCII_UNPRINTABLE_CHANGED) == encoded
    if but_line_breaks and "\n" in text:
        text = text.replace("\n", " ")
    return text.isprintable()


def clean_line(text: str) -> str:
    """Clean text meant for one line (a title, an organisation): newlines become spaces."""
    return " ".join(clean_text(text).split())


def limit_mark_runs(text: str) -> str:
    """At most 30 combining marks in a row (Unicode's stream-safe text format, UAX #15).

    Longer runs carry nothing a reader sees ("Zalgo" text), and normalising them
    (NFKC, as titles are keyed, or a link's host is checked) takes time quadratic in
    their length. Text without such a run comes back as it is.
    """
    if text.isascii():
        return text
    return _POSSIBLE_MARK_RUN.sub(_limit_run, text)


def _limit_run(match: re.Match[str]) -> str:
    run = match.group()
    classes = bytes(map(unicodedata.combining, run))  # 0 for a starter
    pieces: list[str] = []
    kept_from = 0
    for marks in _MARK_RUN.finditer(classes):
        pieces.append(run[kept_from : marks.start() + LONGEST_MARK_RUN])
        kept_from = marks.end()
    if not pieces:
        return run
    pieces.append(run[kept_from:])
    return "".join(pieces)


def _normalise_line_breaks(text: str) -> str:
    """CR LF and CR become LF; NEL, LS and PS are line breaks only where the page uses
    them as such (more of them than LF), else one stray character, so a space."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        breaks = sum(text.count(separator) for separator in _UNICODE_LINE_BREAKS)
        replacement = "\n" if breaks > text.count("\n") else " "
        for separator in _UNICODE_LINE_BREAKS:
            text = text.replace(separator, replacement)
    return text


def decode_page_bytes(data: bytes) -> DecodedPage:
    """Decode a saved page: UTF-8 (with or without BOM), UTF-16 with BOM, or legacy 8-bit.

    A page that is mostly UTF-8 stays UTF-8: its few bytes that are not (a pasted legacy
    fragment, a damaged byte) are read as Windows-1252, and a warning says how many.
    Only a page with more such bytes than UTF-8 ones (and more than a few) is read as
    Windows-1252 throughout, a legacy page, and a warning says that too.

    Raises:
        DecodeError: the file is empty, blank, or binary; the message says which.
    """
    if not data:
        raise DecodeError("empty file")
    warnings: tuple[str, ...] = ()
    if data.startswith(_UTF16_BOMS):
        text, warnings = _decode_utf16(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text, warnings = _decode_mixed(data)
    if _looks_binary(text):
        raise DecodeError("binary file, not a text page")
    if not text or text.isspace():  # not strip(), which copies the whole page
        raise DecodeError("blank file (only whitespace)")
    return DecodedPage(text, warnings)


def _decode_utf16(data: bytes) -> tuple[str, tuple[str, ...]]:
    try:
        return data.decode("utf-16"), ()
    except UnicodeDecodeError:
        text = data.decode("utf-16", errors="replace")
    broken = text.count("\ufffd")
    if broken > max(8, len(text) // 100):
        raise DecodeError("binary file (broken UTF-16 text)")
    return text, (f"{_count(broken, 'character')} of broken UTF-16 replaced with U+FFFD",)


def _decode_mixed(data: bytes) -> tuple[str, tuple[str, ...]]:
    """A UTF-8 page with some bytes that are not, or a legacy page: the bytes decide.

    One well-formed UTF-8 character other than ASCII is enough to call the page UTF-8:
    Windows-1252 text almost never forms one by chance. Its stray bytes are read as
    Windows-1252 one by one, and a warning says how many. A page with none and more
    than a few such bytes is a legacy page, read whole as Windows-1252 (what repairing
    every byte would give), with a warning that says so; a few in an ASCII page are
    damage, repaired the same way.
    """
    text = data.decode("utf-8-sig", errors="surrogateescape")
    invalid = sum(len(run) for run in _ESCAPED_BYTES.findall(text))
    if invalid > _FEW_BYTES and _UTF8_CHARACTER.search(text) is None:  # a legacy page
        legacy = codecs.charmap_decode(data, "strict", _WINDOWS_1252)[0]
        return legacy, ("the file is not UTF-8; read as Windows-1252",)
    repaired = _ESCAPED_BYTES.sub(_as_windows_1252, text)
    verb = "is" if invalid == 1 else "are"
    return repaired, (f"{_count(invalid, 'byte')} {verb} not UTF-8; read as Windows-1252",)


def _as_windows_1252(match: re.Match[str]) -> str:
    return "".join(_WINDOWS_1252[ord(char) - 0xDC00] for char in match.group())


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


# Windows-1252 as browsers read it (WHATWG): the five bytes it leaves undefined map to
# the C1 controls of the same number, which cleaning then removes.
_WINDOWS_1252 = "".join(
    bytes([byte]).decode("cp1252", errors="ignore") or chr(byte) for byte in range(256)
)
# A character decoded from UTF-8 other than ASCII: not one of the U+DC80-U+DCFF that
# surrogateescape makes of a byte that is not UTF-8 (the set written as its complement,
# which compiles 40 times faster: see _POSSIBLE_MARK_RUN).
_UTF8_CHARACTER = re.compile("[^\x00-\x7f\udc80-\udcff]")
# So many bytes that are not UTF-8 are damage to an ASCII page, not a legacy page's accents.
_FEW_BYTES = 8


def is_clean_utf8_page(data: bytes) -> bool:
    """True only when ``decode_page_bytes`` reads ``data`` as UTF-8 with nothing to
    repair and nothing to refuse: no warning, no error (a page whose first 64 KiB are
    blank is left to it too). Checked a piece at a time, so the page is never held
    whole as text (a saved page is read from its bytes: ``hf_pages``): a third of the
    time decoding it takes."""
    if data.startswith(_UTF16_BOMS):
        return False  # UTF-16
    at = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    view = memoryview(data)
    head = ""
    try:
        while True:
            # a piece ending inside a character leaves it to the next (the codec's own
            # incremental decoder would copy each piece once more, to join them)
            last = at + _CHECKED_PIECE >= len(data)
            text, used = codecs.utf_8_decode(view[at : at + _CHECKED_PIECE], "strict", last)
            if len(head) < _BINARY_SAMPLE:
                head += text[: _BINARY_SAMPLE - len(head)]
            if last:
                break
            at += used
    except UnicodeDecodeError:
        return False
    return bool(head) and not head.isspace() and not _looks_binary(head)


_CHECKED_PIECE = 1 << 16  # bytes
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # a page that starts so is UTF-16
_BINARY_SAMPLE = 65536  # characters


def _looks_binary(text: str) -> bool:
    """Many control characters, or more than a few NULs (or 5%), in the first 64 KiB."""
    sample = text[:_BINARY_SAMPLE]
    controls = len(_BINARY_CONTROLS.findall(sample))
    nuls = sample.count("\x00")
    return (
        controls > max(8, len(sample) // 100)
        or nuls > max(2, len(sample) // 1000)
        or nuls * 20 > len(sample)
    )


# Latin letters that Unicode does not decompose into a base letter and an accent.
_PLAIN_LETTERS = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ð": "d", "ı": "i", "æ": "ae", "œ": "oe", "þ": "th"}
)


def search_fold(text: str) -> str:
    """Text as a filter compares names: case folded, accents dropped, and the Latin
    letters without a decomposition spelled plainly, so ``jorg`` finds "Jörg", ``lukasz``
    and ``Łukasz`` find "Łukasz", and a name stored decomposed reads as one typed whole."""
    if text.isascii():
        return text.lower()
    # folded after decomposing: a compatibility letter (ℌ, ™) decomposes to capitals
    decomposed = unicodedata.normalize("NFKD", text).casefold()
    return "".join(c for c in decomposed if not unicodedata.combining(c)).translate(_PLAIN_LETTERS)


def author_search_key(names_column: str) -> str:
    """A paper's authors as ``author:`` compares them: their column (the names as a JSON
    array, ``storage.values.encode_array``) folded (``search_fold``)."""
    return search_fold(names_column)


def org_search_key(org: str | None, handle: str | None) -> str:
    """An organisation as ``org:`` compares it: its name and its handle, each folded
    (``search_fold``), a line apart so a match never runs from one into the other."""
    return f"{search_fold(org or '')}\n{search_fold(handle or '')}"
