"""The command line as a user drives it: into pipes and terminals, exports onto whatever
``-o`` names, folders to import, and errors and counts worded one way."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import shutil
import stat
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest
from click.testing import CliRunner

from readinglist.cli import cli
from readinglist.cli.formatting import format_tab_separated
from readinglist.core.files import PAGE_SUFFIXES
from readinglist.core.models import PaperSummary
from readinglist.core.service import ReadingList
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
    assert len(fields) == 8 and fields[5] == LONG_TITLE and fields[1:5] == ["", "", "", ""]
    assert fields[6:] == ["unread", ""]  # status, then tags
    assert all(line.count("\t") == 7 for line in piped)
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
    assert format_tab_separated([row], {7: ("a", "b")}) == (
        "7\t★⌘\t2024-05-01\t0\tAn Org\tTabs and newlines in a title\tunread\ta,b"
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


def test_export_format_follows_the_file_extension(run, tmp_path: Path):
    run("import", *PAGES)
    run("star", "1", "2", "3")
    for name, starts in [
        ("x.json", "["),
        ("X.CSV", "id,title,abstract"),
        ("x.md", "# Starred papers"),
        ("x.txt", "# Starred papers"),  # any other name is Markdown, as in the app
        ("noext", "# Starred papers"),
    ]:
        result = run("export", "-o", str(tmp_path / name))
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).read_text().startswith(starts), name
    assert len(json.loads((tmp_path / "x.json").read_text())) == 3
    run("export", "--format", "csv", "-o", str(tmp_path / "forced.json"))
    assert (tmp_path / "forced.json").read_text().startswith("id,title")  # --format wins


def test_export_formats_are_named_as_their_files_end(run):
    run("import", *PAGES)
    run("star", "1")
    for name, starts in [("markdown", "# Starred papers"), ("MD", "# Starred papers")]:
        assert run("export", "--format", name).output.startswith(starts), name
    for name in ("bib", "BibTeX", "bibtex"):
        assert run("export", "--format", name).output.startswith("@misc{"), name
    refused = run("export", "--format", "docx")
    assert refused.exit_code == 2 and "'docx' is not one of" in refused.output


def test_export_does_not_replace_a_file_without_force(run, tmp_path: Path):
    run("import", PAGES[0])
    run("star", "1")
    target = tmp_path / "list.md"
    target.write_text("my own notes")
    target.chmod(0o640)
    result = run("export", "-o", str(target))
    assert result.exit_code == 1
    assert result.stderr == f"error: {target} exists; add --force to replace it\n"
    assert target.read_text() == "my own notes"
    result = run("export", "-o", str(target), "--force")
    assert result.exit_code == 0 and result.stderr == f"Exported 1 paper to {target}\n"
    assert target.read_text().startswith("# Starred papers")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_export_warns_about_unknown_filters_as_search_does(run, tmp_path: Path):
    run("import", *PAGES)
    searched = run("search", "is:strred handwritten", "--json", "--limit", "1000")
    exported = run("export", "--query", "is:strred handwritten", "--format", "json")
    assert exported.exit_code == 0
    assert exported.stderr == searched.stderr
    assert exported.stderr == "warning: unknown filter 'is:strred' ignored (see --help)\n"
    assert json.loads(exported.stdout) == json.loads(searched.stdout)

    target = tmp_path / "starred.md"
    for command in (["search", "is:stared"], ["export", "--query", "is:stared", "-o", str(target)]):
        result = run(*command)  # ignoring the only filter would match every paper
        assert result.exit_code == 1 and result.stdout == ""
        assert result.stderr.splitlines() == [
            "warning: unknown filter 'is:stared' ignored (see --help)",
            "error: nothing left to search for without those filters; it would match every paper",
        ]
    assert not target.exists()


def test_export_writes_through_links_and_to_stdout(library: Path, tmp_path: Path):
    with ReadingList(library) as service:
        service.star([1, 2])
    expected = subprocess.run(
        _command(library, "export"), capture_output=True, text=True, check=True
    ).stdout
    stdout_link = tmp_path / "out.md"
    stdout_link.symlink_to("/dev/stdout")  # stands for `-o /dev/stdout`, itself a link
    result = subprocess.run(
        _command(library, "export", "-o", str(stdout_link)), capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == expected and stdout_link.is_symlink()

    real = tmp_path / "kept" / "list.md"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "list-link.md"
    link.symlink_to(real)
    subprocess.run(_command(library, "export", "-o", str(link), "--force"), check=True)
    assert link.is_symlink() and real.read_text() == expected


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
        f"error: {empty}: no pages in this folder (no {' '.join(PAGE_SUFFIXES)} files)"
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
        (["paths", "\x1b]52;c;aGk=\x07x"], "readinglist paths", "Got unexpected extra argument"),
    ],
)
def test_usage_errors_are_worded_like_every_other_error(args, usage, message):
    result = CliRunner().invoke(cli, args, prog_name="readinglist")
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"Usage: {usage} ")
    assert lines[1] == f"Try '{usage} -h' for help."
    assert lines[-1].startswith(f"error: {message}")
    assert "Error" not in result.stderr and "\x1b" not in result.stderr


def test_counts_are_worded_as_a_person_would(run, tmp_path: Path):
    page = tmp_path / "one.txt"
    page.write_text(ONE_PAPER_PAGE, encoding="utf-8")
    assert run("import", str(page)).stdout == f"{page}: 1 paper, 1 new, 0 updated\n"
    shown = run("show", "1").stdout
    assert "· 1 author ·" in shown and "· 1 upvote ·" in shown
    run("star", "1")
    result = run("export", "-o", str(tmp_path / "one.md"))
    assert result.stderr == f"Exported 1 paper to {tmp_path / 'one.md'}\n"
    assert "1 author · 1 upvote" in (tmp_path / "one.md").read_text()


def test_export_to_dash_writes_stdout(run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    run("import", *PAGES)
    monkeypatch.chdir(tmp_path)
    result = run("export", "--all", "--format", "json", "-o", "-")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) and not (tmp_path / "-").exists()
