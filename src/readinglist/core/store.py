"""The library on disk: opening it safely, migrating it, and reading and writing papers.

SQLite in WAL mode with foreign keys on. Every write runs in one ``BEGIN IMMEDIATE``
transaction, so a file's import lands whole or not at all and two instances queue
for the write lock instead of failing halfway.
"""

from __future__ import annotations

import json
import logging
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.exc import DatabaseError, OperationalError

from .migrations import SCHEMA_VERSION, NewerLibraryError, migrate
from .models import Paper, PaperRecord, PaperSummary, Sighting, Source, title_key
from .parse import ParsedPage, ParsedPaper
from .search import ParsedQuery

__all__ = [
    "LibraryBusyError",
    "LibraryError",
    "LibraryReadOnlyError",
    "Store",
    "newer_library_message",
    "utc_now",
]

log = logging.getLogger(__name__)

SQLITE_HEADER = b"SQLite format 3\x00"
BUSY_TIMEOUT_SECONDS = 5.0
_PAPER = Paper.__table__
_SOURCE = Source.__table__
_SIGHTING = Sighting.__table__
_SUMMARY_COLUMNS = (
    _PAPER.c.id,
    _PAPER.c.title,
    _PAPER.c.date,
    _PAPER.c.upvotes,
    _PAPER.c.org,
    _PAPER.c.starred,
    _PAPER.c.note != "",
    _PAPER.c.link_count,
    _PAPER.c.status,
    _PAPER.c.added_at,
)
_MERGED_FIELDS = ("abstract", "authors", "org", "org_id", "date", "date_text", "upvotes")
SORT_KEYS = ("date", "upvotes", "title", "added", "starred")


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


class Store:
    """One library file. Thread-safe: each call takes its own connection from the pool."""

    def __init__(self, path: Path, *, busy_timeout: float | None = None) -> None:
        self.path = path
        _check_existing_file(path)
        self.read_only = _is_read_only(path)
        if not self.read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.busy_timeout = busy_timeout if busy_timeout is not None else _busy_timeout()
        self.engine = _make_engine(path, self.read_only, self.busy_timeout)
        try:
            version = self.schema_version()
            if version > SCHEMA_VERSION:
                raise NewerLibraryError(newer_library_message(version))
            if version < SCHEMA_VERSION:
                if self.read_only:
                    raise LibraryError(
                        f"{path}: the library is read-only and needs upgrading to schema "
                        f"version {SCHEMA_VERSION}; make it writable once"
                    )
                if version > 0:
                    from .backup import make_backup

                    make_backup(path, reason=f"before-migration-v{version}")
                with self._write() as conn:
                    migrate(conn)
        except NewerLibraryError as error:
            self.engine.dispose()
            raise LibraryError(f"{path}: {error}") from error
        except (DatabaseError, sqlite3.DatabaseError) as error:
            self.engine.dispose()
            raise LibraryError(f"{path}: not a readable library ({_reason(error)})") from error
        except LibraryError:
            self.engine.dispose()
            raise

    def close(self) -> None:
        self.engine.dispose()

    # -- writes ---------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Any]:
        """One write transaction, taken with BEGIN IMMEDIATE so writers queue, not clash."""
        if self.read_only:
            raise LibraryReadOnlyError(
                f"{self.path}: the library is read-only; nothing was changed"
            )
        try:
            with self.engine.connect() as conn:
                conn.execution_options(sqlite_begin="IMMEDIATE")
                with conn.begin():
                    yield conn
        except (OperationalError, sqlite3.OperationalError) as error:
            if "locked" in str(error) or "busy" in str(error):
                raise LibraryBusyError(
                    f"{self.path}: the library is busy (another readinglist is writing); "
                    "nothing was changed, try again"
                ) from error
            raise LibraryError(f"{self.path}: {_reason(error)}; nothing was changed") from error
        except (DatabaseError, sqlite3.DatabaseError) as error:
            raise LibraryError(f"{self.path}: {_reason(error)}; nothing was changed") from error

    def import_page(self, page: ParsedPage, source_path: str, today: str) -> tuple[int, int]:
        """Merge a parsed page into the library in one transaction; returns (new, updated).

        Bulk statements on the driver connection: an ORM object (or even a Core
        statement) per row is many times slower at 100,000 papers.
        """
        now = utc_now()
        listed_on = page.listing_date or today
        incoming = _dedupe_by_key(page.papers)
        with self._write() as conn:
            raw = conn.connection.driver_connection
            existing = _fetch_by_keys(raw, list(incoming))
            next_id = raw.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM paper").fetchone()[0]
            inserts, updates, paper_ids = [], [], []
            for key, paper in incoming.items():
                row = existing.get(key)
                if row is None:
                    inserts.append(_new_row(next_id, key, paper, listed_on, now))
                    paper_ids.append(next_id)
                    next_id += 1
                    continue
                paper_ids.append(row["id"])
                changes = _merge(row, paper, listed_on)
                if changes:
                    merged = {**row, **changes, "updated_at": now}
                    updates.append((*tuple(merged[name] for name in _UPDATED_COLUMNS), row["id"]))
            raw.executemany(_INSERT_SQL, inserts)
            if inserts:
                raw.execute(_INDEX_NEW_SQL, (inserts[0][0],))
            raw.executemany(_UPDATE_SQL, updates)
            self._record_sightings(raw, source_path, page.listing_date, paper_ids, now)
        return len(inserts), len(updates)

    @staticmethod
    def _record_sightings(
        raw: Any, path: str, listing_date: str | None, paper_ids: list[int], now: str
    ) -> None:
        raw.execute(
            "INSERT INTO source (path, listing_date, first_imported_at, last_imported_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (path) DO UPDATE SET "
            "last_imported_at = excluded.last_imported_at, listing_date = excluded.listing_date",
            (path, listing_date, now, now),
        )
        source_id = raw.execute("SELECT id FROM source WHERE path = ?", (path,)).fetchone()[0]
        raw.executemany(
            "INSERT INTO sighting (paper_id, source_id, first_seen, last_seen) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (paper_id, source_id) DO UPDATE SET last_seen = excluded.last_seen",
            [(paper_id, source_id, now, now) for paper_id in paper_ids],
        )

    def set_starred(self, paper_ids: Sequence[int], starred: bool) -> list[int]:
        """Star or unstar papers; returns the ids that do not exist."""
        now = utc_now()
        with self._write() as conn:
            found = set(
                conn.execute(select(_PAPER.c.id).where(_PAPER.c.id.in_(paper_ids))).scalars()
            )
            if found:
                conn.execute(
                    _PAPER.update()
                    .where(_PAPER.c.id.in_(found), _PAPER.c.starred != starred)
                    .values(starred=starred, starred_at=now if starred else None)
                )
        return [pid for pid in paper_ids if pid not in found]

    def set_note(self, paper_id: int, note: str) -> bool:
        with self._write() as conn:
            result = conn.execute(
                _PAPER.update()
                .where(_PAPER.c.id == paper_id)
                .values(note=note, note_updated_at=utc_now())
            )
        return result.rowcount > 0

    def set_status(self, paper_id: int, status: str) -> bool:
        with self._write() as conn:
            result = conn.execute(
                _PAPER.update().where(_PAPER.c.id == paper_id).values(status=status)
            )
        return result.rowcount > 0

    # -- reads ----------------------------------------------------------------------------

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(_PAPER)).scalar_one()

    def summaries(
        self,
        *,
        sort: str = "date",
        starred_only: bool = False,
        limit: int | None = None,
        ids: Sequence[int] | None = None,
    ) -> list[PaperSummary]:
        query = select(*_SUMMARY_COLUMNS).order_by(*_order(sort))
        if starred_only:
            query = query.where(_PAPER.c.starred)
        if ids is not None:
            query = query.where(_PAPER.c.id.in_(ids))
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [PaperSummary(*row) for row in conn.execute(query)]

    def records(self, paper_ids: Sequence[int]) -> list[PaperRecord]:
        """Full records for ``paper_ids``, in the order given; unknown ids are skipped."""
        columns = [_PAPER.c[name] for name in _RECORD_COLUMNS]
        found: dict[int, PaperRecord] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(paper_ids), 500):
                chunk = paper_ids[start : start + 500]
                for row in conn.execute(select(*columns).where(_PAPER.c.id.in_(chunk))):
                    values = dict(zip(_RECORD_COLUMNS, row, strict=True))
                    values["links"] = PaperRecord.decode_links(values["links"])
                    found[values["id"]] = PaperRecord(**values)
        return [found[pid] for pid in paper_ids if pid in found]

    def sources_of(self, paper_id: int) -> list[tuple[str, str]]:
        """The files a paper was seen in, with when it was last seen there."""
        query = (
            select(_SOURCE.c.path, _SIGHTING.c.last_seen)
            .join(_SIGHTING, _SIGHTING.c.source_id == _SOURCE.c.id)
            .where(_SIGHTING.c.paper_id == paper_id)
            .order_by(_SIGHTING.c.first_seen)
        )
        with self.engine.connect() as conn:
            return [(path, seen) for path, seen in conn.execute(query)]

    def search_ids(
        self, match: str | None, query: ParsedQuery, *, limit: int | None, ranked: bool = True
    ) -> list[tuple[int, float]]:
        """(id, score) of papers passing ``query``'s filters and the FTS5 ``match``, best first.

        Without ``match``, or unranked, papers come newest first with score 0: ranking
        every paper that has a word starting with "t" costs more than it tells.
        """
        conditions, params = _filter_sql(query)
        if match and not ranked:
            sql = (
                "SELECT paper.id, 0.0 FROM paper_fts JOIN paper ON paper.id = paper_fts.rowid "
                "WHERE paper_fts MATCH ?"
            )
            params.insert(0, match)
            order = " ORDER BY paper.date IS NULL, paper.date DESC, paper.id DESC"
        elif match:
            sql = (
                "SELECT paper.id, -bm25(paper_fts, 10.0, 4.0, 4.0, 1.0) AS score "
                "FROM paper_fts JOIN paper ON paper.id = paper_fts.rowid "
                "WHERE paper_fts MATCH ?"
            )
            params.insert(0, match)
            order = " ORDER BY score DESC, paper.id"
        else:
            sql = "SELECT paper.id, 0.0 FROM paper WHERE 1"
            order = " ORDER BY paper.date IS NULL, paper.date DESC, paper.id DESC"
        sql += "".join(f" AND {condition}" for condition in conditions) + order
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        with self.engine.connect() as conn:
            try:
                return [(pid, score) for pid, score in conn.exec_driver_sql(sql, tuple(params))]
            except OperationalError as error:  # a query FTS5 cannot run is no match, not a crash
                log.warning("full-text query failed: %s", _reason(error))
                return []

    def titles(self, paper_ids: Sequence[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        with self.engine.connect() as conn:
            for start in range(0, len(paper_ids), 500):
                chunk = list(paper_ids[start : start + 500])
                query = select(_PAPER.c.id, _PAPER.c.title).where(_PAPER.c.id.in_(chunk))
                found.update((pid, title) for pid, title in conn.execute(query))
        return found

    def vocabulary(self) -> list[tuple[str, int]]:
        """Every term of the full-text index with how many papers hold it."""
        with self.engine.connect() as conn:
            return [
                tuple(row) for row in conn.exec_driver_sql("SELECT term, doc FROM paper_fts_vocab")
            ]

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return conn.exec_driver_sql("PRAGMA user_version").scalar_one()


_RECORD_COLUMNS = (
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
    "starred_at",
)


def _make_engine(path: Path, read_only: bool, busy_timeout: float) -> Engine:
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


def _busy_timeout() -> float:
    """How long a writer waits for another instance's lock (``READINGLIST_BUSY_TIMEOUT``)."""
    try:
        return float(os.environ.get("READINGLIST_BUSY_TIMEOUT", BUSY_TIMEOUT_SECONDS))
    except ValueError:
        return BUSY_TIMEOUT_SECONDS


def _is_read_only(path: Path) -> bool:
    if path.exists():
        return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)
    parent = next((p for p in [path.parent, *path.parent.parents] if p.exists()), None)
    return parent is not None and not os.access(parent, os.W_OK)


def _check_existing_file(path: Path) -> None:
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


def _filter_sql(query: ParsedQuery) -> tuple[list[str], list[Any]]:
    conditions: list[str] = []
    params: list[Any] = []
    if query.starred is not None:
        conditions.append("paper.starred = ?")
        params.append(1 if query.starred else 0)
    if query.has_code:
        conditions.append("paper.link_count > 0")
    if query.has_note:
        conditions.append("paper.note != ''")
    if query.year:
        conditions.append("paper.date LIKE ?")
        params.append(f"{query.year}-%")
    if query.org:
        pattern = (
            "%"
            + query.org.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            + "%"
        )
        conditions.append(
            "(lower(paper.org) LIKE ? ESCAPE '\\' OR lower(paper.org_id) LIKE ? ESCAPE '\\')"
        )
        params += [pattern, pattern]
    return conditions, params


def _reason(error: Exception) -> str:
    original = getattr(error, "orig", None) or error
    return str(original).splitlines()[0]


def _order(sort: str) -> list[Any]:
    c = _PAPER.c
    if sort == "date":
        return [c.date.is_(None), c.date.desc(), c.id.desc()]
    if sort == "upvotes":
        return [c.upvotes.is_(None), c.upvotes.desc(), c.date.desc(), c.id]
    if sort == "title":
        return [func.lower(c.title), c.id]
    if sort == "added":
        return [c.added_at.desc(), c.id.desc()]
    if sort == "starred":
        return [c.starred_at.is_(None), c.starred_at.desc(), c.id.desc()]
    raise ValueError(f"unknown sort {sort!r}; choose from {', '.join(SORT_KEYS)}")


def _dedupe_by_key(papers: Sequence[ParsedPaper]) -> dict[str, ParsedPaper]:
    """A page that lists a paper twice yields one paper, the later listing filling gaps."""
    merged: dict[str, ParsedPaper] = {}
    for paper in papers:
        key = title_key(paper.title)
        earlier = merged.get(key)
        if earlier is None:
            merged[key] = paper
        else:
            filled = {
                name: getattr(earlier, name)
                if getattr(earlier, name) not in (None, "")
                else getattr(paper, name)
                for name in _MERGED_FIELDS
            }
            merged[key] = ParsedPaper(title=earlier.title, links=earlier.links, **filled)
    return merged


_FETCHED_COLUMNS = ("id", "title_key", "listed_on", "links", "link_count", *_MERGED_FIELDS)
_NEW_ROW_COLUMNS = (
    "id",
    "title_key",
    "title",
    "abstract",
    "authors",
    "org",
    "org_id",
    "date",
    "date_text",
    "upvotes",
    "listed_on",
    "links",
    "link_count",
    "starred",
    "note",
    "status",
    "added_at",
    "updated_at",
)
_INDEX_NEW_SQL = (
    "INSERT INTO paper_fts (rowid, title, org, note, abstract) "
    "SELECT id, title, org, note, abstract FROM paper WHERE id >= ?"
)
_UPDATED_COLUMNS = (*_MERGED_FIELDS, "links", "link_count", "listed_on", "updated_at")
_INSERT_SQL = (
    f"INSERT INTO paper ({', '.join(_NEW_ROW_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(_NEW_ROW_COLUMNS))})"
)
_UPDATE_SQL = "UPDATE paper SET {} WHERE id = ?".format(
    ", ".join(f"{name} = ?" for name in _UPDATED_COLUMNS)
)


def _fetch_by_keys(raw: Any, keys: list[str]) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    select_sql = f"SELECT {', '.join(_FETCHED_COLUMNS)} FROM paper WHERE title_key IN "
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        for row in raw.execute(select_sql + f"({', '.join('?' * len(chunk))})", chunk):
            values = dict(zip(_FETCHED_COLUMNS, row, strict=True))
            rows[values["title_key"]] = values
    return rows


def _new_row(paper_id: int, key: str, paper: ParsedPaper, listed_on: str, now: str) -> tuple:
    return (
        paper_id,
        key,
        paper.title,
        paper.abstract,
        paper.authors,
        paper.org,
        paper.org_id,
        paper.date,
        paper.date_text,
        paper.upvotes,
        listed_on,
        json.dumps(list(paper.links)),
        len(paper.links),
        False,
        "",
        "unread",
        now,
        now,
    )


def _merge(row: dict[str, Any], paper: ParsedPaper, listed_on: str) -> dict[str, Any]:
    """Field changes that merging ``paper`` into ``row`` makes.

    A field one listing has and the other lacks is kept; where both have it, the newer
    listing wins. The reader's own fields (star, note, status) are never touched.
    """
    newer = row["listed_on"] is None or listed_on >= row["listed_on"]
    changes: dict[str, Any] = {}
    for name in _MERGED_FIELDS:
        incoming, stored = getattr(paper, name), row[name]
        if incoming in (None, "") or incoming == stored:
            continue
        if stored in (None, "") or newer:
            changes[name] = incoming
    if "abstract" in changes:
        links = paper.links
        changes["links"] = json.dumps(list(links))
        changes["link_count"] = len(links)
    if newer and changes and listed_on != row["listed_on"]:
        changes["listed_on"] = listed_on
    return changes
