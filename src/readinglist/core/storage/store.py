"""The library behind the service: its reads and the reader's own writes, written once.

``Store`` reads papers (list rows, records, counts, ids in a sort order, title
prefixes) and writes stars, notes and status, on the standard drivers (``sqlite3``,
``psycopg``) with SQL built from the column lists ``columns.py`` derives from the
tables. It stands on ``MergingStore`` (imports, ``merging.py``) and ``StoreBase``
(opening, and the seam each database fills in, ``base.py``); ``sqlite.py`` and
``postgres.py`` supply only what differs between the two.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from ..database import utc_now
from ..merge import merge_notes
from ..query import ParsedQuery, query_words
from .base import NOT_DELETED, RetryableError, outside_trash
from .columns import (
    ARRAY_COLUMNS,
    BOOL_COLUMNS,
    RECORD_COLUMNS,
    REPEATED_COLUMNS,
    SUMMARY_COLUMNS,
    SUMMARY_TESTS,
    PaperRecord,
    PaperSummary,
)
from .merging import MergingStore
from .migrations import FULL_TEXT_COLUMNS
from .queries import SORT_KEYS, limit_sql, sort_sql
from .values import decode_array

__all__ = ["SORT_KEYS", "NoteSave", "RetryableError", "Store"]

_SUMMARY_SELECT = ", ".join(
    f"(paper.{SUMMARY_TESTS[name]} <> '')" if name in SUMMARY_TESTS else f"paper.{name}"
    for name in SUMMARY_COLUMNS
)
_SHARED_AT = tuple(SUMMARY_COLUMNS.index(name) for name in REPEATED_COLUMNS)
_BOOLS_AT = tuple(
    i for i, name in enumerate(SUMMARY_COLUMNS) if name in BOOL_COLUMNS or name in SUMMARY_TESTS
)


@dataclass(frozen=True, slots=True)
class NoteSave:
    """A saved note; ``merged`` when another reader's save was kept beside ours."""

    note: str
    merged: bool


def _summaries(
    rows: Iterable[Sequence[Any]], tags: Mapping[int, tuple[str, ...]]
) -> list[PaperSummary]:
    """List rows (with their ``tags``) sharing one copy of each repeated date,
    organisation, status and import time: the driver makes a new string per row, and at
    100,000 rows the copies are 20 MB."""
    shared: dict[Any, Any] = {}
    one = shared.setdefault
    summaries = []
    for row in rows:
        values = list(row)
        for at in _SHARED_AT:
            values[at] = one(values[at], values[at])
        for at in _BOOLS_AT:
            values[at] = bool(values[at])
        values.append(tags.get(values[0], ()))
        summaries.append(PaperSummary(*values))
    return summaries


def _record(row: Sequence[Any]) -> PaperRecord:
    values = dict(zip(RECORD_COLUMNS, row, strict=True))
    for name in ARRAY_COLUMNS:
        values[name] = decode_array(values[name])
    for name in BOOL_COLUMNS:
        values[name] = bool(values[name])
    return PaperRecord(**values)


class Store(MergingStore):
    """One library: its reads and the reader's own writes, on top of the seam."""

    # -- the reader's own fields --------------------------------------------------------------

    def set_starred(self, paper_ids: Sequence[int], starred: bool) -> list[int]:
        """Star or unstar papers, all in one transaction; returns the ids that do not exist
        (or are in the trash), and then changes nothing."""
        p, wanted = self.param, sorted({int(pid) for pid in paper_ids})
        with self._write() as conn:
            cursor = conn.cursor()
            missing = self._missing(cursor, wanted)
            if not missing:
                cursor.execute(
                    f"UPDATE paper SET starred = {p}, starred_at = {p} "
                    f"WHERE {self._any_of('id')} AND starred <> {p}",
                    (starred, utc_now() if starred else None, self._many(wanted), starred),
                )
        return missing

    def set_note(self, paper_id: int, note: str, base: str | None = None) -> NoteSave | None:
        """Save a note written over ``base``; None for an unknown id.

        The row is locked while the stored note is compared with ``base``, so a save
        made by someone else in between is merged in (``merge_notes``), never lost.
        """
        p, now = self.param, utc_now()
        with self._write() as conn:
            cursor = conn.cursor()
            cursor.execute(
                f"SELECT note FROM paper WHERE id = {p} AND deleted_at IS NULL{self.for_update}",
                (paper_id,),
            )
            stored = cursor.fetchone()
            if stored is None:
                return None
            saved = merge_notes(note, base, stored[0], now)
            cursor.execute(
                f"UPDATE paper SET note = {p}, note_updated_at = {p} WHERE id = {p}",
                (saved, now, paper_id),
            )
        return NoteSave(saved, merged=saved not in (note, stored[0]))  # both texts kept

    def set_statuses(self, statuses: Mapping[int, str]) -> list[int]:
        """Give each paper its status, all in one transaction; returns the ids that do not
        exist, and then changes nothing."""
        wanted = sorted({int(pid) for pid in statuses})
        with self._write() as conn:
            cursor = conn.cursor()
            missing = self._missing(cursor, wanted)
            if missing:
                return missing
            by_status: dict[str, list[int]] = {}
            for pid, status in statuses.items():
                by_status.setdefault(status, []).append(int(pid))
            for status, ids in by_status.items():
                cursor.execute(
                    f"UPDATE paper SET status = {self.param} "
                    f"WHERE {self._any_of('id')} AND status <> {self.param}",
                    (status, self._many(sorted(ids)), status),
                )
        return []

    def _missing(self, cursor: Any, paper_ids: Sequence[int]) -> list[int]:
        """Of ``paper_ids``, those no paper outside the trash has, read in the caller's
        transaction."""
        cursor.execute(
            f"SELECT id FROM paper WHERE {self._any_of('id')} AND deleted_at IS NULL",
            (self._many(list(paper_ids)),),
        )
        found = {pid for (pid,) in cursor.fetchall()}
        return [pid for pid in paper_ids if pid not in found]

    def set_tagged(self, paper_ids: Sequence[int], tag: str, tagged: bool) -> list[int]:
        """Add the tag ``tag`` to papers (or, not ``tagged``, take it off), all in one
        transaction; returns the ids that do not exist, and then changes nothing."""
        p, wanted = self.param, sorted({int(pid) for pid in paper_ids})
        with self._write() as conn:
            cursor = conn.cursor()
            missing = self._missing(cursor, wanted)
            if missing:
                return missing
            if tagged:
                cursor.execute(
                    f"INSERT INTO paper_tag (paper_id, tag, tagged_at) SELECT id, {p}, {p} "
                    f"FROM paper WHERE {self._any_of('id')} ON CONFLICT DO NOTHING",
                    (tag, utc_now(), self._many(wanted)),
                )
            else:
                cursor.execute(
                    f"DELETE FROM paper_tag WHERE tag = {p} AND {self._any_of('paper_id')}",
                    (tag, self._many(wanted)),
                )
        return []

    def set_status(self, paper_id: int, status: str) -> bool:
        with self._write() as conn:
            cursor = conn.cursor()
            cursor.execute(
                f"UPDATE paper SET status = {self.param} "
                f"WHERE id = {self.param} AND deleted_at IS NULL",
                (status, paper_id),
            )
            return bool(cursor.rowcount > 0)

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
                f"WHERE id = {p} AND deleted_at IS NULL RETURNING status",
                (*params, order[0], paper_id),
            )
            row = cursor.fetchone()
        return row[0] if row else None

    # -- the trash -----------------------------------------------------------------------------

    def set_deleted(self, paper_ids: Sequence[int], deleted: bool) -> list[int]:
        """Move papers to the trash (``deleted``) or back out of it, in one transaction.

        Returns the ids that are not there to move (no such paper, or already where they
        were asked to go); when there are any, nothing is changed. A paper keeps its row,
        star, note and status in the trash.
        """
        wanted = sorted({int(pid) for pid in paper_ids})
        now_in = "NULL" if deleted else "NOT NULL"
        with self._write() as conn:
            cursor = conn.cursor()
            cursor.execute(
                f"SELECT id FROM paper WHERE {self._any_of('id')} "
                f"AND deleted_at IS {now_in}{self.for_update}",
                (self._many(wanted),),
            )
            found = {pid for (pid,) in cursor.fetchall()}
            missing = [pid for pid in paper_ids if pid not in found]
            if not missing:
                cursor.execute(
                    f"UPDATE paper SET deleted_at = {self.param} WHERE {self._any_of('id')}",
                    (utc_now() if deleted else None, self._many(wanted)),
                )
        return missing

    def trash(self) -> list[PaperRecord]:
        """The papers in the trash, most recently deleted first."""
        where, params = self._where(None, trash=True)
        sql = (
            f"SELECT {', '.join(RECORD_COLUMNS)} FROM paper{where} "
            "ORDER BY paper.deleted_at DESC, paper.id DESC"
        )
        return [_record(row) for row in self._all(sql, params)]

    def count_trash(self) -> int:
        """How many papers are in the trash."""
        where, params = self._where(None, trash=True)
        return int(self._all(f"SELECT count(*) FROM paper{where}", params)[0][0])

    def in_trash(self, paper_ids: Sequence[int]) -> list[int]:
        """Of ``paper_ids``, those in the trash, in the order given."""
        where, params = self._where(None, self._id_in(paper_ids), trash=True)
        found = {pid for (pid,) in self._all(f"SELECT paper.id FROM paper{where}", params)}
        return [pid for pid in paper_ids if pid in found]

    def trash_signature(self) -> tuple[Any, ...]:
        """Changes whenever a paper goes into the trash or leaves it (one index range)."""
        where, params = self._where(None, trash=True)
        sql = f"SELECT count(*), max(paper.deleted_at), sum(paper.id) FROM paper{where}"
        return tuple(self._all(sql, params)[0])

    def trash_words(self) -> tuple[list[int], dict[str, int]]:
        """The papers in the trash, and the terms of the full-text index they hold, each
        with how many of them hold it: what the typo vocabulary leaves out."""
        where, params = self._where(None, trash=True)
        rows = self._all(f"SELECT paper.id FROM paper{where}", params)
        ids = [pid for (pid,) in rows]
        return ids, self._trash_terms() if ids else {}

    def _trash_terms(self) -> dict[str, int]:
        """The index's terms in the papers in the trash, as the tokenizer makes them
        (``query_words``: SQLite's, case-folded and without diacritics)."""
        where, params = self._where(None, trash=True)
        sql = f"SELECT {', '.join(FULL_TEXT_COLUMNS)} FROM paper{where}"
        holders: dict[str, int] = {}
        for row in self._all(sql, params):
            for word in set(query_words(" ".join(value or "" for value in row))):
                holders[word] = holders.get(word, 0) + 1
        return holders

    def empty_trash(self) -> int:
        """Delete the papers in the trash for good (their sightings go with them); how many."""
        with self._write() as conn:
            cursor = conn.cursor()
            cursor.execute("DELETE FROM paper WHERE deleted_at IS NOT NULL")
            return int(cursor.rowcount)

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
        offset: int = 0,
    ) -> list[PaperSummary]:
        """List rows in ``sort`` order, narrowed by the query's field filters, from the
        ``offset``-th on."""
        where, params = self._where(filters)
        limited, extra = limit_sql(limit, self.param, offset)
        sql = f"SELECT {_SUMMARY_SELECT} FROM paper{where} ORDER BY {sort_sql(sort)}{limited}"
        return self._with_tags(self._all(sql, [*params, *extra]))

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
        return {summary.id: summary for summary in self._with_tags(rows)}

    def _with_tags(self, rows: Sequence[Sequence[Any]]) -> list[PaperSummary]:
        """List rows with their tags: one more question for the whole page, not one a row."""
        tags = self.tags_of([row[0] for row in rows]) if rows else {}
        return _summaries(rows, tags)

    def records(self, paper_ids: Sequence[int]) -> list[PaperRecord]:
        """Full records for ``paper_ids``, in the order given; unknown ids are skipped."""
        where, params = self._where(None, self._id_in(paper_ids))
        rows = self._all(f"SELECT {', '.join(RECORD_COLUMNS)} FROM paper{where}", params)
        found = {record.id: record for record in map(_record, rows)}
        tags = self.tags_of(list(found)) if found else {}
        return [
            replace(found[pid], tags=tags[pid]) if pid in tags else found[pid]
            for pid in paper_ids
            if pid in found
        ]

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag with how many papers carry it, by name."""
        where, params = self._where(None, ("paper_tag.paper_id = paper.id", []))
        sql = (
            f"SELECT paper_tag.tag, count(*) FROM paper_tag, paper{where} "
            "GROUP BY paper_tag.tag ORDER BY paper_tag.tag"
        )
        return [(tag, int(count)) for tag, count in self._all(sql, params)]

    def tags_of(self, paper_ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
        """The tags of each of ``paper_ids`` that carries any, by name."""
        sql = (
            f"SELECT paper_id, tag FROM paper_tag WHERE {self._any_of('paper_id')} "
            "ORDER BY paper_id, tag"
        )
        tags: dict[int, list[str]] = {}
        for pid, tag in self._all(sql, [self._many([int(pid) for pid in paper_ids])]):
            tags.setdefault(pid, []).append(tag)
        return {pid: tuple(names) for pid, names in tags.items()}

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
        # SQLite would walk the index the trash test leads (every paper, then a sort:
        # 300 ms at 100,000, twice a keystroke): the same test, on the title index's ids
        where = where.replace(NOT_DELETED, outside_trash("paper.id"), 1)
        limited, extra = limit_sql(limit, p)
        sql = f"SELECT paper.id FROM paper{where} ORDER BY paper.title_key{limited}"
        return [pid for (pid,) in self._all(sql, [*params, *extra])]
