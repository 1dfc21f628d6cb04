"""Content-addressed store of the raw bytes of every fetched page.

Keeping the exact bytes lets any page be re-parsed after a parser fix without touching the network.
Files are named only by the sha256 of their content, so a URL can never steer a path.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import tempfile
from pathlib import Path

_SHA256_HEX = re.compile(r"[0-9a-f]{64}")


class RawArchive:
    """Raw bytes stored gzip-compressed at ``root/ab/cd/<sha256>.gz``."""

    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path_for(self, sha256: str) -> Path:
        if not _SHA256_HEX.fullmatch(sha256):
            raise ValueError(f"not a sha256 hex digest: {sha256!r}")
        return self.root / sha256[:2] / sha256[2:4] / f"{sha256}.gz"

    def put(self, raw: bytes) -> str:
        """Store ``raw`` (idempotent) and return its sha256 hex digest."""
        sha256 = hashlib.sha256(raw).hexdigest()
        path = self.path_for(sha256)
        if path.exists():
            return sha256
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
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
        return sha256

    def get(self, sha256: str) -> bytes:
        """The stored bytes; raises ``KeyError`` if absent and ``ValueError`` if the file is corrupt."""
        path = self.path_for(sha256)
        try:
            raw = gzip.decompress(path.read_bytes())
        except FileNotFoundError:
            raise KeyError(sha256) from None
        if hashlib.sha256(raw).hexdigest() != sha256:
            raise ValueError(f"archived content does not match its hash: {path}")
        return raw

    def has(self, sha256: str) -> bool:
        return self.path_for(sha256).exists()
