"""A library in a PostgreSQL database: a lab's shared reading list.

Several people write at once here, so every write is one transaction that cannot
lose another's work:

- imports upsert (``INSERT … ON CONFLICT DO NOTHING``), then lock the papers that
  already existed (``FOR UPDATE``, in title order so two importers never deadlock)
  and merge them with the same rules as SQLite;
- stars, status and notes are shared by the lab; a note saved over a version someone
  else has since replaced keeps both (``Store.set_note``);
- other writers are noticed through ``LISTEN``/``NOTIFY``, sent on commit.

Search needs nothing beyond stock PostgreSQL: a weighted ``tsvector`` column with a
GIN index narrows the candidates, and the typo tolerance and ranking stay in the app.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import (
    Integer,
    bindparam,
    cast,
    create_engine,
    event,
    func,
    literal,
    literal_column,
    select,
)
from sqlalchemy.dialects.postgresql import ARRAY, TSQUERY
from sqlalchemy.exc import DBAPIError, SQLAlchemyError

from .database import (
    LibraryBusyError,
    LibraryError,
    LibraryReadOnlyError,
    busy_timeout_seconds,
    default_busy_timeout,
    newer_library_message,
    utc_now,
)
from .location import LibraryLocation
from .merge import (
    FETCHED_COLUMNS,
    NEW_ROW_COLUMNS,
    UPDATE_SQL,
    UPDATED_COLUMNS,
    KeyedPage,
    merge,
    new_row,
)
from .migrations import SCHEMA_VERSION, migrate, schema_version
from .parse import ParsedPage
from .query import MatchQuery, ParsedQuery, Term
from .store import PAPER, Store, filter_clauses, sort_order

__all__ = ["CHANNEL", "PostgresStore", "tsquery_text"]

log = logging.getLogger(__name__)

CHANNEL = "readinglist_changes"
IMPORT_ATTEMPTS = 3  # a deadlock or serialization failure is retried this many times
_VECTOR = literal_column("paper.search_vector")
_WEIGHTS = literal_column("'{0.1, 0.4, 0.4, 1.0}'::float4[]")  # abstract, note, org, title
_ARRAY_TYPES = {"authors": "int", "upvotes": "int", "link_count": "int", "starred": "bool"}
_INSERT_COLUMNS = NEW_ROW_COLUMNS[1:]  # the id comes from the identity column
_INSERT_SQL = (
    f"INSERT INTO paper ({', '.join(_INSERT_COLUMNS)}) SELECT * FROM unnest("
    + ", ".join(f"%s::{_ARRAY_TYPES.get(name, 'text')}[]" for name in _INSERT_COLUMNS)
    + ") ON CONFLICT (title_key) DO NOTHING RETURNING id, title_key"
)
_LOCK_EXISTING_SQL = (
    f"SELECT {', '.join(FETCHED_COLUMNS)} FROM paper WHERE title_key = ANY(%s) "
    "ORDER BY title_key FOR UPDATE"
)
_UPDATE_SQL = UPDATE_SQL.replace("?", "%s")


class _Retry(LibraryBusyError):
    """A deadlock or serialization failure: the transaction was rolled back; try again."""


class PostgresStore(Store):
    """One library in a PostgreSQL database (or a schema of one, via ``search_path``)."""

    def __init__(
        self, location: LibraryLocation, *, busy_timeout: float | None = None, create: bool = True
    ) -> None:
        self.location = location
        self.busy_timeout = (
            default_busy_timeout() if busy_timeout is None else busy_timeout_seconds(busy_timeout)
        )
        try:
            import psycopg  # noqa: F401
        except ImportError as error:
            raise LibraryError(
                f"{self.name}: PostgreSQL libraries need psycopg; "
                "install it with: pip install 'readinglist[postgres]'"
            ) from error
        self.engine = _make_engine(location, self.busy_timeout)
        self._watch: Any = None
        self._watch_lock = threading.Lock()
        self._changes = 0
        try:
            with self.engine.connect() as conn:
                version = schema_version(conn)
            if version > SCHEMA_VERSION:
                raise LibraryError(f"{self.name}: {newer_library_message(version)}")
            if version == 0 and not create:
                raise LibraryError(
                    f"{self.name}: no readinglist library in this database yet "
                    "(readinglist import FILE creates one)"
                )
            if version < SCHEMA_VERSION:
                with self._write() as conn:
                    migrate(conn)
            self.read_only = not self._can_write()
        except LibraryError:
            self.engine.dispose()
            raise
        except SQLAlchemyError as error:
            self.engine.dispose()
            raise LibraryError(f"{self.name}: {self._reason(error)}") from error

    def close(self) -> None:
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None
        super().close()

    def _reason(self, error: Exception) -> str:
        """What the server or driver said, first line, with the password masked."""
        original = getattr(error, "orig", None) or error
        lines = [line.strip() for line in str(original).splitlines() if line.strip()]
        text = lines[0] if lines else type(original).__name__
        if text.startswith("connection failed") or "connection to server" in text:
            text = "cannot connect to the server: " + text.split("failed: ")[-1]
        return self.location.scrub(text)

    def _can_write(self) -> bool:
        with self.engine.connect() as conn:
            allowed = conn.exec_driver_sql(
                "SELECT has_table_privilege('paper', 'UPDATE') "
                "AND current_setting('transaction_read_only') = 'off'"
            ).scalar_one()
        return bool(allowed)

    # -- writes -------------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Any]:
        """One transaction; on commit, every open readinglist on this library is told."""
        self._refuse_if_read_only()
        try:
            with self.engine.begin() as conn:
                yield conn
                conn.exec_driver_sql(f"NOTIFY {CHANNEL}")
            with self._watch_lock:  # our own commit counts now; its NOTIFY comes later
                self._changes += 1
        except DBAPIError as error:
            raise self._translate(error) from error

    def _translate(self, error: DBAPIError) -> LibraryError:
        from psycopg import errors

        original = error.orig
        reason = self._reason(error)
        if isinstance(original, errors.DeadlockDetected | errors.SerializationFailure):
            return _Retry(f"{self.name}: {reason}; nothing was changed, try again")
        if isinstance(original, errors.LockNotAvailable):
            return LibraryBusyError(
                f"{self.name}: the library is busy (someone else is writing the same papers); "
                "nothing was changed, try again"
            )
        if isinstance(original, errors.InsufficientPrivilege | errors.ReadOnlySqlTransaction):
            return LibraryReadOnlyError(f"{self.name}: {reason}; nothing was changed")
        return LibraryError(f"{self.name}: {reason}; nothing was changed")

    def import_pages(
        self, pages: Sequence[tuple[KeyedPage, str]], today: str
    ) -> list[tuple[int, int]]:
        """Merge parsed pages in one transaction, retried whole after a deadlock."""
        for attempt in range(1, IMPORT_ATTEMPTS + 1):
            try:
                with self._write() as conn:
                    raw = conn.connection.driver_connection
                    return [
                        self._merge_page(raw, keyed.papers, keyed.page, source, today)
                        for keyed, source in pages
                    ]
            except _Retry:
                if attempt == IMPORT_ATTEMPTS:
                    raise
                log.info("import of %s retried after a deadlock", pages[0][1])
        raise AssertionError("unreachable")

    def _merge_page(
        self, raw: Any, incoming: dict, page: ParsedPage, source_path: str, today: str
    ) -> tuple[int, int]:
        now = utc_now()
        listed_on = page.listing_date or today
        keys = sorted(incoming)  # one lock order for every importer: no deadlock between two
        rows = [new_row(0, key, incoming[key], listed_on, now)[1:] for key in keys]
        with raw.cursor() as cursor:
            columns = [list(values) for values in zip(*rows, strict=True)] if rows else []
            inserted: dict[str, int] = {}
            if rows:
                cursor.execute(_INSERT_SQL, columns)
                inserted = {key: paper_id for paper_id, key in cursor.fetchall()}
            existing = [key for key in keys if key not in inserted]
            paper_ids = dict(inserted)
            updates = []
            if existing:
                cursor.execute(_LOCK_EXISTING_SQL, (existing,))
                for values in cursor.fetchall():
                    row = dict(zip(FETCHED_COLUMNS, values, strict=True))
                    paper_ids[row["title_key"]] = row["id"]
                    changes = merge(row, incoming[row["title_key"]], listed_on)
                    if changes:
                        merged = {**row, **changes, "updated_at": now}
                        updates.append((*(merged[name] for name in UPDATED_COLUMNS), row["id"]))
            if updates:
                cursor.executemany(_UPDATE_SQL, updates)
            cursor.execute(
                "INSERT INTO source (path, listing_date, first_imported_at, last_imported_at) "
                "VALUES (%s, %s, %s, %s) ON CONFLICT (path) DO UPDATE SET "
                "last_imported_at = excluded.last_imported_at, "
                "listing_date = excluded.listing_date RETURNING id",
                (source_path, page.listing_date, now, now),
            )
            source_id = cursor.fetchone()[0]
            self._record_sightings(cursor, source_id, [paper_ids[key] for key in keys], now)
        return len(inserted), len(updates)

    @staticmethod
    def _record_sightings(cursor: Any, source_id: int, paper_ids: list[int], now: str) -> None:
        cursor.execute(
            "INSERT INTO sighting (paper_id, source_id, first_seen, last_seen) "
            "SELECT unnest(%s::int[]), %s, %s, %s ON CONFLICT (paper_id, source_id) "
            "DO UPDATE SET last_seen = excluded.last_seen",
            (paper_ids, source_id, now, now),
        )

    # -- search -------------------------------------------------------------------------------

    def search_ids(
        self,
        match: MatchQuery | None,
        query: ParsedQuery,
        *,
        limit: int | None,
        ranked: bool = True,
    ) -> list[tuple[int, float]]:
        statement = select(PAPER.c.id)
        if match:
            wanted = cast(bindparam("tsquery", tsquery_text(match)), TSQUERY)
            statement = statement.where(_VECTOR.op("@@")(wanted))
        if match and ranked:
            score = func.ts_rank(_WEIGHTS, _VECTOR, wanted).label("score")
            statement = statement.add_columns(score).order_by(score.desc(), PAPER.c.id)
        elif match:
            statement = statement.add_columns(literal(0.0)).order_by(PAPER.c.id.desc())
        else:
            statement = statement.add_columns(literal(0.0)).order_by(*sort_order("date"))
        statement = statement.where(*filter_clauses(query)).limit(limit)
        with self.engine.connect() as conn:
            try:
                return [(pid, float(score)) for pid, score in conn.execute(statement)]
            except DBAPIError as error:  # e.g. a pasted word too long for a tsquery: no match
                if error.connection_invalidated:
                    raise self._translate(error) from error
                log.warning("full-text query failed: %s", self._reason(error))
                return []

    def count_matches(
        self,
        matches: Sequence[MatchQuery],
        query: ParsedQuery,
        *,
        among: Sequence[int] | None = None,
    ) -> int:
        expression = " | ".join(f"({tsquery_text(match)})" for match in matches)
        wanted = cast(bindparam("tsquery", expression), TSQUERY)
        statement = (
            select(func.count())
            .select_from(PAPER)
            .where(_VECTOR.op("@@")(wanted), *filter_clauses(query))
        )
        if among is not None:
            statement = statement.where(self._id_in(among))
        with self.engine.connect() as conn:
            try:
                return conn.execute(statement).scalar_one()
            except DBAPIError as error:  # as in search_ids: no match, not a crash
                if error.connection_invalidated:
                    raise self._translate(error) from error
                log.warning("full-text query failed: %s", self._reason(error))
                return 0

    def vocabulary(self) -> list[tuple[str, int]]:
        with self.engine.connect() as conn:
            return [
                (word, documents)
                for word, documents in conn.exec_driver_sql(
                    "SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM paper')"
                )
            ]

    # -- other writers ------------------------------------------------------------------------

    def change_token(self) -> int:
        """How many commits this instance has heard of (``NOTIFY`` arrives on commit).

        A lost listening connection counts as a change too: what happened while it was
        gone is unknown, so the caller reloads.
        """
        import psycopg

        with self._watch_lock:
            try:
                if self._watch is None:
                    self._watch = self._listen()
                    self._changes += 1
                self._watch.execute("SELECT 1")  # a round trip delivers waiting notices
            except psycopg.Error as error:
                log.warning("lost the change listener: %s", self._reason(error))
                if self._watch is not None:
                    self._watch.close()
                self._watch = None
                self._changes += 1
            return self._changes

    def _listen(self) -> Any:
        import psycopg

        args, kwargs = self.engine.dialect.create_connect_args(self.engine.url)
        connection = psycopg.connect(*args, **kwargs, autocommit=True)
        connection.add_notify_handler(self._heard)
        connection.execute(f"LISTEN {CHANNEL}")
        return connection

    def _heard(self, _notice: Any) -> None:
        self._changes += 1

    def schema_version(self) -> int:
        with self.engine.connect() as conn:
            return schema_version(conn)

    def _id_in(self, paper_ids: Sequence[int]) -> Any:
        """``id = ANY(array)``: one parameter however many ids."""
        wanted = bindparam("paper_ids", [int(pid) for pid in paper_ids], type_=ARRAY(Integer))
        return PAPER.c.id == func.any(wanted)


def tsquery_text(match: MatchQuery) -> str:
    """The ``tsquery`` for a match; lexemes quoted verbatim, so nothing typed is syntax."""
    weight = "A" if match.title_only else ""  # A is the title's weight
    clauses = [
        "(" + " | ".join(_tsquery_term(term, weight) for term in terms) + ")"
        for terms in match.words
    ]
    return (" | " if match.any_word else " & ").join(clauses)


def _tsquery_term(term: Term, weight: str) -> str:
    if not term.split_at:
        return _weighted(term.text, term.prefix, weight)
    first, second = term.parts
    weight = "A" if term.in_title else weight
    return f"({_weighted(first, False, weight)} & {_weighted(second, term.prefix, weight)})"


def _weighted(text: str, prefix: bool, weight: str) -> str:
    return _lexeme(text) + (":*" if prefix else (":" if weight else "")) + weight


def _lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"


def _make_engine(location: LibraryLocation, busy_timeout: float) -> Any:
    engine = create_engine(
        location.sqlalchemy_url(),
        hide_parameters=True,  # notes and titles stay out of error messages and logs
        pool_pre_ping=True,
        connect_args={"connect_timeout": 10, "application_name": "readinglist"},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Waiting for another writer's row lock is bounded, like SQLite's busy timeout.
        with dbapi_connection.cursor() as cursor:
            cursor.execute(f"SET lock_timeout = {int(busy_timeout * 1000)}")
        dbapi_connection.commit()

    return engine
