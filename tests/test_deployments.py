from flows.deployments import EPAPER_CRONS, build_deployments


def test_deployments_are_scheduled_and_one_at_a_time() -> None:
    epaper, ingest, portal = build_deployments()
    assert epaper.name == "daily-epaper" and ingest.name == "ingest-urls" and portal.name == "portal-news"
    assert [s.schedule.cron for s in epaper.schedules] == ["30 7 * * *", "30 10 * * *"]  # type: ignore[union-attr]
    assert list(EPAPER_CRONS) == ["30 7 * * *", "30 10 * * *"]
    assert {s.schedule.timezone for s in epaper.schedules} == {"Asia/Shanghai"}  # type: ignore[union-attr]
    (hourly,) = portal.schedules
    assert hourly.schedule.cron == "15 * * * *"  # type: ignore[union-attr]
    assert hourly.schedule.timezone == "Asia/Shanghai"  # type: ignore[union-attr]
    assert ingest.schedules == []
    for deployment in (epaper, ingest, portal):
        assert deployment.concurrency_limit == 1
