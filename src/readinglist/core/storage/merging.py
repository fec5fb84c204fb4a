"""An import's pages merged into the library: the loop both databases share.

A paper is the library's paper with the same arXiv id (its version aside), else the
one with the same title key, unless that one has another id: two ids are two papers,
the later one keyed apart (``_Found.keyed_apart``). The rows a page may be are locked
in title-key order and merged (``merge.merge``: never degrade what is stored; the
title follows the newest listing of an arXiv id), the others inserted (the database's
bulk insert), and every paper's sighting in its page's file recorded. A paper in the
trash is left as it is: the import skips it and counts it. Two importers of the same
pages at once wait for each other; a deadlock the server reports anyway retries the
transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from ..database import utc_now
from ..merge import KeyedPage, distinct_title_key, merge
from ..parse import ParsedPaper
from .base import RetryableError, StoreBase
from .columns import FETCH_COLUMNS, UPDATE_COLUMNS
from .queries import insert_values, stored_row, update_sql, update_values, updated_columns

__all__ = ["MergingStore"]

log = logging.getLogger(__name__)

IMPORT_ATTEMPTS = 3  # a deadlock or serialization failure is retried this many times


class MergingStore(StoreBase):
    """A library that imports parsed pages."""

    def import_pages(
        self, pages: Sequence[tuple[KeyedPage, str]], today: str
    ) -> list[tuple[int, int, int]]:
        """Merge parsed pages (each with its source path) in one transaction, in order;
        (new, updated, skipped as deleted) for each. Retried whole after a deadlock.

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
    ) -> tuple[int, int, int]:
        """Merge a page's papers into the ones the library has, insert the others, and
        record the sightings; (new, updated, skipped). A paper in the trash is skipped:
        neither merged nor seen, so importing a page never brings it back.

        A paper is the library's paper with its arXiv id, else the one with its title
        key. The rows are locked first, in title-key order, so two importers of the same
        pages wait for each other; a paper another importer added meanwhile (or one this
        page lists under two keys) is merged in a second pass.
        """
        page, papers = keyed
        listed_on = page.listing_date or today
        found = _Found(*self._lock(cursor, papers))
        papers = found.keyed_apart(papers)
        first, later = _split_new([item for item in papers if found.row_of(*item) is None])
        rows = [insert_values(key, paper, listed_on, now) for key, paper in first]
        inserted = self._insert_new(cursor, rows) if rows else {}
        again = later + [(key, paper) for key, paper in first if key not in inserted]
        added = {id(paper) for key, paper in first if key in inserted}
        if again:  # another importer may have added some of them (PostgreSQL) meanwhile
            found.add(*self._lock(cursor, again))
            # ... or another paper under the title of one: that one is keyed apart, added now
            rekeyed = found.keyed_apart(again)
            missing = [(key, paper) for key, paper in rekeyed if found.row_of(key, paper) is None]
            if missing:
                rows = [insert_values(key, paper, listed_on, now) for key, paper in missing]
                inserted.update(self._insert_new(cursor, rows))
                added |= {id(paper) for key, paper in missing if key in inserted}
            keys = {id(paper): key for key, paper in rekeyed}
            papers = [(keys.get(id(paper), key), paper) for key, paper in papers]
        changed: dict[int, tuple[dict[str, Any], set[str]]] = {}  # by id: row, changed columns
        skipped: set[int] = set()
        retitled: list[tuple[str, int]] = []  # (former title key, paper id)
        for key, paper in papers:
            if id(paper) in added:  # (another paper of the page may have its title key)
                continue
            row = found.row_of(key, paper)
            if row is None:  # not in the library, yet not inserted: cannot happen
                log.warning("%s: a paper neither added nor found", source_path)
                continue
            if row["id"] in found.deleted:
                skipped.add(row["id"])
                if paper.arxiv_id and not row["arxiv_id"] and paper.arxiv_id not in found.by_id:
                    # it keeps its place in the trash, but learns its id: a later listing
                    # of that id under another title is this paper, not a new one
                    identified = {"arxiv_id": paper.arxiv_id}
                    found.update(row, identified)
                    changed.setdefault(row["id"], (row, set()))[1].update(identified)
                continue
            by_id = bool(paper.arxiv_id) and row["arxiv_id"] == paper.arxiv_id
            # ``key`` is the title key of the paper's own title: free for it to take (or
            # one of its own former ones)?
            retitle = by_id and (
                found.by_key.get(key) is row or not (key in found.by_key or key in inserted)
            )
            changes = merge(row, paper, listed_on, retitle=retitle)
            if changes:
                if "title_key" in changes:
                    retitled.append((row["title_key"], row["id"]))
                found.update(row, changes)
                changed.setdefault(row["id"], (row, {"updated_at"}))[1].update(changes)
        paper_ids = {*inserted.values(), *(row["id"] for row in found.rows_of(papers))}
        paper_ids -= found.deleted
        self._update_merged(cursor, list(changed.values()), now)
        self._keep_former_titles(cursor, retitled)
        self._record_sightings(cursor, source_path, page.listing_date, sorted(paper_ids), now)
        updated = len(changed.keys() - skipped)  # a paper in the trash is counted skipped
        return len(inserted), updated, len(skipped)

    def _update_merged(
        self, cursor: Any, changed: list[tuple[dict[str, Any], set[str]]], now: str
    ) -> None:
        """Write the merged rows: of each, only the columns its merges changed, one
        statement for all the rows that changed the same columns.

        A listing that only brings new upvotes or a date leaves the text columns out of
        the statement, so neither database indexes the paper's text again (SQLite's
        trigger fires on an UPDATE that sets an indexed column, PostgreSQL recomputes
        the search vector when one it reads is set): that was most of a re-import.
        A retitled row is written whole, in the order the merges went, so a title key
        one row gave up is free when the next takes it.
        """
        batches: dict[tuple[str, ...], list[tuple[Any, ...]]] = {}
        for row, names in changed:
            columns = UPDATE_COLUMNS if "title_key" in names else updated_columns(names)
            batches.setdefault(columns, []).append(
                update_values({**row, "updated_at": now}, columns)
            )
        for columns, values in batches.items():
            if columns is UPDATE_COLUMNS:  # retitled: one at a time, in order
                cursor.executemany(update_sql(columns, self.param), values)
            else:
                self._update_rows(cursor, columns, values)

    def _update_rows(
        self, cursor: Any, columns: Sequence[str], rows: list[tuple[Any, ...]]
    ) -> None:
        """Set ``columns`` of several papers, each row its values then its id (a
        database may do it in one statement: PostgreSQL does)."""
        cursor.executemany(update_sql(columns, self.param), rows)

    def _lock(
        self, cursor: Any, papers: list[tuple[str, ParsedPaper]]
    ) -> tuple[list[tuple[dict[str, Any], bool]], list[tuple[str, int]]]:
        """The library's rows for these papers (by arXiv id, title key or former title
        key), each with whether it is in the trash, locked for this transaction where the
        database locks rows, in title-key order; and the former title keys among theirs
        (title key, paper id)."""
        ids = sorted({paper.arxiv_id for _key, paper in papers if paper.arxiv_id})
        keys = self._many(sorted({key for key, _paper in papers}))
        cursor.execute(
            f"SELECT title_key, paper_id FROM title_alias WHERE {self._any_of('title_key')}",
            (keys,),
        )
        aliases = [(key, paper_id) for key, paper_id in cursor.fetchall()]
        cursor.execute(
            f"SELECT {', '.join(FETCH_COLUMNS)}, deleted_at FROM paper "
            f"WHERE {self._any_of('arxiv_id')} OR {self._any_of('title_key')} "
            f"OR {self._any_of('id')} ORDER BY title_key{self.for_update}",
            (self._many(ids), keys, self._many(sorted({pid for _key, pid in aliases}))),
        )
        rows = [(stored_row(values[:-1]), values[-1] is not None) for values in cursor.fetchall()]
        return rows, aliases

    def _keep_former_titles(self, cursor: Any, retitled: list[tuple[str, int]]) -> None:
        """Remember the title keys retitled papers gave up (``TitleAlias``)."""
        if retitled:
            p = self.param
            cursor.executemany(
                f"INSERT INTO title_alias (title_key, paper_id) VALUES ({p}, {p}) "
                "ON CONFLICT (title_key) DO UPDATE SET paper_id = excluded.paper_id",
                retitled,
            )

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


class _Found:
    """The rows a page's papers may be, by arXiv id and by title key, and which of them
    are in the trash (their ids)."""

    def __init__(
        self, rows: list[tuple[dict[str, Any], bool]], aliases: list[tuple[str, int]]
    ) -> None:
        self.by_id: dict[str, dict[str, Any]] = {}
        self.by_key: dict[str, dict[str, Any]] = {}
        self.deleted: set[int] = set()
        self.add(rows, aliases)

    def add(self, rows: list[tuple[dict[str, Any], bool]], aliases: list[tuple[str, int]]) -> None:
        """Rows, and former title keys of theirs (a paper's own title key comes first)."""
        by_paper_id = {}
        for row, deleted in rows:
            if deleted:
                self.deleted.add(row["id"])
            if row["arxiv_id"]:
                self.by_id.setdefault(row["arxiv_id"], row)
            self.by_key.setdefault(row["title_key"], row)
            by_paper_id[row["id"]] = row
        for key, paper_id in aliases:
            if paper_id in by_paper_id:
                self.by_key.setdefault(key, by_paper_id[paper_id])

    def row_of(self, key: str, paper: ParsedPaper) -> dict[str, Any] | None:
        """The paper's row: the one with its arXiv id, else the one with its title key,
        unless that one has another id (another paper)."""
        if paper.arxiv_id and paper.arxiv_id in self.by_id:
            return self.by_id[paper.arxiv_id]
        row = self.by_key.get(key)
        if row is not None and paper.arxiv_id and row["arxiv_id"] not in (None, paper.arxiv_id):
            return None
        return row

    def keyed_apart(self, papers: list[tuple[str, ParsedPaper]]) -> list[tuple[str, ParsedPaper]]:
        """The papers, each with an arXiv id the library lacks whose title key belongs to
        a paper with another id (in the library, or earlier in the page) keyed apart
        (``distinct_title_key``): two ids are two papers, whatever their titles. The
        first such paper takes a row without an id that has its title key."""
        holders = {key: row["arxiv_id"] for key, row in self.by_key.items()}
        keyed = []
        for key, paper in papers:
            arxiv_id = paper.arxiv_id
            if arxiv_id and arxiv_id not in self.by_id:
                holder = holders.setdefault(key, arxiv_id) or arxiv_id
                holders[key] = holder
                if holder != arxiv_id:
                    key = distinct_title_key(key, arxiv_id)
            keyed.append((key, paper))
        return keyed

    def rows_of(self, papers: list[tuple[str, ParsedPaper]]) -> list[dict[str, Any]]:
        return [row for key, paper in papers if (row := self.row_of(key, paper)) is not None]

    def update(self, row: dict[str, Any], changes: dict[str, Any]) -> None:
        """Apply a merge's changes, keeping the indexes true of the row."""
        if "title_key" in changes and self.by_key.get(row["title_key"]) is row:
            del self.by_key[row["title_key"]]
            self.by_key[changes["title_key"]] = row
        if changes.get("arxiv_id"):
            self.by_id.setdefault(changes["arxiv_id"], row)
        row.update(changes)


def _split_new(
    papers: list[tuple[str, ParsedPaper]],
) -> tuple[list[tuple[str, ParsedPaper]], list[tuple[str, ParsedPaper]]]:
    """New papers to insert at once, and those sharing a title key or arXiv id with an
    earlier one (merged into it once it is in)."""
    keys: set[str] = set()
    ids: set[str] = set()
    first, later = [], []
    for key, paper in papers:
        if key in keys or (paper.arxiv_id and paper.arxiv_id in ids):
            later.append((key, paper))
            continue
        keys.add(key)
        if paper.arxiv_id:
            ids.add(paper.arxiv_id)
        first.append((key, paper))
    return first, later
