"""``F`` and the palette's "Fetch": today's Daily Papers listing fetched from a local
stand-in for the Hugging Face API, in a worker with progress; the list shows the new
papers; a failure is one notification line and changes nothing."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from readinglist.ui.messages import ListingFetchProgress
from tests import fetch_server
from tests.fetch_server import generated_items, serve_listing
from tests.ui.conftest import listed, settle, status, wait_for
from tests.ui.test_palette import open_palette, palette_options

SIZE = (120, 36)

no_internet = pytest.fixture(fetch_server.no_internet)
release = pytest.fixture(fetch_server.release)
local_server = pytest.fixture(scope="module")(fetch_server.local_server)
api = pytest.fixture(fetch_server.api)


async def test_f_fetches_todays_listing_and_lists_the_new_papers(make_app, api: HTTPServer):
    listing = serve_listing(api, generated_items(120))
    app = make_app([])
    seen: list[object] = []
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await settle(app, pilot)
        assert listed(app) == []
        await pilot.press("F")
        await wait_for(pilot, lambda: len(listed(app)) == 120)
        assert "Imported daily_papers?date=2026-11-25: 120 new, 0 updated" in status(app)
        assert listing.pages_asked == [0, 1]
        progress = [(m.pages, m.papers) for m in seen if isinstance(m, ListingFetchProgress)]
        assert list(dict.fromkeys(progress)) == [(1, 100), (2, 120)]  # (each bubbles up)
        assert "Generated paper number" in listed(app)[0].title


async def test_a_failed_fetch_is_one_notification_and_changes_nothing(make_app, api: HTTPServer):
    api.expect_request("/api/daily_papers").respond_with_data("<html>down</html>", status=502)
    app = make_app([])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("F")
        await wait_for(pilot, lambda: bool(app._notifications))
        await settle(app, pilot)
        [note] = [n.message for n in app._notifications]
        assert "\n" not in note
        assert "HTTP 502 BAD GATEWAY; nothing was imported" in note
        assert "Fetching" not in status(app)
        assert listed(app) == [] and app.service.count() == 0


async def test_the_palette_offers_fetch(make_app, api: HTTPServer):
    serve_listing(api, generated_items(2))
    app = make_app([])
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await open_palette(app, pilot, "fetch")
        # the first option once the palette has matched what was typed
        await wait_for(pilot, lambda: palette_options(app)[0].startswith("Fetch\n"))
        await pilot.press("enter")
        await wait_for(pilot, lambda: len(listed(app)) == 2)


async def test_quitting_while_a_fetch_waits_stops_it_at_once(
    make_app, api: HTTPServer, release: threading.Event, monkeypatch: pytest.MonkeyPatch
):
    """The process must not wait for a slow server after the reader quits."""
    monkeypatch.setenv("READINGLIST_FETCH_TIMEOUT", "60")
    asked = threading.Event()

    def silent(_request: Request) -> Response:
        asked.set()
        release.wait(60)
        return Response("[]")

    api.expect_request("/api/daily_papers").respond_with_handler(silent)
    app = make_app([])
    fetch, ended = app.service.fetch, threading.Event()

    def fetch_and_tell(**kwargs: Any) -> Any:
        try:
            return fetch(**kwargs)
        finally:
            ended.set()

    app.service.fetch = fetch_and_tell
    async with app.run_test(size=SIZE) as pilot:
        await settle(app, pilot)
        await pilot.press("F")
        await wait_for(pilot, asked.is_set)
        assert "Fetching today's listing from 127.0.0.1…" in status(app)  # HF_ENDPOINT's host
        await pilot.press("q")
    assert ended.wait(30)  # the server holds its answer for 60 s: only stopping ends it sooner
    assert app.service.count() == 0
