"""The richer Daily Papers forms: a saved web page and the Hugging Face API's JSON.

Recognised by content, not by file name: a saved page (any browser's "save as", HTML or
a single-file MHTML archive) carries the listing as HTML-escaped JSON in the
``data-props`` of its ``DailyPapers`` element;
the API gives a JSON array of items, one item, or one paper object. Each becomes the
same ``ParsedPage`` a text page does, every field cleaned as text pages are.

Only the ``DailyPapers`` element is read (``hf_html`` finds and unescapes it). A page
saved while logged in holds the user's CSRF token and name in another element; nothing
of it is kept, logged or quoted in an error. The listing is decoded by msgspec
(``hf_listing``), ``json.loads`` reading what msgspec refuses.

A saved page in UTF-8 is read from its bytes (``parse_saved_page_bytes``): decoding
the whole page to text, most of it the listing, would cost more than reading it.
"""

from __future__ import annotations

import codecs
import contextlib
import email
import email.policy
import gc
import json
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from .dates import latest_paper_date
from .hf_html import ListingSpan, find_listing, unescape, unescape_to_utf8, unescape_utf8
from .hf_items import dated, day_of, paper_from_item
from .parsed import NOT_A_PAGE, PageError, ParsedPage, ParsedPaper
from .textclean import is_clean_utf8_page

if TYPE_CHECKING:  # hf_listing imports msgspec: only reading a listing needs it
    from .hf_listing import Item

__all__ = [
    "page_of_items",
    "parse_rich_page",
    "parse_saved_page_bytes",
    "web_archive_html",
    "where_json_breaks",
    "without_future_dates",
]

MAX_WARNINGS = 20  # one per skipped item, then a count
_HTML_SNIFF = 4096
_HTML_START = re.compile(r"\s*<")
_MHTML_START = re.compile(r"[A-Za-z-]+:")  # a mail header: "From: <Saved by Blink>"
_HTML_MARKERS = ("<!doctype", "<html", "<head", "<body", "<meta", "<div", "<!--")
_JSON_OPEN = re.compile(r"\s*[\[{]")
_JSON_START = re.compile(r"\s*(?:\[\s*[\[{\"\]]|\{\s*[\"}])")  # unmistakably JSON
# What ``\s`` matches beyond ASCII, in UTF-8; and the two Latin-1 characters of those
# bytes it matches (see parse_saved_page_bytes).
_WIDE_SPACE = re.compile(
    rb"[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f|\xe3\x80\x80"
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
    if _HTML_START.match(text) and _looks_like_html(text):
        listing = find_listing(text)
        if listing is None:
            raise PageError(f"{NOT_A_PAGE}: HTML without the DailyPapers listing")
        return _parse_props(listing)
    return None


def parse_saved_page_bytes(data: bytes) -> ParsedPage | None:
    r"""The page a saved web page in UTF-8 holds, read from its bytes; or None, and the
    caller decodes the page for ``parse_rich_page``: not a saved page, not a page
    ``decode_page_bytes`` reads as UTF-8 without a warning, or one this declines.

    The page is read as Latin-1, one character a byte: the scan finds the listing at
    its byte offsets, and only the listing is unescaped, as bytes, for msgspec. Markup
    is ASCII, so the scan reads it as it reads the decoded page, except where ``\s``
    matches a character beyond ASCII (the one difference between the two readings): a
    page with one before the listing or in its tag, or whose listing is not quoted (an
    unquoted value ends at one), is declined.

    Raises:
        PageError: the listing is empty or holds no readable paper.
    """
    bom = len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0
    head = data[bom : bom + _HTML_SNIFF].decode("latin-1")
    if not (_HTML_START.match(head) and _looks_like_html(head)):
        return None
    if not is_clean_utf8_page(data):
        return None  # decoded, it is repaired or refused, and says so
    with _cycle_collection_paused():
        # Each copy of the listing is let go as soon as the next is made: a month's
        # listing is megabytes, and copies kept alive push each other out of the cache.
        found = find_listing(codecs.latin_1_decode(memoryview(data)[bom:])[0])
        if found is None:
            return None
        _, start, end, tag_end = found
        del found  # the page as text
        if data[bom + start - 1 : bom + start] not in (b'"', b"'"):
            return None
        if _WIDE_SPACE.search(data, bom, bom + start) or _WIDE_SPACE.search(
            data, bom + end, bom + tag_end
        ):
            return None
        from .hf_listing import UndecodedField, decode_listing  # only listings need msgspec

        unescaped = unescape_utf8(data, bom + start, bom + end)
        listing = None if unescaped is None else decode_listing(unescaped)
        del unescaped
        if listing is None:
            return None
        try:
            return _listing_page(listing.dailyPapers, listing.dateString, listing.periodType)
        except UndecodedField:
            return None  # as if msgspec had refused the listing whole


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


def web_archive_html(data: bytes) -> bytes | None:
    """The HTML page inside a single-file save (MHTML: Chrome and Edge's "Webpage,
    Single File"), as its bytes with the transfer encoding undone; None when ``data``
    is not such an archive.

    The page's bytes are read as a saved ``.html`` file's are (UTF-8, or what
    ``decode_page_bytes`` makes of them), whatever charset its part declares: Chrome
    declares none, and the page is the site's UTF-8 as it came.

    Raises:
        PageError: an archive without an HTML page.
    """
    data = data.removeprefix(codecs.BOM_UTF8)
    head = data[:_HTML_SNIFF].decode("latin-1")
    if not (_MHTML_START.match(head) and "multipart/related" in head.lower()):
        return None
    archive = email.message_from_bytes(data, policy=email.policy.default)
    for part in archive.walk():
        if part.get_content_type() == "text/html":
            html = part.get_payload(decode=True)
            if isinstance(html, bytes) and html.strip():
                return html
    raise PageError(f"{NOT_A_PAGE}: a web archive (MHTML) without an HTML page")


def _looks_like_html(text: str) -> bool:
    head = text[:_HTML_SNIFF].lower()
    return any(marker in head for marker in _HTML_MARKERS)


class _BrokenJSON(PageError):
    """Text that does not parse as JSON."""


def _load_json(text: str, what: str) -> Any:
    try:
        return json.loads(text, strict=False)  # a raw control character is cleaned later
    except json.JSONDecodeError as error:  # its message names a position, never the text
        raise _BrokenJSON(
            f"{NOT_A_PAGE}: {what} is broken JSON ({where_json_breaks(error)})"
        ) from None
    except RecursionError:
        raise PageError(f"{NOT_A_PAGE}: {what} is JSON nested too deeply") from None
    except ValueError:  # e.g. an integer longer than Python converts
        raise PageError(f"{NOT_A_PAGE}: {what} holds a number too large to read") from None


def where_json_breaks(error: json.JSONDecodeError) -> str:
    """What is wrong and where, never the text: "Expecting value at line 1 column 5"."""
    # Some messages end in "at" already: "Unterminated string starting at".
    return f"{error.msg.removesuffix(' at')} at line {error.lineno} column {error.colno}"


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
    from .hf_listing import item_of  # here: only listings need msgspec

    with _cycle_collection_paused():
        papers, warnings = _papers_from_items([item_of(value) for value in items])
    return ParsedPage(papers, warnings, "api", _most_common_day(papers))


def _parse_props(listing: ListingSpan) -> ParsedPage:
    """The listing: unescaped to UTF-8 and read by msgspec (``hf_listing``) where it can
    be, else unescaped as text and read by ``json.loads``: the same papers either way."""
    from .hf_listing import UndecodedField, decode_listing  # only listings need msgspec

    page, start, end, _ = listing
    utf8 = unescape_to_utf8(page, start, end)
    decoded = None if utf8 is None else decode_listing(utf8)
    if decoded is not None:
        with contextlib.suppress(UndecodedField):  # else read as one msgspec refuses
            return _listing_page(decoded.dailyPapers, decoded.dateString, decoded.periodType)
    data = _load_json(unescape(page, start, end), "the DailyPapers listing")
    if not isinstance(data, dict):
        raise PageError(f"{NOT_A_PAGE}: the DailyPapers listing is not a JSON object")
    return _parse_props_value(data)


def _parse_props_value(data: dict[str, Any]) -> ParsedPage:
    """A listing as ``json.loads`` made it (a saved page's, or one given as JSON)."""
    from .hf_listing import item_of  # here: only listings need msgspec

    items = data.get("dailyPapers")
    if not isinstance(items, list):
        raise PageError(f"{NOT_A_PAGE}: the DailyPapers listing has no list of papers")
    return _listing_page(
        [item_of(value) for value in items], data.get("dateString"), data.get("periodType")
    )


def _listing_page(items: Sequence[Item | None], day: Any, period: Any) -> ParsedPage:
    """The page of a listing's items (``hf_listing``'s), its ``dateString`` and its
    ``periodType``: on a day's page, a paper without its own date has the page's."""
    if not items:
        raise PageError("the Daily Papers listing is empty (no papers that day yet?)")
    papers, warnings = _papers_from_items(items)
    listing_date = day_of(day)
    if listing_date and period == "day" and not all(paper.date for paper in papers):
        papers = tuple(paper if paper.date else dated(paper, listing_date) for paper in papers)
    listing_date = listing_date or _most_common_day(papers)
    return ParsedPage(papers, warnings, "saved-page", listing_date)


def without_future_dates(page: ParsedPage, today: date) -> ParsedPage:
    """A saved page's or the API's page, no paper or listing dated later than it can be
    (``dates.latest_paper_date``, as text pages are read): outside text can state any
    date, and a paper dated 9999 would head every list by date. Such a date is dropped."""
    latest = latest_paper_date(None, today).isoformat()
    listing_date = page.listing_date if (page.listing_date or "") <= latest else None
    latest = latest_paper_date(listing_date, today).isoformat()
    if listing_date == page.listing_date and all((p.date or "") <= latest for p in page.papers):
        return page
    papers = tuple(
        paper if (paper.date or "") <= latest else paper._replace(date=None, date_text=None)
        for paper in page.papers
    )
    return replace(page, papers=papers, listing_date=listing_date)


def _is_paper(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("title"), str) and "id" in value


def _papers_from_items(
    items: Sequence[Item | None],
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
