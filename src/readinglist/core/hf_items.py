"""One Daily Papers API item (or paper object) as a ``ParsedPaper``, every field distrusted.

A field of the wrong type, ``null``, or out of range reads as missing; text is cleaned
as text pages are (``textclean.clean_text``/``clean_line``); links are http(s) only.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from .dates import long_date
from .links import extract_links, is_web_link
from .parsed import ParsedPaper
from .textclean import clean_line, clean_text, is_printable

if TYPE_CHECKING:  # hf_listing imports msgspec: only reading a listing needs it
    from .hf_listing import Item, Organization

__all__ = ["arxiv_id", "dated", "day_of", "paper_from_item"]

LARGEST_COUNT = 2**63 - 1  # what an INTEGER column holds
_NEW_ID = re.compile(r"\d{4}\.\d{4,5}")
_OLD_ID = re.compile(r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}")
_VERSION = re.compile(r"[vV]\d{1,3}")
_BLANK_LINE = re.compile(r"\n *\n")  # between paragraphs, in text printable but for "\n"


def paper_from_item(item: Item | None) -> tuple[ParsedPaper | None, str | None]:
    """The paper, or None and why it was skipped; or the paper and a problem with it.

    ``item``: as ``hf_listing`` decodes it, or makes it of a JSON value (None: the value
    was not an object).
    """
    if item is None:
        return None, "skipped (not an object)"
    paper = item.paper
    title_value, summary_value, summary_line = paper.title, paper.summary, paper.ai_summary
    authors, keywords = paper.authors, paper.ai_keywords
    name_values = (
        [name for author in authors if type(name := author.name) is str] if authors else []
    )
    keyword_values = (
        [keyword for keyword in keywords if type(keyword) is str] if type(keywords) is list else []
    )
    texts = [text for text in (title_value, summary_value, summary_line) if type(text) is str]
    # Nearly every item's text is printable but for line breaks (arXiv's, in abstracts
    # and titles): then one check stands for every field's.
    texts += name_values
    texts += keyword_values
    printable = is_printable("".join(texts), but_line_breaks=True)
    title = _line(title_value, printable) or _line(item.own_title())
    if not title:
        return None, "skipped (no title)"
    abstract = _abstract(summary_value, printable) or _abstract(item.own_summary())
    org = _organization(paper.organization) or _organization(item.own_organization())
    listed = day_of(paper.submittedOnDailyAt)
    github_repo = _web_link(paper.githubRepo)
    project_page = _web_link(paper.projectPage)
    links = extract_links(abstract)
    if github_repo or project_page:
        links = tuple(
            dict.fromkeys([link for link in (github_repo, project_page) if link] + list(links))
        )
    names = _lines(name_values, printable)
    # Positional, in ParsedPaper's order: built by keywords, a named tuple of this many
    # fields takes twice as long (a fifth of a second more at 100,000 papers).
    parsed = ParsedPaper(
        title,
        abstract,
        len(names) if names else None,  # authors
        org[0] if org else None,  # org
        org[1] if org else None,  # org_id
        listed,  # date
        long_date(listed) if listed else None,  # date_text
        _count(paper.upvotes),  # upvotes
        links,
        arxiv_id(paper.id),
        names,  # author_names
        github_repo,
        _count(paper.githubStars),  # github_stars
        project_page,
        _line(summary_line, printable),  # ai_summary
        tuple(dict.fromkeys(_lines(keyword_values, printable))),  # keywords
        _is_set(paper.withdrawnAt),  # withdrawn
    )
    if abstract:
        return parsed, None
    short = title if len(title) <= 60 else title[:57] + "..."
    return parsed, f"{short!r} has no abstract"


def _line(value: Any, printable: bool = False) -> str | None:
    """A one-line text field, cleaned; None for a missing, empty or non-string value.

    ``printable``: the caller knows the string is, but for line breaks (see
    ``paper_from_item``).
    """
    if not isinstance(value, str):
        return None
    # A string printable but for its "\n" holds nothing clean_text changes (controls,
    # bidi marks and other line endings are all unprintable): only whitespace is left
    # to collapse, as clean_line does.
    if printable or is_printable(value, but_line_breaks=True):
        return _collapse(value) or None
    return clean_line(value) or None


def _abstract(value: Any, printable: bool = False) -> str:
    """Cleaned, with paragraphs kept and arXiv's hard line breaks unwrapped to spaces."""
    if not isinstance(value, str):
        return ""
    if printable or is_printable(value, but_line_breaks=True):  # nothing to clean (see _line)
        if "\n" in value and _BLANK_LINE.search(value):  # paragraphs
            return "\n\n".join(filter(None, map(_collapse, _BLANK_LINE.split(value))))
        return _collapse(value)  # one paragraph: its lines unwrapped
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


def _organization(value: Organization | None) -> tuple[str, str | None] | None:
    """(display name, handle) of an organisation, or None."""
    if value is None:
        return None
    handle = _line(value.name)
    display = _line(value.fullname) or handle
    return (display, handle) if display else None


def _lines(strings: list[str], printable: bool) -> tuple[str, ...]:
    """``strings`` as ``_line`` cleans them, empty ones left out."""
    if not printable:
        return tuple(filter(None, map(clean_line, strings)))
    # A printable string's only whitespace is spaces (see _line): without a run of two
    # or a line break in any of them (one check for all: most are short names),
    # stripping is collapsing.
    joined = "".join(strings)
    if "  " in joined or "\n" in joined:
        return tuple(filter(None, map(_collapse, strings)))
    return tuple(filter(None, map(str.strip, strings)))


def _web_link(value: Any) -> str | None:
    """An http(s) link with a host and no spaces, or None."""
    link = _line(value)
    if link is None or " " in link:
        return None
    return link if is_web_link(link) else None


def arxiv_id(value: Any) -> str | None:
    """An arXiv id without its version suffix; old-style ids (hep-th/9901001) kept whole.

    Anything else (a number, a path, an id with spaces or controls) is None.
    """
    if not isinstance(value, str) or len(value) > 64:
        return None
    if _NEW_ID.fullmatch(value):  # most ids: nothing to strip
        return value
    text = value.strip()
    if text[:6].lower() == "arxiv:":
        text = text[6:]
    version = max(text.rfind("v"), text.rfind("V"))
    if version > 0 and _VERSION.fullmatch(text, version):
        text = text[:version]
    if _NEW_ID.fullmatch(text) or _OLD_ID.fullmatch(text):
        return text
    return None


def dated(paper: ParsedPaper, day: str) -> ParsedPaper:
    """``paper`` listed on ``day`` (YYYY-MM-DD, as ``day_of`` gives it)."""
    return paper._replace(date=day, date_text=long_date(day))


def day_of(value: Any) -> str | None:
    """The YYYY-MM-DD day an ISO date or timestamp names, or None."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    return _iso_day(value[:10])


@lru_cache(maxsize=512)  # a listing's papers share a few days
def _iso_day(text: str) -> str | None:
    try:
        return date.fromisoformat(text).isoformat()
    except ValueError:
        return None


def _collapse(printable: str) -> str:
    """``" ".join(text.split())`` for a string printable but for its "\\n", whose only
    whitespace is spaces and line breaks. The lines are joined by a space first: then,
    without a run of spaces (arXiv's lines have none at either end), stripping is
    collapsing, and an abstract's hundreds of words are not each made a string."""
    if "\n" in printable:
        printable = printable.replace("\n", " ")
    return " ".join(printable.split()) if "  " in printable else printable.strip(" ")


def _count(value: Any) -> int | None:
    """A non-negative integer that fits a column; anything else (bool, float, text) is None."""
    if type(value) is int and 0 <= value <= LARGEST_COUNT:
        return value
    return None


def _is_set(value: Any) -> bool:
    return value is True or (isinstance(value, str) and bool(value.strip()))
