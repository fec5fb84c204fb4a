"""The seam between the databases: what each one supplies, and what both do with it.

``StoreBase`` opens a library the same way on both (the version check, the one
"newer library" wording, migrating) and runs SQL through the hooks a database
supplies: its connections and transactions (with its errors put in words a reader
can act on), how a list of values is one parameter, the bulk insert, the full-text
search and noticing other writers. Nothing else differs: ``merging.py`` and
``store.py`` are written once, on top of it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from ..database import LibraryBusyError, LibraryError, LibraryReadOnlyError
from ..location import LibraryLocation
from ..query import MatchQuery, ParsedQuery
from .migrations import (
    SCHEMA_VERSION,
    Migration,
    migrate,
    newer_library_message,
    schema_version,
)
from .queries import Filters, filter_sql

__all__ = ["NOT_DELETED", "RetryableError", "StoreBase", "outside_trash"]

NOT_DELETED = "paper.deleted_at IS NULL"  # every read's first condition: not in the trash


def outside_trash(paper_id: str) -> str:
    """``NOT_DELETED`` asked of an index that holds ``paper_id`` but not ``deleted_at``: the
    trash's ids are read once (from the index ``deleted_at`` leads), not each match's row
    (2,000 rows cost 6 ms at 100,000 papers, their ids from an index well under 1)."""
    return f"{paper_id} NOT IN (SELECT id FROM paper WHERE deleted_at IS NOT NULL)"


class RetryableError(LibraryBusyError):
    """A deadlock or serialization failure: the transaction was rolled back; try again."""


class StoreBase:
    """One library, as far as both databases go alike. Thread-safe: each call takes its
    own connection."""

    location: LibraryLocation
    read_only: bool = False
    dialect: str = ""  # "sqlite" or "postgresql"
    param: str = "?"  # the driver's placeholder
    for_update: str = ""  # how a SELECT locks the rows it reads, where it must
    missing_message = "no library here (readinglist import FILE creates one)"

    _asker = threading.local()  # this thread's stop check (``interruptible``)

    @contextmanager
    def interruptible(self, stop: Callable[[], bool] | None) -> Iterator[None]:
        """Reads this thread makes meanwhile stop part-way, raising ``ReadInterrupted``,
        once ``stop()`` is true (SQLite; a server's reads run to their end). Reading every
        id of a broad search takes a third of a second at 100,000 papers, and a thread
        cannot be stopped: the next keystroke's search would share a core with it."""
        previous = getattr(self._asker, "stop", None)
        self._asker.stop = stop
        try:
            yield
        finally:
            self._asker.stop = previous

    def _stop_check(self) -> Callable[[], bool] | None:
        """This thread's stop check, if its reads are ``interruptible``."""
        return getattr(self._asker, "stop", None)

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

    def count_matches(
        self,
        matches: Sequence[MatchQuery],
        query: ParsedQuery,
        *,
        among: Sequence[int] | None = None,
    ) -> int:
        """How many papers pass ``query``'s filters and any of ``matches`` (and are
        ``among`` those ids, if given): ``search_ids``'s count, without the ids."""
        raise NotImplementedError

    def vocabulary(self) -> Iterable[tuple[str, int]]:
        """Every term of the full-text index with how many papers hold it (read as they
        are taken, where the driver can)."""
        raise NotImplementedError

    def index_terms(
        self, prefix: str, *, limit: int | None = None, lengths: tuple[int, int] | None = None
    ) -> list[tuple[str, int]] | None:
        """Terms of the full-text index starting with ``prefix``, in order, each with how
        many papers hold it; with ``lengths``, only terms that long (both inclusive).

        None where the index cannot be asked so: the caller loads ``vocabulary`` instead.
        """
        return None

    def index_accented(self, word: str, *, prefix: bool) -> list[str]:
        """Indexed spellings of ``word`` with accents (starting so, for a prefix); none
        where the index drops accents itself (SQLite's does)."""
        return []

    def change_token(self) -> int:
        """A number that changes whenever anyone commits a write."""
        raise NotImplementedError

    def schema_version(self) -> int:
        """The library's schema version: 0 for a new, empty one."""
        with self._read() as conn:
            return schema_version(Migration(conn.cursor(), self.dialect, self.param))

    # -- helpers ------------------------------------------------------------------------------

    def _each(self, sql: str, batch: int = 4096) -> Iterator[Any]:
        """The rows of ``sql`` as they are taken, a batch at a time: not all in memory."""
        with self._read() as conn:
            cursor = conn.cursor()
            cursor.execute(sql)
            while rows := cursor.fetchmany(batch):
                yield from rows

    def _all(self, sql: str, params: Sequence[Any] = ()) -> list[Any]:
        with self._read() as conn:
            cursor = conn.cursor()
            if params:
                cursor.execute(sql, params)
            else:  # psycopg reads "%" as a placeholder only when given parameters
                cursor.execute(sql)
            return list(cursor.fetchall())

    def _conditions(
        self, filters: ParsedQuery | None, *more: tuple[str, list[Any]], trash: bool = False
    ) -> tuple[list[str], list[Any]]:
        """The filters' conditions and ``more`` (each SQL with its parameters), among the
        papers not deleted (with ``trash``: among those in the trash). Every read of
        papers goes through here, so a deleted paper is gone from all of them."""
        clauses, params = filter_sql(filters, self.param)
        clauses.insert(0, "paper.deleted_at IS NOT NULL" if trash else NOT_DELETED)
        for clause, values in more:
            clauses.append(clause)
            params.extend(values)
        return clauses, params

    def _where(
        self, filters: ParsedQuery | None, *more: tuple[str, list[Any]], trash: bool = False
    ) -> Filters:
        clauses, params = self._conditions(filters, *more, trash=trash)
        return " WHERE " + " AND ".join(clauses), params

    def _id_in(self, paper_ids: Sequence[int]) -> tuple[str, list[Any]]:
        """``id`` is one of ``paper_ids``, as one parameter however many there are."""
        return self._any_of("paper.id"), [self._many([int(pid) for pid in paper_ids])]
