"""The fault-injecting test server itself, checked with plain requests so other suites can rely on it."""

from __future__ import annotations

import gzip
import http.client
from pathlib import Path

import pytest
import requests
from faultserver import Fault, FaultServer, FaultSpec, gzip_bomb


def test_serves_files_from_root_and_refuses_to_leave_it(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "rmrb").mkdir(parents=True)
    (site / "rmrb" / "node_01.html").write_text("<html>要闻</html>", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside")
    with FaultServer(root=site) as server:
        page = requests.get(server.url("/rmrb/node_01.html"), timeout=5)
        # http.client sends the path as written; requests would normalise the dot segments away.
        connection = http.client.HTTPConnection(server.host, server.port, timeout=5)
        connection.request("GET", "/../secret.txt")
        escape_status = connection.getresponse().status
        connection.close()
        missing = requests.get(server.url("/rmrb/node_02.html"), timeout=5)
    assert page.status_code == 200 and page.content.decode() == "<html>要闻</html>"
    assert page.headers["Content-Type"] == "text/html"
    assert escape_status == 404 and missing.status_code == 404


def test_faults_are_used_up_in_order_and_can_be_cleared() -> None:
    with FaultServer() as server:
        server.route(
            "/a.html",
            FaultSpec(
                body="<p>ok</p>",
                faults=[Fault.error(500), Fault.error(429, retry_after="7")],
                persistent_fault=Fault.error(503),
            ),
        )
        codes = [requests.get(server.url("/a.html"), timeout=5) for _ in range(4)]
        server.clear_faults()
        recovered = requests.get(server.url("/a.html"), timeout=5)
        assert server.count("/a.html") == 5
        recorded = server.requests_for("/a.html")[0]
    assert [r.status_code for r in codes] == [500, 429, 503, 503]
    assert codes[1].headers["Retry-After"] == "7"
    assert recovered.status_code == 200 and recovered.text == "<p>ok</p>"
    assert recorded.method == "GET" and recorded.header("user-agent") == requests.utils.default_user_agent()


def test_conditional_requests_get_304() -> None:
    with FaultServer() as server:
        server.route("/a.html", FaultSpec(body="<p>x</p>", etag='"v2"'))
        fresh = requests.get(server.url("/a.html"), headers={"If-None-Match": '"v1"'}, timeout=5)
        cached = requests.get(server.url("/a.html"), headers={"If-None-Match": '"v1", "v2"'}, timeout=5)
    assert fresh.status_code == 200 and fresh.headers["ETag"] == '"v2"'
    assert cached.status_code == 304 and cached.content == b""


def test_gzip_bomb_is_small_on_the_wire_and_huge_inflated() -> None:
    bomb = gzip_bomb(8 * 1024 * 1024)
    assert len(bomb) < 64 * 1024
    assert len(gzip.decompress(bomb)) == 8 * 1024 * 1024


def test_truncated_body_announces_more_than_it_sends() -> None:
    with FaultServer() as server:
        server.route("/cut.html", FaultSpec(body="x" * 1000, persistent_fault=Fault.truncate(keep_bytes=10)))
        with pytest.raises(requests.exceptions.ChunkedEncodingError):
            requests.get(server.url("/cut.html"), timeout=5)


def test_redirects_and_missing_content_type() -> None:
    with FaultServer() as server:
        server.route("/old", FaultSpec(redirect_to="http://evil.example/", redirect_status=301))
        server.route("/bare", FaultSpec(body="<p>x</p>", content_type=None))
        moved = requests.get(server.url("/old"), allow_redirects=False, timeout=5)
        bare = requests.get(server.url("/bare"), timeout=5)
    assert moved.status_code == 301 and moved.headers["Location"] == "http://evil.example/"
    assert "Content-Type" not in bare.headers
