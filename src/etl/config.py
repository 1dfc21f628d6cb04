"""Run settings, from CLI flags and environment variables, with the defaults in one place: the run
options (`RunOptions`, whose field defaults the CLI, the flows, the deployments and the tests all
read), the warehouse and archive paths, the ETL_* variables, and the Prefect environment."""

from __future__ import annotations

import datetime as dt
import math
import os
import re
import threading
from collections.abc import Sequence
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import TypedDict, cast
from urllib.parse import urlsplit, urlunsplit

from etl.fetch import FetchConfig
from etl.models import LOCK_WAIT_SECONDS
from etl.urls import Credentials, host_of, parse_credentials_list, split_credentials

# The warehouse, unless --db or $ETL_DB names one: a file in the user's data directory
# (~/.local/share/peoples-daily-etl/ on Linux), the same whatever directory a run starts in, so a
# worker running flows from a fresh clone never starts an empty warehouse of its own.
APP_NAME = "peoples-daily-etl"
DB_FILE_NAME = "peoples_daily.duckdb"
# Where earlier releases put the warehouse by default, relative to the working directory.
LEGACY_DB = Path("warehouse") / DB_FILE_NAME
# A run stops fetching after this long (pages left become failures for the next run): generous
# for a day of ~150 pages at the portal's Crawl-delay, finite so a scheduled run cannot pile up.
DEFAULT_RUN_DEADLINE = 6 * 3600.0


class RunParameters(TypedDict):
    """RunOptions as keyword arguments of a flow (the names of its fields, typed for the checker)."""

    delay: float
    refresh: bool
    retry_failed: bool
    lock_wait: float
    batch_size: int
    accept_changes: bool
    run_deadline: float | None


@dataclass(frozen=True, slots=True)
class RunOptions:
    """The options of one crawl run and their defaults, written nowhere else: the `etl` options,
    the flows' parameters (plain JSON values, which Prefect stores and deployments pass) and the
    tests read them from here."""

    # Minimum seconds between requests to one host: the fetcher's own politeness floor (a
    # robots.txt Crawl-delay wins when longer).
    delay: float = FetchConfig().delay
    refresh: bool = False  # download every page again, ignoring ETag/Last-Modified
    retry_failed: bool = True  # retry open failures of earlier runs with this run's pages
    lock_wait: float = LOCK_WAIT_SECONDS  # seconds to wait for another run to release the warehouse
    # Articles per task run: large enough that Prefect's per-task cost is noise, small enough that a
    # killed run loses little work and each warehouse transaction stays short.
    batch_size: int = 20
    accept_changes: bool = False  # load new versions of stored articles that shrank drastically
    run_deadline: float | None = None  # seconds; None: $ETL_RUN_DEADLINE, else DEFAULT_RUN_DEADLINE

    def flow_parameters(self) -> RunParameters:
        """The options as the flows take them, by parameter name."""
        return cast(RunParameters, asdict(self))


RUN_DEFAULTS = RunOptions()


def prepare_prefect_env() -> None:
    """Prefect settings every process that runs the flows needs; call it before Prefect is first
    imported (it reads some of them then), and never over what the operator has set."""
    # Ephemeral mode prints a spurious "database is locked" traceback when analytics are on, and
    # our own modules log through the standard logging module: forward them to Prefect's handlers.
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
    os.environ.setdefault("PREFECT_LOGGING_EXTRA_LOGGERS", "etl")
    # The fetcher logs from its worker threads, outside any flow-run context; those lines still
    # reach the console, they just are not sent to the API.
    os.environ.setdefault("PREFECT_LOGGING_TO_API_WHEN_MISSING_FLOW", "ignore")


class SettingError(ValueError):
    """A run setting (CLI option, flow parameter, ETL_* variable) that cannot be used; its message is
    one line that names the setting and says what it must be."""


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


# Fields that must be above zero, not merely not negative: no attempt at all, or a zero timeout,
# would fail every page.
_POSITIVE_FETCH_FIELDS = frozenset({"max_attempts", "connect_timeout", "read_timeout", "request_deadline"})


def fetch_overrides_from_env() -> dict[str, int | float]:
    found: dict[str, int | float] = {}
    for name, (field_name, kind) in FETCH_ENV_OVERRIDES.items():
        raw = os.environ.get(name)
        if raw:
            positive = field_name in _POSITIVE_FETCH_FIELDS
            if kind is int:
                found[field_name] = _whole_number(name, raw, minimum=1 if positive else 0)
            else:
                found[field_name] = _finite_number(name, raw, positive=positive)
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
        # The entries are described, never shown: they may hold a password.
        raise SettingError(
            f"bad setting {CREDENTIALS_ENV}: {', '.join(rejected)} not of the form "
            "scheme://user:password@host[:port]"
        )
    by_origin = {c.origin: c for c in from_env}
    with _given_credentials_lock:
        by_origin.update(_given_credentials)
    return tuple(by_origin.values())


def _bad(name: str, value: object, rule: str) -> SettingError:
    return SettingError(f"bad setting {name}={value!r}: {rule}")


def _finite_number(name: str, value: object, *, positive: bool = False) -> float:
    # nan compares false with everything, so it would pass any range check and then switch off
    # every delay (robots.txt Crawl-delay included); inf would park the run for ever.
    rule = "must be a finite number > 0" if positive else "must be a finite number ≥ 0"
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise _bad(name, value, rule) from None
    if not math.isfinite(number) or number < 0 or (positive and number == 0):
        raise _bad(name, value, rule)
    return number


def _whole_number(name: str, value: object, *, minimum: int) -> int:
    rule = f"must be a whole number ≥ {minimum}"
    if isinstance(value, bool | float):
        raise _bad(name, value, rule)
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        raise _bad(name, value, rule) from None
    if number < minimum:
        raise _bad(name, value, rule)
    return number


def check_seconds(name: str, value: float) -> float:
    """A delay or wait in seconds: finite and not negative."""
    return _finite_number(name, value)


def check_positive_seconds(name: str, value: float) -> float:
    """A duration that must pass: finite and above zero."""
    return _finite_number(name, value, positive=True)


def check_count(name: str, value: int, minimum: int = 1) -> int:
    return _whole_number(name, value, minimum=minimum)


# A Dask scheduler address: tcp:// (or tls://) host and port.
_DASK_ADDRESS = re.compile(r"(tcp|tls)://[^\s/:]+:\d{1,5}")


def check_task_runner(
    workers: int, dask_address: str | None, *, names: tuple[str, str] = ("workers", "dask_address")
) -> tuple[int, str | None]:
    """Where a run parses and extracts: `workers` local Dask processes or the Dask cluster at
    `dask_address`, never both (the CLI passes its option names for the messages)."""
    workers_name, address_name = names
    check_count(workers_name, workers)
    if dask_address is not None:
        if workers != 1:
            raise SettingError(
                f"bad setting {workers_name}: give either {workers_name} or {address_name}, not both"
            )
        if not _DASK_ADDRESS.fullmatch(dask_address):
            raise SettingError(
                f"bad setting {address_name}={dask_address!r}: must be a Dask scheduler address "
                "such as tcp://10.0.0.5:8786"
            )
    return workers, dask_address


# The first issue of 人民日报 appeared on this day; the e-paper archive holds nothing earlier.
FIRST_ISSUE = dt.date(1946, 5, 15)


def today_in_beijing() -> dt.date:
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Shanghai")).date()


def check_issue_date(name: str, day: dt.date | str) -> dt.date:
    """A date the paper can have published: from its first issue to tomorrow in Beijing (an issue is
    online the evening before its date)."""
    if isinstance(day, str):
        try:
            day = dt.date.fromisoformat(day)
        except ValueError:
            raise _bad(name, day, "must be a date YYYY-MM-DD") from None
    latest = today_in_beijing() + dt.timedelta(days=1)
    if not FIRST_ISSUE <= day <= latest:
        raise _bad(
            name,
            day.isoformat(),
            f"must be between {FIRST_ISSUE} (the first issue) and {latest} (tomorrow in Beijing)",
        )
    return day


# Longer URLs are refused by most servers anyway; the bound keeps one line of a URL list from
# blowing the size of a flow run's parameters.
MAX_URL_LENGTH = 8192


def _http_url(url: str) -> str | None:
    """`url` with its scheme and host in lower case (both are case-insensitive), or None when it is
    not an http(s) URL with a host."""
    if len(url) > MAX_URL_LENGTH:
        return None
    try:
        parts = urlsplit(url.strip())
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        return None
    userinfo, at, hostport = parts.netloc.rpartition("@")
    netloc = f"{userinfo}{at}{hostport.lower()}"
    return urlunsplit((scheme, netloc, parts.path, parts.query, parts.fragment))


def check_origin(name: str, url: str) -> str:
    """An e-paper base URL: http(s), a host, optionally a port, and nothing after the `/`."""
    normal = _http_url(url)
    if normal is None or urlsplit(normal).path not in ("", "/") or "?" in url or "#" in url:
        raise _bad(name, url, "must be an http(s) origin such as http://paper.people.com.cn")
    return normal.rstrip("/")


def check_article_url(name: str, url: str) -> str:
    normal = _http_url(url)
    if normal is None:
        raise _bad(name, url, f"must be an http(s) URL with a host, at most {MAX_URL_LENGTH} characters")
    return normal


# DuckDB's database files carry these bytes after an 8-byte checksum.
DUCKDB_MAGIC = b"DUCK"
DUCKDB_MAGIC_OFFSET = 8


def check_warehouse(name: str, db_path: Path, *, writable: bool = True) -> Path:
    """Refuse a warehouse path a run could not use, before anything is written: not a DuckDB file
    (an empty file included), a directory, or, for a run, read-only or with a lock path that is a
    directory. A path that does not exist yet is fine when its directory can be created."""
    if db_path.is_dir():
        raise _bad(name, str(db_path), "is a directory, not a DuckDB file")
    if db_path.exists():
        try:
            with open(db_path, "rb") as handle:
                header = handle.read(DUCKDB_MAGIC_OFFSET + len(DUCKDB_MAGIC))
        except OSError as exc:
            raise _bad(name, str(db_path), f"cannot be read ({exc.strerror})") from None
        if header[DUCKDB_MAGIC_OFFSET:] != DUCKDB_MAGIC:
            what = "is empty" if not header else "is not a DuckDB file"
            raise _bad(name, str(db_path), f"{what}; give a DuckDB file or a new path")
    if not writable:
        return db_path
    if db_path.exists() and not os.access(db_path, os.W_OK):
        raise _bad(name, str(db_path), "is read-only")
    directory = db_path.absolute().parent
    while not directory.exists():
        directory = directory.parent
    # DuckDB writes its .wal and the run its .lock next to the file.
    if not directory.is_dir() or not os.access(directory, os.W_OK | os.X_OK):
        raise _bad(name, str(db_path), f"its directory {directory} is not writable")
    lock_path = Path(f"{db_path}.lock")
    if lock_path.is_dir():
        raise _bad(name, str(db_path), f"its lock path {lock_path} is a directory")
    if lock_path.exists() and not os.access(lock_path, os.W_OK):
        raise _bad(name, str(db_path), f"its lock file {lock_path} is read-only")
    return db_path


USER_AGENT_ENV = "ETL_USER_AGENT"


def user_agent_from_env() -> str | None:
    """$ETL_USER_AGENT, checked: an HTTP header value (printable ASCII, one line) whose first word,
    the product token robots.txt groups are matched against, is there."""
    raw = os.environ.get(USER_AGENT_ENV)
    if not raw:
        return None
    rule = "must be one line of printable ASCII starting with a product name, e.g. 'TeamETL/1.0 (+mailto:…)'"
    product = raw.split("/", 1)[0].strip()
    if raw != raw.strip() or not raw.isascii() or not raw.isprintable() or not product:
        raise _bad(USER_AGENT_ENV, raw, rule)
    return raw


WAREHOUSE_SQL_ENV = "ETL_WAREHOUSE_SQL"


def check_environment() -> None:
    """Every ETL_* variable a run reads, checked before the run starts (a bad one raises
    SettingError naming it); ETL_DB is checked with the warehouse, ETL_ARCHIVE by the run itself
    (an archive it cannot write is the machine's trouble, exit 4)."""
    fetch_overrides_from_env()
    run_deadline_from_env()
    user_agent_from_env()
    http_credentials()
    sql_dir = os.environ.get(WAREHOUSE_SQL_ENV)
    if sql_dir and not (Path(sql_dir) / "migrations").is_dir():
        raise _bad(WAREHOUSE_SQL_ENV, sql_dir, "must be a directory holding migrations/ (and views.sql)")


def run_deadline_from_env() -> float:
    raw = os.environ.get("ETL_RUN_DEADLINE")
    if not raw:
        return DEFAULT_RUN_DEADLINE
    return _finite_number("ETL_RUN_DEADLINE", raw, positive=True)


def user_data_db() -> Path:
    """The per-user default warehouse (platformdirs: $XDG_DATA_HOME or ~/.local/share on Linux)."""
    from platformdirs import user_data_path

    return user_data_path(APP_NAME, appauthor=False) / DB_FILE_NAME


def default_db_path() -> Path:
    """$ETL_DB, else the per-user warehouse."""
    env = os.environ.get("ETL_DB")
    return Path(env) if env else user_data_db()


def stray_warehouse(db_path: Path) -> Path | None:
    """A warehouse left where earlier releases put it by default (./warehouse/), when this run uses
    the new default and that file does not exist yet: the run would otherwise start an empty
    warehouse beside the one the analysts read without a word."""
    if os.environ.get("ETL_DB") or db_path != user_data_db() or db_path.exists():
        return None
    return LEGACY_DB.absolute() if LEGACY_DB.is_file() else None


# The analyst copy every run publishes (etl.load.publish): $ETL_ANALYST_DB, else
# `<name>_analyst.duckdb` next to the working warehouse.
ANALYST_DB_ENV = "ETL_ANALYST_DB"


def default_analyst_db(db_path: Path) -> Path:
    """Where runs publish the analyst copy of the warehouse at `db_path`."""
    env = os.environ.get(ANALYST_DB_ENV)
    if env:
        return Path(env)
    from etl.load import analyst_path_for

    return analyst_path_for(db_path)


def check_analyst_db(name: str, analyst_db: Path, db_path: Path) -> Path:
    """The analyst copy's path: not the working warehouse itself, not a directory, in a directory
    that exists or can be created and is writable (the copy is renamed into place there)."""
    if analyst_db.absolute() == db_path.absolute() or (
        analyst_db.exists() and db_path.exists() and analyst_db.samefile(db_path)
    ):
        raise _bad(name, str(analyst_db), "must not be the working warehouse itself")
    if analyst_db.is_dir():
        raise _bad(name, str(analyst_db), "is a directory, not a DuckDB file")
    directory = analyst_db.absolute().parent
    while not directory.exists():
        directory = directory.parent
    if not directory.is_dir() or not os.access(directory, os.W_OK | os.X_OK):
        raise _bad(name, str(analyst_db), f"its directory {directory} is not writable")
    return analyst_db


def default_archive_dir(db_path: Path) -> Path:
    """Raw pages live next to the warehouse unless $ETL_ARCHIVE says otherwise."""
    env = os.environ.get("ETL_ARCHIVE")
    return Path(env) if env else db_path.parent / "raw"


@dataclass(frozen=True, slots=True)
class Settings:
    """What a run works with: its options checked and resolved (the run deadline from the
    environment when not given), the warehouse and archive paths, and the fetch settings."""

    db_path: str
    archive_dir: str
    delay: float
    refresh: bool
    lock_wait: float
    # Load new versions that shrank drastically instead of keeping the stored ones (--accept-changes).
    accept_changes: bool
    run_deadline: float  # seconds from the start of the run
    # The analyst copy published at the end of every ok or partial run ("" publishes none).
    analyst_db: str = ""
    user_agent: str | None = None
    respect_robots: bool = True

    @classmethod
    def from_options(
        cls, db: str | os.PathLike[str] | None = None, options: RunOptions = RUN_DEFAULTS
    ) -> Settings:
        """Settings of a run, each checked (ETL_* fetch variables included) before anything is
        written: a bad one raises SettingError."""
        db_path = check_warehouse("db", Path(db) if db else default_db_path())
        settings = cls(
            db_path=str(db_path),
            archive_dir=str(default_archive_dir(db_path)),
            analyst_db=str(check_analyst_db(ANALYST_DB_ENV, default_analyst_db(db_path), db_path)),
            delay=check_seconds("delay", options.delay),
            refresh=options.refresh,
            lock_wait=check_seconds("lock_wait", options.lock_wait),
            accept_changes=options.accept_changes,
            user_agent=user_agent_from_env(),
            run_deadline=(
                _finite_number("run_deadline", options.run_deadline, positive=True)
                if options.run_deadline is not None
                else run_deadline_from_env()
            ),
        )
        # The fetch settings (ETL_* tuning, ETL_HTTP_CREDENTIALS) are built once here, so that a bad
        # one stops the run before its row is written, not inside it.
        try:
            settings.fetch_config()
        except SettingError:
            raise
        except ValueError as exc:  # a combination FetchConfig refuses
            raise SettingError(f"bad fetch settings: {' '.join(str(exc).split())}") from None
        return settings

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
