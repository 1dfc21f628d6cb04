"""Read a streamed response body with a hard cap on the bytes it may expand to.

The body is read undecoded from the socket and any ``Content-Encoding`` is undone here, in bounded
steps, so a small gzip "bomb" can never inflate past ``max_bytes`` in memory: each decompression call
is asked for at most the bytes still allowed.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Iterator
from typing import Protocol

_Allowance = Callable[[], int]

CHUNK_SIZE = 64 * 1024
# What we send as Accept-Encoding: exactly the codings this module can undo.
ACCEPT_ENCODING = "gzip, deflate"


class BodyTooLarge(Exception):
    """The body (after decompression) exceeds the configured limit."""


class BadEncoding(Exception):
    """The body is compressed with something we cannot or will not undo, or is corrupt."""


class _Decoder(Protocol):
    def feed(self, data: bytes, limit: int) -> bytes: ...
    def pending(self, limit: int) -> bytes: ...
    def finish(self) -> None: ...


class _Identity:
    def __init__(self) -> None:
        self._buffer = b""

    def feed(self, data: bytes, limit: int) -> bytes:
        self._buffer += data
        return self.pending(limit)

    def pending(self, limit: int) -> bytes:
        out, self._buffer = self._buffer[:limit], self._buffer[limit:]
        return out

    def finish(self) -> None:
        return None


class _Zlib:
    """gzip (maybe several members) or deflate (zlib-wrapped or raw), inflated ``limit`` bytes at a time."""

    def __init__(self, coding: str) -> None:
        self._coding = coding
        self._first_try = True
        self._obj = self._new()

    def _new(self, raw_deflate: bool = False) -> zlib._Decompress:
        if self._coding == "gzip":
            return zlib.decompressobj(16 + zlib.MAX_WBITS)
        return zlib.decompressobj(-zlib.MAX_WBITS if raw_deflate else zlib.MAX_WBITS)

    def feed(self, data: bytes, limit: int) -> bytes:
        try:
            out = self._obj.decompress(self._obj.unconsumed_tail + data, max(limit, 1))
        except zlib.error:
            if self._coding == "deflate" and self._first_try:
                # Some servers send raw deflate without the zlib wrapper the RFC asks for.
                self._first_try = False
                self._obj = self._new(raw_deflate=True)
                return self.feed(data, limit)
            raise BadEncoding(f"corrupt {self._coding} body") from None
        self._first_try = False
        if self._coding == "gzip" and self._obj.eof and self._obj.unused_data:
            rest = self._obj.unused_data
            self._obj = self._new()
            return out + self.feed(rest, limit - len(out))
        return out

    def pending(self, limit: int) -> bytes:
        # Even with no unconsumed input zlib may hold inflated output back once max_length was hit.
        if self._obj.eof and not self._obj.unconsumed_tail:
            return b""
        return self.feed(b"", limit)

    def finish(self) -> None:
        if not self._obj.eof and not self._first_try:
            raise BadEncoding(f"truncated {self._coding} body")


def _decoder_for(content_encoding: str | None) -> list[_Decoder]:
    """Decoders in the order they must be applied (the reverse of the header's order)."""
    codings = [c.strip().lower() for c in (content_encoding or "").split(",") if c.strip()]
    decoders: list[_Decoder] = []
    for coding in reversed(codings):
        if coding in ("identity",):
            continue
        if coding in ("gzip", "x-gzip"):
            decoders.append(_Zlib("gzip"))
        elif coding == "deflate":
            decoders.append(_Zlib("deflate"))
        else:
            raise BadEncoding(f"unsupported content encoding {coding!r}")
    return decoders or [_Identity()]


def read_limited(chunks: Iterable[bytes], content_encoding: str | None, max_bytes: int) -> bytes:
    """Join the decoded body from raw ``chunks``; raise ``BodyTooLarge`` past ``max_bytes``."""
    decoders = _decoder_for(content_encoding)
    budget = _Budget(max_bytes)
    parts: list[bytes] = []
    for piece in _decode_stream(chunks, decoders, budget.allowance):
        budget.used += len(piece)
        if budget.used > max_bytes:
            raise BodyTooLarge(f"response larger than {max_bytes} bytes")
        parts.append(piece)
    return b"".join(parts)


class _Budget:
    """Decoded bytes so far; each decoding step may produce one byte more than what is left, which
    is enough to notice the limit was crossed without ever holding more than ``max_bytes + 1``."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.used = 0

    def allowance(self) -> int:
        return self.max_bytes - self.used + 1


def _decode_stream(
    chunks: Iterable[bytes], decoders: list[_Decoder], allowance: _Allowance
) -> Iterator[bytes]:
    for chunk in chunks:
        yield from _through(decoders, chunk, allowance)
    for decoder in decoders:
        decoder.finish()


def _through(decoders: list[_Decoder], data: bytes, allowance: _Allowance) -> Iterator[bytes]:
    """Push ``data`` through the decoder chain, draining each stage in pieces no larger than allowed."""
    if not decoders:
        if data:
            yield data
        return
    head, rest = decoders[0], decoders[1:]
    out = head.feed(data, allowance())
    while out:
        yield from _through(rest, out, allowance)
        if allowance() <= 0:
            return
        out = head.pending(allowance())


def read_prefix(chunks: Iterable[bytes], content_encoding: str | None, max_bytes: int) -> tuple[bytes, bool]:
    """The first ``max_bytes`` of the decoded body, and whether the body went on past them.

    Reading stops there: the rest is neither downloaded further nor inflated.
    """
    decoders = _decoder_for(content_encoding)
    budget = _Budget(max_bytes)
    parts: list[bytes] = []
    for piece in _decode_stream(chunks, decoders, budget.allowance):
        budget.used += len(piece)
        parts.append(piece)
        if budget.used > max_bytes:
            return b"".join(parts)[:max_bytes], True
    return b"".join(parts), False
