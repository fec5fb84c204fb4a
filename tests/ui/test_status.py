"""The status line describes the present, and an import ends in one summary that
counts and names its problems (a failed page, a page that ends mid-paper)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import SAMPLES
from tests.ui.conftest import (
    choose_export,
    import_through_dialog,
    listed,
    settle,
    status,
    wait_for,
    wait_for_notice,
)

SIZE = (120, 36)

CUT_PAGE = (
    "Daily Papers\n\nQuokkaformer: Marsupial Attention\n\n"
    "We study attention in quokkas across many long abstracts of real papers.\n\n"
    "A Second Paper That Was Cut Off\n"
)
"""A page whose last paper is cut off after its title."""


async def test_news_of_an_action_clears_on_the_next_key(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        assert status(app).endswith("· Starred")
        await pilot.press("j")
        await settle(app, pilot)
        assert "Starred" not in status(app)
        await pilot.press("r")
        await settle(app, pilot)
        assert status(app).endswith("· Marked as reading")
        await pilot.press("f")  # a new view: the old news goes
        await settle(app, pilot)
        assert status(app) == "1 paper · by date · starred only"


async def test_a_cancelled_or_failed_export_leaves_no_exported_message(make_app, tmp_path: Path):
    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("s")
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        await choose_export(pilot, "starred")
        app.screen.query_one("#export-path").value = str(tmp_path / "one.md")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Exported 1 starred paper to" in status(app)
        await pilot.press("e")
        await settle(app, pilot)
        await pilot.press("escape")  # cancelled
        await settle(app, pilot)
        assert "Exported" not in status(app)
        await pilot.press("e")
        await settle(app, pilot)
        app.screen.query_one("#export-path").value = str(tmp_path / "missing" / "x" / "y.md")
        (tmp_path / "missing").write_text("a file where a folder should be")
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Exported" not in status(app)
        await wait_for_notice(pilot, "Could not write", "error")


async def test_a_folder_import_ends_in_one_summary_with_its_problems(make_app, tmp_path: Path):
    folder = tmp_path / "pages"
    folder.mkdir()
    for page in sorted(SAMPLES.glob("*.txt"))[:2]:
        (folder / page.name).write_bytes(page.read_bytes())
    (folder / "notes.txt").write_text("just a shopping list\n")
    (folder / "cut.txt").write_text(CUT_PAGE)
    app = make_app([])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await import_through_dialog(app, pilot, folder)
        summary = "Imported 3 pages: 142 new, 0 updated; 1 file skipped, 1 warning"
        assert summary in status(app)
        assert len(listed(app)) == 142
        lines = (await wait_for_notice(pilot, summary, "warning")).splitlines()
        assert lines[0] == summary
        assert any(line.startswith("notes.txt: skipped, not a Daily Papers page") for line in lines)
        assert any(
            line.startswith("cut.txt: the page ends mid-paper") and "Cut Off" in line
            for line in lines
        )
        await pilot.press("j")
        await settle(app, pilot)
        assert "Imported" not in status(app)


async def test_a_page_that_ends_mid_paper_is_reported(make_app, tmp_path: Path):
    page = tmp_path / "cut.txt"
    page.write_text(CUT_PAGE)
    app = make_app([])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await import_through_dialog(app, pilot, page)
        assert "Imported cut.txt: 1 new, 0 updated; 1 warning" in status(app)
        await wait_for_notice(pilot, "ends mid-paper", "warning")


async def test_a_notification_sits_above_the_status_line(make_app):
    from textual.widgets._toast import Toast

    app = make_app()
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("s", "u")  # star, then undo: the undo is notified
        await wait_for(pilot, lambda: bool(app.screen.query(Toast)))
        await pilot.pause()
        status_line = app.screen.query_one("#status").region
        for toast in app.screen.query(Toast):
            assert toast.region.bottom <= status_line.y, (toast.region, status_line)
