"""SVG snapshots of every screen. Review the report before ``--snapshot-update``."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input, TextArea

from readinglist.ui.widgets.paper_list import PaperList
from tests.ui.conftest import settle, wait_for

SIZE = (110, 32)


async def detail_caught_up(pilot) -> None:
    """Wait until the detail pane shows the highlighted paper: it is drawn a moment
    after keys and first rows (``detail_not_before``), and on a loaded machine a
    snapshot was taken before it came."""
    app = pilot.app
    paper_list = app.screen.query_one(PaperList)

    def caught_up() -> bool:
        current = app.screen.current
        return (current.id if current else None) == paper_list.highlighted_id

    await wait_for(pilot, caught_up)


def no_blink(app) -> None:
    for widget in app.screen.query(Input):
        widget.cursor_blink = False
    for widget in app.screen.query(TextArea):
        widget.cursor_blink = False


async def _ready(pilot) -> None:
    await settle(pilot.app, pilot)
    await detail_caught_up(pilot)
    no_blink(pilot.app)


def test_main_screen(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=_ready)


def test_search_with_highlights(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("slash", *"handwriten docs")
        await settle(pilot.app, pilot)
        no_blink(pilot.app)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_detail_pane_with_links_and_note(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _ready(pilot)
        app = pilot.app
        await pilot.press("slash", *"clinical longformer", "enter")
        await settle(app, pilot)
        app.service.set_note(
            app.screen.current.id, "Compare with **BioBERT**; see [@click=app.quit]x[/]."
        )
        await pilot.press("s")
        await settle(app, pilot)
        no_blink(app)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_note_editor(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("n")
        await settle(pilot.app, pilot)
        await pilot.press(*"Re-read section 3")
        no_blink(pilot.app)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_help_screen(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_hostile_titles(snap_compare, make_app, hostile_page: Path):
    assert snap_compare(make_app([hostile_page]), terminal_size=SIZE, run_before=_ready)


def test_export_dialog(snap_compare, make_app, tmp_path: Path):
    async def run_before(pilot) -> None:
        await _ready(pilot)
        app = pilot.app
        app.settings.set("export_path", "~/notes/reading-list.md")
        await pilot.press("s", "j", "s")
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        no_blink(app)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_export_dialog_in_monochrome_at_80x24(snap_compare, make_app, monkeypatch):
    """NO_COLOR: the chosen papers show ●, the others ○, and the option the keys are on
    is underlined."""
    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot) -> None:
        await _ready(pilot)
        app = pilot.app
        app.settings.set("export_path", "~/notes/reading-list.md")
        await pilot.press("s", "space", "space")
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        await pilot.press("shift+tab", "down")
        await settle(app, pilot)
        no_blink(app)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_export_overwrite_confirmation(snap_compare, make_app, tmp_path: Path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a relative path keeps the snapshot free of temp names
    Path("existing.md").write_text("old")

    async def run_before(pilot) -> None:
        await _ready(pilot)
        app = pilot.app
        app.settings.set("export_path", "EXISTING")
        await pilot.press("s")
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        app.screen.query_one("#export-path").value = "existing.md"
        await pilot.press("enter")
        await settle(app, pilot)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_empty_library_and_narrow_terminal(snap_compare, make_app):
    assert snap_compare(make_app([]), terminal_size=(60, 20), run_before=_ready)


def test_main_screen_at_80x24(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_ready)


def test_narrow_terminal_with_papers(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(60, 20), run_before=_ready)


def test_monochrome_at_80x24(snap_compare, make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=_ready)


def test_reading_view_at_80x24(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("slash", *"clinical longformer", "enter")
        await settle(pilot.app, pilot)
        await pilot.press("enter")
        await settle(pilot.app, pilot)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)


def test_search_sorted_by_date(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("slash", *"language model", "enter", "S")
        await settle(pilot.app, pilot)
        no_blink(pilot.app)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_discard_changes_question(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("n")
        await settle(pilot.app, pilot)
        await pilot.press(*"half a thought", "escape")
        await settle(pilot.app, pilot)
        no_blink(pilot.app)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_import_dialog(snap_compare, make_app, tmp_path, monkeypatch):
    start = tmp_path / "saved"  # the file tree starts here: nothing else, no temp names
    (start / "pages").mkdir(parents=True)
    (start / "pages" / "monday.txt").write_text("x")
    (start / "tuesday.txt").write_text("x")
    monkeypatch.chdir(start)

    async def run_before(pilot) -> None:
        await _ready(pilot)
        await pilot.press("i")
        await settle(pilot.app, pilot)
        no_blink(pilot.app)

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)
