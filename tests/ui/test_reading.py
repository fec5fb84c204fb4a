"""Reading at any size: a full-screen reading view, keys that scroll the detail pane,
a list that fills a narrow terminal, a cursor kept on screen after a resize, and
links kept on one line with a hyperlink for the terminal."""

from __future__ import annotations

from textual.geometry import Region
from textual.widgets import Static

from readinglist.ui.screens.reader import ReaderScreen
from readinglist.ui.widgets.paper_detail import PaperDetail, links_content
from readinglist.ui.widgets.paper_list import PaperList
from tests.ui.conftest import settle, shown_rows, wait_for


def longest_abstract(app):
    records = app.service.records([paper.id for paper in app.service.papers()])
    return max(records, key=lambda record: len(record.abstract))


async def test_the_whole_abstract_can_be_read_at_80x24(make_app):
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        record = longest_abstract(app)
        app.jump_to_paper(record.id)
        await settle(app, pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        await settle(app, pilot)
        reader = app.screen.query_one(PaperDetail)
        assert reader.max_scroll_y > 0  # longer than the screen
        await pilot.press("space", "space", "space", "end")
        await settle(app, pilot)
        assert reader.scroll_y == reader.max_scroll_y
        last_words = record.abstract.split()[-1]
        abstract = app.screen.query_one("#detail-abstract", Static)
        height = abstract.region.height
        bottom = abstract.render_lines(Region(0, height - 3, abstract.size.width, 3))
        assert any(last_words in strip.text for strip in bottom)
        await pilot.press("escape")
        await settle(app, pilot)
        assert not isinstance(app.screen, ReaderScreen)


async def test_J_and_K_scroll_the_detail_pane(make_app):
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        app.jump_to_paper(longest_abstract(app).id)
        await settle(app, pilot)
        detail = app.screen.query_one("#detail", PaperDetail)
        assert detail.scroll_y == 0 and detail.max_scroll_y > 0
        await pilot.press("J")
        await settle(app, pilot)
        assert detail.scroll_y > 0
        await pilot.press("K")
        await settle(app, pilot)
        assert detail.scroll_y == 0


async def test_a_narrow_terminal_shows_the_list_alone_and_v_reads(make_app):
    app = make_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await settle(app, pilot)
        papers = app.screen.query_one(PaperList)
        assert not app.screen.query_one("#detail").display
        assert papers.region.width == 60  # no pane
        assert papers.styles.gutter.right == 0  # and no stray border column beside it
        assert all("▕" not in line for line in shown_rows(app))
        await pilot.press("J")  # no pane to scroll: read full screen
        await wait_for(pilot, lambda: isinstance(app.screen, ReaderScreen))
        await pilot.press("v")
        await wait_for(pilot, lambda: not isinstance(app.screen, ReaderScreen))


async def test_the_cursor_stays_on_screen_after_a_resize(make_app):
    app = make_app()
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(app, pilot)
        for _ in range(30):
            await pilot.press("j")
        await settle(app, pilot)
        papers = app.screen.query_one(PaperList)
        await pilot.resize_terminal(80, 24)
        await settle(app, pilot)
        top = int(papers.scroll_offset.y)
        assert top <= papers.cursor < top + papers.scrollable_content_region.height
        await pilot.press("n")  # edits the paper on screen
        await settle(app, pilot)
        assert app.screen.paper_title == app.service.get(papers.highlighted_id).title


def test_links_stay_on_one_line_with_a_hyperlink_for_web_links_only():
    long = "https://github.com/some-lab/" + "a-very-long-repository-name-" * 6
    content = links_content((long, "javascript:alert(1)", "https://x.org/\x1b]52;c;eA==\x07p"))
    lines = content.plain.splitlines()
    assert lines == [
        f"[1] {long}",
        "[2] javascript:alert(1)",
        "[3] https://x.org/p",
    ]
    linked = {
        content.plain[span.start : span.end]: span.style.link
        for span in content.spans
        if not isinstance(span.style, str) and span.style.link
    }
    assert linked == {long: long, "https://x.org/p": "https://x.org/p"}


async def test_a_long_link_is_cropped_not_wrapped_and_sent_as_osc8(make_app, tmp_path):
    url = "https://github.com/some-lab/" + "a-very-long-repository-name-" * 6
    page = tmp_path / "link.txt"
    page.write_text(
        "Daily Papers\n\nQuokkaformer: Marsupial Attention\n\n"
        f"We study attention in quokkas across many long abstracts. Code: {url}\n"
    )
    app = make_app([page])
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(app, pilot)
        links = app.screen.query_one("#detail-links", Static)
        assert links.region.height == 1  # one link, one line
        [strip] = links.render_lines(Region(0, 0, links.size.width, 1))
        assert strip.text.rstrip().endswith("…")
        output = strip.render(app.console)  # what the terminal receives
        assert "\x1b]8;id=" in output and f";{url}\x1b\\" in output
