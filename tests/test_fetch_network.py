"""A host that cannot be reached is a network failure, said in one line, and asked once per run:
a name that never resolves (RFC 6761 reserves .invalid), a 127.0.0.1 port nobody listens on, and a
real server on 127.0.0.1 counting its robots.txt requests."""

from __future__ import annotations

import logging
import socket
from dataclasses import replace

import pytest
from faultserver import Fault, FaultServer, FaultSpec

from etl import compose
from etl.fetch import FetchConfig, Fetcher
from etl.models import FailureStage, FetchStatus, PageKind, PageRef, Retry

CONFIG = FetchConfig(
    delay=0.0, jitter=0.0, connect_timeout=2.0, read_timeout=2.0, max_attempts=4, backoff_base=0.0
)


def _fetcher(*hosts: str) -> Fetcher:
    return Fetcher(replace(CONFIG, allowed_hosts=hosts), sleep=lambda _seconds: None)


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_host_that_does_not_resolve_is_a_network_failure_asked_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    urls = [f"http://xyz.invalid/n1/2025/0903/c1004-{n}.html" for n in range(3)]
    with caplog.at_level(logging.WARNING, logger="etl.fetch"), _fetcher("xyz.invalid") as fetcher:
        results = fetcher.fetch_many(urls)
    reason = "network: cannot resolve host xyz.invalid (check the URL or DNS)"
    assert [(r.status, r.error, r.attempts) for r in results] == [(FetchStatus.FAILED, reason, 0)] * 3
    robots_lines = [r.getMessage() for r in caplog.records if "robots.txt" in r.getMessage()]
    assert robots_lines == [f"robots.txt http://xyz.invalid/robots.txt: {reason}"]

    failure = compose.fetch_failure(PageRef(urls[0], PageKind.PORTAL_ARTICLE), results[0])
    assert failure is not None
    assert (failure.stage, failure.reason, failure.retry) == (FailureStage.FETCH, reason, Retry.TRANSIENT)


def test_a_closed_port_is_a_network_failure_asked_once(caplog: pytest.LogCaptureFixture) -> None:
    port = _closed_port()
    urls = [f"http://127.0.0.1:{port}/a.html", f"http://127.0.0.1:{port}/b.html"]
    with caplog.at_level(logging.WARNING, logger="etl.fetch"), _fetcher("127.0.0.1") as fetcher:
        results = [fetcher.fetch(url) for url in urls]
    refused = f"network: connection refused by 127.0.0.1:{port} (is the server up, the port right?)"
    assert [(r.status, r.error) for r in results] == [(FetchStatus.FAILED, refused)] * 2
    assert len([r for r in caplog.records if "robots.txt" in r.getMessage()]) == 1


def test_a_closed_port_without_robots_is_retried_then_a_network_failure() -> None:
    port = _closed_port()
    with Fetcher(replace(CONFIG, allowed_hosts=("127.0.0.1",), respect_robots=False)) as fetcher:
        result = fetcher.fetch(f"http://127.0.0.1:{port}/a.html")
    assert result.status is FetchStatus.FAILED and result.attempts == CONFIG.max_attempts
    assert result.error == (
        f"network: connection refused by 127.0.0.1:{port} (is the server up, the port right?) "
        f"(gave up after {CONFIG.max_attempts} attempts)"
    )


@pytest.mark.parametrize(
    "robots",
    [
        FaultSpec(body="User-agent: *\nDisallow: /private/\n", content_type="text/plain"),
        FaultSpec(status=404),
        FaultSpec(persistent_fault=Fault.error(503)),
    ],
    ids=["rules", "missing", "server-error"],
)
def test_robots_is_requested_once_per_host_and_run_whatever_it_answers(robots: FaultSpec) -> None:
    with FaultServer() as server:
        server.route("/robots.txt", robots)
        for n in range(4):
            server.route(f"/p{n}.html", FaultSpec(body="<html><body><p>页</p></body></html>"))
        with _fetcher("127.0.0.1") as fetcher:
            fetcher.fetch_many([server.url(f"/p{n}.html") for n in range(2)])
            fetcher.fetch_many([server.url(f"/p{n}.html") for n in range(2, 4)])
        assert server.count("/robots.txt") == 1
