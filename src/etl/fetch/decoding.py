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
# A page more than this share of whose non-ASCII characters are not text is refused. Real pages,
# even with a few private-use or damaged characters, stay near 0; random bytes (a binary file, a
# compressed body) come out near one half.
MAX_NOT_TEXT_SHARE = 0.3
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
    """``raw`` decoded with U+FFFD for what does not decode, and how many bytes that was."""
    _tally.bytes = 0
    text = raw.decode(codec, errors=_ERRORS)
    return text, int(_tally.bytes)


def _score(raw: bytes, replaced: int) -> float:
    """The share of non-ASCII bytes a codec decoded validly (1.0 for a page of pure ASCII)."""
    non_ascii = len(raw) - len(raw.translate(None, _HIGH_BYTES))
    return 1.0 - replaced / non_ascii if non_ascii else 1.0


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
    chosen = Decoded("", UTF8)
    for rank, codec in enumerate(CANDIDATES):
        text, replaced = _decode(raw, codec)
        # Higher score first; on equal scores the declared codec, then the candidates' own order.
        key = (_score(raw, replaced), codec == preferred, -rank)
        if best is None or key > best:
            best = key
            chosen = Decoded(text, codec, replaced)
        if key[0] == 1.0 and preferred in (None, codec):
            break  # every byte is accounted for and no other codec was declared: none can do better
    if chosen.encoding == GB18030:
        # gb18030 has its own byte-order mark (0x84 0x31 0x95 0x33), which decodes to U+FEFF.
        chosen = Decoded(chosen.text.removeprefix("\ufeff"), GB18030, chosen.replaced)
    return _checked(chosen)


def _checked(decoded: Decoded) -> Decoded:
    candidates = len(_NON_ASCII_OR_CONTROL.findall(decoded.text))
    if not candidates:
        return decoded
    junk = len(_NOT_TEXT.findall(decoded.text))
    share = junk / candidates
    if share > MAX_NOT_TEXT_SHARE:
        raise Undecodable(
            f"undecodable: {share:.0%} of characters are control, private-use, rare or undecodable "
            f"(best guess {decoded.encoding}); not a text page"
        )
    return decoded
