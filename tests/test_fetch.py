"""The fetcher against a real HTTP server on 127.0.0.1 that misbehaves on request.

Time is virtual: the fetcher gets a clock and a sleep that only advance a counter, so the waits
it asks for are recorded exactly and the tests never wait for politeness delays or backoff.
Only socket timeouts are real, and they are kept to fractions of a second.
"""

from __future__ import annotations

import hashlib
import logging
import random
import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from faultserver import Fault, FaultServer, FaultSpec

from etl.fetch import FetchConfig, Fetcher, RawArchive
from etl.models import FetchStatus, Validators

PAGE = (
    '<html><head><meta charset="utf-8"><title>新华社北京11月28日电</title></head><body>'
    "<h1>前10个月全国规模以上工业增加值同比增长5.8%</h1>"
    "<p>　　国家统计局28日发布数据，1—10月份，全国规模以上工业增加值同比增长5.8%。</p>"
    "</body></html>"
)
GBK_PAGE = (
    '<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"></head><body>'
    "<h1>朱镕基同志生平展在京开幕</h1><p>　　本报北京11月28日电（记者王 浩）</p></body></html>"
)


class VirtualTime:
    """A monotonic clock that moves only when someone sleeps; every requested sleep is recorded."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def clock(self) -> float:
        with self._lock:
            return self.now

    def sleep(self, seconds: float) -> None:
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


@pytest.fixture
def server() -> Iterator[FaultServer]:
    with FaultServer() as running:
        yield running


@pytest.fixture
def other_server() -> Iterator[FaultServer]:
    """A second host (127.0.0.2), outside the allow-list unless a test adds it."""
    with FaultServer(host="127.0.0.2") as running:
        yield running


@pytest.fixture
def vtime() -> VirtualTime:
    return VirtualTime()


BASE_CONFIG = FetchConfig(
    allowed_hosts=("127.0.0.1",),
    delay=0.0,
    jitter=0.0,
    connect_timeout=2.0,
    read_timeout=2.0,  # generous: a loaded machine must not turn healthy answers into retries
    max_attempts=3,
    backoff_base=0.5,
    backoff_max=4.0,
    max_bytes=1024 * 1024,
)


# For the tests that provoke read timeouts: the server stays silent for 3 s. The timeout is long
# enough that a healthy answer never misses it on a loaded machine.
SHORT_TIMEOUT = 1.0


def make_fetcher(vtime: VirtualTime, archive: RawArchive | None = None, **overrides: object) -> Fetcher:
    config = replace(BASE_CONFIG, **overrides)
    return Fetcher(config, archive, sleep=vtime.sleep, clock=vtime.clock)


# -- plain success, identity, decoding, archive -----------------------------------------------------


def test_ok_page_sends_our_identity_and_describes_the_response(
    server: FaultServer, vtime: VirtualTime
) -> None:
    server.route("/a.html", FaultSpec(body=PAGE, etag='"v1"', last_modified="Fri, 28 Nov 2026 10:00:00 GMT"))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/a.html"))
    raw = PAGE.encode()
    assert result.status is FetchStatus.OK and result.error is None
    assert (result.http_status, result.attempts) == (200, 1)
    assert result.text == PAGE and result.encoding == "utf-8"
    assert result.sha256 == hashlib.sha256(raw).hexdigest() and result.size == len(raw)
    assert result.content_type == "text/html; charset=utf-8"
    assert (result.etag, result.last_modified) == ('"v1"', "Fri, 28 Nov 2026 10:00:00 GMT")
    assert result.final_url == server.url("/a.html") and result.fetched_at is not None
    [request] = server.requests_for("/a.html")
    assert request.header("User-Agent") == BASE_CONFIG.user_agent
    assert "PeoplesDailyETL" in BASE_CONFIG.user_agent and "+https://" in BASE_CONFIG.user_agent
    assert request.header("Accept-Encoding") == "gzip, deflate"
    assert request.header("If-None-Match") is None


@pytest.mark.parametrize(
    ("body", "declared", "expected_encoding"),
    [
        (GBK_PAGE.encode("gbk"), "text/html; charset=utf-8", "gb18030"),  # GBK bytes calling themselves UTF-8
        (
            GBK_PAGE.encode("utf-8"),
            "text/html; charset=GB2312",
            "utf-8",
        ),  # UTF-8 bytes calling themselves GB2312
        (GBK_PAGE.encode("gbk"), "text/html", "gb18030"),  # no charset: requests would guess ISO-8859-1
    ],
)
def test_decoding_ignores_declared_charset(
    server: FaultServer,
    vtime: VirtualTime,
    tmp_path: Path,
    body: bytes,
    declared: str,
    expected_encoding: str,
) -> None:
    server.route("/lie.html", FaultSpec(body=body, content_type=declared))
    archive = RawArchive(tmp_path / "raw")
    with make_fetcher(vtime, archive) as fetcher:
        result = fetcher.fetch(server.url("/lie.html"))
    assert result.status is FetchStatus.OK
    assert result.text == GBK_PAGE and result.encoding == expected_encoding
    assert result.sha256 is not None and archive.get(result.sha256) == body  # the bytes as received


def test_gzip_body_is_decoded_and_archived_decompressed(
    server: FaultServer, vtime: VirtualTime, tmp_path: Path
) -> None:
    server.route("/gz.html", FaultSpec(body=PAGE, gzip=True))
    archive = RawArchive(tmp_path)
    with make_fetcher(vtime, archive) as fetcher:
        result = fetcher.fetch(server.url("/gz.html"))
    assert result.status is FetchStatus.OK and result.text == PAGE
    assert result.sha256 is not None and archive.get(result.sha256) == PAGE.encode()


def test_a_stray_byte_costs_one_character_and_is_counted_and_logged(
    server: FaultServer, vtime: VirtualTime, caplog: pytest.LogCaptureFixture
) -> None:
    body = PAGE.encode().replace(b"</title>", b"<!-- \xff --></title>")
    server.route("/stray.html", FaultSpec(body=body, content_type="text/html; charset=GB2312"))
    with caplog.at_level(logging.WARNING, logger="etl.fetch"), make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/stray.html"))
    assert result.status is FetchStatus.OK and result.encoding == "utf-8"
    assert result.text == PAGE.replace("</title>", "<!-- \ufffd --></title>")
    assert result.decode_errors == 1
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [f"GET {server.url('/stray.html')}: 1 byte(s) not valid utf-8, replaced by U+FFFD"]


def test_binary_body_is_an_undecodable_failure_but_still_archived(
    server: FaultServer, vtime: VirtualTime, tmp_path: Path
) -> None:
    body = bytes(random.Random(3).randbytes(50_000))
    server.route("/binary.html", FaultSpec(body=body))
    archive = RawArchive(tmp_path)
    with make_fetcher(vtime, archive) as fetcher:
        result = fetcher.fetch(server.url("/binary.html"))
    assert result.status is FetchStatus.FAILED and result.text is None
    assert result.error is not None and result.error.startswith("undecodable: ")
    assert result.error.endswith("not a text page") and "\n" not in result.error
    assert result.attempts == 1  # the same bytes would come back: not retried within the run
    assert result.sha256 is not None and archive.get(result.sha256) == body


# -- retries ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", [500, 502, 503])
def test_server_errors_are_retried_with_exponential_backoff(
    server: FaultServer, vtime: VirtualTime, code: int
) -> None:
    server.route("/flaky.html", FaultSpec(body=PAGE, faults=[Fault.error(code)] * 2))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/flaky.html"))
    assert result.status is FetchStatus.OK and result.text == PAGE
    assert (result.http_status, result.attempts) == (200, 3)
    assert server.count("/flaky.html") == 3
    assert vtime.sleeps == [0.5, 1.0]  # backoff_base * 2**(n-1), no jitter configured


def test_retries_are_bounded_and_the_last_status_is_reported(server: FaultServer, vtime: VirtualTime) -> None:
    server.route("/down.html", FaultSpec(body=PAGE, persistent_fault=Fault.error(500)))
    with make_fetcher(vtime, max_attempts=4) as fetcher:
        result = fetcher.fetch(server.url("/down.html"))
    assert result.status is FetchStatus.FAILED
    assert (result.http_status, result.attempts) == (500, 4)
    assert result.error == "HTTP 500 (gave up after 4 attempts)"
    assert server.count("/down.html") == 4
    assert vtime.sleeps == [0.5, 1.0, 2.0]


def test_backoff_is_jittered(server: FaultServer, vtime: VirtualTime) -> None:
    server.route("/down.html", FaultSpec(body=PAGE, persistent_fault=Fault.error(503)))
    with make_fetcher(vtime, max_attempts=8, jitter=0.5, backoff_max=1000.0) as fetcher:
        fetcher.fetch(server.url("/down.html"))
    assert len(vtime.sleeps) == 7
    for n, wait in enumerate(vtime.sleeps, start=1):
        assert 0.5 * 2 ** (n - 1) <= wait <= 1.5 * 0.5 * 2 ** (n - 1)
    assert any(wait > 0.5 * 2 ** (n - 1) for n, wait in enumerate(vtime.sleeps, start=1))


def test_429_retry_after_seconds_is_honoured(server: FaultServer, vtime: VirtualTime) -> None:
    server.route("/busy.html", FaultSpec(body=PAGE, faults=[Fault.error(429, retry_after="3")]))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/busy.html"))
    assert result.status is FetchStatus.OK and result.attempts == 2
    assert vtime.sleeps == [3.0]


def test_a_long_retry_after_is_waited_in_full(server: FaultServer, vtime: VirtualTime) -> None:
    server.route("/busy.html", FaultSpec(body=PAGE, faults=[Fault.error(429, retry_after="120")]))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/busy.html"))
    assert result.status is FetchStatus.OK and result.attempts == 2
    assert vtime.sleeps == [120.0]  # more than backoff_max: the server's word wins


@pytest.mark.parametrize("retry_after", ["3600", "Fri, 31 Dec 2100 23:59:59 GMT"])
def test_a_retry_after_past_the_cap_ends_the_attempts(
    server: FaultServer, vtime: VirtualTime, retry_after: str
) -> None:
    server.route("/busy.html", FaultSpec(body=PAGE, faults=[Fault.error(503, retry_after=retry_after)]))
    server.route("/next.html", FaultSpec(body=PAGE))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/busy.html"))
        following = fetcher.fetch(server.url("/next.html"))
    assert result.status is FetchStatus.FAILED and result.attempts == 1
    assert result.error is not None and "retry after" in result.error and "300 s" in result.error
    assert server.count("/busy.html") == 1
    # The host is still left alone for as long as we are willing to wait.
    assert following.status is FetchStatus.OK and vtime.sleeps == [300.0]


def test_read_timeout_is_retried_then_reported(server: FaultServer, vtime: VirtualTime) -> None:
    server.route("/slow.html", FaultSpec(body=PAGE, persistent_fault=Fault.hang(3.0)))
    with make_fetcher(vtime, max_attempts=2, read_timeout=SHORT_TIMEOUT) as fetcher:
        result = fetcher.fetch(server.url("/slow.html"))
    assert result.status is FetchStatus.FAILED and result.attempts == 2
    assert result.error is not None and result.error.startswith("timeout")
    assert "\n" not in result.error
    assert server.count("/slow.html") == 2


def test_one_timeout_then_success(server: FaultServer, vtime: VirtualTime) -> None:
    server.route("/slow.html", FaultSpec(body=PAGE, faults=[Fault.hang(3.0)]))
    with make_fetcher(vtime, read_timeout=SHORT_TIMEOUT) as fetcher:
        result = fetcher.fetch(server.url("/slow.html"))
    assert result.status is FetchStatus.OK and result.attempts == 2 and result.text == PAGE


@pytest.mark.parametrize(
    "fault",
    [Fault.truncate(keep_bytes=40), Fault.hang(3.0, after_bytes=40), Fault.reset()],
    ids=["short-body", "stall-mid-body", "connection-reset"],
)
def test_broken_transfers_are_retried(server: FaultServer, vtime: VirtualTime, fault: Fault) -> None:
    server.route("/cut.html", FaultSpec(body=PAGE, faults=[fault]))
    with make_fetcher(vtime, read_timeout=SHORT_TIMEOUT) as fetcher:
        result = fetcher.fetch(server.url("/cut.html"))
    assert result.status is FetchStatus.OK and result.text == PAGE
    assert result.attempts == 2 and server.count("/cut.html") == 2


def test_short_body_every_time_fails_and_is_never_returned(server: FaultServer, vtime: VirtualTime) -> None:
    server.route("/cut.html", FaultSpec(body=PAGE, persistent_fault=Fault.truncate(keep_bytes=40)))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/cut.html"))
    assert result.status is FetchStatus.FAILED and result.attempts == 3
    assert result.text is None and result.sha256 is None
    assert result.error is not None and "body read failed" in result.error


@pytest.mark.parametrize(("code", "status"), [(404, FetchStatus.NOT_FOUND), (410, FetchStatus.NOT_FOUND)])
def test_not_found_is_final(server: FaultServer, vtime: VirtualTime, code: int, status: FetchStatus) -> None:
    server.route("/gone.html", FaultSpec(status=code, body="<html>没有找到</html>"))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/gone.html"))
    assert result.status is status and (result.http_status, result.attempts) == (code, 1)
    assert result.error == f"HTTP {code}" and server.count("/gone.html") == 1 and vtime.sleeps == []


def test_unrouted_page_is_not_found(server: FaultServer, vtime: VirtualTime) -> None:
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/rmrb/pc/layout/202611/28/node_21.html"))
    assert result.status is FetchStatus.NOT_FOUND and result.http_status == 404


@pytest.mark.parametrize("code", [400, 401, 403])
def test_other_client_errors_fail_without_retry(server: FaultServer, vtime: VirtualTime, code: int) -> None:
    server.route("/no.html", FaultSpec(status=code, body="<html>forbidden</html>"))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/no.html"))
    assert result.status is FetchStatus.FAILED and result.error == f"HTTP {code}"
    assert result.attempts == 1 and server.count("/no.html") == 1


# -- limits -----------------------------------------------------------------------------------------

FIFTY_MB = 50 * 1024 * 1024


@pytest.mark.parametrize("send_length", [True, False], ids=["content-length", "close-delimited"])
def test_oversized_body_is_refused(server: FaultServer, vtime: VirtualTime, send_length: bool) -> None:
    server.route("/huge.html", FaultSpec(generated_size=FIFTY_MB, send_content_length=send_length))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/huge.html"))
    assert result.status is FetchStatus.FAILED and result.attempts == 1
    assert result.error == f"response larger than {BASE_CONFIG.max_bytes} bytes"
    assert result.text is None


def test_gzip_bomb_is_refused(server: FaultServer, vtime: VirtualTime, tmp_path: Path) -> None:
    server.route("/bomb.html", FaultSpec(gzip_bomb_size=FIFTY_MB))
    archive = RawArchive(tmp_path)
    with make_fetcher(vtime, archive) as fetcher:
        result = fetcher.fetch(server.url("/bomb.html"))
    assert result.status is FetchStatus.FAILED
    assert result.error == f"response larger than {BASE_CONFIG.max_bytes} bytes"
    assert not any(tmp_path.rglob("*.gz"))


def test_body_just_under_the_limit_is_accepted(server: FaultServer, vtime: VirtualTime) -> None:
    server.route("/big.html", FaultSpec(generated_size=BASE_CONFIG.max_bytes, send_content_length=False))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/big.html"))
    assert result.status is FetchStatus.OK and result.size == BASE_CONFIG.max_bytes


@pytest.mark.parametrize("content_type", ["image/jpeg", "application/pdf", "application/json"])
def test_unexpected_content_type_fails(server: FaultServer, vtime: VirtualTime, content_type: str) -> None:
    server.route("/file", FaultSpec(body=b"\x89PNG\r\n", content_type=content_type))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/file"))
    assert result.status is FetchStatus.FAILED and result.attempts == 1
    assert result.error == f"unexpected content type {content_type}"


@pytest.mark.parametrize(
    "content_type", [None, "text/plain; charset=gbk", "application/xhtml+xml", "application/xml"]
)
def test_text_content_types_and_missing_type_are_accepted(
    server: FaultServer, vtime: VirtualTime, content_type: str | None
) -> None:
    server.route("/page", FaultSpec(body=PAGE, content_type=content_type))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/page"))
    assert result.status is FetchStatus.OK and result.content_type == content_type


def test_empty_body_fails(server: FaultServer, vtime: VirtualTime) -> None:
    server.route("/empty.html", FaultSpec(body=b""))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/empty.html"))
    assert result.status is FetchStatus.FAILED and result.error == "empty body"
    assert result.http_status == 200 and result.size == 0


# -- redirects and the host allow-list --------------------------------------------------------------


def test_redirect_within_allowed_host_is_followed(server: FaultServer, vtime: VirtualTime) -> None:
    server.route("/old.html", FaultSpec(redirect_to="/new.html", redirect_status=301))
    server.route("/new.html", FaultSpec(body=PAGE))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/old.html"))
    assert result.status is FetchStatus.OK and result.text == PAGE
    assert result.url == server.url("/old.html") and result.final_url == server.url("/new.html")
    assert result.attempts == 2
    assert [r.path for r in server.requests] == ["/robots.txt", "/old.html", "/new.html"]


def test_redirect_to_a_host_outside_the_allow_list_is_not_followed(
    server: FaultServer, other_server: FaultServer, vtime: VirtualTime
) -> None:
    other_server.route("/landing.html", FaultSpec(body=PAGE))
    server.route("/out.html", FaultSpec(redirect_to=other_server.url("/landing.html")))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/out.html"))
    assert result.status is FetchStatus.DISALLOWED and result.error == "host not allowed: 127.0.0.2"
    assert not result.host_not_allowed  # the page's own host was allowed; the redirect may go away
    assert other_server.requests == []


def test_url_outside_the_allow_list_is_never_requested(other_server: FaultServer, vtime: VirtualTime) -> None:
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(other_server.url("/a.html"))
        bad_scheme = fetcher.fetch("ftp://127.0.0.1/a.html")
    assert result.status is FetchStatus.DISALLOWED and result.error == "host not allowed: 127.0.0.2"
    assert result.attempts == 0 and other_server.requests == []
    assert result.host_not_allowed
    assert bad_scheme.status is FetchStatus.FAILED and bad_scheme.error == "unsupported URL scheme 'ftp'"
    assert not bad_scheme.host_not_allowed


@pytest.mark.parametrize(
    "url", ["http://[::1/a.html", "http://127.0.0.1:99999/a.html", "people.com.cn/a.html", ""]
)
def test_malformed_urls_fail_without_raising(vtime: VirtualTime, url: str) -> None:
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(url)
        [from_many] = fetcher.fetch_many([url])
    assert result.status is FetchStatus.FAILED and result.attempts == 0
    assert result.error is not None and result.error.startswith(("invalid URL", "unsupported URL scheme"))
    assert from_many.status is FetchStatus.FAILED


def test_redirect_loop_is_detected(server: FaultServer, vtime: VirtualTime) -> None:
    server.route("/a.html", FaultSpec(redirect_to="/b.html"))
    server.route("/b.html", FaultSpec(redirect_to="/a.html"))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/a.html"))
    assert result.status is FetchStatus.FAILED
    assert result.error == f"redirect loop at {server.url('/a.html')}"
    assert server.count("/a.html") == 1 and server.count("/b.html") == 1


def test_redirect_chain_longer_than_the_limit_fails(server: FaultServer, vtime: VirtualTime) -> None:
    for hop in range(10):
        server.route(f"/hop{hop}", FaultSpec(redirect_to=f"/hop{hop + 1}", redirect_status=307))
    with make_fetcher(vtime, max_redirects=3) as fetcher:
        result = fetcher.fetch(server.url("/hop0"))
    assert result.status is FetchStatus.FAILED and result.error == "too many redirects (more than 3)"
    assert [r.path for r in server.requests if r.path != "/robots.txt"] == [
        "/hop0",
        "/hop1",
        "/hop2",
        "/hop3",
    ]


def test_each_redirect_hop_is_checked_against_robots(server: FaultServer, vtime: VirtualTime) -> None:
    server.robots("User-agent: *\nDisallow: /private/\n")
    server.route("/public.html", FaultSpec(redirect_to="/private/page.html"))
    server.route("/private/page.html", FaultSpec(body=PAGE))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/public.html"))
    assert result.status is FetchStatus.DISALLOWED and result.error == "disallowed by robots.txt"
    assert server.count("/private/page.html") == 0


# -- robots.txt and politeness ----------------------------------------------------------------------


def test_robots_disallow_is_obeyed_and_robots_is_read_once(server: FaultServer, vtime: VirtualTime) -> None:
    server.robots("User-agent: *\nDisallow: /private/\n\nUser-agent: PeoplesDailyETL\nDisallow: /n1/old/\n")
    for path in ("/private/a.html", "/n1/old/b.html", "/n1/new/c.html"):
        server.route(path, FaultSpec(body=PAGE))
    with make_fetcher(vtime) as fetcher:
        results = [
            fetcher.fetch(server.url(p)) for p in ("/n1/old/b.html", "/n1/new/c.html", "/private/a.html")
        ]
    assert [r.status for r in results] == [FetchStatus.DISALLOWED, FetchStatus.OK, FetchStatus.OK]
    assert results[0].error == "disallowed by robots.txt" and results[0].attempts == 0
    # Our own group replaces the "*" group, so /private/ is open to us.
    assert [r.path for r in server.requests] == ["/robots.txt", "/n1/new/c.html", "/private/a.html"]


def test_robots_over_500_kib_is_obeyed_from_its_first_lines(server: FaultServer, vtime: VirtualTime) -> None:
    filler = "".join(f"# {n:06d} {'x' * 90}\n" for n in range(6000))  # ~600 KB of comments
    robots = "User-agent: *\nDisallow: /\n" + filler + "Allow: /\n"
    assert len(robots.encode()) > 600_000
    server.robots(robots)
    server.route("/a.html", FaultSpec(body=PAGE))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/a.html"))
    assert result.status is FetchStatus.DISALLOWED and result.error == "disallowed by robots.txt"
    assert server.count("/a.html") == 0


def test_robots_over_500_kib_drops_the_line_cut_at_the_limit(server: FaultServer, vtime: VirtualTime) -> None:
    head = "User-agent: *\nDisallow: /private/\n"
    filler_line = f"# {'x' * 97}\n"  # 100 bytes
    filler = filler_line * ((500 * 1024 - len(head)) // len(filler_line) - 1)
    # The line that straddles byte 512 000: cut there, it would read "Disallow: /p".
    straddling = "Disallow: " + "/p" + "q" * 200 + "\n"
    text = head + filler + "#" * (500 * 1024 - len(head) - len(filler) - 13) + "\n" + straddling
    assert text.encode().index(b"Disallow: /pq") < 500 * 1024 < text.encode().index(b"Disallow: /pq") + 30
    server.robots(text + "User-agent: *\nDisallow: /\n")
    for path in ("/private/a.html", "/pa.html", "/open.html"):
        server.route(path, FaultSpec(body=PAGE))
    with make_fetcher(vtime) as fetcher:
        results = [fetcher.fetch(server.url(p)) for p in ("/private/a.html", "/pa.html", "/open.html")]
    assert [r.status for r in results] == [FetchStatus.DISALLOWED, FetchStatus.OK, FetchStatus.OK]


def test_robots_can_be_switched_off(server: FaultServer, vtime: VirtualTime) -> None:
    server.robots("User-agent: *\nDisallow: /\n")
    server.route("/a.html", FaultSpec(body=PAGE))
    with make_fetcher(vtime, respect_robots=False) as fetcher:
        result = fetcher.fetch(server.url("/a.html"))
    assert result.status is FetchStatus.OK and server.count("/robots.txt") == 0


def test_missing_robots_means_allow_all_with_default_delay(server: FaultServer, vtime: VirtualTime) -> None:
    for name in ("a", "b", "c"):
        server.route(f"/{name}.html", FaultSpec(body=PAGE))
    with make_fetcher(vtime, delay=2.0) as fetcher:
        results = [fetcher.fetch(server.url(f"/{name}.html")) for name in ("a", "b", "c")]
    assert all(r.status is FetchStatus.OK for r in results)
    assert [r.path for r in server.requests] == ["/robots.txt", "/a.html", "/b.html", "/c.html"]
    assert vtime.sleeps == [2.0, 2.0, 2.0]  # robots.txt counts as a request


def test_crawl_delay_is_honoured_per_host(server: FaultServer, vtime: VirtualTime) -> None:
    server.robots("User-agent: *\nDisallow:\nCrawl-delay: 120\n")
    server.route("/a.html", FaultSpec(body=PAGE))
    server.route("/b.html", FaultSpec(body=PAGE))
    with make_fetcher(vtime, delay=2.0) as fetcher:
        fetcher.fetch(server.url("/a.html"))
        fetcher.fetch(server.url("/b.html"))
    assert vtime.sleeps == [120.0, 120.0]


def test_crawl_delay_is_capped(server: FaultServer, vtime: VirtualTime) -> None:
    server.robots("User-agent: *\nCrawl-delay: 86400\n")
    server.route("/a.html", FaultSpec(body=PAGE))
    with make_fetcher(vtime, max_crawl_delay=30.0) as fetcher:
        fetcher.fetch(server.url("/a.html"))
        fetcher.fetch(server.url("/a.html"))
    assert vtime.sleeps == [30.0, 30.0]


def test_politeness_delay_is_jittered(server: FaultServer, vtime: VirtualTime) -> None:
    server.route("/a.html", FaultSpec(body=PAGE))
    with make_fetcher(vtime, delay=2.0, jitter=0.5) as fetcher:
        for _ in range(6):
            fetcher.fetch(server.url("/a.html"))
    assert len(vtime.sleeps) == 6
    assert all(2.0 <= wait <= 3.0 for wait in vtime.sleeps)
    assert len(set(vtime.sleeps)) > 1


def test_backoff_and_politeness_do_not_add_up(server: FaultServer, vtime: VirtualTime) -> None:
    server.robots("User-agent: *\nCrawl-delay: 10\n")
    server.route("/a.html", FaultSpec(body=PAGE, faults=[Fault.error(503, retry_after="1")]))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/a.html"))
    assert result.status is FetchStatus.OK
    assert vtime.sleeps == [10.0, 10.0]  # the longer of Retry-After and Crawl-delay, once


def test_unreachable_robots_holds_the_host_back_for_the_run(server: FaultServer, vtime: VirtualTime) -> None:
    server.route(
        "/robots.txt",
        FaultSpec(
            body="User-agent: *\nDisallow:\n", content_type="text/plain", persistent_fault=Fault.error(503)
        ),
    )
    server.route("/a.html", FaultSpec(body=PAGE))
    server.route("/b.html", FaultSpec(body=PAGE))
    with make_fetcher(vtime) as fetcher:
        first = fetcher.fetch(server.url("/a.html"))
        assert first.status is FetchStatus.DISALLOWED
        assert first.error == "robots.txt unreachable (HTTP 503)" and first.attempts == 0
        server.clear_faults()
        # The run keeps the answer it got: read once, not once per attempt of each page.
        second = fetcher.fetch(server.url("/b.html"))
        assert second.status is FetchStatus.DISALLOWED
    assert server.count("/robots.txt") == 1 and server.count("/a.html") == server.count("/b.html") == 0
    # The next run (its own fetcher) reads robots.txt again.
    with make_fetcher(vtime) as fetcher:
        again = fetcher.fetch(server.url("/a.html"))
    assert again.status is FetchStatus.OK and server.count("/robots.txt") == 2


def test_requests_to_one_host_never_overlap(server: FaultServer, vtime: VirtualTime) -> None:
    for n in range(6):
        server.route(f"/p{n}.html", FaultSpec(body=PAGE, faults=[Fault.hang(0.05)]))
    with make_fetcher(vtime) as fetcher:
        threads = [
            threading.Thread(target=fetcher.fetch, args=(server.url(f"/p{n}.html"),)) for n in range(6)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    assert server.count("/robots.txt") == 1
    assert sum(server.count(f"/p{n}.html") for n in range(6)) == 6
    assert server.max_in_flight == 1


def test_fetch_many_runs_hosts_in_parallel_and_keeps_order(
    server: FaultServer, other_server: FaultServer, vtime: VirtualTime
) -> None:
    other_arrived = threading.Event()
    seen_other_while_waiting: list[bool] = []
    # The first host's page waits for the second host's request: only concurrent fetching gets there.
    server.route(
        "/wait.html",
        FaultSpec(body=PAGE, on_request=lambda: seen_other_while_waiting.append(other_arrived.wait(5))),
    )
    server.route("/two.html", FaultSpec(body="<p>二</p>"))
    other_server.route("/signal.html", FaultSpec(body="<p>信号</p>", on_request=other_arrived.set))
    urls = [
        server.url("/wait.html"),
        other_server.url("/signal.html"),
        server.url("/two.html"),
        server.url("/wait.html"),
    ]
    fetcher = make_fetcher(vtime, allowed_hosts=("127.0.0.1", "127.0.0.2"), workers=2, read_timeout=10.0)
    with fetcher:
        results = fetcher.fetch_many(urls)
    assert [r.url for r in results] == urls
    assert [r.status for r in results] == [FetchStatus.OK] * 4
    assert results[1].text == "<p>信号</p>" and results[2].text == "<p>二</p>"
    assert seen_other_while_waiting == [True]  # the duplicate URL was fetched once
    assert server.max_in_flight == 1


# -- conditional GET --------------------------------------------------------------------------------

LAST_MODIFIED = "Fri, 28 Nov 2026 10:00:00 GMT"


def test_conditional_get_returns_not_modified(server: FaultServer, vtime: VirtualTime) -> None:
    server.route("/a.html", FaultSpec(body=PAGE, etag='"abc"', last_modified=LAST_MODIFIED))
    with make_fetcher(vtime) as fetcher:
        first = fetcher.fetch(server.url("/a.html"))
        validators = Validators(etag=first.etag, last_modified=first.last_modified, sha256=first.sha256)
        second = fetcher.fetch(server.url("/a.html"), validators)
    assert second.status is FetchStatus.NOT_MODIFIED and second.http_status == 304
    assert second.text is None and second.error is None
    assert (second.sha256, second.etag, second.last_modified) == (first.sha256, '"abc"', LAST_MODIFIED)
    request = server.requests_for("/a.html")[1]
    assert request.header("If-None-Match") == '"abc"'
    assert request.header("If-Modified-Since") == LAST_MODIFIED


def test_if_modified_since_alone_gives_not_modified(server: FaultServer, vtime: VirtualTime) -> None:
    server.route("/a.html", FaultSpec(body=PAGE, last_modified=LAST_MODIFIED))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/a.html"), Validators(last_modified=LAST_MODIFIED))
    assert result.status is FetchStatus.NOT_MODIFIED
    assert server.requests_for("/a.html")[0].header("If-None-Match") is None


def test_refresh_skips_validators(server: FaultServer, vtime: VirtualTime) -> None:
    server.route("/a.html", FaultSpec(body=PAGE, etag='"abc"'))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/a.html"), Validators(etag='"abc"'), refresh=True)
    assert result.status is FetchStatus.OK and result.text == PAGE
    assert server.requests_for("/a.html")[0].header("If-None-Match") is None


def test_changed_etag_gives_the_new_page(server: FaultServer, vtime: VirtualTime) -> None:
    server.route("/a.html", FaultSpec(body=PAGE, etag='"new"'))
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/a.html"), Validators(etag='"old"', sha256="0" * 64))
    assert result.status is FetchStatus.OK and result.etag == '"new"'
    assert result.sha256 == hashlib.sha256(PAGE.encode()).hexdigest()


def test_unchanged_body_without_validator_support_is_still_ok(
    server: FaultServer, vtime: VirtualTime
) -> None:
    """The server ignores validators; the caller sees the same sha256 and skips re-loading."""
    server.route("/a.html", FaultSpec(body=PAGE))
    known = hashlib.sha256(PAGE.encode()).hexdigest()
    with make_fetcher(vtime) as fetcher:
        result = fetcher.fetch(server.url("/a.html"), Validators(etag='"x"', sha256=known))
    assert result.status is FetchStatus.OK and result.sha256 == known


# -- logging ----------------------------------------------------------------------------------------


def test_outcomes_and_retries_are_logged(
    server: FaultServer, vtime: VirtualTime, caplog: pytest.LogCaptureFixture
) -> None:
    server.route("/flaky.html", FaultSpec(body=PAGE, faults=[Fault.error(503)]))
    with caplog.at_level(logging.INFO, logger="etl.fetch"), make_fetcher(vtime) as fetcher:
        fetcher.fetch(server.url("/flaky.html"))
    messages = [r.getMessage() for r in caplog.records if r.name == "etl.fetch"]
    assert any("attempt 1/3 failed (HTTP 503)" in m for m in messages)
    assert any(m.startswith(f"GET {server.url('/flaky.html')} -> ok") for m in messages)
