"""Backups, restores and health checks of a library file.

Backups are consistent copies made with ``VACUUM INTO`` (safe while another instance
is writing), checked with ``PRAGMA integrity_check`` before they count, and rotated.
They live beside the library in ``<library>.backups/``. Everything here opens
libraries with the standard ``sqlite3`` module and read-only where it can, so a
damaged file is inspected, never written, and no ``-wal`` or ``-shm`` is left behind.

A restore never leaves the library half-replaced: at every instant it is the old
file (with its log) or the new one; see ``restore_backup``.
"""

from __future__ import annotations

import glob
import os
import shutil
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .database import (
    LibraryDamagedError,
    LibraryError,
    environment_problems,
    first_line,
    has_log,
    is_damage,
    read_only_uri,
)
from .library_file import (
    LibraryHold,
    LibraryInUseError,
    LibraryUnreadableError,
    claimed,
    hold,
    identify,
    sweep,
)
from .storage.migrations import SCHEMA_VERSION

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


class BackupError(LibraryError):
    """A backup or restore could not be made; the message is for the user."""


@dataclass
class LibraryCheck:
    """What ``readinglist check`` reports.

    ``problems`` are wrong with the file itself (a backup may fix them); ``obstacle``
    says why it could not be read here at all (no sign of damage); ``warnings`` are
    true of a healthy library and worth knowing (a read-only folder, a full disk).
    """

    path: Path
    size: int | None = None
    schema_version: int | None = None
    papers: int | None = None
    starred: int | None = None
    notes: int | None = None
    trash: int | None = None  # papers in the trash: left out of the counts above
    problems: list[str] = field(default_factory=list)
    obstacle: str | None = None
    warnings: list[str] = field(default_factory=list)
    backups: list[Path] = field(default_factory=list)
    good_backup: Path | None = None
    restorable: bool = True  # a regular file (or nothing): a backup can be put there

    @property
    def ok(self) -> bool:
        return not self.problems and self.obstacle is None


def backups_dir(library: Path) -> Path:
    return library.parent / f"{library.name}.backups"


def list_backups(library: Path) -> list[Path]:
    """Backups of ``library``, newest first."""
    folder = backups_dir(library)
    if not folder.is_dir():
        return []
    return sorted(folder.glob(f"{glob.escape(library.stem)}-*.db"), reverse=True)


def backup_is_due(library: Path, now: datetime | None = None) -> bool:
    """True when the newest backup is more than a day old (or there is none)."""
    backups = list_backups(library)
    if not backups:
        return True
    now = now or datetime.now(UTC)
    made = datetime.fromtimestamp(backups[0].stat().st_mtime, UTC)
    return now - made >= DAILY


def make_backup(
    library: Path,
    *,
    reason: str = "manual",
    keep: int = KEEP_BACKUPS,
    spare: Path | None = None,
) -> Path:
    """Copy ``library`` consistently, verify the copy, then drop the oldest beyond ``keep``.

    The copy is written to a ``.partial`` file held by this process until it is renamed
    into place; ones nobody holds (left by a killed backup) are removed first.

    Args:
        spare: a backup rotation must not remove (the one being restored).

    Raises:
        BackupError: the library cannot be read, or the copy failed its check.
    """
    folder = _backups_folder(library)
    sweep(folder, ".*.partial")
    stamp = datetime.now(UTC).strftime(_STAMP)
    target = folder / f"{library.stem}-{stamp}-{reason}.db"
    partial = folder / f".{target.name}.partial"
    try:
        with claimed(partial):
            source = sqlite3.connect(read_only_uri(library), uri=True)
            try:
                # Absolute: on a URI connection a name starting "file:" would be a URI.
                source.execute("VACUUM INTO ?", (os.path.abspath(partial),))
            finally:
                source.close()
            problems = _integrity_problems(partial)
            if problems:
                raise BackupError(f"{library}: the backup copy failed its check: {problems[0]}")
            _sync(partial)
            os.replace(partial, target)
            _sync(folder)
    except sqlite3.Error as error:
        if is_damage(error):
            raise BackupError(
                f"{library}: the library is damaged ({first_line(error)}); not backing it up; "
                "run: readinglist check"
            ) from error
        raise BackupError(f"{library}: could not back up: {first_line(error)}") from error
    except OSError as error:
        raise BackupError(
            f"{library}: could not write a backup: {error.strerror or error}"
        ) from error
    kept = {spare.resolve()} if spare else set()
    for old in list_backups(library)[keep:]:
        if old.resolve() not in kept:
            old.unlink(missing_ok=True)
    return target


def _backups_folder(library: Path) -> Path:
    folder = backups_dir(library)
    in_the_way = f"{folder}: not a folder; backups of {library.name} are kept there"
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise BackupError(in_the_way) from None
    except OSError as error:
        raise BackupError(
            f"{folder}: cannot make the backups folder ({error.strerror or error})"
        ) from error
    if not folder.is_dir():  # a link to a file
        raise BackupError(in_the_way)
    return folder


def restore_backup(library: Path, backup: Path) -> Path | None:
    """Replace ``library`` with ``backup`` after checking it; returns what the old one was
    kept as (a fresh backup, or the damaged file itself), so a restore is undoable.

    The order keeps the library whole at every instant, whatever kills the process:

    1. the backup is copied beside the library (held, so a later restore can tell a
       copy a killed restore left) and the copy is checked: what goes in is what was
       checked, and rotation cannot remove the backup from under us;
    2. the library is held exclusively: refused while another readinglist has it open;
    3. its log is folded into the file (``journal_mode=DELETE``), so nothing committed
       lives beside it; a damaged file whose log cannot be folded is kept with its
       log in the backups folder before the log is moved away;
    4. the old library is kept (a checked backup, or the damaged file as it is);
    5. the copy is renamed over the file a symbolic link points to, in one step.

    Raises:
        BackupError: the backup is damaged, or the restore could not be done; nothing
            was changed.
        LibraryInUseError: another readinglist (or program) has the library open.
    """
    report = check_library(backup)
    if not report.ok:
        problem = report.obstacle or report.problems[0]
        raise BackupError(f"{backup}: not restoring it: {problem}")
    real = Path(os.path.realpath(library))
    if report.schema_version is not None and report.schema_version > SCHEMA_VERSION:
        raise BackupError(f"{backup}: written by a newer readinglist; not restoring it")
    temporary = real.parent / f".{real.name}.restoring"
    try:
        real.parent.mkdir(parents=True, exist_ok=True)
        sweep(real.parent, glob.escape(f".{real.name}.restoring"))
        with claimed(temporary):
            shutil.copyfile(backup, temporary)
            _sync(temporary)
            problems = _integrity_problems(temporary)
            if problems:
                raise BackupError(f"{backup}: the copy failed its check: {problems[0]}")
            held = hold(library, exclusive=True)  # the same file; named as the reader does
            try:
                kept = _keep_old_library(library, real, spare=backup) if held else None
                os.replace(temporary, real)
                _sync(real.parent)
            finally:
                if held:
                    held.release()
    except FileExistsError:
        raise BackupError(f"{library}: another restore is running; nothing was changed") from None
    except OSError as error:
        raise BackupError(
            f"{library}: could not restore: {error.strerror or error}; nothing was changed"
        ) from error
    return kept


def _keep_old_library(library: Path, real: Path, *, spare: Path) -> Path:
    """Fold the library's log into it, then keep it: a checked backup when it is healthy,
    else the file itself (and any log it could not fold) in the backups folder.

    ``library`` is the path as the reader names it (its backups live beside it), ``real``
    the file it leads to."""
    folded = _fold_log(real, name=library)
    if folded and check_library(library).ok:
        return make_backup(library, reason="before-restore", spare=spare)
    folder = _backups_folder(library)
    stamp = datetime.now(UTC).strftime(_STAMP)
    kept = folder / f"{real.stem}-{stamp}-before-restore.damaged"
    _link_or_copy(real, kept)
    if not folded:  # its log may hold committed writes: keep it beside the kept file
        for suffix in ("-wal", "-shm"):
            log = Path(f"{real}{suffix}")
            if log.exists():
                _link_or_copy(log, Path(f"{kept}{suffix}"))
                log.unlink()
    return kept


def _fold_log(real: Path, *, name: Path) -> bool:
    """Checkpoint the library's WAL into it and leave WAL mode (which removes ``-wal``
    and ``-shm`` once nothing is in them); True when no log is left beside it.

    Raises:
        LibraryInUseError: another program has the library open.
    """
    try:
        conn = sqlite3.connect(real, timeout=0, isolation_level=None)
        try:
            mode = conn.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as error:
        if "locked" in str(error) or "busy" in str(error):
            raise LibraryInUseError(
                f"{name}: another program has the library open; close it and try again; "
                "nothing was changed"
            ) from error
        return not has_log(real)
    return mode == "delete" and not has_log(real)


def _link_or_copy(source: Path, target: Path) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)
        _sync(target)


def _sync(path: Path) -> None:
    """Flush a file (or a folder's entries, after a rename) to the disk."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        if not path.is_dir():  # some systems cannot sync a folder; a file must sync
            raise
    finally:
        os.close(fd)


def check_library(library: Path) -> LibraryCheck:
    """Integrity and foreign-key checks, size, schema version and backups, never writing.

    Tells what is wrong with the file (``problems``) from what keeps it from being read
    here (``obstacle``: a read-only folder, a full disk), which no backup fixes.
    """
    report = LibraryCheck(library, backups=list_backups(library))
    try:
        held = hold(library)
    except LibraryError as error:
        report.problems.append(_without_path(error, library))
        report.restorable = False
        return report
    if held is None:
        report.problems.append("no library file at this path")
    else:
        with held:
            report.size = library.stat().st_size
            _inspect(held, report)
    report.warnings += environment_problems(library)
    if report.problems and report.restorable:
        report.good_backup = next((b for b in report.backups if not _integrity_problems(b)), None)
    return report


def _inspect(held: LibraryHold, report: LibraryCheck) -> None:
    library = report.path
    try:
        report.schema_version = identify(held)
    except LibraryUnreadableError as error:
        report.obstacle = _obstacle(library, error.__cause__ or error)
        return
    except LibraryDamagedError as error:
        report.problems.append(f"damaged: {error.why}")
        return
    except LibraryError as error:
        report.problems.append(_without_path(error, library))
        return
    if report.schema_version > SCHEMA_VERSION:
        report.problems.append(
            f"written by a newer readinglist (schema {report.schema_version}, "
            f"this one knows {SCHEMA_VERSION})"
        )
        return
    try:
        conn = sqlite3.connect(read_only_uri(library), uri=True)
        try:
            report.problems += _integrity_problems(conn)
            if report.problems:
                return
            keys = conn.execute("PRAGMA foreign_key_check").fetchall()
            if keys:
                report.problems.append(f"{len(keys)} broken references between tables")
            if report.ok and report.schema_version > 0:
                _count_papers(conn, report)
        finally:
            conn.close()
    except sqlite3.Error as error:
        if is_damage(error):
            report.problems.append(f"damaged: {first_line(error)}")
        else:
            report.obstacle = _obstacle(library, error)


def _count_papers(conn: sqlite3.Connection, report: LibraryCheck) -> None:
    """The papers, starred papers and notes the reader has, and the papers in the trash
    apart (a library from before the trash has none)."""
    columns = {row[1] for row in conn.execute("PRAGMA table_info(paper)")}
    trash = "deleted_at IS NOT NULL" if "deleted_at" in columns else "false"
    row = conn.execute(
        f"SELECT count(*) - sum({trash}), sum(starred AND NOT {trash}), "
        f"sum(note != '' AND NOT {trash}), sum({trash}) FROM paper"
    ).fetchone()
    report.papers, report.starred, report.notes, report.trash = (value or 0 for value in row)


def _obstacle(library: Path, error: BaseException) -> str:
    causes = environment_problems(library)
    cause = causes[0].split(":")[0] if causes else "SQLite could not open it"
    return (
        f"could not be read here ({first_line(error)}): {cause}; this is no sign of damage, "
        "so do not restore a backup over it"
    )


def _without_path(error: Exception, library: Path) -> str:
    return str(error).removeprefix(f"{library}: ")


def _integrity_problems(target: Path | sqlite3.Connection) -> list[str]:
    try:
        conn = (
            sqlite3.connect(read_only_uri(target), uri=True) if isinstance(target, Path) else target
        )
    except sqlite3.Error as error:
        return [f"damaged: {first_line(error)}"]
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
    except sqlite3.Error as error:
        return [f"damaged: {first_line(error)}"]
    finally:
        if isinstance(target, Path):
            conn.close()
    messages = [line for (row,) in rows for line in row.splitlines() if not line.startswith("***")]
    return [] if messages == ["ok"] else [f"integrity check: {'; '.join(messages[:3])}"]
