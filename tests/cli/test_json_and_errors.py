"""``--json`` on every command that prints data, its fields stable and cleaned; one
error style (``error: …``, one line) on every failure path; one set of sort keys."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from readinglist.cli import cli
from readinglist.core.models import JSON_FIELDS
from readinglist.core.sorting import BEST_MATCH, SORT_KEYS, SORTS
from tests.conftest import SAMPLES

PAGES = [str(path) for path in sorted(SAMPLES.glob("*.txt"))]
PRINTS_NO_DATA = {
    "star": "changes marks; says only what it did, on stderr",
    "unstar": "changes marks; says only what it did, on stderr",
    "note": "changes a note; says only what it did, on stderr",
    "tag": "changes tags; says only what it did, on stderr",
    "untag": "changes tags; says only what it did, on stderr",
    "status": "changes statuses; says only what it did, on stderr",
    "delete": "moves papers to the trash; says only what it did, on stderr",
    "undelete": "brings papers back from the trash; says only what it did, on stderr",
    "export": "its data is the export itself: --format json",
}
HOSTILE = "x\x1b]52;c;aGk=\x07y\u202e"


@pytest.fixture
def run(library_location: str):
    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(cli, ["--db", library_location, *args], input=input)

    return invoke


@pytest.fixture
def file_run(tmp_path: Path):
    library = tmp_path / "library.db"

    def invoke(*args: str):
        return CliRunner().invoke(cli, ["--db", str(library), *args])

    invoke.library = library  # type: ignore[attr-defined]
    return invoke


@pytest.mark.parametrize("name", sorted(cli.commands))
def test_every_command_that_prints_data_has_json(name: str):
    options = {opt for param in cli.commands[name].params for opt in getattr(param, "opts", [])}
    assert ("--json" in options) != (name in PRINTS_NO_DATA), PRINTS_NO_DATA.get(name, name)


def test_import_json_reports_each_file_with_stable_fields(run, tmp_path: Path):
    empty_folder = tmp_path / "nothing-here"
    empty_folder.mkdir()
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    result = run("import", PAGES[0], str(bad), str(empty_folder), "--json")
    assert result.exit_code == 1
    reports = json.loads(result.stdout)
    assert [list(report) for report in reports] == [
        ["path", "papers", "new", "updated", "skipped_deleted", "warnings", "error", "skipped"]
    ] * 3
    by_path = {report["path"]: report for report in reports}
    landed = next(r for r in reports if r["path"].endswith("daily-papers-page-a.txt"))
    assert (landed["papers"], landed["new"], landed["updated"], landed["error"]) == (
        26,
        26,
        0,
        None,
    )
    assert by_path[str(bad)]["error"] == "empty file"
    assert by_path[str(empty_folder)]["error"].startswith("no pages in this folder")
    errors = result.stderr.splitlines()
    assert sorted(errors) == sorted(
        [
            f"error: {bad}: empty file",
            f"error: {empty_folder}: {by_path[str(empty_folder)]['error']}",
        ]
    )


def test_paper_commands_json_is_the_records_fields(run):
    run("import", *PAGES)
    for args in (["list", "-n", "3"], ["search", "bert", "-n", "3"]):
        papers = json.loads(run(*args, "--json").stdout)
        assert papers and all(list(paper) == list(JSON_FIELDS) for paper in papers)
    assert list(json.loads(run("show", "1", "--json").stdout)) == list(JSON_FIELDS)


def test_search_sorts_by_the_same_keys_as_list(run):
    run("import", *PAGES)
    best = json.loads(run("search", "model", "-n", "500", "--json").stdout)
    by_date = json.loads(run("search", "model", "-n", "500", "--sort", "date", "--json").stdout)
    assert sorted(p["id"] for p in best) == sorted(p["id"] for p in by_date)
    dates = [p["date"] for p in by_date if p["date"]]
    assert dates == sorted(dates, reverse=True)
    by_title = json.loads(run("search", "model", "-n", "500", "--sort", "title", "--json").stdout)
    titles = [p["title"].lower() for p in by_title]
    assert titles == sorted(titles)


def test_the_sort_choices_are_the_core_sort_keys():
    def choices(command: str) -> tuple[str, ...]:
        (sort,) = (p for p in cli.commands[command].params if p.name == "sort")
        assert isinstance(sort.type, click.Choice)
        return tuple(sort.type.choices)

    assert choices("list") == SORTS
    assert choices("search") == (BEST_MATCH, *SORTS)
    assert choices("export") == SORT_KEYS


@pytest.mark.sqlite_only
def test_check_backup_and_restore_json(run, library_location: str):
    run("import", PAGES[0])
    found = json.loads(run("check", "--json").stdout)
    assert list(found) == [
        "library", "server", "size", "schema_version", "supported_schema_version", "papers",
        "starred", "notes", "trash", "backups", "ok", "problems", "obstacle", "warnings",
        "good_backup",
    ]  # fmt: skip
    assert found["ok"] is True and found["papers"] == 26 and found["backups"] == []
    assert found["server"] is False and found["size"] > 0
    made = json.loads(run("backup", "--json").stdout)
    assert list(made) == ["backup"] and Path(made["backup"]).is_file()
    found = json.loads(run("check", "--json").stdout)
    assert [list(b) for b in found["backups"]] == [["path", "modified"]]
    assert found["backups"][0]["path"] == made["backup"]
    restored = json.loads(run("restore", made["backup"], "--json").stdout)
    assert list(restored) == ["library", "restored_from", "previous"]
    assert restored["restored_from"] == made["backup"] and Path(restored["previous"]).is_file()


@pytest.mark.postgres_only
def test_check_json_on_a_server(run):
    run("import", PAGES[0])
    result = run("check", "--json")
    assert result.exit_code == 0
    found = json.loads(result.stdout)
    assert found["server"] is True and found["ok"] is True and found["papers"] == 26
    assert found["backups"] == [] and found["size"] is None


@pytest.mark.sqlite_only
def test_a_failed_check_prints_its_json_and_exits_1(run, library_location: str):
    Path(library_location).write_bytes(b"SQLite format 3\x00" + b"\x00" * 4000)
    result = run("check", "--json")
    assert result.exit_code == 1
    found = json.loads(result.stdout)
    assert found["ok"] is False and found["problems"]
    assert result.stderr.startswith("error: ")


def test_paths_json_is_cleaned_and_hides_a_password(tmp_path: Path):
    hostile = tmp_path / f"lib{HOSTILE}.db"
    result = CliRunner().invoke(cli, ["--db", str(hostile), "paths", "--json"])
    where = json.loads(result.stdout)
    assert list(where) == ["library", "config"]
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout
    assert where["library"].endswith(".db")
    result = CliRunner().invoke(cli, ["--db", "postgresql://me:s3cret@host/lab", "paths", "--json"])
    assert "s3cret" not in result.stdout and json.loads(result.stdout)["library"]


def test_demo_json_lists_the_sample_papers():
    result = CliRunner().invoke(cli, ["demo", "--json"])
    assert result.exit_code == 0
    papers = json.loads(result.stdout)
    assert len(papers) > 100 and list(papers[0]) == list(JSON_FIELDS)


@pytest.mark.parametrize(
    "args",
    [
        ["show", "999"],
        ["star", "999"],
        ["note", "999", "text"],
        ["export", "--query", "is:stared"],
        ["search", "is:stared"],
    ],
)
def test_failures_are_one_error_line(run, args: list[str]):
    run("import", PAGES[0])
    result = run(*args)
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1].startswith("error: ")
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "args",
    [["list"], ["import", PAGES[0]], ["check"], ["backup"], ["show", "1"], ["paths", "--json"]],
)
def test_a_file_that_is_not_a_library_is_one_error_line(tmp_path: Path, args: list[str]):
    alien = tmp_path / "notes.txt"
    alien.write_text("my notes\n" * 200)
    result = CliRunner().invoke(cli, ["--db", str(alien), *args])
    if args[0] == "paths":  # says where, opens nothing
        assert result.exit_code == 0
        return
    assert result.exit_code == 1, result.output
    assert len(result.stderr.splitlines()) in (1, 2)  # check adds where a backup would be
    assert result.stderr.startswith(f"error: {alien}: ")
    assert alien.read_text() == "my notes\n" * 200
