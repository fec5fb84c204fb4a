"""The command line contract: names, output, errors and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from readinglist.cli import cli
from readinglist.core.models import JSON_FIELDS
from tests.conftest import SAMPLES

PAGES = [str(path) for path in sorted(SAMPLES.glob("*.txt"))]


@pytest.fixture
def run(library_location: str):
    db = library_location

    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(cli, ["--db", str(db), *args], input=input)

    return invoke


def test_import_prints_a_line_per_file(run):
    result = run("import", *PAGES)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].endswith("daily-papers-page-a.txt: 26 papers, 26 new, 0 updated")
    assert lines[1].endswith("daily-papers-page-b.txt: 119 papers, 115 new, 0 updated")
    assert "44 papers" in lines[2]
    again = run("import", *PAGES)
    assert [line.split(": ", 1)[1] for line in again.stdout.splitlines()] == [
        "26 papers, 0 new, 0 updated",
        "119 papers, 0 new, 0 updated",
        "44 papers, 0 new, 0 updated",
    ]


def test_bad_files_are_refused_and_others_still_import(run, tmp_path: Path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    binary = tmp_path / "pic.png"
    binary.write_bytes(b"\x89PNG\x00\x00\x01\x02" * 20)
    result = run("import", str(empty), PAGES[0], str(binary), str(tmp_path / "missing.txt"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {empty}: empty file",
        f"error: {binary}: binary file, not a text page",
        f"error: {tmp_path / 'missing.txt'}: no such file",
    ]
    assert "26 papers, 26 new" in result.stdout
    listed = json.loads(run("list", "--json").stdout)
    assert len(listed) == 26


def test_truncated_file_warns(run, tmp_path: Path):
    text = Path(PAGES[0]).read_text(encoding="utf-8")
    cut = tmp_path / "cut.txt"
    cut.write_text(text[: text.index("Spanish TrOCR") + 20], encoding="utf-8")
    result = run("import", str(cut))
    assert result.exit_code == 0
    assert "2 papers, 2 new" in result.stdout
    assert result.stderr.startswith(f"warning: {cut}: the page ends mid-paper")


def test_list_json_fields_and_plain_columns(run):
    run("import", *PAGES)
    rows = json.loads(run("list", "--json", "--limit", "5", "--sort", "upvotes").stdout)
    assert len(rows) == 5
    assert all(tuple(row) == JSON_FIELDS for row in rows)
    assert rows[0]["upvotes"] == 10 and isinstance(rows[0]["links"], list)
    plain = run("list", "--limit", "3").stdout.splitlines()  # not a terminal: whole fields
    assert len(plain) == 3 and all(len(line.split("\t")) == 8 for line in plain)


def test_search_show_star_unstar_note(run):
    run("import", *PAGES)
    hits = json.loads(run("search", "speculativ decodng", "--json", "--limit", "2").stdout)
    paper = hits[0]
    assert paper["title"] == "Speculative Decoding with Big Little Decoder"
    pid = str(paper["id"])
    assert run("star", pid).exit_code == 0
    assert run("note", pid, "Read §3 [bold]again[/]").exit_code == 0
    shown = json.loads(run("show", pid, "--json").stdout)
    assert shown["starred"] is True and shown["note"] == "Read §3 [bold]again[/]"
    starred = json.loads(run("list", "--starred", "--json").stdout)
    assert [row["id"] for row in starred] == [paper["id"]]
    text = run("show", pid).stdout
    assert "Speculative Decoding" in text and "Read §3 [bold]again[/]" in text
    [mela] = json.loads(run("search", "Mela memory consolidation", "--json", "-n", "1").stdout)
    assert mela["date_text"] == "May 10"  # as its page wrote it, without the year
    assert " · May 10, 2026 · " in run("show", str(mela["id"])).stdout.splitlines()[1]
    assert run("unstar", pid).exit_code == 0
    assert json.loads(run("list", "--starred", "--json").stdout) == []


def test_note_from_stdin_and_unknown_ids(run):
    run("import", PAGES[0])
    assert run("note", "1", input="piped note\nline two\n").exit_code == 0
    assert json.loads(run("show", "1", "--json").stdout)["note"] == "piped note\nline two"
    result = run("star", "1", "9999")
    assert result.exit_code == 1 and result.stderr == "error: no paper with id 9999\n"
    result = run("show", "9999")
    assert result.exit_code == 1 and "no paper with id 9999" in result.stderr


def test_damaged_library_is_a_one_line_error(tmp_path: Path):
    db = tmp_path / "junk.db"
    db.write_bytes(b"garbage" * 100)
    result = CliRunner().invoke(cli, ["--db", str(db), "list"])
    assert result.exit_code == 1
    assert result.stderr == f"error: {db}: not a SQLite database; refusing to touch it\n"


def test_env_var_chooses_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "env.db"
    monkeypatch.setenv("READINGLIST_DB", str(db))
    assert CliRunner().invoke(cli, ["import", PAGES[0]]).exit_code == 0
    assert db.exists()


def test_plain_output_never_carries_control_characters(run, tmp_path: Path):
    page = tmp_path / "hostile.txt"
    page.write_text(
        "Daily Papers\n\nEvil \x1b]52;c;aGk=\x07Title \x1b[2J[bold]x[/]\n\nAbstract \x9b31m here.\n"
    )
    run("import", str(page))
    for args in (("list",), ("show", "1"), ("search", "evil")):
        out = run(*args).stdout
        assert "\x1b" not in out and "\x07" not in out and "\x9b" not in out
        assert "[bold]x[/]" in out


def test_demo_lists_when_not_a_terminal():
    result = CliRunner().invoke(cli, ["demo"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 182


def _command_paths(group: click.Group = cli, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every command under ``group``, as the words that invoke it, the group first."""
    found = [path]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _command_paths(command, (*path, name))
        else:
            found.append((*path, name))
    return found


COMMAND_PATHS = _command_paths()


def test_the_help_test_sees_every_command():
    assert len(COMMAND_PATHS) >= 14  # the group and its 13 commands today, more to come
    assert {"import", "list", "check", "restore", "paths"} <= {p[0] for p in COMMAND_PATHS if p}


@pytest.mark.parametrize("command", COMMAND_PATHS, ids=lambda path: " ".join(path) or "(group)")
def test_every_command_has_help_with_examples(command: tuple[str, ...]):
    result = CliRunner().invoke(cli, [*command, "--help"])
    assert result.exit_code == 0
    usage = result.stdout.splitlines()[0]
    assert usage.startswith("Usage: ") and usage.split()[2 : 2 + len(command)] == list(command)
    assert "Example" in result.stdout
    short = CliRunner().invoke(cli, [*command, "-h"])
    assert short.exit_code == 0 and short.stdout == result.stdout


def test_export_command(run, tmp_path: Path):
    run("import", *PAGES)
    run("star", "1", "2")
    out = run("export")
    assert out.exit_code == 0 and out.stdout.count("\n## ") == 2
    target = tmp_path / "starred.md"
    result = run("export", "-o", str(target))
    assert result.exit_code == 0 and "Exported 2 papers" in result.stderr
    assert target.read_text() == out.stdout
    assert len(json.loads(run("export", "--all", "--format", "json").stdout)) == 182
    assert run("export", "--query", "bert", "-f", "csv").stdout.startswith("id,title,abstract")
    result = run("export", "-o", str(tmp_path / "missing-dir" / "x" / "y.md"))
    assert result.exit_code == 0
    result = run("export", "-o", str(tmp_path))
    assert result.exit_code == 2 or result.exit_code == 1


def test_unknown_filter_is_reported(run):
    run("import", PAGES[0])
    result = run("search", "is:strred handwritten")
    assert result.exit_code == 0
    assert result.stderr == "warning: unknown filter 'is:strred' ignored (see --help)\n"
    assert "DANIEL" in result.stdout
    for empty in ("author:", 'org:""', 'author:" "', 'tag:" "'):
        result = run("search", f"{empty} handwritten")
        assert result.stderr == f"warning: empty filter {empty!r} ignored (see --help)\n"


def test_a_huge_pasted_word_is_no_match_not_a_crash(run):
    run("import", PAGES[0])
    result = run("search", "x" * 5000)
    assert result.exit_code == 0 and "Traceback" not in result.output


def test_note_keeps_a_save_made_meanwhile(run, library_location, monkeypatch):
    from readinglist.core.service import ReadingList

    run("import", PAGES[0])
    original_get = ReadingList.get

    def get_then_colleague_saves(self, paper_id):
        record = original_get(self, paper_id)
        with ReadingList(library_location) as colleague:  # lands between read and save
            colleague.set_note(paper_id, "colleague", base=record.note)
        return record

    monkeypatch.setattr(ReadingList, "get", get_then_colleague_saves)
    result = run("note", "1", "mine")
    monkeypatch.undo()
    assert result.exit_code == 0
    assert result.stderr == (
        "warning: paper 1: someone else saved this note meanwhile; both versions are kept "
        "(see: readinglist show 1)\n"
    )
    note = json.loads(run("show", "1", "--json").stdout)["note"]
    assert note.startswith("mine\n\n--- kept") and note.endswith("\ncolleague")
