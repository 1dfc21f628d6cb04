"""Every table the loader writes is filled from one column map (`etl.load.rows`), and each map names
exactly its table's columns in a freshly migrated warehouse.

Arrow stores a column that a row does not fill as NULL without a word, so a migration that adds a
column must come with the column's value in the map. A scratch migration such as

    -- warehouse/migrations/007_scratch.sql
    ALTER TABLE images ADD COLUMN alt_text VARCHAR;

makes `test_each_column_map_names_exactly_its_tables_columns` fail with

    AssertionError: images: the warehouse has columns no row fills: ['alt_text']

until IMAGE_COLUMNS gets a `Column("alt_text", ...)`; a column dropped from a table fails it the
other way round.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl import load
from etl.load import rows
from flows.common import RunSummary

# Tables written by statements of their own rather than from rows, and the migrations' bookkeeping.
# Bookkeeping written one row at a time (runs, backfill_days: load.runs, load.backfill), and
# metric_synonyms, loaded from its CSV.
NOT_FROM_ROWS = {"runs", "schema_migrations", "metric_synonyms", "backfill_days"}


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    found = con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [name for (name,) in found]


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("rows") / "w.duckdb"
    load.ensure_schema(db)
    return db


def test_each_column_map_names_exactly_its_tables_columns(warehouse: Path) -> None:
    with load.connect(warehouse, read_only=True) as con:
        for table, columns in rows.TABLE_COLUMNS.items():
            names = [c.name for c in columns]
            assert len(names) == len(set(names)), f"{table}: a column is mapped twice"
            stored = _columns(con, table)
            assert stored, f"{table}: no such table in the warehouse"
            missing = sorted(set(stored) - set(names))
            assert not missing, f"{table}: the warehouse has columns no row fills: {missing}"
            unknown = sorted(set(names) - set(stored))
            assert not unknown, f"{table}: the rows fill columns the warehouse lacks: {unknown}"


def test_every_table_the_loader_fills_from_rows_has_a_column_map(warehouse: Path) -> None:
    with load.connect(warehouse, read_only=True) as con:
        tables = {
            name
            for (name,) in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE'"
            ).fetchall()
        }
    assert set(rows.TABLE_COLUMNS) == tables - NOT_FROM_ROWS


def test_run_counters_are_columns_of_runs_and_what_a_run_summary_counts(warehouse: Path) -> None:
    with load.connect(warehouse, read_only=True) as con:
        assert set(load.RUN_COUNTERS) <= set(_columns(con, "runs"))
    assert tuple(RunSummary(run_id="r", flow="f").counters()) == load.RUN_COUNTERS


def test_the_content_hash_is_built_from_the_content_columns() -> None:
    content = {c.name for c in rows.ARTICLE_COLUMNS if c.content}
    assert content == {
        "title",
        "pre_title",
        "subtitle",
        "published_at",
        "source",
        "authors",
        "editors",
        "page",
        "page_name",
        "template",
        "extractor_version",
    }
