"""Runs: the `runs` row a flow starts and finishes, its counters, and lookups over past runs and
loaded articles."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from etl.load.connection import DEFAULT_LOCK_WAIT_SECONDS, connect, has_table, scalar, transaction, utc_now
from etl.load.migrations import migrate

# The counters a run records, in the order the run summary shows them: each is a column of `runs`.
RUN_COUNTERS = (
    "pages_fetched",
    "pages_not_modified",
    "articles_loaded",
    "articles_unchanged",
    "pages_skipped_unchanged",
    "images_loaded",
    "indicators_loaded",
    "failures",
    "retried",
    "retry_failures",
)


def start_run(
    db_path: Path | str,
    run_id: str,
    flow: str,
    params: dict[str, Any],
    scope: str | None = None,
    *,
    wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS,
) -> None:
    """Record a run as running; `scope` says what it is for (an issue day, a since day, N URLs)."""
    with connect(db_path, wait_seconds=wait_seconds) as con:
        migrate(con)
        with transaction(con):
            # A run that never finished was killed; say so rather than leave it "running" forever.
            con.execute(
                "UPDATE runs SET status = 'aborted' WHERE status = 'running' AND run_id <> ?", [run_id]
            )
            con.execute(
                "INSERT INTO runs (run_id, flow, params, started_at, status, scope) "
                "VALUES (?, ?, ?, ?, 'running', ?) ON CONFLICT (run_id) DO NOTHING",
                [run_id, flow, json.dumps(params, ensure_ascii=False, default=str), utc_now(), scope],
            )


def finish_run(
    db_path: Path | str,
    run_id: str,
    status: str,
    counts: Mapping[str, int],
    message: str | None = None,
    *,
    wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS,
) -> None:
    unknown = set(counts) - set(RUN_COUNTERS)
    if unknown:
        raise ValueError(f"unknown run counters: {sorted(unknown)}")
    assignments = [f"{name} = ?" for name in counts]  # names checked above, values bound
    sets = ", ".join(["status = ?", "finished_at = ?", "message = ?", *assignments])
    with connect(db_path, wait_seconds=wait_seconds) as con:
        con.execute(
            f"UPDATE runs SET {sets} WHERE run_id = ?", [status, utc_now(), message, *counts.values(), run_id]
        )


def last_run_started(
    db_path: Path | str, flow: str, statuses: Sequence[str] = ("ok", "partial")
) -> dt.datetime | None:
    """When the latest run of `flow` that finished with one of `statuses` started (UTC, aware)."""
    path = Path(db_path)
    if not path.exists():
        return None
    with connect(path, read_only=True) as con:
        if not has_table(con, "runs"):
            return None
        marks = ", ".join("?" for _ in statuses)
        started = scalar(
            con, f"SELECT max(started_at) FROM runs WHERE flow = ? AND status IN ({marks})", [flow, *statuses]
        )
    if not isinstance(started, dt.datetime):
        return None
    # TIMESTAMPTZ since migration 008; a warehouse not migrated yet holds naive UTC.
    return started.replace(tzinfo=dt.UTC) if started.tzinfo is None else started.astimezone(dt.UTC)


def template_use(db_path: Path | str) -> list[tuple[str, str, int, dt.datetime, str]]:
    """(host, template, articles, last loaded, latest URL) from v_template_use, generic first."""
    path = Path(db_path)
    if not path.exists():
        return []
    with connect(path, read_only=True) as con:
        if not has_table(con, "v_template_use"):
            return []
        rows = con.execute(
            "SELECT host, template, articles, last_loaded, latest_url FROM v_template_use "
            "ORDER BY template <> 'generic', host, template"
        ).fetchall()
    return [(h, t, n, last, url) for h, t, n, last, url in rows]
