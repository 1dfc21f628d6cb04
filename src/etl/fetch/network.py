"""What a failed connection means, in one line an operator can act on.

requests wraps the cause of a connection failure several layers deep (``ConnectionError`` →
urllib3 ``MaxRetryError`` → ``NameResolutionError`` → ``socket.gaierror``) and prints all of them.
The reason a page fails with names the cause instead: a host that does not resolve, a port nobody
listens on, a connect that timed out.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import requests
import urllib3.exceptions

from etl.urls import host_of

# Every reason below starts with this, so a failure list can be sorted by it.
NETWORK = "network"


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and what it wraps: ``__cause__``/``__context__`` and urllib3's ``reason``."""
    seen: set[int] = set()
    todo: list[BaseException] = [exc]
    while todo:
        current = todo.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        wrapped = [current.__cause__, current.__context__, getattr(current, "reason", None)]
        wrapped += [arg for arg in current.args if isinstance(arg, BaseException)]
        todo.extend(w for w in wrapped if isinstance(w, BaseException))


def _host_port(url: str) -> str:
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        return host_of(url)
    return f"{host_of(url)}:{port}"


def network_failure(exc: BaseException, url: str) -> str | None:
    """The one-line reason a connection to ``url`` failed with ``exc``; None when ``exc`` is not a
    failure to connect (a bad URL, a protocol error after connecting)."""
    causes = list(_causes(exc))
    if any(isinstance(c, urllib3.exceptions.NameResolutionError | socket.gaierror) for c in causes):
        return f"{NETWORK}: cannot resolve host {host_of(url)} (check the URL or DNS)"
    if any(isinstance(c, ConnectionRefusedError) for c in causes):
        return f"{NETWORK}: connection refused by {_host_port(url)} (is the server up, the port right?)"
    if any(isinstance(c, requests.ConnectTimeout | urllib3.exceptions.ConnectTimeoutError) for c in causes):
        return f"{NETWORK}: no connection to {_host_port(url)} within the connect timeout"
    if any(isinstance(c, OSError) and c.errno is not None for c in causes[1:]):
        error = next(c for c in causes[1:] if isinstance(c, OSError) and c.errno is not None)
        return f"{NETWORK}: connection to {_host_port(url)} failed: {error.strerror or error}"
    if isinstance(exc, requests.ConnectionError):
        return f"{NETWORK}: cannot connect to {_host_port(url)}"
    return None
