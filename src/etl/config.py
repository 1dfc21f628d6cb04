"""Run settings, from CLI flags and environment variables, with the defaults in one place."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from etl.fetch import FetchConfig
from etl.fetch.politeness import host_of

DEFAULT_DB = Path("warehouse/peoples_daily.duckdb")
# A run stops fetching after this long (pages left become failures for the next run): generous
# for a day of ~150 pages at the portal's Crawl-delay, finite so a scheduled run cannot pile up.
DEFAULT_RUN_DEADLINE = 6 * 3600.0

# Fetch tuning a data engineer may need without a code change (slow mirror, flaky network).
FETCH_ENV_OVERRIDES: dict[str, tuple[str, type[int] | type[float]]] = {
    "ETL_MAX_ATTEMPTS": ("max_attempts", int),
    "ETL_BACKOFF_BASE": ("backoff_base", float),
    "ETL_BACKOFF_MAX": ("backoff_max", float),
    "ETL_CONNECT_TIMEOUT": ("connect_timeout", float),
    "ETL_READ_TIMEOUT": ("read_timeout", float),
    "ETL_REQUEST_DEADLINE": ("request_deadline", float),
    "ETL_JITTER": ("jitter", float),
}


def fetch_overrides_from_env() -> dict[str, int | float]:
    found: dict[str, int | float] = {}
    for name, (field_name, kind) in FETCH_ENV_OVERRIDES.items():
        raw = os.environ.get(name)
        if raw:
            try:
                found[field_name] = kind(raw)
            except ValueError:
                raise ValueError(f"{name}={raw!r} is not a valid {kind.__name__}") from None
    return found


def run_deadline_from_env() -> float:
    raw = os.environ.get("ETL_RUN_DEADLINE")
    if not raw:
        return DEFAULT_RUN_DEADLINE
    try:
        seconds = float(raw)
    except ValueError:
        raise ValueError(f"ETL_RUN_DEADLINE={raw!r} is not a number of seconds") from None
    if not seconds > 0:
        raise ValueError(f"ETL_RUN_DEADLINE={raw!r} must be more than 0 seconds")
    return seconds


def default_db_path() -> Path:
    return Path(os.environ.get("ETL_DB") or DEFAULT_DB)


def default_archive_dir(db_path: Path) -> Path:
    """Raw pages live next to the warehouse unless $ETL_ARCHIVE says otherwise."""
    env = os.environ.get("ETL_ARCHIVE")
    return Path(env) if env else db_path.parent / "raw"


@dataclass(frozen=True, slots=True)
class Settings:
    db_path: str
    archive_dir: str
    delay: float = 2.0
    refresh: bool = False
    lock_wait: float = 60.0
    user_agent: str | None = None
    respect_robots: bool = True
    run_deadline: float = DEFAULT_RUN_DEADLINE  # seconds from the start of the run

    @classmethod
    def from_args(
        cls,
        db: str | os.PathLike[str] | None = None,
        *,
        delay: float = 2.0,
        refresh: bool = False,
        lock_wait: float = 60.0,
        run_deadline: float | None = None,
    ) -> Settings:
        db_path = Path(db) if db else default_db_path()
        return cls(
            db_path=str(db_path),
            archive_dir=str(default_archive_dir(db_path)),
            delay=delay,
            refresh=refresh,
            lock_wait=lock_wait,
            user_agent=os.environ.get("ETL_USER_AGENT") or None,
            run_deadline=run_deadline if run_deadline is not None else run_deadline_from_env(),
        )

    def fetch_config(self, extra_urls_or_hosts: Sequence[str] = ()) -> FetchConfig:
        """People's Daily hosts, plus hosts named explicitly for this run (a --base-url mirror, an
        ingest URL): nothing else is ever fetched, redirects included."""
        hosts = list(FetchConfig().allowed_hosts)
        for item in extra_urls_or_hosts:
            host = host_of(item) if "://" in item else item.lower()
            if host and host not in hosts:
                hosts.append(host)
        config = replace(
            FetchConfig(),
            delay=self.delay,
            allowed_hosts=tuple(hosts),
            respect_robots=self.respect_robots,
            **fetch_overrides_from_env(),  # type: ignore[arg-type]
        )
        if self.user_agent:
            config = replace(config, user_agent=self.user_agent)
        return config
