"""SQLite's planner gets statistics once a library is large, so a search finds the titles
that start with a query through the title index, not by reading every paper."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from readinglist.core.service import ReadingList
from readinglist.core.storage.sqlite import ANALYZED_FROM

TITLES_STARTING = (
    "EXPLAIN QUERY PLAN SELECT paper.id FROM paper WHERE paper.deleted_at IS NULL "
    "AND paper.title_key >= ? AND paper.title_key < ? ORDER BY paper.title_key LIMIT 50"
)


def page_of(tmp_path: Path, papers: int) -> Path:
    page = tmp_path / f"page-{papers}.txt"
    page.write_text(
        "Daily Papers\n\n"
        + "".join(
            f"Paper number {n} on quokkas\n\nAn abstract long enough to read as one, for {n}.\n\n"
            for n in range(papers)
        ),
        encoding="utf-8",
    )
    return page


def plan(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        rows = conn.execute(TITLES_STARTING, ["paper number 1", "paper number 2"]).fetchall()
    return " ".join(str(row[-1]) for row in rows)


def has_statistics(path: Path) -> bool:
    with sqlite3.connect(path) as conn:
        query = "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
        return conn.execute(query).fetchone() is not None


@pytest.mark.sqlite_only
def test_a_large_import_gives_the_planner_statistics_and_titles_their_index(
    tmp_path: Path,
):
    library = tmp_path / "library.db"
    with ReadingList(library) as service:
        [small] = service.import_pages([page_of(tmp_path, 10)])
        assert small.ok
        assert not has_statistics(library)  # ten papers' statistics would mislead later
        [large] = service.import_pages([page_of(tmp_path, ANALYZED_FROM)])
        assert large.ok
    assert has_statistics(library)
    assert "title_key" in plan(library), plan(library)
    with ReadingList(library) as service:
        assert len(service.search("paper number 99", limit=None)) >= 1
