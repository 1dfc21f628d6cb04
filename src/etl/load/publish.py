"""The analyst copy: a snapshot of the working warehouse that analysts open instead of it.

The pipeline writes its own file; analysts read `<name>_analyst.duckdb` next to it. A reader on the
working file would hold DuckDB's lock and make the next run wait; a reader on the copy holds only
the copy. Each publish writes a new file beside the copy and renames it over the copy (`os.replace`,
atomic on one file system): a reader sees the old snapshot or the new one, never half of one, and a
reader that keeps its connection open keeps reading the old snapshot (Linux keeps the replaced file
alive while it is open) until it reconnects. Nothing an analyst does to the copy blocks a run.

The copy is written in the storage format of DuckDB 1.1 (`PUBLISHED_STORAGE_VERSION`), which DuckDB
1.1 and every later client can open, whereas a file written by DuckDB 2 in its own format needs
DuckDB 2. Tables, views, macros and comments are all copied (`COPY FROM DATABASE`).
"""

from __future__ import annotations

import contextlib
import glob
import os
from pathlib import Path

import duckdb

from etl.load.connection import (
    DEFAULT_LOCK_WAIT_SECONDS,
    WarehouseUnwritable,
    _storage_trouble,
    open_waiting,
)

# The oldest DuckDB storage format that holds everything the warehouse uses; DuckDB 1.1 and later
# open it.
PUBLISHED_STORAGE_VERSION = "v1.1.0"
ANALYST_SUFFIX = "_analyst"


def analyst_path_for(db_path: Path | str) -> Path:
    """Where the analyst copy of a working warehouse goes: `peoples_daily.duckdb` ->
    `peoples_daily_analyst.duckdb`, in the same directory."""
    path = Path(db_path)
    return path.with_name(f"{path.stem}{ANALYST_SUFFIX}{path.suffix}")


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError):
        path.unlink()


def publish(
    db_path: Path | str,
    analyst_path: Path | str | None = None,
    *,
    wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS,
) -> Path:
    """Write a snapshot of the warehouse at `db_path` to `analyst_path` (default: `analyst_path_for`)
    atomically, and return that path.

    The working file is attached read-only, waiting up to `wait_seconds` for a process holding it
    for writing; the copy is written to a temporary file in the target's directory, synced, and
    renamed over the target. A failure leaves the previous copy in place and no temporary file.
    The caller holds the warehouse's run lock (`run_lock`), so that two publishes never interleave."""
    source = Path(db_path)
    target = Path(analyst_path) if analyst_path is not None else analyst_path_for(source)
    if source.resolve() == target.resolve():
        raise ValueError(f"the analyst copy cannot be the working warehouse itself: {target}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WarehouseUnwritable(f"analyst copy {target} cannot be written: {exc}") from exc
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    # Callers hold the run lock (runs, `etl publish`), so no other publish is under way: a temporary
    # file still here is what a killed publish left behind.
    for leftover in target.parent.glob(f".{glob.escape(target.name)}.*.tmp*"):
        _remove(leftover)
    con = duckdb.connect()  # in memory: it only attaches the two files
    try:
        open_waiting(
            source,
            lambda: con.execute(f"ATTACH {_sql_string(str(source))} AS working (READ_ONLY)"),
            wait_seconds,
        )
        con.execute(
            f"ATTACH {_sql_string(str(temporary))} AS published "
            f"(STORAGE_VERSION {_sql_string(PUBLISHED_STORAGE_VERSION)})"
        )
        con.execute("COPY FROM DATABASE working TO published")
        con.execute("DETACH published")
        con.execute("DETACH working")
        con.close()
        with open(temporary, "rb") as handle:
            os.fsync(handle.fileno())
        # A write-ahead log left by a reader that opened the old copy read-write belongs to the old
        # file: replayed onto the new one it would corrupt it.
        _remove(Path(f"{target}.wal"))
        os.replace(temporary, target)
        directory = os.open(target.parent, os.O_RDONLY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
    except (duckdb.Error, OSError) as exc:
        if _storage_trouble(target, exc) is not None:
            raise WarehouseUnwritable(f"analyst copy {target} cannot be written: {exc}") from exc
        raise
    finally:
        con.close()
        for leftover in (temporary, Path(f"{temporary}.wal")):
            _remove(leftover)
    return target
