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
