"""The package installs from a wheel with its schema, and the warehouse's default place is settled.

The wheel is built from a copy of the sources (the checkout is left as it was) with the project's own
setuptools, offline, and installed without dependencies into a fresh virtual environment that
borrows the test environment's packages for them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import duckdb
import pytest
from setuptools import find_packages

from etl import load
from etl.config import LEGACY_DB, default_db_path, stray_warehouse, user_data_db

REPO = Path(__file__).resolve().parents[1]
ETL = str(Path(sys.executable).parent / "etl")


def test_the_wheel_lists_every_package() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    found = find_packages(str(REPO / "src")) + find_packages(str(REPO), include=["flows", "flows.*"])
    assert sorted(config["packages"]) == sorted([*found, "etl.warehouse_sql"])
    assert config["package-dir"]["etl.warehouse_sql"] == "warehouse"


def _tables(db: Path) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {row[0] for row in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    finally:
        con.close()


@pytest.mark.slow
def test_a_wheel_install_migrates_a_new_warehouse(tmp_path: Path) -> None:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    for name in ("src", "flows", "warehouse"):
        shutil.copytree(
            REPO / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
        )
    wheels = tmp_path / "wheels"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    subprocess.run(
        [
            *pip,
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "-q",
            "-w",
            str(wheels),
            str(source),
        ],
        check=True,
        timeout=300,
    )
    (wheel,) = wheels.glob("peoples_daily_etl-*.whl")

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / "bin" / "python"
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # Dependencies come from the test environment; the package itself only from the wheel.
    Path(site, "borrowed_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [*pip, "--python", str(python), "install", "--no-deps", "--no-index", "-q", str(wheel)],
        check=True,
        timeout=300,
    )

    work = tmp_path / "elsewhere"  # not the checkout: nothing may be found through the working directory
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("ETL_DB", "ETL_WAREHOUSE_SQL", "PYTHONPATH")}
    where = subprocess.run(
        [
            str(python),
            "-c",
            "import etl, importlib.resources as r; from etl.load import WAREHOUSE_SQL_DIR as d;"
            "print(etl.__file__); print(d);"
            "print(r.files('etl').joinpath('extract/FINGERPRINT').is_file())",
        ],
        cwd=work,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    assert where[0].startswith(site) and where[1] == str(Path(site) / "etl" / "warehouse_sql")
    assert where[2] == "True"

    db = work / "fresh.duckdb"
    done = subprocess.run(
        [str(venv / "bin" / "etl"), "migrate", "--db", str(db)],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "applied migrations: [1, 2" in done.stdout

    expected = tmp_path / "expected.duckdb"
    with load.connect(expected) as con:
        load.migrate(con)
    assert _tables(db) == _tables(expected)
    assert {"articles", "images", "indicators", "pages", "failures", "runs", "v_indicators"} <= _tables(db)


def test_migrate_without_migrations_fails_loudly_and_writes_nothing(tmp_path: Path) -> None:
    empty = tmp_path / "sql"
    (empty / "migrations").mkdir(parents=True)
    db = tmp_path / "never.duckdb"
    env = {**os.environ, "ETL_WAREHOUSE_SQL": str(empty)}
    done = subprocess.run(
        [ETL, "migrate", "--db", str(db)], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 4
    assert done.stderr.strip().splitlines() == [
        f"etl: no schema migrations in {empty / 'migrations'}: the package is installed without its SQL, "
        "or $ETL_WAREHOUSE_SQL points at the wrong directory"
    ]
    assert not db.exists()
    with pytest.raises(load.SchemaMissing), load.connect(tmp_path / "other.duckdb") as con:
        load.migrate(con, empty)


def test_the_default_warehouse_is_per_user_not_per_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ETL_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    expected = tmp_path / "data" / "peoples-daily-etl" / "peoples_daily.duckdb"
    assert user_data_db() == expected
    for cwd in (tmp_path / "a", tmp_path / "b"):
        cwd.mkdir()
        monkeypatch.chdir(cwd)
        assert default_db_path() == expected  # the same file whatever directory a worker runs in
    monkeypatch.setenv("ETL_DB", str(tmp_path / "named.duckdb"))
    assert default_db_path() == tmp_path / "named.duckdb"


def test_a_warehouse_left_at_the_old_default_is_pointed_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ETL_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    new_default = default_db_path()
    assert stray_warehouse(new_default) is None  # nothing left behind
    LEGACY_DB.parent.mkdir()
    with load.connect(LEGACY_DB) as con:
        load.migrate(con)
    assert stray_warehouse(new_default) == tmp_path / "warehouse" / "peoples_daily.duckdb"
    assert stray_warehouse(tmp_path / "explicit.duckdb") is None  # a path named on purpose
    new_default.parent.mkdir(parents=True)
    new_default.write_bytes(b"")
    assert stray_warehouse(new_default) is None  # the new default is in use already
