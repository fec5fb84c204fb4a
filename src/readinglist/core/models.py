"""The library's tables (SQLModel) and the plain values the service hands out.

Tables are used through column-level queries; callers never see ORM objects or a
Session, only the frozen dataclasses at the bottom of this module.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, Literal

from sqlmodel import Field, SQLModel

__all__ = [
    "JSON_FIELDS",
    "STATUSES",
    "ImportReport",
    "Paper",
    "PaperRecord",
    "PaperSummary",
    "Sighting",
    "Source",
]

Status = Literal["unread", "reading", "read"]
STATUSES: tuple[Status, ...] = ("unread", "reading", "read")

# The fields of ``--json`` output: a contract with scripts.
JSON_FIELDS = (
    "id",
    "title",
    "abstract",
    "authors",
    "org",
    "org_id",
    "date",
    "date_text",
    "upvotes",
    "links",
    "starred",
    "note",
    "status",
    "added_at",
)


class Paper(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    title_key: str = Field(unique=True)
    title: str
    abstract: str = ""
    authors: int | None = None
    org: str | None = None
    org_id: str | None = None
    date: str | None = None  # indexed with org and org_id (migration 004)
    date_text: str | None = None
    upvotes: int | None = None
    listed_on: str | None = None  # date of the newest listing whose metadata we hold
    links: str = "[]"
    link_count: int = 0
    starred: bool = False
    starred_at: str | None = None
    note: str = ""
    note_updated_at: str | None = None
    status: str = "unread"
    added_at: str
    updated_at: str


class Source(SQLModel, table=True):
    """A page file that was imported, identified by its resolved path."""

    id: int | None = Field(default=None, primary_key=True)
    path: str = Field(unique=True)
    listing_date: str | None = None
    first_imported_at: str
    last_imported_at: str


class Sighting(SQLModel, table=True):
    """Paper ``paper_id`` was listed in page ``source_id``."""

    paper_id: int = Field(foreign_key="paper.id", primary_key=True, ondelete="CASCADE")
    source_id: int = Field(foreign_key="source.id", primary_key=True, ondelete="CASCADE")
    first_seen: str
    last_seen: str


@dataclass(frozen=True, slots=True)
class PaperSummary:
    """What a list row needs: no abstract, so 100,000 of them stay small."""

    id: int
    title: str
    date: str | None
    upvotes: int | None
    org: str | None
    starred: bool
    has_note: bool
    link_count: int
    status: str
    added_at: str


@dataclass(frozen=True, slots=True)
class PaperRecord:
    """Everything about one paper."""

    id: int
    title: str
    abstract: str
    authors: int | None
    org: str | None
    org_id: str | None
    date: str | None
    date_text: str | None
    upvotes: int | None
    links: tuple[str, ...]
    starred: bool
    note: str
    status: str
    added_at: str
    starred_at: str | None = None
    sources: tuple[str, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        """The ``--json`` object: exactly ``JSON_FIELDS``, links as a list."""
        return {
            name: list(self.links) if name == "links" else getattr(self, name)
            for name in JSON_FIELDS
        }

    @staticmethod
    def decode_links(raw: str | None) -> tuple[str, ...]:
        """The ``links`` column read back: the JSON list of strings ``encode_links`` writes.

        Another client may have written anything there: what is not JSON counts as no
        links, a single string as one link, and of a list only its strings are kept.
        """
        if not raw:
            return ()
        try:
            value = json.loads(raw)
        except (ValueError, TypeError, RecursionError):
            return ()
        if isinstance(value, str):
            return (value,) if value else ()
        if isinstance(value, list):
            return tuple(item for item in value if isinstance(item, str) and item)
        return ()


@dataclass(frozen=True, slots=True)
class ImportReport:
    """The outcome of importing one file: counts, or the reason it was refused."""

    path: str
    papers: int = 0
    new: int = 0
    updated: int = 0
    warnings: tuple[str, ...] = ()
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None
