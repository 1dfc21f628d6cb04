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


def test_deployment_runs_take_the_run_option_defaults() -> None:
    from prefect.utilities.callables import parameter_schema

    from etl.config import RUN_DEFAULTS
    from flows.epaper import daily_epaper
    from flows.ingest import ingest_urls
    from flows.portal import portal_news

    for deployment, flow in zip(build_deployments(), (daily_epaper, ingest_urls, portal_news), strict=True):
        schema = parameter_schema(flow).properties
        # What a scheduled run gets: the deployment's own parameters, else the flow's defaults.
        effective = {
            name: deployment.parameters.get(name, schema[name]["default"])
            for name in schema
            if name != "urls"
        }
        assert {
            name: effective[name] for name in RUN_DEFAULTS.flow_parameters()
        } == RUN_DEFAULTS.flow_parameters()
