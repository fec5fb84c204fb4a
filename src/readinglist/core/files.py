"""Files on disk: writing without ever leaving half a file or replacing what is not a
file, and finding the pages in a folder to import.

Before the first byte is written, ``write_atomically`` decides what the path is: a
regular file (or nothing yet) is replaced atomically, keeping its permissions; a
symbolic link is written through to the file it points to; an open descriptor of this
process (``/dev/stdout``), a pipe or a terminal is written in place, as a shell
redirection would; anything else is refused.
"""

from __future__ import annotations

import errno
import os
import secrets
import stat
from collections.abc import Iterable
from pathlib import Path

__all__ = ["PAGE_SUFFIXES", "page_files", "write_atomically"]

# what a folder's pages are named (the import recognises each by its content)
PAGE_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".mhtml", ".mht", ".json")
MAX_LINK_HOPS = 40  # as Linux's own limit: a loop of links ends in ELOOP


def page_files(paths: Iterable[Path]) -> list[Path]:
    """The files to import for ``paths``: a folder stands for the pages directly in it.

    A folder gives its files named ``PAGE_SUFFIXES``, by name, skipping hidden ones and
    subfolders; any other path is kept as given, so a missing file is reported by the
    import that reads it.
    """
    found: list[Path] = []
    for path in paths:
        if not path.is_dir():
            found.append(path)
            continue
        found += sorted(
            (
                child
                for child in path.iterdir()
                if not child.name.startswith(".")
                and child.suffix.lower() in PAGE_SUFFIXES
                and child.is_file()
            ),
            key=lambda child: child.name,
        )
    return found


def write_atomically(path: Path, text: str, *, replace: bool = True) -> None:
    """Write ``text`` (UTF-8) to ``path`` so that an interruption never leaves half a file.

    * A regular file, or nothing yet: a temporary file beside it is written, fsynced
      and renamed over it. A replaced file keeps its permissions, and its owner and
      group where this user may set them; a new one gets the usual ``0666 & ~umask``.
    * A symbolic link: the same for the file it leads to; the link stays a link.
    * This process's open descriptor (``/dev/stdout``, ``/dev/fd/3``): written to it.
    * A FIFO or a character device (a terminal, ``/dev/null``): written in place; a
      FIFO that nobody is reading is refused rather than waited on.
    * Anything else (a folder, a block device, a socket): refused, left as it is.

    Raises:
        FileExistsError: ``replace`` is false and a file is already there.
        PermissionError: the file is read-only, as ``>`` in a shell would find.
        OSError: the path is refused (``strerror`` says why) or the write failed.
    """
    data = text.encode("utf-8")
    target, descriptor = _follow_links(Path.cwd() / path)  # ".." is left for the links
    if descriptor is not None:
        _write_all(descriptor, data)
        return
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    if info is None or stat.S_ISREG(info.st_mode):
        if info is not None and not replace:
            raise FileExistsError(errno.EEXIST, "exists", str(path))
        if info is not None and not os.access(target, os.W_OK):  # as a shell's ">" would
            raise PermissionError(errno.EACCES, "the file is read-only", str(path))
        _replace_file(target, data, info)
    elif stat.S_ISFIFO(info.st_mode) or stat.S_ISCHR(info.st_mode):
        _write_in_place(target, data, fifo=stat.S_ISFIFO(info.st_mode))
    elif stat.S_ISDIR(info.st_mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
    else:
        raise OSError(errno.EINVAL, "not a regular file; refusing to replace it", str(path))


def _follow_links(path: Path) -> tuple[Path, int | None]:
    """Where ``path`` leads through symbolic links, and the descriptor of this process it
    names (``/dev/stdout`` → ``/proc/self/fd/1`` → 1), if it names one."""
    own_descriptors = {f"/proc/{os.getpid()}/fd", "/dev/fd"}
    for _hop in range(MAX_LINK_HOPS):
        folder = os.path.realpath(path.parent)
        if folder in own_descriptors and path.name.isdigit():
            return path, int(path.name)
        path = Path(folder) / path.name
        if not path.is_symlink():
            return path, None
        path = Path(os.path.join(folder, os.readlink(path)))
    raise OSError(errno.ELOOP, os.strerror(errno.ELOOP), str(path))


def _replace_file(target: Path, data: bytes, existing: os.stat_result | None) -> None:
    if existing is None:
        target.parent.mkdir(parents=True, exist_ok=True)
    temporary, descriptor = _create_beside(target)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            if existing is not None:
                _take_ownership_of(handle.fileno(), existing)
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _create_beside(target: Path) -> tuple[Path, int]:
    """A new, empty temporary file in ``target``'s folder, created with mode 0666 so the
    umask applies (``mkstemp`` would make every export private, 0600)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        temporary = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
        try:
            return temporary, os.open(temporary, flags, 0o666)
        except FileExistsError:
            continue


def _take_ownership_of(descriptor: int, existing: os.stat_result) -> None:
    """Give the new file the replaced file's owner and group where allowed, then its mode
    (after the owner: changing it clears set-id bits)."""
    mine = os.fstat(descriptor)
    if hasattr(os, "fchown") and (mine.st_uid, mine.st_gid) != (existing.st_uid, existing.st_gid):
        for uid in (existing.st_uid, -1):  # the owner needs root; the group, membership
            try:
                os.fchown(descriptor, uid, existing.st_gid)
                break
            except PermissionError:
                continue
    os.fchmod(descriptor, stat.S_IMODE(existing.st_mode))


def _write_in_place(target: Path, data: bytes, *, fifo: bool) -> None:
    flags = os.O_WRONLY | os.O_NOCTTY | getattr(os, "O_CLOEXEC", 0)
    try:
        descriptor = os.open(target, flags | (os.O_NONBLOCK if fifo else 0))
    except OSError as error:
        if fifo and error.errno == errno.ENXIO:
            raise OSError(errno.ENXIO, "a FIFO that nothing is reading", str(target)) from None
        raise
    try:
        mode = os.fstat(descriptor).st_mode
        if not (stat.S_ISFIFO(mode) or stat.S_ISCHR(mode)):  # swapped since we looked
            raise OSError(errno.EINVAL, "changed while being opened; not written", str(target))
        os.set_blocking(descriptor, True)
        _write_all(descriptor, data)
    finally:
        os.close(descriptor)


def _write_all(descriptor: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(descriptor, view) :]
