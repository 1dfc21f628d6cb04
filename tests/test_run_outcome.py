"""How a run ends when it cannot finish: stopped by SIGTERM/SIGINT, out of time, or failed by the
disk under the warehouse or archive. Real `etl run` subprocesses against the fault server, real
DuckDB files, real file systems (a small tmpfs, remounted read-only mid-run)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb
import pytest
from faultserver import Fault, FaultServer, FaultSpec

from etl.fetch.deadline import RUN_DEADLINE_REACHED

DAY = "2025-09-03"
ETL = str(Path(sys.executable).parent / "etl")
SITE = Path(__file__).parent / "fixtures" / "site"
CONTENT = "/rmrb/pc/content/202509/03/content_{}.html"
ARTICLES = 5
# Bounds on waits, never on speed: a stuck run would wait 120 s, a hung one for ever.
STOP_WITHIN = 30.0
GENEROUS = 300.0


@pytest.fixture(scope="module")
def prefect_env(prefect_harness: None) -> Iterator[dict[str, str]]:
    """Point the subprocesses at the session's test server instead of starting one each."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    for name in ("ETL_DB", "ETL_ARCHIVE", "ETL_RUN_DEADLINE"):
        env.pop(name, None)
    yield env


@pytest.fixture()
def site() -> Iterator[FaultServer]:
    with FaultServer(root=SITE) as server:
        yield server


def _file(path: str) -> bytes:
    return (SITE / path.lstrip("/")).read_bytes()


def _q(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _etl_run(env: dict[str, str], db: Path, site: FaultServer, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [ETL, "run", "--date", DAY, "--db", str(db), "--base-url", site.base_url, "--delay", "0", *extra],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _finish(proc: subprocess.Popen[str], timeout: float = GENEROUS) -> tuple[int, str, str]:
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        out, err = proc.communicate()
        pytest.fail(f"etl did not end within {timeout:.0f} s; stderr:\n{err[-3000:]}")
    return proc.returncode, out, err


def _wait_for(condition: Callable[[], bool], proc: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + GENEROUS
    while not condition():
        if proc.poll() is not None:
            pytest.fail(f"etl ended early ({proc.returncode}): {proc.communicate()[1][-3000:]}")
        if time.monotonic() > deadline:
            proc.kill()
            pytest.fail("the run never reached the point of the test")
        time.sleep(0.05)


def _last_line(text: str) -> str:
    return text.strip().splitlines()[-1]


def _assert_day_completes(env: dict[str, str], db: Path, site: FaultServer, runs_before: list[str]) -> None:
    """The next run, with the site healthy again, loads the whole day exactly once."""
    site.clear_faults()
    site.unroute("/robots.txt")
    code, _out, err = _finish(_etl_run(env, db, site))
    assert code == 0, err[-3000:]
    assert _q(db, "SELECT count(*), count(DISTINCT url) FROM articles") == [(ARTICLES, ARTICLES)]
    assert _q(db, "SELECT count(*) FROM images") == [(ARTICLES,)]
    assert _q(db, "SELECT count(*) FROM failures WHERE resolved_at IS NULL") == [(0,)]
    assert [s for (s,) in _q(db, "SELECT status FROM runs ORDER BY started_at")] == [*runs_before, "ok"]


def _prefect_state(run_id: str) -> str:
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        state = client.read_flow_run(run_id).state
    assert state is not None
    return str(state.type.value)


# -- item 10: SIGTERM / SIGINT -----------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_a_signal_during_a_crawl_delay_stops_the_run_at_once(
    tmp_path: Path, site: FaultServer, prefect_env: dict[str, str], signum: signal.Signals
) -> None:
    db = tmp_path / "w.duckdb"
    # The portal's own robots.txt asks for 120 s: the run spends nearly all its time waiting.
    site.robots("User-agent: *\nCrawl-delay: 120\n")
    proc = _etl_run(prefect_env, db, site)
    _wait_for(lambda: site.count("/robots.txt") == 1, proc)
    time.sleep(0.5)  # into the wait for the first 版面
    os.kill(proc.pid, signum)
    code, _out, err = _finish(proc, STOP_WITHIN)

    name = signal.Signals(signum).name
    assert code == 128 + signum, err[-3000:]
    assert _last_line(err) == (
        f"etl: stopped by {name}; the batch in progress was not loaded, the next run fetches its pages again"
    )
    ((run_id, status, message, finished),) = _q(db, "SELECT run_id, status, message, finished_at FROM runs")
    assert (status, finished is not None) == ("interrupted", True)
    assert isinstance(message, str) and message.startswith(f"stopped by {name}")
    assert _q(db, "SELECT count(*) FROM pages") == [(0,)]
    assert _prefect_state(str(run_id)) == "FAILED"
    _assert_day_completes(prefect_env, db, site, ["interrupted"])


def test_a_signal_mid_batch_drops_the_open_batch_whole(
    tmp_path: Path, site: FaultServer, prefect_env: dict[str, str]
) -> None:
    db = tmp_path / "w.duckdb"
    # The 版面 batch loads; in the article batch one page is fetched, the next asks for 120 s.
    slow = CONTENT.format(30170119)
    site.route(slow, FaultSpec(body=_file(slow), faults=[Fault.error(503, retry_after="120")]))
    proc = _etl_run(prefect_env, db, site)
    _wait_for(lambda: site.count(slow) == 1, proc)
    time.sleep(0.5)
    os.kill(proc.pid, signal.SIGTERM)
    code, _out, err = _finish(proc, STOP_WITHIN)

    assert code == 143, err[-3000:]
    assert site.count(CONTENT.format(30170118)) == 1  # fetched, then dropped with its batch
    assert _q(db, "SELECT status FROM runs") == [("interrupted",)]
    assert _q(db, "SELECT count(*) FROM articles") == [(0,)]
    assert _q(db, "SELECT DISTINCT kind FROM pages") == [("epaper_layout",)]
    _assert_day_completes(prefect_env, db, site, ["interrupted"])


# -- item 8: the run deadline ----------------------------------------------------------------------------


def test_pages_left_at_the_run_deadline_are_explained_and_the_next_run_completes(
    tmp_path: Path, site: FaultServer, prefect_env: dict[str, str]
) -> None:
    db = tmp_path / "w.duckdb"
    slow = CONTENT.format(30170119)
    site.route(slow, FaultSpec(body=_file(slow), faults=[Fault.error(503, retry_after="120")]))
    # Whatever this busy machine manages before the deadline, the 120 s wait outlasts it: the run
    # spends the whole deadline waiting, so a short one keeps the test short.
    code, _out, err = _finish(_etl_run(prefect_env, db, site, "--run-deadline", "5"))

    assert code == 1, err[-3000:]
    failed = [line for line in err.splitlines() if line.startswith("FAILED")]
    assert failed and all(line.endswith(f"[fetch] {RUN_DEADLINE_REACHED}") for line in failed)
    assert _last_line(err) == (
        "etl: run deadline of 5 s reached; pages not fetched are failures, retried next run"
    )
    ((status, message),) = _q(db, "SELECT status, message FROM runs")
    assert status == "partial" and "run deadline of 5 s reached" in str(message)
    reasons = _q(db, "SELECT DISTINCT reason FROM failures WHERE resolved_at IS NULL")
    assert reasons == [(RUN_DEADLINE_REACHED,)]
    _assert_day_completes(prefect_env, db, site, ["partial"])


def test_a_bad_run_deadline_is_usage(prefect_env: dict[str, str], tmp_path: Path) -> None:
    out = subprocess.run(
        [ETL, "run", "--date", DAY, "--db", str(tmp_path / "w.duckdb"), "--run-deadline", "0"],
        env=prefect_env,
        capture_output=True,
        text=True,
        timeout=GENEROUS,
    )
    assert out.returncode == 2 and "--run-deadline" in out.stderr


# -- item 11: the disk, the warehouse, the archive ---------------------------------------------------


def test_an_archive_path_that_is_a_file_is_refused_up_front(
    tmp_path: Path, site: FaultServer, prefect_env: dict[str, str]
) -> None:
    db = tmp_path / "w.duckdb"
    archive = tmp_path / "raw-is-a-file"
    archive.write_text("not a directory")
    code, _out, err = _finish(_etl_run({**prefect_env, "ETL_ARCHIVE": str(archive)}, db, site))

    assert code == 4, err[-3000:]
    assert _last_line(err).startswith(f"etl: cannot archive raw pages in {archive}: [Errno 17] File exists")
    assert _q(db, "SELECT status, message LIKE 'cannot archive raw pages in %' FROM runs") == [
        ("failed", True)
    ]
    assert site.requests == []  # refused before any page was asked for
    _assert_day_completes(prefect_env, db, site, ["failed"])


@pytest.fixture()
def small_disk(tmp_path: Path) -> Iterator[Path]:
    """A 16 MB tmpfs of our own: a real file system that fills up and can be made read-only. A healthy
    run needs room for the day's warehouse (about 4 MB) and, when it publishes, the analyst copy
    beside it and the copy's replacement being written."""
    mount_point = tmp_path / "disk"
    mount_point.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=16m", "tmpfs", str(mount_point)], capture_output=True, text=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root with CAP_SYS_ADMIN): {mounted.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def _fill(disk: Path, leave: int = 0) -> None:
    """Fill ``disk`` up, then give back ``leave`` bytes."""
    with open(disk / "filler", "wb") as handle:
        try:
            while True:
                handle.write(b"\0" * 65536)
                handle.flush()
        except OSError:
            pass
    filler = disk / "filler"
    if leave:
        os.truncate(filler, max(0, filler.stat().st_size - leave))


def test_a_full_disk_under_the_warehouse_fails_the_run_with_exit_4(
    tmp_path: Path, site: FaultServer, prefect_env: dict[str, str], small_disk: Path
) -> None:
    db = small_disk / "w.duckdb"
    env = {**prefect_env, "ETL_ARCHIVE": str(tmp_path / "raw")}  # only the warehouse's disk fills up
    first = CONTENT.format(30170118)
    # The disk fills up while the article batch is being fetched, after the 版面 batch loaded.
    site.route(first, FaultSpec(body=_file(first), on_request=lambda: _fill(small_disk)))
    code, _out, err = _finish(_etl_run(env, db, site))

    assert code == 4, err[-3000:]
    assert _last_line(err).startswith(f"etl: warehouse {db} cannot be written: "), err[-5000:]
    assert "No space left on device" in _last_line(err)
    assert _q(db, "SELECT count(*) FROM articles") == [(0,)]  # no half batch
    # A disk with no byte left takes not even the failure rows or the end of the run: the run row
    # stays as it was, the pages stay unrecorded, and the next run marks the row and redoes them.
    assert _q(db, "SELECT status FROM runs") == [("running",)]
    (small_disk / "filler").unlink()
    site.unroute(first)
    _assert_day_completes(env, db, site, ["aborted"])


def test_a_warehouse_made_read_only_mid_run_exits_4_and_the_next_run_completes(
    tmp_path: Path, site: FaultServer, prefect_env: dict[str, str], small_disk: Path
) -> None:
    # The warehouse file lives on the small disk, reached through a link as an operator's might be;
    # the run lock next to it is held open read-only, so the disk can still be remounted.
    db = tmp_path / "w.duckdb"
    db.symlink_to(small_disk / "w.duckdb")
    env = {**prefect_env, "ETL_ARCHIVE": str(tmp_path / "raw")}
    first = CONTENT.format(30170118)

    def read_only() -> None:
        subprocess.run(["mount", "-o", "remount,ro", str(small_disk)], check=True)

    site.route(first, FaultSpec(body=_file(first), on_request=read_only))
    code, _out, err = _finish(_etl_run(env, db, site))

    assert code == 4, err[-3000:]
    assert _last_line(err).startswith(f"etl: warehouse {db} cannot be written: ")
    assert "Read-only file system" in _last_line(err)
    # Nothing could be written any more: the run row stays as it was, and the next run says so.
    assert _q(db, "SELECT status FROM runs") == [("running",)]
    subprocess.run(["mount", "-o", "remount,rw", str(small_disk)], check=True)
    site.unroute(first)
    _assert_day_completes(env, db, site, ["aborted"])


def test_an_archive_disk_that_fills_up_mid_run_fails_its_pages_with_exit_4(
    tmp_path: Path, site: FaultServer, prefect_env: dict[str, str], small_disk: Path
) -> None:
    db = tmp_path / "w.duckdb"
    env = {**prefect_env, "ETL_ARCHIVE": str(small_disk / "raw")}
    first = CONTENT.format(30170118)
    site.route(first, FaultSpec(body=_file(first), on_request=lambda: _fill(small_disk)))
    code, _out, err = _finish(_etl_run(env, db, site))

    assert code == 4, err[-3000:]
    failed = [line for line in err.splitlines() if line.startswith("FAILED")]
    assert len(failed) == ARTICLES
    assert all("[fetch] cannot archive raw page: [Errno 28] No space left on device" in f for f in failed)
    assert _last_line(err) == (
        f"etl: {ARTICLES} pages failed: cannot archive raw page: [Errno 28] No space left on device"
    )
    assert _q(db, "SELECT status FROM runs") == [("failed",)]
    assert _q(db, "SELECT count(*) FROM failures WHERE resolved_at IS NULL") == [(ARTICLES,)]
    (small_disk / "filler").unlink()
    site.unroute(first)
    _assert_day_completes(env, db, site, ["failed"])


def test_a_batch_the_disk_refuses_leaves_its_pages_as_load_failures(
    tmp_path: Path, small_disk: Path, prefect_harness: None
) -> None:
    from etl import load
    from etl.fetch import Fetcher, RawArchive
    from etl.models import Article, Paragraph, ProcessedArticle
    from flows.common import RunSummary, load_and_record
    from flows.tasks import BatchResult, Crawl

    db = small_disk / "w.duckdb"
    load.start_run(db, "run-1", "ingest_urls", {})
    urls = [f"http://www.people.com.cn/n1/2025/0903/c1004-4055667{i}.html" for i in range(3)]
    # Together far more than the disk has left; the failure rows that replace them are tiny.
    articles = [
        ProcessedArticle(
            Article(url, "标题", "portal_2020", paragraphs=(Paragraph(os.urandom(750_000).hex()),))
        )
        for url in urls
    ]
    _fill(small_disk, leave=2 * 1024 * 1024)
    crawl = Crawl(run_id="run-1", db_path=db, fetcher=Fetcher(), archive=RawArchive(tmp_path / "raw"))
    with pytest.raises(load.WarehouseUnwritable, match="No space left on device"):
        load_and_record(crawl, RunSummary("run-1", "ingest_urls"), BatchResult(articles=articles))

    assert _q(db, "SELECT count(*) FROM articles") == [(0,)]
    rows = _q(db, "SELECT url, kind, stage, reason FROM failures ORDER BY url")
    assert [(url, kind, stage) for url, kind, stage, _ in rows] == [
        (url, "portal_article", "load") for url in urls
    ]
    assert all(
        str(reason).startswith(f"not loaded: warehouse {db} cannot be written: ") for *_, reason in rows
    )
