"""Importing files into a store: parsing (in a worker process for a large batch),
writing pages in batches of one transaction each, and a report for every file.

A file lands whole or not at all, and its report comes once it has landed: the CLI
prints each line then, the TUI shows progress.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing
import os
import signal
import threading
from collections import deque
from collections.abc import Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from .database import LibraryBusyError, LibraryError, LibraryReadOnlyError
from .merge import KeyedPage, key_page, read_keyed_or_error
from .models import ImportReport
from .parse import ParsedPage

if TYPE_CHECKING:
    from .storage.store import Store

__all__ = ["import_listing", "iter_imports"]

log = logging.getLogger(__name__)

PARALLEL_FILES = 4  # a batch this large, and
PARALLEL_BYTES = 4 * 1024 * 1024  # this heavy, is parsed in another process
BATCH_BYTES = 8 * 1024 * 1024  # pages written in one transaction, when ready together
AHEAD_BYTES = 2 * BATCH_BYTES  # pages parsed ahead of the writer, to bound memory
PARSERS = 1  # a second one only takes turns with the writer on two cores

Parsed = tuple[Path, KeyedPage | str]  # a file and its page, or why it could not be read


def iter_imports(
    store: Store, paths: Sequence[Path], today: date, *, parallel: bool = False
) -> Iterator[ImportReport]:
    """A report for each file, in order, as it lands; a bad file is reported, not raised.

    Pages are written in batches of up to about ``BATCH_BYTES``: one transaction for
    several pages writes each page of the title index once per batch instead of once
    per page. With ``parallel``, a large batch is parsed and keyed in another process
    while this one writes (that is about 40% of the work). It is opt-in because a
    spawned process re-imports the caller's main script: the CLI guards its own, a
    quick script may not.
    """
    sized = [(path, _size(path)) for path in paths]
    small = len(paths) < PARALLEL_FILES or sum(size for _path, size in sized) < PARALLEL_BYTES
    done = 0
    if parallel and not small:
        try:
            for report in _import_pipelined(store, sized, today):
                done += 1
                yield report
        except (BrokenProcessPool, OSError, RuntimeError, ValueError) as error:
            # e.g. a script without the `if __name__ == "__main__"` guard spawn needs,
            # or a stderr without a file descriptor (ValueError from spawning)
            log.warning("parsing in another process failed (%s); going on in this one", error)
    batch: list[Parsed] = []
    batch_bytes = 0
    for path, size in sized[done:]:
        batch.append((path, read_keyed_or_error(path, today)))
        batch_bytes += size
        if batch_bytes >= BATCH_BYTES:
            yield from store_batch(store, batch, today)
            batch, batch_bytes = [], 0
    yield from store_batch(store, batch, today)


def _import_pipelined(
    store: Store, sized: Sequence[tuple[Path, int]], today: date
) -> Iterator[ImportReport]:
    """Pages parsed and keyed in a worker process ahead of the writer.

    The writer takes the next parsed page and every one parsed behind it while it was
    writing (up to ``BATCH_BYTES``): when writing is the slower half, batches grow and
    commits get fewer; when parsing is, each page lands as soon as it can. The first
    page is parsed in this process, while the worker starts: its interpreter and
    imports took longer than parsing a page, and the writer had nothing to do. So is
    any page the worker has not started yet while the writer waits for the worker:
    a re-import, which writes little, parses on both cores.
    """
    # spawn, not fork: the TUI imports from a worker thread, and fork copies locks.
    context = multiprocessing.get_context("spawn")
    queued = iter(sized)
    parsing: deque[tuple[Path, int, Future[KeyedPage | str]]] = deque()
    with _terminal_signals_blocked():  # the pool starts multiprocessing's resource tracker
        pool = ProcessPoolExecutor(PARSERS, mp_context=context, initializer=start_parse_worker)
    with pool:

        def parse_ahead() -> None:
            ahead = sum(size for _path, size, _future in parsing)
            for path, size in queued:
                parsing.append((path, size, pool.submit(read_keyed_or_error, path, today)))
                ahead += size
                if ahead >= AHEAD_BYTES:
                    return

        try:
            first = next(queued, None)
            with _terminal_signals_blocked():
                parse_ahead()  # the first task starts the worker
            if first is not None:  # parsed here while the worker starts (a new interpreter)
                yield from store_batch(
                    store, [(first[0], read_keyed_or_error(first[0], today))], today
                )
            while parsing:
                while not parsing[0][2].done() and _parse_here(parsing, today):
                    pass  # the writer has nothing to write yet: it parses too
                batch: list[Parsed] = []
                batch_bytes = 0
                while parsing and batch_bytes < BATCH_BYTES and (not batch or parsing[0][2].done()):
                    path, size, future = parsing.popleft()
                    batch.append((path, future.result()))
                    batch_bytes += size
                parse_ahead()  # the worker parses on while this batch is written
                yield from store_batch(store, batch, today)
        finally:  # stopped early (Ctrl+C, an error): do not parse the pages still queued
            pool.shutdown(cancel_futures=True)


def _parse_here(parsing: deque[tuple[Path, int, Future[KeyedPage | str]]], today: date) -> bool:
    """Take the first page queued for the worker that it has not started, and parse it
    in this process; False if there is none. Pages still land in their order."""
    for at in range(1, len(parsing)):
        path, size, future = parsing[at]
        if future.cancel():  # not started: the worker will skip it
            here: Future[KeyedPage | str] = Future()
            here.set_result(read_keyed_or_error(path, today))
            parsing[at] = (path, size, here)
            return True
    return False


@contextlib.contextmanager
def _terminal_signals_blocked() -> Iterator[None]:
    """Block Ctrl+C's SIGINT and a hangup's SIGHUP in this thread while helper processes
    start: they inherit the block, so a signal the terminal sends its whole process group
    reaches only this process, which shuts them down. This thread gets it afterwards."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no such signals
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGHUP})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def start_parse_worker() -> None:
    """Set up a parse worker so it never outlives the process that started it.

    - It exits as soon as its parent is gone, killed with -9 included: a thread waits on
      the parent's sentinel, a pipe that ends when the parent does. Blocked on its task
      queue, the worker would otherwise wait forever (it holds that queue's other end),
      and keep multiprocessing's resource tracker alive with it.
    - Its standard streams are /dev/null, not the parent's: ``readinglist import … | cat``
      ends when readinglist does, whatever happens to the worker.
    - Ctrl+C and a hangup reach the terminal's whole process group; the parent decides
      and shuts the pool down, so the worker ignores them (it starts with them blocked).
    """
    devnull = os.open(os.devnull, os.O_RDWR)
    for stream in (0, 1, 2):
        os.dup2(devnull, stream)
    os.close(devnull)
    for name in ("SIGINT", "SIGHUP"):
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(
            target=_exit_with, args=(parent,), name="parent-watch", daemon=True
        ).start()


def _exit_with(parent: multiprocessing.process.BaseProcess) -> None:
    parent.join()  # returns when the parent has exited, however it ended
    os._exit(1)


def store_batch(store: Store, batch: Sequence[Parsed], today: date) -> list[ImportReport]:
    """Write a batch's parsed pages in one transaction; a report for every file.

    If the batch fails for a reason other than the library being busy or read-only,
    each page is tried alone, so one page the library refuses does not take the
    others with it.
    """
    parsed = [(path, keyed) for path, keyed in batch if not isinstance(keyed, str)]
    landed: list[tuple[int, int, int] | str] = []
    if parsed:
        try:
            landed.extend(
                store.import_pages(
                    [(keyed, source_name(path)) for path, keyed in parsed], today.isoformat()
                )
            )
        except LibraryError as error:
            if len(parsed) > 1 and not isinstance(error, LibraryBusyError | LibraryReadOnlyError):
                return [report for one in batch for report in store_batch(store, [one], today)]
            landed = [str(error)] * len(parsed)
    outcomes = iter(landed)  # one per parsed page, in order
    return [
        _report(path, keyed, keyed if isinstance(keyed, str) else next(outcomes))
        for path, keyed in batch
    ]


def import_listing(store: Store, page: ParsedPage, source: str, today: date) -> ImportReport:
    """Write one listing that came from somewhere other than a file (``readinglist fetch``),
    recorded under ``source`` (its address): whole or not at all, reported as a file is."""
    keyed = key_page(page)
    try:
        [(new, updated, skipped)] = store.import_pages([(keyed, source)], today.isoformat())
    except LibraryError as error:
        return ImportReport(source, len(page.papers), error=str(error))
    return ImportReport(
        source, len(page.papers), new, updated, page.warnings, skipped_deleted=skipped
    )


def source_name(path: Path) -> str:
    """How the library records a page's file: its absolute path as text any database
    stores. A name's bytes that are not UTF-8 (lone surrogates in ``str(path)``, which
    SQLite and PostgreSQL refuse) are written as ``\\xff`` escapes instead."""
    name = str(path.resolve())
    if name.isascii():
        return name
    return os.fsencode(name).decode("utf-8", "backslashreplace")


def _report(
    path: Path, parsed: KeyedPage | str, outcome: tuple[int, int, int] | str
) -> ImportReport:
    """What happened to one file: unreadable or refused by the library (why), or landed."""
    if isinstance(parsed, str):
        return ImportReport(str(path), error=parsed)
    page = parsed.page
    if isinstance(outcome, str):
        return ImportReport(str(path), len(page.papers), error=outcome)
    new, updated, skipped = outcome
    return ImportReport(
        str(path), len(page.papers), new, updated, page.warnings, skipped_deleted=skipped
    )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:  # a missing file is reported when it is read
        return 0
