"""Backfill days: which issue days a backfill has finished, so that a restarted backfill does each
day once (warehouse table `backfill_days`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

from etl.load.connection import connect, has_table, transaction, utc_now
from etl.load.migrations import migrate


class DayOutcome(StrEnum):
    LOADED = "loaded"  # every page of the day loaded
    NOT_SERVED = "not_served"  # every 版面 of the day answered 404 / "not found": nothing to load


def finished_days(db_path: Path | str, start: dt.date, end: dt.date) -> dict[dt.date, DayOutcome]:
    """The days from `start` to `end` (inclusive) a backfill has finished, with their outcome."""
    path = Path(db_path)
    if not path.exists():
        return {}
    with connect(path, read_only=True) as con:
        if not has_table(con, "backfill_days"):
            return {}
        rows = con.execute(
            "SELECT day, outcome FROM backfill_days WHERE day BETWEEN ? AND ?", [start, end]
        ).fetchall()
    return {day: DayOutcome(outcome) for day, outcome in rows}


def record_day(
    db_path: Path | str,
    day: dt.date,
    outcome: DayOutcome,
    run_id: str,
    message: str | None = None,
    resolve_urls: Sequence[str] = (),
) -> None:
    """Mark `day` finished. A day not served also closes its open 版面 failures (`resolve_urls`):
    the site no longer has that issue, so no later run should ask for it again."""
    with connect(db_path) as con:
        migrate(con)
        with transaction(con):
            con.execute(
                "INSERT INTO backfill_days (day, outcome, run_id, finished_at, message) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (day) DO UPDATE SET outcome = EXCLUDED.outcome, "
                "run_id = EXCLUDED.run_id, finished_at = EXCLUDED.finished_at, message = EXCLUDED.message",
                [day, str(outcome), run_id, utc_now(), message],
            )
            if resolve_urls:
                con.execute(
                    "UPDATE failures SET resolved_at = ? WHERE resolved_at IS NULL AND url IN "
                    "(SELECT unnest(?::VARCHAR[]))",
                    [utc_now(), list(resolve_urls)],
                )


def forget_days(db_path: Path | str, start: dt.date, end: dt.date) -> int:
    """Forget the finished days from `start` to `end`, so that a backfill does them again (--redo)."""
    path = Path(db_path)
    if not path.exists():
        return 0
    with connect(path) as con:
        migrate(con)
        with transaction(con):
            n = con.execute(
                "SELECT count(*) FROM backfill_days WHERE day BETWEEN ? AND ?", [start, end]
            ).fetchall()[0][0]
            con.execute("DELETE FROM backfill_days WHERE day BETWEEN ? AND ?", [start, end])
    return int(n)
