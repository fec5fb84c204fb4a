"""SVG snapshots of the tag dialog (review the report before updating)."""

from __future__ import annotations

from tests.ui.conftest import settle, shown_rows, wait_for
from tests.ui.test_snapshots import SIZE, no_blink


async def open_on_three_marked(pilot, typed: str) -> None:
    """Tag two papers, mark the first three, open t and type ``typed``."""
    from readinglist.ui.screens.tag_dialog import TagDialog

    app = pilot.app
    await settle(app, pilot)
    ids = [row.id for row in app.service.papers(limit=3)]
    app.service.tag(ids[:2], "llm")
    app.service.tag(ids[:1], "thesis")
    app.screen.check_for_changes()  # now, not at the next poll: the rows show their tags
    await wait_for(pilot, lambda: any(" #" in line for line in shown_rows(app)), timeout=20)
    await settle(app, pilot)
    await pilot.press("space", "space", "space", "k", "t")
    await wait_for(pilot, lambda: isinstance(app.screen, TagDialog))
    await settle(app, pilot)
    await pilot.press(*typed)
    await settle(app, pilot)
    await pilot.pause()  # the suggestion's message
    no_blink(app)


def test_tag_dialog_with_completion(snap_compare, make_app):
    async def run_before(pilot) -> None:
        await open_on_three_marked(pilot, "reading l")

    assert snap_compare(make_app(), terminal_size=SIZE, run_before=run_before)


def test_tag_dialog_refusing_a_bad_name_at_80x24(snap_compare, make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")

    async def run_before(pilot) -> None:
        await open_on_three_marked(pilot, "-")
        await pilot.press("enter")
        await settle(pilot.app, pilot)
        no_blink(pilot.app)

    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=run_before)
