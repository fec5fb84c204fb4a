"""Odd file names and rows another client wrote: never a crash, one line per report.

A file name need not be UTF-8 (any bytes but ``/`` and NUL on POSIX) and may hold a
newline; a ``links`` value another client wrote need not be our JSON list of strings.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from readinglist.cli import cli
from tests.conftest import SAMPLES

PAGE = SAMPLES / "daily-papers-page-a.txt"

needs_bytes_names = pytest.mark.skipif(
    sys.platform in ("win32", "darwin"), reason="file names here must be valid Unicode"
)


@pytest.fixture
def run(library_location: str):
    def invoke(*args: str, input: str | None = None) -> Result:
        return CliRunner().invoke(cli, ["--db", library_location, *args], input=input)

    return invoke


def write_links(location: str, paper_id: int, links: str | None) -> None:
    """The ``links`` column as another client might leave it."""
    if location.startswith("postgresql"):
        import psycopg

        with psycopg.connect(location) as conn:
            conn.execute("UPDATE paper SET links = %s WHERE id = %s", [links, paper_id])
    else:
        with sqlite3.connect(location) as conn:
            conn.execute("UPDATE paper SET links = ? WHERE id = ?", [links, paper_id])
        conn.close()


@needs_bytes_names
def test_a_file_name_that_is_not_utf8_imports_and_is_shown(run, tmp_path: Path):
    odd = Path(os.fsdecode(bytes(tmp_path) + b"/page \xff\xfe.txt"))
    shutil.copy(PAGE, odd)
    result = run("import", str(odd))
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert "26 papers, 26 new" in result.stdout
    again = run("import", str(odd))  # the same file again: the same source, no new papers
    assert again.exit_code == 0 and "0 new" in again.stdout
    shown = run("show", "1")
    assert shown.exit_code == 0, shown.output
    assert "page " in shown.stdout and "\udcff" not in shown.stdout
    assert json.loads(run("show", "1", "--json").stdout)["id"] == 1


def test_a_newline_in_a_file_name_never_splits_a_report_line(run, tmp_path: Path):
    text = PAGE.read_text(encoding="utf-8")
    cut = tmp_path / "cut\npage.txt"
    cut.write_text(text[: text.index("Spanish TrOCR") + 20], encoding="utf-8")
    good = tmp_path / "good\npage.txt"
    shutil.copy(PAGE, good)
    empty = tmp_path / "empty\npage.txt"
    empty.write_bytes(b"")
    folder = tmp_path / "empty\nfolder"
    folder.mkdir()
    result = run("import", str(good), str(cut), str(empty), str(folder))
    assert result.exit_code == 1
    out_lines = result.stdout.splitlines()
    err_lines = result.stderr.splitlines()
    assert len(out_lines) == 2, out_lines  # good and cut: one line each
    assert all(line.startswith(str(tmp_path)) for line in out_lines), out_lines
    assert all(line.startswith(("error: ", "warning: ")) for line in err_lines), err_lines
    assert sum(line.startswith("error: ") for line in err_lines) == 2, err_lines
    exported = run("export", "--all", "-o", str(tmp_path / "out\nput.md"))
    assert exported.exit_code == 0 and len(exported.stderr.splitlines()) == 1
    refused = run("export", "--all", "-o", str(tmp_path / "out\nput.md"))
    assert refused.exit_code == 1 and len(refused.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("links", "kept"),
    [
        ("not json at all", []),
        ("{", []),
        ('{"a": "https://a.example"}', []),
        ("42", []),
        ("null", []),
        ('"https://one.example"', ["https://one.example"]),
        ('["https://a.example", 3, null, ["x"], {"b": 1}, ""]', ["https://a.example"]),
        ("[" * 100_000, []),
    ],
    ids=["text", "broken", "object", "number", "null", "string", "mixed list", "deep"],
)
def test_a_links_value_another_client_wrote_never_crashes_a_read(
    run, library_location: str, tmp_path: Path, links: str, kept: list[str]
):
    assert run("import", str(PAGE)).exit_code == 0
    write_links(library_location, 1, links)
    for args in (("show", "1"), ("list",), ("search", "has:link"), ("export", "--all")):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        assert "Traceback" not in result.output
    assert json.loads(run("show", "1", "--json").stdout)["links"] == kept
    listed = json.loads(run("list", "--json").stdout)
    assert next(paper for paper in listed if paper["id"] == 1)["links"] == kept
    for fmt in ("md", "json", "csv"):
        result = run("export", "--all", "--format", fmt, "-o", str(tmp_path / f"out.{fmt}"))
        assert result.exit_code == 0, (fmt, result.output)


@pytest.mark.sqlite_only
def test_ctrl_c_in_any_command_is_one_error_line_and_status_130(
    run, monkeypatch: pytest.MonkeyPatch
):
    assert run("import", str(PAGE)).exit_code == 0
    from readinglist.core.service import ReadingList

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ReadingList, "search_rows", interrupted)
    result = run("list")
    assert result.exit_code == 130, result.output
    assert result.stderr == "error: stopped (SIGINT)\n"
    assert "Aborted" not in result.output


@pytest.mark.skipif(
    not Path("/proc/self/wchan").exists() or not hasattr(signal, "SIGHUP"),
    reason="waits for the command to block through Linux's /proc",
)
@pytest.mark.parametrize("stop", ["SIGTERM", "SIGHUP", "SIGINT"])
def test_a_stopped_command_says_so_in_one_line(tmp_path: Path, stop: str):
    """``note`` waiting on its standard input, stopped: one ``error:`` line, 128 + N."""
    library = tmp_path / "library.db"
    assert CliRunner().invoke(cli, ["--db", str(library), "import", str(PAGE)]).exit_code == 0
    command = [sys.executable, "-m", "readinglist", "--db", str(library), "note", "1"]
    with subprocess.Popen(
        command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    ) as process:
        wchan = Path(f"/proc/{process.pid}/wchan")
        deadline = time.monotonic() + 120  # generous: both cores may be busy
        while "pipe_read" not in wchan.read_text():
            assert process.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        process.send_signal(getattr(signal, stop))
        out, err = process.communicate(timeout=120)
    number = getattr(signal, stop)
    assert process.returncode == 128 + number, err
    assert err.decode() == f"error: stopped ({stop})\n"
    assert out == b""


@pytest.mark.sqlite_only
def test_blobs_and_numbers_another_client_put_in_text_columns_are_shown(
    run, library_location: str, tmp_path: Path
):
    """SQLite keeps whatever type a client writes: a BLOB title, a number as a note."""
    assert run("import", str(PAGE)).exit_code == 0
    with sqlite3.connect(library_location) as conn:
        conn.execute(
            "UPDATE paper SET title = X'41FF1B5B324A42', abstract = X'C3', org = 7, "
            "authors = 'many', upvotes = 'lots', date_text = X'00', date = X'32303235' "
            "WHERE id = 1"
        )
    conn.close()
    for args in (
        ("list",),
        ("list", "--json"),
        ("show", "1"),
        ("search", "has:link"),
        ("export", "--all"),
        ("export", "--all", "--format", "csv"),
        ("export", "--all", "--format", "json"),
    ):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
        assert "\x1b" not in result.output
    shown = json.loads(run("show", "1", "--json").stdout)
    assert shown["title"] == "A\ufffdB" and shown["abstract"] == "\ufffd"
    assert shown["org"] == "7"
