import datetime as dt
import os
import shutil
import subprocess
import sys
import textwrap
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from etl import load
from etl.models import (
    Article,
    Failure,
    FailureStage,
    FetchResult,
    FetchStatus,
    Image,
    Indicator,
    PageKind,
    Paragraph,
    ProcessedArticle,
    Qualifier,
    Retry,
)

RUN = "run-1"
VERSION = "test-1"


def _article(
    url: str, body: str = "2024年，上海港集装箱吞吐量5150.6万标箱。", title: str = "标题"
) -> ProcessedArticle:
    start = body.index("5150.6万标箱") if "5150.6万标箱" in body else 0
    article = Article(
        url=url,
        title=title,
        template="epaper_new",
        published_at=dt.datetime(2025, 9, 3),
        source="人民日报",
        authors=("张三",),
        editors=("李四", "王五"),
        page_no=1,
        page_name="要闻",
        paragraphs=(Paragraph("小标题", is_subhead=True), Paragraph(body)),
        images=(
            Image(0, "http://x/a.jpg", "陆家嘴的天际线。", "人民网 马作鹏摄"),
            Image(1, "http://x/b.jpg"),
        ),
    )
    indicator = Indicator(
        value=51506000.0,
        unit="标箱",
        qualifier=Qualifier.EXACT,
        metric="集装箱吞吐量",
        raw="5150.6万标箱",
        sentence=body,
        char_start=len("小标题\n") + start,
        char_end=len("小标题\n") + start + len("5150.6万标箱"),
        period="2024",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31),
        region="上海",
    )
    return ProcessedArticle(article=article, indicators=[indicator], fetched_at=dt.datetime(2025, 9, 3, 1))


def _fetch(url: str, sha: str = "a" * 64, status: FetchStatus = FetchStatus.OK) -> FetchResult:
    return FetchResult(
        url=url,
        status=status,
        http_status=200 if status is FetchStatus.OK else 304,
        sha256=sha,
        size=10,
        encoding="utf-8",
        etag='"v1"',
        fetched_at=dt.datetime(2025, 9, 3, 1),
    )


def _rows(db: Path, sql: str) -> list[tuple[object, ...]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _load(db: Path, **kw: object) -> load.LoadCounts:
    load.ensure_schema(db)
    return load.load_batch(db, RUN, extractor_version=VERSION, **kw)  # type: ignore[arg-type]


def test_migrations_apply_once(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with load.connect(db) as con:
        assert load.migrate(con) == [v for v, _ in load.migration_files()]
        assert load.migrate(con) == []
        views = {
            r[0] for r in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
        }
    assert {"v_indicators", "v_captions", "v_open_failures", "v_daily_summary"} <= views


def test_load_then_reload_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    items = [_article("http://x/1.html"), _article("http://x/2.html", title="另一篇")]
    first = _load(db, articles=items, fetches=[(_fetch("http://x/1.html"), PageKind.EPAPER_ARTICLE)])
    assert (first.articles_loaded, first.images_loaded, first.indicators_loaded) == (2, 4, 2)
    snapshot = {t: _rows(db, f"SELECT * FROM {t} ORDER BY ALL") for t in ("articles", "images", "indicators")}

    again = _load(db, articles=items, fetches=[(_fetch("http://x/1.html"), PageKind.EPAPER_ARTICLE)])
    assert (again.articles_loaded, again.articles_unchanged, again.indicators_loaded) == (0, 2, 0)
    assert {t: _rows(db, f"SELECT * FROM {t} ORDER BY ALL") for t in snapshot} == snapshot

    (row,) = _rows(
        db,
        "SELECT body_text, subheads, authors, editors, paragraph_count FROM articles WHERE url = 'http://x/1.html'",
    )
    assert row == (
        "小标题\n2024年，上海港集装箱吞吐量5150.6万标箱。",
        ["小标题"],
        ["张三"],
        ["李四", "王五"],
        2,
    )
    (span,) = _rows(
        db,
        "SELECT a.body_text[i.char_start + 1 : i.char_end], i.raw "
        "FROM indicators i JOIN articles a USING (article_id) LIMIT 1",
    )
    assert span[0] == span[1] == "5150.6万标箱"


def test_changed_article_replaces_its_children(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    _load(db, articles=[_article("http://x/1.html")])
    changed = _article("http://x/1.html", body="更正：2024年，上海港集装箱吞吐量5150.6万标箱。")
    changed.article = replace(changed.article, images=changed.article.images[:1])
    counts = _load(db, articles=[changed])
    assert counts.articles_loaded == 1
    assert _rows(db, "SELECT count(*) FROM images") == [(1,)]
    assert _rows(db, "SELECT count(*) FROM indicators") == [(1,)]
    assert _rows(db, "SELECT body_text LIKE '%更正%' FROM articles") == [(True,)]


def test_new_extractor_version_reloads(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    _load(db, articles=[_article("http://x/1.html")])
    load.ensure_schema(db)
    counts = load.load_batch(db, RUN, articles=[_article("http://x/1.html")], extractor_version="test-2")
    assert counts.articles_loaded == 1
    assert _rows(db, "SELECT DISTINCT extractor_version FROM indicators") == [("test-2",)]


def test_duplicates_within_a_batch_load_once(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    a, b = _article("http://x/1.html", title="旧"), _article("http://x/1.html", title="新")
    counts = _load(db, articles=[a, b], fetches=[(_fetch("http://x/1.html"), None)] * 2)
    assert counts.articles_loaded == 1
    assert _rows(db, "SELECT title FROM articles") == [("新",)]
    assert _rows(db, "SELECT count(*) FROM pages") == [(1,)]


def test_failures_count_up_then_resolve(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    fail = Failure("http://x/1.html", "fetch", "HTTP 503 after 4 attempts", 503, 4, PageKind.EPAPER_ARTICLE)
    _load(db, failures=[fail])
    _load(db, failures=[replace(fail, reason="timed out", http_status=None)])
    assert [f.failure_count for f in load.open_failures(db)] == [2]
    assert load.open_failures(db)[0].reason == "timed out"
    _load(db, articles=[_article("http://x/1.html")])
    assert load.open_failures(db) == []
    assert _rows(db, "SELECT count(*) FROM failures WHERE resolved_at IS NOT NULL") == [(1,)]
    # It broke again later: a fresh open failure, counted from one.
    _load(db, failures=[fail])
    assert [f.failure_count for f in load.open_failures(db)] == [1]


def test_a_304_keeps_the_stored_body(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    _load(db, fetches=[(_fetch("http://x/1.html", sha="b" * 64), PageKind.EPAPER_LAYOUT)])
    not_modified = FetchResult(
        url="http://x/1.html",
        status=FetchStatus.NOT_MODIFIED,
        http_status=304,
        fetched_at=dt.datetime(2025, 9, 4),
    )
    _load(db, fetches=[(not_modified, PageKind.EPAPER_LAYOUT)])
    (row,) = _rows(db, "SELECT status, sha256, fetched_at, checked_at, etag FROM pages")
    # Times are TIMESTAMPTZ: naive fetch times are UTC.
    assert row == (
        "not_modified",
        "b" * 64,
        dt.datetime(2025, 9, 3, 1, tzinfo=dt.UTC),
        dt.datetime(2025, 9, 4, tzinfo=dt.UTC),
        '"v1"',
    )
    assert load.validators_for(db, ["http://x/1.html"])["http://x/1.html"].sha256 == "b" * 64


def test_hostile_text_is_stored_verbatim(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    nasty = "'); DROP TABLE articles; -- 5150.6万标箱"
    _load(db, articles=[_article("http://x/1.html?q=' OR 1=1", body=nasty, title="\"'`;")])
    assert _rows(db, "SELECT title, url FROM articles") == [("\"'`;", "http://x/1.html?q=' OR 1=1")]


def test_a_failed_batch_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    bad = _article("http://x/2.html")
    bad.article = replace(bad.article, title=None)  # type: ignore[arg-type]  # violates NOT NULL
    with pytest.raises(duckdb.Error):
        _load(
            db,
            articles=[_article("http://x/1.html"), bad],
            failures=[Failure("http://x/3.html", "fetch", "x")],
        )
    assert _rows(db, "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM failures)") == [(0, 0)]


def test_runs_are_recorded_and_killed_runs_marked(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load.start_run(db, "r1", "daily_epaper", {"date": "2025-09-03"})
    load.start_run(db, "r2", "daily_epaper", {"date": "2025-09-03"})  # r1 never finished
    load.finish_run(db, "r2", "ok", {"articles_loaded": 3, "failures": 0})
    assert _rows(db, "SELECT run_id, status, articles_loaded FROM runs ORDER BY run_id") == [
        ("r1", "aborted", 0),
        ("r2", "ok", 3),
    ]
    with pytest.raises(ValueError):
        load.finish_run(db, "r2", "ok", {"articles_loaded; DROP TABLE runs": 1})


def test_run_lock_excludes_a_second_run(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    with (
        load.run_lock(db),
        pytest.raises(load.WarehouseBusy, match="another run"),
        load.run_lock(db, wait_seconds=0),
    ):
        pass
    with load.run_lock(db, wait_seconds=0):  # released again
        pass


def test_connect_waits_then_reports_a_busy_warehouse(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    load.ensure_schema(db)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            textwrap.dedent(f"""
            import duckdb, sys, time
            con = duckdb.connect({str(db)!r})
            print("held", flush=True)
            sys.stdin.readline()
        """),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        with (
            # DuckDB's lock error names the holder's PID; the message names the process.
            pytest.raises(
                load.WarehouseBusy, match=rf"warehouse busy: .* held by PID {holder.pid} \(.*python"
            ),
            load.connect(db, wait_seconds=0.5),
        ):
            pass
    finally:
        holder.communicate("\n", timeout=30)
    with load.connect(db, wait_seconds=0.5) as con:
        assert con.execute("SELECT 1").fetchone() == (1,)


def test_the_same_article_from_another_host_is_one_row(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    live = "http://paper.people.com.cn/rmrb/pc/content/202509/03/content_30170118.html"
    mirror = "http://127.0.0.1:8765/rmrb/pc/content/202509/03/content_30170118.html"
    _load(db, failures=[Failure(mirror, "fetch", "HTTP 503", 503, 4, PageKind.EPAPER_ARTICLE)])
    _load(db, articles=[_article(live)])
    again = _load(db, articles=[_article(mirror)])
    assert again.articles_unchanged == 1
    assert _rows(db, "SELECT url FROM articles") == [(live,)]
    # The failure on the mirror is resolved by the same article loading from the live site.
    assert load.open_failures(db) == []
    changed = _load(db, articles=[_article(mirror, title="改")])
    assert changed.articles_loaded == 1
    assert _rows(db, "SELECT url, title FROM articles") == [(mirror, "改")]


def test_pages_that_parse_resolve_their_failures(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    layout = "http://x/rmrb/pc/layout/202509/03/node_02.html"
    _load(db, failures=[Failure(layout, "fetch", "HTTP 500", 500, 4, PageKind.EPAPER_LAYOUT)])
    assert [f.url for f in load.open_failures(db)] == [layout]
    _load(db, succeeded_urls=[layout])
    assert load.open_failures(db) == []


@pytest.mark.parametrize(
    ("http_status", "retry", "runs_retried"),
    [
        (404, Retry.GONE, load.MAX_RUNS_WHEN_GONE),
        (410, Retry.GONE, load.MAX_RUNS_WHEN_GONE),
        (503, Retry.TRANSIENT, load.MAX_RUNS_PER_FAILURE),
    ],
)
def test_failures_stop_being_retried_after_a_while(
    tmp_path: Path, http_status: int, retry: Retry, runs_retried: int
) -> None:
    db = tmp_path / "w.duckdb"
    fail = Failure(
        "http://x/1.html", FailureStage.FETCH, f"HTTP {http_status}", http_status, 1, PageKind.PORTAL_ARTICLE
    )
    fail = replace(fail, retry=retry)  # as etl.compose.fetch_failure decides it from the status
    retryable_runs = 0
    for _ in range(runs_retried + 2):
        _load(db, failures=[fail])
        retryable_runs += bool(load.open_failures(db, retryable_only=True))
    assert retryable_runs == runs_retried - 1  # the first failure plus the retries make the limit
    assert [f.url for f in load.open_failures(db)] == ["http://x/1.html"]  # still listed


def test_a_refused_host_is_listed_but_never_retried(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    refused = Failure(
        "http://evil.example/a.html",
        FailureStage.FETCH,
        "host not allowed: evil.example",
        None,
        0,
        retry=Retry.NEVER,  # as etl.compose.fetch_failure decides it for a host nobody named
    )
    _load(db, failures=[refused])
    assert [f.url for f in load.open_failures(db)] == ["http://evil.example/a.html"]
    assert load.open_failures(db, retryable_only=True) == []


def test_a_row_stored_under_another_id_is_replaced_not_duplicated(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    url = "http://x/n1/2025/0903/c1004-1.html"
    _load(db, articles=[_article(url)])
    con = duckdb.connect(str(db))
    try:  # as an older release keyed articles: by a hash of the whole URL
        con.execute("UPDATE indicators SET article_id = 'old-id'")
        con.execute("UPDATE images SET article_id = 'old-id'")
        con.execute("UPDATE articles SET article_id = 'old-id'")
    finally:
        con.close()
    counts = _load(db, articles=[_article(url)])
    assert counts.articles_loaded == 1
    assert _rows(db, "SELECT article_id = 'old-id', url FROM articles") == [(False, url)]
    assert _rows(db, "SELECT count(*) FROM images WHERE article_id = 'old-id'") == [(0,)]


EPAPER_URL = "http://paper.people.com.cn/rmrb/pc/content/202509/03/content_30170118.html"
LONG_BODY = (
    "2024年，上海港集装箱吞吐量5150.6万标箱。" + "港口持续优化航线布局，提升服务能力，推动高质量发展。" * 12
)


def test_a_drastically_shrunk_version_keeps_the_stored_rows(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    _load(db, articles=[_article(EPAPER_URL, body=LONG_BODY)])
    snapshot = {t: _rows(db, f"SELECT * FROM {t} ORDER BY ALL") for t in ("articles", "images", "indicators")}
    shrunk = _article(EPAPER_URL, body="本页内容调整中，敬请关注。")
    shrunk.indicators = []

    counts = _load(db, articles=[shrunk])
    assert (counts.articles_loaded, counts.articles_unchanged, counts.loaded_urls) == (0, 0, [])
    assert {t: _rows(db, f"SELECT * FROM {t} ORDER BY ALL") for t in snapshot} == snapshot
    (held,) = counts.suspicious_changes
    assert (held.url, held.stage, held.kind) == (EPAPER_URL, "load", PageKind.EPAPER_ARTICLE)
    assert held.reason == (
        f"suspicious change: body {len('小标题') + 1 + len(LONG_BODY):,} → 17 characters, "
        "paragraphs 2 → 2, indicators 1 → 0; kept the stored version (rerun with --accept-changes to take it)"
    )
    (failure,) = load.open_failures(db, retryable_only=True)
    assert (failure.url, failure.stage, failure.kind, failure.reason) == (
        EPAPER_URL,
        "load",
        "epaper_article",
        held.reason,
    )

    # The page as stored comes back: nothing to write, and the failure resolves by itself.
    again = _load(db, articles=[_article(EPAPER_URL, body=LONG_BODY)])
    assert (again.articles_unchanged, again.suspicious_changes) == (1, [])
    assert load.open_failures(db) == []

    # Accepted deliberately: the new version replaces the stored one.
    _load(db, articles=[shrunk])
    assert [f.stage for f in load.open_failures(db)] == ["load"]
    accepted = load.load_batch(db, RUN, articles=[shrunk], extractor_version=VERSION, accept_changes=True)
    assert (accepted.articles_loaded, accepted.suspicious_changes) == (1, [])
    assert _rows(db, "SELECT body_text FROM articles") == [("小标题\n本页内容调整中，敬请关注。",)]
    assert _rows(db, "SELECT count(*) FROM indicators") == [(0,)]
    assert load.open_failures(db) == []


def test_named_urls_are_pending_until_loaded_or_failed(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    portal = "http://finance.people.com.cn/n1/2025/0903/c1004-40556677.html"
    gone = "http://finance.people.com.cn/n1/2025/0903/c1004-1.html"
    already = "http://finance.people.com.cn/n1/2025/0903/c1004-2.html"
    load.ensure_schema(db)
    _load(db, failures=[Failure(already, "fetch", "HTTP 503", 503, 4, PageKind.PORTAL_ARTICLE)])

    load.record_pending(db, "run-2", [portal, gone, already, EPAPER_URL])
    pending = {f.url: f for f in load.open_failures(db, retryable_only=True)}
    assert set(pending) == {portal, gone, already, EPAPER_URL}
    assert pending[already].reason == "HTTP 503"  # an open failure keeps its reason
    assert {pending[u].stage for u in (portal, gone, EPAPER_URL)} == {"pending"}
    assert pending[EPAPER_URL].kind == "epaper_article"
    assert pending[portal].reason == load.PENDING_REASON
    assert pending[portal].failure_count == 0

    _load(
        db,
        articles=[_article(portal)],
        failures=[Failure(gone, "fetch", "HTTP 404", 404, 1, PageKind.PORTAL_ARTICLE)],
    )
    assert _rows(db, f"SELECT count(*) FROM failures WHERE url = '{portal}'") == [(0,)]  # it never failed
    left = {f.url: (f.stage, f.reason, f.failure_count) for f in load.open_failures(db)}
    assert left == {
        gone: ("fetch", "HTTP 404", 1),  # its real failure, counted from one
        already: ("fetch", "HTTP 503", 1),
        EPAPER_URL: ("pending", load.PENDING_REASON, 0),
    }


def test_run_lock_is_the_same_through_a_symlink(tmp_path: Path) -> None:
    db = tmp_path / "data" / "w.duckdb"
    load.ensure_schema(db)
    link = tmp_path / "link.duckdb"
    link.symlink_to(db)
    with (
        load.run_lock(db),
        pytest.raises(load.WarehouseBusy, match="another run"),
        load.run_lock(link, wait_seconds=0),
    ):
        pass
    relative = Path(os.path.relpath(tmp_path / "data" / ".." / "data" / "w.duckdb"))
    with (
        load.run_lock(link),
        pytest.raises(load.WarehouseBusy, match="another run"),
        load.run_lock(relative, wait_seconds=0),
    ):
        pass


def test_indicators_carry_measure_basis_and_province_into_the_view(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    item = _article("http://x/1.html", body="2024年，杭州市社会消费品零售总额同比下降2.1%。")
    body = "小标题\n" + item.article.paragraphs[1].text
    start = body.index("2.1%")
    growth = Indicator(
        value=-2.1,
        unit="%",
        qualifier=Qualifier.EXACT,
        metric="社会消费品零售总额",
        raw="2.1%",
        sentence=body,
        char_start=start,
        char_end=start + len("2.1%"),
        period="2024",
        region="杭州",
        measure="growth",
        basis="yoy",
        province="浙江",
    )
    _load(db, articles=[replace(item, indicators=[growth])])
    rows = _rows(
        db,
        "SELECT region, province, metric, value FROM v_indicators WHERE measure = 'growth' AND basis = 'yoy'",
    )
    assert rows == [("杭州", "浙江", "社会消费品零售总额", -2.1)]


def test_the_content_hash_of_an_article_stays_what_stored_rows_carry() -> None:
    # Stored articles carry this hash: if it changed, the next run would rewrite every article.
    assert load.content_hash(_article("http://x/1.html"), "v9") == (
        "4e4074af8372283c6df86c4932439d1654b57730868abf267758fbc177a8b67d"
    )


@pytest.mark.parametrize(
    ("retry", "runs_retried"),
    [(Retry.GONE, load.MAX_RUNS_WHEN_GONE), (Retry.NEVER, 0), (Retry.TRANSIENT, load.MAX_RUNS_PER_FAILURE)],
)
@pytest.mark.parametrize(
    ("reason", "http_status"),
    [("HTTP 503", 503), ("HTTP 404", 404), ("host not allowed: x", None), ("timed out", None)],
)
def test_the_stored_retry_decides_how_often_a_failure_is_retried(
    tmp_path: Path, retry: Retry, runs_retried: int, reason: str, http_status: int | None
) -> None:
    """Whatever the reason text or the HTTP status say: gone is retried twice more, never not at all."""
    db = tmp_path / "w.duckdb"
    fail = Failure("http://x/1.html", FailureStage.FETCH, reason, http_status, 1, retry=retry)
    retryable_runs = 0
    for _ in range(load.MAX_RUNS_PER_FAILURE + 2):
        _load(db, failures=[fail])
        retryable_runs += bool(load.open_failures(db, retryable_only=True))
    assert retryable_runs == max(runs_retried - 1, 0)
    (listed,) = load.open_failures(db)
    assert (listed.retry, listed.retryable) == (retry, False)
    assert _rows(db, "SELECT retry FROM v_open_failures") == [(str(retry),)]


def test_a_failure_takes_the_retry_of_its_latest_occurrence(tmp_path: Path) -> None:
    db = tmp_path / "w.duckdb"
    fail = Failure("http://x/1.html", FailureStage.FETCH, "HTTP 404", 404, 1, retry=Retry.GONE)
    _load(db, failures=[fail])
    _load(db, failures=[replace(fail, reason="HTTP 503", http_status=503, retry=Retry.TRANSIENT)])
    (listed,) = load.open_failures(db)
    assert (listed.failure_count, listed.retry) == (2, Retry.TRANSIENT)


def test_migration_006_derives_the_retry_of_stored_failures(tmp_path: Path) -> None:
    """Rows stored before 006 get the meaning the loader used to read from them: the reason
    "host not allowed: <the URL's own host>" is never, an HTTP status 404/410 gone, anything else
    transient (a redirect to a refused host included)."""
    sql_dir = tmp_path / "sql"
    (sql_dir / "migrations").mkdir(parents=True)
    for version, path in load.migration_files():
        if version < 6:
            shutil.copy(path, sql_dir / "migrations" / path.name)
    db = tmp_path / "w.duckdb"
    stored = [
        ("http://Evil.Example./a.html", "host not allowed: evil.example", None, "never"),
        ("http://user@evil.example:8080/a.html", "host not allowed: evil.example", None, "never"),
        ("http://x/redirected.html", "host not allowed: evil.example", None, "transient"),
        ("http://x/404.html", "HTTP 404", 404, "gone"),
        ("http://x/410.html", "HTTP 410", 410, "gone"),
        ("http://x/503.html", "HTTP 503", 503, "transient"),
        ("http://x/parse.html", "no template", None, "transient"),
    ]
    with load.connect(db) as con:
        load.migrate(con, sql_dir)
        for url, reason, status, _ in stored:
            con.execute(
                "INSERT INTO failures (url, stage, reason, http_status, failure_count, first_failed_at, "
                "last_failed_at) VALUES (?, 'fetch', ?, ?, 1, now(), now())",
                [url, reason, status],
            )
    # Read before any run migrated it (`etl failures` does not migrate): the same meaning.
    assert {f.url: str(f.retry) for f in load.open_failures(db)} == {u: r for u, _, _, r in stored}
    load.ensure_schema(db)
    assert dict(_rows(db, "SELECT url, retry FROM failures")) == {u: r for u, _, _, r in stored}
