"""``readinglist fetch``: its report line, its options, and one ``error:`` line (exit 1,
nothing imported) for each way a fetch fails; against a real server on 127.0.0.1."""

from __future__ import annotations

import io
import json
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

from readinglist.cli import cli
from readinglist.cli.fetch import Progress
from tests import fetch_server
from tests.fetch_server import generated_items, serve_listing

no_internet = pytest.fixture(fetch_server.no_internet)
release = pytest.fixture(fetch_server.release)
local_server = pytest.fixture(scope="module")(fetch_server.local_server)
api = pytest.fixture(fetch_server.api)

TODAY = date.today().isoformat()  # the CLI's today is the real one


@pytest.fixture
def run(tmp_path: Path) -> Callable[..., Result]:
    def invoke(*args: str) -> Result:
        return CliRunner().invoke(cli, ["--db", str(tmp_path / "library.db"), *args])

    return invoke


def papers_in(run: Callable[..., Result]) -> int:
    return len(json.loads(run("list", "--json").stdout))


def test_fetch_prints_a_line_like_import(api: HTTPServer, library_location: str) -> None:
    serve_listing(api, generated_items(101), period=("date", TODAY))
    address = f"http://127.0.0.1:{api.port}/api/daily_papers?date={TODAY}"

    def run(*args: str) -> Result:
        return CliRunner().invoke(cli, ["--db", library_location, *args])

    first = run("fetch")
    assert first.exit_code == 0, first.output
    assert first.stdout == f"{address}: 101 papers, 101 new, 0 updated\n"
    assert first.stderr == ""  # no progress when stderr is not a terminal
    again = run("fetch")
    assert again.stdout == f"{address}: 101 papers, 0 new, 0 updated\n"
    assert papers_in(run) == 101


@pytest.mark.parametrize(
    ("option", "value"), [("--date", "2026-03-06"), ("--week", "2026-W10"), ("--month", "2026-03")]
)
def test_a_day_week_or_month(api: HTTPServer, run, option: str, value: str) -> None:
    listing = serve_listing(api, generated_items(2), period=(option[2:], value))
    result = run("fetch", option, value)
    assert result.exit_code == 0, result.output
    assert result.stdout.endswith(
        f"/api/daily_papers?{option[2:]}={value}: 2 papers, 2 new, 0 updated\n"
    )
    assert listing.requests == [{option[2:]: value, "p": "0", "limit": "100"}]


def test_an_empty_listing_says_so_and_imports_nothing(api: HTTPServer, run) -> None:
    serve_listing(api, [], period=("date", TODAY))
    result = run("fetch")
    assert result.exit_code == 0
    assert result.stdout.endswith(": 0 papers, 0 new, 0 updated\n")
    assert result.stderr.endswith(
        f": no papers are listed for {TODAY} (yet?); nothing was imported\n"
    )
    assert result.stderr.startswith("warning: http://127.0.0.1:")
    assert papers_in(run) == 0


def test_two_periods_are_a_usage_error(run, no_internet) -> None:
    result = run("fetch", "--date", "2026-03-06", "--week", "2026-W10")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == (
        "error: give one of --date, --week and --month, not several"
    )


@pytest.mark.parametrize(
    ("option", "value", "shape"),
    [
        ("--date", "2026-02-30", "'2026-02-30' is not a date (YYYY-MM-DD, e.g. 2026-03-06)"),
        ("--week", "2026-W60", "'2026-W60' is not a week (YYYY-Www, e.g. 2026-W10)"),
        ("--month", "2026-3", "'2026-3' is not a month (YYYY-MM, e.g. 2026-03)"),
    ],
)
def test_a_period_that_is_not_one_is_a_usage_error(run, no_internet, option, value, shape) -> None:
    result = run("fetch", option, value)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"error: Invalid value for {option}: {shape}"


def failed(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith("error: ")
    return line


def test_an_http_error_on_page_2_is_one_line_and_imports_nothing(api: HTTPServer, run) -> None:
    items = generated_items(150)

    def handler(request: Request) -> Response:
        if request.args["p"] == "1":
            return Response("<html>Bad gateway</html>", status=502, content_type="text/html")
        return Response(json.dumps(items[:100]), content_type="application/json")

    api.expect_request("/api/daily_papers").respond_with_handler(handler)
    line = failed(run("fetch"))
    assert line == (
        f"error: http://127.0.0.1:{api.port}/api/daily_papers?date={TODAY} (page 2): "
        "HTTP 502 BAD GATEWAY; nothing was imported"
    )
    assert papers_in(run) == 0


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"\x1b]52;c;ZXZpbA==\x07\x00\xff", "the answer is not text (not UTF-8)"),
        (b"<!doctype html><title>Hugging Face</title>", "the answer is a web page"),
        (b'{"error": "nope"}', "the answer is JSON, but an object, not a list of papers"),
    ],
)
def test_garbage_is_one_line(api: HTTPServer, run, body: bytes, expected: str) -> None:
    api.expect_request("/api/daily_papers").respond_with_data(body)
    line = failed(run("fetch"))
    assert expected in line and "\x1b" not in line
    assert papers_in(run) == 0


def test_timeout_option(api: HTTPServer, run, release: threading.Event) -> None:
    def silent(_request: Request) -> Response:
        release.wait(30)
        return Response("[]")

    api.expect_request("/api/daily_papers").respond_with_handler(silent)
    assert "no answer within 0.2 s (timed out); nothing was imported" in failed(
        run("fetch", "--timeout", "0.2")
    )


@pytest.mark.parametrize("value", ["0", "nan", "-3", "soon", "1e9"])
def test_a_timeout_that_is_not_one_is_refused(run, no_internet, value: str) -> None:
    """A usage error, as a bad --date is: exit status 2, the usage, then the error."""
    result = run("fetch", "--timeout", value)
    assert result.exit_code == 2 and result.stderr.startswith("Usage: ")
    assert result.stderr.strip().splitlines()[-1] == (
        f"error: Invalid value for --timeout: '{value}' is not a number of seconds above 0 "
        "and at most 600"
    )


def test_environment_errors_are_one_line(run, no_internet, monkeypatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "ftp://mirror.example")
    assert failed(run("fetch")).startswith("error: HF_ENDPOINT is not a web address")
    monkeypatch.setenv("HF_ENDPOINT", "http://127.0.0.1:9")
    monkeypatch.setenv("READINGLIST_FETCH_TIMEOUT", "soon")
    assert failed(run("fetch")).startswith("error: READINGLIST_FETCH_TIMEOUT: 'soon' is not")


def test_no_network_is_one_line(run, no_internet, monkeypatch) -> None:
    monkeypatch.setenv("HF_ENDPOINT", "https://huggingface.co")
    line = failed(run("fetch"))
    assert "cannot find the server's address (no network, or a wrong HF_ENDPOINT?)" in line
    assert no_internet == ["huggingface.co"]
    no_internet.clear()  # refused, as it must be


def test_progress_is_one_line_wiped_at_the_end() -> None:
    stream = io.StringIO()
    progress = Progress(stream)
    progress.start()
    progress(1, 100)
    progress(2, 1250)
    progress.clear()
    assert stream.getvalue() == (
        "\rfetching the listing…"
        "\rfetching: page 1 read, 100 papers so far…"
        "\rfetching: page 2 read, 1,250 papers so far…"
        "\r" + " " * 43 + "\r"
    )


def test_help(run) -> None:
    result = run("fetch", "--help")
    assert result.exit_code == 0
    assert "HF_ENDPOINT" in result.stdout and "--week YYYY-Www" in result.stdout


def test_json_is_the_imports_report(api: HTTPServer, run) -> None:
    serve_listing(api, generated_items(3), period=("date", TODAY))
    result = run("fetch", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "path": f"http://127.0.0.1:{api.port}/api/daily_papers?date={TODAY}",
        "papers": 3,
        "new": 3,
        "updated": 0,
        "skipped_deleted": 0,
        "warnings": [],
        "error": None,
    }
