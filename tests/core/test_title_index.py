"""Titles' own full-text index (SQLite, migration 011): what each keystroke matches first.

It must hold every title as the papers' rows say, whatever wrote them: an import, a
revised title, the trash, a library made before it existed.
"""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

import pytest

from readinglist.core.service import ReadingList
from readinglist.core.storage.migrations import MIGRATIONS
from tests.conftest import TODAY, ids_of, undo_statements
from tests.hf_builder import item, write

pytestmark = pytest.mark.sqlite_only

INDEXES = ("paper_fts", "paper_title_fts")


def listed(arxiv_id: str, title: str, day: str, summary: str = "We study things.") -> dict:
    return item(
        id=arxiv_id, title=title, summary=summary, submittedOnDailyAt=f"{day}T08:00:00.000Z"
    )


def import_items(service: ReadingList, tmp_path: Path, items: list[dict]) -> None:
    service.import_pages([write(tmp_path, f"{uuid.uuid4().hex}.json", json.dumps(items))])


def indexes_agree(library: str) -> None:
    """FTS5's own check that each index holds exactly what the papers' rows say."""
    with sqlite3.connect(library) as conn:
        for index in INDEXES:
            conn.execute(f"INSERT INTO {index} ({index}, rank) VALUES ('integrity-check', 1)")


def found(service: ReadingList, query: str) -> list[str]:
    return [row.title for row in service.search_rows(query, limit=50).rows]


def test_title_searches_follow_revised_titles_the_trash_and_emptying_it(
    library_location: str, tmp_path: Path
):
    with ReadingList(library_location, today=TODAY) as service:
        import_items(
            service,
            tmp_path,
            [
                listed("2601.00001", "Quokka Transformers", "2026-03-06"),
                listed("2601.00002", "Wombat Transformers", "2026-03-06"),
            ],
        )
        assert found(service, "quo") == ["Quokka Transformers"]  # a short word: titles only
        import_items(
            service, tmp_path, [listed("2601.00001", "Platypus Transformers", "2026-03-09")]
        )
        assert found(service, "quo") == [] and found(service, "quokka") == []
        assert found(service, "platyp") == ["Platypus Transformers"]
        [platypus] = [hit.id for hit in service.search("platypus")]
        service.delete([platypus])
        assert found(service, "pla") == [] and found(service, "platypus") == []
        assert found(service, "transformers") == ["Wombat Transformers"]
        service.undelete([platypus])
        assert found(service, "pla") == ["Platypus Transformers"]
        service.delete([platypus])
        assert service.empty_trash() == 1
        assert found(service, "platypus") == []
    indexes_agree(library_location)


def test_a_library_made_before_the_title_index_gains_one_holding_every_title(
    library_location: str, tmp_path: Path, sample_pages: list[Path]
):
    with ReadingList(library_location, today=TODAY) as service:
        service.import_pages(sample_pages)
        before = {query: found(service, query) for query in ("tra", "diffusion", "lang mod")}
        papers = ids_of(service)
    names = [name for name, _step in MIGRATIONS]
    with sqlite3.connect(library_location) as conn:
        for statement in undo_statements("012"):
            conn.execute(statement)
        conn.executescript(
            "DROP TRIGGER paper_title_fts_update; DROP TRIGGER paper_title_fts_delete;"
            "DROP TABLE paper_title_fts;"
        )
        conn.execute("DELETE FROM schema_migration WHERE name >= '011_title_index'")
        conn.execute(f"PRAGMA user_version = {names.index('011_title_index')}")
    with ReadingList(library_location, today=TODAY) as migrated:  # migrates when opened
        assert migrated.schema_version() == len(MIGRATIONS)
        assert ids_of(migrated) == papers
        assert {query: found(migrated, query) for query in before} == before
        assert all(before.values())
    indexes_agree(library_location)
