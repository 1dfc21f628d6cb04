"""The schema: numbered migrations under warehouse/migrations/, applied in order, then what is
rebuilt on every migrate: the metric synonyms analysts keep in warehouse/metric_synonyms.csv, the
views (views.sql), and the comments on every table, column and view (comments.sql),
re-applied because views are recreated and lose their comments.

The SQL files are the only schema: the loader types its rows from the tables they create. They live
in the repository's top-level warehouse/; a wheel carries a copy of them as package data
(`etl/warehouse_sql/`, mapped from warehouse/ in pyproject.toml), which an installed package reads.
A checkout (editable install) has no such copy and reads warehouse/ itself.
"""

from __future__ import annotations

import csv
import logging
import os
import re
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa

from etl.load.connection import connect, transaction, utc_now
from etl.outcome import InfrastructureError

log = logging.getLogger("etl.load")

# Where a wheel puts warehouse/ inside the package, and where a checkout keeps it.
PACKAGED_SQL = "warehouse_sql"
CHECKOUT_SQL_DIR = Path(__file__).resolve().parents[3] / "warehouse"


def _installed_sql_dir() -> Path:
    """The schema shipped with the package when it was installed from a wheel, else the checkout's."""
    packaged = Path(str(resources.files("etl").joinpath(PACKAGED_SQL)))
    return packaged if (packaged / "migrations").is_dir() else CHECKOUT_SQL_DIR


WAREHOUSE_SQL_DIR = Path(os.environ.get("ETL_WAREHOUSE_SQL") or _installed_sql_dir())
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")
SYNONYMS_FILE = "metric_synonyms.csv"
# The SQL files applied after the migrations on every migrate, in this order.
REBUILT_SQL = ("views.sql", "comments.sql")
_SYNONYMS_HEADER = ["metric", "metric_key"]


class SynonymsError(ValueError):
    """warehouse/metric_synonyms.csv cannot be read as metric,metric_key lines."""


def metric_synonyms(path: Path) -> dict[str, str]:
    """metric -> metric_key from the analysts' CSV: a `metric,metric_key` header, then one pair a line;
    blank lines and lines starting with `#` are notes. A metric mapped to two keys, an empty field or a
    line that is not two fields is refused with the file and line, before anything is written."""
    mapping: dict[str, str] = {}
    header_seen = False
    for number, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        fields = [f.strip() for f in next(csv.reader([line]))]
        if not header_seen:
            if fields != _SYNONYMS_HEADER:
                raise SynonymsError(f"{path}:{number}: the header must be metric,metric_key, not {line!r}")
            header_seen = True
            continue
        if len(fields) != 2 or not all(fields):
            raise SynonymsError(f"{path}:{number}: expected metric,metric_key, got {line!r}")
        metric, key = fields
        if mapping.setdefault(metric, key) != key:
            raise SynonymsError(f"{path}:{number}: {metric} is mapped to both {mapping[metric]} and {key}")
    if not header_seen:
        raise SynonymsError(f"{path}: no metric,metric_key header")
    return mapping


def _load_synonyms(con: duckdb.DuckDBPyConnection, sql_dir: Path) -> None:
    path = sql_dir / SYNONYMS_FILE
    mapping = metric_synonyms(path) if path.exists() else {}
    con.register(
        "stage_synonyms",
        pa.table(
            {"metric": list(mapping), "metric_key": list(mapping.values())},
            schema=pa.schema([("metric", pa.string()), ("metric_key", pa.string())]),
        ),
    )
    con.execute(
        "CREATE OR REPLACE TABLE metric_synonyms (metric VARCHAR PRIMARY KEY, metric_key VARCHAR NOT NULL)"
    )
    con.execute("INSERT INTO metric_synonyms SELECT metric, metric_key FROM stage_synonyms")
    con.unregister("stage_synonyms")


class SchemaMissing(InfrastructureError):
    """No migrations where the schema should be: a broken install, or $ETL_WAREHOUSE_SQL pointing
    at the wrong directory. Migrating would create an empty warehouse and call it up to date."""


def migration_files(sql_dir: Path = WAREHOUSE_SQL_DIR) -> list[tuple[int, Path]]:
    """The numbered migrations in ``sql_dir``; ``SchemaMissing`` when there are none."""
    found = []
    for path in sorted((sql_dir / "migrations").glob("*.sql")):
        m = _MIGRATION_NAME.match(path.name)
        if not m:
            raise ValueError(f"migration file name must look like 001_name.sql: {path.name}")
        found.append((int(m.group(1)), path))
    if not found:
        raise SchemaMissing(
            f"no schema migrations in {sql_dir / 'migrations'}: the package is installed without its "
            "SQL, or $ETL_WAREHOUSE_SQL points at the wrong directory"
        )
    versions = [v for v, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migrations must be numbered 001, 002, … without gaps: {versions}")
    return found


def migrate(con: duckdb.DuckDBPyConnection, sql_dir: Path = WAREHOUSE_SQL_DIR) -> list[int]:
    """Apply pending numbered migrations, each in its own transaction, then rebuild in one
    transaction what follows the files on every migrate: the metric synonyms, the views and the
    comments. A broken synonyms file stops here and changes nothing."""
    files = migration_files(sql_dir)  # before anything is written: no SQL, no schema table
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    applied = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    newly = []
    for version, path in files:
        if version in applied:
            continue
        with transaction(con):
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, path.name, utc_now()])
        newly.append(version)
        log.info("applied migration %s", path.name)
    synonyms = sql_dir / SYNONYMS_FILE
    if synonyms.exists():
        metric_synonyms(synonyms)  # refused before the transaction: one clear line, nothing written
    with transaction(con):
        # The views read metric_synonyms: it exists (empty without a CSV) before they are created.
        _load_synonyms(con, sql_dir)
        for name in REBUILT_SQL:
            if (path := sql_dir / name).exists():
                con.execute(path.read_text(encoding="utf-8"))
    return newly


def ensure_schema(db_path: Path | str) -> None:
    with connect(db_path) as con:
        migrate(con)
