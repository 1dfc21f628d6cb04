"""Where a crawl reads its pages: the choice of task runner and what a batch that could not be read
becomes. The runners themselves run for real in tests/test_backfill.py and tests/test_reprocess.py."""

from __future__ import annotations

import pytest

from etl.config import SettingError, check_task_runner
from etl.models import FailureStage, FetchResult, FetchStatus, PageKind, PageRef, Retry
from flows.runners import processing_runner
from flows.tasks import BatchResult, FetchedArticles, unread


@pytest.mark.parametrize(
    ("workers", "address", "message"),
    [
        (0, None, "bad setting workers"),
        (2, "tcp://10.0.0.5:8786", "give either workers or dask_address, not both"),
        (1, "10.0.0.5:8786", "must be a Dask scheduler address"),
        (1, "tcp://10.0.0.5", "must be a Dask scheduler address"),
    ],
)
def test_a_bad_task_runner_setting_is_refused(workers: int, address: str | None, message: str) -> None:
    with pytest.raises(SettingError, match=message):
        check_task_runner(workers, address)


def test_one_worker_reads_in_the_flow_process_without_a_runner() -> None:
    assert check_task_runner(1, "tls://scheduler:8786") == (1, "tls://scheduler:8786")
    with processing_runner(1, None) as runner:
        assert runner is None


def test_a_batch_the_runner_lost_is_a_failure_per_page_retried_next_run() -> None:
    refs = [PageRef(f"http://paper.people.com.cn/a{n}.html", PageKind.EPAPER_ARTICLE) for n in (1, 2)]
    fetched = FetchedArticles(
        BatchResult(skipped_unchanged=["http://paper.people.com.cn/a3.html"]),
        [(r, FetchResult(r.url, FetchStatus.OK, http_status=200, text="<html/>", attempts=1)) for r in refs],
    )
    read = unread(fetched, RuntimeError("worker  tcp://127.0.0.1:4000\n died"))
    assert read.articles == [] and read.continued == []
    assert [(f.url, f.stage, f.retry, f.http_status) for f in read.failures] == [
        (r.url, FailureStage.PARSE, Retry.TRANSIENT, 200) for r in refs
    ]
    assert {f.reason for f in read.failures} == {
        "not read: the task runner failed: RuntimeError: worker tcp://127.0.0.1:4000 died"
    }
