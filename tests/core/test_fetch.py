"""``ReadingList.fetch``: the Daily Papers API read page by page from a real HTTP server on
127.0.0.1, imported as one listing; and every way it can fail, each changing nothing."""

from __future__ import annotations

import json
import os
import socket
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from readinglist import __version__
from readinglist.core.fetch import (
    DEFAULT_ENDPOINT,
    FetchError,
    FetchStop,
    Period,
    endpoint_from_environment,
    fetch_listing,
    listing_source,
    timeout_from_environment,
)
from readinglist.core.service import LibraryError, ReadingList
from tests import fetch_server
from tests.conftest import TODAY, ids_of
from tests.fetch_server import generated_items, serve_listing
from tests.hf_builder import NASTY_TITLE, item

no_internet = pytest.fixture(fetch_server.no_internet)
release = pytest.fixture(fetch_server.release)
local_server = pytest.fixture(scope="module")(fetch_server.local_server)
api = pytest.fixture(fetch_server.api)


@pytest.fixture
def library(tmp_path: Path) -> Iterator[ReadingList]:
    with ReadingList(tmp_path / "library.db", today=TODAY) as service:
        yield service


# -- fetching and importing ---------------------------------------------------------------------


def test_todays_listing_is_imported_as_one_page_recorded_by_its_address(
    api: HTTPServer, service: ReadingList
) -> None:
    items = [item(submittedOnDailyAt="2026-11-25T08:00:00.000Z"), *generated_items(3)]
    listing = serve_listing(api, items)

    report = service.fetch()

    address = f"http://127.0.0.1:{api.port}/api/daily_papers?date=2026-11-25"
    assert report.ok and report.path == address
    assert (report.papers, report.new, report.updated) == (4, 4, 0)
    assert listing.requests == [{"date": "2026-11-25", "p": "0", "limit": "100"}]
    assert listing.user_agents[0].startswith(f"readinglist/{__version__}")
    for paper_id in ids_of(service):
        assert [source for source, _date in service.sources_of(paper_id)] == [address]


def test_a_fetched_paper_dated_later_than_it_can_be_is_left_undated(
    api: HTTPServer, service: ReadingList
) -> None:
    future = item(id="2611.99999", title="From 9999", submittedOnDailyAt="9999-12-31T00:00:00Z")
    serve_listing(api, [future, *generated_items(1)])
    assert service.fetch().ok
    dates = {paper.arxiv_id: paper.date for paper in service.records(ids_of(service))}
    assert dates == {"2611.99999": None, "2611.00000": "2026-11-25"}


def test_the_same_listing_fetched_again_changes_nothing(
    api: HTTPServer, library: ReadingList
) -> None:
    serve_listing(api, generated_items(5))
    library.fetch()

    again = library.fetch()

    assert (again.papers, again.new, again.updated) == (5, 0, 0)
    assert library.count() == 5


@pytest.mark.parametrize("count", [1, 99, 100, 101, 199, 200, 250])
def test_pages_are_followed_until_a_short_one(
    api: HTTPServer, library: ReadingList, count: int
) -> None:
    listing = serve_listing(api, generated_items(count))
    seen: list[tuple[int, int]] = []

    report = library.fetch(progress=lambda pages, papers: seen.append((pages, papers)))

    pages = count // 100 + 1  # a full last page is followed by an empty one
    assert listing.pages_asked == list(range(pages))
    assert report.papers == report.new == library.count() == count
    assert seen == [(n + 1, min((n + 1) * 100, count)) for n in range(pages)]


def test_an_empty_listing_imports_nothing_and_says_so(
    api: HTTPServer, library: ReadingList
) -> None:
    serve_listing(api, [])

    report = library.fetch()

    assert report.ok and report.papers == 0
    assert report.warnings == ("no papers are listed for 2026-11-25 (yet?); nothing was imported",)
    assert library.count() == 0


@pytest.mark.parametrize(
    ("kind", "value"), [("date", "2026-03-06"), ("week", "2026-W10"), ("month", "2026-03")]
)
def test_a_day_week_or_month_is_asked_for_by_its_parameter(
    api: HTTPServer, library: ReadingList, kind: str, value: str
) -> None:
    listing = serve_listing(api, generated_items(2), period=(kind, value))

    report = library.fetch(Period.parse(kind, value))

    assert report.new == 2
    assert listing.requests[0][kind] == value
    assert report.path.endswith(f"/api/daily_papers?{kind}={value}")


@pytest.mark.parametrize(
    ("kind", "value"),
    [
        ("date", "2026-02-30"),
        ("date", "20260306"),
        ("date", "2026-3-6"),
        ("week", "2026-W54"),
        ("week", "2025-W53"),  # 2025 has 52 ISO weeks
        ("week", "2026-10"),
        ("month", "2026-13"),
        ("month", "2026-00"),
        ("month", "March"),
    ],
)
def test_a_period_that_is_not_one_is_refused_saying_what_one_looks_like(
    kind: str, value: str
) -> None:
    with pytest.raises(ValueError, match=f"is not a {kind} \\("):
        Period.parse(kind, value)


def test_2026_has_a_week_53() -> None:
    assert Period.parse("week", "2026-W53").value == "2026-W53"


def test_hf_endpoint_may_end_in_a_slash_or_carry_a_path(
    api: HTTPServer, library: ReadingList, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = serve_listing(api, generated_items(1))
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{api.port}/")
    assert library.fetch().new == 1
    api.expect_request("/mirror/api/daily_papers").respond_with_handler(listing)
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{api.port}/mirror")
    assert library.fetch().ok


def test_credentials_in_hf_endpoint_are_neither_recorded_nor_shown(
    api: HTTPServer, library: ReadingList, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = serve_listing(api, generated_items(1))
    monkeypatch.setenv("HF_ENDPOINT", f"http://reader:s3cret@127.0.0.1:{api.port}")

    report = library.fetch()

    assert listing.authorizations == ["Basic cmVhZGVyOnMzY3JldA=="]  # sent, as basic auth

    assert "s3cret" not in report.path and "reader" not in report.path
    [paper_id] = ids_of(library)
    assert all("s3cret" not in source for source, _ in library.sources_of(paper_id))


def test_hf_endpoint_defaults_to_hugging_face() -> None:
    assert endpoint_from_environment({}) == DEFAULT_ENDPOINT == "https://huggingface.co"
    assert endpoint_from_environment({"HF_ENDPOINT": "  "}) == DEFAULT_ENDPOINT


@pytest.mark.parametrize(
    "endpoint", ["ftp://example.org", "file:///etc", "huggingface.co", "http://", "http://a b"]
)
def test_hf_endpoint_that_is_not_a_web_address_is_refused(
    library: ReadingList, monkeypatch: pytest.MonkeyPatch, no_internet: list[Any], endpoint: str
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", endpoint)
    with pytest.raises(FetchError, match=r"^HF_ENDPOINT is not a web address"):
        library.fetch()


@pytest.mark.parametrize("value", ["0", "-1", "soon", "nan", "inf", "601"])
def test_a_timeout_that_is_not_a_number_of_seconds_is_refused(value: str) -> None:
    with pytest.raises(FetchError, match=r"^READINGLIST_FETCH_TIMEOUT: "):
        timeout_from_environment({"READINGLIST_FETCH_TIMEOUT": value})


def test_outside_text_is_cleaned_as_an_imported_page_is(
    api: HTTPServer, library: ReadingList
) -> None:
    serve_listing(api, [item(title=NASTY_TITLE)])

    library.fetch()

    [summary] = library.summaries(ids_of(library))
    assert "\x1b" not in summary.title and "\x07" not in summary.title
    assert summary.title.startswith("Attention & <Memory>")


# -- failures: one line, nothing imported -------------------------------------------------------


def failing(service: ReadingList) -> str:
    with pytest.raises(FetchError) as raised:
        service.fetch()
    message = str(raised.value)
    assert "\n" not in message
    assert message.endswith("nothing was imported") or message.startswith("HF_ENDPOINT")
    assert service.count() == 0
    return message


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        (500, "HTTP 500 INTERNAL SERVER ERROR"),
        (404, "HTTP 404 NOT FOUND; check HF_ENDPOINT; nothing was imported"),
        (403, "HTTP 403 FORBIDDEN"),
        (429, "the server asks for fewer requests"),
        (503, "HTTP 503 SERVICE UNAVAILABLE"),
    ],
)
def test_an_http_error_is_reported(
    api: HTTPServer, library: ReadingList, status: int, expected: str
) -> None:
    api.expect_request("/api/daily_papers").respond_with_data("oops", status=status)
    message = failing(library)
    assert expected.lower() in message.lower()
    assert message.startswith(f"http://127.0.0.1:{api.port}/api/daily_papers?date=2026-11-25: ")


def test_the_apis_own_error_message_is_not_the_status_said_again(
    api: HTTPServer, library: ReadingList
) -> None:
    api.expect_request("/api/daily_papers").respond_with_json({"error": "Not Found"}, status=404)
    assert failing(library).endswith(
        ": HTTP 404 NOT FOUND; check HF_ENDPOINT; nothing was imported"
    )


def test_the_apis_own_error_message_is_quoted_cleaned(
    api: HTTPServer, library: ReadingList
) -> None:
    api.expect_request("/api/daily_papers").respond_with_json(
        {"error": "Invalid date\n\x1b[31mformat"}, status=400
    )
    message = failing(library)
    assert "HTTP 400 BAD REQUEST (Invalid date \x1b[31mformat)" in message


def test_a_failure_on_page_3_imports_nothing_of_pages_1_and_2(
    api: HTTPServer, library: ReadingList
) -> None:
    items = generated_items(200)

    def handler(request: Request) -> Response:
        page = int(request.args["p"])
        if page == 2:
            return Response("upstream broke", status=502)
        return Response(json.dumps(items[page * 100 : page * 100 + 100]))

    api.expect_request("/api/daily_papers").respond_with_handler(handler)

    message = failing(library)

    assert "(page 3): HTTP 502" in message


@pytest.mark.parametrize(
    ("body", "content_type", "expected"),
    [
        (b"\x00\xff\xfe garbage \x9b", "application/octet-stream", "not text (not UTF-8)"),
        (b"<!DOCTYPE html><html><body>Sign in</body></html>", "text/html", "a web page"),
        (b"<html>", "application/json", "a web page"),
        (b"", "application/json", "the answer is empty"),
        (b"   \n", "application/json", "the answer is empty"),
        (b'{"papers": []}', "application/json", "JSON, but an object, not a list of papers"),
        (b'"hello"', "application/json", "JSON, but a string"),
        (b"42", "application/json", "JSON, but a number"),
        (b"null", "application/json", "JSON, but null"),
        (b'[{"paper": ', "application/json", "the answer is not JSON (Expecting value at line 1"),
        (b"[" * 100_000 + b"]" * 100_000, "application/json", "too deep or too large"),
        (b"[1, 2, 3]", "application/json", "no readable papers in 3 items"),
    ],
    ids=[
        "garbage",
        "html",
        "html-as-json",
        "empty",
        "blank",
        "object",
        "string",
        "number",
        "null",
        "broken",
        "deep",
        "no-papers",
    ],
)
def test_an_answer_that_is_not_the_apis_json_is_reported(
    api: HTTPServer, library: ReadingList, body: bytes, content_type: str, expected: str
) -> None:
    api.expect_request("/api/daily_papers").respond_with_data(body, content_type=content_type)
    assert expected in failing(library)


def test_a_body_larger_than_the_cap_is_refused_by_its_length(
    api: HTTPServer, no_internet: list[Any]
) -> None:
    api.expect_request("/api/daily_papers").respond_with_data(b"[" + b" " * 5000 + b"]")
    with pytest.raises(FetchError, match="the answer is too large"):
        fetch_listing(Period.day(TODAY), max_page_bytes=4096)


def test_a_body_larger_than_the_cap_without_a_length_is_cut_off(
    api: HTTPServer, no_internet: list[Any]
) -> None:
    def endless(_request: Request) -> Response:
        return Response((b" " * 1024 for _ in range(100_000)), content_type="application/json")

    api.expect_request("/api/daily_papers").respond_with_handler(endless)
    with pytest.raises(FetchError, match=r"the answer is too large \(over 0.0 MiB\)"):
        fetch_listing(Period.day(TODAY), max_page_bytes=16 * 1024)


def test_the_default_cap_refuses_a_huge_answer(api: HTTPServer, library: ReadingList) -> None:
    big = b"[" + b" " * (9 * 1024 * 1024) + b"]"
    api.expect_request("/api/daily_papers").respond_with_data(big, content_type="application/json")
    assert "the answer is too large (9.0 MiB)" in failing(library)


def test_pages_too_large_together_are_refused(
    api: HTTPServer, library: ReadingList, monkeypatch: pytest.MonkeyPatch
) -> None:
    from readinglist.core import fetch

    monkeypatch.setattr(fetch, "MAX_LISTING_BYTES", 1024 * 1024)
    serve_listing(api, generated_items(250))  # about 0.55 MB a page
    message = failing(library)
    assert "(page 2): the listing is too large (over 1.0 MiB in all)" in message


def test_a_server_that_does_not_answer_times_out(
    api: HTTPServer, library: ReadingList, release: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READINGLIST_FETCH_TIMEOUT", "0.2")

    def silent(_request: Request) -> Response:
        release.wait(30)
        return Response("[]")

    api.expect_request("/api/daily_papers").respond_with_handler(silent)
    assert "no answer within 0.2 s (timed out)" in failing(library)


def test_a_server_dripping_its_answer_is_given_up_on(
    api: HTTPServer, library: ReadingList, release: threading.Event, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("READINGLIST_FETCH_TIMEOUT", "0.2")

    def drip(_request: Request) -> Response:
        def chunks() -> Iterator[bytes]:
            yield b"["
            while not release.wait(0.05):
                yield b" "

        return Response(chunks(), content_type="application/json")

    api.expect_request("/api/daily_papers").respond_with_handler(drip)
    assert "the answer took over 0.6 s to arrive" in failing(library)


@pytest.mark.parametrize("when", ["waiting for the answer", "reading the answer"])
def test_a_fetch_stopped_from_another_thread_stops_at_once_and_imports_nothing(
    api: HTTPServer, library: ReadingList, release: threading.Event, when: str
) -> None:
    """The app stops its fetch when the reader quits: a slow server must not hold it,
    neither before it answers nor in the middle of its answer."""
    asked = threading.Event()  # the server has the request (and, reading: sent a part)

    def slow(_request: Request) -> Response:
        if when == "waiting for the answer":
            asked.set()
            release.wait(60)
            return Response("[]")

        def chunks() -> Iterator[bytes]:
            yield b"["
            asked.set()  # the server asks for the next part once it has sent this one
            release.wait(60)
            yield b"]"

        return Response(chunks(), content_type="application/json")

    api.expect_request("/api/daily_papers").respond_with_handler(slow)
    stop = FetchStop()
    failures: list[str] = []

    def fetch() -> None:
        try:
            library.fetch(timeout=60, stop=stop)
        except FetchError as error:
            failures.append(str(error))

    fetching = threading.Thread(target=fetch)
    fetching.start()
    assert asked.wait(30)
    stop.stop()
    fetching.join(30)  # the server holds the answer for 60 s: only stopping ends it sooner
    assert not fetching.is_alive()
    [message] = failures
    assert message.endswith(": stopped; nothing was imported") and library.count() == 0


def test_a_fetch_stopped_before_it_starts_asks_nothing(
    api: HTTPServer, library: ReadingList
) -> None:
    listing = serve_listing(api, generated_items(3))
    stop = FetchStop()
    stop.stop()
    with pytest.raises(FetchError, match="stopped; nothing was imported"):
        library.fetch(stop=stop)
    assert listing.pages_asked == [] and library.count() == 0


def test_no_server_listening_is_reported(
    library: ReadingList, monkeypatch: pytest.MonkeyPatch, no_internet: list[Any]
) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{port}")
    assert "the server refused the connection" in failing(library)


def test_no_network_is_reported_and_nothing_leaves_this_machine(
    library: ReadingList, monkeypatch: pytest.MonkeyPatch, no_internet: list[Any]
) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "http://192.0.2.1")  # TEST-NET-1: never routed
    assert "network error (Network is unreachable" in failing(library)
    assert no_internet == [("192.0.2.1", 80)]
    monkeypatch.setenv("HF_ENDPOINT", "https://huggingface.co")
    assert "cannot find the server's address (no network" in failing(library)
    assert no_internet[1:] == ["huggingface.co"]
    no_internet.clear()  # both were refused, as they must be


def test_a_connection_dropped_mid_answer_is_reported(
    library: ReadingList, monkeypatch: pytest.MonkeyPatch, no_internet: list[Any]
) -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(1)
        monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{listener.getsockname()[1]}")

        def answer_half() -> None:
            conn, _ = listener.accept()
            with conn:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n[{")

        server = threading.Thread(target=answer_half)
        server.start()
        message = failing(library)
        server.join()
    assert "the connection broke off after 2 of 1000 bytes" in message


# -- redirects and retries ----------------------------------------------------------------------


def redirect(location: str, status: int = 302) -> Response:
    return Response("", status=status, headers={"Location": location})


def test_a_redirect_to_another_web_address_is_followed(
    api: HTTPServer, library: ReadingList, monkeypatch: pytest.MonkeyPatch
) -> None:
    serve_listing(api, generated_items(2))
    api.expect_request("/old/api/daily_papers").respond_with_handler(
        lambda request: redirect(f"/api/daily_papers?{request.query_string.decode()}", 308)
    )
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{api.port}/old")

    assert library.fetch().new == 2


@pytest.mark.parametrize(
    "target", ["file:///etc/passwd", "ftp://127.0.0.1/listing.json", "javascript:alert(1)"]
)
def test_a_redirect_off_the_web_is_not_followed(
    api: HTTPServer, library: ReadingList, target: str
) -> None:
    api.expect_request("/api/daily_papers").respond_with_response(redirect(target))
    scheme = target.partition(":")[0]
    assert f"redirected to a non-web address ({scheme}:), not followed" in failing(library)


def test_a_redirect_loop_is_given_up_on(api: HTTPServer, library: ReadingList) -> None:
    api.expect_request("/api/daily_papers").respond_with_handler(
        lambda request: redirect(f"/api/daily_papers?{request.query_string.decode()}&x=1")
    )
    assert "too many redirects" in failing(library)


@pytest.mark.parametrize("status", [429, 503])
def test_a_short_retry_after_is_waited_for_once(
    api: HTTPServer, library: ReadingList, status: int
) -> None:
    api.expect_ordered_request("/api/daily_papers").respond_with_data(
        "busy", status=status, headers={"Retry-After": "0"}
    )
    api.expect_ordered_request("/api/daily_papers").respond_with_json(generated_items(3))

    assert library.fetch().new == 3


def test_there_is_at_most_one_retry(api: HTTPServer, library: ReadingList) -> None:
    calls: list[str] = []

    def busy(request: Request) -> Response:
        calls.append(request.args["p"])
        return Response("busy", status=429, headers={"Retry-After": "0"})

    api.expect_request("/api/daily_papers").respond_with_handler(busy)
    assert "HTTP 429" in failing(library)
    assert calls == ["0", "0"]


@pytest.mark.parametrize("retry_after", ["3600", "Wed, 21 Oct 2026 07:28:00 GMT", None])
def test_a_long_or_missing_retry_after_is_not_waited_for(
    api: HTTPServer, library: ReadingList, retry_after: str | None
) -> None:
    calls: list[str] = []

    def busy(request: Request) -> Response:
        calls.append(request.args["p"])
        headers = {"Retry-After": retry_after} if retry_after else {}
        return Response("busy", status=503, headers=headers)

    api.expect_request("/api/daily_papers").respond_with_handler(busy)
    assert "HTTP 503" in failing(library)
    assert calls == ["0"]


def test_a_server_ignoring_the_page_number_is_caught(api: HTTPServer, library: ReadingList) -> None:
    page = generated_items(100)
    api.expect_request("/api/daily_papers").respond_with_json(page)
    assert "(page 2): the server sent the previous page again" in failing(library)


def test_a_listing_that_never_ends_is_given_up_on(api: HTTPServer, library: ReadingList) -> None:
    def endless(request: Request) -> Response:
        page = int(request.args["p"])
        return Response(json.dumps(generated_items(100, start=page * 100)))

    api.expect_request("/api/daily_papers").respond_with_handler(endless)
    assert "the listing did not end after 50 pages (5,000 papers)" in failing(library)


def test_a_read_only_library_is_refused_before_anything_is_fetched(
    api: HTTPServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    listing = serve_listing(api, generated_items(1))
    db = tmp_path / "library.db"
    ReadingList(db, today=TODAY).close()
    real_access = os.access  # what a read-only file looks like (root ignores a real chmod)
    monkeypatch.setattr(
        os, "access", lambda path, mode: mode != os.W_OK and real_access(path, mode)
    )

    with ReadingList(db, today=TODAY) as service, pytest.raises(LibraryError) as raised:
        service.fetch()

    assert str(raised.value) == f"{db}: the library is read-only; nothing was fetched"
    assert listing.requests == []


# -- whatever the server sends ------------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(st.sampled_from(["paper", "title", "summary", "id", "authors"]), children)
    ),
    max_leaves=20,
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(body=st.binary(max_size=200) | st.builds(lambda v: json.dumps(v).encode(), JSON_VALUES))
def test_any_answer_is_imported_or_refused_in_one_line(
    api: HTTPServer, library: ReadingList, body: bytes
) -> None:
    api.clear()
    api.expect_request("/api/daily_papers").respond_with_data(body)
    before = library.count()
    try:
        report = library.fetch()
    except FetchError as error:
        assert "\n" not in str(error)
        assert library.count() == before
    else:
        assert report.ok


def test_the_progress_line_names_a_mirror_by_its_host() -> None:
    assert listing_source({}) == "Hugging Face"
    assert listing_source({"HF_ENDPOINT": "https://hf-mirror.example:8443/"}) == (
        "hf-mirror.example"
    )
    assert listing_source({"HF_ENDPOINT": "ftp://nowhere"}) == "HF_ENDPOINT"  # fetch says why
