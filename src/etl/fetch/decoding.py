"""Turn raw page bytes into text, choosing the encoding by what the bytes themselves say.

People's Daily portal pages declare ``charset=GB2312`` whatever their bytes really are: older pages are
GBK/GB18030, newer and provincial ones are UTF-8. HTTP headers usually carry no charset, so requests
falls back to ISO-8859-1 and ``apparent_encoding`` guesses wrong on short pages. So a declaration is
only a tie-breaker: each candidate codec (UTF-8 and gb18030, a superset of GB2312 and GBK) is scored
by the share of the page's non-ASCII bytes it decodes validly, and the best one wins. Chinese text in
GBK is practically never valid UTF-8, while UTF-8 text leaves gb18030 stumbling every few characters,
so real pages are never close; and one stray byte costs one replacement character, not the page.

A page whose decoded text is mostly characters no news copy is written in (controls, private-use,
the rare CJK extensions from U+20000 up, undecodable bytes) is refused as not being text at all:
random bytes decoded as gb18030 come out as exactly that.
"""

from __future__ import annotations

import codecs
import re
import threading
from dataclasses import dataclass

UTF8 = "utf-8"
GB18030 = "gb18030"
UTF16 = "utf-16"
# Tried in this order; on a tie (same score) the earlier one wins unless the page declares the other.
CANDIDATES = (UTF8, GB18030)

# Names a page may declare, mapped to the candidate that decodes them (GB2312 and GBK pages are
# decoded as gb18030, their superset, because "GB2312" pages routinely use GBK-only characters).
_DECLARED_NAMES = {
    "utf-8": UTF8,
    "utf8": UTF8,
    "gb2312": GB18030,
    "gbk": GB18030,
    "gb18030": GB18030,
    "x-gbk": GB18030,
    "cp936": GB18030,
    "euc-cn": GB18030,
}

# Characters that never make up real text: C0/C1 controls (tab, newlines and form feed aside),
# replacement characters, private-use areas (BMP and planes 15-16), noncharacters, and everything
# from CJK Extension B (U+20000) up, which news copy practically never contains but which gb18030's
# four-byte range readily produces from random bytes.
_NOT_TEXT = re.compile(
    "[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd\ue000-\uf8ff\ufdd0-\ufdef\ufffe\uffff\U00020000-\U0010ffff]"
)
_NON_ASCII_OR_CONTROL = re.compile("[^\t\n\r\x0c\x20-\x7e]")
# A page more than this share of whose non-ASCII and control characters are not text is refused
# (plain ASCII text does not count either way). Real pages,
# even with a few private-use or damaged characters, stay near 0; random bytes (a binary file, a
# compressed body) come out near one half.
MAX_NOT_TEXT_SHARE = 0.3
# ... and only when there are at least this many of them: a stray control character (a DOS end-of-file
# mark, a form feed) in an otherwise plain ASCII page or robots.txt is no reason to refuse it.
MIN_NOT_TEXT_CHARS = 16
# Those shares are measured on at most this many characters (in slices spread over the page).
_SAMPLE_CHARS = 1 << 20
_SAMPLE_SLICES = 16
# A meta charset is looked for in this many leading bytes (the HTML prescan reads 1024; be generous).
_META_PRESCAN_BYTES = 4096
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_CONTENT_TYPE_CHARSET = re.compile(r"""charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class Undecodable(ValueError):
    """The bytes are not text in any encoding we read; the message is one line, for a failure row."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # "utf-8", "gb18030" or "utf-16"
    replaced: int = 0  # bytes that could not be decoded and became U+FFFD


_HIGH_BYTES = bytes(range(0x80, 0x100))
_tally = threading.local()


def _count_and_replace(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _tally.bytes += exc.end - exc.start
    return "\ufffd", exc.end


_ERRORS = "etl.count-and-replace"
codecs.register_error(_ERRORS, _count_and_replace)


def _decode(raw: bytes, codec: str) -> tuple[str, int]:
    """``raw`` decoded with U+FFFD for what does not decode, and how many bytes that was.

    Slow when there are many errors (a Python call each): used only on the chosen codec.
    """
    _tally.bytes = 0
    text = raw.decode(codec, errors=_ERRORS)
    return text, int(_tally.bytes)


def _scored(raw: bytes, codec: str) -> tuple[float, str, int]:
    """``raw`` decoded by ``codec``'s fast built-in "replace" handler, with the share of non-ASCII
    bytes it decoded validly (1.0 for pure ASCII) and its count of invalid sequences.

    The count is the replacement characters put in (one per invalid sequence, so it can be lower than
    the bytes lost) less those the page itself encodes; it stays fast on megabytes of binary junk.
    """
    text = raw.decode(codec, errors="replace")
    non_ascii = len(raw) - len(raw.translate(None, _HIGH_BYTES))
    if not non_ascii:
        return 1.0, text, 0
    errors = max(0, text.count("\ufffd") - raw.count("\ufffd".encode(codec)))
    return 1.0 - errors / non_ascii, text, errors


def canonical_charset(name: str | None) -> str | None:
    """The candidate codec a declared charset name stands for, or None when it names neither."""
    if not name:
        return None
    return _DECLARED_NAMES.get(name.strip().strip("\"'").lower())


def declared_charset(raw: bytes, content_type: str | None = None) -> str | None:
    """The charset the response declares: its Content-Type header's, else the page's own meta tag."""
    if content_type and (header := _CONTENT_TYPE_CHARSET.search(content_type)):
        return header.group(1)
    if meta := _META_CHARSET.search(raw[:_META_PRESCAN_BYTES]):
        return meta.group(1).decode("ascii")
    return None


def decode_html(raw: bytes, declared: str | None = None) -> Decoded:
    """Decode page bytes with the codec the bytes support best; ``declared`` breaks ties only.

    ``declared`` is a charset name from the transport (a Content-Type header); without one the page's
    own ``<meta charset>`` is used. A byte-order mark settles the question outright. Undecodable bytes
    become U+FFFD and are counted in ``Decoded.replaced``. Raises ``Undecodable`` when the result would
    be mostly characters no text is written in (binary data, a wrong codec on a damaged page).
    """
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text, replaced = _decode(raw, UTF16)  # the codec reads and drops the mark
        return _checked(Decoded(text, UTF16, replaced))
    if raw.startswith(codecs.BOM_UTF8):
        text, replaced = _decode(raw[len(codecs.BOM_UTF8) :], UTF8)
        return _checked(Decoded(text, UTF8, replaced))
    preferred = canonical_charset(declared if declared is not None else declared_charset(raw))
    best: tuple[float, bool, int] | None = None
    winner, text, errors = UTF8, "", 0
    for rank, codec in enumerate(CANDIDATES):
        score, decoded, invalid = _scored(raw, codec)
        # Higher score first; on equal scores the declared codec, then the candidates' own order.
        key = (score, codec == preferred, -rank)
        if best is None or key > best:
            best, winner, text, errors = key, codec, decoded, invalid
        if score == 1.0 and preferred in (None, codec):
            break  # every byte is accounted for and no other codec was declared: none can do better
    # Refuse junk before counting its replaced bytes one by one, which is slow on megabytes of it.
    _checked(Decoded(text, winner))
    replaced = 0
    if errors:
        text, replaced = _decode(raw, winner)
    if winner == GB18030:
        # gb18030 has its own byte-order mark (0x84 0x31 0x95 0x33), which decodes to U+FEFF.
        text = text.removeprefix("\ufeff")
    return Decoded(text, winner, replaced)


def _sample(text: str) -> str:
    """``text``, or evenly spaced slices of it adding up to ``_SAMPLE_CHARS`` when it is longer."""
    if len(text) <= _SAMPLE_CHARS:
        return text
    step, size = len(text) // _SAMPLE_SLICES, _SAMPLE_CHARS // _SAMPLE_SLICES
    return "".join(text[i * step : i * step + size] for i in range(_SAMPLE_SLICES))


def _checked(decoded: Decoded) -> Decoded:
    sample = _sample(decoded.text)
    candidates = len(_NON_ASCII_OR_CONTROL.findall(sample))
    if not candidates:
        return decoded
    junk = len(_NOT_TEXT.findall(sample))
    share = junk / candidates
    if share > MAX_NOT_TEXT_SHARE and junk >= MIN_NOT_TEXT_CHARS:
        raise Undecodable(
            f"undecodable: {share:.0%} of characters are control, private-use, rare or undecodable "
            f"(best guess {decoded.encoding}); not a text page"
        )
    return decoded
