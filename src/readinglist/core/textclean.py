"""Turning outside bytes into safe text: decoding, line endings and control characters.

Everything that comes from a saved page passes through here once, at import, so the
rest of the program can show titles and abstracts without re-checking them.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import NamedTuple

__all__ = [
    "LONGEST_MARK_RUN",
    "DecodeError",
    "DecodedPage",
    "clean_line",
    "clean_text",
    "decode_page_bytes",
    "for_display",
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
# only such a run can hold more marks in a row than that.
_POSSIBLE_MARK_RUN = re.compile(f"[\u0300-\U0010ffff][\u0300-\U0010ffff]{{{LONGEST_MARK_RUN},}}")
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


def for_display(text: str, *, one_line: bool = False) -> str:
    """Outside text made safe to show: the one function every output path calls.

    The CLI (plain and ``--json``), exports, the TUI's widgets and notifications all
    pass titles, abstracts, links, notes, file names and error texts through here, so
    rows another client wrote, or a file name, never reach the terminal raw.
    ``one_line`` folds newlines to spaces, for a title, a list cell or a status line.
    """
    return clean_line(text) if one_line else clean_text(text)


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
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text, warnings = _decode_utf16(data)
    else:
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text, warnings = _decode_mixed(data)
    if _looks_binary(text):
        raise DecodeError("binary file, not a text page")
    if not text.strip():
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
    """A UTF-8 page with a few bytes that are not, or a legacy page: the bytes decide."""
    text = data.decode("utf-8-sig", errors="surrogateescape")
    invalid = sum(len(run) for run in _ESCAPED_BYTES.findall(text))
    valid = len(data) - len(data.translate(None, _HIGH_BYTES)) - invalid  # bytes of UTF-8 chars
    if invalid > max(valid, _FEW_BYTES):  # more of them than of UTF-8: a legacy page
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
_HIGH_BYTES = bytes(range(128, 256))
# So many bytes that are not UTF-8 still read as damage to a UTF-8 (or ASCII) page, and are
# reported, even when the page has fewer UTF-8 characters than that.
_FEW_BYTES = 8


def _looks_binary(text: str) -> bool:
    """Many control characters, or more than a few NULs (or 5%), in the first 64 KiB."""
    sample = text[:65536]
    controls = len(_BINARY_CONTROLS.findall(sample))
    nuls = sample.count("\x00")
    return (
        controls > max(8, len(sample) // 100)
        or nuls > max(2, len(sample) // 1000)
        or nuls * 20 > len(sample)
    )
