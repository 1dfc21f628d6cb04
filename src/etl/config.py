"""Run settings, from CLI flags and environment variables, with the defaults in one place."""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from etl.fetch import FetchConfig
from etl.fetch.politeness import host_of
from etl.urls import Credentials, parse_credentials_list, split_credentials

DEFAULT_DB = Path("warehouse/peoples_daily.duckdb")

# Fetch tuning a data engineer may need without a code change (slow mirror, flaky network).
FETCH_ENV_OVERRIDES: dict[str, tuple[str, type[int] | type[float]]] = {
    "ETL_MAX_ATTEMPTS": ("max_attempts", int),
    "ETL_BACKOFF_BASE": ("backoff_base", float),
    "ETL_BACKOFF_MAX": ("backoff_max", float),
    "ETL_CONNECT_TIMEOUT": ("connect_timeout", float),
    "ETL_READ_TIMEOUT": ("read_timeout", float),
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


# Whitespace-separated scheme://user:password@host[:port] entries, for deployment runs: a password in
# a flow parameter would be stored and shown by Prefect.
CREDENTIALS_ENV = "ETL_HTTP_CREDENTIALS"

# Credentials split off the URLs given to this process (command-line arguments, flow parameters).
# They reach the fetcher from here, never through a flow parameter.
_given_credentials: dict[str, Credentials] = {}
_given_credentials_lock = threading.Lock()


def accept_url(url: str) -> str:
    """``url`` as the ETL stores, logs and passes it on: without ``user:password@``. The credentials
    are kept for this process's fetchers, which send them to that origin only."""
    bare, credentials = split_credentials(url)
    if credentials is not None and credentials.origin:
        with _given_credentials_lock:
            _given_credentials[credentials.origin] = credentials
    return bare


def http_credentials() -> tuple[Credentials, ...]:
    """Credentials from $ETL_HTTP_CREDENTIALS and from the URLs given to this process (those win
    for an origin named in both)."""
    from_env, rejected = parse_credentials_list(os.environ.get(CREDENTIALS_ENV, ""))
    if rejected:
        raise ValueError(
            f"{CREDENTIALS_ENV}: {', '.join(rejected)} not of the form scheme://user:password@host[:port]"
        )
    by_origin = {c.origin: c for c in from_env}
    with _given_credentials_lock:
        by_origin.update(_given_credentials)
    return tuple(by_origin.values())


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
    # Load new versions that shrank drastically instead of keeping the stored ones (--accept-changes).
    accept_changes: bool = False

    @classmethod
    def from_args(
        cls,
        db: str | os.PathLike[str] | None = None,
        *,
        delay: float = 2.0,
        refresh: bool = False,
        lock_wait: float = 60.0,
        accept_changes: bool = False,
    ) -> Settings:
        db_path = Path(db) if db else default_db_path()
        return cls(
            db_path=str(db_path),
            archive_dir=str(default_archive_dir(db_path)),
            delay=delay,
            refresh=refresh,
            lock_wait=lock_wait,
            accept_changes=accept_changes,
            user_agent=os.environ.get("ETL_USER_AGENT") or None,
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
            credentials=http_credentials(),
            **fetch_overrides_from_env(),  # type: ignore[arg-type]
        )
        if self.user_agent:
            config = replace(config, user_agent=self.user_agent)
        return config
