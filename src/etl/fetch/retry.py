"""When to try again and how long to wait first."""

from __future__ import annotations

import datetime as dt
import random
from email.utils import parsedate_to_datetime

RETRYABLE_STATUSES = frozenset({408, 425, 429})


def is_retryable_status(status: int) -> bool:
    """429 (and the two other "try later" 4xx) and every 5xx are worth another attempt."""
    return status in RETRYABLE_STATUSES or 500 <= status <= 599


def backoff_delay(attempt: int, base: float, cap: float, jitter: float, rng: random.Random) -> float:
    """Exponential backoff after failed attempt number ``attempt`` (1-based), with jitter, capped."""
    exponential = min(cap, base * 2.0 ** (attempt - 1))
    return min(cap, exponential + rng.uniform(0.0, jitter * exponential))


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds asked for by a Retry-After header (delta-seconds or HTTP-date); None if absent or bad."""
    if value is None or not value.strip():
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # HTTP dates are GMT by definition
        when = when.replace(tzinfo=dt.UTC)
    now = now or dt.datetime.now(dt.UTC)
    return max(0.0, (when - now).total_seconds())
