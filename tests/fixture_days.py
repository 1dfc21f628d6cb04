"""More e-paper days for the sample site, generated: the one bundled day (2025-09-03) copied to other
dates, its URLs, dates and content ids rewritten, so that each copy is a day of distinct articles."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

SITE = Path(__file__).parent / "fixtures" / "site"
BUNDLED_DAY = dt.date(2025, 9, 3)
_CONTENT_ID = re.compile(r"content_(\d+)")


def _rewrite(text: str, day: dt.date) -> str:
    shift = (day - BUNDLED_DAY).days
    for old, new in (
        (f"{BUNDLED_DAY:%Y%m}/{BUNDLED_DAY:%d}", f"{day:%Y%m}/{day:%d}"),
        (f"{BUNDLED_DAY:%Y-%m-%d}", f"{day:%Y-%m-%d}"),
        (f"{BUNDLED_DAY:%Y年%m月%d日}", f"{day:%Y年%m月%d日}"),
        (f"{BUNDLED_DAY:%Y%m%d}", f"{day:%Y%m%d}"),
    ):
        text = text.replace(old, new)
    # Each day's articles get ids of their own, a million apart per day.
    return _CONTENT_ID.sub(lambda m: f"content_{int(m.group(1)) + shift * 1_000_000}", text)


def site_with_days(root: Path, days: list[dt.date]) -> Path:
    """A copy of the sample site under `root` whose e-paper has exactly `days` (the bundled day's
    版面 and articles, rewritten for each); returns `root`."""
    shutil.copytree(SITE, root, ignore=shutil.ignore_patterns("layout", "content"))
    for part in ("layout", "content"):
        source = SITE / "rmrb" / "pc" / part / f"{BUNDLED_DAY:%Y%m}" / f"{BUNDLED_DAY:%d}"
        for day in days:
            target = root / "rmrb" / "pc" / part / f"{day:%Y%m}" / f"{day:%d}"
            target.mkdir(parents=True, exist_ok=True)
            for page in source.iterdir():
                name = _rewrite(page.name, day)
                text = page.read_bytes().decode("utf-8")
                (target / name).write_bytes(_rewrite(text, day).encode("utf-8"))
    return root
