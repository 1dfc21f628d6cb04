"""Extractor behaviour and EXTRACTOR_VERSION change together, or stale rows stay in warehouses."""

from etl.extract import EXTRACTOR_VERSION
from etl.extract.fingerprint import compute, pinned


def test_behaviour_changes_come_with_a_new_version() -> None:
    version, digest = pinned()
    current = compute()
    if current != digest:
        assert version != EXTRACTOR_VERSION, (
            "the extractor's output changed but EXTRACTOR_VERSION did not: bump it, then run "
            "`python -m etl.extract.fingerprint --update`"
        )
    assert (version, digest) == (EXTRACTOR_VERSION, current), (
        "the pinned fingerprint is out of date: run `python -m etl.extract.fingerprint --update`"
    )
