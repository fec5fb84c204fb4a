"""The library on disk: opening it safely, migrating it, and reading and writing papers.

SQLite in WAL mode with foreign keys on. Every write runs in one ``BEGIN IMMEDIATE``
transaction, so a file's import lands whole or not at all and two instances queue
for the write lock instead of failing halfway.
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import case, column, func, literal, literal_column, or_, select, table, text
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
_FTS = table("paper_fts", column("rowid"))
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
        self._watch: Any = None
        self._watch_lock = threading.Lock()
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
        if self._watch is not None:
            self._watch.close()
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

    def cycle_status(self, paper_id: int, order: Sequence[str]) -> str | None:
        """Move to the next status in ``order`` in one statement; None for an unknown id.

        Reading the status and writing the next one separately would let two quick
        presses both move "unread" to "reading".
        """
        following = case(
            *(
                (_PAPER.c.status == now, then)
                for now, then in zip(order, [*order[1:], order[0]], strict=True)
            ),
            else_=order[0],
        )
        with self._write() as conn:
            row = conn.execute(
                _PAPER.update()
                .where(_PAPER.c.id == paper_id)
                .values(status=following)
                .returning(_PAPER.c.status)
            ).first()
        return row[0] if row else None

    # -- reads ----------------------------------------------------------------------------

    def count(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(_PAPER)).scalar_one()

    def summaries(
        self,
        *,
        sort: str = "date",
        filters: ParsedQuery | None = None,
        limit: int | None = None,
    ) -> list[PaperSummary]:
        """List rows in ``sort`` order, narrowed by the query's field filters."""
        query = select(*_SUMMARY_COLUMNS).order_by(*_order(sort))
        if filters is not None:
            query = query.where(*_filter_clauses(filters))
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [PaperSummary(*row) for row in conn.execute(query)]

    def summaries_of(self, paper_ids: Sequence[int]) -> dict[int, PaperSummary]:
        found: dict[int, PaperSummary] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(paper_ids):
                query = select(*_SUMMARY_COLUMNS).where(_PAPER.c.id.in_(chunk))
                found.update((row[0], PaperSummary(*row)) for row in conn.execute(query))
        return found

    def records(self, paper_ids: Sequence[int]) -> list[PaperRecord]:
        """Full records for ``paper_ids``, in the order given; unknown ids are skipped."""
        columns = [_PAPER.c[name] for name in _RECORD_COLUMNS]
        found: dict[int, PaperRecord] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(paper_ids):
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
        statement = select(_PAPER.c.id)
        if match:
            matched = _FTS.join(_PAPER, _PAPER.c.id == _FTS.c.rowid)
            statement = statement.select_from(matched).where(
                text("paper_fts MATCH :match").bindparams(match=match)
            )
        if match and ranked:
            score = literal_column("-bm25(paper_fts, 10.0, 4.0, 4.0, 1.0)").label("score")
            statement = statement.add_columns(score).order_by(score.desc(), _PAPER.c.id)
        elif match:  # FTS5 walks its index backwards: no sort
            statement = statement.add_columns(literal(0.0)).order_by(_FTS.c.rowid.desc())
        else:
            statement = statement.add_columns(literal(0.0)).order_by(*_order("date"))
        statement = statement.where(*_filter_clauses(query)).limit(limit)
        with self.engine.connect() as conn:
            try:
                return [(pid, score) for pid, score in conn.execute(statement)]
            except OperationalError as error:  # a query FTS5 cannot run is no match, not a crash
                log.warning("full-text query failed: %s", _reason(error))
                return []

    def titles(self, paper_ids: Sequence[int]) -> dict[int, str]:
        found: dict[int, str] = {}
        with self.engine.connect() as conn:
            for chunk in _chunks(paper_ids):
                query = select(_PAPER.c.id, _PAPER.c.title).where(_PAPER.c.id.in_(chunk))
                found.update((pid, title) for pid, title in conn.execute(query))
        return found

    def vocabulary(self) -> list[tuple[str, int]]:
        """Every term of the full-text index with how many papers hold it."""
        with self.engine.connect() as conn:
            return [
                tuple(row) for row in conn.exec_driver_sql("SELECT term, doc FROM paper_fts_vocab")
            ]

    def change_token(self) -> int:
        """SQLite's ``data_version``: it changes whenever another connection commits.

        A dedicated connection, since the value is per connection; the pool's own
        writes count as "another connection" too, which only costs a reload.
        """
        with self._watch_lock:
            if self._watch is None:
                self._watch = self.engine.raw_connection()
            return self._watch.execute("PRAGMA data_version").fetchone()[0]

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return conn.exec_driver_sql("PRAGMA user_version").scalar_one()


_RECORD_COLUMNS = (*JSON_FIELDS, "starred_at")  # the --json fields, plus when starred


def _filter_clauses(query: ParsedQuery) -> list[Any]:
    """The field filters of a query (is:, has:, org:, year:) as SQL conditions."""
    c = _PAPER.c
    clauses: list[Any] = []
    if query.starred is not None:
        clauses.append(c.starred.is_(query.starred))
    if query.has_code:
        clauses.append(c.link_count > 0)
    if query.has_note:
        clauses.append(c.note != "")
    if query.year:
        clauses.append(c.date.startswith(f"{query.year}-", autoescape=True))
    if query.org:
        wanted = query.org.lower()
        clauses.append(
            or_(
                func.lower(c.org).contains(wanted, autoescape=True),
                func.lower(c.org_id).contains(wanted, autoescape=True),
            )
        )
    return clauses


def _chunks(ids: Sequence[int], size: int = 500) -> Iterator[list[int]]:
    """Ids in groups small enough for one ``IN (...)`` each."""
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


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
