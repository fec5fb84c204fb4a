"""Backups, restores and health checks of a library file.

Backups are consistent copies made with ``VACUUM INTO`` (safe while another instance
is writing), checked with ``PRAGMA integrity_check`` before they count, and rotated.
They live beside the library in ``<library>.backups/``. Everything here opens
libraries with the standard ``sqlite3`` module and read-only where it can, so a
damaged file is inspected, never written.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .migrations import SCHEMA_VERSION

__all__ = [
    "KEEP_BACKUPS",
    "BackupError",
    "LibraryCheck",
    "backup_is_due",
    "check_library",
    "list_backups",
    "make_backup",
    "restore_backup",
]

KEEP_BACKUPS = 7
DAILY = timedelta(days=1)
_STAMP = "%Y%m%dT%H%M%S.%f"


class BackupError(Exception):
    """A backup or restore could not be made; the message is for the user."""


@dataclass
class LibraryCheck:
    """What ``readinglist check`` reports."""

    path: Path
    size: int | None = None
    schema_version: int | None = None
    papers: int | None = None
    starred: int | None = None
    notes: int | None = None
    problems: list[str] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)
    good_backup: Path | None = None

    @property
    def ok(self) -> bool:
        return not self.problems


def backups_dir(library: Path) -> Path:
    return library.parent / f"{library.name}.backups"


def list_backups(library: Path) -> list[Path]:
    """Backups of ``library``, newest first."""
    folder = backups_dir(library)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{library.stem}-*.db"), reverse=True)


def backup_is_due(library: Path, now: datetime | None = None) -> bool:
    """True when the newest backup is more than a day old (or there is none)."""
    backups = list_backups(library)
    if not backups:
        return True
    now = now or datetime.now(UTC)
    made = datetime.fromtimestamp(backups[0].stat().st_mtime, UTC)
    return now - made >= DAILY


def make_backup(library: Path, *, reason: str = "manual", keep: int = KEEP_BACKUPS) -> Path:
    """Copy ``library`` consistently, verify the copy, then drop the oldest beyond ``keep``.

    Raises:
        BackupError: the library cannot be read, or the copy failed its check.
    """
    folder = backups_dir(library)
    folder.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime(_STAMP)
    target = folder / f"{library.stem}-{stamp}-{reason}.db"
    partial = folder / f".{target.name}.partial"
    partial.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(f"file:{library}?mode=ro", uri=True)
        try:
            source.execute("VACUUM INTO ?", (str(partial),))
        finally:
            source.close()
        problems = _integrity_problems(partial)
        if problems:
            raise BackupError(f"{library}: the backup copy failed its check: {problems[0]}")
        os.replace(partial, target)
    except sqlite3.Error as error:
        raise BackupError(f"{library}: could not back up: {error}") from error
    except OSError as error:
        raise BackupError(
            f"{library}: could not write a backup: {error.strerror or error}"
        ) from error
    finally:
        partial.unlink(missing_ok=True)
    for old in list_backups(library)[keep:]:
        old.unlink(missing_ok=True)
    return target


def restore_backup(library: Path, backup: Path) -> Path | None:
    """Replace ``library`` with ``backup`` after checking it; returns the safety copy made.

    The current library is backed up first when it can be read, so a restore is
    itself undoable.

    Raises:
        BackupError: the backup is damaged or from a newer readinglist.
    """
    report = check_library(backup)
    if not report.ok:
        raise BackupError(f"{backup}: not restoring a damaged backup: {report.problems[0]}")
    safety = None
    if library.exists() and check_library(library).ok:
        safety = make_backup(library, reason="before-restore")
    temporary = library.parent / f".{library.name}.restoring"
    try:
        shutil.copyfile(backup, temporary)
        for suffix in ("-wal", "-shm"):
            Path(f"{library}{suffix}").unlink(missing_ok=True)
        os.replace(temporary, library)
    except OSError as error:
        raise BackupError(f"{library}: could not restore: {error.strerror or error}") from error
    finally:
        temporary.unlink(missing_ok=True)
    return safety


def check_library(library: Path) -> LibraryCheck:
    """Integrity and foreign-key checks, size, schema version and backups, never writing."""
    report = LibraryCheck(library, backups=list_backups(library))
    if not library.exists():
        report.problems.append("no library file at this path")
    elif library.stat().st_size == 0:
        report.size = 0
        report.problems.append("the file is empty (0 bytes)")
    else:
        report.size = library.stat().st_size
        _inspect(library, report)
    if not report.ok:
        report.good_backup = next((b for b in report.backups if not _integrity_problems(b)), None)
    return report


def _inspect(library: Path, report: LibraryCheck) -> None:
    with library.open("rb") as handle:
        if handle.read(16) != b"SQLite format 3\x00":
            report.problems.append(
                "not a SQLite database (its header is damaged or it is another file)"
            )
            return
    try:
        conn = sqlite3.connect(f"file:{library}?mode=ro", uri=True)
    except sqlite3.Error as error:
        report.problems.append(f"cannot be opened: {error}")
        return
    try:
        report.schema_version = conn.execute("PRAGMA user_version").fetchone()[0]
        if report.schema_version > SCHEMA_VERSION:
            report.problems.append(
                f"written by a newer readinglist (schema {report.schema_version}, "
                f"this one knows {SCHEMA_VERSION})"
            )
        report.problems += _integrity_problems(conn)
        keys = conn.execute("PRAGMA foreign_key_check").fetchall()
        if keys:
            report.problems.append(f"{len(keys)} broken references between tables")
        if report.ok:
            row = conn.execute(
                "SELECT count(*), sum(starred), sum(note != '') FROM paper"
            ).fetchone()
            report.papers, report.starred, report.notes = row[0], row[1] or 0, row[2] or 0
    except sqlite3.Error as error:
        report.problems.append(f"damaged: {error}")
    finally:
        conn.close()


def _integrity_problems(target: Path | sqlite3.Connection) -> list[str]:
    conn = (
        sqlite3.connect(f"file:{target}?mode=ro", uri=True) if isinstance(target, Path) else target
    )
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.Error as error:
        return [f"damaged: {error}"]
    finally:
        if isinstance(target, Path):
            conn.close()
    messages = [row[0] for row in rows]
    return [] if messages == ["ok"] else [f"integrity check: {'; '.join(messages[:3])}"]
