"""Content-addressed store of the raw bytes of every fetched page.

Keeping the exact bytes lets any page be re-parsed after a parser fix without touching the network.
Files are named only by the sha256 of their content, so a URL can never steer a path.

An entry is only trusted when it verifies: the gzip stream is complete and its content hashes to
the name. A damaged entry (truncated, bit-flipped, emptied by a full disk) counts as missing: ``has``
says no, so no conditional GET relies on it, and the next ``put`` of that content replaces it.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import os
import re
import tempfile
import zlib
from pathlib import Path

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")

logger = logging.getLogger("etl.fetch")


class ArchiveCorrupt(ValueError):
    """An archive entry exists but cannot be read back as the content its name promises."""


def _verified(path: Path, sha256: str) -> bytes:
    """The content stored at ``path``; ``FileNotFoundError`` if absent, ``ArchiveCorrupt`` if damaged."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise
    except OSError as exc:  # a directory or an unreadable file under the entry's name
        raise ArchiveCorrupt(f"archived copy is unreadable ({type(exc).__name__}): {path}") from None
    if not data:  # gzip.decompress(b"") is b"", which would only fail the hash check below
        raise ArchiveCorrupt(f"archived copy is damaged (empty file): {path}")
    try:
        raw = gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
        raise ArchiveCorrupt(f"archived copy is damaged ({type(exc).__name__}: {exc}): {path}") from None
    if hashlib.sha256(raw).hexdigest() != sha256:
        raise ArchiveCorrupt(f"archived copy is damaged (content does not match its hash): {path}")
    return raw


class RawArchive:
    """Raw bytes stored gzip-compressed at ``root/ab/cd/<sha256>.gz``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        if not _SHA256_HEX.fullmatch(sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / f"{sha256}.gz"

    def put(self, raw: bytes) -> str:
        """Store ``raw`` and return its sha256 hex digest.

        An intact entry is kept as it is; a damaged one is replaced. The new file is verified before
        it takes the entry's name, so a failed write never leaves a bad entry behind.
        """
        sha256 = hashlib.sha256(raw).hexdigest()
        path = self.path_for(sha256)
        if path.exists():
            try:
                _verified(path, sha256)
                return sha256
            except (ArchiveCorrupt, FileNotFoundError) as exc:
                logger.warning("%s; writing it again", exc)
        path.parent.mkdir(parents=True, exist_ok=True)
        # Write to a temporary file in the same directory and rename, so a crash or a concurrent
        # writer never leaves a half-written file under the final name.
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".gz")
        try:
            with os.fdopen(fd, "wb") as tmp:
                # mtime=0 keeps the compressed file byte-identical for identical content.
                tmp.write(gzip.compress(raw, mtime=0))
                tmp.flush()
                os.fsync(tmp.fileno())
            _verified(Path(tmp_name), sha256)
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return sha256

    def get(self, sha256: str) -> bytes:
        """The stored bytes; raises ``KeyError`` if absent and ``ArchiveCorrupt`` if the entry is damaged."""
        path = self.path_for(sha256)
        try:
            return _verified(path, sha256)
        except FileNotFoundError:
            raise KeyError(sha256) from None

    def has(self, sha256: str) -> bool:
        """Whether an intact entry is stored: a damaged one counts as missing."""
        try:
            self.get(sha256)
        except (KeyError, ArchiveCorrupt):
            return False
        return True
