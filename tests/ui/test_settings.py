"""The app's settings (theme, last export path): remembered, and written in a worker so a
slow disk never stalls the keys."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from readinglist.core import files as files_module  # settings write through it
from readinglist.ui.widgets.paper_list import PaperList
from tests.ui.conftest import settle, wait_for

SIZE = (120, 36)


def saved(path: Path) -> dict[str, object]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


async def test_theme_is_remembered(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        app.theme = "nord"
        await settle(app, pilot)
    assert saved(app.settings.path)["theme"] == "nord"


async def test_a_slow_disk_does_not_stall_the_keys(make_app, monkeypatch: pytest.MonkeyPatch):
    app = make_app()
    disk_free = threading.Event()
    real_write = files_module.write_atomically

    def slow_write(path: Path, text: str) -> None:
        disk_free.wait(timeout=5)
        real_write(path, text)

    monkeypatch.setattr(files_module, "write_atomically", slow_write)
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        app.theme = "nord"
        await pilot.press("j")
        await wait_for(pilot, lambda: app.screen.query_one(PaperList).cursor == 1)
        assert "theme" not in saved(app.settings.path)  # still being written
        disk_free.set()
        await settle(app, pilot)
        assert saved(app.settings.path)["theme"] == "nord"
