"""Failures: how a failure row is upserted, URLs pending for an ingest run, and which open failures
the next runs retry.

Whether a failure is worth retrying is decided where it happens and stored in `failures.retry`
(`Retry`): this module only applies the limits to it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from etl.load.connection import (
    DEFAULT_LOCK_WAIT_SECONDS,
    connect,
    has_column,
    has_table,
    transaction,
    utc_now,
)
from etl.load.rows import failure_row, last_by, staging
from etl.models import HOST_NOT_ALLOWED, NOT_FOUND_STATUSES, Failure, FailureStage, Retry
from etl.urls import host_of, ref_for_url

# The stage of a URL named to a run that the run has not dealt with yet. If the run is killed, the
# row stays open and the next run retries the URL; otherwise loading the URL removes it, or its
# real failure replaces it.
PENDING_STAGE = FailureStage.PENDING
PENDING_REASON = "named for ingest, not reached yet (the run stopped early)"

# A page that answered 404/410 (`Retry.GONE`) may still appear (an issue published late), so the
# next runs try it again, but only this many times in all; then it waits in `etl failures` for a person.
MAX_RUNS_WHEN_GONE = 3
# Any other failure (`Retry.TRANSIENT`) is retried by the runs that follow, up to this many times in all.
MAX_RUNS_PER_FAILURE = 10
# The HTTP statuses that make a failure `Retry.GONE` (where a fetch becomes a failure, etl.compose).
GONE_STATUSES = tuple(sorted(NOT_FOUND_STATUSES))

# A failure of the same URL again counts up while the row is open, and starts afresh once resolved.
UPSERT_FAILURES = """
INSERT INTO failures BY NAME SELECT * FROM stage_failures
ON CONFLICT (url) DO UPDATE SET
    kind = COALESCE(EXCLUDED.kind, failures.kind),
    stage = EXCLUDED.stage,
    reason = EXCLUDED.reason,
    http_status = EXCLUDED.http_status,
    attempts = EXCLUDED.attempts,
    failure_count = CASE WHEN failures.resolved_at IS NULL THEN failures.failure_count + 1 ELSE 1 END,
    first_failed_at = CASE WHEN failures.resolved_at IS NULL THEN failures.first_failed_at
                           ELSE EXCLUDED.first_failed_at END,
    last_failed_at = EXCLUDED.last_failed_at,
    resolved_at = NULL,
    run_id = EXCLUDED.run_id,
    source_key = EXCLUDED.source_key,
    retry = EXCLUDED.retry
"""

# Only over a resolved row (or none): an open failure already keeps the URL for the next runs and
# says why it failed. failure_count 0: no run has failed on the URL yet.
_UPSERT_PENDING = """
INSERT INTO failures BY NAME SELECT * FROM stage_pending
ON CONFLICT (url) DO UPDATE SET
    kind = EXCLUDED.kind,
    stage = EXCLUDED.stage,
    reason = EXCLUDED.reason,
    http_status = NULL,
    attempts = 0,
    failure_count = 0,
    first_failed_at = EXCLUDED.first_failed_at,
    last_failed_at = EXCLUDED.last_failed_at,
    resolved_at = NULL,
    run_id = EXCLUDED.run_id,
    source_key = EXCLUDED.source_key,
    retry = EXCLUDED.retry
WHERE failures.resolved_at IS NOT NULL
"""


def record_pending(
    db_path: Path | str,
    run_id: str,
    urls: Sequence[str],
    *,
    wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS,
) -> None:
    """Remember every URL a run was asked for, in one transaction before it fetches any, so that a
    run killed half-way leaves the URLs it did not reach in `etl failures` for the next run."""
    if not urls:
        return
    now = utc_now()
    rows = last_by(
        (
            failure_row(
                Failure(u, PENDING_STAGE, PENDING_REASON, kind=ref_for_url(u).kind),
                run_id,
                now,
                failure_count=0,
            )
            for u in urls
        ),
        lambda r: r["url"],
    )
    with connect(db_path, wait_seconds=wait_seconds) as con, transaction(con):
        con.register("stage_pending", staging(con, "failures", rows))
        con.execute(_UPSERT_PENDING)


@dataclass(frozen=True, slots=True)
class OpenFailure:
    url: str
    kind: str | None
    stage: str
    reason: str
    http_status: int | None
    attempts: int | None
    failure_count: int
    last_failed_at: dt.datetime
    retry: Retry = Retry.TRANSIENT

    @property
    def retryable(self) -> bool:
        if self.retry is Retry.NEVER:
            return False
        limit = MAX_RUNS_WHEN_GONE if self.retry is Retry.GONE else MAX_RUNS_PER_FAILURE
        return self.failure_count < limit


def open_failures(
    db_path: Path | str,
    *,
    kinds: Sequence[str] | None = None,
    retryable_only: bool = False,
    limit: int | None = None,
    wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS,
) -> list[OpenFailure]:
    """Failures not resolved yet, oldest first (by when they last failed). With `retryable_only`,
    those a run should try again by itself: gone pages (404/410) a few times only, everything else
    up to a limit, never those that cannot load by themselves. With `limit`, at most that many."""
    path = Path(db_path)
    if not path.exists():
        return []
    with connect(path, read_only=True, wait_seconds=wait_seconds) as con:
        if not has_table(con, "failures"):
            return []
        migrated = has_column(con, "failures", "retry")
        rows = con.execute(
            "SELECT url, kind, stage, reason, http_status, attempts, failure_count, last_failed_at, "
            f"{'retry' if migrated else 'NULL'} "
            "FROM failures WHERE resolved_at IS NULL ORDER BY last_failed_at, url"
        ).fetchall()
    found = [
        OpenFailure(
            url,
            kind,
            stage,
            reason,
            http_status,
            attempts,
            failure_count,
            last_failed_at,
            Retry(retry) if migrated else _retry_before_migration(url, reason, http_status),
        )
        for url, kind, stage, reason, http_status, attempts, failure_count, last_failed_at, retry in rows
    ]
    if kinds is not None:
        found = [f for f in found if f.kind in kinds]
    if retryable_only:
        found = [f for f in found if f.retryable]
    return found if limit is None else found[: max(limit, 0)]


def _retry_before_migration(url: str, reason: str, http_status: int | None) -> Retry:
    """The retry meaning of a row in a warehouse that no run has migrated to 006 yet (`etl failures`
    reads without migrating), as warehouse/migrations/006_failure_retry.sql sets it on migrating."""
    if reason == f"{HOST_NOT_ALLOWED}: {host_of(url)}":
        return Retry.NEVER
    return Retry.GONE if http_status in GONE_STATUSES else Retry.TRANSIENT


@dataclass(frozen=True, slots=True)
class FailureMatch:
    """Which open failures an operator means: every given criterion must hold; none given, all."""

    url: str | None = None
    host: str | None = None
    day: dt.date | None = None  # the issue day in the URL (e-paper and portal URLs carry one)

    def matches(self, url: str) -> bool:
        if self.url is not None and url != self.url:
            return False
        if self.host is not None and host_of(url) != self.host.lower().rstrip("."):
            return False
        return self.day is None or ref_for_url(url).issue_date == self.day


def matching_failures(db_path: Path | str, match: FailureMatch) -> list[OpenFailure]:
    """The open failures `match` selects, oldest first."""
    return [f for f in open_failures(db_path) if match.matches(f.url)]


def resolve_failures(db_path: Path | str, match: FailureMatch) -> int:
    """Mark the open failures `match` selects as resolved, in one transaction; how many there were.
    The rows stay (with `resolved_at`), so a later failure of the URL counts from one again."""
    urls = [f.url for f in matching_failures(db_path, match)]
    if not urls:
        return 0
    with connect(db_path) as con, transaction(con):
        con.execute(
            "UPDATE failures SET resolved_at = ? WHERE resolved_at IS NULL AND url IN "
            "(SELECT unnest(?::VARCHAR[]))",
            [utc_now(), urls],
        )
    return len(urls)
