"""The richer Daily Papers forms: a saved web page and the Hugging Face API's JSON.

Recognised by content, not by file name: a saved page (any browser's "save as") carries
the listing as HTML-escaped JSON in the ``data-props`` of its ``DailyPapers`` element;
the API gives a JSON array of items, one item, or one paper object. Each becomes the
same ``ParsedPage`` a text page does, every field cleaned as text pages are.

Only the ``DailyPapers`` element is read. A page saved while logged in holds the user's
CSRF token and name in another element; nothing of it is kept, logged or quoted in an
error. The HTML is scanned once by the standard library's ``HTMLParser`` fed the page
without ``close()``: each construct is read once, an unterminated one ends the scan
(``close()`` would rescan from each unterminated ``<`` and is quadratic on Python 3.11),
and the scan stops at the element.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from datetime import date
from html.parser import HTMLParser
from typing import Any

from .links import extract_links, is_web_link
from .parse import PageError, ParsedPage, ParsedPaper
from .textclean import clean_line, clean_text

__all__ = ["parse_rich_page"]

NOT_A_PAGE = "not a Daily Papers page"
MAX_WARNINGS = 20  # one per skipped item, then a count
_LARGEST_COUNT = 2**63 - 1  # what an INTEGER column holds
_HTML_SNIFF = 4096
_HTML_START = re.compile(r"\s*<")
_HTML_MARKERS = ("<!doctype", "<html", "<head", "<body", "<meta", "<div", "<!--")
_JSON_OPEN = re.compile(r"\s*[\[{]")
_JSON_START = re.compile(r"\s*(?:\[\s*[\[{\"\]]|\{\s*[\"}])")  # unmistakably JSON
_NEW_ID = re.compile(r"\d{4}\.\d{4,5}")
_OLD_ID = re.compile(r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}")
_VERSION = re.compile(r"v\d{1,3}")
_MONTH_ABBR = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def parse_rich_page(text: str) -> ParsedPage | None:
    """The page a saved web page or API JSON holds, or None for a text page.

    Raises:
        PageError: HTML or JSON that is not a Daily Papers listing (the message says why).
    """
    if _JSON_OPEN.match(text):
        try:
            data = _load_json(text, "the file")
        except _BrokenJSON:
            if _JSON_START.match(text):
                raise
            return None  # a text page whose first title opens with a bracket
        return _parse_json(data)
    if _HTML_START.match(text) and _looks_like_html(text):
        props = _find_daily_papers_props(text)
        if props is None:
            raise PageError(f"{NOT_A_PAGE}: HTML without the DailyPapers listing")
        return _parse_props(props)
    return None


def _looks_like_html(text: str) -> bool:
    head = text[:_HTML_SNIFF].lower()
    return any(marker in head for marker in _HTML_MARKERS)


class _Found(Exception):
    """Ends the scan at the DailyPapers element (carries only its props)."""

    def __init__(self, props: str) -> None:
        super().__init__("DailyPapers element found")
        self.props = props


class _DailyPapersFinder(HTMLParser):
    """Stops at the first start tag with ``data-target="DailyPapers"`` and ``data-props``."""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if ("data-target", "DailyPapers") not in attrs:
            return  # every other element, MainHeader's included, is passed over unread
        for name, value in attrs:
            if name == "data-props" and value is not None:
                raise _Found(value)

    handle_startendtag = handle_starttag


def _find_daily_papers_props(html: str) -> str | None:
    """The DailyPapers element's ``data-props``, its entities already decoded."""
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
        return json.loads(text)
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
    papers, warnings = _papers_from_items(items)
    return ParsedPage(papers, warnings, "api", _most_common_day(papers))


def _parse_props(props: str) -> ParsedPage:
    data = _load_json(props, "the DailyPapers listing")
    if not isinstance(data, dict):
        raise PageError(f"{NOT_A_PAGE}: the DailyPapers listing is not a JSON object")
    return _parse_props_value(data)


def _parse_props_value(data: dict[str, Any]) -> ParsedPage:
    items = data.get("dailyPapers")
    if not isinstance(items, list):
        raise PageError(f"{NOT_A_PAGE}: the DailyPapers listing has no list of papers")
    papers, warnings = _papers_from_items(items)
    listing_date = _day(data.get("dateString")) or _most_common_day(papers)
    return ParsedPage(papers, warnings, "saved-page", listing_date)


def _is_paper(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("title"), str) and "id" in value


def _papers_from_items(items: list[Any]) -> tuple[tuple[ParsedPaper, ...], tuple[str, ...]]:
    papers: list[ParsedPaper] = []
    warnings: list[str] = []
    skipped = 0
    for number, item in enumerate(items, start=1):
        paper, warning = _paper_from_item(item)
        if paper is not None:
            papers.append(paper)
        if warning is not None:
            skipped += paper is None
            if len(warnings) < MAX_WARNINGS:
                warnings.append(f"item {number}: {warning}")
    if len(warnings) == MAX_WARNINGS and skipped + len(papers) < len(items):
        warnings.append("more items have problems; only the first are listed")
    if not papers:
        if items:
            raise PageError(f"{NOT_A_PAGE}: no readable papers in {len(items)} items")
        raise PageError(f"{NOT_A_PAGE}: no papers found")
    return tuple(papers), tuple(warnings)


def _paper_from_item(item: Any) -> tuple[ParsedPaper | None, str | None]:
    """One API item (or bare paper object) as a paper, or why it was skipped."""
    if not isinstance(item, dict):
        return None, "skipped (not an object)"
    paper = item.get("paper")
    if not isinstance(paper, dict):
        paper = item  # a paper object, or an item without its paper part
    title = _line(paper.get("title")) or _line(item.get("title"))
    if not title:
        return None, "skipped (no title)"
    abstract = _abstract(paper.get("summary")) or _abstract(item.get("summary"))
    names = _author_names(paper.get("authors"))
    org = _organization(paper.get("organization")) or _organization(item.get("organization"))
    listed = _day(paper.get("submittedOnDailyAt"))
    github_repo = _web_link(paper.get("githubRepo"))
    project_page = _web_link(paper.get("projectPage"))
    links = dict.fromkeys(link for link in (github_repo, project_page) if link)
    links.update(dict.fromkeys(extract_links(abstract)))
    parsed = ParsedPaper(
        title=title,
        abstract=abstract,
        authors=len(names) if names else None,
        org=org[0] if org else None,
        org_id=org[1] if org else None,
        date=listed,
        date_text=_date_text(listed) if listed else None,
        upvotes=_count(paper.get("upvotes")),
        links=tuple(links),
        arxiv_id=_arxiv_id(paper.get("id")),
        author_names=names,
        github_repo=github_repo,
        github_stars=_count(paper.get("githubStars")),
        project_page=project_page,
        ai_summary=_line(paper.get("ai_summary")),
        keywords=_keywords(paper.get("ai_keywords")),
        withdrawn=_is_set(paper.get("withdrawnAt")),
    )
    short = title if len(title) <= 60 else title[:57] + "..."
    return parsed, None if abstract else f"{short!r} has no abstract"


def _line(value: Any) -> str | None:
    """A one-line text field, cleaned; None for a missing, empty or non-string value."""
    return (clean_line(value) or None) if isinstance(value, str) else None


def _abstract(value: Any) -> str:
    """Cleaned, with paragraphs kept and arXiv's hard line breaks unwrapped to spaces."""
    if not isinstance(value, str):
        return ""
    paragraphs: list[str] = []
    words: list[str] = []
    for line in clean_text(value).split("\n"):
        line_words = line.split()
        if line_words:
            words.extend(line_words)
        elif words:
            paragraphs.append(" ".join(words))
            words = []
    if words:
        paragraphs.append(" ".join(words))
    return "\n\n".join(paragraphs)


def _author_names(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    names = (_line(author.get("name")) for author in value if isinstance(author, dict))
    return tuple(name for name in names if name)


def _organization(value: Any) -> tuple[str, str | None] | None:
    """(display name, handle) of an organisation object, or None."""
    if not isinstance(value, dict):
        return None
    handle = _line(value.get("name"))
    display = _line(value.get("fullname")) or handle
    return (display, handle) if display else None


def _keywords(value: Any) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    keywords = (_line(keyword) for keyword in value)
    return tuple(dict.fromkeys(keyword for keyword in keywords if keyword))


def _web_link(value: Any) -> str | None:
    """An http(s) link with a host and no spaces, or None."""
    link = _line(value)
    if link is None or " " in link or not is_web_link(link):
        return None
    return link


def _count(value: Any) -> int | None:
    """A non-negative integer that fits a column; anything else (bool, float, text) is None."""
    if type(value) is int and 0 <= value <= _LARGEST_COUNT:
        return value
    return None


def _is_set(value: Any) -> bool:
    return value is True or (isinstance(value, str) and bool(value.strip()))


def _day(value: Any) -> str | None:
    """The YYYY-MM-DD day an ISO date or timestamp names, or None."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return date.fromisoformat(value[:10]).isoformat()
    except ValueError:
        return None


def _date_text(day: str) -> str:
    year, month, number = day.split("-")
    return f"{_MONTH_ABBR[int(month) - 1]} {int(number)}, {year}"


def _arxiv_id(value: Any) -> str | None:
    """An arXiv id without its version suffix; old-style ids (hep-th/9901001) kept whole."""
    text = _line(value)
    if text is None or len(text) > 64:
        return None
    if text[:6].lower() == "arxiv:":
        text = text[6:]
    version = text.rfind("v")
    if version > 0 and _VERSION.fullmatch(text, version):
        text = text[:version]
    if _NEW_ID.fullmatch(text) or _OLD_ID.fullmatch(text):
        return text
    return None


def _most_common_day(papers: tuple[ParsedPaper, ...]) -> str | None:
    days = Counter(paper.date for paper in papers if paper.date)
    return days.most_common(1)[0][0] if days else None
