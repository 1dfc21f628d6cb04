"""`make demo` loads the sample site into a warehouse of its own and never touches the production
one, whatever $ETL_DB and $ETL_ARCHIVE say."""

from __future__ import annotations

from pathlib import Path

import pytest

from etl import demo
from etl.config import LEGACY_DB, Settings, user_data_db


def test_the_demo_warehouse_is_not_the_production_default() -> None:
    assert demo.DEMO_DB.parent == demo.REPO / "warehouse" / "demo"
    # Neither the production default nor the checkout's warehouse of earlier releases, nor their raw
    # page archives.
    for production in (user_data_db(), demo.REPO / LEGACY_DB):
        assert demo.DEMO_DB.resolve() != production.resolve()
        assert not demo.DEMO_DB.resolve().is_relative_to(production.parent / "raw")


def test_the_demo_commands_ignore_the_production_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    production = {"ETL_DB": str(tmp_path / "prod.duckdb"), "ETL_ARCHIVE": str(tmp_path / "prod-raw")}
    env = demo.demo_environment(demo.DEMO_DB, {**production, "PATH": "/usr/bin"})
    assert env["PATH"] == "/usr/bin"
    # What the `etl` commands the demo starts make of that environment: the demo's files only.
    for name in production:
        monkeypatch.setenv(name, env[name])
    settings = Settings.from_options(None)
    assert Path(settings.db_path) == demo.DEMO_DB
    assert Path(settings.archive_dir) == demo.DEMO_DIR / "raw"
