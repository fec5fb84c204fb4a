"""SVG snapshots of the list with marked papers (review the report before updating)."""

from __future__ import annotations

from tests.ui.conftest import settle
from tests.ui.test_snapshots import SIZE, detail_caught_up, no_blink


async def mark_three(pilot) -> None:
    """Star the second paper, then mark the first three: the marks, a starred marked
    row, the count in the status line and 'Clear marks' in the footer."""
    app = pilot.app
    await settle(app, pilot)
    await pilot.press("j", "s")
    await settle(app, pilot)
    await pilot.press("g", "space", "space", "space")
    await settle(app, pilot)
    await detail_caught_up(pilot)
    no_blink(app)


def test_list_with_marks(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=SIZE, run_before=mark_three)


def test_list_with_marks_in_monochrome_at_80x24(snap_compare, make_app, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    assert snap_compare(make_app(), terminal_size=(80, 24), run_before=mark_three)
