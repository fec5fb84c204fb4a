"""Backups and restores that hold under kills, links, rotation and other open instances."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from readinglist.cli import cli
from readinglist.core.backup import check_library, list_backups, make_backup, restore_backup
from readinglist.core.library_file import LibraryInUseError
from readinglist.core.service import ReadingList
from tests.conftest import SAMPLES, TODAY

PAGES = sorted(SAMPLES.glob("*.txt"))
ROOT = Path(__file__).resolve().parents[2]
TIMEOUT = 60  # generous: the machine may be busy; nothing here waits on a clock


def child(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "tests.reliability.kill_at", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        **kwargs,
    )


def holder(*args: str) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.kill_at", *args],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "ready"
    return process


def stop(process: subprocess.Popen) -> None:
    process.kill()
    process.wait(timeout=TIMEOUT)


def library_with(tmp_path: Path, note: str = "") -> Path:
    db = tmp_path / "library.db"
    with ReadingList(db, today=TODAY) as service:
        service.import_pages(PAGES[:1])
        if note:
            service.set_note(1, note)
    return db


def note_of(db: Path, paper_id: int = 1) -> str:
    with ReadingList(db, today=TODAY, create=False) as service:
        return service.get(paper_id).note


def test_restoring_the_oldest_kept_backup_keeps_it(tmp_path: Path):
    db = library_with(tmp_path, "oldest")
    oldest = make_backup(db)
    with ReadingList(db) as service:
        service.set_note(1, "newer")
    for _ in range(6):
        make_backup(db)
    assert list_backups(db)[-1] == oldest and len(list_backups(db)) == 7
    safety = restore_backup(db, oldest)
    assert note_of(db) == "oldest"
    assert oldest.exists() and check_library(oldest).ok  # rotation spared it
    assert safety is not None and safety in list_backups(db)


def test_restore_through_a_link_replaces_the_file_it_points_to(tmp_path: Path):
    real_folder = tmp_path / "real"
    real_folder.mkdir()
    real = library_with(real_folder, "before")
    backup = make_backup(real)
    with ReadingList(real) as service:
        service.set_note(1, "after")
    link = tmp_path / "link.db"
    link.symlink_to(real)
    result = CliRunner().invoke(cli, ["--db", str(link), "restore", str(backup)])
    assert result.exit_code == 0, result.output
    assert link.is_symlink() and link.resolve() == real
    assert note_of(real) == "before"
    assert not list((real_folder).glob(".*restoring*"))


def test_a_killed_backup_leaves_partial_files_that_the_next_backup_removes(tmp_path: Path):
    db = library_with(tmp_path)
    killed = child("replace-onto", "*", "--db", str(db), "backup")
    assert killed.returncode == -9
    folder = db.parent / f"{db.name}.backups"
    assert len(list(folder.glob(".*.partial"))) == 1  # what the kill left
    make_backup(db)
    assert list(folder.glob(".*.partial*")) == []  # and its -journal
    assert len(list_backups(db)) == 1


def test_the_next_backup_leaves_a_backup_in_progress_alone(tmp_path: Path):
    """A .partial being written by another process (it holds it) is not debris, nor is
    the -journal SQLite keeps beside it; a stale one goes with its journal."""
    from readinglist.core.library_file import claimed

    db = library_with(tmp_path)
    folder = db.parent / f"{db.name}.backups"
    folder.mkdir()
    in_progress = folder / ".library-in-progress.db.partial"
    with claimed(in_progress):  # held by an open descriptor, as a running backup holds it
        its_journal = Path(f"{in_progress}-journal")
        its_journal.write_bytes(b"journal of a backup being written")
        stale = folder / ".library-stale.db.partial"
        stale.write_bytes(b"half a backup")
        Path(f"{stale}-journal").write_bytes(b"its journal")
        orphan = folder / ".library-gone.db.partial-journal"
        orphan.write_bytes(b"a journal whose backup is gone")
        make_backup(db)
        assert in_progress.exists() and its_journal.exists()
        assert not stale.exists() and not Path(f"{stale}-journal").exists()
        assert not orphan.exists()
        its_journal.unlink()
    assert not in_progress.exists()


def test_a_kill_at_the_final_rename_loses_no_committed_write(tmp_path: Path):
    db = library_with(tmp_path, "old note")
    backup = make_backup(db)
    died = child("write-and-die", str(db), str(PAGES[1]), "committed, still in the log")
    assert died.returncode == -9
    wal = Path(f"{db}-wal")
    assert wal.stat().st_size > 0  # the commits live only in the log
    killed = child("replace-onto", str(db), "--db", str(db), "restore", str(backup))
    assert killed.returncode == -9
    report = check_library(db)
    assert report.ok, report.problems
    assert note_of(db) == "committed, still in the log"  # the old library, whole
    assert list(tmp_path.glob(".*restoring*"))  # the copy the kill left ...
    assert restore_backup(db, backup) is not None  # ... the next restore removes
    assert note_of(db) == "old note" and not list(tmp_path.glob(".*restoring*"))


def test_restore_refuses_while_another_instance_has_the_library_open(tmp_path: Path):
    db = library_with(tmp_path, "kept")
    backup = make_backup(db)
    before = db.read_bytes()
    app = holder("hold", str(db))
    try:
        result = CliRunner().invoke(cli, ["--db", str(db), "restore", str(backup)])
        assert result.exit_code == 1
        assert result.stderr.splitlines() == [
            f"error: {db}: another readinglist has this library open (the app, or a command "
            "still running); close it and try again; nothing was changed"
        ]
        assert db.read_bytes() == before and len(list_backups(db)) == 1
    finally:
        stop(app)
    with ReadingList(db) as service:  # and in this very process too
        with pytest.raises(LibraryInUseError):
            restore_backup(db, backup)
        service.set_note(1, "written after the refused restore")
    assert note_of(db) == "written after the refused restore"
    assert CliRunner().invoke(cli, ["--db", str(db), "restore", str(backup)]).exit_code == 0
    assert note_of(db) == "kept"


def test_restore_refuses_while_another_program_has_the_library_open(tmp_path: Path):
    db = library_with(tmp_path, "kept")
    backup = make_backup(db)
    with ReadingList(db) as service:
        service.set_note(1, "newer")
    other = holder("hold-sqlite", str(db))
    try:
        with pytest.raises(LibraryInUseError, match="another program"):
            restore_backup(db, backup)
    finally:
        stop(other)
    assert note_of(db) == "newer"


def test_restoring_over_a_damaged_library_keeps_the_damaged_file(tmp_path: Path):
    db = library_with(tmp_path, "precious")
    backup = make_backup(db)
    damaged = b"garbage!" * 4 + db.read_bytes()[32:]
    db.write_bytes(damaged)
    kept = restore_backup(db, backup)
    assert kept is not None and kept.read_bytes() == damaged
    assert kept not in list_backups(db)  # it is no backup: check never offers it
    assert note_of(db) == "precious"


def test_backup_and_restore_name_a_file_in_the_way_of_the_backups_folder(tmp_path: Path):
    db = library_with(tmp_path)
    other = tmp_path / "other.db"
    other.write_bytes(db.read_bytes())
    (tmp_path / "library.db.backups").write_text("not a folder")
    for args in (["backup"], ["restore", str(other)]):
        result = CliRunner().invoke(cli, ["--db", str(db), *args])
        assert result.exit_code == 1, args
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1, args
        assert "library.db.backups: not a folder" in result.stderr, args
    with ReadingList(db) as service, pytest.raises(Exception, match="not a folder"):
        service.daily_backup()


def test_backups_leave_no_log_files_beside_the_library(tmp_path: Path):
    """Reading a WAL library read-only makes -wal and -shm files SQLite leaves behind."""
    db = library_with(tmp_path)
    make_backup(db)
    assert check_library(db).ok
    assert sorted(p.name for p in tmp_path.iterdir()) == ["library.db", "library.db.backups"]


def test_restore_keeps_the_wal_mode_library_usable(tmp_path: Path):
    db = library_with(tmp_path, "a")
    backup = make_backup(db)
    restore_backup(db, backup)
    with ReadingList(db) as service:
        service.star([1])
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert os.path.exists(db)
