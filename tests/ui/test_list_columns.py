"""The list's columns: on a narrow terminal the column the list is sorted by stays (the
other columns and the title make room), so the reader sees what the order is."""

from __future__ import annotations

import pytest

from readinglist.core.sorting import SORTS
from readinglist.ui.messages import BEST_MATCH
from readinglist.ui.widgets.paper_list import PaperList, shown_columns
from tests.ui.conftest import listed, settle, shown_rows, status, wait_for

SMALL, LARGE = (80, 24), (140, 40)


def first_row_shows(app) -> dict[str, bool]:
    """Whether the rows on screen show their papers' dates and upvotes (every row that
    has one shows it, or none does)."""
    paper_list = app.screen.query_one(PaperList)
    top = int(paper_list.scroll_offset.y)
    rows = shown_rows(app)
    papers = listed(app)[top : top + len(rows)]
    shown = list(zip(papers, rows, strict=False))  # the list may end above the screen's end
    seen = {
        "date": {paper.date[:10] in row for paper, row in shown if paper.date},
        "upvotes": {f"▲{paper.upvotes}" in row for paper, row in shown if paper.upvotes},
    }
    assert seen["date"] or seen["upvotes"], rows  # something to see
    assert all(len(found) <= 1 for found in seen.values()), (seen, rows)
    return {column: found == {True} for column, found in seen.items()}


async def sort_by(app, pilot, order: str) -> None:
    """Press S until the status line says the list is in ``order``."""
    wanted = "best match first" if order == BEST_MATCH else f"by {order}"
    for _ in range(len(SORTS) + 1):
        if wanted in status(app):
            break
        await pilot.press("S")
        await settle(app, pilot)
    await wait_for(pilot, lambda: wanted in status(app))
    await pilot.press("g")  # the top, where the papers with dates and upvotes come first
    await settle(app, pilot)


@pytest.mark.parametrize("order", SORTS)
async def test_at_80x24_the_sorted_column_shows_and_the_others_give_way(make_app, order):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await sort_by(app, pilot, order)
        shows = first_row_shows(app)
        if order in ("date", "upvotes"):
            assert shows[order], shown_rows(app)[0]
            assert not any(shows[other] for other in shows if other != order)
        else:  # no column says title, added or stars: the title keeps the room
            assert shows == {"date": False, "upvotes": False}
        assert all(len(row.strip()) > 20 for row in shown_rows(app)[:5])  # titles still read


@pytest.mark.parametrize("order", SORTS)
async def test_at_140x40_date_and_upvotes_show_whatever_the_order(make_app, order):
    app = make_app()
    async with app.run_test(size=LARGE) as pilot:
        await settle(app, pilot)
        await sort_by(app, pilot, order)
        assert first_row_shows(app) == {"date": True, "upvotes": True}


@pytest.mark.parametrize("order", [BEST_MATCH, "upvotes", "date"])
async def test_a_search_at_80x24_shows_the_column_of_its_order(make_app, order):
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await pilot.press("slash", *"language", "enter")
        await settle(app, pilot)
        await sort_by(app, pilot, order)
        shows = first_row_shows(app)
        expected = {"date": order == "date", "upvotes": order == "upvotes"}
        assert shows == expected, shown_rows(app)[0]


def test_the_sorted_column_goes_last_and_never_squeezes_the_title_away():
    assert shown_columns(47, "date") == {"date"}
    assert shown_columns(47, "title") == set()
    assert shown_columns(65, "upvotes") == {"upvotes"}  # the date gives way
    assert shown_columns(65, "added") == {"date"}
    assert shown_columns(80, "upvotes") == {"date", "upvotes"}
    assert shown_columns(100, "stars") == {"date", "upvotes", "org"}
    assert shown_columns(30, "date") == set()  # the title would be left too little room
