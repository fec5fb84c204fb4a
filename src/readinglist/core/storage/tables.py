"""The library's tables: the one statement of its schema.

Every other list of columns (what a list row shows, what ``--json`` prints, what an
import inserts, updates and merges, which columns hold JSON arrays) is derived from
these classes by ``derive.py`` and written to the generated ``columns.py``, which the
program reads at run time without importing SQLModel. A test proves that a freshly
migrated library matches these classes, on SQLite and on PostgreSQL.

A field's roles are marked where it is declared (``column(...)``):

- ``SUMMARY``: in a list row (``PaperSummary``); ``note`` appears there as ``has_note``.
- ``JSON``: in ``--json`` output and ``PaperRecord`` (a contract with scripts);
  ``RECORD``: in ``PaperRecord`` only.
- ``LISTING``: taken from the parsed listing's field of the same name on import;
  ``MERGED`` (with a ``group`` merged as one): merged from later listings, never
  degraded (``merge.py``).
- ``READER``: the reader's own (star, note, status): an import never writes it.
- ``ARRAY``: a list stored as a JSON array in a text column; a tuple in records.
- ``REPEATED``: one value shared by many papers (a date, an organisation): list rows
  share one copy of it.
- ``IMPORT``: written by the import itself (the title key, the listing date, stamps);
  an import writes the ``LISTING`` and ``IMPORT`` columns and no others.
- ``ON_INSERT``: written when a paper is added, never updated.

Adding a column takes a field here, a migration (``migrations.py``), and the code that
uses the value; then ``python -m readinglist.core.storage.derive`` regenerates
``columns.py``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import CheckConstraint, Index, text
from sqlmodel import Field, SQLModel

__all__ = [
    "ARRAY",
    "IMPORT",
    "JSON",
    "LISTING",
    "MERGED",
    "ON_INSERT",
    "READER",
    "RECORD",
    "REPEATED",
    "SUMMARY",
    "TABLES",
    "TAGS_FIELD",
    "Paper",
    "PaperTag",
    "SchemaMigration",
    "Sighting",
    "Source",
    "TitleAlias",
]

SUMMARY, JSON, RECORD = "summary", "json", "record"
LISTING, IMPORT, MERGED, READER, ARRAY, REPEATED, ON_INSERT = (
    "listing",
    "import",
    "merged",
    "reader",
    "array",
    "repeated",
    "on_insert",
)


def column(
    *roles: str,
    group: str | None = None,
    summary_as: str | None = None,
    server_default: str | None = None,
    **field: Any,
) -> Any:
    """A model field with its roles (see the module docstring) in the column's ``info``.

    Args:
        roles: what the program does with the column.
        group: for ``MERGED``, the fields merged as one (an organisation's handle and name).
        summary_as: the name a list row gives the column's ``!= ''`` test.
        server_default: the SQL default the database fills in.
        field: what ``sqlmodel.Field`` takes (``default``, ``unique``, ``index``...).
    """
    info: dict[str, Any] = {"roles": frozenset(roles)}
    if group is not None:
        info["group"] = group
    if summary_as is not None:
        info["summary_as"] = summary_as
    kwargs: dict[str, Any] = {"info": info}
    if server_default is not None:
        kwargs["server_default"] = text(server_default)
    return Field(sa_column_kwargs=kwargs, **field)


class Paper(SQLModel, table=True):
    """One paper: what its listings say, merged, and what the reader added."""

    __table_args__ = (
        CheckConstraint("status IN ('unread', 'reading', 'read')", name="ck_paper_status"),
        # every read asks for papers not in the trash (deleted_at IS NULL): it leads the
        # indexes lists are read from, so they still come from the index alone
        Index("ix_paper_starred", "starred", "deleted_at", "date"),
        # org:NAME filters in date order from the index alone (55 ms -> 5 ms at 100,000)
        Index("ix_paper_date_org", "deleted_at", "date", "org_key"),
        Index("ix_paper_arxiv_id", "arxiv_id", unique=True),  # many papers have none
    )

    id: int | None = column(SUMMARY, JSON, default=None, primary_key=True)
    title_key: str = column(IMPORT, unique=True)  # the title, case- and punctuation-insensitive
    title: str = column(SUMMARY, JSON, LISTING)
    abstract: str = column(JSON, LISTING, MERGED, default="", server_default="''")
    authors: int | None = column(JSON, LISTING, MERGED, group="authors", default=None)  # count
    org: str | None = column(SUMMARY, JSON, LISTING, MERGED, REPEATED, group="org", default=None)
    org_id: str | None = column(JSON, LISTING, MERGED, group="org", default=None)
    date: str | None = column(SUMMARY, JSON, LISTING, MERGED, REPEATED, group="date", default=None)
    date_text: str | None = column(JSON, LISTING, MERGED, group="date", default=None)
    upvotes: int | None = column(SUMMARY, JSON, LISTING, MERGED, default=None)
    listed_on: str | None = column(
        IMPORT, default=None
    )  # the newest listing whose metadata we hold
    links: str = column(JSON, LISTING, ARRAY, default="[]", server_default="'[]'")
    link_count: int = column(SUMMARY, IMPORT, default=0, server_default="0")
    starred: bool = column(SUMMARY, JSON, READER, default=False, server_default="false")
    starred_at: str | None = column(RECORD, READER, default=None)
    note: str = column(JSON, READER, summary_as="has_note", default="", server_default="''")
    note_updated_at: str | None = column(READER, default=None)
    status: str = column(
        SUMMARY, JSON, READER, REPEATED, default="unread", server_default="'unread'"
    )
    added_at: str = column(SUMMARY, JSON, REPEATED, IMPORT, ON_INSERT)
    updated_at: str = column(IMPORT)
    # Columns added by later migrations come last, where ALTER TABLE puts them.
    arxiv_id: str | None = column(JSON, LISTING, MERGED, default=None)  # no version suffix
    author_names: str = column(
        JSON, LISTING, MERGED, ARRAY, group="authors", default="[]", server_default="'[]'"
    )
    github_repo: str | None = column(RECORD, LISTING, MERGED, group="github", default=None)
    github_stars: int | None = column(JSON, LISTING, MERGED, group="github", default=None)
    project_page: str | None = column(RECORD, LISTING, MERGED, default=None)
    ai_summary: str | None = column(JSON, LISTING, MERGED, default=None)
    keywords: str = column(JSON, LISTING, MERGED, ARRAY, default="[]", server_default="'[]'")
    withdrawn: bool = column(RECORD, LISTING, MERGED, default=False, server_default="false")
    # when the reader moved the paper to the trash; None: not in it. A paper in the trash
    # is hidden from every read (``StoreBase._conditions``) and an import skips it.
    deleted_at: str | None = column(RECORD, READER, default=None)
    # the author names as ``author:`` compares them (``textclean.author_search_key``)
    author_key: str = column(IMPORT, default="", server_default="''")
    # the organisation as ``org:`` compares it (``textclean.org_search_key``)
    org_key: str = column(IMPORT, default="", server_default="''")


class Source(SQLModel, table=True):
    """A page file that was imported, identified by its resolved path."""

    id: int | None = Field(default=None, primary_key=True)
    path: str = Field(unique=True)
    listing_date: str | None = None
    first_imported_at: str
    last_imported_at: str


class Sighting(SQLModel, table=True):
    """Paper ``paper_id`` was listed in page ``source_id``."""

    __table_args__ = (Index("ix_sighting_source", "source_id"),)

    paper_id: int = Field(foreign_key="paper.id", primary_key=True, ondelete="CASCADE")
    source_id: int = Field(foreign_key="source.id", primary_key=True, ondelete="CASCADE")
    first_seen: str
    last_seen: str


class PaperTag(SQLModel, table=True):
    """Paper ``paper_id`` carries the tag ``tag`` (as ``core/tags.py`` spells it).

    The reader's own, like a star: an import never writes it. A tag exists while a
    paper carries it.
    """

    __tablename__ = "paper_tag"
    __table_args__ = (Index("ix_paper_tag_tag", "tag", "paper_id"),)

    paper_id: int = Field(foreign_key="paper.id", primary_key=True, ondelete="CASCADE")
    tag: str = Field(primary_key=True)
    tagged_at: str


class TitleAlias(SQLModel, table=True):
    """A title key paper ``paper_id`` had before a newer listing of its arXiv id
    retitled it: a page that lists the old title without the id (a text page imported
    again) is still that paper, not a new one."""

    __tablename__ = "title_alias"
    __table_args__ = (Index("ix_title_alias_paper", "paper_id"),)

    title_key: str = Field(primary_key=True)
    paper_id: int = Field(foreign_key="paper.id", ondelete="CASCADE")


TAGS_FIELD = "tags"
"""A record's tags, read from ``PaperTag``: in ``--json`` after the paper's own columns."""


class SchemaMigration(SQLModel, table=True):
    """A migration step applied to this library (``migrations.py``)."""

    __tablename__ = "schema_migration"

    name: str = Field(primary_key=True)
    applied_at: str | None = None


TABLES = (Paper, Source, Sighting, PaperTag, TitleAlias, SchemaMigration)
