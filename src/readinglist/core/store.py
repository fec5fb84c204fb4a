"""The library on disk: opening it safely, migrating it, and reading and writing papers.

SQLite in WAL mode with foreign keys on. Every write runs in one ``BEGIN IMMEDIATE``
transaction, so a file's import lands whole or not at all and two instances queue
for the write lock instead of failing halfway.
"""

from __future__ import annotations

import logging
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import DatabaseError, OperationalError

from .database import (
    LibraryBusyError,
    LibraryError,
    LibraryReadOnlyError,
    check_existing_file,
    default_busy_timeout,
    is_read_only,
    make_engine,
    newer_library_message,
    utc_now,
)
from .merge import (
    INDEX_NEW_SQL,
    INSERT_SQL,
    UPDATE_SQL,
    UPDATED_COLUMNS,
    dedupe_by_key,
    fetch_by_keys,
    merge,
    new_row,
)
from .migrations import SCHEMA_VERSION, NewerLibraryError, migrate
from .models import JSON_FIELDS, Paper, PaperRecord, PaperSummary, Sighting, Source
from .parse import ParsedPage
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
SORT_KEYS = ("date", "upvotes", "title", "added", "starred")


class Store:
    """One library file. Thread-safe: each call takes its own connection from the pool."""

    def __init__(self, path: Path, *, busy_timeout: float | None = None) -> None:
        self.path = path
        check_existing_file(path)
        self.read_only = is_read_only(path)
        if not self.read_only:
            path.parent.mkdir(parents=True, exist_ok=True)
        self.busy_timeout = busy_timeout if busy_timeout is not None else default_busy_timeout()
        self.engine = make_engine(path, self.read_only, self.busy_timeout)
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
        incoming = dedupe_by_key(page.papers)
        with self._write() as conn:
            raw = conn.connection.driver_connection
            existing = fetch_by_keys(raw, list(incoming))
            next_id = raw.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM paper").fetchone()[0]
            inserts, updates, paper_ids = [], [], []
            for key, paper in incoming.items():
                row = existing.get(key)
                if row is None:
                    inserts.append(new_row(next_id, key, paper, listed_on, now))
                    paper_ids.append(next_id)
                    next_id += 1
                    continue
                paper_ids.append(row["id"])
                changes = merge(row, paper, listed_on)
                if changes:
                    merged = {**row, **changes, "updated_at": now}
                    updates.append((*tuple(merged[name] for name in UPDATED_COLUMNS), row["id"]))
            raw.executemany(INSERT_SQL, inserts)
            if inserts:
                raw.execute(INDEX_NEW_SQL, (inserts[0][0],))
            raw.executemany(UPDATE_SQL, updates)
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

        Without ``match`` papers come newest first; unranked matches come most recently
        added first; both with score 0. Ranking every paper with a word starting with
        "t" costs more than it tells.
        """
        conditions, params = _filter_sql(query)
        if match and not ranked:
            sql = (
                "SELECT paper.id, 0.0 FROM paper_fts JOIN paper ON paper.id = paper_fts.rowid "
                "WHERE paper_fts MATCH ?"
            )
            params.insert(0, match)
            order = " ORDER BY paper_fts.rowid DESC"  # FTS5 walks its index backwards: no sort
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
            order = " ORDER BY paper.date DESC, paper.id DESC"  # NULL dates sort last
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

    def change_token(self) -> tuple[Any, ...]:
        """Cheap fingerprint of the library that changes when any instance writes to it."""
        with self.engine.connect() as conn:
            row = conn.exec_driver_sql(
                "SELECT count(*), total(starred), max(starred_at), max(note_updated_at), "
                "max(updated_at), (SELECT max(last_imported_at) FROM source) FROM paper"
            ).one()
        return tuple(row)

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return conn.exec_driver_sql("PRAGMA user_version").scalar_one()


_RECORD_COLUMNS = (*JSON_FIELDS, "starred_at")  # the --json fields, plus when starred


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
        return [c.date.desc(), c.id.desc()]  # SQLite sorts NULL lowest: undated come last
    if sort == "upvotes":
        return [c.upvotes.is_(None), c.upvotes.desc(), c.date.desc(), c.id]
    if sort == "title":
        return [func.lower(c.title), c.id]
    if sort == "added":
        return [c.added_at.desc(), c.id.desc()]
    if sort == "starred":
        return [c.starred_at.is_(None), c.starred_at.desc(), c.id.desc()]
    raise ValueError(f"unknown sort {sort!r}; choose from {', '.join(SORT_KEYS)}")
