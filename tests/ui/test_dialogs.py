"""One key scheme in every dialog: Escape cancels (closes without changing anything),
Enter confirms, Ctrl+S saves a note; a changed note is never dropped without asking,
not even by Ctrl+Q. Each dialog says so in its hint and footer."""

from __future__ import annotations

from textual.widgets import Static

from readinglist.ui.screens.confirm import ConfirmDialog
from readinglist.ui.screens.export_dialog import ExportDialog
from readinglist.ui.screens.help import HelpScreen
from readinglist.ui.screens.import_dialog import ImportDialog
from readinglist.ui.screens.note_editor import NoteEditor
from tests.ui.conftest import settle, wait_for

SIZE = (120, 36)


def footer_keys(app) -> dict[str, str]:
    return {
        binding.key: binding.description
        for _, binding, enabled, _ in app.screen.active_bindings.values()
        if binding.show and enabled
    }


def hint(app) -> str:
    return str(app.screen.query_one(".hint", Static).render())


async def open_editor(app, pilot) -> None:
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))


async def test_escape_in_the_editor_asks_before_dropping_changes(make_app):
    app = make_app()
    first = app.service.papers()[0].id
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_editor(app, pilot)
        assert footer_keys(app) == {"ctrl+s": "Save", "escape": "Discard"}
        assert "Ctrl+S saves" in hint(app) and "Escape closes without saving" in hint(app)
        await pilot.press("escape")  # nothing changed: just closes
        await settle(app, pilot)
        assert not isinstance(app.screen, NoteEditor | ConfirmDialog)
        await open_editor(app, pilot)
        await pilot.press(*"keep me", "escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("escape")  # Escape cancels the question: back to the note
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        assert app.screen.query_one("#note-text").text == "keep me"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.service.get(first).note == "keep me"


async def test_saving_an_empty_note_over_one_asks_before_erasing_it(make_app):
    app = make_app()
    first = app.service.papers()[0].id
    app.service.set_note(first, "years of thought")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_editor(app, pilot)
        app.screen.query_one("#note-text").text = ""
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "erase this paper's note" in str(app.screen.query_one(Static).render())
        await pilot.press("n")  # keep editing: the note is untouched
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        assert app.service.get(first).note == "years of thought"
        await pilot.press("ctrl+s")  # asked again; erased only when the reader says so
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("y")
        await wait_for(pilot, lambda: app.service.get(first).note == "")
        assert not isinstance(app.screen, NoteEditor | ConfirmDialog)


async def test_ctrl_q_in_the_editor_asks_and_does_not_quit(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_editor(app, pilot)
        await pilot.press(*"half a thought", "ctrl+q")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert app.is_running
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        assert app.screen.query_one("#note-text").text == "half a thought"
        await pilot.press("ctrl+q", "y")
        await wait_for(pilot, lambda: not app.is_running)


async def test_every_dialog_cancels_with_escape_and_says_so(make_app, tmp_path):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await wait_for(pilot, lambda: isinstance(app.screen, ImportDialog))
        assert "Escape cancels" in hint(app)
        assert footer_keys(app) == {"enter": "Import", "escape": "Cancel"}
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportDialog)
        await pilot.press("s", "e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        assert "Escape cancels" in hint(app)
        assert footer_keys(app) == {"enter": "Export", "escape": "Cancel"}
        target = tmp_path / "out.md"
        target.write_text("old")
        app.screen.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        assert "n or Escape: back" in hint(app)
        await pilot.press("escape")  # back to the export dialog, whose Escape cancels
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, ExportDialog | ConfirmDialog)
        assert target.read_text() == "old"
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        assert footer_keys(app)["escape"] == "Close"
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, HelpScreen)
