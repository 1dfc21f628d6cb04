"""`etl export`: the warehouse's tables and views as Parquet (Hive-partitioned by date) or CSV files
that pyarrow reads back with the warehouse's row counts."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pyarrow.csv as pa_csv
import pyarrow.dataset as ds
import pytest

from etl import load
from etl.load.export import EXPORTED, ExportFormat, export_warehouse

pytestmark = pytest.mark.slow  # reads the warehouse the real flows load from the sample site

ETL = str(Path(sys.executable).parent / "etl")


def _count(db: Path, select: str, where: str = "") -> int:
    with load.connect(db, read_only=True) as con:
        return int(con.execute(f"SELECT count(*) FROM ({select}){where}").fetchall()[0][0])


def _etl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([ETL, *args], capture_output=True, text=True, env=os.environ.copy(), check=False)


def test_parquet_export_reads_back_with_the_warehouse_row_counts(
    sample_warehouse: Path, tmp_path: Path
) -> None:
    out = tmp_path / "lake"
    before = sample_warehouse.read_bytes()
    summary = export_warehouse(sample_warehouse, out, ExportFormat.PARQUET)
    assert not summary.skipped and {r.name for r in summary.outputs} == {e.name for e in EXPORTED}
    for item in EXPORTED:
        expected = _count(sample_warehouse, item.select)
        if item.date_column is not None:
            dataset = ds.dataset(out / item.name, format="parquet", partitioning="hive")
            assert item.date_column in dataset.schema.names  # restored from the directory names
            dates = {str(v) for v in dataset.to_table(columns=[item.date_column]).column(0).to_pylist()}
            assert all((out / item.name / f"{item.date_column}={d}").is_dir() for d in dates)
        else:
            dataset = ds.dataset(out / f"{item.name}.parquet", format="parquet")
        assert dataset.count_rows() == expected, item.name
    assert _count(sample_warehouse, "SELECT * FROM articles") > 0
    assert sample_warehouse.read_bytes() == before  # read-only: the warehouse is untouched
    assert not [p for p in out.iterdir() if p.name.startswith(".")]  # no scratch left behind


def test_csv_export_from_the_command_line_with_a_date_range(sample_warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "csv"
    day = "2025-09-03"
    done = _etl(
        "export",
        "--format",
        "csv",
        "--out",
        str(out),
        "--since",
        day,
        "--until",
        day,
        "--db",
        str(sample_warehouse),
    )
    assert done.returncode == 0, done.stderr
    for item in EXPORTED:
        where = f" WHERE {item.date_column} = DATE '{day}'" if item.date_column else ""
        table = pa_csv.read_csv(out / f"{item.name}.csv")
        assert table.num_rows == _count(sample_warehouse, item.select, where), item.name
    # The sample's portal article of 2 September is outside the range.
    assert _count(sample_warehouse, "SELECT * FROM articles", " WHERE published_date < DATE '2025-09-03'") > 0


def test_a_second_export_replaces_each_output_whole(sample_warehouse: Path, tmp_path: Path) -> None:
    out = tmp_path / "lake"
    export_warehouse(sample_warehouse, out, ExportFormat.PARQUET)
    stale = out / "articles" / "published_date=1999-01-01"
    stale.mkdir()
    summary = export_warehouse(
        sample_warehouse, out, ExportFormat.PARQUET, since=dt.date(2025, 9, 3), names=["articles"]
    )
    assert [r.name for r in summary.outputs] == ["articles"]
    assert not stale.exists()
    assert [p.name for p in (out / "articles").iterdir()] == ["published_date=2025-09-03"]
    assert (out / "indicators").is_dir()  # outputs not named are left as they were


def test_bad_export_arguments_are_one_line_and_write_nothing(tmp_path: Path) -> None:
    missing = _etl("export", "--out", str(tmp_path / "out"), "--db", str(tmp_path / "none.duckdb"))
    assert (
        missing.returncode == 2 and missing.stderr.count("\n") == 1 and "no such warehouse" in missing.stderr
    )
    backwards = _etl(
        "export", "--out", str(tmp_path / "out"), "--since", "2025-09-04", "--until", "2025-09-03"
    )
    assert backwards.returncode == 2 and "is after --until" in backwards.stderr
    assert not (tmp_path / "out").exists()
