"""Load: the only package that touches DuckDB.

    connection   connect, run_lock, transaction; WarehouseBusy / WarehouseUnwritable
    migrations   migration_files, migrate, ensure_schema
    rows         one column map per table: how each row is built, and the article content hash
    batch        load_batch (one transaction per batch), suspicious changes, validators_for,
                 loaded_sources (what stored articles were read from)
    runs         start_run, finish_run and RUN_COUNTERS, last_run_started, template_use
    failures     record_pending, open_failures / OpenFailure and the retry limits

Callers use the names below (`from etl import load; load.load_batch(...)`).
"""

from etl.load.batch import LoadCounts, load_batch, loaded_sources, validators_for
from etl.load.connection import (
    DEFAULT_LOCK_WAIT_SECONDS,
    WarehouseBusy,
    WarehouseUnwritable,
    connect,
    run_lock,
    transaction,
)
from etl.load.failures import (
    GONE_STATUSES,
    MAX_RUNS_PER_FAILURE,
    MAX_RUNS_WHEN_GONE,
    PENDING_REASON,
    PENDING_STAGE,
    OpenFailure,
    open_failures,
    record_pending,
)
from etl.load.migrations import WAREHOUSE_SQL_DIR, ensure_schema, migrate, migration_files
from etl.load.rows import article_id_for, content_hash, indicator_id_for
from etl.load.runs import RUN_COUNTERS, finish_run, last_run_started, start_run, template_use

__all__ = [
    "DEFAULT_LOCK_WAIT_SECONDS",
    "GONE_STATUSES",
    "MAX_RUNS_PER_FAILURE",
    "MAX_RUNS_WHEN_GONE",
    "PENDING_REASON",
    "PENDING_STAGE",
    "RUN_COUNTERS",
    "WAREHOUSE_SQL_DIR",
    "LoadCounts",
    "OpenFailure",
    "WarehouseBusy",
    "WarehouseUnwritable",
    "article_id_for",
    "connect",
    "content_hash",
    "ensure_schema",
    "finish_run",
    "indicator_id_for",
    "last_run_started",
    "load_batch",
    "loaded_sources",
    "migrate",
    "migration_files",
    "open_failures",
    "record_pending",
    "run_lock",
    "start_run",
    "template_use",
    "transaction",
    "validators_for",
]
