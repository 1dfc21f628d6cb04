"""The schema: numbered migrations under warehouse/migrations/, applied in order, then the views.

The SQL files are the only schema: the loader types its rows from the tables they create. They live
in the repository's top-level warehouse/; a wheel carries a copy of them as package data
(`etl/warehouse_sql/`, mapped from warehouse/ in pyproject.toml), which an installed package reads.
A checkout (editable install) has no such copy and reads warehouse/ itself.
"""

from __future__ import annotations

import logging
import os
import re
from importlib import resources
from pathlib import Path

import duckdb

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
    """Apply pending numbered migrations, each in its own transaction, then refresh the views."""
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
    views = sql_dir / "views.sql"
    if views.exists():
        with transaction(con):
            con.execute(views.read_text(encoding="utf-8"))
    return newly


def ensure_schema(db_path: Path | str) -> None:
    with connect(db_path) as con:
        migrate(con)
