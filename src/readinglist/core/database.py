"""The errors users see about a library, and what SQLite's errors and a file's folder mean.

What a file is (ours, new, or something else) is decided before anything opens it
for writing: see ``library_file``. Any statement that finds a damaged page raises
``LibraryDamagedError``, which names ``readinglist check``. Connections are made in
``storage/sqlite.py``.
"""

from __future__ import annotations

import math
import os
import shutil
import stat
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

__all__ = [
    "BUSY_TIMEOUT_SECONDS",
    "LibraryBusyError",
    "LibraryDamagedError",
    "LibraryError",
    "LibraryReadOnlyError",
    "busy_timeout_seconds",
    "default_busy_timeout",
    "environment_problems",
    "failure_message",
    "first_line",
    "has_log",
    "is_damage",
    "is_environment",
    "is_read_only",
    "read_only_uri",
    "utc_now",
]

BUSY_TIMEOUT_SECONDS = 5.0
MAX_BUSY_TIMEOUT_SECONDS = 86400.0  # SQLite takes milliseconds as a 32-bit int
DISK_FULL_BYTES = 1024 * 1024  # less free space than this: a write of a few pages fails
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26  # primary result codes of a damaged file
_SQLITE_ENVIRONMENT = (8, 10, 13, 14)  # READONLY, IOERR, FULL, CANTOPEN: not the file's fault


class LibraryError(Exception):
    """The library cannot be opened or written; the message is meant for the user."""


class LibraryBusyError(LibraryError):
    """Another instance held the write lock for longer than the busy timeout."""


class LibraryReadOnlyError(LibraryError):
    """The library file or its folder cannot be written."""


class ReadInterrupted(Exception):
    """A read stopped part-way because whoever asked no longer wants the answer
    (``Store.interruptible``): the reader typed on, and a newer search replaces it."""


class LibraryDamagedError(LibraryError):
    """SQLite found a damaged page: reads stop here and writes are refused."""

    def __init__(self, library: object, error: BaseException | str) -> None:
        why = error if isinstance(error, str) else first_line(error)
        self.why = why  # what SQLite said, for a report that words it its own way
        super().__init__(
            f"{library}: the library is damaged ({why}); nothing was changed; "
            "run: readinglist check"
        )


def first_line(error: BaseException) -> str:
    """The first line of what the database said, without SQLAlchemy's wrapping."""
    original = getattr(error, "orig", None) or error
    return str(original).splitlines()[0] if str(original) else type(original).__name__


def _primary_code(error: BaseException) -> int | None:
    original = getattr(error, "orig", None) or error
    code = getattr(original, "sqlite_errorcode", None)
    return code & 0xFF if isinstance(code, int) else None


def is_damage(error: BaseException) -> bool:
    """True when SQLite says the file is corrupt or not a database (not busy, full, ...)."""
    return _primary_code(error) in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


def is_environment(error: BaseException) -> bool:
    """True when SQLite failed for a reason outside the file (read-only, I/O, disk full,
    cannot open): true of a healthy library too."""
    return _primary_code(error) in _SQLITE_ENVIRONMENT


def failure_message(library: object, error: BaseException) -> str:
    """One line for a failed statement, with what about the folder explains it."""
    causes = environment_problems(Path(str(library)))
    cause = f" ({causes[0].split(':')[0]})" if causes else ""
    return f"{library}: {first_line(error)}{cause}; nothing was changed"


def environment_problems(path: Path) -> list[str]:
    """What about the library's folder keeps readinglist from writing there (a read-only
    folder, a full disk): true of a healthy library too, and no sign of damage."""
    folder = Path(os.path.realpath(path)).parent
    found = []
    if folder.is_dir() and not os.access(folder, os.W_OK):
        found.append("its folder is read-only: readinglist opens the library read-only")
    with suppress(OSError):
        if folder.is_dir() and shutil.disk_usage(folder).free < DISK_FULL_BYTES:
            found.append("the disk is full: imports, notes and backups fail until space is freed")
    return found


def utc_now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def read_only_uri(path: Path) -> str:
    """A ``file:`` URI that reads ``path`` without creating or changing any file.

    SQLite opens a WAL database read-only by creating its ``-wal`` and ``-shm`` files
    (and leaves them behind). When there is no log with something in it, there is
    nothing more to read than the file itself, so it is opened ``immutable`` instead,
    which needs no other file (and so also works in a read-only folder).
    """
    return f"file:{quote(str(path))}?mode=ro" + ("" if has_log(path) else "&immutable=1")


def has_log(path: Path) -> bool:
    """True when a non-empty ``-wal`` or ``-journal`` file lies beside the file ``path``
    names (SQLite keeps them beside the file a link points to)."""
    real = os.path.realpath(path)
    for suffix in ("-wal", "-journal"):
        with suppress(OSError):
            log = os.stat(f"{real}{suffix}")
            if stat.S_ISREG(log.st_mode) and log.st_size > 0:
                return True
    return False


def default_busy_timeout() -> float:
    """How long a writer waits for another instance's lock (``READINGLIST_BUSY_TIMEOUT``).

    Raises:
        LibraryError: the variable is not a number of seconds from 0 to a day.
    """
    value = os.environ.get("READINGLIST_BUSY_TIMEOUT")
    if value is None or not value.strip():
        return BUSY_TIMEOUT_SECONDS
    return busy_timeout_seconds(value, source="READINGLIST_BUSY_TIMEOUT")


def busy_timeout_seconds(value: object, *, source: str = "the busy timeout") -> float:
    """``value`` as seconds to wait for a lock; NaN, infinite or negative values are refused.

    Raises:
        LibraryError: with a one-line message naming ``source``.
    """
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        seconds = math.nan
    if not 0 <= seconds <= MAX_BUSY_TIMEOUT_SECONDS:  # NaN fails every comparison
        raise LibraryError(
            f"{source}: {str(value)!r} is not a number of seconds from 0 to "
            f"{MAX_BUSY_TIMEOUT_SECONDS:.0f}"
        )
    return seconds


def is_read_only(path: Path) -> bool:
    if path.exists():
        return not os.access(path, os.W_OK) or not os.access(path.parent, os.W_OK)
    parent = next((p for p in [path.parent, *path.parent.parents] if p.exists()), None)
    return parent is not None and not os.access(parent, os.W_OK)
