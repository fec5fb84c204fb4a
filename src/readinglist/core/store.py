"""The library behind the service: what both databases share, and opening the right one.

``Store`` holds the reads and the reader's own writes (stars, notes, status) in
SQLAlchemy Core, so they are written once for SQLite and PostgreSQL. A backend
subclass opens the engine and owns what differs: the write transaction and its
errors, the bulk import, the full-text search, and noticing other writers.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, case, func, or_, select

from .database import (
    LibraryBusyError,
    LibraryDamagedError,
    LibraryError,
    LibraryReadOnlyError,
    newer_library_message,
    utc_now,
)
from .location import LibraryLocation
from .merge import KeyedPage, merge_notes
from .models import JSON_FIELDS, Paper, PaperRecord, PaperSummary, Sighting, Source
from .search import MatchQuery, ParsedQuery
from .sorting import SORT_KEYS

__all__ = [
    "SORT_KEYS",
    "LibraryBusyError",
    "LibraryDamagedError",
    "LibraryError",
    "LibraryReadOnlyError",
    "NoteSave",
    "Store",
    "newer_library_message",
    "open_store",
    "utc_now",
]

PAPER = Paper.__table__
SOURCE = Source.__table__
SIGHTING = Sighting.__table__
_SUMMARY_COLUMNS = (
    PAPER.c.id,
    PAPER.c.title,
    PAPER.c.date,
    PAPER.c.upvotes,
    PAPER.c.org,
    PAPER.c.starred,
    PAPER.c.note != "",
    PAPER.c.link_count,
    PAPER.c.status,
    PAPER.c.added_at,
)
_RECORD_COLUMNS = (*JSON_FIELDS, "starred_at")  # the --json fields, plus when starred


def _summaries(rows: Iterable[Sequence[Any]]) -> list[PaperSummary]:
    """List rows sharing one copy of each repeated date, organisation, status and import
    time: the driver makes a new string per row, and at 100,000 rows the copies are 20 MB."""
    shared: dict[Any, Any] = {}
    one = shared.setdefault
    return [
        PaperSummary(
            paper_id,
            title,
            one(date, date),
            upvotes,
            one(org, org),
            starred,
            has_note,
            link_count,
            one(status, status),
            one(added_at, added_at),
        )
        for (
            paper_id,
            title,
            date,
            upvotes,
            org,
            starred,
            has_note,
            link_count,
            status,
            added_at,
        ) in rows
    ]


@dataclass(frozen=True, slots=True)
class NoteSave:
    """A saved note; ``merged`` when another reader's save was kept beside ours."""

    note: str
    merged: bool


def open_store(
    location: LibraryLocation, *, busy_timeout: float | None = None, create: bool = True
) -> Store:
    """The store for a library file or a PostgreSQL URL; the driver is imported only then.

    Without ``create``, a library that does not exist yet is an error, not made.
    """
    if location.is_postgres:
        from .postgres_store import PostgresStore

        return PostgresStore(location, busy_timeout=busy_timeout, create=create)
    from .sqlite_store import SqliteStore

    assert location.path is not None
    return SqliteStore(location.path, busy_timeout=busy_timeout, create=create)


class Store:
    """One library. Thread-safe: each call takes its own connection from the pool."""

    engine: Engine
    location: LibraryLocation
    read_only: bool = False

    @property
    def name(self) -> str:
        """How messages name the library (a URL's password masked)."""
        return self.location.display

    @property
    def path(self) -> Path | None:
        return self.location.path

    def close(self) -> None:
        self.engine.dispose()

    def _refuse_if_read_only(self) -> None:
        if self.read_only:
            raise LibraryReadOnlyError(
                f"{self.name}: the library is read-only; nothing was changed"
            )

    # -- what each backend provides -----------------------------------------------------------

    def _write(self) -> AbstractContextManager[Any]:
        """One write transaction; raises LibraryError subclasses the user can read."""
        raise NotImplementedError

    def import_pages(
        self, pages: Sequence[tuple[KeyedPage, str]], today: str
    ) -> list[tuple[int, int]]:
        """Merge parsed pages (each with its source path) in one transaction, in order;
        (new, updated) for each. Raises LibraryError when none of them landed."""
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

    def title_prefix_ids(self, prefix: str, query: ParsedQuery, *, limit: int | None) -> list[int]:
        """Papers passing ``query``'s filters whose ``title_key`` starts with ``prefix``.

        A range of the unique index on ``title_key``, so it costs one probe however
        large the library; the ``startswith`` keeps it exact in any collation.
        """
        if not prefix:
            return []
        c = PAPER.c
        clauses = [c.title_key >= prefix, c.title_key.startswith(prefix, autoescape=True)]
        if ord(prefix[-1]) < sys.maxunicode:
            clauses.append(c.title_key < prefix[:-1] + chr(ord(prefix[-1]) + 1))
        statement = (
            select(c.id).where(*clauses, *filter_clauses(query)).order_by(c.title_key).limit(limit)
        )
        with self.engine.connect() as conn:
            return list(conn.execute(statement).scalars())

    def change_token(self) -> int:
        """A number that changes whenever anyone commits a write."""
        raise NotImplementedError

    def schema_version(self) -> int:
        raise NotImplementedError

    # -- the reader's own fields --------------------------------------------------------------

    def set_starred(self, paper_ids: Sequence[int], starred: bool) -> list[int]:
        """Star or unstar papers; returns the ids that do not exist."""
        now = utc_now()
        with self._write() as conn:
            found = set(conn.execute(select(PAPER.c.id).where(PAPER.c.id.in_(paper_ids))).scalars())
            if found:
                conn.execute(
                    PAPER.update()
                    .where(PAPER.c.id.in_(found), PAPER.c.starred != starred)
                    .values(starred=starred, starred_at=now if starred else None)
                )
        return [pid for pid in paper_ids if pid not in found]

    def set_note(self, paper_id: int, note: str, base: str | None = None) -> NoteSave | None:
        """Save a note written over ``base``; None for an unknown id.

        The row is locked while the stored note is compared with ``base``, so a save
        made by someone else in between is merged in (``merge_notes``), never lost.
        """
        now = utc_now()
        with self._write() as conn:
            stored = conn.execute(
                select(PAPER.c.note).where(PAPER.c.id == paper_id).with_for_update()
            ).first()
            if stored is None:
                return None
            saved = merge_notes(note, base, stored[0], now)
            conn.execute(
                PAPER.update().where(PAPER.c.id == paper_id).values(note=saved, note_updated_at=now)
            )
        return NoteSave(saved, merged=saved not in (note, stored[0]))  # both texts kept

    def set_status(self, paper_id: int, status: str) -> bool:
        with self._write() as conn:
            result = conn.execute(
                PAPER.update().where(PAPER.c.id == paper_id).values(status=status)
            )
        return result.rowcount > 0

    def cycle_status(self, paper_id: int, order: Sequence[str]) -> str | None:
        """Move to the next status in ``order`` in one statement; None for an unknown id.

        Reading the status and writing the next one separately would let two quick
        presses both move "unread" to "reading".
        """
        following = case(
            *(
                (PAPER.c.status == now, then)
                for now, then in zip(order, [*order[1:], order[0]], strict=True)
            ),
            else_=order[0],
        )
        with self._write() as conn:
            row = conn.execute(
                PAPER.update()
                .where(PAPER.c.id == paper_id)
                .values(status=following)
                .returning(PAPER.c.status)
            ).first()
        return row[0] if row else None

    # -- reads --------------------------------------------------------------------------------

    def count(self, filters: ParsedQuery | None = None) -> int:
        query = select(func.count()).select_from(PAPER)
        if filters is not None:
            query = query.where(*filter_clauses(filters))
        with self.engine.connect() as conn:
            return conn.execute(query).scalar_one()

    def summaries(
        self,
        *,
        sort: str = "date",
        filters: ParsedQuery | None = None,
        limit: int | None = None,
    ) -> list[PaperSummary]:
        """List rows in ``sort`` order, narrowed by the query's field filters."""
        query = select(*_SUMMARY_COLUMNS).order_by(*sort_order(sort))
        if filters is not None:
            query = query.where(*filter_clauses(filters))
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return _summaries(conn.execute(query))

    def ids(
        self,
        *,
        sort: str = "date",
        filters: ParsedQuery | None = None,
        among: Sequence[int] | None = None,
    ) -> list[int]:
        """Paper ids in ``sort`` order, narrowed by the query's field filters and, with
        ``among``, to those ids."""
        query = select(PAPER.c.id).order_by(*sort_order(sort))
        if filters is not None:
            query = query.where(*filter_clauses(filters))
        if among is not None:
            query = query.where(self._id_in(among))
        with self.engine.connect() as conn:
            return list(conn.execute(query).scalars())

    def summaries_of(self, paper_ids: Sequence[int]) -> dict[int, PaperSummary]:
        query = select(*_SUMMARY_COLUMNS).where(self._id_in(paper_ids))
        with self.engine.connect() as conn:
            return {summary.id: summary for summary in _summaries(conn.execute(query))}

    def records(self, paper_ids: Sequence[int]) -> list[PaperRecord]:
        """Full records for ``paper_ids``, in the order given; unknown ids are skipped."""
        columns = [PAPER.c[name] for name in _RECORD_COLUMNS]
        found: dict[int, PaperRecord] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(select(*columns).where(self._id_in(paper_ids))).all():
                values = dict(zip(_RECORD_COLUMNS, row, strict=True))
                values["links"] = PaperRecord.decode_links(values["links"])
                values["starred"] = bool(values["starred"])
                found[values["id"]] = PaperRecord(**values)
        return [found[pid] for pid in paper_ids if pid in found]

    def sources_of(self, paper_id: int) -> list[tuple[str, str]]:
        """The files a paper was seen in, with when it was last seen there."""
        query = (
            select(SOURCE.c.path, SIGHTING.c.last_seen)
            .join(SIGHTING, SIGHTING.c.source_id == SOURCE.c.id)
            .where(SIGHTING.c.paper_id == paper_id)
            .order_by(SIGHTING.c.first_seen)
        )
        with self.engine.connect() as conn:
            return [(path, seen) for path, seen in conn.execute(query)]

    def newest_id(self) -> int:
        """The highest paper id: it grows when anyone adds papers, and costs one index probe."""
        with self.engine.connect() as conn:
            return conn.execute(select(func.max(PAPER.c.id))).scalar() or 0

    def titles(self, paper_ids: Sequence[int]) -> dict[int, str]:
        query = select(PAPER.c.id, PAPER.c.title).where(self._id_in(paper_ids))
        with self.engine.connect() as conn:
            return {pid: title for pid, title in conn.execute(query).all()}

    def _id_in(self, paper_ids: Sequence[int]) -> Any:
        """``id`` is one of ``paper_ids``, as one parameter however many there are.

        SQLite reads them from a JSON array; an ``IN`` with a parameter per id costs
        SQLAlchemy milliseconds per thousand ids to compile, and has a size limit.
        """
        ids = func.json_each(json.dumps([int(pid) for pid in paper_ids])).table_valued("value")
        return PAPER.c.id.in_(select(ids.c.value))


def filter_clauses(query: ParsedQuery) -> list[Any]:
    """The field filters of a query (is:, has:, org:, year:) as SQL conditions."""
    c = PAPER.c
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


def sort_order(sort: str) -> list[Any]:
    """ORDER BY for a sort key; missing values last on both databases."""
    c = PAPER.c
    if sort == "date":
        return [c.date.desc().nulls_last(), c.id.desc()]
    if sort == "upvotes":
        return [c.upvotes.desc().nulls_last(), c.date.desc().nulls_last(), c.id]
    if sort == "title":
        return [func.lower(c.title), c.id]
    if sort == "added":
        return [c.added_at.desc(), c.id.desc()]
    if sort == "starred":
        return [c.starred_at.desc().nulls_last(), c.id.desc()]
    raise ValueError(f"unknown sort {sort!r}; choose from {', '.join(SORT_KEYS)}")


def reason(error: Exception) -> str:
    """The first line of what the database said, without SQLAlchemy's wrapping."""
    original = getattr(error, "orig", None) or error
    return str(original).splitlines()[0] if str(original) else type(original).__name__
