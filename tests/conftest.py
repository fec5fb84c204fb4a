"""Shared fixtures: every test gets its own READINGLIST_HOME and a fixed 'today'.

Tests that take the ``library_location`` fixture (and so ``service``, ``loaded`` and the CLI's
``run``) run twice: on a SQLite file and on PostgreSQL, each in a fresh schema of a
throwaway server. The server is ``$READINGLIST_TEST_PG_URL`` (``.ci/run`` starts one),
else one this run starts itself if PostgreSQL is installed; without either, the
PostgreSQL runs are skipped with that reason (and fail under CI, where it must exist).
Mark a test ``sqlite_only`` when it is about the file itself, ``postgres_only``
when it is about the server.
"""

from __future__ import annotations

import os
import tempfile
import uuid
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


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "library_location" in metafunc.fixturenames:
        marked = metafunc.definition.get_closest_marker
        backends = ["sqlite", "postgres"]
        if marked("sqlite_only"):
            backends = ["sqlite"]
        elif marked("postgres_only"):
            backends = ["postgres"]
        metafunc.parametrize("library_location", backends, indirect=True)


@pytest.fixture(scope="session")
def postgres_server(tmp_path_factory: pytest.TempPathFactory):
    """The URL of a PostgreSQL database the tests may fill, or a skip saying why not."""
    url = os.environ.get("READINGLIST_TEST_PG_URL")
    if url:
        yield url
        return
    from tests import pg_cluster

    reason = None
    try:
        import psycopg  # noqa: F401
    except ImportError:
        reason = "psycopg is not installed (pip install -e '.[test]')"
    if reason is None and pg_cluster.bin_dir() is None:
        reason = "no PostgreSQL server: set READINGLIST_TEST_PG_URL or install postgresql"
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL tests cannot run in CI: {reason}")
        pytest.skip(reason)
    folder = Path(tempfile.mkdtemp(prefix="rl-pg-"))  # short: a socket path fits ~100 bytes
    try:
        yield pg_cluster.start(folder)
    finally:
        pg_cluster.stop(folder)


@pytest.fixture
def library_location(request: pytest.FixtureRequest, tmp_path: Path):
    """Where a test's library lives: a file, or a fresh schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield str(tmp_path / "library.db")
        return
    import psycopg

    server = request.getfixturevalue("postgres_server")
    schema = f"test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    separator = "&" if "?" in server else "?"
    yield f"{server}{separator}options=-csearch_path%3D{schema}"
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA {schema} CASCADE")


@pytest.fixture
def service(library_location: str):
    with ReadingList(library_location, today=TODAY) as reading_list:
        yield reading_list


@pytest.fixture
def loaded(service: ReadingList, sample_pages: list[Path]) -> ReadingList:
    service.import_pages(sample_pages)
    return service


UNDO = {  # what each migration since 012 did, undone (SQL both databases run)
    "012_title_aliases": ("DROP TABLE title_alias",),
    "013_author_key": ("ALTER TABLE paper DROP COLUMN author_key",),
    "014_org_key": (
        "DROP INDEX ix_paper_date_org",
        "ALTER TABLE paper DROP COLUMN org_key",
        "CREATE INDEX ix_paper_date_org ON paper (deleted_at, date, org, org_id)",  # 009's
    ),
}


def undo_statements(since: str) -> list[str]:
    """The statements that undo migration ``since`` and every later one (from ``UNDO``),
    the latest first; ``since`` may be older than 012 (the later ones are still undone)."""
    names = [name for name in reversed(UNDO) if name >= since]
    return [statement for name in names for statement in UNDO[name]]


def downgrade_to_v1(path: Path) -> None:
    """Turn a library back into what schema version 1 wrote, to test migrations on it."""
    import sqlite3

    with sqlite3.connect(path) as conn:
        for statement in undo_statements("012"):
            conn.execute(statement)
        conn.executescript(
            "DROP TRIGGER paper_fts_update; DROP TRIGGER paper_fts_delete;"
            "DROP TABLE paper_fts_vocab; DROP TABLE paper_fts;"
            "DROP TRIGGER paper_title_fts_update; DROP TRIGGER paper_title_fts_delete;"
            "DROP TABLE paper_title_fts;"
            "ALTER TABLE paper DROP COLUMN author_names; ALTER TABLE paper DROP COLUMN github_repo;"
            "ALTER TABLE paper DROP COLUMN github_stars; ALTER TABLE paper DROP COLUMN project_page;"
            "ALTER TABLE paper DROP COLUMN ai_summary; ALTER TABLE paper DROP COLUMN keywords;"
            "ALTER TABLE paper DROP COLUMN withdrawn;"
            "DROP INDEX ix_paper_arxiv_id; ALTER TABLE paper DROP COLUMN arxiv_id;"
            "DROP INDEX ix_paper_date_org; CREATE INDEX ix_paper_date ON paper (date);"
            "DROP INDEX ix_paper_starred;"
            "DROP TABLE paper_tag;"
            "ALTER TABLE paper DROP COLUMN deleted_at;"
            "DELETE FROM schema_migration WHERE name != '001_initial'; PRAGMA user_version = 1;"
        )


def ids_of(service) -> tuple[int, ...]:
    """Every paper's id, newest listing first: what a plain list shows."""
    return tuple(row.id for row in service.papers())
