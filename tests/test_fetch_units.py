"""Network-free parts of the fetch stage: decoding, the raw archive, bounded decompression, retry math."""

from __future__ import annotations

import codecs
import datetime as dt
import gzip
import hashlib
import random
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from etl.fetch import ArchiveCorrupt, Decoded, RawArchive, Undecodable, decode_html
from etl.fetch.body import BadEncoding, BodyTooLarge, read_limited
from etl.fetch.decoding import declared_charset
from etl.fetch.politeness import host_allowed, origin_of
from etl.fetch.retry import backoff_delay, is_retryable_status, parse_retry_after

# "朱镕基" has 镕, which is in GBK but not in GB2312; "𠀀" exists only in GB18030's four-byte range.
HEADLINE = "朱镕基同志生平展在京开幕　各界人士踊跃参观"


def test_decode_utf8_bytes_even_when_page_declares_gb2312() -> None:
    raw = f'<meta charset="GB2312"><h1>{HEADLINE}</h1>'.encode()
    assert decode_html(raw) == Decoded(raw.decode("utf-8"), "utf-8", 0)
    assert decode_html(raw, "gb2312") == Decoded(raw.decode("utf-8"), "utf-8", 0)


def test_decode_gbk_bytes_as_gb18030_including_characters_outside_gb2312() -> None:
    raw = f"<h1>{HEADLINE}</h1>".encode("gbk")
    decoded = decode_html(raw)
    assert (decoded.encoding, decoded.replaced) == ("gb18030", 0)
    assert HEADLINE in decoded.text
    with pytest.raises(UnicodeDecodeError):
        raw.decode("gb2312")  # why gb2312 must never be used


def test_decode_four_byte_gb18030_character() -> None:
    raw = "人名用字𠀀".encode("gb18030")
    assert decode_html(raw) == Decoded("人名用字𠀀", "gb18030", 0)


def test_decode_strips_utf8_bom() -> None:
    decoded = decode_html(b"\xef\xbb\xbf" + "<p>人民日报</p>".encode())
    assert decoded == Decoded("<p>人民日报</p>", "utf-8", 0)


def test_decode_replaces_undecodable_bytes_instead_of_failing() -> None:
    raw = "新华社北京电".encode("gbk") + b"\xff\xfe"
    decoded = decode_html(raw)
    assert decoded.encoding == "gb18030"
    assert decoded.text.startswith("新华社北京电") and "\ufffd" in decoded.text
    assert decoded.replaced == 2


REAL = Path(__file__).parent / "fixtures" / "real"
SITE_GBK_PAGE = Path(__file__).parent / "fixtures" / "site" / "n2" / "2025" / "0902" / "c134768-41234567.html"
UTF8_PAGE = REAL / "people_politics_n1_2024-04-24_c1001-40223222.html"


@pytest.mark.parametrize("path", [*sorted(REAL.glob("*.gbk.html")), SITE_GBK_PAGE], ids=lambda p: p.name)
def test_real_gbk_pages_decode_as_gb18030_with_nothing_replaced(path: Path) -> None:
    raw = path.read_bytes()
    decoded = decode_html(raw)
    assert (decoded.encoding, decoded.replaced) == ("gb18030", 0)
    assert decoded.text == raw.decode("gb18030")
    # Declared UTF-8 (a lying header), the bytes still win.
    assert decode_html(raw, "utf-8") == decoded


@pytest.mark.parametrize("path", sorted(p for p in REAL.glob("*.html") if ".gbk." not in p.name), ids=str)
def test_real_utf8_pages_decode_as_utf8_even_when_declared_gb2312(path: Path) -> None:
    raw = path.read_bytes()
    assert decode_html(raw, "GB2312") == Decoded(raw.decode("utf-8"), "utf-8", 0)


def _utf8_page_with(inserted: bytes, before: bytes) -> tuple[bytes, str]:
    """The real UTF-8 article with ``inserted`` placed right before the first ``before``."""
    raw = UTF8_PAGE.read_bytes()
    at = raw.index(before)
    return raw[:at] + inserted + raw[at:], raw.decode("utf-8")


def test_one_invalid_byte_in_head_costs_one_character_not_the_page() -> None:
    raw, clean = _utf8_page_with(b"<!-- \xff -->", b"</head>")
    decoded = decode_html(raw)
    assert (decoded.encoding, decoded.replaced) == ("utf-8", 1)
    assert decoded.text == clean.replace("</head>", "<!-- \ufffd --></head>", 1)


def test_cesu8_surrogates_are_replaced_and_the_rest_is_utf8() -> None:
    raw, clean = _utf8_page_with(b"\xed\xa0\x80\xed\xb0\x80", b"</body>")
    decoded = decode_html(raw, "GB2312")
    assert (decoded.encoding, decoded.replaced) == ("utf-8", 6)
    assert decoded.text == clean.replace("</body>", "\ufffd" * 6 + "</body>", 1)


def test_gbk_page_declared_utf8_decodes_as_gb18030() -> None:
    page = f'<html><head><meta charset="utf-8"><title>{HEADLINE}</title></head><body><p>{HEADLINE}</p>'
    assert decode_html(page.encode("gbk")) == Decoded(page, "gb18030", 0)
    assert decode_html(page.encode("gbk"), "utf-8") == Decoded(page, "gb18030", 0)


def test_declared_charset_breaks_only_a_tie() -> None:
    # Twelve bytes that are "人民日报" in UTF-8 and "浜烘皯鏃ユ姤" in gb18030: both decode every byte.
    raw = "人民日报".encode()
    assert decode_html(raw) == Decoded("人民日报", "utf-8", 0)
    assert decode_html(raw, "GB2312") == Decoded("浜烘皯鏃ユ姤", "gb18030", 0)
    assert decode_html(b'<meta charset="gbk">' + raw).encoding == "gb18030"  # the page's own meta tag
    assert decode_html(raw, "utf-8") == Decoded("人民日报", "utf-8", 0)


def test_declared_charset_reads_content_type_then_meta() -> None:
    page = b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    assert declared_charset(page, "text/html; charset=UTF-8") == "UTF-8"
    assert declared_charset(page, "text/html") == "gb2312"
    assert declared_charset(b"<p>no declaration</p>") is None


def test_utf16_with_byte_order_mark() -> None:
    assert decode_html(codecs.BOM_UTF16_LE + HEADLINE.encode("utf-16-le")) == Decoded(HEADLINE, "utf-16", 0)


def test_random_binary_is_undecodable_not_mojibake() -> None:
    raw = random.Random(7).randbytes(20_000)
    with pytest.raises(Undecodable, match=r"^undecodable: \d+% of characters are .*; not a text page$"):
        decode_html(raw)


@pytest.mark.parametrize(
    "text",
    [
        "<html><body><p>"
        + "".join(chr(0xE000 + i) for i in range(300))
        + "</p></body></html>",  # private use
        "<p>" + "".join(chr(0x20000 + 7 * i) for i in range(300)) + "人民日报</p>",  # CJK Extension B+
        "<p>" + "".join(chr(0xF0000 + i) for i in range(300)) + "</p>",  # plane 15 private use
    ],
    ids=["bmp-private-use", "extension-b", "plane-15"],
)
def test_text_mostly_private_use_or_rare_is_undecodable(text: str) -> None:
    for raw in (text.encode("utf-8"), text.encode("gb18030")):
        with pytest.raises(Undecodable, match="not a text page") as caught:
            decode_html(raw)
        assert "\n" not in str(caught.value)


def test_a_few_private_use_or_control_characters_still_load() -> None:
    text = f"<p>{HEADLINE * 5}\ue000\ue001</p>"
    assert decode_html(text.encode("gb18030")) == Decoded(text, "gb18030", 0)
    robots = "User-agent: *\r\nDisallow: /private/\r\n\x1a"  # a DOS end-of-file mark
    assert decode_html(robots.encode()) == Decoded(robots, "utf-8", 0)


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


def _truncate(data: bytes) -> bytes:
    return data[: len(data) // 2]


def _flip_a_bit(data: bytes) -> bytes:
    middle = len(data) // 2  # inside the deflate stream, past the gzip header
    return data[:middle] + bytes([data[middle] ^ 0x10]) + data[middle + 1 :]


def _empty(data: bytes) -> bytes:
    return b""


def _other_content(data: bytes) -> bytes:
    return gzip.compress(b"<p>another page</p>", mtime=0)


DAMAGES = [_truncate, _flip_a_bit, _empty, _other_content]


@pytest.mark.parametrize("damage", DAMAGES, ids=lambda d: d.__name__.strip("_"))
def test_damaged_archive_entry_is_missing_and_put_repairs_it(
    tmp_path: Path, damage: Callable[[bytes], bytes]
) -> None:
    archive = RawArchive(tmp_path)
    raw = f"<html><body>{HEADLINE * 40}</body></html>".encode()
    sha = archive.put(raw)
    path = archive.path_for(sha)
    path.write_bytes(damage(path.read_bytes()))

    with pytest.raises(ArchiveCorrupt) as caught:
        archive.get(sha)
    assert str(path) in str(caught.value) and "\n" not in str(caught.value)
    assert not archive.has(sha)  # a damaged entry counts as missing

    assert archive.put(raw) == sha  # replaces the damaged file instead of keeping it
    assert archive.has(sha) and archive.get(sha) == raw
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == [f"{sha}.gz"]


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
