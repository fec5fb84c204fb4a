"""The t key: a tag dialog with completion, on the highlighted or marked papers, and its
undo; on SQLite and PostgreSQL (the ``loaded`` library runs on both)."""

from __future__ import annotations

import pytest

from readinglist.core.service import ReadingList
from readinglist.core.tags import MAX_TAG_LENGTH, BadTagError
from readinglist.ui.screens.tag_dialog import TagDialog, TagEdit, TagSuggester, parse_tag_edit
from tests.ui.conftest import (
    burst,
    highlighted,
    listed,
    notices,
    settle,
    status,
    wait_for,
    wait_for_notice,
)

SIZE = (120, 36)


def dialog_text(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


async def open_tags(app, pilot) -> TagDialog:
    await pilot.press("t")
    await wait_for(pilot, lambda: isinstance(app.screen, TagDialog))
    await settle(app, pilot)
    assert isinstance(app.screen, TagDialog)
    return app.screen


async def type_tags(app, pilot, text: str) -> None:
    await open_tags(app, pilot)
    await pilot.press(*text)
    await pilot.press("enter")


def tags(service: ReadingList, paper_id: int) -> tuple[str, ...]:
    return service.tags_of([paper_id]).get(paper_id, ())


async def test_t_tags_the_highlighted_paper_and_u_takes_it_off(app):
    service = app.service
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        first = highlighted(app)
        dialog = await open_tags(app, pilot)
        title = service.get(first).title[:20]
        assert title in str(dialog.query_one(".dialog-title").render())
        assert dialog_text(app, "#tag-current") == "No tags yet."
        await pilot.press(*"Thesis")
        await pilot.press("enter")
        await wait_for(pilot, lambda: tags(service, first) == ("thesis",))
        await wait_for(pilot, lambda: "Added tag “thesis” to 1 paper" in status(app))
        await wait_for(pilot, lambda: app.screen.current and app.screen.current.tags)
        assert app.screen.current.tags == ("thesis",)  # the detail pane's record
        await pilot.press("u")
        await wait_for_notice(pilot, "Undid: added tag “thesis” to 1 paper")
        assert tags(service, first) == ()


async def test_t_on_marked_papers_shows_their_tags_and_undo_keeps_what_was_there(app):
    service = app.service
    ids = [row.id for row in service.papers(limit=3)]
    service.tag([ids[1]], "llm")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        assert [row.id for row in listed(app)[:3]] == ids
        await pilot.press("space", "space", "space")
        await wait_for(pilot, lambda: "3 marked" in status(app))
        dialog = await open_tags(app, pilot)
        assert "3 marked papers" in str(dialog.query_one(".dialog-title").render())
        assert dialog_text(app, "#tag-current") == "Tags: llm (1 of 3)"
        await pilot.press(*"llm rl")
        await pilot.press("enter")
        await wait_for(pilot, lambda: all(tags(service, pid) == ("llm", "rl") for pid in ids))
        await wait_for(pilot, lambda: "Added tags “llm”, “rl” to 3 papers" in status(app))
        await pilot.press("u")
        await wait_for_notice(pilot, "Undid: added tags “llm”, “rl” to 3 papers")
        assert [tags(service, pid) for pid in ids] == [(), ("llm",), ()]


async def test_a_leading_minus_takes_a_tag_off_and_u_puts_it_back(app):
    service = app.service
    ids = [row.id for row in service.papers(limit=2)]
    service.tag(ids, "draft")
    service.tag(ids[:1], "keep")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("space", "space")
        await wait_for(pilot, lambda: "2 marked" in status(app))
        await type_tags(app, pilot, "-draft")
        await wait_for(pilot, lambda: "Removed tag “draft” from 2 papers" in status(app))
        assert [tags(service, pid) for pid in ids] == [("keep",), ()]
        await pilot.press("u")
        await wait_for_notice(pilot, "Undid: removed tag “draft” from 2 papers")
        assert [tags(service, pid) for pid in ids] == [("draft", "keep"), ("draft",)]


async def test_a_bad_tag_name_is_refused_in_the_dialog_with_the_core_wording(app):
    service = app.service
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = highlighted(app)
        await type_tags(app, pilot, "ok " + "x" * (MAX_TAG_LENGTH + 1))
        await wait_for(pilot, lambda: "characters" in dialog_text(app, "#tag-error"))
        with pytest.raises(BadTagError) as core_error:
            service.tag([first], "x" * (MAX_TAG_LENGTH + 1))
        assert dialog_text(app, "#tag-error") == str(core_error.value)
        assert isinstance(app.screen, TagDialog)  # still open: the reader can fix it
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, TagDialog))
        await settle(app, pilot)
        assert service.tag_counts() == []  # nothing was written, "ok" neither


async def test_tab_completes_from_the_library_tags(app):
    service = app.service
    ids = [row.id for row in service.papers(limit=3)]
    service.tag(ids, "transformers")
    service.tag(ids[:1], "translation")
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("G")  # a paper without tags
        await settle(app, pilot)
        last = highlighted(app)
        dialog = await open_tags(app, pilot)
        assert "transformers 3" in str(dialog.query(".hint").first().render())
        await pilot.press(*"TRA")
        field = dialog.query_one("#tag-input")
        await pilot.press("tab")
        await wait_for(pilot, lambda: field.value == "transformers")
        await pilot.press("enter")
        await wait_for(pilot, lambda: tags(service, last) == ("transformers",))


async def test_a_paper_leaves_a_tag_filtered_list_when_untagged_and_u_brings_it_back(app):
    service = app.service
    ids = [row.id for row in service.papers(limit=2)]
    service.tag(ids, "project")
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"tag:project", "enter")
        await wait_for(pilot, lambda: sorted(row.id for row in listed(app)) == sorted(ids))
        gone = highlighted(app)
        await type_tags(app, pilot, "-project")
        await wait_for(
            pilot, lambda: [row.id for row in listed(app)] == [i for i in ids if i != gone]
        )
        await pilot.press("u")
        await wait_for_notice(pilot, "Undid: removed tag “project” from 1 paper")
        await wait_for(pilot, lambda: sorted(row.id for row in listed(app)) == sorted(ids))


async def test_enter_on_an_empty_dialog_changes_nothing(app):
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(app, pilot)
        await type_tags(app, pilot, "")
        await wait_for(pilot, lambda: not isinstance(app.screen, TagDialog))
        await settle(app, pilot)
        await pilot.press("u")
        await wait_for_notice(pilot, "Nothing to undo")
        assert not any("Undid" in text for text in notices(app))


def test_parse_tag_edit_adds_takes_off_and_refuses_a_tag_both_ways():
    assert parse_tag_edit(" LLM, rl  -Draft ") == TagEdit(("llm", "rl"), ("draft",))
    assert parse_tag_edit("") == TagEdit()
    with pytest.raises(BadTagError, match="both added and taken off"):
        parse_tag_edit("llm -llm")
    with pytest.raises(BadTagError, match="bad tag name"):
        parse_tag_edit("-")


async def test_the_suggester_completes_the_last_word_only():
    suggester = TagSuggester(["transformers", "rl"], ["draft"])
    assert await suggester.get_suggestion("llm tra") == "llm transformers"
    assert await suggester.get_suggestion("-dr") == "-draft"
    assert await suggester.get_suggestion("-tra") is None  # taking off: the papers' own tags
    assert await suggester.get_suggestion("llm ") is None
    assert await suggester.get_suggestion("rl") is None


async def test_keys_typed_fast_after_t_land_in_the_dialog(app):
    service = app.service
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        first = highlighted(app)
        burst(app, "t", *"ml", "enter")  # before the dialog is open: they wait for it
        await wait_for(pilot, lambda: tags(service, first) == ("ml",))
        assert not isinstance(app.screen, TagDialog)
