"""Finding a saved page's DailyPapers listing in its HTML, and unescaping it.

The HTML is scanned once by the standard library's ``HTMLParser`` fed the page without
``close()``: each construct is read once, an unterminated one ends the scan (``close()``
would rescan from each unterminated ``<`` and is quadratic on Python 3.11), and the
scan stops at the element. Its listing is unescaped to UTF-8 a piece at a time.
Compiled HTML parsers handed only the element's start tag unescape it more slowly than
``bytes.replace`` does here (measured: lexbor twice, libxml2 two and a half times as
long, expat ten times), and so does SQLite's ``replace()`` once its copies count.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from html.parser import HTMLParser
from typing import Any, NamedTuple

from .parsed import PageError

__all__ = ["ListingSpan", "find_listing", "unescape", "unescape_to_utf8", "unescape_utf8"]

_REPLACE_PIECE = 16_384  # characters: see _replace_entity
_TAG_NAME = re.compile(r"<[^\s/>]*")
# A start tag of the plainest shape: its name, and one of its attributes up to the
# opening quote of its value (see _plain_tag_end).
_PLAIN_TAG_NAME = re.compile(r"<[a-zA-Z][a-zA-Z0-9-]*")
_PLAIN_ATTRIBUTE = re.compile(r' [a-zA-Z_:][a-zA-Z0-9_:.-]*="')
_NEAR = 256  # characters: a tag naming DailyPapers this near its start is read plainly first
# A name, and its value: double-quoted, single-quoted (each without its quotes) or bare;
# and the start of the commonest, a name and the opening of a double-quoted value.
_ATTRIBUTE = re.compile(
    r"""[\s/]*([^\s/>=][^\s/>=]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]*)))?"""
)
_DOUBLE_QUOTED_START = re.compile(r'[\s/]*([^\s/>=][^\s/>=]*)\s*=\s*"')
_COMMON_ENTITIES = (
    ("&quot;", '"'),
    ("&#34;", '"'),
    ("&#39;", "'"),
    ("&#x27;", "'"),
    ("&lt;", "<"),
    ("&gt;", ">"),
)


class ListingSpan(NamedTuple):
    """Where a page's DailyPapers listing lies: ``page[start:end]`` is its ``data-props``
    value, entities not yet decoded, in the start tag that ends at ``tag_end``."""

    page: str  # the page, as the parser held it
    start: int
    end: int
    tag_end: int


class _Found(Exception):
    """Ends the scan at the DailyPapers element (carries where its props lie)."""

    def __init__(self, span: ListingSpan) -> None:
        super().__init__("DailyPapers element found")
        self.span = span


class _CutOff(Exception):
    """The page ends inside a start tag naming DailyPapers: saved before it had loaded
    whole, or cut short since."""


class _DailyPapersFinder(HTMLParser):
    """Stops at the first start tag with ``data-target="DailyPapers"`` and ``data-props``.

    ``HTMLParser`` tokenises the page (comments, scripts, where each tag ends); the one
    tag naming DailyPapers has its attributes read here, because ``HTMLParser`` decodes
    entities with a Python call per entity: a third of a second for a month's listing.
    """

    def parse_starttag(self, i: int) -> int:
        page = self.rawdata
        end = _plain_tag_end(page, i) if page.find("DailyPapers", i, i + _NEAR) >= 0 else -1
        if end < 0:
            end = self.check_for_whole_start_tag(i)
        if end < 0:
            if page.find("DailyPapers", i, i + _NEAR) >= 0:
                raise _CutOff  # the page ends inside the listing's tag
            return end  # an unterminated tag: the scan ends here, as HTMLParser's own would
        if page.find("DailyPapers", i, end) >= 0:
            attrs = _attributes(page, i, end)
            target = attrs.get("data-target")
            props = attrs.get("data-props")
            if props and target and unescape(page[target[0] : target[1]]) == "DailyPapers":
                # the listing is read in place: it is most of the page
                raise _Found(ListingSpan(page, *props, end))
        return super().parse_starttag(i)

    def parse_html_declaration(self, i: int) -> int:
        """``<![...`` is a bogus comment up to the next ``>``, as in a browser.

        HTML has no marked sections outside SVG and MathML; Python 3.11's
        ``HTMLParser`` reads them as SGML's and raises ``AssertionError`` on junk such
        as ``<![;``. A bogus comment is found with one ``find``: linear, never an error.
        """
        if self.rawdata.startswith("<![", i):
            return self.parse_bogus_comment(i)
        return super().parse_html_declaration(i)


def _plain_tag_end(html: str, start: int) -> int:
    """Where the start tag at ``start`` ends, if it has the plainest shape,
    ``<name name="value" name="value">``; else -1 (``check_for_whole_start_tag`` decides).

    ``HTMLParser``'s own reading (a regex) would cost more than the rest of the scan on
    the DailyPapers tag, most of the page; here its values are skipped by ``find``. A
    tag of this shape is read alike by both: each name stops at its "=", each value at
    its closing quote, and the tag ends at the ">" after the last value.
    """
    tag = _PLAIN_TAG_NAME.match(html, start)
    if tag is None:
        return -1
    position = tag.end()
    while not html.startswith(">", position):
        attribute = _PLAIN_ATTRIBUTE.match(html, position)
        closing = html.find('"', attribute.end()) if attribute else -1
        if closing < 0:
            return -1
        position = closing + 1
    return position + 1


def _attributes(html: str, start: int, end: int) -> dict[str, tuple[int, int]]:
    """Where each attribute's value lies in the start tag ``html[start:end]``, the first
    of each name kept: ``html[value_start:value_end]``, without its quotes.

    Values are not copied or decoded here: only the listing's are needed, and it is
    most of the page.
    """
    attrs: dict[str, tuple[int, int]] = {}
    tag = _TAG_NAME.match(html, start, end)
    position = tag.end() if tag else end
    while position < end:
        quoted = _DOUBLE_QUOTED_START.match(html, position, end)  # most: read by find()
        closing = html.find('"', quoted.end(), end) if quoted else -1
        if quoted and closing >= 0:
            attrs.setdefault(quoted.group(1).lower(), (quoted.end(), closing))
            position = closing + 1
            continue
        found = _ATTRIBUTE.match(html, position, end)
        if found is None or found.end() == position:
            break
        value = next((group for group in (2, 3, 4) if found.start(group) >= 0), None)
        span = found.span(value) if value else (found.end(), found.end())
        attrs.setdefault(found.group(1).lower(), span)
        position = found.end()
    return attrs


def unescape(text: str, start: int = 0, end: int | None = None) -> str:
    """``html.unescape(text[start:end])``, with the entities escaped JSON is full of
    replaced in bulk, and the range read in place (a listing is most of its page)."""
    end = len(text) if end is None else end
    if text.find("&", start, end) < 0:
        return text[start:end]
    # JSON escaped for an attribute is mostly &quot;, and now and then an &amp;. A
    # replacement never makes a new "&", so &quot; go first; when every "&" left then
    # begins an &amp;, those go last, and nothing else was escaped.
    decoded = _replace_entity(text, "&quot;", '"', start, end)
    if "&" not in decoded:
        return decoded
    if decoded.count("&") == decoded.count("&amp;"):
        return _replace_entity(decoded, "&amp;", "&")
    parts = text[start:end].split("&amp;")
    for index, part in enumerate(parts):
        if "&" in part:
            for entity, character in _COMMON_ENTITIES:  # the most common first
                part = part.replace(entity, character)
                if "&" not in part:
                    break
            parts[index] = html.unescape(part) if "&" in part else part
    return "&".join(parts)


def _replace_entity(text: str, entity: str, character: str, start: int = 0, end: int = -1) -> str:
    """``text[start:end].replace(entity, character)``, a piece at a time.

    On a text longer than about 30,000 characters CPython 3.11 sets up its two-way
    search again for each match, which costs more than the search: a month's listing
    has 200,000 &quot;. The pieces end before an "&", which an entity holds only at its
    start, so no match spans two; each is cut from ``text`` as it is replaced.
    """
    end = len(text) if end < 0 else end
    return "".join(
        text[start:cut].replace(entity, character)
        for start, cut in _pieces(text.find, "&", start, end)
    )


_AMPERSAND = b"&amp;"
_QUOTE = _COMMON_ENTITIES[0][0].encode()  # &quot;, the commonest by far
_RARER_ENTITIES_UTF8 = tuple(  # the others, in their order
    (entity.encode(), character.encode()) for entity, character in _COMMON_ENTITIES[1:]
)


def unescape_to_utf8(text: str, start: int = 0, end: int | None = None) -> bytearray | None:
    """``unescape(text, start, end)`` encoded as UTF-8, when every "&" in the range begins
    one of the entities escaped JSON is made of (``&quot;``, ``&amp;``, ``&#39;``, ...);
    else None (``unescape`` reads the rest). The range is encoded a piece at a time, so
    a page decoded to two or four bytes a character is never copied whole at that width.
    """
    end = len(text) if end is None else end
    return _unescaped_utf8(
        text[start:cut].encode("utf-8", "surrogatepass")
        for start, cut in _pieces(text.find, "&", start, end)
    )


def unescape_utf8(utf8: bytes, start: int, end: int) -> bytearray | None:
    """What ``unescape_to_utf8`` makes of the text ``utf8[start:end]`` encodes, read from
    the bytes themselves: nothing decoded, nothing encoded again."""
    return _unescaped_utf8(utf8[start:cut] for start, cut in _pieces(utf8.find, b"&", start, end))


def _pieces(
    find: Callable[[Any, int, int], int], ampersand: str | bytes, start: int, end: int
) -> Iterator[tuple[int, int]]:
    """``(start, end)`` of each piece of a range: about ``_REPLACE_PIECE`` long, each cut
    before an "&" (``find`` is the text's, ``ampersand`` its "&"; see ``_replace_entity``)."""
    while start < end:
        cut = find(ampersand, start + _REPLACE_PIECE, end)
        cut = end if cut < 0 else cut
        yield start, cut
        start = cut


def _unescaped_utf8(pieces: Iterable[bytes]) -> bytearray | None:
    """The UTF-8 pieces, each cut before an "&", unescaped and joined; None if one holds
    an entity other than those escaped JSON is made of.

    A replacement never makes a new "&" and ``&amp;`` goes last, so ``&amp;quot;`` stays
    ``&quot;``. As in ``unescape``, the ``&quot;`` go first; when every "&" left then
    begins an ``&amp;`` (a real listing's "Q&A", or a link's query), nothing else was
    escaped, and the five other entities are not looked for (a pass over the piece each).
    """
    utf8 = bytearray()
    for piece in pieces:
        if b"&" in piece:
            piece = piece.replace(_QUOTE, b'"')
            if b"&" in piece and piece.count(b"&") != piece.count(_AMPERSAND):
                for entity, character in _RARER_ENTITIES_UTF8:  # the most common first
                    piece = piece.replace(entity, character)
                    if b"&" not in piece:
                        break
                if piece.count(b"&") != piece.count(_AMPERSAND):
                    return None
            if b"&" in piece:
                piece = piece.replace(_AMPERSAND, b"&")
        utf8 += piece
    return utf8


def find_listing(html: str) -> ListingSpan | None:
    """Where the first start tag with ``data-target="DailyPapers"`` has its
    ``data-props``; None if the page has none.

    Raises:
        PageError: the page ends inside that tag (it was not saved whole).
    """
    finder = _DailyPapersFinder()
    try:
        finder.feed(html)  # no close(): see the module docstring
    except _Found as found:
        return found.span
    except _CutOff:
        raise PageError(
            "the saved page ends inside its Daily Papers listing (saved before it had "
            "loaded, or cut short?)"
        ) from None
    finally:
        finder.rawdata = ""  # the buffered rest of the page is not kept
    return None
