"""Writing a file decides first what is there: a file is replaced atomically, anything
else is written through or in place, or refused, never replaced by a regular file."""

from __future__ import annotations

import errno
import os
import socket
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from readinglist.core.files import page_files, write_atomically


@pytest.fixture
def umask_022() -> Iterator[None]:
    previous = os.umask(0o022)
    yield
    os.umask(previous)


def test_a_new_file_gets_the_usual_permissions(tmp_path: Path, umask_022: None):
    target = tmp_path / "new" / "list.md"  # folders are made as needed
    write_atomically(target, "hello")
    assert target.read_text() == "hello"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
    assert [p.name for p in target.parent.iterdir()] == ["list.md"]  # no temporary left


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path):
    target = tmp_path / "list.md"
    target.write_text("old")
    target.chmod(0o640)
    before = target.stat().st_ino
    write_atomically(target, "new")
    assert target.read_text() == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert target.stat().st_ino != before  # replaced by rename, never half-written


@pytest.mark.skipif(os.geteuid() != 0, reason="only root may give a file to another user")
def test_a_replaced_file_keeps_its_owner_and_group(tmp_path: Path):
    target = tmp_path / "list.md"
    target.write_text("old")
    os.chown(target, 4321, 8765)
    write_atomically(target, "new")
    assert (target.stat().st_uid, target.stat().st_gid) == (4321, 8765)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write any file")
def test_a_read_only_file_is_not_replaced(tmp_path: Path):
    target = tmp_path / "list.md"
    target.write_text("keep me")
    target.chmod(0o444)
    with pytest.raises(PermissionError):
        write_atomically(target, "new")
    assert target.read_text() == "keep me"


def test_refusing_to_replace_an_existing_file(tmp_path: Path):
    target = tmp_path / "list.md"
    target.write_text("keep me")
    with pytest.raises(FileExistsError):
        write_atomically(target, "new", replace=False)
    assert target.read_text() == "keep me"
    write_atomically(tmp_path / "fresh.md", "new", replace=False)
    assert (tmp_path / "fresh.md").read_text() == "new"


def test_a_symlink_is_written_through_and_stays_a_link(tmp_path: Path):
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "list.md"
    target.write_text("old")
    target.chmod(0o600)
    link = tmp_path / "link.md"
    link.symlink_to("real/list.md")  # relative, as `ln -s` makes them
    chain = tmp_path / "chain.md"
    chain.symlink_to(link)
    write_atomically(chain, "new")
    assert chain.is_symlink() and link.is_symlink()
    assert target.read_text() == "new" and stat.S_IMODE(target.stat().st_mode) == 0o600
    with pytest.raises(FileExistsError):
        write_atomically(link, "again", replace=False)  # the file it leads to exists


def test_a_dangling_symlink_creates_the_file_it_names(tmp_path: Path):
    link = tmp_path / "link.md"
    link.symlink_to(tmp_path / "later.md")
    write_atomically(link, "new")
    assert link.is_symlink() and (tmp_path / "later.md").read_text() == "new"


def test_a_loop_of_links_is_an_error(tmp_path: Path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(OSError) as raised:
        write_atomically(tmp_path / "a", "x")
    assert raised.value.errno == errno.ELOOP
    assert (tmp_path / "a").is_symlink() and (tmp_path / "b").is_symlink()


def test_a_fifo_is_written_in_place_or_refused_when_nobody_reads(tmp_path: Path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(OSError) as raised:
        write_atomically(fifo, "nobody is listening")  # returns at once, never hangs
    assert raised.value.errno == errno.ENXIO and "nothing is reading" in str(raised.value)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)

    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader; the text fits the buffer
    try:
        write_atomically(fifo, "hello fifo")
        assert os.read(reader, 100) == b"hello fifo"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_character_device_is_written_in_place(tmp_path: Path):
    link = tmp_path / "null.md"
    link.symlink_to("/dev/null")
    write_atomically(link, "gone")
    assert link.is_symlink() and stat.S_ISCHR(os.stat("/dev/null").st_mode)


def test_own_descriptors_are_written_like_a_shell_redirection(tmp_path: Path):
    """/dev/stdout and /dev/fd/N name a descriptor this process holds: write to it."""
    read_end, write_end = os.pipe()
    try:
        write_atomically(Path(f"/dev/fd/{write_end}"), "through a pipe")
        assert os.read(read_end, 100) == b"through a pipe"
    finally:
        os.close(read_end)
        os.close(write_end)

    appended = tmp_path / "log.md"  # as `readinglist export -o /dev/stdout >> log.md`
    appended.write_text("earlier\n")
    inode = appended.stat().st_ino
    link = tmp_path / "stdout-alias"
    descriptor = os.open(appended, os.O_WRONLY | os.O_APPEND)
    try:
        link.symlink_to(f"/proc/self/fd/{descriptor}")
        write_atomically(link, "later\n")
    finally:
        os.close(descriptor)
    assert appended.read_text() == "earlier\nlater\n" and appended.stat().st_ino == inode
    assert link.is_symlink()


def test_other_kinds_of_file_are_refused(tmp_path: Path):
    with pytest.raises(IsADirectoryError):
        write_atomically(tmp_path, "x")
    with tempfile.TemporaryDirectory(prefix="rl-") as short:  # a socket path must be short
        path = Path(short) / "s"
        server = socket.socket(socket.AF_UNIX)
        try:
            server.bind(str(path))
            with pytest.raises(OSError, match="not a regular file"):
                write_atomically(path, "x")
            assert stat.S_ISSOCK(path.lstat().st_mode)
        finally:
            server.close()


def test_page_files_expands_folders_to_the_pages_directly_in_them(tmp_path: Path):
    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    for name in ["b.txt", "a.md", "C.TXT", "notes.text", ".hidden.txt", "pic.png", "sub/d.txt"]:
        (folder / name).write_text("x")
    (folder / "dir.txt").mkdir()  # a folder named like a page is not one
    single = tmp_path / "single.html"
    assert page_files([single, folder]) == [
        single,  # named files are kept as given, even missing or oddly named
        folder / "C.TXT",
        folder / "a.md",
        folder / "b.txt",
        folder / "notes.text",
    ]
    assert page_files([folder / "sub" / "empty"]) == [folder / "sub" / "empty"]
    (folder / "sub" / "d.txt").unlink()
    assert page_files([folder / "sub"]) == []
