"""HTTP Basic credentials: sent to their own origin only, never across a redirect, never stored or logged."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import requests
from faultserver import FaultServer, FaultSpec

from etl.fetch import FetchConfig, Fetcher
from etl.models import FetchStatus
from etl.urls import Credentials

PASSWORD = "Tr0ub4dor-and-3"
PAGE = "<html><body><p>正文</p></body></html>"


@pytest.fixture()
def servers() -> Iterator[tuple[FaultServer, FaultServer]]:
    """A mirror that wants credentials, and another origin (another port) that does not."""
    with FaultServer(basic_auth=("reader", PASSWORD)) as mirror, FaultServer() as other:
        yield mirror, other


def _fetcher(mirror: FaultServer) -> Fetcher:
    config = FetchConfig(
        delay=0,
        jitter=0,
        max_attempts=1,
        allowed_hosts=("127.0.0.1",),
        credentials=(Credentials(mirror.base_url, "reader", PASSWORD),),
    )
    return Fetcher(config)


def test_the_fault_server_wants_basic_auth(servers: tuple[FaultServer, FaultServer]) -> None:
    mirror, _ = servers
    mirror.route("/a.html", FaultSpec(body=PAGE))
    assert requests.get(mirror.url("/a.html"), timeout=5).status_code == 401
    assert requests.get(mirror.url("/a.html"), auth=("reader", PASSWORD), timeout=5).status_code == 200


def test_credentials_go_to_their_origin_and_not_across_a_redirect(
    servers: tuple[FaultServer, FaultServer], caplog: pytest.LogCaptureFixture
) -> None:
    mirror, other = servers
    mirror.route("/a.html", FaultSpec(body=PAGE))
    mirror.route("/same.html", FaultSpec(redirect_to="/a.html"))
    mirror.route("/away.html", FaultSpec(redirect_to=other.url("/b.html")))
    other.route("/b.html", FaultSpec(body=PAGE))
    caplog.set_level(logging.DEBUG, logger="etl")
    with _fetcher(mirror) as fetcher:
        direct = fetcher.fetch(mirror.url("/a.html"))
        same = fetcher.fetch(mirror.url("/same.html"))
        away = fetcher.fetch(mirror.url("/away.html"))

    assert direct.status is FetchStatus.OK and same.status is FetchStatus.OK
    assert away.status is FetchStatus.OK and away.final_url == other.url("/b.html")
    # Every request to the mirror (robots.txt included) carried the credentials ...
    assert mirror.requests and all(r.header("Authorization") for r in mirror.requests)
    # ... and none to the other origin, although the mirror sent the fetcher there.
    assert other.requests and not any(r.header("Authorization") for r in other.requests)
    assert PASSWORD not in caplog.text


def test_credentials_in_a_url_are_used_for_that_request_only_and_never_kept(
    servers: tuple[FaultServer, FaultServer], caplog: pytest.LogCaptureFixture
) -> None:
    mirror, other = servers
    mirror.route("/a.html", FaultSpec(body=PAGE))
    mirror.route("/away.html", FaultSpec(redirect_to=other.url("/b.html")))
    other.route("/b.html", FaultSpec(body=PAGE))
    caplog.set_level(logging.DEBUG, logger="etl")
    given = mirror.url("/a.html").replace("://", f"://reader:{PASSWORD}@")
    with Fetcher(FetchConfig(delay=0, jitter=0, max_attempts=1, allowed_hosts=("127.0.0.1",))) as fetcher:
        result = fetcher.fetch(given)
        away = fetcher.fetch(mirror.url("/away.html").replace("://", f"://reader:{PASSWORD}@"))
    assert result.status is FetchStatus.OK
    assert result.final_url == mirror.url("/a.html")
    assert mirror.requests_for("/a.html")[0].header("Authorization")
    assert away.final_url == other.url("/b.html")
    assert not any(r.header("Authorization") for r in other.requests)
    assert PASSWORD not in caplog.text


def test_credentials_in_a_location_header_are_neither_sent_nor_kept(
    servers: tuple[FaultServer, FaultServer], caplog: pytest.LogCaptureFixture
) -> None:
    mirror, other = servers
    leaked = other.url("/b.html").replace("://", "://intruder:Location-Secret@")
    mirror.route("/away.html", FaultSpec(redirect_to=leaked))
    mirror.route(
        "/loop.html", FaultSpec(redirect_to=mirror.url("/loop.html").replace("://", "://x:Loop-Secret@"))
    )
    other.route("/b.html", FaultSpec(body=PAGE))
    caplog.set_level(logging.DEBUG, logger="etl")
    with _fetcher(mirror) as fetcher:
        away = fetcher.fetch(mirror.url("/away.html"))
        loop = fetcher.fetch(mirror.url("/loop.html"))
    assert away.status is FetchStatus.OK and away.final_url == other.url("/b.html")
    assert not any(r.header("Authorization") for r in other.requests)
    assert loop.status is FetchStatus.FAILED
    shown = f"{away!r} {loop!r} {caplog.text}"
    assert "Location-Secret" not in shown and "Loop-Secret" not in shown
