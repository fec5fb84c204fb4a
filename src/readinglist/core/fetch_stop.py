"""Stopping a fetch from another thread (the app's, when the reader quits).

The fetch's connections are made by the handlers here, which tell its ``FetchStop``
each socket they connect: ``stop()`` shuts it, so a read waiting for a slow server
returns at once instead of after the timeout. Connecting itself is not cut short.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import ssl
import threading
import urllib.request
from functools import partial
from typing import Any

__all__ = ["FetchStop", "stoppable_handlers"]


class FetchStop:
    """Stops a fetch: at once while it waits for the server (its connection is shut),
    else at its next page or read. The fetch then raises ``FetchError``; nothing is
    imported."""

    def __init__(self) -> None:
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self._socket: socket.socket | None = None  # the connection being read

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    def stop(self) -> None:
        self._stopped.set()
        with self._lock:
            if self._socket is not None:
                _shut(self._socket)

    def wait(self, seconds: float) -> bool:
        """Sleep ``seconds``, or less if stopped meanwhile; whether it was stopped."""
        return self._stopped.wait(seconds)

    def watch(self, connected: socket.socket) -> None:
        """``connected`` is the fetch's connection now (a stopped fetch's is shut)."""
        with self._lock:
            self._socket = connected
            if self.stopped:
                _shut(connected)


def _shut(connected: socket.socket) -> None:
    """Shut a connection another thread reads: its read returns (or fails) at once.
    The plain socket's shutdown, also for TLS: the TLS socket's own would unwrap it
    under the reader; and a socket closed meanwhile has no descriptor to shut."""
    with contextlib.suppress(OSError):
        socket.socket.shutdown(connected, socket.SHUT_RDWR)


class _Connection(http.client.HTTPConnection):
    """A connection whose socket its fetch's ``FetchStop`` is given to shut."""

    def __init__(self, *args: Any, stop: FetchStop, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stop = stop

    def connect(self) -> None:
        super().connect()  # a secure one's: then its TLS handshake
        assert self.sock is not None
        self.stop.watch(self.sock)


class _SecureConnection(_Connection, http.client.HTTPSConnection):
    """``_Connection`` over TLS."""


class _Handler(urllib.request.HTTPHandler):
    def __init__(self, stop: FetchStop) -> None:
        super().__init__()
        self.stop = stop

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(partial(_Connection, stop=self.stop), req)


class _SecureHandler(urllib.request.HTTPSHandler):
    def __init__(self, stop: FetchStop) -> None:
        self.context = ssl.create_default_context()  # urllib's own default
        super().__init__(context=self.context)
        self.stop = stop

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(partial(_SecureConnection, stop=self.stop), req, context=self.context)


def stoppable_handlers(stop: FetchStop) -> tuple[urllib.request.BaseHandler, ...]:
    """urllib's HTTP and HTTPS handlers, their connections watched by ``stop``."""
    return _Handler(stop), _SecureHandler(stop)
