"""A library in a SQLite file: opening it safely, its transactions, bulk import, FTS5 search.

SQLite in WAL mode with foreign keys on and full sync. What the file is (new, ours,
or something else) is decided before anything writes to it, even a PRAGMA
(``library_file.identify``). Every write runs in one ``BEGIN IMMEDIATE`` transaction,
so a file's import lands whole or not at all and two instances queue for the write
lock instead of failing halfway.
"""

from __future__ import annotations

import logging
import sqlite3
import sys
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from ..database import (
    LibraryBusyError,
    LibraryDamagedError,
    LibraryError,
    LibraryReadOnlyError,
    ReadInterrupted,
    busy_timeout_seconds,
    default_busy_timeout,
    failure_message,
    is_damage,
    is_environment,
    is_read_only,
    read_only_uri,
)
from ..library_file import LibraryHold, hold, identify
from ..location import LibraryLocation
from ..query import MatchQuery, ParsedQuery, Term
from .base import NOT_DELETED, outside_trash
from .columns import INSERT_COLUMNS
from .migrations import FULL_TEXT_COLUMNS, SCHEMA_VERSION, TITLE_INDEX
from .pool import Pool
from .queries import limit_sql, sort_sql
from .store import Store

__all__ = ["SqliteStore", "fts5_expression"]

log = logging.getLogger(__name__)

RANK_WINDOW = 1000  # how many of the newest matches BM25 ranks
IMPORT_CACHE_KIB = 16 * 1024  # holds the title index of about 200,000 papers while importing
PAGE_SIZE = 16384
PROGRESS_STEPS = 1000  # SQLite instructions between two looks at an interruptible read's stop
ANALYZED_FROM = 1000  # papers from which the planner's statistics are taken (once)
_INSERT_SQL = (
    f"INSERT INTO paper ({', '.join(INSERT_COLUMNS)}) "
    f"VALUES ({', '.join('?' * len(INSERT_COLUMNS))}) ON CONFLICT DO NOTHING"
)
_INDEXED = ", ".join(FULL_TEXT_COLUMNS)
_WEIGHT = {"title": 10, "org": 4, "note": 4, "abstract": 1, "author_names": 4, "keywords": 4}
_BM25 = f"bm25(paper_fts, {', '.join(f'{_WEIGHT[name]:.1f}' for name in FULL_TEXT_COLUMNS)})"
"""BM25 with each indexed column's weight: the title most, the abstract least."""


class SqliteStore(Store):
    """One library file."""

    dialect = "sqlite"
    param = "?"

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
        self._watch: sqlite3.Connection | None = None
        self._watch_lock = threading.Lock()
        self._checked = False  # PRAGMA quick_check passed before this store's first write
        self._pool: Pool | None = None
        self._hold: LibraryHold | None = hold(path, timeout=self.busy_timeout)
        try:
            version = identify(self._hold) if self._hold else 0
            self.read_only = is_read_only(path)
            if version == 0 and self._hold is None and create:
                self._make_folder(path)
            elif version == 0 and self._hold is None:
                raise LibraryError(f"{self.name}: {self.missing_message}")
            self._pool = Pool(self._connect, usable=lambda _conn: True)
            self._start(version, create or self._hold is not None)
            if self._hold is None:  # the file SQLite has just made
                self._hold = hold(path, timeout=self.busy_timeout)
        except BaseException:
            self.close()
            raise

    def _make_folder(self, path: Path) -> None:
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

    def _before_migration(self, version: int) -> None:
        if self.read_only:
            raise LibraryError(
                f"{self.path}: the library is read-only and needs upgrading to schema "
                f"version {SCHEMA_VERSION}; make it writable once"
            )
        if version:
            from ..backup import make_backup

            assert self.path is not None
            make_backup(self.path, reason=f"before-migration-v{version}")

    def _connect(self) -> sqlite3.Connection:
        """A connection on a file already known to be ours or new (``identify``).

        Made from a ``file:`` URI written here: a name holding ``#``, ``?`` or ``%``
        reaches SQLite as itself. Transactions are ours to begin (autocommit mode).
        """
        path = self.path
        assert path is not None
        uri = read_only_uri(path) if self.read_only else f"file:{quote(str(path))}?mode=rwc"
        conn = sqlite3.connect(
            uri, uri=True, check_same_thread=False, timeout=self.busy_timeout, isolation_level=None
        )
        if not self.read_only:
            # Only a new, empty file takes a page size (this writes nothing). 16 KiB pages
            # write a 100,000-paper import about a fifth faster than the default 4 KiB,
            # and search no slower. WAL mode is set by the first write.
            conn.execute(f"PRAGMA page_size={PAGE_SIZE}")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.execute("PRAGMA synchronous=FULL")
        conn.execute(f"PRAGMA busy_timeout={int(self.busy_timeout * 1000)}")
        return conn

    def close(self) -> None:
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None
        if self._pool is not None:
            self._pool.close()
            self._pool = None
        if self._hold is not None:  # after the connections: see library_file
            self._hold.release()
            self._hold = None

    # -- connections and transactions ---------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        assert self._pool is not None
        stop = self._stop_check()
        interrupted = False
        try:
            with self._pool.connection() as conn:
                if stop is None:
                    yield conn
                    return
                conn.set_progress_handler(stop, PROGRESS_STEPS)  # true: SQLITE_INTERRUPT
                try:
                    yield conn
                except sqlite3.OperationalError as error:
                    if not _interrupted(error):
                        raise
                    interrupted = True  # a clean stop: the connection goes back to the pool
                finally:
                    conn.set_progress_handler(None, 0)
        except sqlite3.DatabaseError as error:
            if _interrupted(error):
                raise ReadInterrupted() from None
            self._raise_readable(error)
            raise
        if interrupted:  # its pages stay cached for the next keystroke's search
            raise ReadInterrupted()

    def _raise_readable(self, error: sqlite3.DatabaseError) -> None:
        """A failed read's damage, or its environment (a full disk, a read-only folder),
        raised as an error the user can read; anything else is left to the caller."""
        if is_damage(error):
            raise LibraryDamagedError(self.path, error) from error
        if is_environment(error):
            raise LibraryError(failure_message(self.path, error)) from error

    @contextmanager
    def _write(self, *, cache_kib: int | None = None) -> Iterator[sqlite3.Connection]:
        """One write transaction, taken with BEGIN IMMEDIATE so writers queue, not clash.

        ``cache_kib`` widens the page cache for this transaction only: the size it had
        is put back, so a pooled connection does not keep a large cache afterwards.
        """
        self._refuse_if_read_only()
        assert self._pool is not None
        try:
            with self._pool.connection() as conn:
                self._refuse_if_damaged(conn)
                kept_cache = None
                if cache_kib:
                    kept_cache = conn.execute("PRAGMA cache_size").fetchone()[0]
                    conn.execute(f"PRAGMA cache_size=-{int(cache_kib)}")
                try:
                    conn.execute("BEGIN IMMEDIATE")
                    try:
                        yield conn
                    except BaseException:
                        with suppress(sqlite3.Error):  # never hide the error that got us here
                            conn.execute("ROLLBACK")
                        raise
                    conn.execute("COMMIT")
                finally:
                    if kept_cache is not None:
                        with suppress(sqlite3.Error):
                            conn.execute(f"PRAGMA cache_size={int(kept_cache)}")
        except sqlite3.DatabaseError as error:
            if is_damage(error):
                raise LibraryDamagedError(self.path, error) from error
            if "locked" in str(error) or "busy" in str(error):
                raise LibraryBusyError(
                    f"{self.path}: the library is busy (another readinglist is writing); "
                    "nothing was changed, try again"
                ) from error
            raise LibraryError(failure_message(self.path, error)) from error

    @contextmanager
    def _bulk(self) -> Iterator[sqlite3.Connection]:
        """An import's transaction: one transaction for several pages, with a wider page
        cache, writes each page of the title index once per batch instead of once per
        page: a quarter less time at 100,000 papers. Then, once, the planner's statistics
        (``_analyze_once``)."""
        with self._write(cache_kib=IMPORT_CACHE_KIB) as conn:
            yield conn
        self._analyze_once()

    def _analyze_once(self) -> None:
        """Statistics for SQLite's planner, taken once the library is large (``ANALYZE``:
        0.15 s at 100,000 papers, once). Without them the planner takes the trash's index
        (every read asks for ``deleted_at IS NULL``, true of nearly every paper, which
        only statistics tell it) over the title index, and finding the titles that start
        with a query reads every paper: 0.35 s per search at 100,000 papers."""
        with self._read() as conn:
            if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone():
                return
            counted = f"SELECT count(*) FROM (SELECT 1 FROM paper LIMIT {ANALYZED_FROM})"
            if conn.execute(counted).fetchone()[0] < ANALYZED_FROM:
                return  # a few papers: statistics of them would mislead the planner later
        with self._write() as conn:
            conn.execute("ANALYZE")

    def _refuse_if_damaged(self, conn: sqlite3.Connection) -> None:
        """Before this store's first write, ``PRAGMA quick_check`` (0.2 s at 100,000 papers):
        a write into a damaged file could spread the damage, so it is refused. Only then
        is the file put in WAL mode (a restored library comes in rollback mode): not
        even its header changes while it might be damaged."""
        if self._checked:
            return
        verdict = conn.execute("PRAGMA quick_check(1)").fetchone()[0]
        if verdict != "ok":  # "*** in database main ***\nPage 29: ..." says where
            lines = [line for line in verdict.splitlines() if not line.startswith("***")]
            raise LibraryDamagedError(self.path, "; ".join(lines) or verdict)
        conn.execute("PRAGMA journal_mode=WAL")
        self._checked = True

    def _any_of(self, column: str) -> str:
        return f"{column} IN (SELECT value FROM json_each(?))"

    def _many(self, values: Sequence[Any]) -> str:
        import json

        return json.dumps(list(values))

    def _insert_new(self, cursor: Any, rows: list[tuple[Any, ...]]) -> dict[str, int]:
        """Bulk insert on the driver (a statement per row is many times slower at 100,000
        papers), then the new rows' full-text entries in one statement: faster than a
        trigger per row. The write lock is ours, so every id above the old highest is new."""
        before = cursor.execute("SELECT coalesce(max(id), 0) FROM paper").fetchone()[0]
        cursor.executemany(_INSERT_SQL, rows)
        cursor.execute(
            f"INSERT INTO paper_fts (rowid, {_INDEXED}) "
            f"SELECT id, {_INDEXED} FROM paper WHERE id > ?",
            (before,),
        )
        cursor.execute(
            f"INSERT INTO {TITLE_INDEX} (rowid, title) SELECT id, title FROM paper WHERE id > ?",
            (before,),
        )
        cursor.execute("SELECT title_key, id FROM paper WHERE id > ?", (before,))
        return dict(cursor.fetchall())

    # -- search -------------------------------------------------------------------------------

    def search_ids(
        self,
        match: MatchQuery | None,
        query: ParsedQuery,
        *,
        limit: int | None,
        ranked: bool = True,
    ) -> list[tuple[int, float]]:
        """BM25 ranks at most the ``RANK_WINDOW`` newest matches; a title-only match
        reads the titles' own index.

        bm25() runs once per match: ranking the 10,000 titles holding a common prefix
        ("tran") takes over 100 ms at 100,000 papers, the newest 2,000 about 15, the
        newest 1,000 about 8 (most of it the phrases' frequencies, read once a query).
        Older matches still come back, unranked, through the caller's broader pass.
        """
        limited, extra = limit_sql(limit, "?")
        if not match:
            where, params = self._where(query)
            sql = f"SELECT paper.id, 0.0 FROM paper{where} ORDER BY {sort_sql('date')}{limited}"
            return [(pid, score) for pid, score in self._all(sql, [*params, *extra])]
        index = TITLE_INDEX if match.title_only else "paper_fts"
        matched, params = self._matching(index, query)
        # the titles' index holds nothing else: no column filter to test on each match
        unfiltered = replace(match, title_only=False) if match.title_only else match
        params = [fts5_expression(unfiltered), *params]
        bm25 = f"bm25({TITLE_INDEX})" if match.title_only else _BM25
        paper_id = f"{index}.rowid"
        with self._read() as conn:
            try:
                if not ranked:  # FTS5 walks its index backwards: no sort
                    sql = f"SELECT {paper_id}, 0.0 {matched} ORDER BY {paper_id} DESC"
                    return [tuple(row) for row in conn.execute(sql + limited, [*params, *extra])]
                window = (
                    f"SELECT {paper_id} {matched} "
                    f"ORDER BY {paper_id} DESC LIMIT 1 OFFSET {RANK_WINDOW - 1}"
                )
                floor = conn.execute(window, params).fetchone()
                newest = "" if floor is None else f" AND {paper_id} >= {int(floor[0])}"
                sql = (
                    f"SELECT {paper_id}, -{bm25} AS score "
                    f"{matched}{newest} ORDER BY score DESC, {paper_id}"
                )
                return [tuple(row) for row in conn.execute(sql + limited, [*params, *extra])]
            except sqlite3.OperationalError as error:  # a query FTS5 cannot run: no match
                if _interrupted(error):
                    raise  # see _read
                log.warning("full-text query failed: %s", error)
                return []

    def _matching(
        self, index: str, query: ParsedQuery, *more: tuple[str, list[Any]]
    ) -> tuple[str, list[Any]]:
        """``FROM … WHERE …``: the entries of the full-text ``index`` that match the first
        parameter (the caller's) and whose papers pass ``query``'s filters and ``more``.

        The papers' rows are joined only when a filter needs them: 2,000 matches' rows
        cost 6 ms at 100,000 papers, and 50,000 cost 50 ms to count; without, the trash
        is asked of the matches' ids (``outside_trash``).
        """
        clauses, params = self._conditions(query, *more)
        if clauses == [NOT_DELETED]:
            alone = outside_trash(f"{index}.rowid")
            return f"FROM {index} WHERE {index} MATCH ? AND {alone}", params
        filters = "".join(f" AND {clause}" for clause in clauses)
        joined = f"FROM {index} JOIN paper ON paper.id = {index}.rowid WHERE {index} MATCH ?"
        return joined + filters, params

    def count_matches(
        self,
        matches: Sequence[MatchQuery],
        query: ParsedQuery,
        *,
        among: Sequence[int] | None = None,
    ) -> int:
        expression = " OR ".join(f"({fts5_expression(match)})" for match in matches)
        more = [] if among is None else [self._id_in(among)]
        matched, params = self._matching("paper_fts", query, *more)
        sql, params = f"SELECT count(*) {matched}", [expression, *params]
        with self._read() as conn:
            try:
                return int(conn.execute(sql, params).fetchone()[0])
            except sqlite3.OperationalError as error:  # as in search_ids: no match
                if _interrupted(error):
                    raise
                log.warning("full-text query failed: %s", error)
                return 0

    def vocabulary(self) -> Iterator[tuple[str, int]]:
        return self._each("SELECT term, doc FROM paper_fts_vocab")  # 450,000 at 100,000 papers

    def index_terms(
        self, prefix: str, *, limit: int | None = None, lengths: tuple[int, int] | None = None
    ) -> list[tuple[str, int]] | None:
        """A range of ``paper_fts_vocab``: one seek, then only the terms asked for are
        counted (reading every term costs a second at 100,000 papers)."""
        if limit == 0:
            return []
        sql = "SELECT term, doc FROM paper_fts_vocab WHERE term >= ?"
        params: list[str | int] = [prefix]
        if prefix and ord(prefix[-1]) < sys.maxunicode:
            sql += " AND term < ?"
            params.append(prefix[:-1] + chr(ord(prefix[-1]) + 1))
        if lengths is not None:
            sql += " AND length(term) BETWEEN ? AND ?"
            params += lengths
        sql += " ORDER BY term"  # the order the table yields: no sort
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        rows = self._all(sql, params)
        return [(term, holders) for term, holders in rows if term.startswith(prefix)]

    def change_token(self) -> int:
        """SQLite's ``data_version``: it changes whenever another connection commits.

        A dedicated connection, since the value is per connection; the pool's own
        writes count as "another connection" too, which only costs a reload.
        """
        with self._watch_lock:
            try:
                if self._watch is None:
                    self._watch = self._connect()
                return int(self._watch.execute("PRAGMA data_version").fetchone()[0])
            except sqlite3.DatabaseError as error:  # each answer reads it first: same errors
                self._raise_readable(error)
                raise


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


def _interrupted(error: sqlite3.Error) -> bool:
    """The error is an ``interruptible`` read's stop (SQLITE_INTERRUPT)."""
    return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_INTERRUPT
