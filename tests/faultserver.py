"""A real HTTP server on 127.0.0.1 that misbehaves on request, for testing the fetch stage.

Usage::

    with FaultServer(root=Path("site")) as server:          # files under root are served as-is
        server.route("/a.html", FaultSpec(body="<html>…</html>", faults=[Fault.error(503)] * 2))
        server.robots("User-agent: *\\nDisallow: /private/\\nCrawl-delay: 1\\n")
        fetcher.fetch(server.url("/a.html"))
        assert server.count("/a.html") == 3
        server.clear_faults()                                 # the site recovers

A route answers with its ``FaultSpec``: first its ``faults`` one per request, in order, then
``persistent_fault`` (if any) on every request, else the healthy answer (status, body, headers,
ETag/Last-Modified with 304 support, gzip, generated bodies, redirects). Every request is
recorded with its path, headers and arrival time. With ``basic_auth=(user, password)`` every path
answers 401 to a request without those HTTP Basic credentials.
"""

from __future__ import annotations

import base64
import functools
import gzip
import mimetypes
import socket
import struct
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from email.utils import parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import TracebackType
from typing import Literal
from urllib.parse import unquote, urlsplit

CHUNK = 64 * 1024
# Filler for generated bodies: plain People's Daily style copy, valid UTF-8.
FILLER_PARAGRAPH = (
    "<p>　　今年以来，各地区各部门认真贯彻落实党中央决策部署，扎实推动高质量发展，"
    "经济运行总体平稳、稳中有进，就业物价总体稳定，民生保障有力有效。</p>\n"
).encode()


@dataclass(frozen=True)
class Fault:
    """One way to misbehave on one request."""

    kind: Literal["status", "hang", "truncate", "reset", "drip"]
    status: int = 503
    headers: Mapping[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    after_bytes: int | None = None  # hang: send headers and this many body bytes first
    keep_bytes: int = 0  # truncate: body bytes actually sent before closing
    headers_too: bool = False  # drip: the status line and headers trickle too, not only the body

    @classmethod
    def error(cls, code: int = 503, retry_after: str | None = None) -> Fault:
        """Answer ``code`` (500, 503, 429, ...) with a short HTML body, optionally with Retry-After."""
        headers = {"Retry-After": retry_after} if retry_after is not None else {}
        return cls("status", status=code, headers=headers)

    @classmethod
    def hang(cls, seconds: float, after_bytes: int | None = None) -> Fault:
        """Say nothing for ``seconds``, then answer normally; with ``after_bytes``, stall mid-body
        after that many bytes and then close instead."""
        return cls("hang", seconds=seconds, after_bytes=after_bytes)

    @classmethod
    def truncate(cls, keep_bytes: int) -> Fault:
        """Announce the full Content-Length, send only ``keep_bytes`` of the body, then close."""
        return cls("truncate", keep_bytes=keep_bytes)

    @classmethod
    def drip(cls, every: float, headers_too: bool = False) -> Fault:
        """Send the answer one byte every ``every`` seconds: each read gets something well inside
        any read timeout, yet the whole page takes hours. ``headers_too`` drips from the status line
        on; otherwise the headers go out at once and the body drips."""
        return cls("drip", seconds=every, headers_too=headers_too)

    @classmethod
    def reset(cls) -> Fault:
        """Drop the connection (TCP RST) without answering."""
        return cls("reset")


@dataclass(frozen=True)
class FaultSpec:
    """How one path answers."""

    body: bytes | str = b""  # str is sent UTF-8 encoded; pass bytes to send any other encoding
    status: int = 200
    content_type: str | None = "text/html; charset=utf-8"  # None: no Content-Type header at all
    headers: Mapping[str, str] = field(default_factory=dict)
    etag: str | None = None  # sent, and a matching If-None-Match gets a 304
    last_modified: str | None = None  # sent, and an If-Modified-Since not older gets a 304
    gzip: bool = False  # send the body gzip-compressed with Content-Encoding: gzip
    generated_size: int | None = None  # stream this many bytes of generated HTML instead of body
    gzip_bomb_size: int | None = None  # send gzip of this many zero bytes (small on the wire)
    send_content_length: bool = True  # False: close-delimited body, no Content-Length
    redirect_to: str | None = None  # answer redirect_status with this Location
    redirect_status: int = 302
    faults: Sequence[Fault] = ()  # one per request, in order, before any healthy answer
    persistent_fault: Fault | None = None  # every request once ``faults`` are used up
    on_request: Callable[[], object] | None = None  # runs in the handler thread before answering

    def healthy(self) -> FaultSpec:
        return replace(self, faults=(), persistent_fault=None)


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    path: str  # with the query string
    headers: Mapping[str, str]  # keys lower-cased
    at: float  # time.monotonic() on arrival

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())


@functools.lru_cache(maxsize=4)
@functools.lru_cache(maxsize=4)
def gzip_bomb(size: int) -> bytes:
    """gzip of ``size`` zero bytes, built in pieces so the plain data never sits in memory.

    Cached, and built when the route is set: compressing hundreds of MB takes seconds on a loaded
    machine, which must not count against the client's read timeout."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(min(size, 1024 * 1024))
    parts = []
    remaining = size
    while remaining > 0:
        piece = zeros if remaining >= len(zeros) else zeros[:remaining]
        parts.append(compressor.compress(piece))
        remaining -= len(piece)
    parts.append(compressor.flush())
    return b"".join(parts)


def generated_body(size: int) -> Iterator[bytes]:
    """``size`` bytes of HTML paragraphs, produced a chunk at a time."""
    block = FILLER_PARAGRAPH * (CHUNK // len(FILLER_PARAGRAPH) + 1)
    remaining = size
    while remaining > 0:
        piece = block[:remaining]
        remaining -= len(piece)
        yield piece


class _RouteState:
    def __init__(self, spec: FaultSpec) -> None:
        self.spec = spec
        self.hits = 0

    def next_fault(self) -> Fault | None:
        """The fault for this request (advancing through ``faults``), or None for a healthy answer."""
        self.hits += 1
        if self.hits <= len(self.spec.faults):
            return self.spec.faults[self.hits - 1]
        return self.spec.persistent_fault


class FaultServer:
    """A threaded HTTP/1.1 server with programmable routes; use as a context manager."""

    def __init__(
        self, root: Path | None = None, host: str = "127.0.0.1", basic_auth: tuple[str, str] | None = None
    ) -> None:
        self.root = Path(root).resolve() if root is not None else None
        self.basic_auth = basic_auth
        self._routes: dict[str, _RouteState] = {}
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._in_flight = 0
        self.max_in_flight = 0  # most requests being answered at the same moment
        self._httpd = _QuietHTTPServer((host, 0), _handler_class(self))
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------------------

    def start(self) -> FaultServer:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.02}, name="faultserver", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()  # releases handlers that are hanging on purpose
        self._httpd.shutdown()
        self._httpd.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> FaultServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- addresses --------------------------------------------------------------------------------

    @property
    def host(self) -> str:
        return str(self._httpd.server_address[0])

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    # -- programming ------------------------------------------------------------------------------

    def route(self, path: str, spec: FaultSpec) -> None:
        """Answer ``path`` (exact, query string included if given, percent-encoded or decoded) with
        ``spec``; resets its fault count."""
        if spec.gzip_bomb_size is not None:
            gzip_bomb(spec.gzip_bomb_size)
        with self._lock:
            self._routes[path] = _RouteState(spec)

    def unroute(self, path: str) -> None:
        with self._lock:
            self._routes.pop(path, None)

    def robots(self, text: str) -> None:
        self.route("/robots.txt", FaultSpec(body=text, content_type="text/plain"))

    def clear_faults(self) -> None:
        """Every route gives its healthy answer from now on (the site has recovered)."""
        with self._lock:
            for state in self._routes.values():
                state.spec = state.spec.healthy()

    # -- what was asked ---------------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._requests)

    def requests_for(self, path: str) -> list[RecordedRequest]:
        return [r for r in self.requests if r.path == path]

    def count(self, path: str) -> int:
        return len(self.requests_for(path))

    def clear_requests(self) -> None:
        with self._lock:
            self._requests.clear()
            self.max_in_flight = 0

    # -- used by the handler ----------------------------------------------------------------------

    def _record(self, request: RecordedRequest) -> None:
        with self._lock:
            self._requests.append(request)

    def _enter(self) -> None:
        with self._lock:
            self._in_flight += 1
            self.max_in_flight = max(self.max_in_flight, self._in_flight)

    def _leave(self) -> None:
        with self._lock:
            self._in_flight -= 1

    def _plan(self, path: str) -> tuple[FaultSpec | None, Fault | None]:
        """The spec and fault for a request to ``path``; (None, None) if nothing answers it."""
        with self._lock:
            # A route may name its path as sent (percent-encoded) or decoded.
            path_only = urlsplit(path).path
            state = (
                self._routes.get(path) or self._routes.get(path_only) or self._routes.get(unquote(path_only))
            )
            if state is not None:
                return state.spec, state.next_fault()
        file_spec = self._file_spec(urlsplit(path).path)
        return file_spec, None

    def _file_spec(self, path: str) -> FaultSpec | None:
        if self.root is None:
            return None
        candidate = (self.root / path.lstrip("/")).resolve()
        if not candidate.is_relative_to(self.root) or not candidate.is_file():
            return None
        media_type = mimetypes.guess_type(candidate.name)[0] or "application/octet-stream"
        return FaultSpec(body=candidate.read_bytes(), content_type=media_type)

    def _pause(self, seconds: float) -> None:
        self._stopping.wait(seconds)


class _QuietHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients dropping connections (timeouts, size limits, resets) is what these tests are about.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


def _handler_class(server: FaultServer) -> type[BaseHTTPRequestHandler]:
    class Handler(_FaultHandler):
        fault_server = server

    return Handler


class _FaultHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 30  # idle keep-alive connections must not pin handler threads forever
    fault_server: FaultServer

    def log_message(self, format: str, *args: object) -> None:
        return None  # keep test output clean

    def do_GET(self) -> None:
        server = self.fault_server
        server._record(
            RecordedRequest(
                method="GET",
                path=self.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                at=time.monotonic(),
            )
        )
        server._enter()
        self._answered = False
        try:
            self._answer(server)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True  # the client gave up (size limit, timeout): fine
        finally:
            self._mark_answered()

    def _mark_answered(self) -> None:
        """Leave the in-flight count as the response headers go out. From then on the client may
        be done with this request (a 404 robots.txt, a body it refuses to read) and send its next
        one before this thread runs again; that must not look like two requests answered at once."""
        if not self._answered:
            self._answered = True
            self.fault_server._leave()

    def _answer(self, server: FaultServer) -> None:
        if server.basic_auth is not None and not self._authorised(server.basic_auth):
            headers = {"Content-Type": "text/html", "WWW-Authenticate": 'Basic realm="faultserver"'}
            self._send(401, headers, b"<html><body>401</body></html>")
            return
        spec, fault = server._plan(self.path)
        if spec is not None and spec.on_request is not None:
            spec.on_request()
        if spec is None:
            self._send(404, {"Content-Type": "text/html; charset=utf-8"}, b"<html><body>404</body></html>")
            return
        if fault is not None:
            self._fault(server, spec, fault)
            return
        self._healthy(spec)

    def _authorised(self, user_password: tuple[str, str]) -> bool:
        expected = base64.b64encode(":".join(user_password).encode()).decode()
        return self.headers.get("Authorization") == f"Basic {expected}"

    # -- faults -----------------------------------------------------------------------------------

    def _fault(self, server: FaultServer, spec: FaultSpec, fault: Fault) -> None:
        if fault.kind == "status":
            body = f"<html><body>{fault.status}</body></html>".encode()
            self._send(fault.status, {"Content-Type": "text/html", **fault.headers}, body)
        elif fault.kind == "reset":
            # SO_LINGER with a zero timeout makes close() send RST instead of FIN.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
        elif fault.kind == "hang":
            self._hang(server, spec, fault)
        elif fault.kind == "drip":
            self._drip(server, spec, fault)
        elif fault.kind == "truncate":
            body = _body_bytes(spec)
            self._start(spec.status, {**_content_headers(spec), "Content-Length": str(len(body))})
            self.wfile.write(body[: fault.keep_bytes])
            self.wfile.flush()
            self.close_connection = True

    def _hang(self, server: FaultServer, spec: FaultSpec, fault: Fault) -> None:
        if fault.after_bytes is None:
            server._pause(fault.seconds)
            self._healthy(spec)  # a client that waited this long gets its page
            return
        body = _body_bytes(spec)
        self._start(spec.status, {**_content_headers(spec), "Content-Length": str(len(body))})
        self.wfile.write(body[: fault.after_bytes])
        self.wfile.flush()
        server._pause(fault.seconds)
        self.close_connection = True

    def _drip(self, server: FaultServer, spec: FaultSpec, fault: Fault) -> None:
        body = _body_bytes(spec)
        headers = _content_headers(spec)
        if spec.send_content_length:
            headers["Content-Length"] = str(len(body))
        else:
            headers["Connection"] = "close"
        if fault.headers_too:
            self._mark_answered()
            head = [f"HTTP/1.1 {spec.status} OK\r\n"]
            head += [f"{name}: {value}\r\n" for name, value in headers.items()]
            payload = ("".join(head) + "\r\n").encode("latin-1") + body
        else:
            self._start(spec.status, headers)
            self.wfile.flush()
            payload = body
        for i in range(len(payload)):
            if server._stopping.is_set():
                break
            self.wfile.write(payload[i : i + 1])
            self.wfile.flush()
            server._pause(fault.seconds)
        self.close_connection = True

    # -- healthy answers --------------------------------------------------------------------------

    def _healthy(self, spec: FaultSpec) -> None:
        if spec.redirect_to is not None:
            self._send(spec.redirect_status, {"Location": spec.redirect_to, **spec.headers}, b"")
            return
        validators = _validator_headers(spec)
        if self._not_modified(spec):
            self._send(304, {**validators, **spec.headers}, b"", with_length=False)
            return
        headers = {**_content_headers(spec), **validators}
        if spec.generated_size is not None:
            self._stream(spec, headers, generated_body(spec.generated_size), spec.generated_size)
            return
        body = _body_bytes(spec)
        if spec.gzip_bomb_size is not None:
            body = gzip_bomb(spec.gzip_bomb_size)
            headers["Content-Encoding"] = "gzip"
        elif spec.gzip:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        self._stream(spec, headers, iter([body]), len(body))

    def _not_modified(self, spec: FaultSpec) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if spec.etag is not None and if_none_match is not None:
            tags = [t.strip() for t in if_none_match.split(",")]
            return spec.etag in tags or "*" in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if spec.last_modified is not None and if_modified_since is not None:
            try:
                return parsedate_to_datetime(spec.last_modified) <= parsedate_to_datetime(if_modified_since)
            except (TypeError, ValueError):
                return False
        return False

    def _stream(self, spec: FaultSpec, headers: dict[str, str], chunks: Iterator[bytes], size: int) -> None:
        if spec.send_content_length:
            headers["Content-Length"] = str(size)
        else:
            headers["Connection"] = "close"
            self.close_connection = True
        self._start(spec.status, headers)
        for chunk in chunks:
            self.wfile.write(chunk)
        self.wfile.flush()

    def _start(self, status: int, headers: Mapping[str, str]) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self._mark_answered()
        self.end_headers()

    def _send(self, status: int, headers: Mapping[str, str], body: bytes, with_length: bool = True) -> None:
        all_headers = dict(headers)
        if with_length:
            all_headers["Content-Length"] = str(len(body))
        self._start(status, all_headers)
        if body:
            self.wfile.write(body)
        self.wfile.flush()


def _body_bytes(spec: FaultSpec) -> bytes:
    return spec.body.encode("utf-8") if isinstance(spec.body, str) else spec.body


def _content_headers(spec: FaultSpec) -> dict[str, str]:
    headers = dict(spec.headers)
    if spec.content_type is not None:
        headers.setdefault("Content-Type", spec.content_type)
    return headers


def _validator_headers(spec: FaultSpec) -> dict[str, str]:
    headers: dict[str, str] = {}
    if spec.etag is not None:
        headers["ETag"] = spec.etag
    if spec.last_modified is not None:
        headers["Last-Modified"] = spec.last_modified
    return headers
