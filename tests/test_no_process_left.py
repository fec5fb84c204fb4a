"""A killed or interrupted ``readinglist import`` leaves no process behind.

Real processes: ``python -m readinglist import`` on generated pages large enough to be
parsed in a worker process, stopped (kill -9, SIGTERM, SIGHUP, Ctrl+C's SIGINT) once its
first line is out. Then its stdout must end (``import … | cat`` finishes), no process it
started may remain, and the library must be whole. Processes are found through /proc by
a variable only this test's processes carry, and by its temporary folder.
"""

from __future__ import annotations

import contextlib
import os
import select
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from readinglist.core.importing import PARALLEL_BYTES, PARALLEL_FILES

pytestmark = pytest.mark.skipif(
    not Path("/proc/self/environ").exists() or not hasattr(signal, "SIGHUP"),
    reason="finds processes through Linux's /proc",
)

MARK = "READINGLIST_TEST_PROCESS_MARK"
PAPERS_PER_PAGE = 1000
PATIENCE = 120.0  # seconds: generous, the suite must pass with both cores busy


@pytest.fixture(scope="module")
def big_pages(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    from benchmarks.generate import generate

    pages = generate(tmp_path_factory.mktemp("pages"), 12_000, per_page=PAPERS_PER_PAGE)
    sizes = [page.stat().st_size for page in pages]
    assert len(pages) >= PARALLEL_FILES and sum(sizes) >= PARALLEL_BYTES  # the parallel path
    return pages


def wait_until(condition: Callable[[], object], what: str) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        assert time.monotonic() < deadline, f"gave up waiting until {what}"
        time.sleep(0.05)


def marked_processes(mark: str) -> dict[int, str]:
    """Live processes carrying ``mark`` in their environment or command line: pid → command."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            environ = (entry / "environ").read_bytes().split(b"\0")
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if state != "Z" and (f"{MARK}={mark}".encode() in environ or mark in command):
            found[int(entry.name)] = command
    return found


def read_line(stream: int) -> bytes:
    line = b""
    deadline = time.monotonic() + PATIENCE
    while not line.endswith(b"\n"):
        ready, _, _ = select.select([stream], [], [], max(0.0, deadline - time.monotonic()))
        assert ready, "the import printed no line"
        byte = os.read(stream, 1)
        assert byte, f"the import ended before its first line: {line!r}"
        line += byte
    return line


def process_state(pid: int) -> str:
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]


@pytest.mark.parametrize(
    ("signum", "to_group"),
    [
        (signal.SIGKILL, False),
        (signal.SIGTERM, False),
        (signal.SIGHUP, False),
        (signal.SIGHUP, True),  # a terminal hanging up signals its whole process group
        (signal.SIGINT, True),  # and so does Ctrl+C
    ],
    ids=["kill-9", "SIGTERM", "SIGHUP", "hangup", "ctrl-c"],
)
def test_a_stopped_import_leaves_no_process_and_a_whole_library(
    signum: signal.Signals, to_group: bool, big_pages: list[Path], tmp_path: Path
):
    mark = str(tmp_path)  # unique to this test
    db = tmp_path / "library.db"
    env = {**os.environ, MARK: mark, "READINGLIST_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-m", "readinglist", "--db", str(db)]
    importing = subprocess.Popen(
        [*command, "import", *map(str, big_pages)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        bufsize=0,
        start_new_session=True,  # its own process group, as a terminal's job has
    )
    try:
        assert importing.stdout is not None
        first = read_line(importing.stdout.fileno())
        assert first.endswith(
            f"{PAPERS_PER_PAGE} papers, {PAPERS_PER_PAGE} new, 0 updated\n".encode()
        )
        os.kill(importing.pid, signal.SIGSTOP)  # held mid-import while we look
        wait_until(lambda: process_state(importing.pid) == "T", "the import is stopped")
        children = marked_processes(mark)
        children.pop(importing.pid)
        workers = [pid for pid, cmd in children.items() if "spawn_main" in cmd]
        assert workers, f"no parse worker: {children}"
        for worker in workers:  # a worker never holds the parent's stdout or stderr
            assert os.readlink(f"/proc/{worker}/fd/1") == os.devnull
            assert os.readlink(f"/proc/{worker}/fd/2") == os.devnull
        if to_group:  # the worker and the resource tracker get it now, the import on SIGCONT
            os.killpg(importing.pid, signum)
        else:
            os.kill(importing.pid, signum)
        os.kill(importing.pid, signal.SIGCONT)
        # `import … | cat` ends: every end of the pipes is closed, the orphans' too
        _out, err = importing.communicate(timeout=PATIENCE)
        wait_until(lambda: not marked_processes(mark), "no process of the import remains")
    finally:  # a failure leaves nothing running either: only this test's processes
        for pid in {importing.pid, *marked_processes(mark)}:
            if pid != importing.pid or importing.returncode is None:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
        importing.wait(timeout=PATIENCE)

    if signum == signal.SIGKILL:
        assert importing.returncode == -signal.SIGKILL
    else:  # handled like Ctrl+C: a clean exit, a message, 128 + the signal's number
        assert importing.returncode == 128 + signum
        assert err.decode() == (  # and nothing else: no helper process's traceback
            f"error: import stopped ({signum.name}): each file was imported whole or not at "
            "all; the same import again finishes it\n"
        )
    check = subprocess.run([*command, "check"], capture_output=True, text=True, env=env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "status:  ok" in check.stdout
    [papers] = [line for line in check.stdout.splitlines() if line.startswith("papers:")]
    count = int(papers.split()[1])
    assert count >= PAPERS_PER_PAGE and count % PAPERS_PER_PAGE == 0  # whole pages only
