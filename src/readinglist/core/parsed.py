"""What parsing a listing produces, whatever its format: the paper and page values and
the error for a file that is not a page.

Their own module so that every parser (core/parse.py for text pages, core/hf_pages.py
and core/hf_items.py for saved web pages and the API) builds them without importing
another parser.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

__all__ = ["NOT_A_PAGE", "PageError", "ParsedPage", "ParsedPaper"]

NOT_A_PAGE = "not a Daily Papers page"
"""How a refusal of a file that is no listing begins (a folder's import skips those)."""


class PageError(ValueError):
    """A file that is not a page we can import; the message says why."""


class ParsedPaper(NamedTuple):
    """One paper as a listing shows it. Fields a listing lacks are ``None``.

    A named tuple rather than a dataclass: a page parsed in a worker process crosses
    back pickled, and 100,000 tuples unpickle in a third of the time.
    """

    title: str
    abstract: str
    authors: int | None = None
    org: str | None = None
    org_id: str | None = None
    date: str | None = None
    date_text: str | None = None
    upvotes: int | None = None
    links: tuple[str, ...] = ()
    # What only a saved web page or the API carries (core/hf_pages.py); the store ignores
    # them until they have columns.
    arxiv_id: str | None = None  # no version suffix
    author_names: tuple[str, ...] = ()
    github_repo: str | None = None
    github_stars: int | None = None
    project_page: str | None = None
    ai_summary: str | None = None
    keywords: tuple[str, ...] = ()
    withdrawn: bool = False


@dataclass(frozen=True, slots=True)
class ParsedPage:
    papers: tuple[ParsedPaper, ...]
    warnings: tuple[str, ...] = ()
    layout: str = "spaced"
    listing_date: str | None = None
