from flows.deployments import build_deployments


def test_deployments_are_scheduled_and_one_at_a_time() -> None:
    epaper, ingest, portal = build_deployments()
    assert epaper.name == "daily-epaper" and ingest.name == "ingest-urls" and portal.name == "portal-news"
    (schedule,) = epaper.schedules
    assert schedule.schedule.cron == "30 7 * * *"  # type: ignore[union-attr]
    assert schedule.schedule.timezone == "Asia/Shanghai"  # type: ignore[union-attr]
    (hourly,) = portal.schedules
    assert hourly.schedule.cron == "15 * * * *"  # type: ignore[union-attr]
    assert hourly.schedule.timezone == "Asia/Shanghai"  # type: ignore[union-attr]
    for deployment in (epaper, ingest, portal):
        assert deployment.concurrency_limit == 1
