"""What is at a library path decides what readinglist does with it, before any write.

Other programs' files are left byte for byte; a damaged library gives one-line errors
that point to ``readinglist check`` and takes no writes; odd paths (a pipe, a folder,
a device) and odd settings get a prompt one-line error; reading commands never create
a library; passwords never reach the output.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from readinglist.cli import cli
from readinglist.core.service import LibraryError, ReadingList
from tests.conftest import SAMPLES, TODAY

PAGE = str(SAMPLES / "daily-papers-page-a.txt")
TIMEOUT = 30  # generous; a hang is what these tests catch, and none should take a second

READING = [["list"], ["search", "model"], ["show", "1"], ["export", "--all"]]
WRITING = [["star", "1"], ["note", "1", "mine"], ["import", PAGE]]
EVERY_COMMAND = [*READING, *WRITING, ["check"], ["backup"], []]  # [] is the app itself


def fingerprint(path: Path) -> tuple[str, list[str]]:
    """The file's hash and what lies beside it (a -wal, -shm or -journal would show)."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    return digest, sorted(p.name for p in path.parent.iterdir())


def invoke(db: Path | str, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def one_error_line(result) -> str:
    assert result.exit_code == 1, result.output
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


# -- other programs' files ---------------------------------------------------------------


def browser_history(path: Path) -> Path:
    """Like Firefox's places.sqlite: WAL mode, its own tables and user_version."""
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
        conn.execute("INSERT INTO moz_places (url) VALUES ('https://example.org')")
        conn.execute("PRAGMA user_version = 77")
    conn.close()
    return path


def rollback_database(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    conn.close()
    return path


def versioned_but_empty(path: Path) -> Path:
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA user_version = 3")
    conn.close()
    return path


def newer_library_in_rollback_mode(path: Path) -> Path:
    ReadingList(path).close()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    return path


@pytest.mark.parametrize(
    "make",
    [browser_history, rollback_database, versioned_but_empty, newer_library_in_rollback_mode],
)
@pytest.mark.parametrize("args", EVERY_COMMAND, ids=lambda args: " ".join(args) or "app")
def test_files_that_are_not_ours_are_left_byte_for_byte(tmp_path: Path, make, args):
    db = make(tmp_path / "other.sqlite")
    before = fingerprint(db)
    result = invoke(db, *args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert fingerprint(db) == before


def test_other_programs_databases_are_named_as_such(tmp_path: Path):
    db = browser_history(tmp_path / "places.sqlite")
    assert one_error_line(invoke(db, "list")) == (
        f"error: {db}: a SQLite database of another program, not a readinglist library; "
        "refusing to touch it"
    )
    newer = newer_library_in_rollback_mode(tmp_path / "newer.db")
    assert "schema version 99" in one_error_line(invoke(newer, "list"))
    with open(newer, "rb") as handle:
        assert handle.read(20)[18:20] == b"\x01\x01"  # still rollback mode, not WAL


def test_an_empty_sqlite_file_becomes_a_new_library(tmp_path: Path):
    db = tmp_path / "blank.db"
    with sqlite3.connect(db) as conn:  # a SQLite file with no tables: nothing to lose
        conn.executescript("CREATE TABLE scratch (x); DROP TABLE scratch;")
    conn.close()
    assert db.stat().st_size > 0
    assert invoke(db, "import", PAGE).exit_code == 0
    assert invoke(db, "list").exit_code == 0


# -- damaged libraries ------------------------------------------------------------------


def damage_table(db: Path, name: str) -> None:
    """Overwrite the first bytes of a table's root page: the header stays intact."""
    with sqlite3.connect(db) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        (root,) = conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = ?", (name,)
        ).fetchone()
    conn.close()
    with open(db, "r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xff" * 64)


@pytest.mark.parametrize("args", READING, ids=" ".join)
def test_reading_a_damaged_library_is_one_line_pointing_to_check(library: Path, args):
    damage_table(library, "paper")
    line = one_error_line(invoke(library, *args))
    assert line.startswith(f"error: {library}: the library is damaged (")
    assert line.endswith("run: readinglist check")


@pytest.mark.parametrize("args", WRITING, ids=" ".join)
def test_writes_into_a_damaged_library_are_refused(library: Path, args):
    """The damage is where the write never looks (the sightings): still refused."""
    damage_table(library, "sighting")
    before = library.read_bytes()
    result = invoke(library, *args)
    assert result.exit_code == 1
    assert "the library is damaged" in result.stderr and "readinglist check" in result.stderr
    assert library.read_bytes() == before
    check = invoke(library, "check")
    assert check.exit_code == 1 and "readinglist restore" in check.stderr


@pytest.mark.parametrize("args", [*READING, *WRITING, ["backup"]], ids=" ".join)
def test_a_damaged_library_as_a_restore_leaves_it_is_left_byte_for_byte(library: Path, args):
    """A restored library comes in rollback mode: switching it to WAL would rewrite its
    header, so that waits for a first write, which the damage refuses."""
    with sqlite3.connect(library) as conn:
        conn.execute("PRAGMA journal_mode=DELETE")
    conn.close()
    damage_table(library, "sighting")
    before = fingerprint(library)
    invoke(library, *args)
    assert fingerprint(library) == before


def test_the_app_shows_why_the_list_did_not_load(library: Path):
    import asyncio
    import contextlib

    from textual.worker import WorkerFailed

    from readinglist.ui.app import ReadingListApp
    from readinglist.ui.widgets.paper_list import PaperList

    damage_table(library, "paper")

    async def run() -> str:
        with ReadingList(library, today=TODAY) as service:
            app = ReadingListApp(service)
            async with app.run_test(size=(120, 30)) as pilot:
                paper_list = app.screen.query_one(PaperList)
                for _ in range(400):  # until the worker reports, however busy the machine
                    if paper_list.empty_message != "Loading…":
                        break
                    await pilot.pause(0.05)
                with contextlib.suppress(WorkerFailed):  # other workers fail on it too
                    await app.workers.wait_for_complete()
                return paper_list.empty_message

    message = asyncio.run(run())
    assert message.startswith("Could not load the list: ") and "damaged" in message


# -- odd paths and settings ------------------------------------------------------------------


def run_cli(*args: str, cwd: Path, stdout=subprocess.PIPE, env: dict | None = None):
    return subprocess.run(
        [sys.executable, "-m", "readinglist", *args],
        cwd=cwd,
        stdout=stdout,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
        timeout=TIMEOUT,
        env={**os.environ, **(env or {})},
    )


@pytest.mark.parametrize("args", [["list"], ["star", "1"], ["check"], ["backup"], ["import", PAGE]])
def test_a_named_pipe_as_the_library_is_refused_at_once(tmp_path: Path, args):
    fifo = tmp_path / "library.db"
    os.mkfifo(fifo)
    result = run_cli("--db", str(fifo), *args, cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.startswith(f"error: {fifo}: a named pipe (FIFO), not a library file")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("where", "says"),
    [("folder", "a directory"), ("/dev/zero", "a device"), ("dangling", "a symbolic link")],
)
@pytest.mark.parametrize("args", [["list"], ["import", PAGE], ["check"], ["backup"]])
def test_odd_paths_get_one_line(tmp_path: Path, where: str, says: str, args):
    if where == "folder":
        db = tmp_path
    elif where == "dangling":
        db = tmp_path / "link.db"
        db.symlink_to(tmp_path / "gone" / "library.db")
    else:
        db = Path(where)
    line = one_error_line(invoke(db, *args))
    assert line.startswith(f"error: {db}: {says}")
    assert not (tmp_path / "gone").exists()


def test_a_name_with_uri_and_glob_characters_is_that_file_and_no_other(tmp_path: Path):
    """'#', '?' and '%' mean something in a SQLite URI, '?', '*' and '[' in a glob."""
    folder = tmp_path / "odd #1 ?x%41 & [é]*"
    folder.mkdir()
    db = folder / "lib?.db"
    assert invoke(db, "import", PAGE).exit_code == 0
    assert invoke(db, "star", "2").exit_code == 0
    backup = Path(invoke(db, "backup").stdout.strip())
    stranger = backup.parent / "libX-20991231T000000.000000-manual.db"  # lib?-... as a glob
    stranger.write_bytes(b"not ours")
    assert f"backup:  {backup} (" in invoke(db, "check").stdout
    assert invoke(db, "restore", str(backup)).exit_code == 0
    assert stranger.read_bytes() == b"not ours"
    assert sorted(p.name for p in folder.iterdir()) == ["lib?.db", "lib?.db.backups"]
    assert [p.name for p in tmp_path.iterdir()] == [folder.name]
    assert "★" in invoke(db, "list", "--starred").stdout


@pytest.mark.parametrize("value", ["nan", "-1", "inf", "-inf", "1e300", "five"])
def test_a_bad_busy_timeout_is_one_line(tmp_path: Path, value: str):
    result = run_cli(
        "--db",
        str(tmp_path / "x.db"),
        "import",
        PAGE,
        cwd=tmp_path,
        env={"READINGLIST_BUSY_TIMEOUT": value},
    )
    assert result.returncode == 1
    assert result.stderr == (
        f"error: READINGLIST_BUSY_TIMEOUT: {value!r} is not a number of seconds from 0 to 86400\n"
    )
    with pytest.raises(LibraryError, match="not a number of seconds"):
        ReadingList(tmp_path / "y.db", busy_timeout=float(value) if value != "five" else -1)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args", [["list"], ["show", "1", "--json"], ["export", "--all"], ["paths"]]
)
def test_output_onto_a_full_device_is_one_line(library: Path, args):
    with open("/dev/full", "w") as full:
        result = run_cli("--db", str(library), *args, cwd=library.parent, stdout=full)
    assert result.returncode == 1
    assert result.stderr == "error: cannot write the output: No space left on device\n"


# -- reading commands never create a library -------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [*READING, ["star", "1"], ["note", "1", "x"], ["check"], ["backup"]],
    ids=" ".join,
)
def test_reading_commands_never_create_a_library(tmp_path: Path, args):
    mistyped = tmp_path / "no-such-folder" / "sub" / "library.db"
    result = invoke(mistyped, *args)
    assert result.exit_code == 1
    assert "error: " in result.stderr and str(mistyped) in result.stderr
    assert not (tmp_path / "no-such-folder").exists()


def test_import_creates_the_library_and_its_folder(tmp_path: Path):
    db = tmp_path / "new-folder" / "library.db"
    assert invoke(db, "import", PAGE).exit_code == 0
    assert invoke(db, "list").exit_code == 0


def test_the_default_library_is_not_made_by_reading(isolated_home: Path):
    result = CliRunner().invoke(cli, ["list"])
    assert result.exit_code == 1 and "no library here" in result.stderr
    assert not isolated_home.exists()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_the_app_on_a_fresh_machine_opens_on_a_new_empty_library(tmp_path: Path):
    import pty
    import select

    home = tmp_path / "fresh-home"
    leader, follower = pty.openpty()
    env = {**os.environ, "READINGLIST_HOME": str(home), "TERM": "xterm-256color"}
    env.pop("READINGLIST_DB", None)
    process = subprocess.Popen(
        [sys.executable, "-m", "readinglist"],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env=env,
        close_fds=True,
    )
    os.close(follower)
    seen = b""
    try:
        while b"The reading list is empty" not in seen:
            ready, _, _ = select.select([leader], [], [], TIMEOUT)
            assert ready, f"the app did not draw its empty list: {seen[-500:]!r}"
            seen += os.read(leader, 65536)
        os.write(leader, b"\x11")  # ctrl+q
        while process.poll() is None:
            ready, _, _ = select.select([leader], [], [], TIMEOUT)
            assert ready or process.poll() is not None
            try:
                os.read(leader, 65536)
            except OSError:
                break
        assert process.wait(timeout=TIMEOUT) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(leader)
    assert (home / "library.db").exists()
