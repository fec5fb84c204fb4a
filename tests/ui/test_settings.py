"""The app's settings (theme, last export path, last import folder): remembered, and
written in a worker so a slow disk never stalls the keys."""

from __future__ import annotations

import json
import shutil
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


async def open_import_dialog(app, pilot) -> Path:
    """``i``; the folder the dialog's file tree shows once it has settled."""
    from textual.widgets import DirectoryTree

    from readinglist.ui.screens.import_dialog import ImportDialog

    await pilot.press("i")
    await wait_for(pilot, lambda: isinstance(app.screen, ImportDialog) and app.focused)
    await settle(app, pilot)
    return Path(app.screen.query_one(DirectoryTree).path)


async def test_the_import_dialog_opens_where_the_last_page_was_imported_from(
    make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    from tests.conftest import SAMPLES
    from tests.ui.conftest import import_through_dialog, status

    start = tmp_path / "start"
    downloads = tmp_path / "downloads"
    start.mkdir()
    downloads.mkdir()
    page = downloads / "daily.txt"
    page.write_bytes(sorted(SAMPLES.glob("*.txt"))[0].read_bytes())
    monkeypatch.chdir(start)
    app = make_app([])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert await open_import_dialog(app, pilot) == start  # nothing imported yet
        await pilot.press("escape")
        await import_through_dialog(app, pilot, tmp_path / "missing.txt")
        await wait_for(pilot, lambda: "Nothing imported" in status(app))
        assert "import_folder" not in saved(app.settings.path)  # nothing landed
        await import_through_dialog(app, pilot, page)
        await wait_for(pilot, lambda: app.service.count() > 0)
        await wait_for(pilot, lambda: "import_folder" in saved(app.settings.path))
        assert saved(app.settings.path)["import_folder"] == str(downloads)
        assert await open_import_dialog(app, pilot) == downloads
        # a name typed there is read from that folder, not the one the app started in
        (downloads / "second.txt").write_bytes(sorted(SAMPLES.glob("*.txt"))[1].read_bytes())
        before = app.service.count()
        app.screen.query_one("#import-path").value = "second.txt"
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Imported second.txt" in status(app))
        assert app.service.count() > before

    # The next session opens there too; once the folder is gone, in the current one.
    app = make_app([])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert await open_import_dialog(app, pilot) == downloads
        await pilot.press("escape")
        await settle(app, pilot)
        shutil.rmtree(downloads)
        assert await open_import_dialog(app, pilot) == start
