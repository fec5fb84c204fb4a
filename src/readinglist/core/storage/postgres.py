"""A library in a PostgreSQL database: a lab's shared reading list.

Several people write at once here, so every write is one transaction that cannot
lose another's work:

- imports lock the papers the library has (``FOR UPDATE``, in title order), insert
  the new ones (``INSERT … ON CONFLICT DO NOTHING``, in title order too, so two
  importers wait for each other, never deadlock), and merge with the same rules as
  SQLite (``merging.py``): a paper another importer added meanwhile is merged too;
- stars, status and notes are shared by the lab; a note saved over a version someone
  else has since replaced keeps both (``Store.set_note``);
- other writers are noticed through ``LISTEN``/``NOTIFY``, sent on commit.

Full-text search uses a generated ``tsvector`` column with a GIN index: it
narrows the candidates, and the typo tolerance and ranking stay in the app.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from operator import itemgetter
from typing import Any

from ..database import (
    LibraryBusyError,
    LibraryError,
    LibraryReadOnlyError,
    busy_timeout_seconds,
    default_busy_timeout,
)
from ..location import LibraryLocation
from ..query import MatchQuery, ParsedQuery, Term, without_accents
from .base import NOT_DELETED, RetryableError
from .columns import COLUMN_TYPES, INSERT_COLUMNS
from .pool import Pool
from .queries import limit_sql, sort_sql
from .store import Store

__all__ = ["CHANNEL", "PostgresStore", "tsquery_text"]

log = logging.getLogger(__name__)

CHANNEL = "readinglist_changes"
SHORT_PREFIX = 3  # terms starting with fewer letters are in nearly every paper
_WEIGHTS = "'{0.1, 0.4, 0.4, 1.0}'::float4[]"  # abstract, note, org, title
_TITLE_KEY_AT = INSERT_COLUMNS.index("title_key")
_INSERT_SQL = (
    f"INSERT INTO paper ({', '.join(INSERT_COLUMNS)}) SELECT * FROM unnest("
    + ", ".join(f"%s::{COLUMN_TYPES[name]}[]" for name in INSERT_COLUMNS)
    + ") ON CONFLICT DO NOTHING RETURNING title_key, id"
)


class PostgresStore(Store):
    """One library in a PostgreSQL database (or a schema of one, via ``search_path``)."""

    dialect = "postgresql"
    param = "%s"
    for_update = " FOR UPDATE"
    missing_message = (
        "no readinglist library in this database yet (readinglist import FILE creates one)"
    )

    def __init__(
        self, location: LibraryLocation, *, busy_timeout: float | None = None, create: bool = True
    ) -> None:
        self.location = location
        self.busy_timeout = (
            default_busy_timeout() if busy_timeout is None else busy_timeout_seconds(busy_timeout)
        )
        try:
            import psycopg
        except ImportError as error:
            raise LibraryError(
                f"{self.name}: PostgreSQL libraries need psycopg; "
                "install it with: pip install 'readinglist[postgres]'"
            ) from error
        self._psycopg = psycopg
        self._watch: Any = None
        self._watch_lock = threading.Lock()
        self._changes = 0
        self._pool = Pool(self._connect, usable=lambda conn: not conn.closed and not conn.broken)
        try:
            self._start(self.schema_version(), create)
            self.read_only = not self._can_write()
        except BaseException:
            self.close()
            raise

    def _connect(self) -> Any:
        assert self.location.url is not None
        conn = self._psycopg.connect(
            self.location.libpq_url(),
            autocommit=True,
            connect_timeout=10,
            application_name="readinglist",
        )
        # Waiting for another writer's row lock is bounded, like SQLite's busy timeout.
        conn.execute(f"SET lock_timeout = {int(self.busy_timeout * 1000)}")
        return conn

    def close(self) -> None:
        with self._watch_lock:
            if self._watch is not None:
                self._watch.close()
                self._watch = None
        self._pool.close()

    def _reason(self, error: BaseException) -> str:
        """What the server or driver said, first line, with the password masked."""
        lines = [line.strip() for line in str(error).splitlines() if line.strip()]
        text = lines[0] if lines else type(error).__name__
        if text.startswith("connection failed") or "connection to server" in text:
            text = "cannot connect to the server: " + text.split("failed: ")[-1]
        return self.location.scrub(text)

    def _can_write(self) -> bool:
        rows = self._all(
            "SELECT has_table_privilege('paper', 'UPDATE') "
            "AND current_setting('transaction_read_only') = 'off'"
        )
        return bool(rows[0][0])

    # -- connections and transactions ---------------------------------------------------------

    @contextmanager
    def _read(self) -> Iterator[Any]:
        try:
            with self._pool.connection() as conn:
                yield conn
        except self._psycopg.Error as error:
            raise self._translate(error) from error

    @contextmanager
    def _write(self) -> Iterator[Any]:
        """One transaction; on commit, every open readinglist on this library is told."""
        self._refuse_if_read_only()
        try:
            with self._pool.connection() as conn, conn.transaction():
                yield conn
                conn.execute(f"NOTIFY {CHANNEL}")
            with self._watch_lock:  # our own commit counts now; its NOTIFY comes later
                self._changes += 1
        except self._psycopg.Error as error:
            raise self._translate(error) from error

    def _translate(self, error: Exception) -> LibraryError:
        errors = self._psycopg.errors
        reason = self._reason(error)
        # a unique key another writer took meanwhile (two imports adding one paper): the
        # import retries, and then sees that writer's row
        if isinstance(
            error, errors.DeadlockDetected | errors.SerializationFailure | errors.UniqueViolation
        ):
            return RetryableError(f"{self.name}: {reason}; nothing was changed, try again")
        if isinstance(error, errors.LockNotAvailable):
            return LibraryBusyError(
                f"{self.name}: the library is busy (someone else is writing the same papers); "
                "nothing was changed, try again"
            )
        if isinstance(error, errors.InsufficientPrivilege | errors.ReadOnlySqlTransaction):
            return LibraryReadOnlyError(f"{self.name}: {reason}; nothing was changed")
        return LibraryError(f"{self.name}: {reason}; nothing was changed")

    def _any_of(self, column: str) -> str:
        return f"{column} = ANY(%s)"

    def _many(self, values: Sequence[Any]) -> list[Any]:
        return list(values)

    def _insert_new(self, cursor: Any, rows: list[tuple[Any, ...]]) -> dict[str, int]:
        """One statement for every row: arrays of each column, unnested; in title-key
        order, so two importers of the same papers wait for each other, never deadlock."""
        rows = sorted(rows, key=itemgetter(_TITLE_KEY_AT))
        cursor.execute(_INSERT_SQL, [list(values) for values in zip(*rows, strict=True)])
        return dict(cursor.fetchall())

    def _update_rows(
        self, cursor: Any, columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:
        """One statement for every row, as the insert: arrays of each column, unnested.
        A statement per row cost 0.9 ms each (10,000 merged papers: 8.6 s) on a loaded
        machine. Only for rows that keep their title key: the rows were locked by the
        import, and no unique value moves from one to another."""
        names = (*columns, "id")
        assignments = ", ".join(f"{name} = v.{name}" for name in columns)
        arrays = ", ".join(f"%s::{COLUMN_TYPES[name]}[]" for name in names)
        cursor.execute(
            f"UPDATE paper SET {assignments} FROM unnest({arrays}) AS v({', '.join(names)}) "
            "WHERE paper.id = v.id",
            [list(values) for values in zip(*rows, strict=True)],
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
        wanted = tsquery_text(match) if match else None
        more = [] if wanted is None else [("paper.search_vector @@ %s::tsquery", [wanted])]
        where, params = self._where(query, *more)
        limited, extra = limit_sql(limit, "%s")
        if match and ranked:
            score = f"ts_rank({_WEIGHTS}, paper.search_vector, %s::tsquery)"
            sql = (
                f"SELECT paper.id, {score} AS score FROM paper{where} ORDER BY score DESC, paper.id"
            )
            params = [wanted, *params]
        elif match:
            sql = f"SELECT paper.id, 0.0 FROM paper{where} ORDER BY paper.id DESC"
        else:
            sql = f"SELECT paper.id, 0.0 FROM paper{where} ORDER BY {sort_sql('date')}"
        with self._pool.connection() as conn:
            try:
                rows = conn.execute(sql + limited, [*params, *extra]).fetchall()
            except self._psycopg.Error as error:  # e.g. a word too long for a tsquery
                if conn.broken:
                    raise self._translate(error) from error
                log.warning("full-text query failed: %s", self._reason(error))
                return []
        return [(pid, float(score)) for pid, score in rows]

    def count_matches(
        self,
        matches: Sequence[MatchQuery],
        query: ParsedQuery,
        *,
        among: Sequence[int] | None = None,
    ) -> int:
        expression = " | ".join(f"({tsquery_text(match)})" for match in matches)
        more = [("paper.search_vector @@ %s::tsquery", [expression])]
        if among is not None:
            more.append(self._id_in(among))
        where, params = self._where(query, *more)
        with self._pool.connection() as conn:
            try:
                return int(conn.execute(f"SELECT count(*) FROM paper{where}", params).fetchone()[0])
            except self._psycopg.Error as error:  # as in search_ids: no match, not a crash
                if conn.broken:
                    raise self._translate(error) from error
                log.warning("full-text query failed: %s", self._reason(error))
                return 0

    def vocabulary(self) -> list[tuple[str, int]]:
        return [
            (word, documents)
            for word, documents in self._all(
                "SELECT word, ndoc FROM ts_stat('SELECT search_vector FROM paper')"
            )
        ]

    def _trash_terms(self) -> dict[str, int]:
        """The index's own terms, counted over the papers in the trash alone."""
        sql = (
            "SELECT word, ndoc FROM ts_stat("
            "'SELECT search_vector FROM paper WHERE deleted_at IS NOT NULL')"
        )
        return {word: int(documents) for word, documents in self._all(sql)}

    def index_terms(
        self, prefix: str, *, limit: int | None = None, lengths: tuple[int, int] | None = None
    ) -> list[tuple[str, int]] | None:
        """``ts_stat`` over only the papers the GIN index finds holding a term that starts
        with ``prefix`` (every paper's costs seconds at 100,000 papers). Cheap for a word
        few papers hold: the asked vocabulary counts papers first (``Searcher``), and reads
        terms only then, or for a typo's corrections."""
        if limit == 0:
            return []
        if len(prefix) < SHORT_PREFIX:
            return None  # nearly every paper: the caller loads the vocabulary instead
        return self._terms_of_papers(f"{_lexeme(prefix)}:*", prefix, limit=limit, lengths=lengths)

    def index_accented(self, word: str, *, prefix: bool) -> list[str]:
        """Indexed spellings of ``word`` with accents (those starting so, for a prefix).

        The index keeps accents ("café"), typed words lose them. An accented spelling
        matches ``word`` up to its first accented letter, so the GIN index is asked for
        terms starting with each such beginning ("caf" + "é"…), and only the papers
        holding one are read.
        """
        starts = accented_beginnings(word)
        if not starts:
            return []
        wanted = " | ".join(f"{_lexeme(start)}:*" for start in starts)
        terms = self._terms_of_papers(wanted, "", limit=None, lengths=None, few=True)
        found = []
        for term, _holders in terms:
            plain = without_accents(term)
            if plain != term and (plain.startswith(word) if prefix else plain == word):
                found.append(term)
        return found

    def _terms_of_papers(
        self,
        tsquery: str,
        prefix: str,
        *,
        limit: int | None,
        lengths: tuple[int, int] | None,
        few: bool = False,
    ) -> list[tuple[str, int]]:
        """Terms starting with ``prefix`` of the papers matching ``tsquery``, in order.

        ``few``: the query's papers are known to be few, whatever the planner guesses (it
        takes an OR of a hundred rare prefixes for half the table, and reads every row).
        """
        papers = (  # OFFSET 0: the GIN index narrows first, not the trash's index
            "SELECT search_vector FROM (SELECT search_vector, deleted_at FROM paper"
            f" WHERE search_vector @@ %L::tsquery OFFSET 0) AS paper WHERE {NOT_DELETED}"
        )
        sql = "SELECT word, ndoc FROM ts_stat(format(%s, %s::text)) WHERE starts_with(word, %s)"
        params: list[Any] = [papers, tsquery, prefix]  # format's %L quotes the tsquery
        if lengths is not None:
            sql += " AND length(word) BETWEEN %s AND %s"
            params += lengths
        sql += ' ORDER BY word COLLATE "C"'
        if limit is not None:
            sql += " LIMIT %s"
            params.append(limit)
        with self._pool.connection() as conn:
            try:
                with conn.transaction():
                    if few:
                        conn.execute("SET LOCAL enable_seqscan = off")
                    rows = conn.execute(sql, params).fetchall()
            except self._psycopg.Error as error:  # e.g. a word too long for a tsquery
                if conn.broken:
                    raise self._translate(error) from error
                log.warning("full-text query failed: %s", self._reason(error))
                return []
        return [(word, int(documents)) for word, documents in rows]

    # -- other writers ------------------------------------------------------------------------

    def change_token(self) -> int:
        """How many commits this instance has heard of (``NOTIFY`` arrives on commit).

        A lost listening connection counts as a change too: what happened while it was
        gone is unknown, so the caller reloads.
        """
        with self._watch_lock:
            try:
                if self._watch is None:
                    self._watch = self._listen()
                    self._changes += 1
                self._watch.execute("SELECT 1")  # a round trip delivers waiting notices
            except self._psycopg.Error as error:
                log.warning("lost the change listener: %s", self._reason(error))
                if self._watch is not None:
                    self._watch.close()
                self._watch = None
                self._changes += 1
            return self._changes

    def _listen(self) -> Any:
        connection = self._connect()
        connection.add_notify_handler(self._heard)
        connection.execute(f"LISTEN {CHANNEL}")
        return connection

    def _heard(self, _notice: Any) -> None:
        self._changes += 1


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


@cache
def _accented_letters() -> dict[str, str]:
    """Each letter, and the letters that are it with accents ("e": "éèêë…")."""
    letters: dict[str, str] = {}
    latin, greek_and_cyrillic, more_latin = (
        range(0xC0, 0x250),
        range(0x370, 0x530),
        range(0x1E00, 0x1F00),
    )
    for char in map(chr, (*latin, *greek_and_cyrillic, *more_latin)):
        plain = without_accents(char)
        if len(plain) == 1 and plain != char and char.isalpha():
            letters[plain] = letters.get(plain, "") + char
    return letters


def accented_beginnings(word: str) -> list[str]:
    """How an accented spelling of ``word`` may begin: ``word`` up to a letter, then
    that letter with an accent ("cafe": "à…", "cà…", "cá…", …, "café", …)."""
    letters = _accented_letters()
    return [
        word[:at] + accented
        for at, letter in enumerate(word)
        for accented in letters.get(letter, "")
    ]


def _lexeme(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "''") + "'"
