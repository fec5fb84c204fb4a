"""The storage layer as a user meets it: ids, imports, reads; on both databases."""

from __future__ import annotations

import pytest

from readinglist.core.parse import read_page
from readinglist.core.service import ReadingList


@pytest.mark.sqlite_only
def test_new_papers_take_ids_in_the_order_of_their_page(service: ReadingList, sample_pages):
    service.import_pages(sample_pages[:1])
    titles = [paper.title for paper in read_page(sample_pages[0]).papers]
    assert [record.title for record in service.records(range(1, 27))] == titles


def test_reading_commands_import_no_database_toolkit(loaded: ReadingList):
    """``list``, ``show`` and ``search`` run on the standard drivers: SQLAlchemy, SQLModel
    and pydantic (most of a second to import) stay out of the process."""
    import subprocess
    import sys

    code = (
        "import sys; from readinglist.cli import cli\n"
        "for args in (['list', '--limit', '20'], ['show', '1'], ['search', 'x']):\n"
        "    try:\n"
        "        cli.main(['--db', sys.argv[1], *args], prog_name='readinglist')\n"
        "    except SystemExit:\n"
        "        pass\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', 'pydantic'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, loaded.name],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip().splitlines()[-1] == "[]"


def refuse_sightings(library: str, page_name: str) -> None:
    """Make the library itself refuse to record any paper seen in ``page_name``: the last
    thing an import writes, so everything before it must roll back."""
    if library.startswith("postgresql"):
        import psycopg

        with psycopg.connect(library, autocommit=True) as conn:
            conn.execute(
                "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                "IF (SELECT path FROM source WHERE id = NEW.source_id) LIKE "
                f"'%{page_name}' THEN RAISE EXCEPTION 'disk on fire'; END IF; "
                "RETURN NEW; END $$"
            )
            conn.execute(
                "CREATE TRIGGER refuse BEFORE INSERT ON sighting "
                "FOR EACH ROW EXECUTE FUNCTION refuse()"
            )
        return
    import sqlite3

    with sqlite3.connect(library) as conn:
        conn.execute(
            "CREATE TRIGGER refuse BEFORE INSERT ON sighting WHEN (SELECT path FROM source "
            f"WHERE id = NEW.source_id) LIKE '%{page_name}' "
            "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
        )
    conn.close()


def test_a_page_lands_whole_or_not_at_all(
    service: ReadingList, library_location: str, sample_pages
):
    refuse_sightings(library_location, "page-b.txt")
    reports = service.import_pages(sample_pages)
    assert [(report.new, bool(report.error)) for report in reports] == [
        (26, False),
        (0, True),  # refused at its last statement: none of its papers stayed
        (41 + 1, False),  # the paper page c shares with b is new now
    ]
    assert "disk on fire" in (reports[1].error or "")
    assert service.count() == 26 + 42


def test_the_app_reaches_its_first_frame_without_the_database_toolkit():
    """Issue 20: the app's modules and the service load no SQLAlchemy, SQLModel or pydantic."""
    import subprocess
    import sys

    code = (
        "import sys, readinglist.ui.app, readinglist.core.service\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'sqlalchemy', 'sqlmodel', 'pydantic'}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"
