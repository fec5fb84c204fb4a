"""``delete``, ``undelete`` and ``trash``: a contract (issue 19), on SQLite and PostgreSQL."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from readinglist.cli import cli
from readinglist.core.models import JSON_FIELDS
from tests.conftest import SAMPLES

PAGES = [str(path) for path in sorted(SAMPLES.glob("*.txt"))]


@pytest.fixture
def run(library_location: str):
    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(cli, ["--db", str(library_location), *args], input=input)

    assert invoke("import", *PAGES).exit_code == 0
    return invoke


def _ids(run, *args: str) -> list[int]:
    return [paper["id"] for paper in json.loads(run(*args, "--json").stdout)]


def test_delete_moves_papers_to_the_trash_and_undelete_brings_them_back(run):
    first, second, third = _ids(run, "list", "-n", "3")
    assert run("star", str(first)).exit_code == 0
    assert run("note", str(first), "keep this").exit_code == 0
    deleted = run("delete", str(first), str(second))
    assert deleted.exit_code == 0, deleted.output
    assert deleted.stderr == "2 papers moved to the trash\n"
    assert _ids(run, "list", "-n", "1") == [third]
    assert _ids(run, "list", "--starred") == []
    assert first not in _ids(run, "search", "is:starred")
    assert run("show", str(first)).exit_code == 1
    trash = json.loads(run("trash", "--json").stdout)
    assert sorted(paper["id"] for paper in trash) == [first, second]
    assert set(trash[0]) == {*JSON_FIELDS, "deleted_at"}
    plain = run("trash").stdout.splitlines()
    assert sorted(int(line.split("\t")[0]) for line in plain) == [first, second]
    back = run("undelete", str(first))
    assert back.exit_code == 0 and back.stderr == "1 paper back from the trash\n"
    shown = json.loads(run("show", str(first), "--json").stdout)
    assert shown["starred"] and shown["note"] == "keep this"
    assert _ids(run, "trash") == [second]


def test_an_unknown_id_is_an_error_that_changes_nothing(run):
    first, second = _ids(run, "list", "-n", "2")
    result = run("delete", str(first), "424242")
    assert result.exit_code == 1
    assert result.stderr == "error: no paper with id 424242; nothing was deleted\n"
    assert _ids(run, "list", "-n", "2") == [first, second]
    assert run("delete", str(first)).exit_code == 0
    result = run("undelete", str(first), str(second))
    assert result.exit_code == 1
    assert "nothing was restored" in result.stderr
    assert _ids(run, "trash") == [first]


def test_emptying_the_trash_without_a_terminal_needs_yes(run):
    first = _ids(run, "list", "-n", "1")[0]
    count = len(_ids(run, "list"))
    run("delete", str(first))
    refused = run("trash", "--empty", input="y\n")
    assert refused.exit_code == 1
    assert refused.stderr.startswith("error: the trash was not emptied")
    assert _ids(run, "trash") == [first]
    emptied = run("trash", "--empty", "--yes")
    assert emptied.exit_code == 0 and emptied.stderr == "1 paper deleted for good\n"
    assert _ids(run, "trash") == []
    assert len(_ids(run, "list")) == count - 1
    assert run("undelete", str(first)).exit_code == 1
    assert json.loads(run("trash", "--empty", "--json").stdout) == {"emptied": 0}


def test_yes_goes_with_empty(run):
    result = run("trash", "--yes")
    assert result.exit_code == 2
    assert "--yes goes with --empty" in result.stderr


def test_import_says_how_many_papers_were_skipped_as_deleted(run):
    listed = json.loads(run("import", PAGES[0], "--json").stdout)
    assert listed[0]["skipped_deleted"] == 0
    first = _ids(run, "list", "-n", "1")[0]
    sources = run("show", str(first)).stdout
    page = next(path for path in PAGES if path in sources)
    run("delete", str(first))
    again = run("import", page)
    assert again.exit_code == 0
    assert again.stdout.rstrip("\n").endswith(", 0 new, 0 updated, 1 skipped as deleted")
    assert json.loads(run("import", page, "--json").stdout)[0]["skipped_deleted"] == 1
    assert _ids(run, "trash") == [first]


def test_counts_leave_the_trash_out(run):
    first, second, third = _ids(run, "list", "-n", "3")
    assert run("star", str(first), str(second)).exit_code == 0
    assert run("note", str(first), "keep this").exit_code == 0
    assert run("tag", "thesis", str(first), str(third)).exit_code == 0
    before = json.loads(run("check", "--json").stdout)
    assert (before["starred"], before["notes"], before["trash"]) == (2, 1, 0)
    assert run("delete", str(first)).exit_code == 0
    after = json.loads(run("check", "--json").stdout)
    assert after["papers"] == before["papers"] - 1
    assert (after["starred"], after["notes"], after["trash"]) == (1, 0, 1)
    assert f"{after['papers']} (1 starred, 0 with notes; 1 in the trash)" in run("check").stdout
    assert json.loads(run("tags", "--json").stdout) == [{"tag": "thesis", "papers": 1}]
    assert len(_ids(run, "list")) == after["papers"]
    assert run("undelete", str(first)).exit_code == 0
    again = json.loads(run("check", "--json").stdout)
    counts = [again[name] for name in ("papers", "starred", "notes", "trash")]
    assert counts == [before["papers"], 2, 1, 0]


@pytest.mark.parametrize(
    "command",
    [
        ("show", "{id}"),
        ("show", "{id}", "--json"),
        ("star", "{id}"),
        ("unstar", "{id}"),
        ("note", "{id}", "text"),
        ("status", "read", "{id}"),
        ("tag", "thesis", "{id}"),
        ("untag", "thesis", "{id}"),
    ],
)
def test_a_paper_in_the_trash_is_named_so(run, command: tuple[str, ...]):
    [gone] = _ids(run, "list", "-n", "1")
    assert run("delete", str(gone)).exit_code == 0
    result = run(*(part.format(id=gone) for part in command))
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"error: paper {gone} is in the trash (readinglist undelete {gone})\n"
    assert run("undelete", str(gone)).exit_code == 0
    shown = json.loads(run("show", str(gone), "--json").stdout)
    assert (shown["starred"], shown["note"], shown["status"], shown["tags"]) == (
        False, "", "unread", []
    )  # fmt: skip


def test_deleting_twice_or_restoring_a_listed_paper_says_where_it_is(run):
    first, second = _ids(run, "list", "-n", "2")
    assert run("delete", str(first)).exit_code == 0
    again = run("delete", str(first), str(second))
    assert again.exit_code == 1
    assert again.stderr == f"error: paper {first} is in the trash already; nothing was deleted\n"
    back = run("undelete", str(second))
    assert back.exit_code == 1
    assert back.stderr == f"error: paper {second} is not in the trash; nothing was restored\n"
    assert _ids(run, "trash") == [first]


def test_emptying_an_empty_trash_says_it_is_empty(run):
    result = run("trash", "--empty")
    assert result.exit_code == 0 and result.stderr == "The trash is empty.\n"


@pytest.mark.sqlite_only
def test_the_trash_lists_a_paper_a_line_whatever_its_title_holds(run, library_location: str):
    import sqlite3

    [first] = _ids(run, "list", "-n", "1")
    with sqlite3.connect(library_location) as conn:  # another client's row
        conn.execute(
            "UPDATE paper SET title = ? WHERE id = ?", ("Two\nlines\tand \x1b[2Jtab", first)
        )
    conn.close()
    assert run("delete", str(first)).exit_code == 0
    [line] = run("trash").stdout.splitlines()
    assert line.split("\t")[0] == str(first) and line.endswith("\tTwo lines and tab")


def test_the_trash_on_a_terminal_aligns_its_columns_and_fits_titles(run, library_location: str):
    from readinglist.cli.formatting import format_trash_table
    from readinglist.core.service import ReadingList

    ids = _ids(run, "list", "-n", "12", "--sort", "title")
    assert len({len(str(paper_id)) for paper_id in ids}) > 1  # ids of several widths
    assert run("delete", *map(str, ids)).exit_code == 0
    with ReadingList(library_location) as service:
        papers = service.trash()
    lines = format_trash_table(papers, width=60).splitlines()
    assert [int(line.split()[0]) for line in lines] == [paper.id for paper in papers]
    day = papers[0].deleted_at[:10]
    assert len({line.index(day) for line in lines}) == 1  # each column starts where the others do
    assert all(len(line) <= 60 for line in lines) and any(line.endswith("…") for line in lines)
