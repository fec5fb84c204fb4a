"""Facts about the library's columns, and the values made of them.

GENERATED from ``tables.py`` by ``python -m readinglist.core.storage.derive``:
do not edit; change the tables and regenerate. A test fails when this is stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from .values import RecordMethods

PAPER_COLUMNS = ('id', 'title_key', 'title', 'abstract', 'authors', 'org', 'org_id', 'date', 'date_text', 'upvotes', 'listed_on', 'links', 'link_count', 'starred', 'starred_at', 'note', 'note_updated_at', 'status', 'added_at', 'updated_at', 'arxiv_id', 'author_names', 'github_repo', 'github_stars', 'project_page', 'ai_summary', 'keywords', 'withdrawn', 'deleted_at', 'author_key', 'org_key')
COLUMN_TYPES = {'id': 'int', 'title_key': 'text', 'title': 'text', 'abstract': 'text', 'authors': 'int', 'org': 'text', 'org_id': 'text', 'date': 'text', 'date_text': 'text', 'upvotes': 'int', 'listed_on': 'text', 'links': 'text', 'link_count': 'int', 'starred': 'bool', 'starred_at': 'text', 'note': 'text', 'note_updated_at': 'text', 'status': 'text', 'added_at': 'text', 'updated_at': 'text', 'arxiv_id': 'text', 'author_names': 'text', 'github_repo': 'text', 'github_stars': 'int', 'project_page': 'text', 'ai_summary': 'text', 'keywords': 'text', 'withdrawn': 'bool', 'deleted_at': 'text', 'author_key': 'text', 'org_key': 'text'}
SUMMARY_COLUMNS = ('id', 'title', 'org', 'date', 'upvotes', 'link_count', 'starred', 'has_note', 'status', 'added_at')
SUMMARY_TESTS = {'has_note': 'note'}
REPEATED_COLUMNS = ('org', 'date', 'status', 'added_at')
JSON_FIELDS = ('id', 'title', 'abstract', 'authors', 'org', 'org_id', 'date', 'date_text', 'upvotes', 'links', 'starred', 'note', 'status', 'added_at', 'arxiv_id', 'author_names', 'github_stars', 'ai_summary', 'keywords', 'tags')
RECORD_COLUMNS = ('id', 'title', 'abstract', 'authors', 'org', 'org_id', 'date', 'date_text', 'upvotes', 'links', 'starred', 'starred_at', 'note', 'status', 'added_at', 'arxiv_id', 'author_names', 'github_repo', 'github_stars', 'project_page', 'ai_summary', 'keywords', 'withdrawn', 'deleted_at')
ARRAY_COLUMNS = ('links', 'author_names', 'keywords')
BOOL_COLUMNS = ('starred', 'withdrawn')
LISTING_COLUMNS = ('title', 'abstract', 'authors', 'org', 'org_id', 'date', 'date_text', 'upvotes', 'links', 'arxiv_id', 'author_names', 'github_repo', 'github_stars', 'project_page', 'ai_summary', 'keywords', 'withdrawn')
MERGE_GROUPS = (('abstract',), ('authors', 'author_names'), ('org', 'org_id'), ('date', 'date_text'), ('upvotes',), ('arxiv_id',), ('github_repo', 'github_stars'), ('project_page',), ('ai_summary',), ('keywords',), ('withdrawn',))
INSERT_COLUMNS = ('title_key', 'title', 'abstract', 'authors', 'org', 'org_id', 'date', 'date_text', 'upvotes', 'listed_on', 'links', 'link_count', 'added_at', 'updated_at', 'arxiv_id', 'author_names', 'github_repo', 'github_stars', 'project_page', 'ai_summary', 'keywords', 'withdrawn', 'author_key', 'org_key')
UPDATE_COLUMNS = ('title_key', 'title', 'abstract', 'authors', 'org', 'org_id', 'date', 'date_text', 'upvotes', 'listed_on', 'links', 'link_count', 'updated_at', 'arxiv_id', 'author_names', 'github_repo', 'github_stars', 'project_page', 'ai_summary', 'keywords', 'withdrawn', 'author_key', 'org_key')
FETCH_COLUMNS = ('id', 'title_key', 'title', 'abstract', 'authors', 'org', 'org_id', 'date', 'date_text', 'upvotes', 'listed_on', 'links', 'link_count', 'updated_at', 'arxiv_id', 'author_names', 'github_repo', 'github_stars', 'project_page', 'ai_summary', 'keywords', 'withdrawn', 'author_key', 'org_key')


@dataclass(frozen=True, slots=True)
class PaperSummary:
    """What a list row needs: no abstract, so 100,000 of them stay small."""

    id: int
    title: str
    org: str | None
    date: str | None
    upvotes: int | None
    link_count: int
    starred: bool
    has_note: bool
    status: str
    added_at: str
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class PaperRecord(RecordMethods):
    """Everything about one paper."""

    JSON_FIELDS: ClassVar[tuple[str, ...]] = JSON_FIELDS

    id: int
    title: str
    abstract: str = ''
    authors: int | None = None
    org: str | None = None
    org_id: str | None = None
    date: str | None = None
    date_text: str | None = None
    upvotes: int | None = None
    links: tuple[str, ...] = ()
    starred: bool = False
    starred_at: str | None = None
    note: str = ''
    status: str = 'unread'
    added_at: str
    arxiv_id: str | None = None
    author_names: tuple[str, ...] = ()
    github_repo: str | None = None
    github_stars: int | None = None
    project_page: str | None = None
    ai_summary: str | None = None
    keywords: tuple[str, ...] = ()
    withdrawn: bool = False
    deleted_at: str | None = None
    tags: tuple[str, ...] = ()
