"""Load: the only package that touches DuckDB.

    connection   connect, run_lock, transaction; WarehouseBusy / WarehouseUnwritable
    migrations   migration_files, migrate, ensure_schema; SchemaMissing
    rows         one column map per table: how each row is built, and the article content hash
    batch        load_batch (one transaction per batch), suspicious changes, validators_for,
                 loaded_sources (what stored articles were read from)
    runs         start_run, finish_run and RUN_COUNTERS, last_run_started, template_use
    publish      publish, analyst_path_for: the analyst copy, written atomically in DuckDB 1.1 format
    docs         warehouse/README.md from the database's own comments (python -m etl.load.docs)
    failures     record_pending, open_failures / OpenFailure and the retry limits
    export       export_warehouse: tables and views as Parquet or CSV files (etl export)
    report_data  report_data: what the analyst report shows, as etl.report_records (etl report)
    failures     record_pending, open_failures / OpenFailure and the retry limits; matching_failures
                 / resolve_failures for what an operator selects (FailureMatch)
    backfill     finished_days, record_day, forget_days: the days a backfill has done (DayOutcome)
    archived     archived_pages (what `etl reprocess` reads again), replace_articles, the
                 reprocess counters of a run

Callers use the names below (`from etl import load; load.load_batch(...)`).
"""

from etl.load.archived import (
    REPROCESS_COUNTERS,
    ArchivedSelection,
    ReplaceCounts,
    RewrittenArticle,
    archived_pages,
    record_reprocess_counts,
    replace_articles,
)
from etl.load.backfill import DayOutcome, finished_days, forget_days, record_day
from etl.load.batch import LoadCounts, load_batch, loaded_sources, validators_for
from etl.load.connection import (
    DEFAULT_LOCK_WAIT_SECONDS,
    WarehouseBusy,
    WarehouseUnwritable,
    connect,
    lock_holder,
    run_lock,
    transaction,
)
from etl.load.failures import (
    GONE_STATUSES,
    MAX_RUNS_PER_FAILURE,
    MAX_RUNS_WHEN_GONE,
    PENDING_REASON,
    PENDING_STAGE,
    FailureMatch,
    OpenFailure,
    matching_failures,
    open_failures,
    record_pending,
    resolve_failures,
)
from etl.load.migrations import WAREHOUSE_SQL_DIR, SchemaMissing, ensure_schema, migrate, migration_files
from etl.load.publish import PUBLISHED_STORAGE_VERSION, analyst_path_for, publish
from etl.load.rows import article_id_for, content_hash, indicator_id_for
from etl.load.runs import RUN_COUNTERS, finish_run, last_run_started, start_run, template_use

__all__ = [
    "DEFAULT_LOCK_WAIT_SECONDS",
    "GONE_STATUSES",
    "MAX_RUNS_PER_FAILURE",
    "MAX_RUNS_WHEN_GONE",
    "PENDING_REASON",
    "PENDING_STAGE",
    "PUBLISHED_STORAGE_VERSION",
    "REPROCESS_COUNTERS",
    "RUN_COUNTERS",
    "WAREHOUSE_SQL_DIR",
    "ArchivedSelection",
    "DayOutcome",
    "FailureMatch",
    "LoadCounts",
    "OpenFailure",
    "ReplaceCounts",
    "RewrittenArticle",
    "SchemaMissing",
    "WarehouseBusy",
    "WarehouseUnwritable",
    "analyst_path_for",
    "archived_pages",
    "article_id_for",
    "connect",
    "content_hash",
    "ensure_schema",
    "finish_run",
    "finished_days",
    "forget_days",
    "indicator_id_for",
    "last_run_started",
    "load_batch",
    "loaded_sources",
    "lock_holder",
    "matching_failures",
    "migrate",
    "migration_files",
    "open_failures",
    "publish",
    "record_day",
    "record_pending",
    "record_reprocess_counts",
    "replace_articles",
    "resolve_failures",
    "run_lock",
    "start_run",
    "template_use",
    "transaction",
    "validators_for",
]
