"""Bounded time for the fetch stage: a wall-clock deadline per request and a stop for the whole run.

Socket timeouts bound each ``recv`` only: a server that drips one byte inside every read timeout
holds a request for hours, and urllib3's ``stream(amt)`` keeps reading until ``amt`` bytes arrive,
so checking the clock between chunks is not enough either. Instead every request runs under a
``Watch``: the connections it uses register their sockets with it (see ``WatchedAdapter``), and when
its deadline passes, or the run is stopped, the watch shuts those sockets down. Whatever read was
blocked returns at once (end of stream or an error), and the fetcher reports the watch's verdict
instead of the symptom.

``RunStop`` is the run-wide side: a stop requested (SIGTERM, SIGINT) or the run's deadline passed.
Every wait of the fetcher (politeness delay, backoff, Retry-After) waits on it, so a stop ends a
two-minute Crawl-delay at once, and it cuts off the requests in flight.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import urllib3.connection
import urllib3.connectionpool
from requests.adapters import HTTPAdapter

# Failure reasons. A page that fails with one of these is retried by the next run like any other.
RUN_DEADLINE_REACHED = "run deadline reached; retried next run"


def request_deadline_reason(seconds: float) -> str:
    return f"no complete response within {seconds:g} s"


def stopped_reason(cause: str) -> str:
    return f"run stopped by {cause}; retried next run"


class RunStop:
    """When a run must stop fetching: a stop was requested, or its deadline passed.

    Thread-safe. ``wait`` replaces ``time.sleep`` for every wait of the fetcher: it returns early the
    moment the run is stopped, and never sleeps past the run's deadline.
    """

    def __init__(self, deadline_seconds: float | None = None, clock: Callable[[], float] = time.monotonic):
        self._clock = clock
        self._deadline = None if deadline_seconds is None else clock() + deadline_seconds
        self._event = threading.Event()
        self._cause: str | None = None
        self._lock = threading.Lock()
        self._listeners: list[Callable[[str], None]] = []

    def request_stop(self, cause: str) -> None:
        """Stop the run (``cause`` names why, e.g. "SIGTERM"); the first cause is the one kept."""
        with self._lock:
            if self._cause is None:
                self._cause = cause
            listeners = list(self._listeners)
        self._event.set()
        for listener in listeners:
            listener(self.reason() or stopped_reason(cause))

    @property
    def cause(self) -> str | None:
        """What stopped the run ("SIGTERM", ...), or None while it may go on."""
        with self._lock:
            return self._cause

    @property
    def deadline_passed(self) -> bool:
        return self._deadline is not None and self._clock() >= self._deadline

    def reason(self) -> str | None:
        """Why no further request may start, as a failure reason; None while requests may go on."""
        cause = self.cause
        if cause is not None:
            return stopped_reason(cause)
        if self.deadline_passed:
            return RUN_DEADLINE_REACHED
        return None

    def wait(self, seconds: float) -> None:
        """Sleep ``seconds``, or less when the run is stopped or its deadline comes first."""
        end = self._clock() + seconds
        if self._deadline is not None:
            end = min(end, self._deadline)
        # Until the end by this clock, not the event's: a wait cut short at the deadline must find
        # the deadline passed when it returns, or the request after it would jump the queue.
        while not self._event.is_set():
            left = end - self._clock()
            if left <= 0:
                return
            self._event.wait(left)

    def add_listener(self, listener: Callable[[str], None]) -> None:
        """Call ``listener(reason)`` when a stop is requested (at once if it already was)."""
        with self._lock:
            self._listeners.append(listener)
            cause = self._cause
        if cause is not None:
            listener(stopped_reason(cause))

    def remove_listener(self, listener: Callable[[str], None]) -> None:
        with self._lock:
            if listener in self._listeners:
                self._listeners.remove(listener)


class Watch:
    """One request's sockets and its verdict once it was cut off (``cut`` is the reason, or None)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.cut: str | None = None

    def attach(self, sock: socket.socket | None) -> None:
        if sock is None:
            return
        with self._lock:
            self._sockets.append(sock)
            cut = self.cut
        if cut is not None:  # a connection that completed after the deadline is cut straight away
            _shut(sock)

    def cut_off(self, reason: str) -> None:
        """Abort the request: every socket it used is shut down, which wakes a blocked read."""
        with self._lock:
            if self.cut is not None:
                return
            self.cut = reason
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    # socket.socket.shutdown, not the TLS socket's own: that one drops its SSL object under a
    # reader that may be in another thread. Shutting the descriptor down wakes the reader cleanly.
    # OSError: already closed, or detached by the TLS wrapper (the wrapper is attached too).
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


_current = threading.local()


@contextmanager
def watched(deadline_seconds: float, reason: str, stop: RunStop | None = None) -> Iterator[Watch]:
    """Run a request of this thread under a new ``Watch``, cut off after ``deadline_seconds`` (with
    ``reason``) or as soon as ``stop`` is requested."""
    watch = Watch()
    timer = threading.Timer(deadline_seconds, watch.cut_off, args=(reason,))
    timer.daemon = True
    previous = getattr(_current, "watch", None)
    _current.watch = watch
    if stop is not None:
        stop.add_listener(watch.cut_off)
    timer.start()
    try:
        yield watch
    finally:
        timer.cancel()
        if stop is not None:
            stop.remove_listener(watch.cut_off)
        _current.watch = previous


def _attach_to_current(sock: socket.socket | None) -> None:
    watch: Watch | None = getattr(_current, "watch", None)
    if watch is not None:
        watch.attach(sock)


class _WatchedHTTPConnection(urllib3.connection.HTTPConnection):
    """Registers its socket with the calling thread's ``Watch``: when connected, and again at every
    request (a kept-alive connection serves many)."""

    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _attach_to_current(sock)
        return sock

    def connect(self) -> None:
        super().connect()
        _attach_to_current(self.sock)

    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach_to_current(self.sock)
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(urllib3.connection.HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        _attach_to_current(sock)  # the TCP socket: the TLS handshake is under the watch too
        return sock

    def connect(self) -> None:
        super().connect()
        _attach_to_current(self.sock)

    def request(self, *args: Any, **kwargs: Any) -> None:
        _attach_to_current(self.sock)
        super().request(*args, **kwargs)


class _WatchedHTTPConnectionPool(urllib3.connectionpool.HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSConnectionPool(urllib3.connectionpool.HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class WatchedAdapter(HTTPAdapter):
    """An ``HTTPAdapter`` whose connections can be cut off by the ``Watch`` of the request using them."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _WatchedHTTPConnectionPool,
            "https": _WatchedHTTPSConnectionPool,
        }
