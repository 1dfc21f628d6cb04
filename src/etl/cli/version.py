"""`etl --version`: what a bug report needs to say which code and which schema ran."""

from __future__ import annotations

import platform
from importlib.metadata import PackageNotFoundError, version

PACKAGE = "peoples-daily-etl"


def _installed(distribution: str) -> str:
    try:
        return version(distribution)
    except PackageNotFoundError:
        return "not installed"


def version_lines() -> list[str]:
    """The package, the extractor that writes `indicators.extractor_version`, the newest schema
    migration this installation would apply, and the libraries whose behaviour the runs depend on."""
    from etl.extract import EXTRACTOR_VERSION
    from etl.load.migrations import WAREHOUSE_SQL_DIR, migration_files

    try:
        migrations = migration_files()
        schema = f"{migrations[-1][0]:03d} ({migrations[-1][1].name})" if migrations else "none"
    except (OSError, ValueError) as exc:
        schema = f"unreadable ({exc})"
    return [
        f"etl ({PACKAGE}) {_installed(PACKAGE)}",
        f"extractor {EXTRACTOR_VERSION}",
        f"schema {schema} from {WAREHOUSE_SQL_DIR}",
        f"duckdb {_installed('duckdb')}",
        f"prefect {_installed('prefect')}",
        f"python {platform.python_version()}",
    ]
