"""`etl reprocess` end to end: the sample site crawled once on 127.0.0.1, the server stopped, then the
archived pages read again into a real DuckDB file by real Prefect runs (a real Dask cluster too)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from etl.extract import EXTRACTOR_VERSION
from etl.fetch import RawArchive
from flows.epaper import daily_epaper
from flows.ingest import ingest_urls
from flows.reprocess import ReprocessSummary, reprocess_archive

pytestmark = pytest.mark.usefixtures("prefect_harness")

DAY = "2025-09-03"
SITE = Path(__file__).parent / "fixtures" / "site"
PORTAL_TWO_PAGES = "/n1/2025/0903/c1004-40556677.html"
PORTAL_GBK = "/n2/2025/0902/c134768-41234567.html"  # published 2025-09-02, the others 2025-09-03
ETL = str(Path(sys.executable).parent / "etl")
TABLES = ("articles", "images", "indicators")


def _q(db: Path, sql: str, params: list[object] | None = None) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql, params or []).fetchall()
    finally:
        con.close()


def _write(db: Path, *statements: str) -> None:
    con = duckdb.connect(str(db))
    try:
        for sql in statements:
            con.execute(sql)
    finally:
        con.close()


def _rows(db: Path, *, with_write_stamps: bool = False) -> dict[str, list[tuple[object, ...]]]:
    """Every row of the article tables; without the columns that say when and by which run an
    article was written, unless asked (equal stamps prove nothing was rewritten)."""
    stamps = "" if with_write_stamps else " EXCLUDE (loaded_at, run_id)"
    return {t: _q(db, f"SELECT *{stamps if t == 'articles' else ''} FROM {t} ORDER BY ALL") for t in TABLES}


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Path:
    """A warehouse and its raw archive from one crawl of the sample site, whose server is stopped
    before any test reprocesses: nothing can be fetched any more."""
    root = tmp_path_factory.mktemp("crawled")
    db = root / "w.duckdb"
    from etl.demo import serve_directory

    with serve_directory(SITE) as base:
        epaper = daily_epaper(date=DAY, db=str(db), base_url=base, delay=0)
        portal = ingest_urls(urls=[base + PORTAL_TWO_PAGES, base + PORTAL_GBK], db=str(db), delay=0)
    assert epaper.failures == [] and portal.failures == []
    with pytest.raises(OSError):
        urllib.request.urlopen(base + PORTAL_GBK, timeout=5)
    return db


@pytest.fixture
def warehouse(crawled: Path, tmp_path: Path) -> Path:
    """A copy of the crawled warehouse and archive for one test to change."""
    db = tmp_path / "w.duckdb"
    shutil.copy(crawled, db)
    shutil.copytree(crawled.parent / "raw", tmp_path / "raw")
    return db


def _reprocess(db: Path, **params: object) -> ReprocessSummary:
    return reprocess_archive(db=str(db), **params)  # type: ignore[arg-type]


def _last_run(db: Path) -> tuple[object, ...]:
    return _q(
        db,
        "SELECT flow, status, articles_loaded, articles_unchanged, articles_reprocessed, "
        "articles_indicators_changed, indicators_added, indicators_removed, failures "
        "FROM runs ORDER BY started_at DESC LIMIT 1",
    )[0]


def test_reprocess_without_the_network_rebuilds_identical_rows(warehouse: Path) -> None:
    crawled = _rows(warehouse, with_write_stamps=True)
    crawled_rows = _rows(warehouse)
    indicators = len(crawled["indicators"])

    # Nothing changed since the crawl: nothing is written.
    same = _reprocess(warehouse)
    assert (same.status, same.counts.articles_loaded, same.counts.articles_unchanged) == ("ok", 0, 7)
    assert same.changes.articles_reprocessed == 7 and same.changes.articles_changed == 0
    assert _rows(warehouse, with_write_stamps=True) == crawled

    # Every article, image and indicator row gone: the archive alone brings them back as they were,
    # the two-page article stitched and the e-paper articles with their 版面's page, name and editors.
    _write(warehouse, *(f"DELETE FROM {t}" for t in TABLES))
    rebuilt = _reprocess(warehouse)
    assert (rebuilt.counts.articles_loaded, rebuilt.changes.articles_changed) == (7, 7)
    assert (rebuilt.changes.added, rebuilt.changes.removed) == (indicators, 0)
    assert _rows(warehouse) == crawled_rows
    assert _last_run(warehouse) == ("reprocess_archive", "ok", 7, 0, 7, 7, indicators, 0, 0)

    # Idempotent: a second pass rewrites nothing.
    before = _rows(warehouse, with_write_stamps=True)
    again = _reprocess(warehouse)
    assert (again.counts.articles_loaded, again.counts.articles_unchanged) == (0, 7)
    assert _rows(warehouse, with_write_stamps=True) == before


def test_rows_an_older_extractor_left_are_replaced_and_counted(warehouse: Path) -> None:
    """The warehouse as an older extractor could have left it: figures it missed, a metric it got
    wrong, a spurious row, and its own version on every row. Reprocessing brings each article to
    what the current extractor reads, without a duplicate, and counts what moved, per metric."""
    crawled = _rows(warehouse)
    gbk_id = _q(warehouse, "SELECT article_id FROM articles WHERE url LIKE ?", [f"%{PORTAL_GBK}"])[0][0]
    missed = _q(
        warehouse,
        "SELECT indicator_id, metric FROM indicators WHERE article_id <> ? ORDER BY indicator_id LIMIT 3",
        [gbk_id],
    )
    relabelled = _q(
        warehouse,
        "SELECT indicator_id, metric FROM indicators WHERE article_id = ? ORDER BY indicator_id LIMIT 1",
        [gbk_id],
    )[0]
    ids = ", ".join(f"'{i}'" for i, _ in missed)
    _write(
        warehouse,
        f"DELETE FROM indicators WHERE indicator_id IN ({ids})",
        f"UPDATE indicators SET metric = '旧口径' WHERE indicator_id = '{relabelled[0]}'",
        # a row of the GBK article no current rule produces: its first row again, at another span
        "INSERT INTO indicators SELECT * REPLACE ('spurious' AS indicator_id, char_start + 1 AS char_start) "
        f"FROM indicators WHERE indicator_id = '{relabelled[0]}'",
        "UPDATE articles SET extractor_version = 'older'",
        "UPDATE indicators SET extractor_version = 'older'",
    )

    summary = _reprocess(warehouse)
    assert summary.status == "ok"
    # Every article was stamped by the older version, so every one is rewritten; only those whose
    # figures differ count as changed.
    changed_articles = len(_articles_of(crawled, missed) | {gbk_id})
    assert summary.counts.articles_loaded == 7
    assert summary.changes.articles_changed == changed_articles
    assert (summary.changes.added, summary.changes.removed) == (len(missed) + 1, 2)
    expected_added: dict[str, int] = {}
    for _, metric in [*missed, relabelled]:
        expected_added[str(metric)] = expected_added.get(str(metric), 0) + 1
    by_metric = {c.metric: (c.added, c.removed) for c in summary.changes.by_metric()}
    assert by_metric.pop("旧口径") == (0, 2)
    assert by_metric == {m: (n, 0) for m, n in expected_added.items()}

    assert _rows(warehouse) == crawled
    assert _q(warehouse, "SELECT DISTINCT extractor_version FROM indicators") == [(EXTRACTOR_VERSION,)]
    assert _q(warehouse, "SELECT DISTINCT extractor_version FROM articles") == [(EXTRACTOR_VERSION,)]
    assert _last_run(warehouse)[4:8] == (7, changed_articles, len(missed) + 1, 2)
    assert "| 旧口径 | 0 | 2 |" in _latest_artifact("reprocess-archive")
    (stored,) = _q(warehouse, "SELECT indicator_changes FROM runs ORDER BY started_at DESC LIMIT 1")[0]
    assert '"旧口径": {"added": 0, "removed": 2}' in str(stored)


def _latest_artifact(key: str) -> str:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    with get_client(sync_client=True) as client:
        (artifact,) = client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
            sort=ArtifactSort.CREATED_DESC,
            limit=1,
        )
    return str(artifact.data)


def _articles_of(
    rows: dict[str, list[tuple[object, ...]]], indicators: list[tuple[object, ...]]
) -> set[object]:
    wanted = {i for i, _ in indicators}
    return {r[1] for r in rows["indicators"] if r[0] in wanted}


def test_since_and_until_choose_articles_by_their_published_date(warehouse: Path) -> None:
    _write(warehouse, *(f"DELETE FROM {t}" for t in TABLES))  # dates then come from the URLs
    day_before = _reprocess(warehouse, until="2025-09-02")
    assert day_before.changes.articles_reprocessed == 1
    assert _q(warehouse, "SELECT url LIKE ? FROM articles", [f"%{PORTAL_GBK}"]) == [(True,)]
    later = _reprocess(warehouse, since=DAY, until=DAY)
    assert later.changes.articles_reprocessed == 6 and later.counts.articles_loaded == 6
    # Now every article has its stored date: a day with none of them reads nothing.
    assert _reprocess(warehouse, since="2025-09-04").changes.articles_reprocessed == 0


def _archived(db: Path, url_like: str) -> Path:
    (sha,) = _q(db, "SELECT sha256 FROM pages WHERE url LIKE ?", [url_like])[0]
    return RawArchive(db.parent / "raw").path_for(str(sha))


@pytest.fixture(scope="module")
def prefect_env(prefect_harness: None) -> Iterator[dict[str, str]]:
    """Point the subprocesses at the session's test server instead of starting one each."""
    from prefect.settings import PREFECT_API_URL

    env = {**os.environ, "PREFECT_API_URL": str(PREFECT_API_URL.value())}
    env.pop("ETL_DB", None)
    env.pop("ETL_ARCHIVE", None)
    yield env


@pytest.mark.slow
def test_a_damaged_archive_entry_is_a_failure_and_the_rest_is_reprocessed(
    warehouse: Path, prefect_env: dict[str, str]
) -> None:
    unreadable = (
        "SELECT * FROM articles WHERE url LIKE '%content_30170120.html' OR url LIKE '%c1004-40556677.html'"
    )
    kept = _q(warehouse, unreadable)
    assert len(kept) == 2
    article = _archived(warehouse, "%content_30170120.html")
    article.write_bytes(article.read_bytes()[:40])  # truncated
    continuation = _archived(warehouse, "%c1004-40556677-2.html")
    continuation.write_bytes(b"")
    _write(warehouse, "DELETE FROM indicators")  # so the readable articles have something to restore

    out = subprocess.run(
        [ETL, "reprocess", "--db", str(warehouse)],
        env=prefect_env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert out.returncode == 1, out.stderr
    failed = [line for line in out.stderr.splitlines() if line.startswith("FAILED")]
    assert len(failed) == 2
    (damaged,) = [line for line in failed if "content_30170120.html" in line]
    assert "content_30170120.html [fetch] archived copy is damaged (" in damaged
    (stitched,) = [line for line in failed if "c1004-40556677.html [fetch] continuation page" in line]
    assert "c1004-40556677-2.html: archived copy is damaged (empty file)" in stitched
    assert "reprocessed 5 archived articles: 5 rewritten, 5 with changed indicators" in out.stdout
    assert "reprocess_archive partial: 5 articles loaded" in out.stdout

    assert _q(
        warehouse,
        "SELECT count(*) FROM failures WHERE resolved_at IS NULL AND stage = 'fetch' AND retry = 'transient'",
    ) == [(2,)]
    assert _last_run(warehouse)[:2] == ("reprocess_archive", "partial")
    # The two articles that could not be read keep their stored rows.
    assert _q(warehouse, unreadable) == kept


@pytest.mark.slow
def test_two_dask_workers_give_the_rows_of_one(warehouse: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    _write(warehouse, *(f"DELETE FROM {t}" for t in TABLES))
    shutil.copy(warehouse, other / "w.duckdb")
    shutil.copytree(warehouse.parent / "raw", other / "raw")

    one = _reprocess(warehouse, batch_size=2)
    two = _reprocess(other / "w.duckdb", workers=2, batch_size=2)  # a LocalCluster of 2 processes
    assert one.counts.articles_loaded == two.counts.articles_loaded == 7
    assert one.changes.counters() == two.changes.counters()
    assert _rows(warehouse) == _rows(other / "w.duckdb")
    assert (
        _q(other / "w.duckdb", "SELECT params FROM runs WHERE flow = 'reprocess_archive'")[0][0].count(
            '"workers": 2'
        )
        == 1
    )  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "2025-09-04", "--until", "2025-09-03"], "must not be after --until"),
        (["--workers", "2", "--dask-address", "tcp://127.0.0.1:8786"], "not both"),
        (["--dask-address", "127.0.0.1"], "Dask scheduler address"),
        (["--db", "missing.duckdb"], "nothing to reprocess"),
    ],
)
def test_bad_options_exit_2_before_anything_is_written(tmp_path: Path, args: list[str], message: str) -> None:
    env = {k: v for k, v in os.environ.items() if k != "ETL_DB"}
    out = subprocess.run([ETL, "reprocess", *args], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert out.returncode == 2
    assert out.stderr.startswith("etl: bad setting") and message in out.stderr
    assert list(tmp_path.iterdir()) == []
