"""A large import's pages are parsed in a worker process; while the writer waits for the
worker, it parses the pages the worker has not started itself. Pages still land in
order, whole, each reported once."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from readinglist.core.service import ReadingList
from tests.conftest import SAMPLES


def test_the_writer_parses_what_the_worker_has_not_started(
    service: ReadingList, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from readinglist.core import importing
    from tests.core.gated_parse import parse_after_gate

    gate = tmp_path / "gate"  # the worker holds its first page until it exists
    submitted = []

    class RecordingPool(ProcessPoolExecutor):
        def submit(self, fn, path, today):  # type: ignore[override]
            if not submitted:
                submitted.append(super().submit(parse_after_gate, path, today, gate))
            else:
                submitted.append(super().submit(fn, path, today))
            return submitted[-1]

    monkeypatch.setattr(importing, "ProcessPoolExecutor", RecordingPool)
    monkeypatch.setattr(importing, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(importing, "AHEAD_BYTES", 10**9)  # every page queued at once
    page = (SAMPLES / "daily-papers-page-b.txt").read_bytes()
    files = []
    for number in range(40):
        files.append(tmp_path / f"page-{number:02}.txt")
        files[-1].write_bytes(page)
    reports = []
    importer = threading.Thread(
        target=lambda: reports.extend(service.iter_imports(files, parallel=True))
    )
    importer.start()
    # The worker is held on page 1: the writer, with nothing to write, takes the pages
    # queued behind it (all but the one or two already handed to the worker).
    deadline = time.monotonic() + 120
    while sum(future.cancelled() for future in submitted) < 35 and time.monotonic() < deadline:
        time.sleep(0.01)
    taken = sum(future.cancelled() for future in submitted)
    gate.touch()
    importer.join(timeout=120)
    assert not importer.is_alive()
    assert taken >= 35
    assert [(r.path, r.papers, r.error) for r in reports] == [
        (str(path), 119, None) for path in files
    ]
    assert [r.new for r in reports] == [119] + [0] * 39
    assert service.count() == 119
