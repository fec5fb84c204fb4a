"""The command line as a user drives it: into pipes and terminals, exports onto whatever
``-o`` names, folders to import, and errors and counts worded one way."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shutil
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from click.testing import CliRunner

from readinglist.cli import cli
from readinglist.core.models import PaperSummary
from readinglist.core.service import ReadingList
from readinglist.textfmt import format_tab_separated
from tests.conftest import SAMPLES

PAGES = [str(path) for path in sorted(SAMPLES.glob("*.txt"))]
LONG_TITLE = (
    "A Deliberately Long Title About Retrieval-Augmented Generation That Keeps Going Well "
    "Past One Hundred Columns So That Cutting It Would Hide The Word Zanzibar"
)
ONE_PAPER_PAGE = (
    "Daily Papers\n\nA Lonely Paper About Counting\n\nIts abstract says one thing only.\n\n"
    "  • 1 authors\n·\nJul 7, 2024 1\n"
)


@pytest.fixture
def run(library_location: str):
    def invoke(*args: str, input: str | None = None):
        return CliRunner().invoke(cli, ["--db", library_location, *args], input=input)

    return invoke


@pytest.fixture
def library(tmp_path: Path) -> Path:
    """A library file with the sample pages and one paper whose title is long."""
    page = tmp_path / "long.txt"
    page.write_text(f"Daily Papers\n\n{LONG_TITLE}\n\nAn abstract for it.\n", encoding="utf-8")
    db = tmp_path / "library.db"
    with ReadingList(db) as service:
        service.import_pages([*map(Path, PAGES), page])
    return db


def _command(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "readinglist", "--db", str(db), *args]


def _run_on_a_terminal(args: list[str], columns: int) -> str:
    """Run with stdout on a pseudo-terminal ``columns`` wide; what it showed there."""
    controller, terminal = pty.openpty()
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    env = {**os.environ, "COLUMNS": str(columns)}
    try:
        subprocess.run(args, stdout=terminal, stderr=subprocess.PIPE, env=env, check=True)
    finally:
        os.close(terminal)
    chunks = []
    while True:
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # EIO: the terminal side is closed and everything was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(controller)
    return b"".join(chunks).decode("utf-8").replace("\r\n", "\n")


def test_list_fits_a_terminal_and_gives_a_pipe_whole_fields(library: Path):
    piped = subprocess.run(
        _command(library, "list", "--sort", "title"), capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert len(piped) == 183
    [line] = [line for line in piped if "Zanzibar" in line]  # `list | grep` finds it
    fields = line.split("\t")
    assert len(fields) == 6 and fields[5] == LONG_TITLE and fields[1:5] == ["", "", "", ""]
    assert all(line.count("\t") == 5 for line in piped)
    with_metadata = [line.split("\t") for line in piped if line.split("\t")[3]]
    assert with_metadata and all(fields[3].isdigit() for fields in with_metadata)

    shown = _run_on_a_terminal(_command(library, "search", "zanzibar retrieval"), 80)
    [row] = [line for line in shown.splitlines() if "Deliberately" in line]
    assert "\t" not in row and len(row) <= 80 and row.endswith("…") and "Zanzibar" not in row


def test_tab_separated_fields_hold_no_tab_or_newline():
    row = PaperSummary(
        id=7,
        title="Tabs\tand\nnewlines \x1b[2Jin a title",
        date="2024-05-01",
        upvotes=0,
        org="An\tOrg",
        starred=True,
        has_note=False,
        link_count=2,
        status="unread",
        added_at="",
    )
    assert (
        format_tab_separated([row]) == "7\t★⌘\t2024-05-01\t0\tAn Org\tTabs and newlines in a title"
    )


def test_search_says_how_many_more_papers_match(run):
    run("import", *PAGES)
    every = json.loads(run("search", "bert", "--json", "--limit", "10000").stdout)
    total = len(every)
    assert total > 20
    result = run("search", "bert")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 20
    assert result.stderr == f"20 of {total} shown (--limit)\n"
    result = run("search", "bert", "--limit", "3", "--json")
    assert [paper["id"] for paper in json.loads(result.stdout)] == [p["id"] for p in every[:3]]
    assert result.stderr == f"3 of {total} shown (--limit)\n"
    assert run("search", "bert", "--limit", str(total)).stderr == ""


def test_import_accepts_a_folder_of_pages(run, tmp_path: Path):
    folder = tmp_path / "pages"
    (folder / "older").mkdir(parents=True)
    for page in PAGES:
        shutil.copy(page, folder)
    shutil.copy(PAGES[0], folder / ".hidden.txt")
    shutil.copy(PAGES[0], folder / "older" / "nested.txt")
    (folder / "cover.png").write_bytes(b"\x89PNG\x00")
    result = run("import", str(folder))
    assert result.exit_code == 0, result.output
    assert [line.split(": ")[0] for line in result.stdout.splitlines()] == [
        str(folder / Path(page).name) for page in PAGES
    ]
    assert result.stderr == ""

    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("import", str(empty), str(folder / "older"))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        f"error: {empty}: no pages (.txt, .text, .md files) in this folder"
    ]
    assert "nested.txt: 26 papers, 0 new, 0 updated" in result.stdout


@pytest.mark.parametrize(
    ("args", "usage", "message"),
    [
        (["search"], "readinglist search", "Missing argument 'QUERY'."),
        (["list", "--sort", "nope"], "readinglist list", "Invalid value for '--sort'"),
        (["show", "twelve"], "readinglist show", "Invalid value for 'ID'"),
        (["export", "--bogus"], "readinglist export", "No such option"),
        (["--bogus"], "readinglist", "No such option"),
        (["serch", "bert"], "readinglist", "No such command 'serch'."),
    ],
)
def test_usage_errors_are_worded_like_every_other_error(args, usage, message):
    result = CliRunner().invoke(cli, args, prog_name="readinglist")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"Usage: {usage} ")
    assert lines[1] == f"Try '{usage} -h' for help."
    assert lines[-1].startswith(f"error: {message}")
    assert "Error" not in result.stderr
