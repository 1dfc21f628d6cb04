"""The schema: numbered migrations under warehouse/migrations/, applied in order, then the views
(views.sql) and the comments on every table, column and view (comments.sql), both re-applied on
every migrate because views are recreated and lose their comments.

The SQL files are the only schema: the loader types its rows from the tables they create.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

import duckdb

from etl.load.connection import connect, transaction, utc_now

log = logging.getLogger("etl.load")

WAREHOUSE_SQL_DIR = Path(
    os.environ.get("ETL_WAREHOUSE_SQL", Path(__file__).resolve().parents[3] / "warehouse")
)
_MIGRATION_NAME = re.compile(r"^(\d{3})_[a-z0-9_]+\.sql$")


def migration_files(sql_dir: Path = WAREHOUSE_SQL_DIR) -> list[tuple[int, Path]]:
    found = []
    for path in sorted((sql_dir / "migrations").glob("*.sql")):
        m = _MIGRATION_NAME.match(path.name)
        if not m:
            raise ValueError(f"migration file name must look like 001_name.sql: {path.name}")
        found.append((int(m.group(1)), path))
    versions = [v for v, _ in found]
    if versions != list(range(1, len(versions) + 1)):
        raise ValueError(f"migrations must be numbered 001, 002, … without gaps: {versions}")
    return found


def migrate(con: duckdb.DuckDBPyConnection, sql_dir: Path = WAREHOUSE_SQL_DIR) -> list[int]:
    """Apply pending numbered migrations, each in its own transaction, then refresh the views and
    the comments."""
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)"
    )
    applied = {row[0] for row in con.execute("SELECT version FROM schema_migrations").fetchall()}
    newly = []
    for version, path in migration_files(sql_dir):
        if version in applied:
            continue
        with transaction(con):
            con.execute(path.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, ?)", [version, path.name, utc_now()])
        newly.append(version)
        log.info("applied migration %s", path.name)
    for name in ("views.sql", "comments.sql"):
        if (script := sql_dir / name).exists():
            with transaction(con):
                con.execute(script.read_text(encoding="utf-8"))
    return newly


def ensure_schema(db_path: Path | str) -> None:
    with connect(db_path) as con:
        migrate(con)
