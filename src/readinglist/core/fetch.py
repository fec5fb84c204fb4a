"""Fetching a Daily Papers listing from the Hugging Face API (``readinglist fetch``).

``GET {HF_ENDPOINT}/api/daily_papers?date=…&p=0&limit=100``, then ``p=1``, … until a
page holds fewer than ``limit`` items; the items of every page are then read as one
listing (``hf_pages.page_of_items``). All or nothing: any failure raises ``FetchError``
with a one-line reason, and the caller has nothing to import.

The HTTP client is the standard library's ``urllib.request``, for a handful of GETs of
JSON: no dependency to install or keep up to date, and no import cost for the other
commands (httpx and its stack take about 80 ms to import). What httpx would have given
is done here in a few lines: a timeout per connect and per read plus a deadline for a
whole page (so a server dripping bytes cannot hold us), a cap on the body's size, only
http(s) redirects followed, and at most one retry, only when a 429 or 503 asks for a
short wait. Proxies are taken from the environment as the Hugging Face clients do.
"""

from __future__ import annotations

import base64
import json
import math
import os
import re
import socket
import ssl
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from http.client import HTTPException
from typing import Any, NoReturn
from urllib.parse import unquote, urlencode, urljoin, urlsplit, urlunsplit

from .. import __version__
from .fetch_stop import FetchStop, stoppable_handlers
from .hf_pages import page_of_items, where_json_breaks
from .parse import PageError, ParsedPage
from .periods import Period

__all__ = [
    "FetchError",
    "FetchStop",
    "FetchedListing",
    "Period",
    "checked_timeout",
    "endpoint_from_environment",
    "fetch_listing",
    "listing_source",
    "shown_address",
    "timeout_from_environment",
    "timeout_seconds",
]

DEFAULT_ENDPOINT = "https://huggingface.co"
ENDPOINT_VARIABLE = "HF_ENDPOINT"  # as the Hugging Face clients read it
TIMEOUT_VARIABLE = "READINGLIST_FETCH_TIMEOUT"
DEFAULT_TIMEOUT = 20.0  # seconds to connect, and to wait for each read
PAGE_DEADLINE = 3  # a whole page must arrive within this many timeouts
MAX_TIMEOUT = 600.0
PAGE_SIZE = 100  # the API's largest page
MAX_PAGES = 50  # 5,000 papers: many times a month's listing
MAX_PAGE_BYTES = 8 * 1024 * 1024  # a full page is about 0.3 to 0.6 MB
MAX_LISTING_BYTES = 64 * 1024 * 1024  # all pages together: 50 full pages are about 30 MB
MAX_RETRY_AFTER = 5  # seconds; a 429 or 503 asking for a longer wait is reported instead
MAX_REDIRECTS = 5
USER_AGENT = f"readinglist/{__version__} (Daily Papers reading list)"
_WEB_SCHEMES = ("http", "https")
_LONGEST_SERVER_MESSAGE = 200
_JSON_KINDS = {dict: "an object", str: "a string", bool: "true or false", type(None): "null"}
_NOT_IN_ADDRESS = re.compile(r"[\x00-\x20\x7f]")  # what http.client refuses in a URL

Progress = Callable[[int, int], None]  # (pages read, items so far)


class FetchError(Exception):
    """The listing could not be fetched; the message is one line saying why."""


@dataclass(frozen=True, slots=True)
class FetchedListing:
    """A fetched listing: its address (no credentials; what the library records as its
    source), its papers as one page (None when nothing is listed), and the pages read."""

    source: str
    page: ParsedPage | None
    pages: int
    items: int


def endpoint_from_environment(environ: Mapping[str, str] | None = None) -> str:
    """``$HF_ENDPOINT`` (default https://huggingface.co), without a trailing slash.

    Raises:
        FetchError: it is not an http(s) address.
    """
    environ = os.environ if environ is None else environ
    value = environ.get(ENDPOINT_VARIABLE, "").strip() or DEFAULT_ENDPOINT
    try:
        parts = urlsplit(value)
        valid = (
            parts.scheme.lower() in _WEB_SCHEMES
            and bool(parts.hostname)
            and not _NOT_IN_ADDRESS.search(value)
        )
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError:
        valid = False
    if not valid:
        shown = shown_address(value)
        what = "is not a web address (http:// or https://)"
        raise FetchError(f"{ENDPOINT_VARIABLE} {what}: {shown!r}")
    return value.rstrip("/")


def listing_source(environ: Mapping[str, str] | None = None) -> str:
    """Where a fetch reads, for a progress line: "Hugging Face", or the host of another
    ``$HF_ENDPOINT`` (a mirror); never raises (the fetch says what is wrong with it)."""
    try:
        endpoint = endpoint_from_environment(environ)
    except FetchError:
        return ENDPOINT_VARIABLE
    if endpoint == DEFAULT_ENDPOINT:
        return "Hugging Face"
    return urlsplit(endpoint).hostname or ENDPOINT_VARIABLE


def timeout_from_environment(environ: Mapping[str, str] | None = None) -> float:
    """``$READINGLIST_FETCH_TIMEOUT`` in seconds, else ``DEFAULT_TIMEOUT``.

    Raises:
        FetchError: it is not a number of seconds above 0.
    """
    environ = os.environ if environ is None else environ
    value = environ.get(TIMEOUT_VARIABLE, "").strip()
    return checked_timeout(value, source=TIMEOUT_VARIABLE) if value else DEFAULT_TIMEOUT


def checked_timeout(value: object, *, source: str = "the timeout") -> float:
    """``value`` as a timeout in seconds.

    Raises:
        FetchError: it is not one ("``source``: 'soon' is not a number of seconds…").
    """
    try:
        return timeout_seconds(value)
    except ValueError as error:
        raise FetchError(f"{source}: {error}") from None


def timeout_seconds(value: object) -> float:
    """``value`` as a timeout in seconds.

    Raises:
        ValueError: it is not one; the message says why, naming the value.
    """
    try:
        seconds = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        seconds = math.nan
    if not 0 < seconds <= MAX_TIMEOUT:  # NaN fails every comparison
        raise ValueError(
            f"{str(value)!r} is not a number of seconds above 0 and at most {MAX_TIMEOUT:.0f}"
        )
    return seconds


def listing_address(endpoint: str, period: Period) -> str:
    return f"{endpoint}/api/daily_papers?{urlencode({period.kind: period.value})}"


def fetch_listing(
    period: Period,
    *,
    endpoint: str | None = None,
    timeout: float | None = None,
    progress: Progress | None = None,
    max_page_bytes: int = MAX_PAGE_BYTES,
    stop: FetchStop | None = None,
) -> FetchedListing:
    """Every page of ``period``'s listing, read as one.

    ``endpoint`` and ``timeout`` default to the environment's (``HF_ENDPOINT``,
    ``READINGLIST_FETCH_TIMEOUT``). ``progress`` is called after each page; ``stop``
    stops the fetch from another thread.

    Raises:
        FetchError: an address, HTTP or network failure, a timeout, or an answer that is
            not the API's JSON; the message says which, in one line.
    """
    endpoint = endpoint_from_environment() if endpoint is None else endpoint
    timeout = timeout_from_environment() if timeout is None else checked_timeout(timeout)
    address = listing_address(endpoint, period)
    shown = shown_address(address)
    stop = stop or FetchStop()
    client = _Client(timeout, max_page_bytes, _basic_auth(address), stop)
    items: list[Any] = []
    previous: list[Any] | None = None
    for number in range(MAX_PAGES):
        where = shown if number == 0 else f"{shown} (page {number + 1})"
        try:
            if stop.stopped:
                raise _Failure("stopped")
            page = client.items(f"{shown}&{urlencode({'p': number, 'limit': PAGE_SIZE})}")
            if stop.stopped:  # a shut connection may have ended the answer early
                raise _Failure("stopped")
        except _Failure as failure:
            reason = "stopped" if stop.stopped else failure
            raise FetchError(f"{where}: {reason}; nothing was imported") from None
        if page and page == previous:
            raise FetchError(
                f"{where}: the server sent the previous page again (it ignores the page "
                "number); nothing was imported"
            )
        items += page
        if progress is not None:
            progress(number + 1, len(items))
        if len(page) < PAGE_SIZE:
            return _listing(shown, items, number + 1)
        previous = page
    raise FetchError(
        f"{shown}: the listing did not end after {MAX_PAGES} pages "
        f"({MAX_PAGES * PAGE_SIZE:,} papers); nothing was imported"
    )


def _listing(source: str, items: list[Any], pages: int) -> FetchedListing:
    if not items:
        return FetchedListing(source, None, pages, 0)
    try:
        page = page_of_items(items)
    except PageError as error:
        raise FetchError(f"{source}: {error}; nothing was imported") from None
    return FetchedListing(source, page, pages, len(items))


def shown_address(address: str) -> str:
    """The address without a user name or password: safe to show and to record."""
    try:
        parts = urlsplit(address)
    except ValueError:
        return address
    if "@" not in parts.netloc:
        return address
    return urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def _basic_auth(address: str) -> str | None:
    """An ``Authorization`` header for a user name and password in the address (a private
    mirror's), or None. It goes to that address only, never to a redirect's."""
    parts = urlsplit(address)
    if parts.username is None:
        return None
    pair = f"{unquote(parts.username)}:{unquote(parts.password or '')}"
    return "Basic " + base64.b64encode(pair.encode()).decode("ascii")


class _Failure(Exception):
    """Why one page could not be read (the caller adds where)."""


class _WebRedirects(urllib.request.HTTPRedirectHandler):
    """Follows a few redirects, only to http(s) addresses."""

    max_redirections = MAX_REDIRECTS

    def http_error_302(self, req: Any, fp: Any, code: Any, msg: Any, headers: Any) -> Any:
        target = headers.get("Location") or headers.get("URI") or ""
        try:
            scheme = urlsplit(urljoin(req.full_url, target)).scheme.lower()
        except ValueError:
            scheme = ""
        if scheme not in _WEB_SCHEMES:
            fp.close()
            raise _Failure(f"redirected to a non-web address ({scheme or 'none'}:), not followed")
        return super().http_error_302(req, fp, code, msg, headers)

    http_error_301 = http_error_303 = http_error_307 = http_error_308 = http_error_302


class _Client:
    """GETs of JSON pages with the limits above; at most one retry in all."""

    def __init__(
        self, timeout: float, max_bytes: int, authorization: str | None, stop: FetchStop
    ) -> None:
        self.timeout = timeout
        self.stop = stop
        self.max_bytes = max_bytes
        self.authorization = authorization
        self.left = MAX_LISTING_BYTES  # what the pages still to come may hold together
        self.retried = False
        self.opener = urllib.request.OpenerDirector()
        for handler in (
            urllib.request.ProxyHandler(),  # $https_proxy, $no_proxy, as other clients
            *stoppable_handlers(stop),
            urllib.request.HTTPDefaultErrorHandler(),
            _WebRedirects(),
            urllib.request.HTTPErrorProcessor(),
        ):
            self.opener.add_handler(handler)

    def items(self, address: str) -> list[Any]:
        """The JSON array of items at ``address``."""
        body, content_type = self.get(address)
        self.left -= len(body)
        if self.left < 0:
            raise _Failure(f"the listing is too large (over {_size(MAX_LISTING_BYTES)} in all)")
        return _items_of(body, content_type)

    def get(self, address: str) -> tuple[bytes, str]:
        request = urllib.request.Request(
            address,
            headers={
                "User-Agent": USER_AGENT,
                "Accept": "application/json",
                "Accept-Encoding": "identity",
            },
        )
        if self.authorization:
            request.add_unredirected_header("Authorization", self.authorization)
        try:
            return self._read(request)
        except urllib.error.HTTPError as error:
            with error:
                wait = _retry_after(error)
                if wait is not None and not self.retried:
                    self.retried = True
                    if self.stop.wait(wait):
                        raise _Failure("stopped") from None
                    return self.get(address)
                _fail_http(error)
        except urllib.error.URLError as error:
            _fail_network(error.reason, self.timeout)
        except ValueError as error:  # an address urllib cannot use
            raise _Failure(f"not a usable address ({error})") from None
        except (OSError, HTTPException) as error:  # while reading the body
            _fail_network(error, self.timeout)

    def _read(self, request: urllib.request.Request) -> tuple[bytes, str]:
        deadline = time.monotonic() + self.timeout * PAGE_DEADLINE
        with self.opener.open(request, timeout=self.timeout) as response:
            length = response.headers.get("Content-Length", "")
            if length.isdigit() and int(length) > self.max_bytes:
                raise _Failure(f"the answer is too large ({_size(int(length))})")
            chunks: list[bytes] = []
            size = 0
            while chunk := response.read1(65536):
                size += len(chunk)
                if self.stop.stopped:
                    raise _Failure("stopped")
                if size > self.max_bytes:
                    raise _Failure(f"the answer is too large (over {_size(self.max_bytes)})")
                if time.monotonic() > deadline:
                    raise _Failure(
                        f"the answer took over {self.timeout * PAGE_DEADLINE:g} s to arrive"
                    )
                chunks.append(chunk)
            if length.isdigit() and size < int(length):  # read1 does not raise for this
                raise _Failure(f"the connection broke off after {size} of {length} bytes")
            return b"".join(chunks), response.headers.get_content_type()


def _retry_after(error: urllib.error.HTTPError) -> int | None:
    """The seconds a 429 or 503 asks us to wait, when few enough to wait once."""
    if error.code not in (429, 503):
        return None
    value = (error.headers.get("Retry-After") or "").strip()
    if value.isdigit() and int(value) <= MAX_RETRY_AFTER:
        return int(value)
    return None


def _fail_http(error: urllib.error.HTTPError) -> NoReturn:
    if 300 <= error.code < 400:
        raise _Failure(f"HTTP {error.code}: too many redirects")
    reason = f"HTTP {error.code} {error.reason}".rstrip()
    message = _server_message(error)
    # the server's own words, unless they only repeat the reason ("404 Not Found (Not Found)")
    if message and message.casefold() != str(error.reason).casefold():
        reason += f" ({message})"
    if error.code == 429:
        reason += "; the server asks for fewer requests, try again later"
    elif error.code == 404:
        reason += f"; check {ENDPOINT_VARIABLE}"
    raise _Failure(reason)


def _server_message(error: urllib.error.HTTPError) -> str:
    """A short ``{"error": "..."}`` the API sends with a refusal, else ''."""
    try:
        body = error.read(4096)
        value = json.loads(body).get("error")
    except (OSError, HTTPException, ValueError, AttributeError, RecursionError):
        return ""
    if not isinstance(value, str):
        return ""
    text = " ".join(value.split())
    return text if len(text) <= _LONGEST_SERVER_MESSAGE else ""


def _fail_network(reason: object, timeout: float) -> NoReturn:
    if isinstance(reason, _Failure):
        raise reason
    if isinstance(reason, TimeoutError | socket.timeout):
        raise _Failure(f"no answer within {timeout:g} s (timed out)")
    if isinstance(reason, socket.gaierror):
        raise _Failure("cannot find the server's address (no network, or a wrong HF_ENDPOINT?)")
    if isinstance(reason, ConnectionRefusedError):
        raise _Failure("the server refused the connection")
    if isinstance(reason, ssl.SSLCertVerificationError):
        raise _Failure(f"the server's certificate cannot be trusted ({reason.verify_message})")
    if isinstance(reason, ssl.SSLError):
        raise _Failure(f"a secure connection failed ({reason.reason or 'TLS error'})")
    if isinstance(reason, HTTPException | ConnectionError):
        raise _Failure(f"the connection broke off ({type(reason).__name__})")
    if isinstance(reason, OSError):
        raise _Failure(f"network error ({reason.strerror or type(reason).__name__})")
    raise _Failure(f"network error ({reason})")


def _items_of(body: bytes, content_type: str) -> list[Any]:
    """The items of a page: a JSON array. Anything else says what it is instead."""
    head = body[:512].lstrip()
    if not head:
        raise _Failure("the answer is empty, not the API's JSON")
    if content_type == "text/html" or head[:1] == b"<":
        raise _Failure(
            f"the answer is a web page, not the API's JSON (is {ENDPOINT_VARIABLE} right?)"
        )
    try:
        data = json.loads(body)
    except UnicodeDecodeError:
        raise _Failure("the answer is not text (not UTF-8), not the API's JSON") from None
    except json.JSONDecodeError as error:  # its message names a position, never the text
        raise _Failure(f"the answer is not JSON ({where_json_breaks(error)})") from None
    except (ValueError, RecursionError):
        raise _Failure("the answer is JSON too deep or too large to read") from None
    if not isinstance(data, list):
        kind = _JSON_KINDS.get(type(data), "a number")
        raise _Failure(f"the answer is JSON, but {kind}, not a list of papers")
    return data


def _size(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MiB"
