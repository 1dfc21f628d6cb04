"""A digest of what the extractor says about the gold texts, pinned next to EXTRACTOR_VERSION.

The warehouse re-extracts an article only when its content hash changes, and the extractor version
is part of that hash. A behaviour change shipped under an old version number would leave stale rows
in every warehouse, so a test compares this digest with the pinned one: change the behaviour, bump
the version, then run `python -m etl.extract.fingerprint --update` to pin the new pair (it refuses
an unchanged version, unless `--texts-changed` says the gold texts, not the extractor, moved).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from pathlib import Path

from etl.extract import EXTRACTOR_VERSION, extract_indicators
from etl.pins import Pin, pin_tool, read_pin

REPO = Path(__file__).resolve().parents[3]
GOLD_DIRS = tuple(REPO / "tests" / name for name in ("gold", "gold_holdout", "gold_holdout_written"))
PIN_FILE = Path(__file__).with_name("FINGERPRINT")


def compute() -> str:
    digest = hashlib.sha256()
    for gold_dir in GOLD_DIRS:
        for path in sorted(gold_dir.glob("*.json")):
            doc = json.loads(path.read_text(encoding="utf-8"))
            published = dt.date.fromisoformat(doc["published"]) if doc.get("published") else None
            rows = extract_indicators(doc["text"], published, region_hint=doc.get("region_hint"))
            for r in rows:
                fields = (r.char_start, r.char_end, repr(r.value), r.unit, str(r.qualifier), r.metric,
                          r.period, r.period_start, r.period_end, r.region, r.sentence,
                          r.measure, r.basis, r.province)  # fmt: skip
                digest.update(json.dumps([path.name, *map(str, fields)], ensure_ascii=False).encode())
    return digest.hexdigest()


PIN = Pin(
    component="extractor",
    version_name="EXTRACTOR_VERSION",
    version=EXTRACTOR_VERSION,
    path=PIN_FILE,
    inputs="gold texts",
    inputs_flag="--texts-changed",
)


def pinned() -> tuple[str, str]:
    return read_pin(PIN_FILE)


def main(argv: list[str] | None = None) -> int:
    return pin_tool(PIN, compute, __doc__, argv)


if __name__ == "__main__":
    sys.exit(main())
