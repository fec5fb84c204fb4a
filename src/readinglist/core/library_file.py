"""What lies at a library path, decided before anything writes to it, and who has it open.

``identify`` tells a new library, one of ours (with its schema version) and anything
else apart by reading only: the file's type, its first bytes, and its schema through
a read-only connection that creates no ``-wal`` or ``-shm``. Anything that is not ours
is refused with a one-line error and left exactly as it was.

Every readinglist that has a library file open holds a shared ``flock`` on it
(``hold``); ``restore`` asks for an exclusive one without waiting, so it refuses while
the app or a command has the library open instead of swapping the file under it.
flock locks are apart from the POSIX locks SQLite takes, but closing *any* descriptor
of a file drops every POSIX lock this process holds on it, SQLite's included. So a
file is opened once per process, shared by all its users here, and closed only when
the last one lets go (after its connections are closed).

``claimed`` and ``sweep`` do the same for temporary files (a backup being written, a
restore being copied): a file nobody holds is debris of a killed process.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType

from .database import (
    LibraryBusyError,
    LibraryDamagedError,
    LibraryError,
    environment_problems,
    first_line,
    is_damage,
    read_only_uri,
)

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # Windows: no flock, and a file in use cannot be replaced there anyway
    fcntl = None

__all__ = [
    "LibraryHold",
    "LibraryInUseError",
    "LibraryUnreadableError",
    "claimed",
    "hold",
    "identify",
    "regular_file",
    "sweep",
]

SQLITE_HEADER = b"SQLite format 3\x00"
HEADER_SIZE = 100
LOCK_POLL_SECONDS = 0.05
_READ_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


class LibraryInUseError(LibraryError):
    """Another readinglist has the library open, so it cannot be replaced now."""


class LibraryUnreadableError(LibraryError):
    """SQLite could not read the file here (no sign of damage: a read-only folder, a full
    disk, a log it cannot open); the SQLite error is the ``__cause__``."""


def regular_file(path: Path) -> os.stat_result | None:
    """``path``'s status when it is a regular file; None when nothing is there.

    Never opens it, so a named pipe cannot make this wait.

    Raises:
        LibraryError: a folder, pipe, device or socket, a link to nothing, an unreadable path.
    """
    try:
        info = os.stat(path)
    except FileNotFoundError:
        if os.path.islink(path):
            raise LibraryError(f"{path}: a symbolic link to a file that does not exist") from None
        return None
    except NotADirectoryError:
        raise LibraryError(f"{path}: part of this path is a file, not a folder") from None
    except OSError as error:
        raise LibraryError(f"{path}: cannot read it ({error.strerror or error})") from error
    kind = _kind(info.st_mode)
    if kind:
        raise LibraryError(f"{path}: {kind}, not a library file")
    return info


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


@dataclass
class _Opened:
    fd: int
    users: int
    exclusive: bool


_OPENED: dict[tuple[int, int], _Opened] = {}
_OPENED_LOCK = threading.Lock()


class LibraryHold:
    """This process's hold on a library file; ``release`` when done with it."""

    def __init__(self, path: Path, key: tuple[int, int], opened: _Opened) -> None:
        self.path = path
        self._key = key
        self._opened: _Opened | None = opened

    @property
    def exclusive(self) -> bool:
        return self._opened is not None and self._opened.exclusive

    def header(self) -> bytes:
        """The file's first 100 bytes (SQLite's header), read through the held descriptor."""
        assert self._opened is not None
        if hasattr(os, "pread"):
            return os.pread(self._opened.fd, HEADER_SIZE, 0)
        with _OPENED_LOCK:  # the descriptor's offset is shared by this process's users
            os.lseek(self._opened.fd, 0, os.SEEK_SET)
            return os.read(self._opened.fd, HEADER_SIZE)

    def release(self) -> None:
        with _OPENED_LOCK:
            opened, self._opened = self._opened, None
            if opened is None:
                return
            opened.users -= 1
            if opened.users == 0:
                del _OPENED[self._key]
                os.close(opened.fd)  # drops the flock too

    def __enter__(self) -> LibraryHold:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.release()


def hold(path: Path, *, exclusive: bool = False, timeout: float = 0.0) -> LibraryHold | None:
    """Hold the file at ``path``: shared (an instance has it open) or exclusive (to replace it).

    A shared hold waits up to ``timeout`` seconds while a restore holds the file; an
    exclusive one never waits. A file replaced meanwhile is opened again.

    Returns:
        The hold, or None when nothing is at ``path``.

    Raises:
        LibraryInUseError: exclusive, and another instance (or this process) has it open.
        LibraryBusyError: shared, and a restore held it for longer than ``timeout``.
        LibraryError: what is there is not a regular file, or cannot be opened.
    """
    deadline = time.monotonic() + timeout
    while True:
        info = regular_file(path)
        if info is None:
            return None
        key = (info.st_dev, info.st_ino)
        with _OPENED_LOCK:
            found = _open_locked(path, key, exclusive)
        if isinstance(found, LibraryHold):
            return found
        if found == "in use":
            raise LibraryInUseError(
                f"{path}: another readinglist has this library open (the app, or a command "
                "still running); close it and try again; nothing was changed"
            )
        if found == "held" and time.monotonic() >= deadline:
            raise LibraryBusyError(
                f"{path}: another readinglist is restoring this library; try again"
            )
        if found == "held":
            time.sleep(LOCK_POLL_SECONDS)


def _open_locked(path: Path, key: tuple[int, int], exclusive: bool) -> LibraryHold | str:
    """One attempt, under ``_OPENED_LOCK``: the hold, "in use", "held" (wait) or "moved"."""
    opened = _OPENED.get(key)
    if opened is not None:
        if exclusive:
            return "in use"
        opened.users += 1
        return LibraryHold(path, key, opened)
    try:
        fd = os.open(path, _READ_FLAGS)
    except FileNotFoundError:
        return "moved"
    except OSError as error:
        raise LibraryError(f"{path}: cannot open it ({error.strerror or error})") from error
    keep = False
    try:
        status = os.fstat(fd)
        if (status.st_dev, status.st_ino) != key or not stat.S_ISREG(status.st_mode):
            return "moved"
        if not _flock(fd, exclusive):
            return "in use" if exclusive else "held"
        now = regular_file(path)
        if now is None or (now.st_dev, now.st_ino) != key:
            return "moved"  # a restore put another file here while we waited
        opened = _OPENED[key] = _Opened(fd, 1, exclusive)
        keep = True
        return LibraryHold(path, key, opened)
    finally:
        if not keep:
            os.close(fd)


def _flock(fd: int, exclusive: bool, *, wait: bool = False) -> bool:
    if fcntl is None:
        return True
    mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
    try:
        fcntl.flock(fd, mode | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


def identify(library: LibraryHold) -> int:
    """What the held file is: 0 for an empty SQLite database (a new library), else the
    schema version of a readinglist library. Reads only; never creates a file.

    Raises:
        LibraryDamagedError: SQLite finds the file damaged.
        LibraryError: an empty (0-byte) file, not SQLite, another program's database.
    """
    path = library.path
    header = library.header()
    if not header:
        raise LibraryError(
            f"{path}: the library file is empty (0 bytes); restore a backup or remove it"
        )
    if not header.startswith(SQLITE_HEADER):
        raise LibraryError(f"{path}: not a SQLite database; refusing to touch it")
    try:
        conn = sqlite3.connect(read_only_uri(path), uri=True)
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            application = conn.execute("PRAGMA application_id").fetchone()[0]
            names = {name for (name,) in conn.execute("SELECT name FROM sqlite_master")}
        finally:
            conn.close()
    except sqlite3.Error as error:
        if is_damage(error):
            raise LibraryDamagedError(path, error) from error
        causes = environment_problems(path)
        cause = f": {causes[0].split(':')[0]}" if causes else ""
        raise LibraryUnreadableError(
            f"{path}: cannot read the library ({first_line(error)}){cause}"
        ) from error
    if not names and version == 0 and application == 0:
        return 0
    if "schema_migration" in names and version > 0:
        return int(version)
    raise LibraryError(
        f"{path}: a SQLite database of another program, not a readinglist library; "
        "refusing to touch it"
    )


@contextmanager
def claimed(path: Path) -> Iterator[Path]:
    """Create ``path`` new and empty, and hold it while the caller fills it.

    ``sweep`` in another process leaves a held file alone. The file is removed on the
    way out unless the caller renamed it into place.

    Raises:
        FileExistsError: ``path`` is there already (another process holds it).
    """
    fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_RDWR | getattr(os, "O_CLOEXEC", 0), 0o600)
    try:
        _flock(fd, True, wait=True)  # a sweeper that opened it first may hold it a moment
        status, now = os.fstat(fd), os.stat(path)  # ... and may have removed it: then stop
        if (status.st_dev, status.st_ino) != (now.st_dev, now.st_ino):
            raise FileNotFoundError(f"{path} was removed while it was being created")
        yield path
    finally:
        with suppress(OSError):
            now = os.stat(path)
            status = os.fstat(fd)
            if (status.st_dev, status.st_ino) == (now.st_dev, now.st_ino):
                os.unlink(path)
        os.close(fd)


def sweep(folder: Path, pattern: str) -> list[Path]:
    """Remove files matching ``pattern`` (a glob: escape names with ``glob.escape``) in
    ``folder`` that no process holds (``claimed``),
    with the ``-journal``, ``-wal`` and ``-shm`` SQLite keeps beside them.

    Those companions are never held themselves: one goes only with its file, or when
    its file is gone (a live file always exists before its companions and after them).

    Returns:
        The files removed: what killed processes left behind.
    """
    if fcntl is None or not folder.is_dir():
        return []
    removed = []
    for candidate in folder.glob(pattern):
        if _unheld(candidate):
            removed.append(candidate)
    for companion in folder.glob(f"{pattern}-*"):
        owner = folder / companion.name.rpartition("-")[0]
        if not owner.exists():
            with suppress(OSError):
                companion.unlink()
                removed.append(companion)
    return removed


def _unheld(candidate: Path) -> bool:
    """Remove ``candidate`` (and its companions) if no process holds it."""
    try:
        fd = os.open(candidate, _READ_FLAGS | getattr(os, "O_NOFOLLOW", 0))
    except OSError:
        return False
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode) or not _flock(fd, True):
            return False  # being written right now
        now = os.stat(candidate)
        if (status.st_dev, status.st_ino) != (now.st_dev, now.st_ino):
            return False
        for suffix in ("-journal", "-wal", "-shm"):  # while we hold it: nobody starts them
            Path(f"{candidate}{suffix}").unlink(missing_ok=True)
        candidate.unlink()
        return True
    except OSError:
        return False
    finally:
        os.close(fd)
