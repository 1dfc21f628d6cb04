"""Parser behaviour and PARSER_VERSION change together, or re-runs keep skipping pages whose stored
reading is stale."""

from etl.parse import PARSER_VERSION
from etl.parse.fingerprint import compute, pinned


def test_parser_changes_come_with_a_new_version() -> None:
    version, digest = pinned()
    current = compute()
    if current != digest:
        assert version != PARSER_VERSION, (
            "the parser's output over the fixture pages changed but PARSER_VERSION did not: bump it, "
            "then run `python -m etl.parse.fingerprint --update`"
        )
    assert (version, digest) == (PARSER_VERSION, current), (
        "the pinned parser fingerprint is out of date: run `python -m etl.parse.fingerprint --update`"
    )
