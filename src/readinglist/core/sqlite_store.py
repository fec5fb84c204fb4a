"""A library in a SQLite file: opening it safely, migrating it, bulk import, FTS5 search.

SQLite in WAL mode with foreign keys on. Every write runs in one ``BEGIN IMMEDIATE``
transaction, so a file's import lands whole or not at all and two instances queue
for the write lock instead of failing halfway.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import column, func, literal, literal_column, select, table, text
from sqlalchemy.exc import DatabaseError, OperationalError

from .database import (
    LibraryBusyError,
    LibraryDamagedError,
    LibraryError,
    LibraryReadOnlyError,
    busy_timeout_seconds,
    default_busy_timeout,
    failure_message,
    is_damage,
    is_read_only,
    make_engine,
    newer_library_message,
    utc_now,
)
from .library_file import LibraryHold, hold, identify
from .location import LibraryLocation
from .merge import (
    INDEX_NEW_SQL,
    INSERT_SQL,
    UPDATE_SQL,
    UPDATED_COLUMNS,
    KeyedPage,
    fetch_by_keys,
    merge,
    new_row,
)
from .migrations import SCHEMA_VERSION, migrate
from .query import MatchQuery, ParsedQuery, Term
from .store import PAPER, Store, filter_clauses, reason, sort_order

__all__ = ["SqliteStore", "fts5_expression"]

log = logging.getLogger(__name__)

_FTS = table("paper_fts", column("rowid"))
RANK_WINDOW = 2000  # how many of the newest matches BM25 ranks
IMPORT_CACHE_KIB = 16 * 1024  # holds the title index of about 200,000 papers while importing


class SqliteStore(Store):
    """One library file."""

    def __init__(
        self, path: Path, *, busy_timeout: float | None = None, create: bool = True
    ) -> None:
        """Open the library at ``path``, deciding what the file is before anything writes.

        Args:
            path: the library file.
            busy_timeout: seconds a writer waits for another's lock (default: the
                environment's ``READINGLIST_BUSY_TIMEOUT``, else 5).
            create: make a new library when nothing is at ``path`` (imports and the app
                do; commands that only read say there is none).

        Raises:
            LibraryError: with a one-line message; the file is left as it was.
        """
        self.location = LibraryLocation(path=path)
        self.busy_timeout = (
            default_busy_timeout() if busy_timeout is None else busy_timeout_seconds(busy_timeout)
        )
        self._watch: Any = None
        self._watch_lock = threading.Lock()
        self._checked = False  # PRAGMA quick_check passed before this store's first write
        self._hold: LibraryHold | None = hold(path, timeout=self.busy_timeout)
        self.engine: Any = None
        try:
            version = identify(self._hold) if self._hold else None
            self._open(path, version, create)
        except BaseException:
            self.close()
            raise

    def _open(self, path: Path, version: int | None, create: bool) -> None:
        if version is None and not create:
            raise LibraryError(f"{path}: no library here (readinglist import FILE creates one)")
        if version is not None and version > SCHEMA_VERSION:
            raise LibraryError(f"{path}: {newer_library_message(version)}")
        self.read_only = is_read_only(path)
        if version is None:
            if self.read_only:
                raise LibraryReadOnlyError(
                    f"{path}: no library here, and its folder is read-only; nothing was created"
                )
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise LibraryError(
                    f"{path}: cannot make its folder ({error.strerror or error})"
                ) from error
        self.engine = make_engine(path, self.read_only, self.busy_timeout)
        if (version or 0) < SCHEMA_VERSION:
            if self.read_only:
                raise LibraryError(
                    f"{path}: the library is read-only and needs upgrading to schema "
                    f"version {SCHEMA_VERSION}; make it writable once"
                )
            if version:
                from .backup import make_backup

                make_backup(path, reason=f"before-migration-v{version}")
            with self._write() as conn:
                migrate(conn)
        if self._hold is None:  # the file SQLite has just made
            self._hold = hold(path, timeout=self.busy_timeout)

    def close(self) -> None:
        if self._watch is not None:
            self._watch.close()
            self._watch = None
        if self.engine is not None:
            super().close()
        if self._hold is not None:  # after the connections: see library_file
            self._hold.release()
            self._hold = None

    # -- writes ---------------------------------------------------------------------------

    @contextmanager
    def _write(self, *, cache_kib: int | None = None) -> Iterator[Any]:
        """One write transaction, taken with BEGIN IMMEDIATE so writers queue, not clash.

        ``cache_kib`` widens the page cache for this transaction only: the size it had
        is put back, so a pooled connection does not keep a large cache afterwards.
        """
        self._refuse_if_read_only()
        try:
            with self.engine.connect() as conn:
                raw = conn.connection.driver_connection
                self._refuse_if_damaged(raw)
                kept_cache = None
                if cache_kib:
                    kept_cache = raw.execute("PRAGMA cache_size").fetchone()[0]
                    raw.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
                try:
                    conn.execution_options(sqlite_begin="IMMEDIATE")
                    with conn.begin():
                        yield conn
                finally:
                    if kept_cache is not None:
                        with suppress(sqlite3.Error):  # never hide the error that got us here
                            raw.execute(f"PRAGMA cache_size={int(kept_cache)}")
        except (DatabaseError, sqlite3.DatabaseError) as error:
            if is_damage(error):
                raise LibraryDamagedError(self.path, error) from error
            if "locked" in str(error) or "busy" in str(error):
                raise LibraryBusyError(
                    f"{self.path}: the library is busy (another readinglist is writing); "
                    "nothing was changed, try again"
                ) from error
            raise LibraryError(failure_message(self.path, error)) from error

    def _refuse_if_damaged(self, raw: Any) -> None:
        """Before this store's first write, ``PRAGMA quick_check`` (0.2 s at 100,000 papers):
        a write into a damaged file could spread the damage, so it is refused. Only then
        is the file put in WAL mode (a restored library comes in rollback mode): not
        even its header changes while it might be damaged."""
        if self._checked:
            return
        verdict = raw.execute("PRAGMA quick_check(1)").fetchone()[0]
        if verdict != "ok":  # "*** in database main ***\nPage 29: ..." says where
            lines = [line for line in verdict.splitlines() if not line.startswith("***")]
            raise LibraryDamagedError(self.path, "; ".join(lines) or verdict)
        raw.execute("PRAGMA journal_mode=WAL")
        self._checked = True

    def import_pages(
        self, pages: Sequence[tuple[KeyedPage, str]], today: str
    ) -> list[tuple[int, int]]:
        """Merge parsed pages into the library in one transaction; (new, updated) for each.

        Bulk statements on the driver connection: an ORM object (or even a Core
        statement) per row is many times slower at 100,000 papers. One transaction
        for several pages, with a wider page cache, writes each page of the title
        index once per batch instead of once per page: a quarter less time at 100,000.
        """
        now = utc_now()
        with self._write(cache_kib=IMPORT_CACHE_KIB) as conn:
            raw = conn.connection.driver_connection
            return [self._merge_page(raw, keyed, source, today, now) for keyed, source in pages]

    def _merge_page(
        self, raw: Any, keyed: KeyedPage, source_path: str, today: str, now: str
    ) -> tuple[int, int]:
        page, incoming = keyed
        listed_on = page.listing_date or today
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

    # -- reads ----------------------------------------------------------------------------

    def search_ids(
        self,
        match: MatchQuery | None,
        query: ParsedQuery,
        *,
        limit: int | None,
        ranked: bool = True,
    ) -> list[tuple[int, float]]:
        """BM25 ranks at most the ``RANK_WINDOW`` newest matches.

        bm25() runs once per match: ranking the 10,000 titles holding a common prefix
        ("tran") takes over 100 ms at 100,000 papers, the newest 2,000 about 15. Older
        matches still come back, unranked, through the caller's broader pass.
        """
        statement = select(PAPER.c.id)
        if match:
            matched = _FTS.join(PAPER, PAPER.c.id == _FTS.c.rowid)
            statement = statement.select_from(matched).where(
                text("paper_fts MATCH :match").bindparams(match=fts5_expression(match))
            )
        statement = statement.where(*filter_clauses(query))
        if match and ranked:
            score = literal_column("-bm25(paper_fts, 10.0, 4.0, 4.0, 1.0)").label("score")
            statement = statement.add_columns(score).order_by(score.desc(), PAPER.c.id)
        elif match:  # FTS5 walks its index backwards: no sort
            statement = statement.add_columns(literal(0.0)).order_by(_FTS.c.rowid.desc())
        else:
            statement = statement.add_columns(literal(0.0)).order_by(*sort_order("date"))
        with self.engine.connect() as conn:
            try:
                if match and ranked:
                    floor = conn.execute(
                        statement.with_only_columns(_FTS.c.rowid)
                        .order_by(None)
                        .order_by(_FTS.c.rowid.desc())
                        .offset(RANK_WINDOW - 1)
                        .limit(1)
                    ).scalar()
                    if floor is not None:
                        statement = statement.where(_FTS.c.rowid >= floor)
                statement = statement.limit(limit)
                return [(pid, score) for pid, score in conn.execute(statement)]
            except OperationalError as error:  # a query FTS5 cannot run is no match, not a crash
                log.warning("full-text query failed: %s", reason(error))
                return []

    def count_matches(
        self,
        matches: Sequence[MatchQuery],
        query: ParsedQuery,
        *,
        among: Sequence[int] | None = None,
    ) -> int:
        expression = " OR ".join(f"({fts5_expression(match)})" for match in matches)
        statement = (
            select(func.count())
            .select_from(_FTS)
            .where(text("paper_fts MATCH :match").bindparams(match=expression))
        )
        filters = filter_clauses(query)
        if filters:  # the papers' rows only when filters need them: 50,000 cost 50 ms
            statement = statement.join(PAPER, PAPER.c.id == _FTS.c.rowid).where(*filters)
        if among is not None:
            ids = func.json_each(json.dumps([int(pid) for pid in among])).table_valued("value")
            statement = statement.where(_FTS.c.rowid.in_(select(ids.c.value)))
        with self.engine.connect() as conn:
            try:
                return conn.execute(statement).scalar_one()
            except OperationalError as error:  # as in search_ids: no match, not a crash
                log.warning("full-text query failed: %s", reason(error))
                return 0

    def vocabulary(self) -> list[tuple[str, int]]:
        with self.engine.connect() as conn:
            return [
                tuple(row) for row in conn.exec_driver_sql("SELECT term, doc FROM paper_fts_vocab")
            ]

    def index_terms(
        self, prefix: str, *, limit: int | None = None, lengths: tuple[int, int] | None = None
    ) -> list[tuple[str, int]] | None:
        """A range of ``paper_fts_vocab``: one seek, then only the terms asked for are
        counted (reading every term costs a second at 100,000 papers)."""
        if limit == 0:
            return []
        sql = "SELECT term, doc FROM paper_fts_vocab WHERE term >= ?"
        parameters: list[str | int] = [prefix]
        if prefix and ord(prefix[-1]) < sys.maxunicode:
            sql += " AND term < ?"
            parameters.append(prefix[:-1] + chr(ord(prefix[-1]) + 1))
        if lengths is not None:
            sql += " AND length(term) BETWEEN ? AND ?"
            parameters += lengths
        sql += " ORDER BY term"  # the order the table yields: no sort
        if limit is not None:
            sql += " LIMIT ?"
            parameters.append(limit)
        with self.engine.connect() as conn:
            rows = conn.exec_driver_sql(sql, tuple(parameters)).all()
        return [(term, holders) for term, holders in rows if term.startswith(prefix)]

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


def fts5_expression(match: MatchQuery) -> str:
    """The FTS5 MATCH string; every term double-quoted, so nothing typed is FTS5 syntax."""
    clauses = ["(" + " OR ".join(_fts5_term(term) for term in terms) + ")" for terms in match.words]
    expression = (" OR " if match.any_word else " AND ").join(clauses)
    return f"{{title}} : ({expression})" if match.title_only else expression


def _fts5_term(term: Term) -> str:
    star = "*" if term.prefix else ""
    if not term.split_at:
        return _quote(term.text) + star
    first, second = term.parts
    both = f"{_quote(first)} AND {_quote(second)}{star}"
    return f"({{title}} : ({both}))" if term.in_title else f"({both})"


def _quote(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'
