"""An import's pages merged into the library: the loop both databases share.

New papers go in first (the database's bulk insert), then the ones the library has are
locked in title-key order and merged (``merge.merge``: never degrade what is stored),
and every paper's sighting in its page's file is recorded. Two importers of the same
pages at once wait for each other, never deadlock; a deadlock the server reports
anyway retries the whole transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from ..database import utc_now
from ..merge import KeyedPage, merge
from .base import RetryableError, StoreBase
from .columns import FETCH_COLUMNS, UPDATE_COLUMNS
from .queries import insert_values, stored_row, update_values

__all__ = ["MergingStore"]

log = logging.getLogger(__name__)

IMPORT_ATTEMPTS = 3  # a deadlock or serialization failure is retried this many times


class MergingStore(StoreBase):
    """A library that imports parsed pages."""

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
        keys = list(incoming)  # new papers take ids in the page's order
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
                row = stored_row(values)
                paper_ids[row["title_key"]] = row["id"]
                changes = merge(row, incoming[row["title_key"]], listed_on)
                if changes:
                    updates.append(update_values({**row, **changes, "updated_at": now}))
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
