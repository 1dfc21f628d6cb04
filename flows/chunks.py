"""Long URL lists as several ingest runs: Prefect refuses a flow run whose parameters, serialised as
JSON, exceed 512 KB (`PREFECT_SERVER_API_MAX_PARAMETER_SIZE`): some 8,000 portal URLs."""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence

from etl.config import RUN_DEFAULTS
from flows.common import RunSummary

PREFECT_MAX_PARAMETER_BYTES = 512 * 1024
# The URLs of one run take at most half the limit: the other parameters are small, and Prefect's
# own serialisation (compact separators) is never longer than the one measured here.
URLS_PER_RUN_BYTES = PREFECT_MAX_PARAMETER_BYTES // 2


# A long list loads in fewer, larger batches: when most of its pages answer at once (404s, a fast
# mirror) each batch's fixed cost (two task runs, a few warehouse connections) would dominate. A batch
# still holds at most MAX_BATCH_SIZE pages, so a killed run loses little work.
MAX_BATCHES_PER_RUN = 40
MAX_BATCH_SIZE = 100


def batch_size_for(url_count: int) -> int:
    return min(MAX_BATCH_SIZE, max(RUN_DEFAULTS.batch_size, math.ceil(url_count / MAX_BATCHES_PER_RUN)))


def chunk_urls(urls: Sequence[str], max_bytes: int = URLS_PER_RUN_BYTES) -> list[list[str]]:
    """Split `urls`, in order, into consecutive lists whose JSON each takes at most `max_bytes`."""
    chunks: list[list[str]] = []
    current: list[str] = []
    size = len("[]")
    for url in urls:
        cost = len(json.dumps(url).encode("utf-8"))
        if len("[]") + cost > max_bytes:
            raise ValueError(f"a URL of {len(url)} characters does not fit in one run's parameters")
        separator = len(", ") if current else 0
        if current and size + separator + cost > max_bytes:
            chunks.append(current)
            current, size, separator = [], len("[]"), 0
        current.append(url)
        size += separator + cost
    if current:
        chunks.append(current)
    return chunks


def combine_summaries(summaries: Sequence[RunSummary]) -> RunSummary:
    """One report for the runs of one command: counters added, failures (own and retried), limits and
    generic loads in order, the first message, and the worst status."""
    combined = RunSummary(
        run_id=",".join(s.run_id for s in summaries),
        flow=summaries[0].flow,
        scope="; ".join(s.scope for s in summaries if s.scope) or None,
    )
    for summary in summaries:
        combined.pages_fetched += summary.pages_fetched
        combined.pages_not_modified += summary.pages_not_modified
        combined.counts.add(summary.counts)
        combined.failures.extend(summary.failures)
        combined.older |= summary.older
        combined.retry_failures.extend(summary.retry_failures)
        combined.nothing_to_load = combined.nothing_to_load or summary.nothing_to_load
        combined.limits.extend(summary.limits)
        combined.generic.extend(summary.generic)
        combined.message = combined.message or summary.message
        combined.infrastructure_trouble = combined.infrastructure_trouble or summary.infrastructure_trouble
    statuses = {s.status for s in summaries}
    combined.status = next(
        (s for s in ("failed", "interrupted", "partial", "empty", "running") if s in statuses), "ok"
    )
    return combined


def ingest_in_chunks(
    urls: Sequence[str],
    run_one: Callable[[list[str], bool, int], RunSummary],
    max_bytes: int = URLS_PER_RUN_BYTES,
) -> RunSummary:
    """Ingest `urls` one run per chunk. `run_one(chunk, retry_failed, batch_size)` runs the flow; only
    the first run retries earlier failures, so the later ones do not fetch again what the first just
    failed."""
    if not urls:
        raise ValueError("no URLs to ingest")
    summaries = [
        run_one(chunk, i == 0, batch_size_for(len(chunk)))
        for i, chunk in enumerate(chunk_urls(urls, max_bytes))
    ]
    return combine_summaries(summaries)
