"""Network-free parts of the fetch stage: decoding, the raw archive, bounded decompression, retry math."""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import random
import zlib
from pathlib import Path

import pytest

from etl.fetch import RawArchive, decode_html
from etl.fetch.body import BadEncoding, BodyTooLarge, read_limited
from etl.fetch.politeness import host_allowed, origin_of
from etl.fetch.retry import backoff_delay, is_retryable_status, parse_retry_after

# "朱镕基" has 镕, which is in GBK but not in GB2312; "𠀀" exists only in GB18030's four-byte range.
HEADLINE = "朱镕基同志生平展在京开幕　各界人士踊跃参观"


def test_decode_utf8_bytes_even_when_page_declares_gb2312() -> None:
    raw = f'<meta charset="GB2312"><h1>{HEADLINE}</h1>'.encode()
    assert decode_html(raw) == (raw.decode("utf-8"), "utf-8")


def test_decode_gbk_bytes_as_gb18030_including_characters_outside_gb2312() -> None:
    raw = f"<h1>{HEADLINE}</h1>".encode("gbk")
    text, encoding = decode_html(raw)
    assert encoding == "gb18030"
    assert HEADLINE in text
    with pytest.raises(UnicodeDecodeError):
        raw.decode("gb2312")  # why gb2312 must never be used


def test_decode_four_byte_gb18030_character() -> None:
    raw = "人名用字𠀀".encode("gb18030")
    assert decode_html(raw) == ("人名用字𠀀", "gb18030")


def test_decode_strips_utf8_bom() -> None:
    text, encoding = decode_html(b"\xef\xbb\xbf" + "<p>人民日报</p>".encode())
    assert (text, encoding) == ("<p>人民日报</p>", "utf-8")


def test_decode_replaces_undecodable_bytes_instead_of_failing() -> None:
    raw = "新华社北京电".encode("gbk") + b"\xff\xfe"
    text, encoding = decode_html(raw)
    assert encoding == "gb18030"
    assert text.startswith("新华社北京电") and "\ufffd" in text


def test_archive_round_trip_and_layout(tmp_path: Path) -> None:
    archive = RawArchive(tmp_path)
    raw = HEADLINE.encode("gbk")
    sha = archive.put(raw)
    assert sha == hashlib.sha256(raw).hexdigest()
    path = tmp_path / sha[:2] / sha[2:4] / f"{sha}.gz"
    assert path.is_file()
    assert gzip.decompress(path.read_bytes()) == raw
    assert archive.has(sha) and archive.get(sha) == raw
    assert archive.put(raw) == sha  # idempotent
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f"{sha}.gz"]  # no temp files left


def test_archive_missing_corrupt_and_bad_keys(tmp_path: Path) -> None:
    archive = RawArchive(tmp_path)
    missing = hashlib.sha256(b"absent").hexdigest()
    assert not archive.has(missing)
    with pytest.raises(KeyError):
        archive.get(missing)
    sha = archive.put(b"<p>original</p>")
    archive.path_for(sha).write_bytes(gzip.compress(b"<p>tampered</p>"))
    with pytest.raises(ValueError, match="does not match"):
        archive.get(sha)
    with pytest.raises(ValueError, match="not a sha256"):
        archive.get("../../etc/passwd")


def _chunks(data: bytes, size: int = 1000) -> list[bytes]:
    return [data[i : i + size] for i in range(0, len(data), size)]


def test_read_limited_decodes_gzip_deflate_and_multimember() -> None:
    page = ("<p>" + HEADLINE * 50 + "</p>").encode()
    assert read_limited(_chunks(gzip.compress(page)), "gzip", 10**6) == page
    assert read_limited(_chunks(zlib.compress(page)), "deflate", 10**6) == page
    raw_deflate = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    assert read_limited(_chunks(raw_deflate.compress(page) + raw_deflate.flush()), "deflate", 10**6) == page
    two_members = gzip.compress(page) + gzip.compress(page)
    assert read_limited(_chunks(two_members), "gzip", 10**6) == page + page
    assert read_limited(_chunks(page), None, len(page)) == page


def test_read_limited_stops_a_gzip_bomb_without_inflating_it() -> None:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    bomb = b"".join(compressor.compress(bytes(1 << 20)) for _ in range(64)) + compressor.flush()
    assert len(bomb) < 1 << 20
    with pytest.raises(BodyTooLarge, match="larger than 100000 bytes"):
        read_limited([bomb], "gzip", 100_000)  # one chunk: the cap must act inside decompression


def test_read_limited_rejects_unknown_truncated_or_corrupt_encodings() -> None:
    with pytest.raises(BadEncoding, match="unsupported content encoding 'br'"):
        read_limited([b"x"], "br", 100)
    with pytest.raises(BadEncoding, match="truncated"):
        read_limited([gzip.compress(b"<p>" * 1000)[:20]], "gzip", 10**6)
    with pytest.raises(BadEncoding, match="corrupt"):
        read_limited([b"definitely not gzip"], "gzip", 10**6)


def test_host_allow_list_matches_hosts_and_subdomains_only() -> None:
    allowed = ("people.com.cn", "people.cn")
    assert host_allowed("people.com.cn", allowed)
    assert host_allowed("paper.people.com.cn", allowed)
    assert host_allowed("WWW.People.CN.", allowed)
    assert not host_allowed("evilpeople.com.cn", allowed)
    assert not host_allowed("people.com.cn.evil.example", allowed)
    assert origin_of("HTTP://Paper.People.com.cn/rmrb/") == "http://paper.people.com.cn:80"


def test_retryable_statuses() -> None:
    assert all(is_retryable_status(code) for code in (429, 500, 502, 503, 504))
    assert not any(is_retryable_status(code) for code in (200, 301, 400, 403, 404, 410))


def test_backoff_grows_exponentially_and_is_capped() -> None:
    rng = random.Random(7)
    assert [backoff_delay(n, 1.0, 60.0, 0.0, rng) for n in (1, 2, 3, 4, 10)] == [1.0, 2.0, 4.0, 8.0, 60.0]
    jittered = [backoff_delay(3, 1.0, 60.0, 0.5, rng) for _ in range(20)]
    assert all(4.0 <= d <= 6.0 for d in jittered) and len(set(jittered)) > 1


def test_parse_retry_after_seconds_and_http_date() -> None:
    now = dt.datetime(2026, 11, 29, 8, 0, 0, tzinfo=dt.UTC)
    assert parse_retry_after("120", now) == 120.0
    assert parse_retry_after("Sun, 29 Nov 2026 08:01:30 GMT", now) == 90.0
    assert parse_retry_after("Sun, 29 Nov 2026 07:00:00 GMT", now) == 0.0
    assert parse_retry_after("soon", now) is None
    assert parse_retry_after(None, now) is None
