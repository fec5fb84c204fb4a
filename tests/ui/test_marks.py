"""Marking papers with space, clearing marks with escape, and star/status on marked papers."""

from __future__ import annotations

import pytest

from readinglist.ui.widgets.paper_list import PaperList
from readinglist.ui.widgets.paper_row import MARKED
from tests.ui.conftest import listed, settle, shown_rows, status, wait_for

SIZE = (120, 36)


def paper_list(app) -> PaperList:
    return app.screen.query_one(PaperList)


def marked_rows(app) -> list[str]:
    """The titles of the rows drawn with a mark, as the reader sees them."""
    return [row for row in shown_rows(app) if MARKED.strip() in row]


async def mark_first(app, pilot, count: int) -> list[int]:
    """Mark the first ``count`` papers with space (which moves down after each)."""
    for _ in range(count):
        await pilot.press("space")
    await settle(app, pilot)
    return [row.id for row in listed(app)[:count]]


async def test_space_marks_and_unmarks_with_a_visible_mark_and_a_count(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        assert "marked" not in status(app) and not marked_rows(app)
        await pilot.press("space")
        await wait_for(pilot, lambda: "1 marked" in status(app))
        first = listed(app)[0]
        assert marked_rows(app) == [shown_rows(app)[0]]
        assert first.title[:20] in marked_rows(app)[0]
        await pilot.press("j", "space")
        await wait_for(pilot, lambda: "2 marked" in status(app))
        assert len(marked_rows(app)) == 2
        await pilot.press("k", "space")  # again: unmarks
        await wait_for(pilot, lambda: "1 marked" in status(app))
        assert len(marked_rows(app)) == 1


async def test_space_moves_down_so_a_run_of_papers_is_marked_key_after_key(make_app):
    """As in mc or mutt: each space marks (or unmarks) the paper and moves to the next."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("space", "space", "space")
        await wait_for(pilot, lambda: "3 marked" in status(app))
        ids = [row.id for row in listed(app)]
        assert list(app.screen.marks) == ids[:3]
        assert paper_list(app).cursor == 3
        assert marked_rows(app) == shown_rows(app)[:3]
        await pilot.press("k", "k", "space")  # unmarking moves on too
        await wait_for(pilot, lambda: "2 marked" in status(app))
        assert list(app.screen.marks) == [ids[0], ids[2]]
        assert paper_list(app).cursor == 2


async def test_space_on_the_last_paper_marks_it_and_stays(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("G")
        await settle(app, pilot)
        last = paper_list(app).total - 1
        assert paper_list(app).cursor == last
        await pilot.press("space")
        await wait_for(pilot, lambda: "1 marked" in status(app))
        assert paper_list(app).cursor == last
        assert list(app.screen.marks) == [paper_list(app).ids[last]]
        await pilot.press("space")  # still there: unmarks it
        await wait_for(pilot, lambda: "marked" not in status(app))
        assert paper_list(app).cursor == last


async def test_space_is_described_as_moving_down(make_app):
    """The help screen and the palette read the binding: it must tell the truth."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        space = app.screen.active_bindings["space"].binding
        assert space.description == "Mark"
        assert "move down" in (space.tooltip or "")


async def test_escape_clears_marks_on_the_list(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await mark_first(app, pilot, 3)
        assert "3 marked" in status(app)
        escape = app.screen.active_bindings["escape"].binding
        assert escape.description == "Clear marks"  # the footer offers it while marked
        await pilot.press("escape")
        await wait_for(pilot, lambda: "marked" not in status(app).replace("Marks cleared", ""))
        assert not marked_rows(app)
        assert "Marks cleared" in status(app)


async def test_escape_clears_the_search_first_then_the_marks(make_app):
    """Escape's precedence: in the search box it empties the search (marks stay); on the
    list with a search on it clears the search (marks stay); with no search, the marks."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        ids = await mark_first(app, pilot, 2)
        await pilot.press("slash", *"bert")
        await settle(app, pilot)
        await pilot.press("space")  # typed into the box, not a mark
        await settle(app, pilot)
        assert app.screen.search_box.value == "bert "
        assert "2 marked" in status(app)
        await pilot.press("escape")  # in the box: clears the search only
        await settle(app, pilot)
        assert app.screen.search_box.value == "" and "2 marked" in status(app)
        await pilot.press("slash", *"bert", "enter")
        await settle(app, pilot)
        await pilot.press("escape")  # on the list, a search on: the search goes first
        await settle(app, pilot)
        assert app.screen.search_box.value == "" and "2 marked" in status(app)
        assert isinstance(app.focused, PaperList)
        await pilot.press("escape")  # no search: the marks
        await settle(app, pilot)
        assert "marked" not in status(app).replace("Marks cleared", "")
        assert set(ids).isdisjoint(app.screen.marks)


async def test_escape_in_a_dialog_closes_it_and_keeps_the_marks(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await mark_first(app, pilot, 2)
        for key in ("n", "question_mark"):
            screen = app.screen
            await pilot.press(key)
            await wait_for(pilot, lambda screen=screen: app.screen is not screen)
            await pilot.press("escape")
            await wait_for(pilot, lambda screen=screen: app.screen is screen)
            assert "2 marked" in status(app)


async def test_marks_survive_scrolling_searching_and_sorting(make_app):
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        ids = await mark_first(app, pilot, 2)
        await pilot.press("G")  # far away: those rows are off screen
        await settle(app, pilot)
        assert not marked_rows(app)
        await pilot.press("g")
        await settle(app, pilot)
        assert len(marked_rows(app)) == 2
        await pilot.press("S")  # by upvotes: the marked papers move, their marks with them
        await settle(app, pilot)
        await pilot.press("slash", *"bert", "enter")
        await settle(app, pilot)
        searched = paper_list(app).highlighted_id
        await pilot.press("space")
        await settle(app, pilot)
        assert "3 marked" in status(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert set(app.screen.marks) == {*ids, searched}
        order = list(paper_list(app).ids)
        for paper_id in (*ids, searched):  # each marked paper, wherever it is now, shows it
            paper_list(app).cursor = order.index(paper_id)
            await settle(app, pilot)
            assert (
                MARKED.strip()
                in shown_rows(app)[paper_list(app).cursor - int(paper_list(app).scroll_offset.y)]
            )


async def test_star_acts_on_every_marked_paper(make_app):
    app = make_app()
    service = app.service
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        ids = await mark_first(app, pilot, 3)
        highlighted = paper_list(app).highlighted_id
        assert highlighted not in ids
        await pilot.press("s")
        await wait_for(pilot, lambda: "Starred 3 papers" in status(app))
        assert all(service.get(pid).starred for pid in ids)
        assert not service.get(highlighted).starred  # the highlighted one is not marked
        assert [row.starred for row in listed(app)[:3]] == [True, True, True]
        await pilot.press("s")  # all starred: unstar them all
        await wait_for(pilot, lambda: "Unstarred 3 papers" in status(app))
        assert not any(service.get(pid).starred for pid in ids)


async def test_star_on_partly_starred_marks_stars_them_all(make_app):
    app = make_app()
    service = app.service
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        ids = await mark_first(app, pilot, 3)
        service.star([ids[1]])
        await pilot.press("s")
        await wait_for(pilot, lambda: "Starred 3 papers" in status(app))
        assert all(service.get(pid).starred for pid in ids)


async def test_status_acts_on_every_marked_paper_together(make_app):
    app = make_app()
    service = app.service
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        ids = await mark_first(app, pilot, 3)
        service.set_status(ids[2], "read")  # mixed: they move on from the least advanced
        await pilot.press("r")
        await wait_for(pilot, lambda: "Marked 3 papers as reading" in status(app))
        assert [service.get(pid).status for pid in ids] == ["reading"] * 3
        await pilot.press("r", "r")
        await wait_for(pilot, lambda: "as unread" in status(app))
        assert [service.get(pid).status for pid in ids] == ["unread"] * 3


async def test_without_marks_star_and_status_act_on_the_highlighted_paper(make_app):
    app = make_app()
    service = app.service
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await mark_first(app, pilot, 2)
        await pilot.press("escape", "s", "r")
        await settle(app, pilot)
        highlighted = paper_list(app).highlighted_id
        assert service.get(highlighted).starred and service.get(highlighted).status == "reading"
        assert [row.id for row in service.papers(starred_only=True)] == [highlighted]


async def test_marking_redraws_one_row(make_app, monkeypatch: pytest.MonkeyPatch):
    """At 100,000 papers a mark must not redraw the list: space refreshes one line."""
    app = make_app()
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        papers = paper_list(app)
        refreshed: list[object] = []
        monkeypatch.setattr(papers, "refresh", lambda *regions, **kw: refreshed.append(regions))
        await pilot.press("space")
        await wait_for(pilot, lambda: "1 marked" in status(app))
        assert refreshed and all(len(regions) == 1 for regions in refreshed)
        assert all(region.height == 1 for regions in refreshed for region in regions)
