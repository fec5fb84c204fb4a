"""The library's storage: one schema (``tables.py``), one seam between SQLite and PostgreSQL.

- ``tables.py``: the SQLModel tables, the one statement of the schema, each column's
  roles marked where it is declared. Only ``derive.py`` and the tests import it.
- ``columns.py``: every column list the program uses, generated from the tables by
  ``derive.py`` (``python -m readinglist.core.storage.derive``), with the records the
  service hands out (``PaperSummary``, ``PaperRecord``); plain Python, quick to import.
- ``store.py``: ``Store``, what both databases share (opening, version checks,
  migrating, reads, the reader's writes, the import's merge loop, sightings), on the
  standard drivers; ``sqlite.py`` and ``postgres.py`` supply only what differs.
- ``migrations.py``: the named steps, each database's DDL beside the other's.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..location import LibraryLocation
    from .store import Store

__all__ = ["open_store"]


def open_store(
    location: LibraryLocation, *, busy_timeout: float | None = None, create: bool = True
) -> Store:
    """The store for a library file or a PostgreSQL URL; its driver is imported only then.

    Without ``create``, a library that does not exist yet is an error, not made.
    """
    if location.is_postgres:
        from .postgres import PostgresStore

        return PostgresStore(location, busy_timeout=busy_timeout, create=create)
    from .sqlite import SqliteStore

    assert location.path is not None
    return SqliteStore(location.path, busy_timeout=busy_timeout, create=create)
