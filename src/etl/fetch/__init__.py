"""Fetch stage: the only part of the ETL that touches the network.

Polite (robots.txt, per-host delay, one request at a time per host), bounded (timeouts, retries,
size and redirect limits) and honest about failures: ``Fetcher.fetch`` returns a ``FetchResult``
instead of raising. Raw bytes are kept in a content-addressed ``RawArchive`` for re-parsing, and
``fetch_conditionally`` re-reads them for a page that answered 304.
"""

from etl.fetch.archive import ArchiveCorrupt, RawArchive
from etl.fetch.conditional import fetch_conditionally
from etl.fetch.config import DEFAULT_USER_AGENT, FetchConfig
from etl.fetch.decoding import Decoded, Undecodable, decode_html
from etl.fetch.fetcher import Fetcher
from etl.fetch.politeness import SharedTurns

__all__ = [
    "DEFAULT_USER_AGENT",
    "ArchiveCorrupt",
    "Decoded",
    "FetchConfig",
    "Fetcher",
    "RawArchive",
    "SharedTurns",
    "Undecodable",
    "decode_html",
    "fetch_conditionally",
]
