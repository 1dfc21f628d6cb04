"""Export: the warehouse's tables and main views as files any dataframe or lake tool reads.

Parquet goes one directory per table or view, Hive-partitioned by date (`articles/published_date=
2025-09-03/data_0.parquet`) where rows have one, else one file `name.parquet`; CSV goes one file per
table or view with a header. Rows without a date in a dated output land under `…=NULL`, which DuckDB,
Spark and pyarrow read back as a missing value.

The warehouse is opened read-only, so an export never changes it. Every output is written complete
into a scratch directory inside the destination and only then moved in: a file replaces the old one
in one rename, a partitioned directory in two (the old one moved aside, the new one in), so a reader
never sees half an output, and an export that fails leaves the outputs it had not reached as they
were.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import duckdb

from etl.load.connection import DEFAULT_LOCK_WAIT_SECONDS, connect, has_table, scalar


class ExportFormat(StrEnum):
    PARQUET = "parquet"
    CSV = "csv"


@dataclass(frozen=True, slots=True)
class Exported:
    """A table or view as it is exported: the rows (`select`, with the date column analysts filter
    and partition on, or None for undated rows, which are exported whole)."""

    name: str
    select: str
    date_column: str | None = None
    # The warehouse objects the rows are read from: an older warehouse without one skips the output.
    needs: tuple[str, ...] = ()


# Images and indicators carry no date of their own: they get their article's published_date, so
# every dated output partitions and filters the same way.
EXPORTED: tuple[Exported, ...] = (
    Exported("articles", "SELECT * FROM articles", "published_date", ("articles",)),
    Exported(
        "images",
        "SELECT t.*, a.published_date FROM images t JOIN articles a USING (article_id)",
        "published_date",
        ("images", "articles"),
    ),
    Exported(
        "indicators",
        "SELECT t.*, a.published_date FROM indicators t JOIN articles a USING (article_id)",
        "published_date",
        ("indicators", "articles"),
    ),
    Exported("layout_pages", "SELECT * FROM layout_pages", "issue_date", ("layout_pages",)),
    Exported("pages", "SELECT * FROM pages", None, ("pages",)),
    Exported("failures", "SELECT * FROM failures", None, ("failures",)),
    Exported("runs", "SELECT * FROM runs", None, ("runs",)),
    Exported("metric_synonyms", "SELECT * FROM metric_synonyms", None, ("metric_synonyms",)),
    Exported("v_indicators", "SELECT * FROM v_indicators", "published_date", ("v_indicators",)),
    Exported("v_captions", "SELECT * FROM v_captions", "published_date", ("v_captions",)),
    Exported("v_daily", "SELECT * FROM v_daily", "published_date", ("v_daily",)),
    Exported("v_indicator_series", "SELECT * FROM v_indicator_series", None, ("v_indicator_series",)),
    Exported("v_open_failures", "SELECT * FROM v_open_failures", None, ("v_open_failures",)),
)


@dataclass(frozen=True, slots=True)
class ExportResult:
    name: str
    path: Path
    rows: int


@dataclass(frozen=True, slots=True)
class ExportSummary:
    outputs: tuple[ExportResult, ...]
    skipped: tuple[str, ...]  # outputs the warehouse has no table or view for (an older schema)


def output_path(out_dir: Path, name: str, fmt: ExportFormat, dated: bool) -> Path:
    """Where an output lands: a partitioned directory, or one file."""
    if fmt is ExportFormat.PARQUET:
        return out_dir / name if dated else out_dir / f"{name}.parquet"
    return out_dir / f"{name}.csv"


def _rows_sql(item: Exported, since: dt.date | None, until: dt.date | None) -> str:
    # COPY takes no bound parameters: the bounds are dt.date values, written as DATE literals.
    conditions = []
    if item.date_column is not None:
        if since is not None:
            conditions.append(f"{item.date_column} >= DATE '{since.isoformat()}'")
        if until is not None:
            conditions.append(f"{item.date_column} <= DATE '{until.isoformat()}'")
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    return f"SELECT * FROM ({item.select}){where}"


def _copy(
    con: duckdb.DuckDBPyConnection, item: Exported, rows_sql: str, target: Path, fmt: ExportFormat
) -> None:
    if fmt is ExportFormat.CSV:
        options = "FORMAT csv, HEADER true"
    elif item.date_column is not None:
        options = f"FORMAT parquet, PARTITION_BY ({item.date_column})"
    else:
        options = "FORMAT parquet"
    quoted = "'" + str(target).replace("'", "''") + "'"
    con.execute(f"COPY ({rows_sql}) TO {quoted} ({options})")


def _replace(new: Path, final: Path, scratch: Path) -> None:
    """Put `new` where `final` is, replacing it: a file by one rename; a directory by moving the old one
    aside first (a directory cannot be renamed over a non-empty one), then deleting it."""
    if final.is_dir() and not final.is_symlink():
        aside = Path(tempfile.mkdtemp(prefix="old-", dir=scratch))
        os.replace(final, aside / final.name)
    os.replace(new, final)


def export_warehouse(
    db_path: Path | str,
    out_dir: Path,
    fmt: ExportFormat,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    names: Sequence[str] | None = None,
    wait_seconds: float = DEFAULT_LOCK_WAIT_SECONDS,
) -> ExportSummary:
    """Write the tables and views of EXPORTED (or those named) into `out_dir` as `fmt`. Dated rows are
    limited to [since, until] (either end open); undated tables and views are exported whole."""
    chosen = [e for e in EXPORTED if names is None or e.name in names]
    out_dir.mkdir(parents=True, exist_ok=True)
    scratch = Path(tempfile.mkdtemp(prefix=".export-", dir=out_dir))
    outputs: list[ExportResult] = []
    skipped: list[str] = []
    try:
        with connect(db_path, read_only=True, wait_seconds=wait_seconds) as con:
            for item in chosen:
                if not all(has_table(con, needed) for needed in item.needs):
                    skipped.append(item.name)
                    continue
                rows_sql = _rows_sql(item, since, until)
                final = output_path(out_dir, item.name, fmt, item.date_column is not None)
                staged = scratch / final.name
                count = scalar(con, f"SELECT count(*) FROM ({rows_sql})")
                _copy(con, item, rows_sql, staged, fmt)
                if not staged.exists():  # a partitioned COPY of no rows writes no directory
                    staged.mkdir()
                _replace(staged, final, scratch)
                outputs.append(ExportResult(item.name, final, int(count)))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return ExportSummary(tuple(outputs), tuple(skipped))
