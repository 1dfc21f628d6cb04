"""Opening the warehouse: the per-operation connection, the run lock, transactions, and how storage
trouble is told apart from a bad statement.

Connections are opened per operation and closed straight away: DuckDB lets only one process hold a
read-write handle, and analysts should be able to open the file between two batches of a run.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import logging
import os
import re
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import duckdb

from etl.models import LOCK_WAIT_SECONDS
from etl.outcome import InfrastructureError

log = logging.getLogger("etl.load")

Opened = TypeVar("Opened")

# How long a run waits for another process to release the warehouse before giving up: the run
# options' default (etl.models holds it, below both the loader and the run options).
DEFAULT_LOCK_WAIT_SECONDS = LOCK_WAIT_SECONDS


class WarehouseBusy(RuntimeError):
    """Another process holds the DuckDB file (a second run, or an analyst's read-write session)."""


class WarehouseUnwritable(InfrastructureError):
    """The warehouse file cannot be opened or written: disk full, read-only file system, permissions."""


# What DuckDB says (as text: it raises IOException on open but TransactionException on a failed
# commit) when the storage under the warehouse fails, as opposed to a bug in a statement.
_STORAGE_TROUBLE = (
    "no space left on device",
    "read-only file system",
    "permission denied",
    "disk quota exceeded",
    "file too large",
    "could not write file",
    "cannot open file",
    "could not truncate file",
    "could not fsync",
    "database has been invalidated",
)


def _storage_trouble(path: Path, exc: BaseException) -> WarehouseUnwritable | None:
    text = " ".join(str(exc).split())
    if isinstance(exc, OSError) or any(marker in text.lower() for marker in _STORAGE_TROUBLE):
        return WarehouseUnwritable(f"warehouse {path} cannot be written: {text}")
    return None


def _is_lock_error(exc: duckdb.Error) -> bool:
    text = str(exc).lower()
    return "lock" in text and ("conflicting" in text or "could not set" in text)


# DuckDB names the holder of its file lock: 'Conflicting lock is held in /usr/bin/python3 (PID 1234)'.
_LOCK_HOLDER_PID = re.compile(r"\(PID (\d+)\)")
_LOCK_HOLDER_PROGRAM = re.compile(r"held in (.+?) \(PID \d+\)")


def lock_holder(message: str) -> str | None:
    """Who holds the DuckDB file, from DuckDB's lock error: "PID 1234 (python -m etl …)", the command
    line read from /proc when this process may read it, else the program DuckDB names; None when
    the message names no PID."""
    m = _LOCK_HOLDER_PID.search(message)
    if m is None:
        return None
    pid = m.group(1)
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        raw = b""
    # One line whatever the arguments hold (a `python -c` script spans several).
    command = " ".join(raw.replace(b"\0", b" ").decode("utf-8", "replace").split())
    if not command and (program := _LOCK_HOLDER_PROGRAM.search(message)):
        command = program.group(1)
    if len(command) > 200:
        command = command[:199] + "…"
    return f"PID {pid} ({command})" if command else f"PID {pid}"


def open_waiting(path: Path, opener: Callable[[], Opened], wait_seconds: float) -> Opened:
    """`opener()` (an open or ATTACH of the warehouse file), tried again every half second while
    another process holds DuckDB's lock on `path`, up to `wait_seconds`; then WarehouseBusy naming
    the holder. Storage trouble is raised as WarehouseUnwritable."""
    deadline = time.monotonic() + wait_seconds
    told: str | None = None
    while True:
        try:
            return opener()
        except duckdb.Error as exc:  # IOException when another process holds the file
            if not _is_lock_error(exc):
                if (trouble := _storage_trouble(path, exc)) is not None:
                    raise trouble from exc
                raise
            holder = lock_holder(str(exc)) or "another process"
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"warehouse busy: {path} held by {holder}; waited {wait_seconds:g} s "
                    "(analysts open the published copy, see `etl publish`; a run waits longer "
                    "with --lock-wait)"
                ) from exc
            if told != holder:
                log.warning("warehouse %s is held by %s; waiting up to %g s", path, holder, wait_seconds)
                told = holder
            time.sleep(0.5)


@contextmanager
def connect(
    db_path: Path | str, *, read_only: bool = False, wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS
) -> Iterator[duckdb.DuckDBPyConnection]:
    """Open the warehouse, waiting up to `wait_seconds` while another process holds DuckDB's lock on
    the file (a run's `--lock-wait`), and saying who holds it.

    Every connection works in UTC (`SET TimeZone = 'UTC'`): TIMESTAMPTZ values come back as aware
    UTC datetimes and a naive datetime given as a parameter is read as UTC, whatever the machine's
    zone."""
    path = Path(db_path)
    if not read_only:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise WarehouseUnwritable(f"warehouse {path} cannot be written: {exc}") from exc
    con = open_waiting(path, lambda: duckdb.connect(str(path), read_only=read_only), wait_seconds)
    try:
        con.execute("SET TimeZone = 'UTC'")
        yield con
    except (duckdb.Error, OSError) as exc:
        if (trouble := _storage_trouble(path, exc)) is not None:
            raise trouble from exc
        raise
    finally:
        con.close()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    con.begin()
    try:
        yield con
    except BaseException:
        con.rollback()
        raise
    con.commit()


@contextmanager
def run_lock(db_path: Path | str, *, wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS) -> Iterator[None]:
    """Hold `<db>.lock` for a whole run, so a second run on the same warehouse waits, then gives up
    with a clear message, instead of interleaving its batches with ours.

    The lock sits next to the file the path resolves to: a run reaching the warehouse through a
    symlink, a relative path or `..` takes the same lock as one naming it directly. It is opened
    read-only (flock needs no more), so holding it never keeps the disk from being remounted."""
    lock_path = Path(f"{Path(db_path).resolve()}.lock")
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(os.open(lock_path, os.O_RDONLY | os.O_CREAT, 0o644), "rb") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise WarehouseBusy(
                        f"another run holds {lock_path}; waited {wait_seconds:.0f} s. "
                        "Wait for it to finish or pass a longer --lock-wait."
                    ) from None
                time.sleep(0.5)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def utc_now() -> dt.datetime:
    """Now, as an aware UTC datetime (the warehouse's times are TIMESTAMPTZ)."""
    return dt.datetime.now(dt.UTC)


def scalar(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()) -> Any:
    # fetchall, not fetchone: DuckDB refuses further work on a connection with an unfinished result.
    return con.execute(sql, list(params)).fetchall()[0][0]


def has_table(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    """Whether the warehouse has this table or view yet (a lookup before the first run finds none)."""
    return bool(scalar(con, "SELECT count(*) FROM information_schema.tables WHERE table_name = ?", [name]))


def has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    """Whether `table` has `column` yet (a read-only lookup does not migrate the warehouse)."""
    return bool(
        scalar(
            con,
            "SELECT count(*) FROM information_schema.columns WHERE table_name = ? AND column_name = ?",
            [table, column],
        )
    )
