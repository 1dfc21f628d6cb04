"""Prefect flows: thin orchestration over the pure stages in `etl`."""

from etl.config import prepare_prefect_env

# Before any module of this package imports Prefect, which reads some of these settings at import:
# `python -m flows.deployments` and every other importer get the same Prefect environment.
prepare_prefect_env()
