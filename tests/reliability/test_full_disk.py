"""A really full disk: a small tmpfs filled up (needs root allowed to mount; skipped elsewhere).

Every command says so in one line, check calls the library healthy and says the disk is
full, and everything works again once space is freed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from readinglist.cli import cli
from tests.conftest import SAMPLES

PAGES = sorted(SAMPLES.glob("*.txt"))


@pytest.fixture
def small_disk(tmp_path: Path):
    mount = tmp_path / "disk"
    mount.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("needs root to mount a small tmpfs")
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=3m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def fill(folder: Path) -> Path:
    filler = folder / "filler"
    with open(filler, "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    return filler


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def test_a_full_disk_is_named_and_changes_nothing(small_disk: Path):
    db = small_disk / "library.db"
    assert run(db, "import", str(PAGES[0])).exit_code == 0
    assert run(db, "note", "1", "before the disk filled").exit_code == 0
    filler = fill(small_disk)
    for args in (["list"], ["show", "1"], ["star", "2"], ["note", "1", "x"], ["backup"]):
        result = run(db, *args)
        assert result.exit_code == 1, args
        assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: "), args
        assert "full" in result.stderr, args
    check = run(db, "check")
    assert check.exit_code == 0 and "status:  ok" in check.stdout
    assert "the disk is full" in check.stderr and "restore" not in check.stderr
    filler.unlink()
    assert run(db, "star", "2").exit_code == 0
    assert "before the disk filled" in run(db, "show", "1").stdout
