"""A stand-in for the Hugging Face API on 127.0.0.1, for the ``fetch`` tests.

Test modules make fixtures of the generators here (``api = pytest.fixture(fetch_server.api)``;
``local_server`` with ``scope="module"``).
``api`` is a real HTTP server (pytest-httpserver) on 127.0.0.1 that serves a listing
page by page, as ``/api/daily_papers`` does, or whatever a test sets up; ``HF_ENDPOINT``
points at it. ``no_internet`` makes any socket that connects (or any name looked up)
off this machine fail, and the test fail with it: nothing a fetch test does ever
reaches the internet. ``release`` ends the slow answers a test started, at teardown.
"""

from __future__ import annotations

import errno
import json
import socket
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from tests.hf_builder import item

LOCAL_HOSTS = ("127.0.0.1", "::1", "localhost")


def no_internet(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Any]]:
    """Connections and name look-ups off this machine are refused (and listed);
    the test fails at teardown if any was tried, unless it takes the list and clears it."""
    tried: list[Any] = []
    real_connect = socket.socket.connect
    real_getaddrinfo = socket.getaddrinfo

    def connect(self: socket.socket, address: Any) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in LOCAL_HOSTS:
            tried.append(address)
            raise OSError(errno.ENETUNREACH, "Network is unreachable (the tests stay local)")
        return real_connect(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        name = host.decode() if isinstance(host, bytes) else host
        if name is not None and name not in LOCAL_HOSTS and not _is_address(name):
            tried.append(name)
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known (tests)")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("ALL_PROXY", raising=False)
    yield tried
    assert not tried, f"a test tried to reach the internet: {tried}"


def _is_address(name: str) -> bool:
    try:
        socket.inet_pton(socket.AF_INET6 if ":" in name else socket.AF_INET, name)
    except OSError:
        return False
    return True


def release() -> Iterator[threading.Event]:
    """Set at teardown: slow handlers waiting on it return."""
    event = threading.Event()
    yield event
    event.set()


def local_server() -> Iterator[HTTPServer]:
    """A server on 127.0.0.1 for a whole module (stopping one takes half a second)."""
    server = HTTPServer(host="127.0.0.1", port=0, threaded=True)
    server.start()
    try:
        yield server
    finally:
        server.clear()
        server.stop()


def api(
    local_server: HTTPServer,
    no_internet: list[Any],
    release: threading.Event,
    monkeypatch: pytest.MonkeyPatch,
) -> Iterator[HTTPServer]:
    """The module's server, emptied, named by ``HF_ENDPOINT``; fetches time out after 2 s."""
    local_server.clear()
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{local_server.port}")
    monkeypatch.setenv("READINGLIST_FETCH_TIMEOUT", "2")
    yield local_server
    release.set()
    local_server.clear()


def generated_items(count: int, *, day: str = "2026-11-25", start: int = 0) -> list[dict[str, Any]]:
    """``count`` API items built from the real one, each its own paper."""
    return [
        item(
            id=f"2611.{number:05d}",
            title=f"Generated paper number {number} on sparse attention",
            submittedOnDailyAt=f"{day}T08:{number % 60:02d}:00.000Z",
            upvotes=number,
        )
        for number in range(start, start + count)
    ]


class Listing:
    """Serves ``items`` as the API does: ``p``-th page of ``limit`` items for the period."""

    def __init__(self, items: list[Any], *, period: tuple[str, str] = ("date", "2026-11-25")):
        self.items = items
        self.period = period
        self.requests: list[dict[str, str]] = []
        self.user_agents: list[str] = []
        self.authorizations: list[str | None] = []

    def __call__(self, request: Request) -> Response:
        self.requests.append(dict(request.args))
        self.user_agents.append(request.headers.get("User-Agent", ""))
        self.authorizations.append(request.headers.get("Authorization"))
        kind, value = self.period
        if request.args.get(kind) != value:
            return Response(
                '{"error": "wrong period"}', status=400, content_type="application/json"
            )
        page = int(request.args.get("p", "0"))
        limit = min(int(request.args.get("limit", "50")), 100)
        chunk = self.items[page * limit : (page + 1) * limit]
        return Response(json.dumps(chunk), content_type="application/json")

    @property
    def pages_asked(self) -> list[int]:
        return [int(args["p"]) for args in self.requests]


def serve_listing(server: HTTPServer, items: list[Any], **kwargs: Any) -> Listing:
    listing = Listing(items, **kwargs)
    server.expect_request("/api/daily_papers").respond_with_handler(listing)
    return listing
