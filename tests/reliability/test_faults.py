"""Faults caused for real: SIGKILL mid-write, a second writer, read-only files, damage, disk full."""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from readinglist.cli import cli
from readinglist.core.backup import check_library, list_backups, make_backup, restore_backup
from readinglist.core.database import LibraryBusyError, LibraryReadOnlyError
from readinglist.core.parse import read_page
from readinglist.core.service import LibraryError, ReadingList
from tests.conftest import SAMPLES, TODAY, downgrade_to_v1

PAGES = sorted(SAMPLES.glob("*.txt"))
KILL_TRIALS = int(os.environ.get("READINGLIST_KILL_TRIALS", "25"))
NOTE = re.compile(r"^(|note-\d+-x{20000})$")


def test_sigkill_at_random_points_never_damages_the_library(tmp_path: Path):
    db = tmp_path / "killed.db"
    page_sizes = {str(page.resolve()): len(read_page(page).papers) for page in PAGES}
    rng = random.Random(1234)
    outcomes = {"killed_mid_run": 0}
    for _trial in range(KILL_TRIALS):
        child = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.writer", str(db), *map(str, PAGES)],
            stdout=subprocess.PIPE,
            cwd=Path(__file__).resolve().parents[2],
        )
        assert child.stdout is not None and child.stdout.readline().strip() == b"ready"
        time.sleep(rng.uniform(0.0, 0.6))
        child.send_signal(signal.SIGKILL)
        child.wait()
        outcomes["killed_mid_run"] += child.returncode == -signal.SIGKILL
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
            for path, seen in conn.execute(
                "SELECT source.path, count(*) FROM source JOIN sighting ON sighting.source_id = source.id "
                "GROUP BY source.id"
            ):
                assert seen == page_sizes[path], "an import landed in part"
            distinct = len({p.title.lower() for page in PAGES for p in read_page(page).papers})
            count = conn.execute("SELECT count(*) FROM paper").fetchone()[0]
            assert count in {0, 26, 26 + 115, 182} or count <= distinct
            for (note,) in conn.execute("SELECT note FROM paper"):
                assert NOTE.match(note), "a note was half written"
    assert outcomes["killed_mid_run"] == KILL_TRIALS
    with ReadingList(db) as service:  # and it still opens and works
        assert service.count() == 182


def test_second_writer_gets_busy_error_and_loses_nothing(tmp_path: Path):
    db = tmp_path / "shared.db"
    with ReadingList(db, today=TODAY) as first:
        first.import_pages(PAGES[:1])
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3,sys,time; c=sqlite3.connect(sys.argv[1], isolation_level=None);"
            "c.execute('BEGIN IMMEDIATE'); c.execute(\"UPDATE paper SET note='held' WHERE id=1\");"
            "print('locked', flush=True); time.sleep(30)",
            str(db),
        ],
        stdout=subprocess.PIPE,
    )
    try:
        assert holder.stdout.readline().strip() == b"locked"
        with ReadingList(db, today=TODAY, busy_timeout=0.3) as second:
            with pytest.raises(LibraryBusyError, match="the library is busy"):
                second.set_note(2, "mine")
            report = second.import_page(PAGES[1])
            assert report.error and "busy" in report.error
            assert second.count() == 26  # reads still work
    finally:
        holder.kill()
        holder.wait()
    with ReadingList(db, today=TODAY) as again:
        assert again.get(2).note == "" and again.get(1).note == ""  # the holder never committed
        again.set_note(2, "mine")
        assert again.get(2).note == "mine"


def test_other_instance_sees_changes(tmp_path: Path):
    db = tmp_path / "two.db"
    with ReadingList(db, today=TODAY) as tui, ReadingList(db, today=TODAY) as script:
        tui.import_pages(PAGES[:1])
        script.star([3])
        script.set_note(3, "from the script")
        assert tui.get(3).starred and tui.get(3).note == "from the script"
        assert [hit.id for hit in tui.search("has:note")] == [3]


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_read_only_file_and_folder(tmp_path: Path):
    folder = tmp_path / "ro"
    folder.mkdir()
    db = folder / "library.db"
    with ReadingList(db, today=TODAY) as service:
        service.import_pages(PAGES[:1])
    db.chmod(0o444)
    with ReadingList(db) as service:
        assert service.read_only and service.count() == 26
        with pytest.raises(LibraryReadOnlyError, match="read-only"):
            service.star([1])
    folder.chmod(0o555)
    try:
        with ReadingList(db) as service:
            assert service.read_only and service.search("handwritten")
    finally:
        folder.chmod(0o755)


def test_read_only_as_root_via_store_flag(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Root can write anything, so stand in for chmod by making access() say no."""
    db = tmp_path / "library.db"
    with ReadingList(db, today=TODAY) as service:
        service.import_pages(PAGES[:1])
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: False if mode == os.W_OK else real_access(path, mode)
    )
    with ReadingList(db) as service:
        assert service.read_only and service.count() == 26
        with pytest.raises(LibraryReadOnlyError):
            service.set_note(1, "x")
    result = CliRunner().invoke(cli, ["--db", str(db), "star", "1"])
    assert result.exit_code == 1 and "read-only" in result.stderr
    monkeypatch.undo()
    with ReadingList(db) as service:
        assert not service.get(1).starred


def test_damaged_files_are_never_overwritten_and_check_names_a_backup(tmp_path: Path):
    db = tmp_path / "library.db"
    with ReadingList(db, today=TODAY) as service:
        service.import_pages(PAGES)
        service.set_note(1, "precious")
        good = service.backup()
    original = db.read_bytes()
    damaged = {
        "garbage header": b"garbage!" * 4 + original[32:],
        "truncated": original[: len(original) // 3],
        "not a database": b"hello, this is a text file\n" * 100,
    }
    for label, content in damaged.items():
        db.write_bytes(content)
        for suffix in ("-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        result = CliRunner().invoke(cli, ["--db", str(db), "list"])
        assert result.exit_code == 1, label
        assert result.stderr.count("\n") == 1 and result.stderr.startswith(f"error: {db}"), label
        assert db.read_bytes() == content, f"{label}: the damaged file was touched"
        check = CliRunner().invoke(cli, ["--db", str(db), "check"])
        assert check.exit_code == 1, label
        assert f"readinglist restore {good}" in check.stderr, label
    restored = CliRunner().invoke(cli, ["--db", str(db), "restore", str(good)])
    assert restored.exit_code == 0, restored.output
    with ReadingList(db) as service:
        assert service.get(1).note == "precious" and service.count() == 182


def test_zero_byte_library_is_reported(tmp_path: Path):
    db = tmp_path / "library.db"
    db.write_bytes(b"")
    result = CliRunner().invoke(cli, ["--db", str(db), "list"])
    assert result.exit_code == 1 and "empty (0 bytes)" in result.stderr
    assert db.read_bytes() == b""
    assert "empty (0 bytes)" in CliRunner().invoke(cli, ["--db", str(db), "check"]).stderr


def test_newer_library_refused_older_backed_up_and_migrated(tmp_path: Path):
    db = tmp_path / "library.db"
    with ReadingList(db, today=TODAY) as service:
        service.import_pages(PAGES[:1])
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA user_version = 42")
    result = CliRunner().invoke(cli, ["--db", str(db), "list"])
    assert (
        result.exit_code == 1
        and "schema version 42" in result.stderr
        and "upgrade readinglist" in result.stderr
    )
    downgrade_to_v1(db)
    with ReadingList(db) as service:
        assert service.search("handwritten")
    backups = list_backups(db)
    assert len(backups) == 1 and "before-migration-v1" in backups[0].name
    with sqlite3.connect(backups[0]) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1


def test_failed_migration_leaves_the_old_file_untouched(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    db = tmp_path / "library.db"
    with ReadingList(db, today=TODAY) as service:
        service.import_pages(PAGES[:1])
    downgrade_to_v1(db)
    before = db.read_bytes()
    from readinglist.core.storage import migrations

    def broken(conn):
        conn.execute("CREATE TABLE half_done (x)")
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(
        migrations, "MIGRATIONS", [migrations.MIGRATIONS[0], ("002_fulltext", broken)]
    )
    with pytest.raises(LibraryError, match="disk I/O error"):
        ReadingList(db)
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
        assert (
            conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'half_done'").fetchone()[
                0
            ]
            == 0
        )
    assert db.read_bytes() == before


def test_disk_full_during_import_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    db = tmp_path / "library.db"
    with ReadingList(db, today=TODAY) as service:
        service.import_pages(PAGES[:1])
        service.set_note(1, "keep me")
    original = sqlite3.connect

    def tiny_disk(*args, **kwargs):  # every connection's file can grow by two pages only
        connection = original(*args, **kwargs)
        pages = connection.execute("PRAGMA page_count").fetchone()[0]
        connection.execute(f"PRAGMA max_page_count = {pages + 2}")
        return connection

    monkeypatch.setattr(sqlite3, "connect", tiny_disk)
    with ReadingList(db, today=TODAY) as service:
        [report] = service.import_pages(PAGES[1:2])
        assert report.error and "full" in report.error
        assert service.count() == 26 and service.get(1).note == "keep me"
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_backups_rotate_and_are_checked(tmp_path: Path):
    db = tmp_path / "library.db"
    with ReadingList(db, today=TODAY) as service:
        service.import_pages(PAGES[:1])
        first = service.daily_backup()
        assert first is not None and service.daily_backup() is None  # once a day
        for _ in range(9):
            make_backup(db)
    backups = list_backups(db)
    assert len(backups) == 7 and first not in backups
    assert all(check_library(b).ok for b in backups)
    bad = tmp_path / "bad.db"
    shutil.copyfile(backups[0], bad)
    bad.write_bytes(bad.read_bytes()[:1000])
    with pytest.raises(Exception, match="damaged"):
        restore_backup(db, bad)
    result = CliRunner().invoke(cli, ["--db", str(db), "check"])
    assert (
        result.exit_code == 0 and "status:  ok" in result.stdout and "papers:  26" in result.stdout
    )
