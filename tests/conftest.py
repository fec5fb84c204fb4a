"""Shared fixtures: every test gets its own READINGLIST_HOME and a fixed 'today'."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from readinglist.core.service import ReadingList

SAMPLES = Path(__file__).resolve().parents[1] / "assets" / "samples"
TODAY = date(2026, 11, 25)


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("READINGLIST_HOME", str(home))
    monkeypatch.delenv("READINGLIST_DB", raising=False)
    return home


@pytest.fixture
def sample_pages() -> list[Path]:
    return sorted(SAMPLES.glob("*.txt"))


@pytest.fixture
def service(tmp_path: Path):
    with ReadingList(tmp_path / "library.db", today=TODAY) as reading_list:
        yield reading_list


@pytest.fixture
def loaded(service: ReadingList, sample_pages: list[Path]) -> ReadingList:
    service.import_pages(sample_pages)
    return service


def downgrade_to_v1(path: Path) -> None:
    """Turn a library back into what schema version 1 wrote, to test migrations on it."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        conn.executescript(
            "DROP INDEX ix_paper_starred; DROP TRIGGER paper_fts_update; DROP TRIGGER paper_fts_delete;"
            "DROP TABLE paper_fts_vocab; DROP TABLE paper_fts;"
            "DELETE FROM schema_migration WHERE name != '001_initial'; PRAGMA user_version = 1;"
        )
