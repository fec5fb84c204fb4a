"""PostgreSQL specifics: masked passwords, schema versions, read-only roles, a missing driver.

The shared behaviour (import, merge, search, stars, notes, the CLI) is tested on both
backends through the ``library_location`` fixture; these are what only a server has.
"""

from __future__ import annotations

import uuid

import pytest
from click.testing import CliRunner

from readinglist.cli import cli
from readinglist.core.database import LibraryReadOnlyError
from readinglist.core.location import LibraryLocation
from readinglist.core.service import LibraryError, ReadingList
from tests.conftest import SAMPLES, TODAY

SECRET = "s3cr%40t-pw"  # URL-encoded "s3cr@t-pw"
UNREACHABLE = f"postgresql://alice:{SECRET}@127.0.0.1:1/lab"


def test_location_masks_the_password():
    location = LibraryLocation.parse(UNREACHABLE)
    assert location.is_postgres and location.path is None
    assert location.display == "postgresql://alice:***@127.0.0.1:1/lab"
    assert "s3cr" not in repr(location) and "s3cr" not in str(location)
    assert location.scrub("auth failed for s3cr@t-pw and s3cr%40t-pw") == (
        "auth failed for *** and ***"
    )
    assert LibraryLocation.parse("postgres://bob@db/lab").display == "postgres://bob@db/lab"
    assert LibraryLocation.parse("~/lab.db").path is not None


def test_password_never_reaches_output(monkeypatch: pytest.MonkeyPatch):
    with pytest.raises(LibraryError) as caught:
        ReadingList(UNREACHABLE)
    message = str(caught.value)
    assert "s3cr" not in message and "***" in message
    assert "cannot connect to the server" in message and "\n" not in message
    runner = CliRunner()
    for args in (["--db", UNREACHABLE, "list"], ["--db", UNREACHABLE, "paths"]):
        result = runner.invoke(cli, args)
        assert "s3cr" not in result.output + result.stderr
    monkeypatch.setenv("READINGLIST_DB", UNREACHABLE)
    result = runner.invoke(cli, ["search", "bert"])
    assert result.exit_code == 1
    assert result.stderr.startswith("error: postgresql://alice:***@127.0.0.1:1/lab: ")
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output


@pytest.fixture
def pg_library(library_location: str) -> str:
    assert library_location.startswith("postgresql")
    return library_location


@pytest.mark.postgres_only
def test_newer_schema_is_refused(pg_library: str):
    import psycopg

    with ReadingList(pg_library, today=TODAY) as service:
        service.import_pages([SAMPLES / "daily-papers-page-a.txt"])
    with psycopg.connect(pg_library, autocommit=True) as conn:
        conn.execute("INSERT INTO schema_migration (name, applied_at) VALUES ('999_future', 'x')")
    with pytest.raises(LibraryError, match="newer than this readinglist"):
        ReadingList(pg_library)


@pytest.mark.postgres_only
def test_backup_commands_point_to_the_server(pg_library: str):
    result = CliRunner().invoke(cli, ["--db", pg_library, "backup"])
    assert result.exit_code == 1 and "pg_dump" in result.stderr
    with ReadingList(pg_library, today=TODAY) as service:
        service.import_pages([SAMPLES / "daily-papers-page-a.txt"])
        service.star([1, 2])
        service.set_note(2, "read")
    result = CliRunner().invoke(cli, ["--db", pg_library, "check"])
    assert result.exit_code == 0 and "schema:  version" in result.output
    assert "papers:  26 (2 starred, 1 with notes)" in result.output


@pytest.mark.postgres_only
def test_a_read_only_role_can_browse_but_not_write(pg_library: str):
    import psycopg

    with ReadingList(pg_library, today=TODAY) as service:
        service.import_pages([SAMPLES / "daily-papers-page-a.txt"])
        schema = pg_library.rsplit("%3D", 1)[1]
        role = f"reader_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(pg_library, autocommit=True) as conn:
        [(superuser,)] = conn.execute(
            "SELECT rolsuper FROM pg_roles WHERE rolname = current_user"
        ).fetchall()
        if not superuser:
            pytest.skip("the test server's user cannot create roles")
        conn.execute(f"CREATE ROLE {role} LOGIN")
        conn.execute(f"GRANT USAGE ON SCHEMA {schema} TO {role}")
        conn.execute(f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema} TO {role}")
    user_url = pg_library.replace("postgresql://readinglist@", f"postgresql://{role}@", 1)
    if user_url == pg_library:
        pytest.skip("the server URL names another user")
    try:
        with ReadingList(user_url, today=TODAY) as reader:
            assert reader.read_only
            assert reader.count() == 26 and reader.search("handwriten")
            with pytest.raises(LibraryReadOnlyError, match="nothing was changed"):
                reader.star([1])
            [report] = reader.import_pages([SAMPLES / "daily-papers-page-b.txt"])
            assert report.error and "nothing was changed" in report.error
    finally:
        with psycopg.connect(pg_library.split("&options")[0], autocommit=True) as conn:
            conn.execute(f"DROP OWNED BY {role}")
            conn.execute(f"DROP ROLE {role}")


@pytest.mark.postgres_only
def test_writers_at_once_lose_nothing(pg_library: str, tmp_path):
    """Four processes import the same pages at once, star, and write one shared note."""
    from benchmarks.generate import generate
    from benchmarks.pg_load import run_load

    pages = generate(tmp_path / "pages", 1000, per_page=250)
    result = run_load(pg_library, pages, processes=4)
    assert result["problems"] == []
    assert result["papers"] == 1000
    assert len(result["timings"]["note"]) == 4 * 12
