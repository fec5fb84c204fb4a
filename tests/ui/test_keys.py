"""Keys typed in a burst (a paste, a fast typist, tmux send-keys) land where the keys
before them sent the focus, and act on what those keys put on screen."""

from __future__ import annotations

from readinglist.ui.screens.import_dialog import ImportDialog
from readinglist.ui.screens.note_editor import NoteEditor
from readinglist.ui.widgets.paper_list import PaperList
from tests.ui.conftest import burst, listed, settle, wait_for

SIZE = (120, 36)


def starred(app) -> list[str]:
    return [paper.title for paper in app.service.papers(starred_only=True)]


async def test_keys_right_after_slash_go_to_the_search_box(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        burst(app, "slash", *"bert")
        search = app.screen.query_one("#search")
        await wait_for(pilot, lambda: search.value == "bert")
        await settle(app, pilot)
        assert app.focused is search
        assert starred(app) == [] and not isinstance(app.screen, ImportDialog)
        assert all("bert" in paper.title.lower() for paper in listed(app)[:3])


async def test_a_letter_after_slash_is_typed_not_a_star(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        burst(app, "slash", "s", "i")
        search = app.screen.query_one("#search")
        await wait_for(pilot, lambda: search.value == "si")
        await settle(app, pilot)
        assert starred(app) == [] and not isinstance(app.screen, ImportDialog)


async def test_enter_then_s_stars_the_best_match_of_that_search(make_app):
    app = make_app()
    best = app.service.search("speculative decoding", limit=1)[0].id
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        burst(app, "slash", *"speculative decoding", "enter", "s")
        await wait_for(pilot, lambda: starred(app) != [])
        await settle(app, pilot)
        assert [paper.id for paper in app.service.papers(starred_only=True)] == [best]
        assert isinstance(app.focused, PaperList)
        assert app.screen.query_one("#search").value == "speculative decoding"


async def test_escape_then_keys_go_to_the_list(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = listed(app)[0]
        burst(app, "slash", *"zz", "escape", "j", "k", "s")
        await wait_for(pilot, lambda: starred(app) != [])
        assert app.screen.query_one("#search").value == ""
        assert starred(app) == [first.title]


async def test_text_typed_right_after_n_goes_into_the_note(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        burst(app, "n", *"great paper")  # g, r, e, a, p would be list keys
        await wait_for(pilot, lambda: isinstance(app.screen, NoteEditor))
        area = app.screen.query_one("#note-text")
        await wait_for(pilot, lambda: area.text == "great paper")
        assert starred(app) == [] and app.service.papers()[0].status == "unread"


async def test_a_path_typed_right_after_i_goes_into_the_import_dialog(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        burst(app, "i", *"/tmp/some page.txt")
        await wait_for(pilot, lambda: isinstance(app.screen, ImportDialog))
        field = app.screen.query_one("#import-path")
        await wait_for(pilot, lambda: field.value == "/tmp/some page.txt")
        assert starred(app) == []


async def test_keys_typed_into_the_palette_right_after_ctrl_p(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        burst(app, "ctrl+p", *"spanish trocr")
        await wait_for(pilot, lambda: app.screen.query("CommandInput"))
        field = app.screen.query_one("CommandInput")
        await wait_for(pilot, lambda: field.value == "spanish trocr")
        assert starred(app) == []


async def test_keys_during_the_first_load_act_on_the_loaded_list(make_app):
    """j and s sent before the first list arrived: s stars the second paper by date."""
    app = make_app()
    second = app.service.papers(limit=2)[1]
    async with app.run_test(size=SIZE) as pilot:
        burst(app, "j", "s")
        await wait_for(pilot, lambda: starred(app) != [])
        assert starred(app) == [second.title]


async def test_keys_still_queued_when_the_app_closes_are_dropped():
    """A burst (a paste, tmux send-keys) still queued as the app closes is dropped, not
    handed to a screen that is gone (Textual raises for the app's screen then)."""
    from textual import events
    from textual.app import ScreenStackError

    from readinglist.ui.keys import KeyQueue

    class Closing:  # an app whose last screen has gone
        app_focus = False

        @property
        def screen(self):
            raise ScreenStackError("No screens on stack")

        @property
        def focused(self):
            raise ScreenStackError("No screens on stack")

    delivered = []

    async def deliver(event) -> None:
        delivered.append(event)

    keys = KeyQueue(Closing(), deliver)  # type: ignore[arg-type]
    for character in "/G":
        await keys.put(events.Key(character, character))
    assert not keys.busy and not delivered


async def test_n_typed_while_the_export_looks_at_the_path_answers_its_question(
    make_app, tmp_path, monkeypatch
):
    """Between the export dialog and its overwrite question the disk is asked whether
    the file exists: keys typed meanwhile wait for the question (n: back to the dialog),
    never reach the list (n there would open the note editor)."""
    import threading

    from readinglist.ui.screens import import_export
    from readinglist.ui.screens.export_dialog import ExportDialog

    target = tmp_path / "out.md"
    target.write_text("keep me")
    disk_answers = threading.Event()
    found_at = import_export._found_at

    def slow_disk(path):
        disk_answers.wait(30)
        return found_at(path)

    monkeypatch.setattr(import_export, "_found_at", slow_disk)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog) and app.focused)
        app.screen.query_one("#export-path").value = str(target)
        burst(app, "enter", "n")
        await wait_for(pilot, lambda: not isinstance(app.screen, ExportDialog))
        disk_answers.set()
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog) and app.focused)
        assert app.screen.query_one("#export-path").value == str(target)
        assert not any(isinstance(screen, NoteEditor) for screen in app.screen_stack)
        await pilot.press("escape")
        await settle(app, pilot)
    assert target.read_text() == "keep me"
