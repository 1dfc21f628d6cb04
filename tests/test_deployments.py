from flows.deployments import build_deployments


def test_deployments_are_scheduled_and_one_at_a_time() -> None:
    epaper, ingest = build_deployments()
    assert epaper.name == "daily-epaper" and ingest.name == "ingest-urls"
    (schedule,) = epaper.schedules
    assert schedule.schedule.cron == "30 7 * * *"  # type: ignore[union-attr]
    assert schedule.schedule.timezone == "Asia/Shanghai"  # type: ignore[union-attr]
    for deployment in (epaper, ingest):
        assert deployment.concurrency_limit == 1
