"""Schema migrations: named steps, each applied once, in order, inside the caller's transaction.

The schema version lives in SQLite's ``user_version`` (so a newer library is refused
before anything is read) and each applied step is recorded in ``schema_migration``.
A step is written out as SQL rather than derived from the models: the models
describe the latest schema, a migration describes one change to an older one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

__all__ = ["MIGRATIONS", "SCHEMA_VERSION", "NewerLibraryError", "migrate"]


class NewerLibraryError(Exception):
    """The library was written by a newer readinglist."""


def _m001_initial(conn: Any) -> None:
    for statement in (
        """
        CREATE TABLE paper (
            id INTEGER PRIMARY KEY,
            title_key TEXT NOT NULL UNIQUE,
            title TEXT NOT NULL,
            abstract TEXT NOT NULL DEFAULT '',
            authors INTEGER,
            org TEXT,
            org_id TEXT,
            date TEXT,
            date_text TEXT,
            upvotes INTEGER,
            listed_on TEXT,
            links TEXT NOT NULL DEFAULT '[]',
            link_count INTEGER NOT NULL DEFAULT 0,
            starred BOOLEAN NOT NULL DEFAULT 0,
            starred_at TEXT,
            note TEXT NOT NULL DEFAULT '',
            note_updated_at TEXT,
            status TEXT NOT NULL DEFAULT 'unread'
                CHECK (status IN ('unread', 'reading', 'read')),
            added_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        )
        """,
        "CREATE INDEX ix_paper_date ON paper (date)",
        """
        CREATE TABLE source (
            id INTEGER PRIMARY KEY,
            path TEXT NOT NULL UNIQUE,
            listing_date TEXT,
            first_imported_at TEXT NOT NULL,
            last_imported_at TEXT NOT NULL
        )
        """,
        """
        CREATE TABLE sighting (
            paper_id INTEGER NOT NULL REFERENCES paper (id) ON DELETE CASCADE,
            source_id INTEGER NOT NULL REFERENCES source (id) ON DELETE CASCADE,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            PRIMARY KEY (paper_id, source_id)
        )
        """,
        "CREATE INDEX ix_sighting_source ON sighting (source_id)",
    ):
        conn.exec_driver_sql(statement)


def _m002_fulltext(conn: Any) -> None:
    """Full-text index over title, organisation, note and abstract.

    Updates and deletes are kept in step by triggers; new papers are indexed in bulk by
    the import (``Store.import_page``), which is several times faster than a trigger
    per row.
    """
    columns = "title, org, note, abstract"
    new_values = "new.title, new.org, new.note, new.abstract"
    old_values = "old.title, old.org, old.note, old.abstract"
    for statement in (
        f"""
        CREATE VIRTUAL TABLE paper_fts USING fts5(
            {columns}, content='paper', content_rowid='id',
            tokenize='unicode61 remove_diacritics 2', detail=column
        )
        """,
        "CREATE VIRTUAL TABLE paper_fts_vocab USING fts5vocab(paper_fts, 'row')",
        f"""
        CREATE TRIGGER paper_fts_delete AFTER DELETE ON paper BEGIN
            INSERT INTO paper_fts (paper_fts, rowid, {columns})
            VALUES ('delete', old.id, {old_values});
        END
        """,
        f"""
        CREATE TRIGGER paper_fts_update AFTER UPDATE OF {columns} ON paper BEGIN
            INSERT INTO paper_fts (paper_fts, rowid, {columns})
            VALUES ('delete', old.id, {old_values});
            INSERT INTO paper_fts (rowid, {columns}) VALUES (new.id, {new_values});
        END
        """,
        "INSERT INTO paper_fts (paper_fts) VALUES ('rebuild')",
    ):
        conn.exec_driver_sql(statement)


def _m003_starred_index(conn: Any) -> None:
    """The starred list (``f``, ``is:starred``, export) without scanning every paper."""
    conn.exec_driver_sql("CREATE INDEX ix_paper_starred ON paper (starred, date)")


MIGRATIONS: list[tuple[str, Callable[[Any], None]]] = [
    ("001_initial", _m001_initial),
    ("002_fulltext", _m002_fulltext),
    ("003_starred_index", _m003_starred_index),
]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: Any) -> list[str]:
    """Bring the library up to ``SCHEMA_VERSION``; returns the names of the steps applied.

    Raises:
        NewerLibraryError: the file's schema is newer than this program knows.
    """
    version = conn.exec_driver_sql("PRAGMA user_version").scalar_one()
    if version > SCHEMA_VERSION:
        raise NewerLibraryError(
            f"the library has schema version {version}, newer than this readinglist "
            f"understands ({SCHEMA_VERSION})"
        )
    if version == SCHEMA_VERSION:
        return []
    conn.exec_driver_sql(
        "CREATE TABLE IF NOT EXISTS schema_migration (name TEXT PRIMARY KEY, applied_at TEXT)"
    )
    applied = []
    now = datetime.now(UTC).isoformat(timespec="seconds")
    for name, step in MIGRATIONS[version:]:
        step(conn)
        conn.exec_driver_sql(
            "INSERT INTO schema_migration (name, applied_at) VALUES (?, ?)", (name, now)
        )
        applied.append(name)
    conn.exec_driver_sql(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return applied
