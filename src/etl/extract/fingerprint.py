"""A digest of what the extractor says about the gold texts, pinned next to EXTRACTOR_VERSION.

The warehouse re-extracts an article only when its content hash changes, and the extractor version
is part of that hash. A behaviour change shipped under an old version number would leave stale rows
in every warehouse, so a test compares this digest with the pinned one: change the behaviour, bump
the version, then run `python -m etl.extract.fingerprint --update` to pin the new pair (it refuses
an unchanged version, unless `--texts-changed` says the gold texts, not the extractor, moved).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from pathlib import Path

from etl.extract import EXTRACTOR_VERSION, extract_indicators

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


def pinned() -> tuple[str, str]:
    version, value = PIN_FILE.read_text(encoding="utf-8").split()
    return version, value


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--update", action="store_true", help="pin the current version and digest")
    ap.add_argument(
        "--texts-changed",
        action="store_true",
        help="with --update: the digest moved because gold texts were added or edited, not because the "
        "extractor changed, so the version may stay",
    )
    args = ap.parse_args(argv)
    current = compute()
    if args.update:
        version, value = pinned()
        if version == EXTRACTOR_VERSION and value != current and not args.texts_changed:
            print(
                f"the extractor's output changed under version {version}: bump EXTRACTOR_VERSION first "
                "(or pass --texts-changed if only the gold texts changed)",
                file=sys.stderr,
            )
            return 1
        PIN_FILE.write_text(f"{EXTRACTOR_VERSION} {current}\n", encoding="utf-8")
        print(f"pinned {EXTRACTOR_VERSION} {current}")
        return 0
    version, value = pinned()
    print(f"pinned  {version} {value}\ncurrent {EXTRACTOR_VERSION} {current}")
    return 0 if (version, value) == (EXTRACTOR_VERSION, current) else 1


if __name__ == "__main__":
    sys.exit(main())
