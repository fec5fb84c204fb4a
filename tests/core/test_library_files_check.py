"""``readinglist check`` says what is actually wrong: damage, or only a folder it cannot
write or a full disk (no sign of damage, and no restore to suggest)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from readinglist.cli import cli
from tests.conftest import SAMPLES

PAGE = str(SAMPLES / "daily-papers-page-a.txt")
TIMEOUT = 60


def invoke(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def die_with_a_note_in_the_log(library: Path) -> None:
    """A writer killed before closing: its commits (a note "x") stay in the -wal."""
    died = subprocess.run(
        [
            sys.executable,
            "-m",
            "tests.reliability.kill_at",
            "write-and-die",
            str(library),
            PAGE,
            "x",
        ],
        cwd=Path(__file__).resolve().parents[2],
        timeout=TIMEOUT,
    )
    assert died.returncode == -9 and Path(f"{library}-wal").stat().st_size > 0


def read_only_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    """What a read-only folder looks like to readinglist (root ignores a real chmod)."""
    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: mode != os.W_OK and real_access(path, mode)
    )


def test_check_needs_no_file_beside_the_library(library: Path, monkeypatch: pytest.MonkeyPatch):
    """Where SQLite cannot make a -wal or -shm (a read-only folder), a healthy library
    still checks ok: reading it read-only must not need them."""
    for suffix in ("-wal", "-shm"):
        Path(f"{library}{suffix}").mkdir()  # nothing can be made there
    read_only_folder(monkeypatch)
    result = invoke(library, "check")
    assert result.exit_code == 0, result.output
    assert "status:  ok" in result.stdout and "papers:  182" in result.stdout
    assert (
        result.stderr
        == f"warning: {library}: its folder is read-only: readinglist opens the library read-only\n"
    )


def test_check_reads_what_is_in_the_log(library: Path):
    die_with_a_note_in_the_log(library)
    result = invoke(library, "check")
    assert result.exit_code == 0 and "1 with notes" in result.stdout  # the note "x"


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores file permissions")
def test_check_in_a_really_read_only_folder(library: Path):
    library.parent.chmod(0o555)
    try:
        clean = invoke(library, "check")
    finally:
        library.parent.chmod(0o755)
    assert clean.exit_code == 0 and "status:  ok" in clean.stdout
    die_with_a_note_in_the_log(library)
    Path(f"{library}-shm").unlink()  # a log SQLite cannot read without making a -shm
    library.parent.chmod(0o555)
    try:
        stuck = invoke(library, "check")
    finally:
        library.parent.chmod(0o755)
    assert stuck.exit_code == 1 and "its folder is read-only" in stuck.stderr
    assert "no sign of damage" in stuck.stderr and "readinglist restore" not in stuck.stderr


def test_check_says_when_the_disk_is_full(library: Path, monkeypatch: pytest.MonkeyPatch):
    import shutil

    real_usage = shutil.disk_usage
    monkeypatch.setattr(shutil, "disk_usage", lambda path: real_usage(path)._replace(free=4096))
    result = invoke(library, "check")
    assert result.exit_code == 0 and "status:  ok" in result.stdout
    assert "the disk is full" in result.stderr
