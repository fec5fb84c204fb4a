"""The app never shows a paper in the trash: not as the remembered paper of the last run,
not in the palette's "Go to paper", not when jumping to one deleted meanwhile."""

from __future__ import annotations

from readinglist.core.service import ReadingList
from readinglist.core.settings import Settings
from readinglist.ui.app import ReadingListApp
from readinglist.ui.widgets.paper_list import PaperList
from tests.conftest import TODAY
from tests.ui.conftest import listed, notices, settle, status, wait_for
from tests.ui.test_palette import open_palette, palette_options

SIZE = (120, 36)


def _cursor(app) -> int:
    return app.screen.query_one(PaperList).cursor


async def test_a_remembered_paper_deleted_since_starts_at_the_top(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("j", "j", "j")
        await settle(app, pilot)
        gone = app.screen.query_one(PaperList).highlighted_id
    assert app.service.db_path is not None
    with ReadingList(app.service.db_path, today=TODAY) as other:  # the CLI, meanwhile
        total = other.count()
        other.delete([gone])
    again = ReadingListApp(
        ReadingList(app.service.db_path, today=TODAY), settings=Settings(app.settings.path)
    )
    try:
        async with again.run_test(size=SIZE) as pilot:
            await settle(again, pilot)
            assert gone not in [row.id for row in listed(again)]
            assert f"{total - 1:,} papers" in status(again)
            assert _cursor(again) == 0 and again.screen.current.id != gone
            assert notices(again, "error") == []
    finally:
        again.service.close()


async def test_the_palette_offers_no_paper_in_the_trash(make_app):
    app = make_app()
    target = app.service.papers()[150]
    app.service.delete([target.id])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_palette(app, pilot, target.title)
        await wait_for(pilot, lambda: any("Go to paper" in o for o in palette_options(app)))
        assert not any(target.title in o for o in palette_options(app))


async def test_jumping_to_a_paper_deleted_meanwhile_keeps_the_list(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        gone = listed(app)[5].id
        app.service.delete([gone])  # after the palette found it, before the reader chose it
        app.jump_to_paper(gone)
        await settle(app, pilot)
        assert gone not in app.screen.query_one(PaperList).ids
        assert app.screen.current is not None and app.screen.current.id != gone
        assert notices(app, "error") == []
