"""Bad input to the `etl` command: one clear line, exit 2, nothing written; and URL lists of any
length. Real subprocesses, a real warehouse file, a real HTTP server."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import duckdb
import pytest
from faultserver import FaultServer

from etl import load
from etl.config import today_in_beijing

ETL = str(Path(sys.executable).parent / "etl")
DAY = "2025-09-03"
SITE = Path(__file__).parent / "fixtures" / "site"
PORTAL_ARTICLE = "/n2/2025/0902/c134768-41234567.html"
GROWTH = "2024年，上海港集装箱吞吐量5150.6万标箱，连续15年排名世界第一。\n"


@pytest.fixture(scope="module")
def prefect_env(prefect_harness: None) -> Iterator[dict[str, str]]:
    """Point the subprocesses at the session's test server instead of starting one each."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    for name in [n for n in env if n.startswith("ETL_")]:
        env.pop(name)
    yield env


@pytest.fixture
def plain_env() -> dict[str, str]:
    """For commands refused before Prefect is needed: no test server, nothing to start."""
    env = dict(os.environ)
    for name in [n for n in env if n.startswith("ETL_")]:
        env.pop(name)
    return env


def _etl(
    env: dict[str, str], *args: str, stdin: bytes | None = None, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess[str]:
    out = subprocess.run([*prefix, ETL, *args], env=env, input=stdin, capture_output=True, timeout=900)
    return subprocess.CompletedProcess(
        out.args, out.returncode, out.stdout.decode(errors="replace"), out.stderr.decode(errors="replace")
    )


def _etl_in_process(extra_env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    """The `etl` command group run by click's test runner in this process, with no ETL_* variable
    but `extra_env`: the same checks and messages as the installed command without a Python start-up
    per call. test_bad_settings_exit_2_and_create_nothing runs every case as a real process."""
    from click.testing import CliRunner

    from etl.cli import main

    unset: dict[str, str | None] = {name: None for name in os.environ if name.startswith("ETL_")}
    result = CliRunner().invoke(main, list(args), env={**unset, **extra_env})
    return subprocess.CompletedProcess(list(args), result.exit_code, result.stdout, result.stderr)


def _refused(out: subprocess.CompletedProcess[str], *needles: str) -> None:
    """Exit 2 with one `etl: …` line on stderr and no traceback."""
    assert out.returncode == 2, (out.returncode, out.stderr[-2000:])
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("etl: "), out.stderr[-2000:]
    assert "Traceback" not in out.stderr
    for needle in needles:
        assert needle in lines[0], lines[0]


def _snapshot(directory: Path) -> dict[str, str]:
    """Every file under `directory` with a digest of its bytes: 'nothing written' means this is
    unchanged."""
    return {
        str(p.relative_to(directory)): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
        for p in sorted(directory.rglob("*"))
    }


def _warehouse_with_one_run(path: Path) -> None:
    load.start_run(path, "earlier-run", "ingest_urls", {"urls": []})
    load.finish_run(path, "earlier-run", "ok", {"failures": 0})


def _runs(path: Path) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return con.execute(
            "SELECT run_id, status, started_at, finished_at FROM runs ORDER BY run_id"
        ).fetchall()
    finally:
        con.close()


TOMORROW_PLUS_ONE = (today_in_beijing() + dt.timedelta(days=2)).isoformat()

# (extra environment, arguments, what the error line names)
BAD_RUNS: list[tuple[dict[str, str], list[str], str]] = [
    ({}, ["run", "--delay", "nan"], "--delay=nan"),
    ({}, ["run", "--delay", "inf"], "--delay=inf"),
    ({}, ["run", "--lock-wait", "nan"], "--lock-wait=nan"),
    ({"ETL_JITTER": "nan"}, ["run"], "ETL_JITTER='nan': must be a finite number ≥ 0"),
    ({"ETL_MAX_ATTEMPTS": "abc"}, ["run"], "ETL_MAX_ATTEMPTS='abc'"),
    ({"ETL_MAX_ATTEMPTS": "0"}, ["run"], "ETL_MAX_ATTEMPTS='0'"),
    ({"ETL_CONNECT_TIMEOUT": "0"}, ["run"], "ETL_CONNECT_TIMEOUT='0'"),
    ({"ETL_READ_TIMEOUT": "-5"}, ["run"], "ETL_READ_TIMEOUT='-5'"),
    ({"ETL_READ_TIMEOUT": "inf"}, ["run"], "ETL_READ_TIMEOUT='inf'"),
    ({"ETL_BACKOFF_BASE": "-1"}, ["run"], "ETL_BACKOFF_BASE='-1'"),
    ({"ETL_BACKOFF_MAX": "nan"}, ["run"], "ETL_BACKOFF_MAX='nan'"),
    ({}, ["run", "--base-url", "ftp://paper.people.com.cn"], "--base-url='ftp://paper.people.com.cn'"),
    ({}, ["run", "--base-url", "javascript:alert(1)"], "--base-url='javascript:alert(1)'"),
    ({}, ["run", "--base-url", ""], "--base-url=''"),
    ({}, ["run", "--base-url", "http://"], "--base-url='http://'"),
    ({}, ["run", "--base-url", "http://paper.people.com.cn/rmrb"], "origin"),
    ({}, ["run", "--base-url", "http://paper.people.com.cn/?a=1"], "origin"),
    ({}, ["run", "--base-url", "http://paper.people.com.cn:99999"], "origin"),
    ({}, ["run", "--date", "1946-05-14"], "1946-05-15 (the first issue)"),
    ({}, ["run", "--date", "0001-01-01"], "--date='0001-01-01'"),
    ({}, ["run", "--date", TOMORROW_PLUS_ONE], "tomorrow in Beijing"),
    ({}, ["ingest", "ftp://www.people.com.cn/n1/2025/0903/c1004-1.html"], "ftp://"),
    ({}, ["ingest", "http:///n1/2025/0903/c1004-1.html"], "not an http(s) URL"),
    ({"ETL_JITTER": "nan"}, ["ingest", "http://www.people.com.cn/n1/2025/0903/c1004-1.html"], "ETL_JITTER"),
    ({}, ["ingest", "http://www.people.com.cn/n1/2025/0903/c1004-1.html", "--delay", "inf"], "--delay"),
]


@pytest.mark.parametrize(
    ("extra_env", "args", "needle"), BAD_RUNS, ids=[" ".join(c[1]) + str(c[0]) for c in BAD_RUNS]
)
def test_bad_settings_exit_2_and_create_nothing(
    tmp_path: Path, plain_env: dict[str, str], extra_env: dict[str, str], args: list[str], needle: str
) -> None:
    db = tmp_path / "wh" / "new.duckdb"
    out = _etl({**plain_env, **extra_env}, *args, "--db", str(db))
    _refused(out, needle)
    assert list(tmp_path.iterdir()) == []  # no warehouse, lock file, archive or directory


def test_ingest_with_nothing_to_do_writes_nothing(tmp_path: Path, plain_env: dict[str, str]) -> None:
    # No URL and no earlier ingest left open: nothing to run, and no warehouse is created for it.
    out = _etl(plain_env, "ingest", "--db", str(tmp_path / "wh" / "new.duckdb"))
    assert (out.returncode, out.stdout.strip()) == (0, "nothing to ingest"), out.stderr
    assert list(tmp_path.iterdir()) == []


def test_bad_settings_leave_an_existing_warehouse_untouched(tmp_path: Path) -> None:
    db = tmp_path / "wh.duckdb"
    _warehouse_with_one_run(db)
    before, runs_before = _snapshot(tmp_path), _runs(db)
    for extra_env, args, needle in BAD_RUNS:
        _refused(_etl_in_process(extra_env, *args, "--db", str(db)), needle)
    assert _snapshot(tmp_path) == before
    assert _runs(db) == runs_before


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (b"", "is empty"),
        (b"url,title\nhttp://a,b\n" * 50, "is not a DuckDB file"),
        (b"\0" * 4096, "not a DuckDB"),
    ],
    ids=["empty", "csv", "zeros"],
)
def test_a_db_that_is_not_duckdb_is_refused(
    tmp_path: Path, plain_env: dict[str, str], content: bytes, needle: str
) -> None:
    db = tmp_path / "wh.duckdb"
    db.write_bytes(content)
    for args in (
        ["run"],
        ["ingest", "http://www.people.com.cn/n1/2025/0903/c1004-1.html"],
        ["migrate"],
        ["failures"],
    ):
        _refused(_etl(plain_env, *args, "--db", str(db)), needle)
    assert db.read_bytes() == content
    assert sorted(p.name for p in tmp_path.iterdir()) == ["wh.duckdb"]


def test_a_lock_path_that_is_a_directory_is_refused(tmp_path: Path, plain_env: dict[str, str]) -> None:
    db = tmp_path / "wh.duckdb"
    _warehouse_with_one_run(db)
    (tmp_path / "wh.duckdb.lock").mkdir()
    before, runs_before = _snapshot(tmp_path), _runs(db)
    _refused(_etl(plain_env, "run", "--db", str(db)), "wh.duckdb.lock is a directory")
    assert _snapshot(tmp_path) == before and _runs(db) == runs_before


def _unprivileged_prefix() -> tuple[str, ...]:
    """Run a command as nobody (uid 65534): as root every file is writable, whatever its mode."""
    setpriv = shutil.which("setpriv")
    if os.geteuid() != 0 or setpriv is None:
        pytest.skip("needs root and setpriv to run the CLI as an unprivileged user")
    prefix = (setpriv, "--reuid=65534", "--regid=65534", "--clear-groups")
    probe = subprocess.run([*prefix, ETL, "--version"], capture_output=True, timeout=120)
    if probe.returncode != 0:
        pytest.skip(f"the unprivileged user cannot run {ETL}: {probe.stderr.decode(errors='replace')[:200]}")
    return prefix


def test_a_read_only_warehouse_is_refused(plain_env: dict[str, str]) -> None:
    prefix = _unprivileged_prefix()
    directory = Path(tempfile.mkdtemp(prefix="etl-readonly-"))
    try:
        directory.chmod(0o777)  # nobody may create files here: only the warehouse is read-only
        db = directory / "wh.duckdb"
        _warehouse_with_one_run(db)
        db.chmod(0o444)
        before, runs_before = _snapshot(directory), _runs(db)
        env = {**plain_env, "HOME": str(directory)}
        _refused(_etl(env, "run", "--db", str(db), prefix=prefix), "is read-only")
        url = "http://www.people.com.cn/n1/2025/0903/c1004-1.html"
        _refused(_etl(env, "ingest", url, "--db", str(db), prefix=prefix), "is read-only")
        _refused(_etl(env, "migrate", "--db", str(db), prefix=prefix), "is read-only")
        assert _snapshot(directory) == before and _runs(db) == runs_before
    finally:
        shutil.rmtree(directory)


def test_extract_text_reads_gbk_like_a_page(plain_env: dict[str, str]) -> None:
    out = _etl(plain_env, "extract-text", "-", "--published", DAY, stdin=GROWTH.encode("gbk"))
    assert out.returncode == 0, out.stderr
    assert "5150.6万标箱" in out.stdout and "集装箱吞吐量" in out.stdout


def test_extract_text_refuses_binary_input(tmp_path: Path, plain_env: dict[str, str]) -> None:
    image = tmp_path / "photo.jpg"
    shutil.copy(next(SITE.glob("NMediaFile/**/*.jpg")), image)
    _refused(_etl(plain_env, "extract-text", str(image)), "photo.jpg is binary")
    noise = bytes(b for b in random.Random(7).randbytes(20_000) if b)  # no NUL byte at all
    _refused(_etl(plain_env, "extract-text", "-", stdin=noise), "stdin is binary")


@pytest.mark.parametrize("published", ["9999-06-01", "1900-01-01"])
def test_extract_text_refuses_a_publication_date_outside_the_archive(
    plain_env: dict[str, str], published: str
) -> None:
    text = "明年，全市将新增就业岗位10万个。\n"
    _refused(
        _etl(plain_env, "extract-text", "-", "--published", published, stdin=text.encode()), "--published"
    )


def test_upper_case_schemes_are_accepted_and_stored_in_lower_case(
    tmp_path: Path, site_url: str, prefect_env: dict[str, str]
) -> None:
    db = tmp_path / "upper.duckdb"
    shouted = site_url.replace("http://", "HTTP://")
    ran = _etl(
        prefect_env, "run", "--date", DAY, "--db", str(db), "--base-url", shouted + "/", "--delay", "0"
    )
    assert ran.returncode == 0, ran.stderr[-2000:]
    ingested = _etl(prefect_env, "ingest", shouted + PORTAL_ARTICLE, "--db", str(db), "--delay", "0")
    assert ingested.returncode == 0, ingested.stderr[-2000:]
    assert "1 articles loaded" in ingested.stdout
    con = duckdb.connect(str(db), read_only=True)
    try:
        urls = [row[0] for row in con.execute("SELECT url FROM pages").fetchall()]
    finally:
        con.close()
    assert site_url + PORTAL_ARTICLE in urls
    assert urls and all(u.startswith("http://") for u in urls)


# Prefect's limit is on the bytes of a flow run's parameters, not on a count of URLs: 300 URLs with
# long query strings (share and tracking tokens, as in links copied out of apps) are as far over it
# as 10,000 bare ones, in as many runs, and the command fetches 300 pages instead of 10,000.
LISTED_URLS = 300


def _listed_url(server: FaultServer, number: int) -> str:
    token = hashlib.sha256(str(number).encode()).hexdigest() * 30
    return server.url(f"/n1/2025/0903/c1004-{40_000_000 + number}.html?from=share&token={token}")


def test_a_url_list_over_the_flow_parameter_limit_from_a_file(
    tmp_path: Path, prefect_env: dict[str, str]
) -> None:
    """Far over Prefect's 512 KB limit on flow-run parameters: several runs, one report."""
    db = tmp_path / "many.duckdb"
    with FaultServer(root=SITE) as server:
        missing = [_listed_url(server, i) for i in range(LISTED_URLS - 1)]
        listing = tmp_path / "urls.txt"
        lines = ["# portal articles to load", "", server.url(PORTAL_ARTICLE), *missing[1:], "  "]
        listing.write_text("\n".join(lines) + "\n", encoding="utf-8")
        assert len("\n".join(lines)) > 512 * 1024
        # Two log lines a failed page are lines nobody reads here; the outcomes are asserted below.
        env = {**prefect_env, "PREFECT_LOGGING_LEVEL": "ERROR"}
        out = _etl(env, "ingest", missing[0], "--from-file", str(listing), "--db", str(db), "--delay", "0")
        requested = [r.path for r in server.requests]
    assert "Flow run parameters" not in out.stderr
    assert out.returncode == 1, out.stderr[-3000:]
    assert "1 articles loaded" in out.stdout and f"{len(missing)} failures" in out.stdout
    failed = [line for line in out.stderr.splitlines() if line.startswith("FAILED")]
    assert sorted(failed) == sorted(f"FAILED {u} [fetch] HTTP 404" for u in missing)
    # Every URL fetched once: the later runs do not retry what the earlier ones just failed.
    assert Counter(p for p in requested if p.startswith("/n")) == Counter(
        [PORTAL_ARTICLE, *(f"{urlsplit(u).path}?{urlsplit(u).query}" for u in missing)]
    )
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM articles").fetchall() == [(1,)]
        failures = {
            row[0] for row in con.execute("SELECT url FROM failures WHERE http_status = 404").fetchall()
        }
        runs = con.execute("SELECT count(*), min(status), max(status) FROM runs").fetchall()
    finally:
        con.close()
    assert failures == set(missing)
    assert runs[0][0] >= 2 and runs[0][1:] == ("partial", "partial")
