"""The richer Daily Papers forms: a saved web page and the Hugging Face API's JSON.

Recognised by content, not by file name: a saved page (any browser's "save as", HTML or
a single-file MHTML archive) carries the listing as HTML-escaped JSON in the
``data-props`` of its ``DailyPapers`` element;
the API gives a JSON array of items, one item, or one paper object. Each becomes the
same ``ParsedPage`` a text page does, every field cleaned as text pages are.

Only the ``DailyPapers`` element is read. A page saved while logged in holds the user's
CSRF token and name in another element; nothing of it is kept, logged or quoted in an
error. The HTML is scanned once by the standard library's ``HTMLParser`` fed the page
without ``close()``: each construct is read once, an unterminated one ends the scan
(``close()`` would rescan from each unterminated ``<`` and is quadratic on Python 3.11),
and the scan stops at the element. Its listing is unescaped to UTF-8 a piece at a time
and decoded by msgspec (``hf_listing``), ``json.loads`` reading what msgspec refuses.
Compiled HTML parsers handed only the element's start tag unescape it more slowly than
``bytes.replace`` does here (measured: lexbor twice, libxml2 two and a half times as
long, expat ten times), and so does SQLite's ``replace()`` once its copies count.
"""

from __future__ import annotations

import email
import email.policy
import gc
import html
import json
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from html.parser import HTMLParser
from typing import Any

from .hf_items import day_of, paper_from_item
from .parsed import NOT_A_PAGE, PageError, ParsedPage, ParsedPaper

__all__ = ["page_of_items", "parse_rich_page", "unescape", "unescape_to_utf8"]

MAX_WARNINGS = 20  # one per skipped item, then a count
_HTML_SNIFF = 4096
_REPLACE_PIECE = 16_384  # characters: see _replace_entity
_HTML_START = re.compile(r"\s*<")
_MHTML_START = re.compile(r"[A-Za-z-]+:")  # a mail header: "From: <Saved by Blink>"
_HTML_MARKERS = ("<!doctype", "<html", "<head", "<body", "<meta", "<div", "<!--")
_JSON_OPEN = re.compile(r"\s*[\[{]")
_JSON_START = re.compile(r"\s*(?:\[\s*[\[{\"\]]|\{\s*[\"}])")  # unmistakably JSON
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


def parse_rich_page(text: str) -> ParsedPage | None:
    """The page a saved web page or API JSON holds, or None for a text page.

    Raises:
        PageError: HTML or JSON that is not a Daily Papers listing (the message says why).
    """
    with _cycle_collection_paused():
        return _parse_rich_page(text)


def _parse_rich_page(text: str) -> ParsedPage | None:
    if _JSON_OPEN.match(text):
        try:
            data = _load_json(text, "the file")
        except _BrokenJSON:
            if _JSON_START.match(text):
                raise
            return None  # a text page whose first title opens with a bracket
        return _parse_json(data)
    if _MHTML_START.match(text) and "multipart/related" in text[:_HTML_SNIFF].lower():
        text = _html_of_web_archive(text)
    if _HTML_START.match(text) and _looks_like_html(text):
        props = _find_daily_papers_props(text)
        if props is None:
            raise PageError(f"{NOT_A_PAGE}: HTML without the DailyPapers listing")
        return _parse_props(*props)
    return None


@contextmanager
def _cycle_collection_paused() -> Iterator[None]:
    """No cycle collection while a listing becomes papers: it makes no cycles, and the
    objects it makes (JSON, then papers) would set off collections that each walk every
    object alive: at 10,000 papers, ``json.loads`` took nearly three times as long.
    A collector already paused (by whoever paused it) is left so; the pause is the
    process's, for the parse's length (a worker thread's parse included).
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def _html_of_web_archive(text: str) -> str:
    """The page inside a single-file save (MHTML: Chrome and Edge's "Webpage, Single File")."""
    archive = email.message_from_string(text, policy=email.policy.default)
    for part in archive.walk():
        if part.get_content_type() == "text/html" and isinstance(part, EmailMessage):
            try:
                content = part.get_content()
            except (LookupError, ValueError):  # an unknown charset, a broken encoding
                continue
            if isinstance(content, str):
                return content
    raise PageError(f"{NOT_A_PAGE}: a web archive (MHTML) without an HTML page")


def _looks_like_html(text: str) -> bool:
    head = text[:_HTML_SNIFF].lower()
    return any(marker in head for marker in _HTML_MARKERS)


class _Found(Exception):
    """Ends the scan at the DailyPapers element (carries where its props lie)."""

    def __init__(self, page: str, start: int, end: int) -> None:
        super().__init__("DailyPapers element found")
        self.props = (page, start, end)


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
            return end  # an unterminated tag: the scan ends here, as HTMLParser's own would
        if page.find("DailyPapers", i, end) >= 0:
            attrs = _attributes(page, i, end)
            target = attrs.get("data-target")
            props = attrs.get("data-props")
            if props and target and unescape(page[target[0] : target[1]]) == "DailyPapers":
                raise _Found(page, *props)  # read in place: it is most of the page
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
    pieces = []
    while start < end:
        cut = text.find("&", start + _REPLACE_PIECE, end)
        cut = end if cut < 0 else cut
        pieces.append(text[start:cut].replace(entity, character))
        start = cut
    return "".join(pieces)


_AMPERSAND = b"&amp;"
_COMMON_ENTITIES_UTF8 = tuple(
    (entity.encode(), character.encode()) for entity, character in _COMMON_ENTITIES
)


def unescape_to_utf8(text: str, start: int = 0, end: int | None = None) -> bytearray | None:
    """``unescape(text, start, end)`` encoded as UTF-8, when every "&" in the range begins
    one of the entities escaped JSON is made of (``&quot;``, ``&amp;``, ``&#39;``, ...);
    else None (``unescape`` reads the rest). The range is encoded a piece at a time, so
    a page decoded to two or four bytes a character is never copied whole at that width.

    The pieces end before an "&" (see ``_replace_entity``). A replacement never makes a
    new "&" and ``&amp;`` goes last, so ``&amp;quot;`` stays ``&quot;``.
    """
    end = len(text) if end is None else end
    utf8 = bytearray()
    while start < end:
        cut = text.find("&", start + _REPLACE_PIECE, end)
        cut = end if cut < 0 else cut
        piece = text[start:cut].encode("utf-8", "surrogatepass")
        start = cut
        if b"&" in piece:
            for entity, character in _COMMON_ENTITIES_UTF8:  # the most common first
                piece = piece.replace(entity, character)
                if b"&" not in piece:
                    break
            else:
                if piece.count(b"&") != piece.count(_AMPERSAND):
                    return None
                piece = piece.replace(_AMPERSAND, b"&")
        utf8 += piece
    return utf8


def _find_daily_papers_props(html: str) -> tuple[str, int, int] | None:
    """Where the DailyPapers element's ``data-props`` lies: ``page[start:end]``, its
    entities not yet decoded (``page`` is ``html``, as the parser held it)."""
    finder = _DailyPapersFinder()
    try:
        finder.feed(html)  # no close(): see the module docstring
    except _Found as found:
        return found.props
    finally:
        finder.rawdata = ""  # the buffered rest of the page is not kept
    return None


class _BrokenJSON(PageError):
    """Text that does not parse as JSON."""


def _load_json(text: str, what: str) -> Any:
    try:
        return json.loads(text, strict=False)  # a raw control character is cleaned later
    except json.JSONDecodeError as error:  # its message names a position, never the text
        raise _BrokenJSON(
            f"{NOT_A_PAGE}: {what} is broken JSON ({error.msg} at line {error.lineno} "
            f"column {error.colno})"
        ) from None
    except RecursionError:
        raise PageError(f"{NOT_A_PAGE}: {what} is JSON nested too deeply") from None
    except ValueError:  # e.g. an integer longer than Python converts
        raise PageError(f"{NOT_A_PAGE}: {what} holds a number too large to read") from None


def _parse_json(data: Any) -> ParsedPage:
    if isinstance(data, dict) and "dailyPapers" in data:
        return _parse_props_value(data)
    if isinstance(data, list):
        items = data
    elif isinstance(data, dict) and (_is_paper(data.get("paper")) or _is_paper(data)):
        items = [data]
    else:
        raise PageError(
            f"{NOT_A_PAGE}: JSON, but not a Daily Papers item, list of items or paper object"
        )
    return page_of_items(items)


def page_of_items(items: list[Any]) -> ParsedPage:
    """The page a list of API items makes (``readinglist fetch`` joins its pages into one).

    Raises:
        PageError: none of the items is a readable paper.
    """
    with _cycle_collection_paused():
        papers, warnings = _papers_from_items(items)
    return ParsedPage(papers, warnings, "api", _most_common_day(papers))


def _parse_props(page: str, start: int, end: int) -> ParsedPage:
    """The listing in ``page[start:end]``: unescaped to UTF-8 and read by msgspec
    (``hf_listing``) where it can be, else unescaped as text and read by ``json.loads``:
    the same papers either way."""
    from .hf_listing import decode_listing  # here: only saved web pages need msgspec

    utf8 = unescape_to_utf8(page, start, end)
    data = None if utf8 is None else decode_listing(utf8)
    if data is None:
        data = _load_json(unescape(page, start, end), "the DailyPapers listing")
    if not isinstance(data, dict):
        raise PageError(f"{NOT_A_PAGE}: the DailyPapers listing is not a JSON object")
    return _parse_props_value(data)


def _parse_props_value(data: dict[str, Any]) -> ParsedPage:
    items = data.get("dailyPapers")
    if not isinstance(items, list):
        raise PageError(f"{NOT_A_PAGE}: the DailyPapers listing has no list of papers")
    if not items:
        raise PageError("the Daily Papers listing is empty (no papers that day yet?)")
    papers, warnings = _papers_from_items(items)
    listing_date = day_of(data.get("dateString")) or _most_common_day(papers)
    return ParsedPage(papers, warnings, "saved-page", listing_date)


def _is_paper(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("title"), str) and "id" in value


def _papers_from_items(
    items: list[Any],
) -> tuple[tuple[ParsedPaper, ...], tuple[str, ...]]:
    papers: list[ParsedPaper] = []
    warnings: list[str] = []
    problems = 0
    for number, item in enumerate(items, start=1):
        paper, warning = paper_from_item(item)
        if paper is not None:
            papers.append(paper)
        if warning is not None:
            problems += 1
            if problems <= MAX_WARNINGS:
                warnings.append(f"item {number}: {warning}")
    if problems > MAX_WARNINGS:
        warnings.append(f"{problems - MAX_WARNINGS} more items have problems (not listed)")
    if not papers:
        if items:
            raise PageError(f"{NOT_A_PAGE}: no readable papers in {len(items)} items")
        raise PageError(f"{NOT_A_PAGE}: no papers found")
    return tuple(papers), tuple(warnings)


def _most_common_day(papers: tuple[ParsedPaper, ...]) -> str | None:
    days = Counter(paper.date for paper in papers if paper.date)
    return days.most_common(1)[0][0] if days else None
