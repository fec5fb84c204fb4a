"""Every key of the main screen, driven headless, with the library checked afterwards."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Static

from readinglist.ui.screens.confirm import ConfirmDialog
from readinglist.ui.screens.export_dialog import ExportDialog
from readinglist.ui.screens.help import HelpScreen
from readinglist.ui.screens.import_dialog import ImportDialog
from readinglist.ui.screens.note_editor import NoteEditor
from readinglist.ui.widgets.paper_list import PaperList
from tests.ui.conftest import choose_export, listed, settle, wait_for, wait_for_notice

SIZE = (120, 36)


def paper_list(app) -> PaperList:
    return app.screen.query_one(PaperList)


def footer_keys(app) -> list[str]:
    """The descriptions the footer shows."""
    return [key.description for key in app.screen.query("FooterKey")]


def palette_titles(app) -> list[str]:
    """The commands the open palette lists (their titles)."""
    options = app.screen.query_one(CommandList)
    return [
        str(options.get_option_at_index(i).prompt).split("\n")[0]
        for i in range(options.option_count)
    ]


async def test_first_frame_lists_every_paper_by_date(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        rows = listed(app)
        assert len(rows) == 182
        dates = [row.date for row in rows if row.date]
        assert dates == sorted(dates, reverse=True)
        assert app.screen.current is not None and app.screen.current.id == rows[0].id


async def test_navigation_keys(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        papers = paper_list(app)
        await pilot.press("j", "j", "down")
        assert papers.cursor == 3
        await pilot.press("k", "up")
        assert papers.cursor == 1
        await pilot.press("G")
        assert papers.cursor == 181
        await pilot.press("g")
        assert papers.cursor == 0
        await pilot.press("pagedown")
        assert papers.cursor > 10
        await pilot.press("pageup")
        assert papers.cursor == 0
        await pilot.press("end")
        await settle(app, pilot)
        assert app.screen.current.id == listed(app)[-1].id


async def test_search_as_you_type_enter_and_escape(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash")
        assert app.focused.id == "search"
        await pilot.press(*"speculativ decodng")
        await settle(app, pilot)
        assert listed(app)[0].title == "Speculative Decoding with Big Little Decoder"
        await pilot.press("j")  # typed into the box, not a list key
        await pilot.press("backspace")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.focused, PaperList) and paper_list(app).cursor == 0
        assert app.screen.current.title == "Speculative Decoding with Big Little Decoder"
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen.query_one("#search").value == ""
        assert len(listed(app)) == 182


async def test_stale_search_results_are_dropped(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        screen = app.screen
        from readinglist.ui.messages import RowsLoaded, View

        screen.search_text = "bert"
        await settle(app, pilot)
        good = list(listed(app))
        stale = View("old query", screen.sort, starred_only=False)
        screen.post_message(RowsLoaded(stale, (), [], None, change_token=0))
        await settle(app, pilot)
        assert listed(app) == good


async def test_filters_in_search_box(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"has:code")
        await settle(app, pilot)
        rows = listed(app)
        assert rows and all(row.link_count for row in rows)
        await pilot.press("enter", "S")  # filters keep the chosen sort
        await settle(app, pilot)
        upvotes = [row.upvotes or 0 for row in listed(app)]
        assert app.screen.sort == "upvotes" and upvotes == sorted(upvotes, reverse=True)
        await pilot.press("escape", "slash", *"has:cod")
        await settle(app, pilot)
        assert "unknown filter has:cod ignored" in str(app.screen.query_one("#status").render())
        await pilot.press("escape", "slash", *"author:")  # a name still to come
        await settle(app, pilot)
        assert "empty filter author: ignored" in str(app.screen.query_one("#status").render())
        await pilot.press("escape", "slash", *"org:reactive")
        await settle(app, pilot)
        assert [row.org for row in listed(app)] == ["Reactive AI"]


async def test_star_filter_status_and_note(make_app):
    app = make_app()
    service = app.service
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = listed(app)[0].id
        await pilot.press("s")
        await settle(app, pilot)
        assert service.get(first).starred and listed(app)[0].starred
        await pilot.press("f")
        await settle(app, pilot)
        assert [row.id for row in listed(app)] == [first]
        await pilot.press("s")  # unstarring in starred-only view removes it
        await settle(app, pilot)
        assert not service.get(first).starred and listed(app) == []
        await pilot.press("f")
        await settle(app, pilot)
        assert len(listed(app)) == 182
        await pilot.press("r")
        await settle(app, pilot)
        assert service.get(first).status == "reading"
        await pilot.press("r", "r")
        await settle(app, pilot)
        assert service.get(first).status == "unread"
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*"Great [b]paper[/b]", "enter", *"line 2")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert service.get(first).note == "Great [b]paper[/b]\nline 2"
        assert listed(app)[0].has_note
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*" more", "ctrl+s")
        await settle(app, pilot)
        assert service.get(first).note == "Great [b]paper[/b]\nline 2 more"
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("x", "escape")  # discard: asks first, as the note changed
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        await pilot.press("y")
        await settle(app, pilot)
        assert not isinstance(app.screen, NoteEditor | ConfirmDialog)
        assert service.get(first).note == "Great [b]paper[/b]\nline 2 more"


async def test_open_and_copy_links(make_app, monkeypatch: pytest.MonkeyPatch):
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, new=0: opened.append(url) or True)
    copied: list[str] = []
    monkeypatch.setattr(
        "readinglist.ui.screens.paper_actions.copy_to_system_clipboard",
        lambda text: copied.append(text) or True,
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"clinical longformer", "enter")
        await settle(app, pilot)
        record = app.screen.current
        assert len(record.links) == 2
        await pilot.press("o")
        await settle(app, pilot)
        assert opened == [record.links[0]]
        await pilot.press("2")
        await settle(app, pilot)
        assert opened[-1] == record.links[1]
        await pilot.press("c")  # copies the link last chosen
        await settle(app, pilot)
        assert copied == [record.links[1]]
        assert record.links[1] in str(app.screen.query_one("#status").render())
        await pilot.press("9")
        await settle(app, pilot)
        assert len(opened) == 2  # no ninth link: a warning, nothing opened


async def test_copy_falls_back_to_osc52(make_app, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(
        "readinglist.ui.screens.paper_actions.copy_to_system_clipboard", lambda text: False
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"daniel handwritten", "enter")
        await settle(app, pilot)
        await pilot.press("c")
        await settle(app, pilot)
        assert app.clipboard == "https://github.com/Shulk97/daniel"
        assert "OSC 52" in str(app.screen.query_one("#status").render())


async def test_browser_failure_shows_url(make_app, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("webbrowser.open", lambda url, new=0: False)
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"daniel handwritten", "enter")
        await settle(app, pilot)
        await pilot.press("o")
        await settle(app, pilot)
        status = str(app.screen.query_one("#status").render())
        assert "No browser" in status and "https://github.com/Shulk97/daniel" in status


async def test_sort_cycle(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("S")
        await settle(app, pilot)
        upvotes = [row.upvotes for row in listed(app) if row.upvotes is not None]
        assert app.screen.sort == "upvotes" and upvotes == sorted(upvotes, reverse=True)
        await pilot.press("S")
        await settle(app, pilot)
        titles = [row.title.lower() for row in listed(app)]
        assert titles == sorted(titles)


async def test_import_dialog(make_app, hostile_page: Path):
    app = make_app([])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert listed(app) == []
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ImportDialog)
        app.screen.query_one("#import-path").value = str(hostile_page)
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(listed(app)) == 2
        assert app.service.count() == 2
        status = str(app.screen.query_one("#status").render())
        assert f"Imported {hostile_page.name}: 2 new, 0 updated" in status, status


async def test_export_nothing_starred_then_write_and_overwrite(make_app, tmp_path: Path):
    app = make_app()
    target = tmp_path / "out" / "starred.md"
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one("#export-starred").disabled  # nothing starred
        await pilot.press("escape")
        await pilot.press("s", "j", "s")
        await settle(app, pilot)
        await pilot.press("e")
        await settle(app, pilot)
        assert isinstance(app.screen, ExportDialog)
        await choose_export(pilot, "starred")
        app.screen.query_one("#export-path").value = str(target)
        await pilot.press("enter")
        await settle(app, pilot)
        assert target.read_text().count("\n## ") == 2
        assert app.settings.get("export_path") == str(target)
        await pilot.press("e")
        await settle(app, pilot)
        assert app.screen.query_one("#export-path").value == str(target)  # remembered
        await choose_export(pilot, "starred")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ConfirmDialog)
        question = str(app.screen.query_one(Static).render())
        assert question.endswith("starred.md exists. Overwrite it with 2 starred papers?")
        target.write_text("keep me")
        await pilot.press("n")  # back to the dialog, as it was left
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog) and app.focused)
        assert app.screen.query_one("#export-path").value == str(target)
        assert app.screen.query_one("#export-starred").value
        await pilot.press("escape")
        await settle(app, pilot)
        assert target.read_text() == "keep me"
        await pilot.press("e")
        await settle(app, pilot)
        await choose_export(pilot, "starred")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("y")
        await settle(app, pilot)
        assert target.read_text().startswith("# Starred papers")


async def test_the_help_scrolls_with_the_lists_keys(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        scroll = app.screen.query_one("#help")
        assert scroll.max_scroll_y > 0  # at 80x24 the search syntax is below the fold
        await pilot.press("G")
        await wait_for(pilot, lambda: scroll.scroll_y == scroll.max_scroll_y)
        await pilot.press("g")
        await wait_for(pilot, lambda: scroll.scroll_y == 0)
        await pilot.press("j")
        await wait_for(pilot, lambda: scroll.scroll_y > 0)
        await pilot.press("k")
        await wait_for(pilot, lambda: scroll.scroll_y == 0)
        await pilot.press("space")
        await wait_for(pilot, lambda: scroll.scroll_y > 1)


async def test_the_footer_shows_help_first_even_at_80_columns(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await wait_for(pilot, lambda: "Help" in footer_keys(app))
        await settle(app, pilot)
        [shown] = [key.region for key in app.screen.query("FooterKey") if key.description == "Help"]
        assert shown.x == 0 and shown.width > 0 and shown.right <= 80 and shown.y == 23
        search = next(key for key in app.screen.query("FooterKey") if key.description == "Search")
        assert search.region.x == shown.right  # the others follow it


async def test_help_palette_and_quit(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, HelpScreen))
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette) and app.focused)
        await pilot.press(*"spanish trocr")

        def offers_the_paper() -> bool:
            results = app.screen.query_one(CommandList)
            return results.option_count > 0 and "Spanish TrOCR" in str(
                results.get_option_at_index(0).prompt
            )

        await wait_for(pilot, offers_the_paper)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen.current.title.startswith("Spanish TrOCR")
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_hostile_titles_are_plain_text(make_app, hostile_page: Path):
    app = make_app([hostile_page])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        titles = [row.title for row in listed(app)]
        assert "[@click=app.quit]x[/] Quit trap" in titles
        await pilot.click(PaperList, offset=(5, 0))
        await pilot.click(PaperList, offset=(5, 1))
        await settle(app, pilot)
        assert app.is_running
        detail = app.screen.query_one("#detail-title").render()
        assert "[" in str(detail)


async def test_read_only_library_offers_no_changes(make_app, monkeypatch: pytest.MonkeyPatch):
    """A library the reader cannot write: a banner says so, and the footer, the palette
    and the keys leave out star, note, status and import (browsing and export stay)."""
    import os

    app = make_app()
    db = app.service.db_path
    app.service.close()
    from readinglist.core.service import ReadingList
    from readinglist.core.settings import Settings
    from readinglist.ui.app import ReadingListApp

    real_access = os.access
    monkeypatch.setattr(
        os, "access", lambda path, mode: False if mode == os.W_OK else real_access(path, mode)
    )
    service = ReadingList(db)
    app = ReadingListApp(service, settings=Settings(db.with_suffix(".json")))
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "Read-only library" in str(app.screen.query_one("#banner").render())
        footer = footer_keys(app)
        assert "Export" in footer and "Starred" in footer
        assert not {"Star", "Note", "Status", "Import"} & set(footer), footer
        await pilot.press("s", "r", "n", "i")
        await settle(app, pilot)
        assert not isinstance(app.screen, NoteEditor | ImportDialog)
        await pilot.press("ctrl+p")
        await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
        await wait_for(pilot, lambda: app.screen.query_one(CommandList).option_count > 0)
        commands = palette_titles(app)
        assert "Export" in commands and "Read" in commands
        assert not {"Star", "Note", "Status", "Import"} & set(commands), commands
    service.close()
    monkeypatch.undo()
    with ReadingList(db) as again:
        assert not again.papers(starred_only=True)
        assert {row.status for row in again.papers()} == {"unread"}


async def test_daily_backup_runs_after_start(make_app):
    from readinglist.core.backup import list_backups

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
    assert len(list_backups(app.service.db_path)) == 1


async def test_changes_from_another_instance_appear(make_app):
    from readinglist.core.service import ReadingList

    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = listed(app)[0].id
        with ReadingList(app.service.db_path) as script:  # e.g. `readinglist star` in a shell
            script.star([first])
            script.set_note(first, "from a script")
        app.screen.check_for_changes()
        await settle(app, pilot)
        assert listed(app)[0].starred and listed(app)[0].has_note
        assert app.screen.current.note == "from a script"


async def test_papers_another_instance_imports_are_found_with_typos(make_app, tmp_path: Path):
    from readinglist.core.service import ReadingList

    page = tmp_path / "labmate.txt"
    page.write_text(
        "Daily Papers\n\nQuokkaformer: Marsupial Attention\n\n"
        "We study attention in quokkas across many long abstracts of real papers.\n"
    )
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        with ReadingList(app.service.db_path) as labmate:  # a second terminal imports
            labmate.import_pages([page])
        app.screen.check_for_changes()
        await settle(app, pilot)
        await pilot.press("slash", *"quokaformer")
        await settle(app, pilot)
        assert [row.title for row in listed(app)] == ["Quokkaformer: Marsupial Attention"]


async def test_import_dialog_cancel_and_folder(make_app, tmp_path: Path, monkeypatch):
    from readinglist.core import importing
    from tests.conftest import SAMPLES

    # A folder the CLI would parse in a second process: inside a running Textual app
    # that cannot start (stderr has no descriptor), so the TUI must not ask for it.
    monkeypatch.setattr(importing, "PARALLEL_BYTES", 0)
    monkeypatch.setattr(importing, "PARALLEL_FILES", 2)

    folder = tmp_path / "pages"
    folder.mkdir()
    for page in sorted(SAMPLES.glob("*.txt"))[:2]:
        (folder / page.name).write_bytes(page.read_bytes())
    (folder / "notes.txt").write_text("just a shopping list\n")
    app = make_app([])
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, ImportDialog) and app.service.count() == 0
        await pilot.press("i")
        await pilot.pause()
        app.screen.query_one("#import-path").value = str(folder)
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.service.count() == 26 + 115
        toast = await wait_for_notice(pilot, "notes.txt")
        assert "notes.txt: skipped, not a Daily Papers page" in toast  # as the CLI says
        assert len(listed(app)) == 141
        status = str(app.screen.query_one("#status").render())
        assert "Imported 2 pages: 141 new, 0 updated; 1 file skipped" in status, status


async def test_a_second_import_does_not_cut_the_first_short(
    make_app, tmp_path: Path, hostile_page: Path, monkeypatch: pytest.MonkeyPatch
):
    import threading

    from readinglist.core import importing
    from tests.conftest import SAMPLES

    folder = tmp_path / "pages"
    folder.mkdir()
    for page in sorted(SAMPLES.glob("*.txt")):
        (folder / page.name).write_bytes(page.read_bytes())
    app = make_app([])
    parse = importing.read_keyed_or_error

    second_started = threading.Event()

    def slow_parse(path: Path, today):
        if path.parent == folder:  # the folder is still importing when the second one starts
            second_started.wait(60)
        return parse(path, today)

    monkeypatch.setattr(importing, "read_keyed_or_error", slow_parse)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        for path in (folder, hostile_page):
            await pilot.press("i")
            await wait_for(pilot, lambda: isinstance(app.screen, ImportDialog) and app.focused)
            app.screen.query_one("#import-path").value = str(path)
            await pilot.press("enter")
            await wait_for(pilot, lambda: not isinstance(app.screen, ImportDialog))
        await wait_for(pilot, lambda: app.service.count() == 2)  # the second landed first
        second_started.set()
        await settle(app, pilot)
        assert app.service.count() == 182 + 2
        await wait_for_notice(pilot, "Imported 3 pages: 182 new, 1 updated")
        await wait_for_notice(pilot, "Imported hostile.txt: 2 new, 0 updated")


async def test_a_note_saved_elsewhere_while_editing_is_kept(make_app):
    from readinglist.core.service import ReadingList

    app = make_app()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        first = listed(app)[0].id
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        with ReadingList(app.service.db_path) as colleague:
            colleague.set_note(first, "a colleague's summary", base="")
        await pilot.press(*"my reading", "ctrl+s")
        await settle(app, pilot)
        note = app.service.get(first).note
        assert note.startswith("my reading\n\n--- kept from another reader's save")
        assert note.endswith("a colleague's summary")
        await wait_for_notice(pilot, "both versions are kept", "warning")


async def test_footer_follows_the_search_without_being_rebuilt_each_key(make_app):
    """Escape offers to clear a search only while there is one; typing more of it does not
    rebuild the footer (Textual's footer is composed anew on every change of bindings,
    which costs a keystroke a repaint of every key)."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("escape")  # nothing to clear: the list's own escape
        await pilot.press("/")
        await settle(app, pilot)
        keys = list(app.screen.query("FooterKey"))
        await pilot.press("t", "r", "a")  # the first letter announces new bindings: same keys
        await settle(app, pilot)
        assert list(app.screen.query("FooterKey")) == keys
        await pilot.press("enter")
        await wait_for(pilot, lambda: "Clear search" in footer_keys(app))
        await pilot.press("escape")
        await wait_for(pilot, lambda: "Clear search" not in footer_keys(app))
        assert app.screen.search_text == ""
