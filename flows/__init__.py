"""Prefect flows: thin orchestration over the pure stages in `etl`."""
