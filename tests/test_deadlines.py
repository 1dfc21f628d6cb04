"""Bounded time in the fetcher, against a real server on 127.0.0.1: a wall-clock deadline per request
(a page dripping one byte at a time, well inside every read timeout, still fails), and a run-wide
stop that ends politeness waits and in-flight requests at once."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from faultserver import Fault, FaultServer, FaultSpec

from etl.fetch import FetchConfig, Fetcher, RawArchive
from etl.fetch.deadline import RUN_DEADLINE_REACHED, RunStop
from etl.models import FetchResult, FetchStatus

PAGE = "<html><body><h1>标题</h1>" + "<p>　　正文段落，内容充实。</p>" * 50 + "</body></html>"
CONFIG = FetchConfig(
    allowed_hosts=("127.0.0.1",),
    delay=0.0,
    jitter=0.0,
    connect_timeout=5.0,
    read_timeout=5.0,  # each drip arrives well inside it
    max_attempts=2,
    backoff_base=0.05,
    backoff_max=0.1,
    request_deadline=1.5,
)
# Bounds on waits, not on speed: a loaded machine may be slow, a hung fetch never returns.
GENEROUS = 60.0


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


def _in_background(call: Callable[[], list[FetchResult]]) -> tuple[threading.Thread, list[list[FetchResult]]]:
    out: list[list[FetchResult]] = []
    thread = threading.Thread(target=lambda: out.append(call()), daemon=True)
    thread.start()
    return thread, out


@pytest.mark.parametrize(
    ("headers_too", "content_length"),
    [(False, True), (True, True), (False, False)],
    ids=["body-drips", "headers-drip", "close-delimited-body-drips"],
)
def test_a_dripping_page_fails_at_the_request_deadline(
    server: FaultServer, headers_too: bool, content_length: bool
) -> None:
    # 0.2 s a byte: every read is served long before the 5 s read timeout; the page takes minutes.
    server.route(
        "/drip.html",
        FaultSpec(
            body=PAGE,
            send_content_length=content_length,
            persistent_fault=Fault.drip(0.2, headers_too=headers_too),
        ),
    )
    with Fetcher(CONFIG) as fetcher:
        thread, out = _in_background(lambda: [fetcher.fetch(server.url("/drip.html"))])
        thread.join(GENEROUS)
    assert not thread.is_alive(), "the fetch outlived its request deadline"
    (result,) = out[0]
    assert result.status is FetchStatus.FAILED
    # Retryable: the second attempt got the same treatment, and the next run tries again.
    assert result.error == "no complete response within 1.5 s (gave up after 2 attempts)"
    assert server.count("/drip.html") == 2


def test_the_request_deadline_spares_a_page_that_completes(server: FaultServer) -> None:
    server.route("/ok.html", FaultSpec(body=PAGE))
    with Fetcher(CONFIG) as fetcher:
        result = fetcher.fetch(server.url("/ok.html"))
    assert result.status is FetchStatus.OK and result.text == PAGE


def test_a_stop_ends_a_crawl_delay_wait_at_once(server: FaultServer) -> None:
    # Reading robots.txt is a request like any other: the 120 s it asks for starts right after it.
    server.robots("User-agent: *\nCrawl-delay: 120\n")
    server.route("/a.html", FaultSpec(body=PAGE))
    server.route("/b.html", FaultSpec(body=PAGE))
    stop = RunStop()
    with Fetcher(CONFIG, stop=stop) as fetcher:
        urls = [server.url("/a.html"), server.url("/b.html")]
        thread, out = _in_background(lambda: fetcher.fetch_many(urls))
        _wait_for(lambda: server.count("/robots.txt") == 1)
        time.sleep(0.2)  # let the worker enter its wait (a stop before it must end it too)
        stop.request_stop("SIGTERM")
        thread.join(GENEROUS)
    assert not thread.is_alive(), "the stop did not end the 120 s Crawl-delay wait"
    assert [(r.status, r.error) for r in out[0]] == [
        (FetchStatus.FAILED, "run stopped by SIGTERM; retried next run")
    ] * 2
    assert server.count("/a.html") == server.count("/b.html") == 0


def test_a_stop_cuts_off_a_request_in_flight(server: FaultServer) -> None:
    server.route("/drip.html", FaultSpec(body=PAGE, persistent_fault=Fault.drip(0.2)))
    stop = RunStop()
    config = replace(CONFIG, request_deadline=600.0)
    with Fetcher(config, stop=stop) as fetcher:
        thread, out = _in_background(lambda: [fetcher.fetch(server.url("/drip.html"))])
        _wait_for(lambda: server.count("/drip.html") == 1)
        stop.request_stop("SIGINT")
        thread.join(GENEROUS)
    assert not thread.is_alive(), "the stop did not cut off the request in flight"
    (result,) = out[0]
    assert result.status is FetchStatus.FAILED
    assert result.error == "run stopped by SIGINT; retried next run"
    assert server.count("/drip.html") == 1  # no second attempt after a stop


def test_pages_left_at_the_run_deadline_fail_with_the_reason(server: FaultServer) -> None:
    server.route("/slow.html", FaultSpec(body=PAGE, faults=[Fault.error(503, retry_after="120")]))
    for name in ("a", "b"):
        server.route(f"/{name}.html", FaultSpec(body=PAGE))
    stop = RunStop(deadline_seconds=3.0)
    with Fetcher(CONFIG, stop=stop) as fetcher:
        urls = [server.url(p) for p in ("/a.html", "/slow.html", "/b.html")]
        thread, out = _in_background(lambda: fetcher.fetch_many(urls))
        thread.join(GENEROUS)
    assert not thread.is_alive(), "the fetcher waited past the run deadline"
    first, slow, last = out[0]
    assert first.status is FetchStatus.OK
    # The Retry-After wait ends at the run deadline; what is left is not fetched.
    assert (slow.status, slow.error) == (FetchStatus.FAILED, RUN_DEADLINE_REACHED)
    assert (last.status, last.error) == (FetchStatus.FAILED, RUN_DEADLINE_REACHED)
    assert server.count("/slow.html") == 1 and server.count("/b.html") == 0


def test_an_archive_that_cannot_be_written_fails_the_page(server: FaultServer, tmp_path: Path) -> None:
    not_a_directory = tmp_path / "raw"
    not_a_directory.write_text("a file where the archive should be")
    server.route("/a.html", FaultSpec(body=PAGE))
    with Fetcher(CONFIG, RawArchive(not_a_directory)) as fetcher:
        result = fetcher.fetch(server.url("/a.html"))
    assert result.status is FetchStatus.FAILED
    assert result.error is not None and result.error.startswith("cannot archive raw page: [Errno 20]")


def _wait_for(condition: Callable[[], bool], timeout: float = GENEROUS) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail("condition not reached")
        time.sleep(0.02)
