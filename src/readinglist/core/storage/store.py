"""The library behind the service: everything SQLite and PostgreSQL share, written once.

``Store`` opens a library (the version check, "newer library", the migration), reads
it, writes the reader's own fields (stars, notes, status) and merges imported pages,
on the standard drivers (``sqlite3``, ``psycopg``) with SQL built from the column
lists that ``columns.py`` derives from the tables. A database's subclass supplies
only what differs (see "what each database supplies" below): its connections and
transactions and their errors, the bulk insert, the full-text search and noticing
other writers. No SQL text is rewritten between them: where a statement differs,
each database states its own.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..database import (
    LibraryBusyError,
    LibraryError,
    LibraryReadOnlyError,
    newer_library_message,
    utc_now,
)
from ..location import LibraryLocation
from ..merge import KeyedPage, merge, merge_notes
from ..search import MatchQuery, ParsedQuery
from .columns import (
    ARRAY_COLUMNS,
    BOOL_COLUMNS,
    FETCH_COLUMNS,
    RECORD_COLUMNS,
    REPEATED_COLUMNS,
    SUMMARY_COLUMNS,
    SUMMARY_TESTS,
    UPDATE_COLUMNS,
    PaperRecord,
    PaperSummary,
)
from .migrations import SCHEMA_VERSION, Migration, migrate, schema_version
from .queries import SORT_KEYS, Filters, filter_sql, insert_values, limit_sql, sort_sql
from .values import decode_array

__all__ = ["SORT_KEYS", "NoteSave", "RetryableError", "Store"]

log = logging.getLogger(__name__)

IMPORT_ATTEMPTS = 3  # a deadlock or serialization failure is retried this many times
_SUMMARY_SELECT = ", ".join(
    f"(paper.{SUMMARY_TESTS[name]} <> '')" if name in SUMMARY_TESTS else f"paper.{name}"
    for name in SUMMARY_COLUMNS
)
_SHARED_AT = tuple(SUMMARY_COLUMNS.index(name) for name in REPEATED_COLUMNS)
_BOOLS_AT = tuple(
    i for i, name in enumerate(SUMMARY_COLUMNS) if name in BOOL_COLUMNS or name in SUMMARY_TESTS
)


class RetryableError(LibraryBusyError):
    """A deadlock or serialization failure: the transaction was rolled back; try again."""


@dataclass(frozen=True, slots=True)
class NoteSave:
    """A saved note; ``merged`` when another reader's save was kept beside ours."""

    note: str
    merged: bool


def _summaries(rows: Iterable[Sequence[Any]]) -> list[PaperSummary]:
    """List rows sharing one copy of each repeated date, organisation, status and import
    time: the driver makes a new string per row, and at 100,000 rows the copies are 20 MB."""
    shared: dict[Any, Any] = {}
    one = shared.setdefault
    summaries = []
    for row in rows:
        values = list(row)
        for at in _SHARED_AT:
            values[at] = one(values[at], values[at])
        for at in _BOOLS_AT:
            values[at] = bool(values[at])
        summaries.append(PaperSummary(*values))
    return summaries


def _record(row: Sequence[Any]) -> PaperRecord:
    values = dict(zip(RECORD_COLUMNS, row, strict=True))
    for name in ARRAY_COLUMNS:
        values[name] = decode_array(values[name])
    for name in BOOL_COLUMNS:
        values[name] = bool(values[name])
    return PaperRecord(**values)


class Store:
    """One library. Thread-safe: each call takes its own connection."""

    location: LibraryLocation
    read_only: bool = False
    dialect: str = ""  # "sqlite" or "postgresql"
    param: str = "?"  # the driver's placeholder
    for_update: str = ""  # how a SELECT locks the rows it reads, where it must
    missing_message = "no library here (readinglist import FILE creates one)"

    @property
    def name(self) -> str:
        """How messages name the library (a URL's password masked)."""
        return self.location.display

    @property
    def path(self) -> Path | None:
        return self.location.path

    # -- opening ------------------------------------------------------------------------------

    def _start(self, version: int, create: bool) -> None:
        """Check the library's version and bring it up to date; ``version`` 0 is new.

        Raises:
            LibraryError: no library and not ``create``, a newer library, or one that
                needs migrating and cannot be written.
        """
        if version == 0 and not create:
            raise LibraryError(f"{self.name}: {self.missing_message}")
        if version > SCHEMA_VERSION:
            raise LibraryError(f"{self.name}: {newer_library_message(version)}")
        if version < SCHEMA_VERSION:
            self._before_migration(version)
            with self._write() as conn:
                migrate(Migration(conn.cursor(), self.dialect, self.param))

    def _before_migration(self, version: int) -> None:
        """What a database does before migrating a library from ``version`` (0: new)."""

    def close(self) -> None:
        raise NotImplementedError

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise LibraryReadOnlyError(
                f"{self.name}: the library is read-only; nothing was changed"
            )

    # -- what each database supplies ----------------------------------------------------------

    def _read(self) -> AbstractContextManager[Any]:
        """A connection for reading; raises LibraryError subclasses the user can read."""
        raise NotImplementedError

    def _write(self) -> AbstractContextManager[Any]:
        """A connection in one write transaction, committed on leaving it."""
        raise NotImplementedError

    def _bulk(self) -> AbstractContextManager[Any]:
        """The write transaction of an import (SQLite widens its page cache)."""
        return self._write()

    def _any_of(self, column: str) -> str:
        """SQL: ``column`` is one of the values of one parameter (``_many``)."""
        raise NotImplementedError

    def _many(self, values: Sequence[Any]) -> Any:
        """The parameter ``_any_of`` reads."""
        raise NotImplementedError

    def _insert_new(self, cursor: Any, rows: list[tuple[Any, ...]]) -> dict[str, int]:
        """Insert rows of ``INSERT_COLUMNS`` whose title key is not taken yet; their ids."""
        raise NotImplementedError

    def search_ids(
        self,
        match: MatchQuery | None,
        query: ParsedQuery,
        *,
        limit: int | None,
        ranked: bool = True,
    ) -> list[tuple[int, float]]:
        """(id, score) of papers passing ``query``'s filters and ``match``, best first.

        Without ``match`` papers come newest first; unranked matches come most recently
        added first; both with score 0.
        """
        raise NotImplementedError

    def vocabulary(self) -> list[tuple[str, int]]:
        """Every term of the full-text index with how many papers hold it."""
        raise NotImplementedError

    def change_token(self) -> int:
        """A number that changes whenever anyone commits a write."""
        raise NotImplementedError

    def schema_version(self) -> int:
        """The library's schema version: 0 for a new, empty one."""
        with self._read() as conn:
            return schema_version(Migration(conn.cursor(), self.dialect, self.param))

    # -- helpers ------------------------------------------------------------------------------

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._read() as conn:
            cursor = conn.cursor()
            cursor.execute(sql, params) if params else cursor.execute(sql)
            return cursor.fetchall()

    def _conditions(
        self, filters: ParsedQuery | None, *more: tuple[str, list[Any]]
    ) -> tuple[list[str], list[Any]]:
        """The filters' conditions and ``more`` (each SQL with its parameters)."""
        clauses, params = filter_sql(filters, self.param)
        for clause, values in more:
            clauses.append(clause)
            params.extend(values)
        return clauses, params

    def _where(self, filters: ParsedQuery | None, *more: tuple[str, list[Any]]) -> Filters:
        clauses, params = self._conditions(filters, *more)
        return (" WHERE " + " AND ".join(clauses) if clauses else ""), params

    # -- the reader's own fields --------------------------------------------------------------

    def set_starred(self, paper_ids: Sequence[int], starred: bool) -> list[int]:
        """Star or unstar papers; returns the ids that do not exist."""
        p, wanted = self.param, [int(pid) for pid in paper_ids]
        with self._write() as conn:
            cursor = conn.cursor()
            cursor.execute(
                f"SELECT id FROM paper WHERE {self._any_of('id')}", (self._many(wanted),)
            )
            found = {pid for (pid,) in cursor.fetchall()}
            if found:
                cursor.execute(
                    f"UPDATE paper SET starred = {p}, starred_at = {p} "
                    f"WHERE {self._any_of('id')} AND starred <> {p}",
                    (starred, utc_now() if starred else None, self._many(sorted(found)), starred),
                )
        return [pid for pid in paper_ids if pid not in found]

    def set_note(self, paper_id: int, note: str, base: str | None = None) -> NoteSave | None:
        """Save a note written over ``base``; None for an unknown id.

        The row is locked while the stored note is compared with ``base``, so a save
        made by someone else in between is merged in (``merge_notes``), never lost.
        """
        p, now = self.param, utc_now()
        with self._write() as conn:
            cursor = conn.cursor()
            cursor.execute(f"SELECT note FROM paper WHERE id = {p}{self.for_update}", (paper_id,))
            stored = cursor.fetchone()
            if stored is None:
                return None
            saved = merge_notes(note, base, stored[0], now)
            cursor.execute(
                f"UPDATE paper SET note = {p}, note_updated_at = {p} WHERE id = {p}",
                (saved, now, paper_id),
            )
        return NoteSave(saved, merged=saved not in (note, stored[0]))  # both texts kept

    def set_status(self, paper_id: int, status: str) -> bool:
        with self._write() as conn:
            cursor = conn.cursor()
            cursor.execute(
                f"UPDATE paper SET status = {self.param} WHERE id = {self.param}",
                (status, paper_id),
            )
            return cursor.rowcount > 0

    def cycle_status(self, paper_id: int, order: Sequence[str]) -> str | None:
        """Move to the next status in ``order`` in one statement; None for an unknown id.

        Reading the status and writing the next one separately would let two quick
        presses both move "unread" to "reading".
        """
        p = self.param
        following = [*order[1:], order[0]]
        cases = " ".join(f"WHEN {p} THEN {p}" for _ in order)
        params = [value for pair in zip(order, following, strict=True) for value in pair]
        with self._write() as conn:
            cursor = conn.cursor()
            cursor.execute(
                f"UPDATE paper SET status = CASE status {cases} ELSE {p} END "
                f"WHERE id = {p} RETURNING status",
                (*params, order[0], paper_id),
            )
            row = cursor.fetchone()
        return row[0] if row else None

    # -- importing ----------------------------------------------------------------------------

    def import_pages(
        self, pages: Sequence[tuple[KeyedPage, str]], today: str
    ) -> list[tuple[int, int]]:
        """Merge parsed pages (each with its source path) in one transaction, in order;
        (new, updated) for each. Retried whole after a deadlock.

        Raises:
            LibraryError: none of them landed.
        """
        for attempt in range(1, IMPORT_ATTEMPTS + 1):
            try:
                now = utc_now()
                with self._bulk() as conn:
                    cursor = conn.cursor()
                    return [
                        self._merge_page(cursor, keyed, path, today, now) for keyed, path in pages
                    ]
            except RetryableError:
                if attempt == IMPORT_ATTEMPTS:
                    raise
                log.info("import of %s retried after a deadlock", pages[0][1])
        raise AssertionError("unreachable")

    def _merge_page(
        self, cursor: Any, keyed: KeyedPage, source_path: str, today: str, now: str
    ) -> tuple[int, int]:
        """Insert a page's new papers, merge the ones the library has, record the sightings.

        New papers go in first, and the existing ones are locked in title-key order:
        two importers of the same pages at once wait for each other, never deadlock.
        """
        page, incoming = keyed
        listed_on = page.listing_date or today
        keys = sorted(incoming)
        rows = [insert_values(key, incoming[key], listed_on, now) for key in keys]
        inserted = self._insert_new(cursor, rows) if rows else {}
        paper_ids = dict(inserted)
        existing = [key for key in keys if key not in inserted]
        updates = []
        if existing:
            cursor.execute(
                f"SELECT {', '.join(FETCH_COLUMNS)} FROM paper WHERE {self._any_of('title_key')} "
                f"ORDER BY title_key{self.for_update}",
                (self._many(existing),),
            )
            for values in cursor.fetchall():
                row = dict(zip(FETCH_COLUMNS, values, strict=True))
                paper_ids[row["title_key"]] = row["id"]
                changes = merge(row, incoming[row["title_key"]], listed_on)
                if changes:
                    merged = {**row, **changes, "updated_at": now}
                    updates.append((*(merged[name] for name in UPDATE_COLUMNS), row["id"]))
        if updates:
            p = self.param
            assignments = ", ".join(f"{name} = {p}" for name in UPDATE_COLUMNS)
            cursor.executemany(f"UPDATE paper SET {assignments} WHERE id = {p}", updates)
        self._record_sightings(
            cursor, source_path, page.listing_date, list(paper_ids.values()), now
        )
        return len(inserted), len(updates)

    def _record_sightings(
        self, cursor: Any, path: str, listing_date: str | None, paper_ids: list[int], now: str
    ) -> None:
        p = self.param
        cursor.execute(
            "INSERT INTO source (path, listing_date, first_imported_at, last_imported_at) "
            f"VALUES ({p}, {p}, {p}, {p}) ON CONFLICT (path) DO UPDATE SET "
            "last_imported_at = excluded.last_imported_at, listing_date = excluded.listing_date "
            "RETURNING id",
            (path, listing_date, now, now),
        )
        source_id = cursor.fetchone()[0]
        cursor.executemany(
            "INSERT INTO sighting (paper_id, source_id, first_seen, last_seen) "
            f"VALUES ({p}, {p}, {p}, {p}) "
            "ON CONFLICT (paper_id, source_id) DO UPDATE SET last_seen = excluded.last_seen",
            [(paper_id, source_id, now, now) for paper_id in sorted(paper_ids)],
        )

    # -- reads --------------------------------------------------------------------------------

    def count(self, filters: ParsedQuery | None = None) -> int:
        where, params = self._where(filters)
        return int(self._all(f"SELECT count(*) FROM paper{where}", params)[0][0])

    def summaries(
        self,
        *,
        sort: str = "date",
        filters: ParsedQuery | None = None,
        limit: int | None = None,
    ) -> list[PaperSummary]:
        """List rows in ``sort`` order, narrowed by the query's field filters."""
        where, params = self._where(filters)
        limited, extra = limit_sql(limit, self.param)
        sql = f"SELECT {_SUMMARY_SELECT} FROM paper{where} ORDER BY {sort_sql(sort)}{limited}"
        return _summaries(self._all(sql, [*params, *extra]))

    def ids(
        self,
        *,
        sort: str = "date",
        filters: ParsedQuery | None = None,
        among: Sequence[int] | None = None,
    ) -> list[int]:
        """Paper ids in ``sort`` order, narrowed by the query's field filters and, with
        ``among``, to those ids."""
        more = [] if among is None else [self._id_in(among)]
        where, params = self._where(filters, *more)
        sql = f"SELECT paper.id FROM paper{where} ORDER BY {sort_sql(sort)}"
        return [pid for (pid,) in self._all(sql, params)]

    def summaries_of(self, paper_ids: Sequence[int]) -> dict[int, PaperSummary]:
        where, params = self._where(None, self._id_in(paper_ids))
        rows = self._all(f"SELECT {_SUMMARY_SELECT} FROM paper{where}", params)
        return {summary.id: summary for summary in _summaries(rows)}

    def records(self, paper_ids: Sequence[int]) -> list[PaperRecord]:
        """Full records for ``paper_ids``, in the order given; unknown ids are skipped."""
        where, params = self._where(None, self._id_in(paper_ids))
        rows = self._all(f"SELECT {', '.join(RECORD_COLUMNS)} FROM paper{where}", params)
        found = {record.id: record for record in map(_record, rows)}
        return [found[pid] for pid in paper_ids if pid in found]

    def sources_of(self, paper_id: int) -> list[tuple[str, str]]:
        """The files a paper was seen in, with when it was last seen there."""
        sql = (
            "SELECT source.path, sighting.last_seen FROM source "
            "JOIN sighting ON sighting.source_id = source.id "
            f"WHERE sighting.paper_id = {self.param} ORDER BY sighting.first_seen"
        )
        return [(path, seen) for path, seen in self._all(sql, [paper_id])]

    def newest_id(self) -> int:
        """The highest paper id: it grows when anyone adds papers, and costs one index probe."""
        return int(self._all("SELECT max(id) FROM paper")[0][0] or 0)

    def titles(self, paper_ids: Sequence[int]) -> dict[int, str]:
        where, params = self._where(None, self._id_in(paper_ids))
        return {
            pid: title for pid, title in self._all(f"SELECT id, title FROM paper{where}", params)
        }

    def title_prefix_ids(self, prefix: str, query: ParsedQuery, *, limit: int | None) -> list[int]:
        """Papers passing ``query``'s filters whose ``title_key`` starts with ``prefix``.

        A range of the unique index on ``title_key``, so it costs one probe however
        large the library; the ``substr`` test keeps it exact in any collation.
        """
        if not prefix:
            return []
        p = self.param
        clauses = [(f"paper.title_key >= {p}", [prefix])]
        clauses.append((f"substr(paper.title_key, 1, {len(prefix)}) = {p}", [prefix]))
        if ord(prefix[-1]) < 0x10FFFF:
            clauses.append((f"paper.title_key < {p}", [prefix[:-1] + chr(ord(prefix[-1]) + 1)]))
        where, params = self._where(query, *clauses)
        limited, extra = limit_sql(limit, p)
        sql = f"SELECT paper.id FROM paper{where} ORDER BY paper.title_key{limited}"
        return [pid for (pid,) in self._all(sql, [*params, *extra])]

    def _id_in(self, paper_ids: Sequence[int]) -> tuple[str, list[Any]]:
        """``id`` is one of ``paper_ids``, as one parameter however many there are."""
        return self._any_of("paper.id"), [self._many([int(pid) for pid in paper_ids])]
